package hub

import (
	"context"
	"time"
)

// The hub keeps its event log for a bounded time and size: a desktop that was away longer than
// that (or behind by more events) is told to bootstrap again (cursorKept), which it does by
// itself. Pruning runs in the background in small batches, each its own short transaction, so
// ingestion and the feed never wait behind one long delete.

// PruneConfig bounds the kept log. Zero KeepFor and KeepEvents: nothing is pruned.
type PruneConfig struct {
	KeepFor    time.Duration // events older than this go
	KeepEvents int64         // at most this many of the newest events stay
	Every      time.Duration // how often to look (default 1 min)
	Batch      int           // events per delete at most (default 1,000)
}

// Enabled says whether anything is pruned.
func (p PruneConfig) Enabled() bool { return p.KeepFor > 0 || p.KeepEvents > 0 }

// EventPruner is the part of the store pruning needs (store.Store implements it).
type EventPruner interface {
	PruneEvents(ctx context.Context, olderThan time.Time, keep int64, batch int) (int64, error)
}

// pruneBreather is the pause between two batches: the store's one writer serves others between.
const pruneBreather = 20 * time.Millisecond

// pruneLog prunes every p.Every until ctx ends.
func (s *Server) pruneLog(ctx context.Context, log EventPruner, p PruneConfig) {
	if p.Every <= 0 {
		p.Every = time.Minute
	}
	if p.Batch <= 0 {
		p.Batch = 1000
	}
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
	for {
		var olderThan time.Time
		if p.KeepFor > 0 {
			olderThan = s.cfg.Now().Add(-p.KeepFor)
		}
		var total int64
		for ctx.Err() == nil {
			n, err := log.PruneEvents(ctx, olderThan, p.KeepEvents, p.Batch)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Warn("hub: prune the event log", "err", err)
				}
				break
			}
			total += n
			if n == 0 {
				break
			}
			select {
			case <-ctx.Done():
			case <-time.After(pruneBreather):
			}
		}
		if total > 0 {
			s.log.Info("hub: pruned the event log", "events", total)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
