package voice

import (
	"context"
	"errors"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gen2brain/malgo"
)

// TestMicDefaultBackendsNeverRecordSilence: with the default backend list, a machine with no
// capture device gets ErrNoMicrophone, never the null backend's silence. On a machine that
// has a microphone the source opens on one of the listed real backends.
func TestMicDefaultBackendsNeverRecordSilence(t *testing.T) {
	for _, b := range DefaultBackends() {
		if b == NullBackend || b == malgo.BackendNull {
			t.Fatalf("default list contains a null/custom backend: %v", DefaultBackends())
		}
	}
	if len(DefaultBackends()) == 0 {
		t.Fatalf("no default backends for %s", runtime.GOOS)
	}
	mic := NewMicSource(MicOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := mic.Start(ctx)
	if err == nil {
		defer mic.Close()
		if mic.Backend() == "null" || mic.Backend() == "" {
			t.Fatalf("opened backend %q", mic.Backend())
		}
		t.Logf("this machine has a microphone: %s on %s", mic.DeviceName(), mic.Backend())
		return
	}
	if !errors.Is(err, ErrNoMicrophone) {
		t.Fatalf("Start: %v, want ErrNoMicrophone", err)
	}
	if !strings.Contains(err.Error(), "no microphone found") {
		t.Fatalf("error has no words for a person: %v", err)
	}
	t.Logf("no microphone here, as expected in CI: %v", err)
}

// TestMicNullBackendRecords runs the whole capture path (miniaudio device, callback, buffer,
// Read) on the null backend, which produces silence at real time, and stops it from another
// goroutine after ~0.6 s.
func TestMicNullBackendRecords(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	var reports atomic.Int64
	var maxLevel atomic.Uint64
	rec := NewRecorder(Options{Dir: dir, OnProgress: func(p Progress) {
		reports.Add(1)
		maxLevel.Store(math.Float64bits(math.Max(math.Float64frombits(maxLevel.Load()), p.Level)))
	}})
	mic := NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}})
	if err := rec.Start(context.Background(), mic); err != nil {
		t.Fatalf("start on the null backend: %v", err)
	}
	if mic.Backend() != "null" || mic.SampleRate() != SampleRate {
		t.Fatalf("backend %q rate %d", mic.Backend(), mic.SampleRate())
	}
	start := time.Now()
	time.Sleep(600 * time.Millisecond)
	var res Result
	var err error
	var wg sync.WaitGroup
	wg.Go(func() { res, err = rec.Stop() })
	wg.Wait()
	wall := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	// Real-time capture: the recorded length tracks the wall clock (device periods make it
	// a little coarse).
	if res.Duration < 300*time.Millisecond || res.Duration > wall+100*time.Millisecond {
		t.Fatalf("recorded %v in %v of wall time", res.Duration, wall)
	}
	if reports.Load() < 5 {
		t.Fatalf("%d level reports in %v", reports.Load(), res.Duration)
	}
	if l := math.Float64frombits(maxLevel.Load()); l != 0 {
		t.Fatalf("silence shows level %v", l)
	}
	t.Logf("null backend: %v recorded in %v, %d level reports, %d bytes", res.Duration, wall, reports.Load(), res.Size)
	checkOpusFile(t, res.Path, res.Samples)
	// A second Stop returns the same result; Cancel afterwards discards the file.
	if res2, err := rec.Stop(); err != nil || res2 != res {
		t.Fatalf("second Stop: %+v %v", res2, err)
	}
	if err := rec.Cancel(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(res.Path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file still there after Cancel: %v", err)
	}
	if _, err := rec.Stop(); !errors.Is(err, ErrCanceled) {
		t.Fatalf("Stop after Cancel: %v", err)
	}
	waitGoroutines(t, before)
}

// TestMicCancelDeletes: Cancel while recording leaves no file.
func TestMicCancelDeletes(t *testing.T) {
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	rec := NewRecorder(Options{Dir: dir})
	if err := rec.Start(context.Background(), NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}})); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	var wg sync.WaitGroup
	for range 3 { // concurrent Cancel and Stop calls must not race or panic
		wg.Go(func() { _ = rec.Cancel() })
		wg.Go(func() { _, _ = rec.Stop() })
	}
	wg.Wait()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("files left after Cancel: %v", entries)
	}
	waitGoroutines(t, before)
}

// TestMicLimitStopsByItself: a real-time source with a short limit ends without Stop.
func TestMicLimitStopsByItself(t *testing.T) {
	dir := t.TempDir()
	rec := NewRecorder(Options{Dir: dir, MaxDuration: 300 * time.Millisecond})
	if err := rec.Start(context.Background(), NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}})); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("recording did not stop at its limit")
	}
	res, err := rec.Stop()
	if err != nil || !res.Limited || res.Duration != 300*time.Millisecond {
		t.Fatalf("result %+v %v", res, err)
	}
}

// TestMicContextEndsRecording: the ctx given to Start ends the recording like Stop.
func TestMicContextEndsRecording(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rec := NewRecorder(Options{Dir: dir})
	if err := rec.Start(ctx, NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}})); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("recording outlived its context")
	}
	res, err := rec.Stop()
	if err != nil || res.Path == "" {
		t.Fatalf("result %+v %v", res, err)
	}
}

func waitGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines running, %d before", n, before)
	}
}

// TestMicDeviceLostKeepsRecording: when the device stops underneath the recorder (unplugged),
// Stop reports ErrMicrophoneLost and still hands back a valid file of what was captured.
func TestMicDeviceLostKeepsRecording(t *testing.T) {
	before := runtime.NumGoroutine()
	mic := NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}})
	rec := NewRecorder(Options{Dir: t.TempDir()})
	if err := rec.Start(context.Background(), mic); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	// Stop the miniaudio device itself, as the OS does when a microphone disappears: the
	// device's stop callback fires while the recorder is still reading.
	mic.mu.Lock()
	err := mic.dev.Stop()
	mic.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("recorder did not notice the device stopping")
	}
	res, err := rec.Stop()
	if !errors.Is(err, ErrMicrophoneLost) {
		t.Fatalf("Stop: %v, want ErrMicrophoneLost", err)
	}
	if res.Path == "" || res.Duration < 200*time.Millisecond {
		t.Fatalf("partial result %+v", res)
	}
	checkOpusFile(t, res.Path, res.Samples)
	waitGoroutines(t, before)
}

// TestMicSourceReusable: one MicSource can record twice (the composer keeps one around).
func TestMicSourceReusable(t *testing.T) {
	mic := NewMicSource(MicOptions{Backends: []malgo.Backend{NullBackend}})
	for i := range 2 {
		rec := NewRecorder(Options{Dir: t.TempDir()})
		if err := rec.Start(context.Background(), mic); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		time.Sleep(150 * time.Millisecond)
		res, err := rec.Stop()
		if err != nil || res.Samples == 0 {
			t.Fatalf("round %d: %+v %v", i, res, err)
		}
		if mic.Backend() != "" {
			t.Fatalf("round %d: device still open after Stop", i)
		}
	}
}
