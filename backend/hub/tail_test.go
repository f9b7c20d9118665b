package hub

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

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
	tail := &logTail{encoded: map[encodedKey]*encoding{}}
	evs := []core.Event{{Seq: 1, Kind: core.EventMessageNew}, {Seq: 2, Kind: core.EventDraftChanged, ManagerID: 7}, {Seq: 3, Kind: core.EventChatChanged}}
	builds := 0
	encode := func(manager int64) string {
		b, err := tail.encode(context.Background(), "state", 0, manager, evs, func() (any, error) {
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

// Sockets asking for the same batch while its encoding is being built wait for that build and
// send its frame; none builds it again.
func TestABatchAskedForDuringItsBuildIsEncodedOnce(t *testing.T) {
	tail := &logTail{encoded: map[encodedKey]*encoding{}}
	evs := []core.Event{{Seq: 4, Kind: core.EventMessageNew}}
	var builds atomic.Int64
	release := make(chan struct{})
	const askers = 8
	frames := make([]string, askers)
	var wg sync.WaitGroup
	for i := range askers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := tail.encode(context.Background(), "events", 3, 5, evs, func() (any, error) {
				builds.Add(1)
				<-release // a build slow enough for every other asker to arrive meanwhile
				return forManager(evs, 5), nil
			})
			if err != nil {
				t.Error(err)
			}
			frames[i] = string(b)
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 || tail.encodings.Load() != 1 {
		t.Fatalf("%d builds (%d counted) for %d sockets asking for one batch at once, want 1", n, tail.encodings.Load(), askers)
	}
	for i, f := range frames {
		if f != frames[0] || !strings.Contains(f, "message.new") {
			t.Fatalf("socket %d got %q, socket 0 %q", i, f, frames[0])
		}
	}
}

// A build that fails on something of its socket's own (its client left) fails only that
// socket: one waiting for the same batch builds it again and sends it.
func TestAFailedBuildIsBuiltAgainByTheSocketWaitingForIt(t *testing.T) {
	tail := &logTail{encoded: map[encodedKey]*encoding{}}
	evs := []core.Event{{Seq: 4, Kind: core.EventMessageNew}}
	started := make(chan struct{})
	fail := make(chan struct{})
	firstErr := make(chan error, 1)
	go func() {
		_, err := tail.encode(context.Background(), "state", 3, 5, evs, func() (any, error) {
			close(started)
			<-fail
			return nil, context.Canceled
		})
		firstErr <- err
	}()
	<-started
	waiter := make(chan string, 1)
	go func() {
		b, err := tail.encode(context.Background(), "state", 3, 5, evs, func() (any, error) { return forManager(evs, 5), nil })
		if err != nil {
			t.Error(err)
		}
		waiter <- string(b)
	}()
	time.Sleep(20 * time.Millisecond) // the waiter finds the build under way
	close(fail)
	if err := <-firstErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("the failing build answered %v", err)
	}
	if got := <-waiter; !strings.Contains(got, "message.new") {
		t.Fatalf("the waiting socket got %q", got)
	}
	if n := tail.encodings.Load(); n != 2 {
		t.Fatalf("%d builds, want 2 (the failed one and the waiter's)", n)
	}
	if b, err := tail.encode(context.Background(), "state", 3, 5, evs, func() (any, error) { return nil, errors.New("built a third time") }); err != nil || !strings.Contains(string(b), "message.new") {
		t.Fatalf("a later socket did not share the rebuilt frame: %q %v", b, err)
	}
}

// TestEachBatchIsEncodedOnceWithSeveralSocketsAtTheHead: twelve sockets of one manager follow
// the head while commits land one at a time, each read by every socket before the next; the
// fan-out's writers share each batch's encoding, so the tail builds one encoding per commit,
// not one per writer that found it missing.
func TestEachBatchIsEncodedOnceWithSeveralSocketsAtTheHead(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)

	const sockets, commits = 12, 60
	conns := make([]*websocket.Conn, sockets)
	for i := range conns {
		conn, _, err := h.dialFeed(ctx, token, base)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		conns[i] = conn
	}
	h.waitAtTheHead(sockets)
	before := h.srv.tail.encodings.Load()
	after := base
	for range commits {
		head := h.appendEvents(1)
		var wg sync.WaitGroup
		for i, conn := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got, err := followTo(conn, after, head); err != nil || len(got) != 1 {
					t.Errorf("socket %d: %d events, want 1: %v", i, len(got), err)
				}
			}()
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		after = head
	}
	if n := h.srv.tail.encodings.Load() - before; n != commits {
		t.Fatalf("%d encodings for %d commits sent to %d sockets at the head, want one per commit", n, commits, sockets)
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
	h.waitAtTheHead(1)
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

// waitAtTheHead waits until n sockets are at the head, written by the tail's fan-outs.
func (h *testHub) waitAtTheHead(n int) {
	h.t.Helper()
	following := func() int {
		h.srv.tail.followersMu.Lock()
		defer h.srv.tail.followersMu.Unlock()
		return len(h.srv.tail.followers)
	}
	for start := time.Now(); following() < n; time.Sleep(time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			h.t.Fatalf("%d of %d sockets at the head", following(), n)
		}
	}
}

// A socket waiting for another's build of its batch gives up when its own client leaves, not
// when the build ends.
func TestASocketWaitingForABuildGivesUpWithItsContext(t *testing.T) {
	tail := &logTail{encoded: map[encodedKey]*encoding{}}
	evs := []core.Event{{Seq: 4, Kind: core.EventMessageNew}}
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	go func() {
		_, _ = tail.encode(context.Background(), "state", 3, 5, evs, func() (any, error) {
			close(started)
			<-release // a build that outlasts the waiter's client
			return forManager(evs, 5), nil
		})
	}()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error, 1)
	go func() {
		_, err := tail.encode(ctx, "state", 3, 5, evs, func() (any, error) { return nil, errors.New("built twice") })
		waited <- err
	}()
	cancel()
	select {
	case err := <-waited:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the waiter answered %v, want its context's end", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter was still waiting for the build after its client left")
	}
}
