package voice

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordWAV runs a WAV file through WAVSource -> Recorder and returns the result.
func recordWAV(t *testing.T, wav string, opts Options) (Result, []Progress) {
	t.Helper()
	var mu sync.Mutex
	var progress []Progress
	opts.OnProgress = func(p Progress) {
		mu.Lock()
		progress = append(progress, p)
		mu.Unlock()
	}
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	rec := NewRecorder(opts)
	if err := rec.Start(context.Background(), NewWAVSource(wav)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("recording a file did not finish")
	}
	res, err := rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return res, progress
}

// checkOpusFile validates a recorded file with the real tools and returns what opusdec
// decodes it to (16 kHz mono).
func checkOpusFile(t *testing.T, path string, wantSamples int64) []int16 {
	t.Helper()
	opusinfo := needTool(t, "opusinfo")
	opusdec := needTool(t, "opusdec")
	info := run(t, opusinfo, path)
	for _, bad := range []string{"WARNING", "ERROR", "error", "Hole", "gap"} {
		if strings.Contains(info, bad) {
			t.Fatalf("opusinfo reports %q:\n%s", bad, info)
		}
	}
	if !strings.Contains(info, "Channels: 1") || !strings.Contains(info, "Original sample rate: 16000 Hz") {
		t.Fatalf("opusinfo: unexpected stream header:\n%s", info)
	}

	codec, ch, dur := ffprobeInfo(t, path)
	wantDur := float64(wantSamples) / SampleRate
	if codec != "opus" || ch != 1 {
		t.Fatalf("ffprobe: codec %q channels %d, want opus 1", codec, ch)
	}
	if math.Abs(dur-wantDur) > 0.040 {
		t.Fatalf("ffprobe duration %.3f s, input %.3f s (more than 40 ms apart)", dur, wantDur)
	}

	// A full decode by ffmpeg's own Ogg demuxer and Opus decoder must not warn (bad granule,
	// page sequence gaps, CRC errors all print here).
	ffmpeg := needTool(t, "ffmpeg")
	if out := run(t, ffmpeg, "-nostdin", "-v", "warning", "-i", path, "-f", "null", "-"); strings.TrimSpace(out) != "" {
		t.Fatalf("ffmpeg decode warnings:\n%s", out)
	}

	dec := filepath.Join(t.TempDir(), "decoded.wav")
	run(t, opusdec, "--quiet", "--rate", "16000", path, dec)
	samples, rate := readWAV(t, dec)
	if rate != 16000 {
		t.Fatalf("opusdec wrote %d Hz", rate)
	}
	// opusdec honours pre-skip and the end-trimmed granule, so it must give back exactly the
	// input length (a couple of samples of rounding at most).
	if d := int64(len(samples)) - wantSamples; d < -2 || d > 2 {
		t.Fatalf("opusdec decoded %d samples, input had %d", len(samples), wantSamples)
	}
	t.Logf("opusinfo:\n%s", info)
	return samples
}

// bestLag finds the shift (in samples, within ±maxLag) where decoded best matches input, and
// the normalised correlation there.
func bestLag(in, out []int16, maxLag int) (int, float64) {
	bestL, best := 0, -2.0
	for lag := -maxLag; lag <= maxLag; lag++ {
		var xy, xx, yy float64
		for i := range in {
			j := i + lag
			if j < 0 || j >= len(out) {
				continue
			}
			x, y := float64(in[i]), float64(out[j])
			xy += x * y
			xx += x * x
			yy += y * y
		}
		if xx == 0 || yy == 0 {
			continue
		}
		if c := xy / math.Sqrt(xx*yy); c > best {
			bestL, best = lag, c
		}
	}
	return bestL, best
}

