package voice

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"switchboard/backend/core"
)

// MaxDuration is the longest voice note: VK's audio_message limit.
const MaxDuration = 5 * time.Minute

// MIME is the content type of the files the Recorder writes.
const MIME = "audio/ogg"

var (
	// ErrEmpty is returned by Stop when no audio was captured at all.
	ErrEmpty = errors.New("the voice message is empty: nothing was recorded")
	// ErrCanceled is returned by Stop after Cancel.
	ErrCanceled = errors.New("the voice message was discarded")
	// ErrNotStarted is returned by Stop on a recorder that was never started.
	ErrNotStarted = errors.New("voice recording was not started")
)

// Progress is reported while recording, about every 50 ms of audio.
type Progress struct {
	Elapsed time.Duration // audio recorded so far
	Level   float64       // loudness of the last ~50 ms for a meter, 0..1 (RMS on a dB scale)
	Peak    float64       // peak amplitude of the last ~50 ms, 0..1 (linear)
}

// Options configures a Recorder.
type Options struct {
	// Dir is where the .ogg file is written. Required.
	Dir string
	// MaxDuration stops the recording by itself when reached; 0 means MaxDuration (5 min).
	MaxDuration time.Duration
	// Bitrate in bits per second; 0 means DefaultBitrate (16 kbps).
	Bitrate int
	// OnProgress, if set, is called from the recording goroutine about every 50 ms of audio.
	// It must return quickly (post to a channel or emit an event): it holds up encoding. It
	// must not call Stop or Cancel itself (they wait for this goroutine); watch Done instead.
	OnProgress func(Progress)
	Logger     *slog.Logger
}

// Result describes a finished recording.
type Result struct {
	Path     string        // the .ogg file
	Duration time.Duration // exact audio duration (input samples / 16 kHz)
	Samples  int64         // input samples at 16 kHz
	Size     int64         // file size in bytes
	Limited  bool          // the recording stopped by itself at MaxDuration
}

// Attachment is the result as an outgoing voice attachment for the connectors
// (Telegram sendVoice, VK audio_message).
func (r Result) Attachment() core.Attachment {
	secs := int(math.Round(r.Duration.Seconds()))
	if secs < 1 && r.Samples > 0 {
		secs = 1 // messengers show 0:00 for a non-empty note otherwise
	}
	return core.Attachment{
		Kind:      core.AttachVoice,
		FileName:  filepath.Base(r.Path),
		MIME:      MIME,
		Size:      r.Size,
		Duration:  secs,
		LocalPath: r.Path,
	}
}

// Recorder turns one Source into one Ogg/Opus file. Use it once: Start, then Stop (keep the
// file) or Cancel (delete it). Stop and Cancel may be called from any goroutine, any number
// of times; both wait for the recording goroutine to end, so nothing outlives them.
type Recorder struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	started  bool
	canceled bool
	stop     context.CancelFunc
	done     chan struct{}
	res      Result
	err      error
}

// NewRecorder returns a recorder writing into opts.Dir.
func NewRecorder(opts Options) *Recorder {
	if opts.MaxDuration <= 0 {
		opts.MaxDuration = MaxDuration
	}
	if opts.Bitrate <= 0 {
		opts.Bitrate = DefaultBitrate
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Recorder{opts: opts, log: log.With("component", "voice.recorder"), done: make(chan struct{})}
}

// Start starts src and records it in a goroutine until Stop or Cancel, the end of src, the
// duration limit, or the end of ctx (which acts as Stop: what was recorded is kept).
// On error nothing is left running and no file is left behind.
func (r *Recorder) Start(ctx context.Context, src Source) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return errors.New("voice recorder: already started")
	}
	if r.opts.Dir == "" {
		return errors.New("voice recorder: no output directory")
	}
	enc, err := newEncoder(r.opts.Bitrate)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(r.opts.Dir, "voice-*.ogg")
	if err != nil {
		return fmt.Errorf("voice recorder: create file: %w", err)
	}
	rctx, stop := context.WithCancel(ctx)
	if err := src.Start(rctx); err != nil {
		stop()
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("voice recorder: %w", err)
	}
	rate := src.SampleRate()
	if rate <= 0 {
		stop()
		src.Close()
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("voice recorder: source reports sample rate %d", rate)
	}
	bw := bufio.NewWriterSize(f, 32<<10)
	ogg, err := NewOggOpusWriter(bw, OggOpusConfig{
		Serial:          rand.Uint32(),
		PreSkip:         uint16(enc.preSkip),
		InputSampleRate: SampleRate,
		Vendor:          "Switchboard voice (" + opusVersion() + ")",
	})
	if err != nil {
		stop()
		src.Close()
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("voice recorder: %w", err)
	}
	r.started = true
	r.stop = stop
	s := &session{
		r: r, src: src, enc: enc, ogg: ogg, f: f, bw: bw,
		maxSamples: int64(r.opts.MaxDuration.Seconds() * SampleRate),
	}
	if rate != SampleRate {
		s.rs = newResampler(rate, SampleRate)
		r.log.Debug("resampling input", "from", rate, "to", SampleRate)
	}
	go s.run()
	return nil
}

