package voice

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"github.com/gen2brain/malgo"
)

// ErrNoMicrophone means no capture device could be opened: none is connected, the audio
// system is not running, or access was refused. Its text is meant to be shown to a person.
var ErrNoMicrophone = errors.New("no microphone found: connect a microphone (or allow this app to use it in the system settings) and try again")

// ErrMicrophoneLost means the capture device stopped while recording (unplugged, or taken
// by the system). What was recorded up to then is kept.
var ErrMicrophoneLost = errors.New("the microphone stopped while recording: check that it is connected")

// NullBackend is miniaudio's real "null" backend: it captures silence at real time with no
// sound card, which makes the capture path testable in CI. (malgo.BackendNull is miniaudio's
// *custom* backend, which fails to initialise.) Never part of the default list: a user with
// no microphone must get ErrNoMicrophone, not a silent note.
const NullBackend = malgo.Backend(14)

// DefaultBackends is the explicit capture backend list for this OS, in order of preference.
// An explicit list matters: given none, miniaudio silently falls back to the null backend.
func DefaultBackends() []malgo.Backend {
	switch runtime.GOOS {
	case "linux":
		// PulseAudio also covers PipeWire (pipewire-pulse). JACK is left out: desktops that run
		// it bridge to PulseAudio, and probing it costs a failed server connection each time.
		return []malgo.Backend{malgo.BackendPulseaudio, malgo.BackendAlsa}
	case "darwin":
		return []malgo.Backend{malgo.BackendCoreaudio}
	case "windows":
		return []malgo.Backend{malgo.BackendWasapi}
	case "freebsd", "netbsd", "openbsd":
		return []malgo.Backend{malgo.BackendPulseaudio, malgo.BackendSndio, malgo.BackendOss, malgo.BackendAudio4}
	}
	return nil
}

// BackendName names a backend for logs and errors.
func BackendName(b malgo.Backend) string {
	switch b {
	case malgo.BackendWasapi:
		return "wasapi"
	case malgo.BackendDsound:
		return "dsound"
	case malgo.BackendWinmm:
		return "winmm"
	case malgo.BackendCoreaudio:
		return "coreaudio"
	case malgo.BackendSndio:
		return "sndio"
	case malgo.BackendAudio4:
		return "audio4"
	case malgo.BackendOss:
		return "oss"
	case malgo.BackendPulseaudio:
		return "pulseaudio"
	case malgo.BackendAlsa:
		return "alsa"
	case malgo.BackendJack:
		return "jack"
	case NullBackend:
		return "null"
	}
	return fmt.Sprintf("backend %d", uint32(b))
}

// MicOptions configures a MicSource.
type MicOptions struct {
	// Backends to try in order; nil means DefaultBackends(). Each is tried on its own, so
	// the one in use is known and nothing falls back to silence behind our back.
	Backends []malgo.Backend
	// SampleRate to ask the device for; 0 means SampleRate (16 kHz). miniaudio converts
	// from the device's native rate; if a device still delivers another rate, the Recorder
	// resamples.
	SampleRate int
	Logger     *slog.Logger
}

// micChunks is how many device callbacks can be buffered before Read catches up. At the
// usual 10 ms period that is ~5 s, far more than the encoder ever falls behind.
const micChunks = 512

// MicSource captures mono 16-bit PCM from the default microphone through miniaudio.
type MicSource struct {
	opts MicOptions
	log  *slog.Logger

	mu      sync.Mutex
	mctx    *malgo.AllocatedContext
	dev     *malgo.Device
	backend malgo.Backend
	name    string
	rate    int

	ctx     context.Context
	chunks  chan []int16
	lost    chan struct{}
	lostOne *sync.Once // closes lost once per Start
	pending []int16
	dropped int // chunks dropped because Read fell behind; touched only by the audio thread
}

