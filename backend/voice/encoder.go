package voice

import (
	"fmt"

	"github.com/hraban/opus"
)

// The format every voice note is encoded in: what VK's audio_message asks for and what
// Telegram plays as a voice message.
const (
	SampleRate     = 16000              // Hz, mono input to the encoder
	FrameDuration  = 20                 // ms per Opus frame
	FrameSamples   = SampleRate / 50    // 320 input samples per 20 ms frame
	frameSamples48 = 48000 / 50         // the same frame in 48 kHz units (Ogg granule)
	DefaultBitrate = 16000              // bits per second
	maxOpusPacket  = 1500               // buffer for one encoded frame (libopus never exceeds 1275)
	rateFactor48   = 48000 / SampleRate // input samples -> 48 kHz granule units
)

// encoder wraps libopus with the settings of a voice note.
type encoder struct {
	enc     *opus.Encoder
	preSkip int // 48 kHz samples
	buf     []byte
}

func newEncoder(bitrate int) (*encoder, error) {
	enc, err := opus.NewEncoder(SampleRate, 1, opus.AppVoIP)
	if err != nil {
		return nil, fmt.Errorf("opus encoder: %w", err)
	}
	if bitrate <= 0 {
		bitrate = DefaultBitrate
	}
	if err := enc.SetBitrate(bitrate); err != nil {
		return nil, fmt.Errorf("opus encoder: set bitrate %d: %w", bitrate, err)
	}
	look, err := encoderLookahead(SampleRate, 1)
	if err != nil {
		return nil, err
	}
	return &encoder{enc: enc, preSkip: look * rateFactor48, buf: make([]byte, maxOpusPacket)}, nil
}

// encode encodes exactly one 20 ms frame; the returned slice is reused by the next call.
func (e *encoder) encode(frame []int16) ([]byte, error) {
	n, err := e.enc.Encode(frame, e.buf)
	if err != nil {
		return nil, fmt.Errorf("opus encode: %w", err)
	}
	return e.buf[:n], nil
}

// opusVersion names the libopus build, for the OpusTags vendor string.
func opusVersion() string { return opus.Version() }