// Done is closed when the recording goroutine has ended, whether by Stop, Cancel, the end of
// the source, the duration limit or an error. The caller then calls Stop to get the file.
func (r *Recorder) Done() <-chan struct{} { return r.done }

// Stop ends the recording and returns the finished file. If the source failed midway (a
// microphone unplugged), the error says so and the Result still holds what was recorded
// before; check Result.Path. After Cancel it returns ErrCanceled.
func (r *Recorder) Stop() (Result, error) {
	r.mu.Lock()
	if !r.started {
		r.mu.Unlock()
		return Result{}, ErrNotStarted
	}
	r.stop()
	r.mu.Unlock()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.canceled {
		return Result{}, ErrCanceled
	}
	return r.res, r.err
}

// Cancel ends the recording and deletes the file, also after Stop (the manager discarded the
// note after listening to it).
func (r *Recorder) Cancel() error {
	r.mu.Lock()
	if !r.started {
		r.mu.Unlock()
		return nil
	}
	r.canceled = true
	r.stop()
	r.mu.Unlock()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.res.Path == "" {
		return nil
	}
	if err := os.Remove(r.res.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("voice recorder: discard %s: %w", r.res.Path, err)
	}
	return nil
}

// session is the state of the recording goroutine; only it touches these fields.
type session struct {
	r          *Recorder
	src        Source
	rs         *resampler
	enc        *encoder
	ogg        *OggOpusWriter
	f          *os.File
	bw         *bufio.Writer
	maxSamples int64

	frame   []int16 // samples waiting for a full 20 ms frame
	samples int64   // input samples taken (at 16 kHz), the exact duration
	packets int64

	// level meter over the current ~50 ms window
	winN    int
	winSq   float64
	winPeak int
}

// levelWindow is the level meter's window: 50 ms at 16 kHz.
const levelWindow = SampleRate / 20