// NewMicSource returns a microphone Source; the device is opened by Start.
func NewMicSource(opts MicOptions) *MicSource {
	if opts.Backends == nil {
		opts.Backends = DefaultBackends()
	}
	if opts.SampleRate == 0 {
		opts.SampleRate = SampleRate
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &MicSource{opts: opts, log: log.With("component", "voice.mic")}
}

// Start opens the default capture device of the first backend that has one. It returns an
// error wrapping ErrNoMicrophone when none does.
func (m *MicSource) Start(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dev != nil {
		return errors.New("microphone: already started")
	}
	m.ctx = ctx
	m.chunks = make(chan []int16, micChunks)
	m.lost = make(chan struct{})
	m.lostOne = new(sync.Once)
	m.pending = nil
	var tried []string
	for _, b := range m.opts.Backends {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := m.open(b)
		if err == nil {
			m.log.Info("microphone opened", "backend", BackendName(b), "device", m.name, "rate", m.rate)
			return nil
		}
		m.log.Debug("capture backend unavailable", "backend", BackendName(b), "err", err)
		tried = append(tried, BackendName(b)+": "+err.Error())
	}
	if len(tried) == 0 {
		return fmt.Errorf("%w (no audio backend for %s)", ErrNoMicrophone, runtime.GOOS)
	}
	return fmt.Errorf("%w (%s)", ErrNoMicrophone, strings.Join(tried, "; "))
}

// open tries one backend; on failure it leaves nothing allocated.
func (m *MicSource) open(b malgo.Backend) (err error) {
	mctx, err := malgo.InitContext([]malgo.Backend{b}, malgo.ContextConfig{}, func(msg string) {
		m.log.Debug("miniaudio", "backend", BackendName(b), "msg", strings.TrimSpace(msg))
	})
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	defer func() {
		if err != nil {
			_ = mctx.Uninit()
			mctx.Free()
		}
	}()
	devices, err := mctx.Devices(malgo.Capture)
	if err != nil {
		return fmt.Errorf("list capture devices: %w", err)
	}
	if len(devices) == 0 {
		return errors.New("no capture device")
	}
	// A PulseAudio/PipeWire server with no sound card still offers "Monitor of …" sources,
	// which record the speakers (or silence), never a voice.
	realMic := false
	name := devices[0].Name()
	for _, d := range devices {
		if !strings.HasPrefix(d.Name(), "Monitor of ") {
			if !realMic || d.IsDefault != 0 {
				name = d.Name()
			}
			realMic = true
		}
	}
	if !realMic {
		return errors.New("only monitor sources, no microphone")
	}

	cfg := malgo.DefaultDeviceConfig(malgo.Capture)
	cfg.Capture.Format = malgo.FormatS16
	cfg.Capture.Channels = 1
	cfg.SampleRate = uint32(m.opts.SampleRate)
	cfg.Alsa.NoMMap = 1 // mmap fails on some ALSA plugins (dmix/dsnoop); plain reads work everywhere
	dev, err := malgo.InitDevice(mctx.Context, cfg, malgo.DeviceCallbacks{
		Data: m.onData,
		Stop: m.onStop,
	})
	if err != nil {
		return fmt.Errorf("open capture device: %w", err)
	}
	if dev.CaptureFormat() != malgo.FormatS16 || dev.CaptureChannels() != 1 {
		dev.Uninit()
		return fmt.Errorf("device delivers format %d with %d channels, not 16-bit mono", dev.CaptureFormat(), dev.CaptureChannels())
	}
	if err := dev.Start(); err != nil {
		dev.Uninit()
		return fmt.Errorf("start capture: %w", err)
	}
	m.mctx, m.dev, m.backend, m.name, m.rate = mctx, dev, b, name, int(dev.SampleRate())
	return nil
}

// onData runs on miniaudio's audio thread: it copies the samples and never blocks.
func (m *MicSource) onData(_, in []byte, frames uint32) {
	if len(in) < int(frames)*2 {
		return
	}
	chunk := make([]int16, frames)
	for i := range chunk {
		chunk[i] = int16(binary.LittleEndian.Uint16(in[2*i:]))
	}
	select {
	case m.chunks <- chunk:
	default:
		m.dropped++
		if m.dropped == 1 || m.dropped%100 == 0 {
			m.log.Warn("microphone overrun: samples dropped", "chunks", m.dropped)
		}
	}
}

// onStop runs when the device stops: after our own Stop, or when it is lost.
func (m *MicSource) onStop() {
	m.lostOne.Do(func() { close(m.lost) })
}

// SampleRate is the rate the device delivers (normally the requested 16 kHz).
func (m *MicSource) SampleRate() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rate
}

// Backend names the backend in use, "" before Start.
func (m *MicSource) Backend() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dev == nil {
		return ""
	}
	return BackendName(m.backend)
}

// DeviceName is the name of the capture device in use.
func (m *MicSource) DeviceName() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.name
}

// Read blocks until the device delivers samples, the ctx given to Start is done (its error
// is returned), or the device is lost (ErrMicrophoneLost).
func (m *MicSource) Read(buf []int16) (int, error) {
	if m.chunks == nil {
		return 0, errors.New("microphone: read before start")
	}
	if len(m.pending) == 0 {
		select {
		case c := <-m.chunks:
			m.pending = c
		case <-m.ctx.Done():
			return 0, m.ctx.Err()
		case <-m.lost:
			// Deliver what was captured before the device went away.
			select {
			case c := <-m.chunks:
				m.pending = c
			default:
				if err := m.ctx.Err(); err != nil {
					return 0, err
				}
				return 0, ErrMicrophoneLost
			}
		}
	}
	n := copy(buf, m.pending)
	m.pending = m.pending[n:]
	return n, nil
}

// Close stops and releases the device. Safe to call more than once.
func (m *MicSource) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dev == nil {
		return nil
	}
	// Uninit stops the device and waits for its thread, so no callback runs after this.
	m.dev.Uninit()
	err := m.mctx.Uninit()
	m.mctx.Free()
	m.dev, m.mctx = nil, nil
	if err != nil {
		return fmt.Errorf("microphone: release audio context: %w", err)
	}
	return nil
}
