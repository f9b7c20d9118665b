//go:build unix

package hub

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"switchboard/backend/store"
)

// Unix only: the tests shrink a socket's receive buffer through its file descriptor.

// dialTinyReceiveBuffer dials the feed from seq base with a 4 KB receive buffer, so the hub's
// writes to a desktop that stops reading block soon.
func dialTinyReceiveBuffer(t *testing.T, h *testHub, token string, base int64) *websocket.Conn {
	t.Helper()
	tiny := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	url := "ws" + strings.TrimPrefix(h.ts.URL, "http") + fmt.Sprintf("/api/v1/feed?seq=%d", base)
	conn, _, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + token}},
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: tiny.DialContext}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestFeedDropsASocketThatStopsReadingWithoutStallingOthers: a desktop that stops reading
// (its receive buffer tiny and never drained) holds a fan-out place only until its write times
// out; meanwhile a reading desktop keeps getting every commit, and then the stuck one is dropped.
func TestFeedDropsASocketThatStopsReadingWithoutStallingOthers(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)

	stuck := dialTinyReceiveBuffer(t, h, token, base)
	defer stuck.CloseNow()
	reader, _, err := h.dialFeed(ctx, token, base)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.CloseNow()

	// Rounds of commits until the stuck socket's buffers are full and the hub drops it; the
	// reader must have each round well before a stuck write's timeout.
	after := base
	start := time.Now()
	for h.srv.feeds.count() > 1 {
		if time.Since(start) > 30*time.Second {
			t.Fatal("the socket that stopped reading was never dropped")
		}
		after = readRoundUnstalled(t, h, reader, after, 500)
	}
	t.Logf("dropped after %s", time.Since(start))
	head := h.appendEvents(3)
	readUntil(t, reader, after, head)
}

// TestASocketStuckMidWriteCatchesUpOnceInOrder: a desktop stops reading until the hub's write
// to it blocks (its buffers full) and fan-outs find it busy; the reading desktop keeps getting
// every commit meanwhile. When the stuck desktop reads again, before its write times out, it
// gets every event once and in seq order, the commits it missed coming together in few frames,
// and it stays connected and following.
func TestASocketStuckMidWriteCatchesUpOnceInOrder(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)

	slow := dialTinyReceiveBuffer(t, h, token, base)
	defer slow.CloseNow()
	slow.SetReadLimit(1 << 20)
	reader, _, err := h.dialFeed(ctx, token, base)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.CloseNow()

	// stuck: a socket the tail follows is busy writing while a fan-out has more for it.
	stuck := func() bool {
		h.srv.tail.followersMu.Lock()
		defer h.srv.tail.followersMu.Unlock()
		for f := range h.srv.tail.followers {
			if f.mu.TryLock() {
				f.mu.Unlock()
				continue
			}
			if f.pending.Load() {
				return true
			}
		}
		return false
	}
	after := base
	start := time.Now()
	for !stuck() {
		if time.Since(start) > 30*time.Second {
			t.Fatal("no write to the socket that stopped reading ever blocked")
		}
		if h.srv.feeds.count() < 2 {
			t.Fatal("the stuck socket was dropped before the test saw it stuck")
		}
		after = readRoundUnstalled(t, h, reader, after, 50)
	}
	head := h.appendEvents(20) // fan-outs that find the stuck socket busy
	readUntil(t, reader, after, head)

	// The stuck socket reads again: every event from base to head, once, in order.
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	frames, events, cursor := 0, 0, base
	for cursor < head {
		var msg FeedMessage
		if err := wsjson.Read(rctx, slow, &msg); err != nil {
			t.Fatalf("the stuck socket after %d: %v", cursor, err)
		}
		for _, e := range msg.Events {
			if e.Seq != cursor+1 {
				t.Fatalf("event seq %d after %d: a gap or a repeat", e.Seq, cursor)
			}
			cursor = e.Seq
		}
		frames++
		events += len(msg.Events)
	}
	commits := int(head - base)
	if events != commits || frames >= commits {
		t.Fatalf("%d events in %d frames for %d commits: want each once, the missed ones together", events, frames, commits)
	}
	if h.srv.feeds.count() != 2 {
		t.Fatalf("%d feed sockets, want both still connected", h.srv.feeds.count())
	}
	next := h.appendEvents(3)
	readUntil(t, slow, head, next)
	readUntil(t, reader, head, next)
	t.Logf("stuck after %s; %d events in %d frames", time.Since(start), events, frames)
}

// readRoundUnstalled commits n events and reads them on reader, failing when the round took
// half a stuck write's timeout: a socket that stopped reading must not stall the others.
func readRoundUnstalled(t *testing.T, h *testHub, reader *websocket.Conn, after int64, n int) int64 {
	t.Helper()
	head := h.appendEvents(n)
	t0 := time.Now()
	readUntil(t, reader, after, head)
	if d := time.Since(t0); d > batchWriteTimeout/2 {
		t.Fatalf("the reading socket waited %s for a round: the stuck one stalls the feed", d)
	}
	return head
}
