package app

import (
	"context"
	"log/slog"
	"time"
)

// wakeCheckEvery is how often the app looks for a suspend/resume gap.
const wakeCheckEvery = 5 * time.Second

// watchWakeups calls wake when the machine has slept: between two ticks the wall clock moved on
// much further than the monotonic clock (which stops while suspended), so long polls and backoff
// timers are stale and polling should resume at once rather than when a timer fires.
func watchWakeups(ctx context.Context, every time.Duration, wake func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			// Round(0) drops the monotonic reading, so that subtraction uses wall time.
			if slept(now.Round(0).Sub(last.Round(0)), now.Sub(last), every) {
				slog.Info("woke from sleep: resuming polling now")
				wake()
			}
			last = now
		}
	}
}

// slept compares the wall-clock gap between two ticks with the monotonic one.
func slept(wall, mono, every time.Duration) bool {
	return wall-mono > 2*every
}

// wakeEngine makes the engine retry now (after sleep, or when the UI sees the network come
// back): in solo mode the pollers and the outbox; as a team replica, the hub's feed, whose socket
// may have died silently with the sleep, and the writes waiting for the hub.
func (a *shell) wakeEngine() { a.eng.Wake() }

// NetworkOnline is called by the UI when the webview reports the network is back.
func (a *Desktop) NetworkOnline() { a.wakeEngine() }
