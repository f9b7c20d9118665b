package app

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestSleepIsTheWallClockRunningAheadOfTheMonotonicOne(t *testing.T) {
	every := 5 * time.Second
	if slept(every, every, every) || slept(every+time.Second, every, every) {
		t.Fatal("an ordinary (or slightly late) tick counted as sleep")
	}
	if !slept(10*time.Minute, every, every) {
		t.Fatal("a 10 minute wall-clock jump was not seen as sleep")
	}
}

func TestWatchWakeupsStopsWithItsContextWithoutFalseWakes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Millisecond)
	defer cancel()
	var woke atomic.Int32
	done := make(chan struct{})
	go func() { watchWakeups(ctx, 10*time.Millisecond, func() { woke.Add(1) }); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("watchWakeups did not stop with its context")
	}
	if woke.Load() != 0 {
		t.Fatalf("woke %d times without sleeping", woke.Load())
	}
}
