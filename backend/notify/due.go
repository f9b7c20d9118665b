package notify

import (
	"context"
	"log/slog"
	"time"

	"switchboard/backend/core"
)

// DueSource hands out the tasks whose due time has come, each due time once, remembering across
// restarts what it handed out (the store's TakeDueTasks).
type DueSource interface {
	TakeDueTasks(ctx context.Context, assignee int64, now time.Time) ([]core.DueTask, error)
}

// DueWatcher raises one notification (the feed and the desktop) for each task of Assignee that
// becomes due. It asks the source every Every; the source's query is one index range, so the
// minute-level delay costs nothing worth avoiding with timers that would have to follow every
// edit of a task.
type DueWatcher struct {
	Source   DueSource
	Notifier *Notifier
	Assignee int64
	Now      func() time.Time // nil = time.Now
	Every    time.Duration    // 0 = DefaultDueEvery
}

// DefaultDueEvery is how often a DueWatcher looks for due tasks by default.
const DefaultDueEvery = 20 * time.Second

// Check posts a notification for every task that became due since the last check.
func (w *DueWatcher) Check(ctx context.Context) error {
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	due, err := w.Source.TakeDueTasks(ctx, w.Assignee, now)
	if err != nil {
		return err
	}
	for _, t := range due {
		// The title is the manager's words, the body the client's name: both data, both shown
		// as text by the feed and cleaned for the desktop (text.go).
		w.Notifier.Post(Item{Kind: KindTask, Title: t.Title, Body: t.PersonName, ChatID: t.ChatID,
			PersonID: t.PersonID, TaskID: t.ID, At: t.DueAt})
	}
	return nil
}

// Run checks at once and then every Every until ctx ends.
func (w *DueWatcher) Run(ctx context.Context) {
	every := w.Every
	if every <= 0 {
		every = DefaultDueEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if err := w.Check(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("due tasks: check failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
