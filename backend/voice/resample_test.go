package voice

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/gen2brain/malgo"
)

func tone(rate, n int, freq, amp float64) []int16 {
	s := make([]int16, n)
	for i := range s {
		s[i] = int16(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return s
}

// resampleAll runs src through a resampler in uneven chunks, as a device would deliver it.
func resampleAll(in, out int, src []int16) []int16 {
	r := newResampler(in, out)
	var dst []int16
	for i, step := 0, 1; i < len(src); i, step = i+step, step*3%997+1 {
		end := min(i+step, len(src))
		dst = r.process(dst, src[i:end], false)
	}
	return r.process(dst, nil, true)
}

// TestResamplerTone: a 1 kHz tone at 48 kHz and 44.1 kHz becomes the same tone at 16 kHz,
// sample for sample (no delay), with error far below the signal.
func TestResamplerTone(t *testing.T) {
	for _, in := range []int{48000, 44100, 22050, 8000} {
		n := in // one second
		got := resampleAll(in, SampleRate, tone(in, n, 1000, 10000))
		if want := n * SampleRate / in; len(got) != want {
			t.Fatalf("%d Hz: %d samples out, want %d", in, len(got), want)
		}
		ref := tone(SampleRate, len(got), 1000, 10000)
		// Ignore the filter's edge where the stream starts and ends abruptly.
		edge := 64
		var errSq, sigSq float64
		for i := edge; i < len(got)-edge; i++ {
			d := float64(got[i]) - float64(ref[i])
			errSq += d * d
			sigSq += float64(ref[i]) * float64(ref[i])
		}
		snr := 10 * math.Log10(sigSq/errSq)
		t.Logf("%d Hz -> 16 kHz: SNR %.1f dB", in, snr)
		if snr < 40 {
			t.Fatalf("%d Hz: SNR %.1f dB", in, snr)
		}
	}
}

// TestResamplerAntiAlias: a 10 kHz tone at 48 kHz is above the 8 kHz Nyquist of the output
// and must be filtered out, not folded down to 6 kHz.
func TestResamplerAntiAlias(t *testing.T) {
	got := resampleAll(48000, SampleRate, tone(48000, 48000, 10000, 10000))
	var sq float64
	for _, v := range got[64 : len(got)-64] {
		sq += float64(v) * float64(v)
	}
	rms := math.Sqrt(sq / float64(len(got)-128))
	inRMS := 10000 / math.Sqrt2
	att := 20 * math.Log10(rms/inRMS)
	t.Logf("10 kHz tone attenuated by %.1f dB", att)
	if att > -40 {
		t.Fatalf("alias only %.1f dB down", att)
	}
}

// TestRecordResamplesDevice asks the (null) device for 48 kHz, as a microphone that cannot
// do 16 kHz would deliver, and checks the recorder's own resampling keeps real time.
func TestRecordResamplesDevice(t *testing.T) {
	mic := NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}, SampleRate: 48000})
	rec := NewRecorder(Options{Dir: t.TempDir(), MaxDuration: 400 * time.Millisecond})
	if err := rec.Start(context.Background(), mic); err != nil {
		t.Fatal(err)
	}
	if mic.SampleRate() != 48000 {
		t.Fatalf("device rate %d", mic.SampleRate())
	}
	<-rec.Done()
	res, err := rec.Stop()
	if err != nil || !res.Limited || res.Samples != 6400 {
		t.Fatalf("result %+v %v", res, err)
	}
	checkOpusFile(t, res.Path, res.Samples)
}