func TestRecordSpeechEnglishAndRussian(t *testing.T) {
	cases := []struct{ voice, text string }{
		{"en", "Hello! Your order has shipped and will arrive on Tuesday. Thank you for choosing us."},
		{"ru", "Здравствуйте! Ваш заказ отправлен и придёт во вторник. Спасибо, что выбрали нас."},
	}
	for _, tc := range cases {
		t.Run(tc.voice, func(t *testing.T) {
			dir := t.TempDir()
			wav := speechWAV(t, dir, tc.voice, tc.text)
			input, rate := readWAV(t, wav)
			if rate != 16000 || len(input) < 16000 {
				t.Fatalf("speech: %d samples at %d Hz", len(input), rate)
			}
			res, progress := recordWAV(t, wav, Options{Dir: dir})
			if res.Samples != int64(len(input)) {
				t.Fatalf("recorded %d samples, input has %d", res.Samples, len(input))
			}
			if res.Limited {
				t.Fatal("short note marked as limited")
			}
			st, err := os.Stat(res.Path)
			if err != nil || st.Size() != res.Size {
				t.Fatalf("file %s: %v, size %d vs result %d", res.Path, err, st.Size(), res.Size)
			}
			if filepath.Dir(res.Path) != dir || filepath.Ext(res.Path) != ".ogg" {
				t.Fatalf("file %s not a .ogg in %s", res.Path, dir)
			}
			secs := float64(len(input)) / 16000
			kbps := float64(res.Size*8) / secs / 1000
			t.Logf("%s: %.2f s, %d bytes, %.1f kbps", tc.voice, secs, res.Size, kbps)
			if kbps > 24 || kbps < 8 {
				t.Fatalf("bitrate %.1f kbps, want about 16", kbps)
			}

			decoded := checkOpusFile(t, res.Path, res.Samples)
			// The decoded speech lines up with the input at lag 0: proves pre-skip is exactly
			// the encoder's lookahead (a wrong pre-skip shifts or clips the start).
			lag, corr := bestLag(input, decoded, 200)
			t.Logf("decoded vs input: lag %d samples, correlation %.3f", lag, corr)
			if lag < -1 || lag > 1 {
				t.Fatalf("decoded audio is shifted by %d samples", lag)
			}
			if corr < 0.6 {
				t.Fatalf("decoded audio correlates %.3f with the input", corr)
			}

			att := res.Attachment()
			if att.Kind != "voice" || att.MIME != "audio/ogg" || att.LocalPath != res.Path || att.Duration != int(math.Round(secs)) || att.Size != res.Size {
				t.Fatalf("attachment %+v", att)
			}

			// Level reports every 50 ms of audio with increasing elapsed time, and speech
			// registers on the meter.
			if want := len(input) / levelWindow; len(progress) != want {
				t.Fatalf("%d progress reports, want %d", len(progress), want)
			}
			loud := 0
			for i, p := range progress {
				if p.Elapsed != time.Duration(i+1)*50*time.Millisecond {
					t.Fatalf("report %d elapsed %v", i, p.Elapsed)
				}
				if p.Level < 0 || p.Level > 1 || p.Peak < 0 || p.Peak > 1 {
					t.Fatalf("report %d out of range: %+v", i, p)
				}
				if p.Level > 0.5 {
					loud++
				}
			}
			if loud < len(progress)/4 {
				t.Fatalf("only %d of %d windows show speech on the meter", loud, len(progress))
			}
		})
	}
}

// TestRecordResamplesInput feeds espeak's 22050 Hz output directly: the recorder resamples
// to 16 kHz itself.
func TestRecordResamplesInput(t *testing.T) {
	dir := t.TempDir()
	raw := speechRaw(t, dir, "en", "Resampling inside the recorder.")
	input, rate := readWAV(t, raw)
	if rate == 16000 {
		t.Fatalf("espeak wrote 16 kHz; the test needs another rate")
	}
	res, _ := recordWAV(t, raw, Options{Dir: dir})
	want := int64(len(input)) * 16000 / int64(rate)
	if res.Samples != want {
		t.Fatalf("recorded %d samples, want %d (%d at %d Hz)", res.Samples, want, len(input), rate)
	}
	checkOpusFile(t, res.Path, res.Samples)
}

// TestRecordStopsAtLimit: a 1 s limit on ~3 s of speech stops by itself at exactly 1 s.
func TestRecordStopsAtLimit(t *testing.T) {
	dir := t.TempDir()
	wav := speechWAV(t, dir, "en", "This sentence is much longer than the one second limit of this test recording.")
	res, progress := recordWAV(t, wav, Options{Dir: dir, MaxDuration: time.Second})
	if !res.Limited || res.Samples != 16000 || res.Duration != time.Second {
		t.Fatalf("result %+v, want limited at 16000 samples", res)
	}
	if len(progress) != 20 {
		t.Fatalf("%d progress reports for 1 s", len(progress))
	}
	checkOpusFile(t, res.Path, 16000)
}

func TestRecordDefaultLimitIsFiveMinutes(t *testing.T) {
	r := NewRecorder(Options{Dir: t.TempDir()})
	if r.opts.MaxDuration != 5*time.Minute {
		t.Fatalf("default limit %v", r.opts.MaxDuration)
	}
}

