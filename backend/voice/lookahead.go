package voice

// #cgo pkg-config: opus
// #include <opus.h>
//
// // encoderLookahead creates a throwaway encoder with the same rate, channels and
// // application as ours and asks libopus for its lookahead (in samples at that rate).
// static int encoderLookahead(int rate, int channels, int application, int *out) {
//     int err = 0;
//     OpusEncoder *enc = opus_encoder_create(rate, channels, application, &err);
//     if (err != OPUS_OK) {
//         return err;
//     }
//     err = opus_encoder_ctl(enc, OPUS_GET_LOOKAHEAD(out));
//     opus_encoder_destroy(enc);
//     return err;
// }
import "C"

import "fmt"

// opusApplicationVoIP is OPUS_APPLICATION_VOIP; the same value hraban/opus passes for AppVoIP.
const opusApplicationVoIP = int(C.OPUS_APPLICATION_VOIP)

// encoderLookahead asks libopus for the encoder's lookahead at the given rate. hraban/opus
// has no getter for it, and the Ogg pre-skip must equal it (converted to 48 kHz) or the start
// of every note is either clipped or delayed.
func encoderLookahead(rate, channels int) (int, error) {
	var out C.int
	if rc := C.encoderLookahead(C.int(rate), C.int(channels), C.int(opusApplicationVoIP), &out); rc != C.OPUS_OK {
		return 0, fmt.Errorf("opus lookahead: %s", C.GoString(C.opus_strerror(rc)))
	}
	return int(out), nil
}
