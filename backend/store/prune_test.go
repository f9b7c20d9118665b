package store

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// Pruning deletes only a prefix of the log, in batches, by age or by count, and never the
// newest event: the kept log stays one unbroken run and LastSeq never goes back.
func TestPruneEventsKeepsAnUnbrokenTail(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	base, err := st.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Ten events at 1..10 s, then one stamped late (a clock that jumped ahead), then ten more.
	ats := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	if err := st.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, at := range ats {
			if err := appendEvent(ctx, tx, "chat.changed", 1, 1, 0, at*1000); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	last, _ := st.LastSeq(ctx)
	prune := func(olderThan time.Time, keep int64, batch int) int64 {
		var total int64
		for {
			n, err := st.PruneEvents(ctx, olderThan, keep, batch)
			if err != nil {
				t.Fatal(err)
			}
			if n > int64(batch) {
				t.Fatalf("a batch of %d deleted %d", batch, n)
			}
			if n == 0 {
				return total
			}
			total += n
		}
	}
	// Nothing is old enough and no bound by count: nothing goes.
	if n := prune(time.UnixMilli(0), 0, 3); n != 0 {
		t.Fatalf("pruned %d with nothing to prune", n)
	}
	// Older than 5.5 s: the events before base and those at 1..5 s go, in batches of 3; the
	// run stops at the first event to keep.
	prune(time.UnixMilli(5500), 0, 3)
	if kept, _ := st.KeptSince(ctx); kept != base+6 {
		t.Fatalf("kept since %d, want %d", kept, base+6)
	}
	// Older than 15.5 s: up to the event at 10 s; the one stamped 100 s after it stays, and so
	// do the older ones after it (a prefix only), so no gap opens.
	prune(time.UnixMilli(15500), 0, 100)
	if kept, _ := st.KeptSince(ctx); kept != base+11 {
		t.Fatalf("kept since %d, want %d (the prefix up to the event at 10 s)", kept, base+11)
	}
	// By count: the newest 4 stay.
	prune(time.Time{}, 4, 2)
	if kept, _ := st.KeptSince(ctx); kept != last-3 {
		t.Fatalf("kept since %d, want %d", kept, last-3)
	}
	// Everything is old: the newest stays, so LastSeq holds.
	prune(time.UnixMilli(1<<50), 0, 100)
	if kept, _ := st.KeptSince(ctx); kept != last {
		t.Fatalf("kept since %d, want only the newest %d", kept, last)
	}
	if l, _ := st.LastSeq(ctx); l != last {
		t.Fatalf("last seq went from %d to %d", last, l)
	}
}
