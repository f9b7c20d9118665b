package hub

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// countingLog is the store with its EventsAfter calls counted.
type countingLog struct {
	*store.Store
	reads atomic.Int64
}

func (c *countingLog) EventsAfter(ctx context.Context, after int64, limit int) ([]core.Event, error) {
	c.reads.Add(1)
	return c.Store.EventsAfter(ctx, after, limit)
}

// TestFeedSocketsShareOneReadOfTheLog: twenty sockets follow while commits land one event at a
// time, more than the tail keeps in memory, and a socket joins far behind mid-stream; every
// socket gets every event once, in order, and the store is read about once per commit (plus the
// late socket's catch-up), not once per socket per commit.
func TestFeedSocketsShareOneReadOfTheLog(t *testing.T) {
	var log *countingLog
	h := newTestHub(t, "sqlite", func(c *Config) {
		log = &countingLog{Store: c.Events.(*store.Store)}
		c.Events = log
	})
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)

	const sockets = 20
	commits := tailKeep + 300
	var wg sync.WaitGroup
	var head int64
	committed := make(chan struct{})
	for i := 0; i < sockets; i++ {
		conn, _, err := h.dialFeed(ctx, token, base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-committed
			got, err := followTo(conn, base, head)
			if err != nil || len(got) != commits {
				t.Errorf("socket %d: %d events, want %d: %v", i, len(got), commits, err)
			}
		}()
	}
	// The handlers register after the upgrade answers; the count paces the tail.
	for start := time.Now(); h.srv.feeds.count() < sockets; time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%d of %d sockets registered", h.srv.feeds.count(), sockets)
		}
	}
	readsBefore := log.reads.Load()
	h.appendEvents(commits / 2)
	// Far behind: more than tailKeep events before the tail's oldest once the rest commit.
	late, _, err := h.dialFeed(ctx, token, base)
	if err != nil {
		t.Fatal(err)
	}
	defer late.CloseNow()
	head = h.appendEvents(commits - commits/2)
	close(committed)
	if got := readUntil(t, late, base, head); len(got) != commits {
		t.Fatalf("late socket: %d events, want %d", len(got), commits)
	}
	wg.Wait()
	reads := log.reads.Load() - readsBefore
	// Per commit at most one read by the tail; the late socket reads its catch-up in batches;
	// a socket may read the store once when it races the tail at a commit.
	limit := int64(commits + commits/feedBatch + 2*sockets + 10)
	if reads > limit {
		t.Fatalf("%d reads of the log for %d commits and %d sockets (limit %d): sockets are not sharing the tail", reads, commits, sockets, limit)
	}
	t.Logf("%d commits, %d sockets: %d reads of the log", commits, sockets+1, reads)
}

// A batch with an event addressed to one manager is encoded apart for that manager only; every
// other socket shares one encoding, built without the addressed event.
func TestAddressedEventsAreEncodedApartOnlyForTheirManager(t *testing.T) {
	tail := &logTail{encoded: map[encodedKey][]byte{}}
	evs := []core.Event{{Seq: 1, Kind: core.EventMessageNew}, {Seq: 2, Kind: core.EventDraftChanged, ManagerID: 7}, {Seq: 3, Kind: core.EventChatChanged}}
	builds := 0
	encode := func(manager int64) string {
		b, err := tail.encode("state", 0, manager, evs, func() (any, error) {
			builds++
			return forManager(evs, manager), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	others := encode(5)
	for _, m := range []int64{6, 8, 9} {
		if got := encode(m); got != others {
			t.Fatalf("manager %d got %s, manager 5 %s", m, got, others)
		}
	}
	own := encode(7)
	if builds != 2 {
		t.Fatalf("%d encodings built for four managers without the event and its own manager, want 2", builds)
	}
	if strings.Contains(others, "draft.changed") || !strings.Contains(own, "draft.changed") {
		t.Fatalf("the addressed event went astray: others %s, its manager %s", others, own)
	}
}

// failingOnceLog fails the next EventsAfter after fail is set, once.
type failingOnceLog struct {
	*store.Store
	fail atomic.Bool
}

func (l *failingOnceLog) EventsAfter(ctx context.Context, after int64, limit int) ([]core.Event, error) {
	if l.fail.CompareAndSwap(true, false) {
		return nil, errors.New("the log cannot be read")
	}
	return l.Store.EventsAfter(ctx, after, limit)
}

// When the tail's read of the log fails, a socket it was writing for reads the store itself:
// the commit that read was for reaches it with no further commit to wake the tail again.
func TestASocketAtTheHeadGetsItsEventsWhenTheTailsReadFails(t *testing.T) {
	var log *failingOnceLog
	h := newTestHub(t, "sqlite", func(c *Config) {
		log = &failingOnceLog{Store: c.Events.(*store.Store)}
		c.Events = log
	})
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)
	conn, _, err := h.dialFeed(ctx, token, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	following := func() int {
		h.srv.tail.followersMu.Lock()
		defer h.srv.tail.followersMu.Unlock()
		return len(h.srv.tail.followers)
	}
	for start := time.Now(); following() < 1; time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the socket never reached the tail")
		}
	}
	log.fail.Store(true)
	head := h.appendEvents(1) // one commit: no later one wakes the tail
	got, err := followTo(conn, base, head)
	if err != nil || len(got) != 1 {
		t.Fatalf("%d events after the tail's failed read, want 1: %v", len(got), err)
	}
	if log.fail.Load() {
		t.Fatal("the tail never read the log after the commit")
	}
}