// TestRecordFiveMinuteLimit: a 5 min 3 s WAV of tones with the default options stops at
// exactly 5 minutes (encoding runs faster than real time).
func TestRecordFiveMinuteLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes 5 minutes of audio")
	}
	dir := t.TempDir()
	n := (5*60 + 3) * SampleRate
	samples := make([]int16, n)
	for i := range samples {
		samples[i] = int16(8000 * math.Sin(2*math.Pi*440*float64(i)/SampleRate))
	}
	wav := filepath.Join(dir, "long.wav")
	writeWAV(t, wav, SampleRate, samples)
	res, _ := recordWAV(t, wav, Options{Dir: dir})
	if !res.Limited || res.Duration != 5*time.Minute {
		t.Fatalf("result %+v, want limited at 5 min", res)
	}
	if att := res.Attachment(); att.Duration != 300 {
		t.Fatalf("attachment duration %d", att.Duration)
	}
	checkOpusFile(t, res.Path, res.Samples)
}

func TestRecordEmptyWAV(t *testing.T) {
	dir := t.TempDir()
	wav := filepath.Join(dir, "empty.wav")
	writeWAV(t, wav, SampleRate, nil)
	out := t.TempDir()
	rec := NewRecorder(Options{Dir: out})
	if err := rec.Start(context.Background(), NewWAVSource(wav)); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.Stop(); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Stop: %v, want ErrEmpty", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("files left behind: %v", entries)
	}
}

func TestRecordRejectsNonPCMWAV(t *testing.T) {
	dir := t.TempDir()
	raw := speechRaw(t, dir, "en", "eight bit")
	sox := needTool(t, "sox")
	eight := filepath.Join(dir, "u8.wav")
	run(t, sox, raw, "-b", "8", "-e", "unsigned-integer", eight)
	out := t.TempDir()
	rec := NewRecorder(Options{Dir: out})
	err := rec.Start(context.Background(), NewWAVSource(eight))
	if !errors.Is(err, ErrUnsupportedWAV) {
		t.Fatalf("Start: %v, want ErrUnsupportedWAV", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("files left behind: %v", entries)
	}
	if _, err := rec.Stop(); !errors.Is(err, ErrNotStarted) {
		t.Fatalf("Stop after failed start: %v", err)
	}
}

func TestWAVSourceStereoDownmix(t *testing.T) {
	dir := t.TempDir()
	raw := speechWAV(t, dir, "en", "stereo")
	sox := needTool(t, "sox")
	stereo := filepath.Join(dir, "stereo.wav")
	run(t, sox, raw, "-c", "2", stereo)
	mono, _ := readWAV(t, raw)
	got, rate := readWAV(t, stereo)
	if rate != 16000 || len(got) != len(mono) {
		t.Fatalf("stereo read %d samples at %d, mono %d", len(got), rate, len(mono))
	}
	for i := range got {
		if d := int(got[i]) - int(mono[i]); d < -1 || d > 1 {
			t.Fatalf("sample %d: %d vs %d", i, got[i], mono[i])
		}
	}
}

// TestRecorderGoroutinesEnd: after Stop and Cancel nothing the recorder started is running.
func TestRecorderGoroutinesEnd(t *testing.T) {
	dir := t.TempDir()
	wav := speechWAV(t, dir, "en", "goroutines")
	before := runtime.NumGoroutine()
	for range 5 {
		recordWAV(t, wav, Options{Dir: dir})
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after, %d before", n, before)
	}
}

// TestWAVSourceStreamingHeader: espeak-ng --stdout writes a WAV whose sizes are placeholders
// (it cannot seek back); the data runs to the end of the file and must all be read.
func TestWAVSourceStreamingHeader(t *testing.T) {
	espeak := needTool(t, "espeak-ng")
	dir := t.TempDir()
	text := "Streaming header"
	ref := speechRaw(t, dir, "en", text)
	out, err := exec.Command(espeak, "-v", "en", "--stdout", text).Output()
	if err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint32(out[40:44]) <= uint32(len(out)) {
		t.Fatalf("espeak wrote a real data size; this test needs the streaming placeholder")
	}
	streamed := filepath.Join(dir, "stdout.wav")
	if err := os.WriteFile(streamed, out, 0o644); err != nil {
		t.Fatal(err)
	}
	want, _ := readWAV(t, ref)
	got, _ := readWAV(t, streamed)
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("streamed WAV gave %d samples, file WAV %d", len(got), len(want))
	}
}