func (s *session) run() {
	defer close(s.r.done)
	res, err := s.record()
	if cerr := s.src.Close(); cerr != nil {
		s.r.log.Warn("close voice source", "err", cerr)
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.stop() // release the context in every case
	if s.r.canceled && res.Path != "" {
		if rerr := os.Remove(res.Path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			s.r.log.Warn("discard voice file", "err", rerr)
		}
		res.Path = ""
	}
	s.r.res, s.r.err = res, err
}

// record pumps the source until it ends and finishes the file. It returns a usable Result
// whenever any audio was captured, even if the source failed (then with that error).
func (s *session) record() (Result, error) {
	in := make([]int16, FrameSamples*5)
	var conv []int16
	limited := false
	var srcErr error
	for !limited {
		n, err := s.src.Read(in)
		chunk := in[:n]
		if s.rs != nil {
			conv = s.rs.process(conv[:0], chunk, err != nil)
			chunk = conv
		}
		if len(chunk) > 0 {
			if rem := s.maxSamples - s.samples; int64(len(chunk)) >= rem {
				chunk, limited = chunk[:rem], true
			}
			if werr := s.take(chunk); werr != nil {
				return s.abandon(werr)
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				srcErr = fmt.Errorf("voice recorder: %w", err)
			}
			break
		}
	}
	if s.samples == 0 {
		res, _ := s.abandon(nil)
		if srcErr != nil {
			return res, srcErr
		}
		return res, ErrEmpty
	}
	res, err := s.finish()
	if err != nil {
		return s.abandon(err)
	}
	res.Limited = limited
	if limited {
		s.r.log.Info("voice recording reached its limit", "limit", s.r.opts.MaxDuration)
	}
	return res, srcErr
}

// take appends input samples, encoding every full frame and reporting the level every
// window. It works on runs bounded by the next frame or window edge, so the per-sample work
// is one tight loop.
func (s *session) take(samples []int16) error {
	for len(samples) > 0 {
		n := min(len(samples), levelWindow-s.winN, FrameSamples-len(s.frame))
		part := samples[:n]
		samples = samples[n:]
		peak, sq := s.winPeak, 0.0
		for _, v := range part {
			a := int(v)
			if a < 0 {
				a = -a
			}
			peak = max(peak, a)
			sq += float64(v) * float64(v)
		}
		s.winPeak, s.winSq, s.winN = peak, s.winSq+sq, s.winN+n
		s.frame = append(s.frame, part...)
		s.samples += int64(n)
		if s.winN == levelWindow {
			s.report()
		}
		if len(s.frame) == FrameSamples {
			if err := s.encodeFrame(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *session) report() {
	rms := math.Sqrt(s.winSq/float64(s.winN)) / 32768
	p := Progress{
		Elapsed: time.Duration(s.samples) * time.Second / SampleRate,
		Level:   meterLevel(rms),
		Peak:    float64(s.winPeak) / 32768,
	}
	s.winN, s.winSq, s.winPeak = 0, 0, 0
	if s.r.opts.OnProgress != nil {
		s.r.opts.OnProgress(p)
	}
}

// meterLevel maps an RMS amplitude to 0..1 on a -60..0 dBFS scale, which is how loudness is
// perceived: quiet speech (~-35 dBFS) shows as a visible bar instead of a flat line.
func meterLevel(rms float64) float64 {
	if rms <= 0 {
		return 0
	}
	db := 20 * math.Log10(rms)
	return math.Max(0, math.Min(1, (db+60)/60))
}

func (s *session) encodeFrame() error {
	pkt, err := s.enc.encode(s.frame)
	if err != nil {
		return err
	}
	s.frame = s.frame[:0]
	if err := s.ogg.WritePacket(pkt, frameSamples48); err != nil {
		return fmt.Errorf("voice recorder: %w", err)
	}
	s.packets++
	return nil
}

// finish pads the last frame, flushes the encoder's lookahead, and ends the stream with the
// granule position that trims the padding, then syncs the file to disk.
func (s *session) finish() (Result, error) {
	total := s.samples
	// Decoded output must cover pre-skip plus every input sample, so feed silence until the
	// packets reach that far (the encoder holds back its lookahead).
	end48 := int64(s.enc.preSkip) + total*rateFactor48
	for len(s.frame) > 0 || s.packets*frameSamples48 < end48 {
		for len(s.frame) < FrameSamples {
			s.frame = append(s.frame, 0)
		}
		if err := s.encodeFrame(); err != nil {
			return Result{}, err
		}
	}
	if err := s.ogg.Close(end48); err != nil {
		return Result{}, fmt.Errorf("voice recorder: %w", err)
	}
	if err := s.bw.Flush(); err != nil {
		return Result{}, fmt.Errorf("voice recorder: write %s: %w", s.f.Name(), err)
	}
	if err := s.f.Sync(); err != nil {
		return Result{}, fmt.Errorf("voice recorder: sync %s: %w", s.f.Name(), err)
	}
	if err := s.f.Close(); err != nil {
		return Result{}, fmt.Errorf("voice recorder: close %s: %w", s.f.Name(), err)
	}
	return Result{
		Path:     s.f.Name(),
		Duration: time.Duration(total) * time.Second / SampleRate,
		Samples:  total,
		Size:     s.ogg.BytesWritten(),
	}, nil
}

// abandon deletes the partial file after a failure that left it unusable.
func (s *session) abandon(cause error) (Result, error) {
	s.f.Close()
	if err := os.Remove(s.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.r.log.Warn("remove unfinished voice file", "err", err)
	}
	return Result{}, cause
}
