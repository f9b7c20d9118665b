package store

import (
	"context"
	"testing"
	"time"
)

// Two hub instances on one PostgreSQL: a channel's poll lock is held by one at a time, given
// back on release and when the holder stops, freed by PostgreSQL when the connection holding
// it breaks (an instance that dies), and then its holder, if alive, hears of it.
func TestPollLockOnePollerPerChannel(t *testing.T) {
	ctx := context.Background()
	a := openTestPostgres(t)
	b := openSameDatabase(t, a)
	c := openSameDatabase(t, a)

	releaseA, held, err := a.PollLock(ctx, 1, nil)
	if err != nil || !held {
		t.Fatalf("a takes channel 1: %v %v", held, err)
	}
	if _, held, err := b.PollLock(ctx, 1, nil); err != nil || held {
		t.Fatalf("b took channel 1 while a holds it: %v %v", held, err)
	}
	if _, held, err := a.PollLock(ctx, 1, nil); err != nil || held {
		t.Fatalf("a took channel 1 twice: %v %v", held, err)
	}
	releaseB2, held, err := b.PollLock(ctx, 2, nil)
	if err != nil || !held {
		t.Fatalf("b takes channel 2: %v %v", held, err)
	}
	releaseA()
	releaseB, held, err := b.PollLock(ctx, 1, nil)
	if err != nil || !held {
		t.Fatalf("b takes channel 1 after a released it: %v %v", held, err)
	}
	releaseB()
	releaseB2()

	// An instance that stops hands its channels over.
	if _, held, _ := c.PollLock(ctx, 3, nil); !held {
		t.Fatal("c takes channel 3")
	}
	c.Close()
	if _, held, err := a.PollLock(ctx, 3, nil); err != nil || !held {
		t.Fatalf("a takes channel 3 after c stopped: %v %v", held, err)
	}

	// The connection holding b's lock is cut (a network failure, a restarted server): b is
	// told, and another instance can take the channel.
	lost := make(chan struct{})
	if _, held, _ := b.PollLock(ctx, 4, func() { close(lost) }); !held {
		t.Fatal("b takes channel 4")
	}
	if _, err := a.write.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_locks
WHERE locktype = 'advisory' AND classid = $1 AND objid = 4 AND granted`, pgPollLockClass); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lost:
	case <-time.After(10 * time.Second):
		t.Fatal("b was not told it lost channel 4")
	}
	if _, held, err := a.PollLock(ctx, 4, nil); err != nil || !held {
		t.Fatalf("a takes channel 4 after b lost it: %v %v", held, err)
	}
	if _, held, err := b.PollLock(ctx, 5, nil); err != nil || !held {
		t.Fatalf("b locks again on a new connection: %v %v", held, err)
	}
}
