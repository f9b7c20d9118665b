package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchboard/backend/core"
)

// openSameDatabase opens a second store on s's database, as a second process (SQLite) or a
// second hub instance (PostgreSQL) would.
func openSameDatabase(t testing.TB, s *Store) *Store {
	t.Helper()
	var other *Store
	var err error
	if s.Postgres() {
		other, err = OpenPostgres(context.Background(), s.pg.dsn, "")
	} else {
		other, err = Open(s.Path())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// Two hub instances (on SQLite: concurrent writers of one) ingest into one database at once while a follower on one of them reads
// the event log after its cursor the way the feed does: it must see every event exactly once,
// in seq order, however the instances' commits interleave (a seq committed after a higher one
// would be skipped). The follower's wake-ups for the other instance's commits come from the
// poll of the log's head.
func TestEventLogOfSeveralWritersHasNoGaps(t *testing.T) {
	eachDialect(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		// A second SQLite process has no way to wake this one (nor is it a hub setup): on
		// SQLite the writers share the one store, as the hub's goroutines do.
		b := a
		if a.Postgres() {
			b = openSameDatabase(t, a)
		}
		chA := addTestChannel(t, a, core.Telegram, "a")
		chB := addTestChannel(t, b, core.Telegram, "b")
		start, _ := a.LastEventSeq(ctx)

		wake, release := a.Subscribe()
		defer release()
		const writers, batches = 4, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, ch := a, chA.ID
				if w%2 == 1 {
					st, ch = b, chB.ID
				}
				for i := range batches {
					chat := fmt.Sprintf("%d", w*100+i%3)
					u := msgUpd(chat, fmt.Sprintf("w%d-%d", w, i), "hello", t0.UnixMilli()+int64(i))
					if _, err := st.ApplyBatch(ctx, ch, core.Batch{Updates: []core.Update{u}}, t0); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()

		seen := map[int64]bool{}
		cursor := start
		follow := func() {
			for {
				evs, err := a.EventsAfter(ctx, cursor, 50)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range evs {
					if e.Seq <= cursor || seen[e.Seq] {
						t.Fatalf("event %d after cursor %d (or twice)", e.Seq, cursor)
					}
					seen[e.Seq] = true
					cursor = e.Seq
				}
				if len(evs) < 50 {
					return
				}
			}
		}
	loop:
		for {
			select {
			case <-wake:
				follow()
			case <-done:
				break loop
			case <-time.After(10 * time.Second):
				t.Fatal("the follower was not woken for 10 s")
			}
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		// Everything committed by either instance must have reached the follower through its
		// wake-ups; the last of b's commits wakes a only through the poll.
		var all []int64
		deadline := time.Now().Add(5 * time.Second)
		for {
			all = all[:0]
			if err := a.read.SelectContext(ctx, &all, `SELECT seq FROM events WHERE seq > ? ORDER BY seq`, start); err != nil {
				t.Fatal(err)
			}
			if len(seen) == len(all) || time.Now().After(deadline) {
				break
			}
			select {
			case <-wake:
				follow()
			case <-time.After(time.Until(deadline)):
			}
		}
		if len(all) < writers*batches {
			t.Fatalf("only %d events for %d messages", len(all), writers*batches)
		}
		for _, seq := range all {
			if !seen[seq] {
				t.Fatalf("the follower skipped event %d (saw %d of %d)", seq, len(seen), len(all))
			}
		}
	})
}

// eachDialect runs fn on a store in a fresh SQLite file and, with SWITCHBOARD_TEST_PG, on a
// fresh PostgreSQL schema.
func eachDialect(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openTest(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openTestPostgres(t)) })
}
