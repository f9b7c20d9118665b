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

	"switchboard/backend/store"
)

// Unix only: the test shrinks a socket's receive buffer through its file descriptor.

// TestFeedDropsASocketThatStopsReadingWithoutStallingOthers: a desktop that stops reading
// (its receive buffer tiny and never drained) holds a fan-out place only until its write times
// out; meanwhile a reading desktop keeps getting every commit, and then the stuck one is dropped.
func TestFeedDropsASocketThatStopsReadingWithoutStallingOthers(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)

	tiny := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	url := "ws" + strings.TrimPrefix(h.ts.URL, "http") + fmt.Sprintf("/api/v1/feed?seq=%d", base)
	stuck, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + token}},
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: tiny.DialContext}},
	})
	if err != nil {
		t.Fatal(err)
	}
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
		head := h.appendEvents(500)
		t0 := time.Now()
		readUntil(t, reader, after, head)
		if d := time.Since(t0); d > batchWriteTimeout/2 {
			t.Fatalf("the reading socket waited %s for a round: the stuck one stalls the feed", d)
		}
		after = head
	}
	t.Logf("dropped after %s", time.Since(start))
	head := h.appendEvents(3)
	readUntil(t, reader, after, head)
}
