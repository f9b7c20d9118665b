package voice

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrUnsupportedWAV is returned for WAV files that are not 16-bit integer PCM.
var ErrUnsupportedWAV = errors.New("unsupported WAV file: only 16-bit PCM is supported")

// WAVSource reads a 16-bit PCM WAV file (any sample rate, mono or stereo; stereo is mixed
// down to mono). It is how tests feed real speech through the recorder and how a
// pre-recorded file can be sent as a voice note.
type WAVSource struct {
	path     string
	f        *os.File
	r        *bufio.Reader
	ctx      context.Context
	rate     int
	channels int
	left     int64 // bytes of sample data not yet read; -1 when the header gave no usable size
	raw      []byte
}

// NewWAVSource returns a Source for the WAV file at path; the file is opened by Start.
func NewWAVSource(path string) *WAVSource { return &WAVSource{path: path} }

// Start opens the file and parses its header up to the sample data.
func (s *WAVSource) Start(ctx context.Context) error {
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("wav source: %w", err)
	}
	s.f = f
	s.r = bufio.NewReaderSize(f, 64<<10)
	s.ctx = ctx
	if err := s.readHeader(); err != nil {
		f.Close()
		s.f = nil
		return fmt.Errorf("wav source %s: %w", s.path, err)
	}
	return nil
}

func (s *WAVSource) readHeader() error {
	var riff [12]byte
	if _, err := io.ReadFull(s.r, riff[:]); err != nil {
		return fmt.Errorf("read RIFF header: %w", err)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return errors.New("not a RIFF/WAVE file")
	}
	haveFmt := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(s.r, ch[:]); err != nil {
			return fmt.Errorf("read chunk header: %w", err)
		}
		id := string(ch[0:4])
		size := int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if size < 16 {
				return fmt.Errorf("fmt chunk of %d bytes is too short", size)
			}
			b := make([]byte, size+size%2)
			if _, err := io.ReadFull(s.r, b); err != nil {
				return fmt.Errorf("read fmt chunk: %w", err)
			}
			format := binary.LittleEndian.Uint16(b[0:2])
			s.channels = int(binary.LittleEndian.Uint16(b[2:4]))
			s.rate = int(binary.LittleEndian.Uint32(b[4:8]))
			bits := binary.LittleEndian.Uint16(b[14:16])
			// WAVE_FORMAT_EXTENSIBLE keeps the real format code in the first two bytes of
			// its SubFormat GUID.
			if format == 0xFFFE && size >= 26 {
				format = binary.LittleEndian.Uint16(b[24:26])
			}
			if format != 1 || bits != 16 {
				return fmt.Errorf("%w (format %d, %d bits)", ErrUnsupportedWAV, format, bits)
			}
			if s.channels < 1 || s.channels > 8 {
				return fmt.Errorf("%w (%d channels)", ErrUnsupportedWAV, s.channels)
			}
			if s.rate < 8000 || s.rate > 192000 {
				return fmt.Errorf("%w (sample rate %d)", ErrUnsupportedWAV, s.rate)
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return errors.New("data chunk before fmt chunk")
			}
			s.left = size
			// Streaming writers (espeak-ng to a pipe, some recorders) leave 0 or 0xFFFFFFFF
			// here; then the data runs to the end of the file.
			if size == 0 || size == 0xFFFFFFFF || size == 0x7FFFFFFF {
				s.left = -1
			}
			return nil
		default:
			if _, err := s.r.Discard(int(size + size%2)); err != nil {
				return fmt.Errorf("skip %q chunk: %w", id, err)
			}
		}
	}
}

// SampleRate is the file's sample rate.
func (s *WAVSource) SampleRate() int { return s.rate }

// Read returns mono samples; io.EOF at the end of the data.
func (s *WAVSource) Read(buf []int16) (int, error) {
	if s.r == nil {
		return 0, errors.New("wav source: read before start")
	}
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	if len(buf) == 0 {
		return 0, nil
	}
	frameBytes := 2 * s.channels
	want := int64(len(buf) * frameBytes)
	if s.left >= 0 && want > s.left {
		want = s.left - s.left%int64(frameBytes)
	}
	if want == 0 {
		return 0, io.EOF
	}
	if cap(s.raw) < int(want) {
		s.raw = make([]byte, want)
	}
	raw := s.raw[:want]
	n, err := io.ReadFull(s.r, raw)
	n -= n % frameBytes
	if s.left >= 0 {
		s.left -= int64(n)
	}
	frames := n / frameBytes
	for i := range frames {
		if s.channels == 1 {
			buf[i] = int16(binary.LittleEndian.Uint16(raw[2*i:]))
			continue
		}
		sum := 0
		for c := range s.channels {
			sum += int(int16(binary.LittleEndian.Uint16(raw[i*frameBytes+2*c:])))
		}
		buf[i] = int16(sum / s.channels)
	}
	if frames > 0 {
		return frames, nil
	}
	if err == nil || errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	if !errors.Is(err, io.EOF) {
		err = fmt.Errorf("wav source %s: %w", s.path, err)
	}
	return 0, err
}

// Close closes the file.
func (s *WAVSource) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	s.r = nil
	return err
}
