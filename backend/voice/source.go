package voice

import "context"

// Source is a stream of mono 16-bit PCM samples. The Recorder calls Start once, then Read
// until it returns an error, then Close. io.EOF from Read means the audio ended normally
// (a file ran out); a microphone only ends when the ctx given to Start is done, and then
// Read returns ctx.Err() promptly even if it was blocked waiting for the device.
type Source interface {
	// Start opens the device or file and begins producing samples.
	Start(ctx context.Context) error
	// Read fills buf with the next samples and returns how many; it blocks until at least
	// one sample is available or the stream ends.
	Read(buf []int16) (int, error)
	// SampleRate is the rate of the samples Read returns; valid after Start.
	SampleRate() int
	// Close releases the device or file. It is safe to call more than once.
	Close() error
}
