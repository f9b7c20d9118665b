package voice

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkRecord10s encodes 10 s of a voice-like signal (a gliding tone with noise) from a
// WAV file to Ogg/Opus: the cost of a note once capture ends. Reports the real-time factor.
func BenchmarkRecord10s(b *testing.B) {
	dir := b.TempDir()
	const n = 10 * SampleRate
	samples := make([]int16, n)
	seed := uint32(1)
	for i := range samples {
		seed = seed*1664525 + 1013904223
		f := 150 + 100*math.Sin(2*math.Pi*float64(i)/SampleRate)
		samples[i] = int16(6000*math.Sin(2*math.Pi*f*float64(i)/SampleRate) + float64(int32(seed)>>20))
	}
	wav := filepath.Join(dir, "in.wav")
	writeWAV(b, wav, SampleRate, samples)
	b.ResetTimer()
	var total time.Duration
	for b.Loop() {
		rec := NewRecorder(Options{Dir: dir})
		start := time.Now()
		if err := rec.Start(context.Background(), NewWAVSource(wav)); err != nil {
			b.Fatal(err)
		}
		<-rec.Done()
		_, err := rec.Stop()
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if err := rec.Cancel(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(10*time.Second)/float64(total/time.Duration(b.N)), "x-realtime")
}
