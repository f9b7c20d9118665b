package engine_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/engine"
	"switchboard/backend/store"
	"switchboard/backend/store/testpg"
)

// refusals counts the supervisor's "another instance polls this channel" log lines: each is one
// time the engine asked for a channel's poll lock and was refused.
type refusals struct{ n atomic.Int32 }

func (r *refusals) Enabled(context.Context, slog.Level) bool { return true }
func (r *refusals) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message == "channel polled by another hub instance" {
		r.n.Add(1)
	}
	return nil
}
func (r *refusals) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *refusals) WithGroup(string) slog.Handler      { return r }

// An engine on PostgreSQL with no SyncEvery of its own (no serve loop around it), whose bot's
// poll lock another connection holds: it asks again every pollLockRetry and is refused, never
// polling meanwhile; once the lock is released it takes it and polls within pollLockRetry.
func TestPollLockIsTakenWithinTheRetryOnceReleased(t *testing.T) {
	dsn := testpg.DSN(t)
	keyring.MockInit()
	ctx := context.Background()
	fake := fakeapi.NewTelegram(t)

	// Another instance: it holds the pollers' lock on its own connection.
	other, err := store.OpenPostgres(ctx, dsn, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, held, err := other.PollLock(ctx, 0, nil)
	if err != nil || !held {
		t.Fatalf("the other instance takes the lock: %v %v", held, err)
	}

	var polls atomic.Int32
	asked := &refusals{}
	eng, st := startPGEngine(t, dsn, slog.New(asked), &polls)
	defer func() { eng.Stop(); st.Close() }()
	if _, err := eng.Inbox.AddTelegramChannel(ctx, fake.Token(), fake.URL()); err != nil {
		t.Fatal(err)
	}
	// Refused when the channel was added, then again by the retry: the engine keeps asking,
	// and does not poll while the other holds the lock.
	waitFor(t, "the lock asked for again while held", func() bool { return asked.n.Load() >= 2 })
	if n := polls.Load(); n != 0 {
		t.Fatalf("the engine polled %d times while another instance held the lock", n)
	}

	release()
	released := time.Now()
	waitFor(t, "the engine polls once the lock is free", func() bool { return polls.Load() > 0 })
	// The next retry takes it: within one interval, plus room for a loaded machine (the hub's
	// --sync default of 10 s, or no loop at all, would fail this).
	if took, limit := time.Since(released), engine.PollLockRetry()+3*time.Second; took > limit {
		t.Fatalf("the engine took the lock %v after its release, more than %v", took, limit)
	}
}
