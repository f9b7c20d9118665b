package store

import (
	"context"
	"testing"
	"time"
)

// Two hub instances on one PostgreSQL: the pollers' lock is held by one instance at a time
// (for all its channels and its outbox), given back when its last holder releases it or the
// instance stops, freed by PostgreSQL when the connection holding it breaks (an instance that
// dies), and then its holders, if alive, hear of it.
func TestPollLockOneInstancePolls(t *testing.T) {
	ctx := context.Background()
	a := openTestPostgres(t)
	b := openSameDatabase(t, a)
	c := openSameDatabase(t, a)

	releaseA1, held, err := a.PollLock(ctx, 1, nil)
	if err != nil || !held {
		t.Fatalf("a takes channel 1: %v %v", held, err)
	}
	releaseA0, held, err := a.PollLock(ctx, 0, nil)
	if err != nil || !held {
		t.Fatalf("a takes the outbox too: %v %v", held, err)
	}
	for _, ch := range []int64{1, 2, 0} {
		if _, held, err := b.PollLock(ctx, ch, nil); err != nil || held {
			t.Fatalf("b took %d while a polls: %v %v", ch, held, err)
		}
	}
	if _, held, err := a.PollLock(ctx, 1, nil); err != nil || held {
		t.Fatalf("a took channel 1 twice: %v %v", held, err)
	}
	releaseA1()
	if _, held, _ := b.PollLock(ctx, 2, nil); held {
		t.Fatal("b took over while a still delivers the outbox")
	}
	releaseA0()
	releaseB, held, err := b.PollLock(ctx, 2, nil)
	if err != nil || !held {
		t.Fatalf("b takes over after a released everything: %v %v", held, err)
	}
	releaseB()

	// An instance that stops hands over.
	if _, held, _ := c.PollLock(ctx, 3, nil); !held {
		t.Fatal("c takes channel 3")
	}
	c.Close()
	if _, held, err := a.PollLock(ctx, 3, nil); err != nil || !held {
		t.Fatalf("a takes over after c stopped: %v %v", held, err)
	}
	releaseA3, _, _ := a.PollLock(ctx, 4, nil) // a second holder of a's lock
	_ = releaseA3

	// The connection holding a's lock is cut (a network failure, a restarted server): both of
	// a's holders are told, and another instance can take over.
	lost := make(chan int64, 2)
	if _, held, _ := a.PollLock(ctx, 5, func() { lost <- 5 }); !held {
		t.Fatal("a takes channel 5")
	}
	if _, held, _ := a.PollLock(ctx, 6, func() { lost <- 6 }); !held {
		t.Fatal("a takes channel 6")
	}
	if _, err := b.write.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted`, pgPollLockClass, a.pg.pollKey); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		select {
		case <-lost:
		case <-time.After(10 * time.Second):
			t.Fatal("a was not told it lost the lock")
		}
	}
	if _, held, err := b.PollLock(ctx, 5, nil); err != nil || !held {
		t.Fatalf("b takes over after a lost the lock: %v %v", held, err)
	}
	if _, held, err := a.PollLock(ctx, 7, nil); err != nil || held {
		t.Fatalf("a, on a new connection, took the lock b holds: %v %v", held, err)
	}
}

// Advisory locks are the whole database's: two hubs in two schemas of one database (here, two
// tests on the shared cluster) each hold their own pollers' lock.
func TestPollLockIsTheSchemas(t *testing.T) {
	ctx := context.Background()
	a, b := openTestPostgres(t), openTestPostgres(t)
	if _, held, err := a.PollLock(ctx, 1, nil); err != nil || !held {
		t.Fatalf("a takes its lock: %v %v", held, err)
	}
	if _, held, err := b.PollLock(ctx, 1, nil); err != nil || !held {
		t.Fatalf("b, in another schema, takes its own while a holds a's: %v %v", held, err)
	}
}
