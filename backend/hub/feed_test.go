package hub

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// dialFeed opens the feed from seq with token.
func (h *testHub) dialFeed(ctx context.Context, token string, seq int64) (*websocket.Conn, *http.Response, error) {
	url := "ws" + strings.TrimPrefix(h.ts.URL, "http") + fmt.Sprintf("/api/v1/feed?seq=%d", seq)
	hdr := http.Header{}
	if token != "" {
		hdr.Set("Authorization", "Bearer "+token)
	}
	return websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: hdr})
}

// appendEvents commits n events to the hub's store through a real write path (each deleting a
// template appends "templates.changed") and returns the last seq.
func (h *testHub) appendEvents(n int) int64 {
	h.t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		if err := h.st.DeleteTemplate(ctx, int64(i)); err != nil {
			h.t.Fatal(err)
		}
	}
	seq, err := h.st.LastEventSeq(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return seq
}

// readUntil reads feed messages until the cursor reaches seq, checking that events come in
// strictly increasing seq order with no gap after `after` and the cursor matches.
func readUntil(t *testing.T, conn *websocket.Conn, after, seq int64) []core.Event {
	t.Helper()
	got, err := followTo(conn, after, seq)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// followTo is readUntil for goroutines: it returns what went wrong instead of failing the test.
func followTo(conn *websocket.Conn, after, seq int64) ([]core.Event, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []core.Event
	for after < seq {
		var msg FeedMessage
		if err := wsjson.Read(ctx, conn, &msg); err != nil {
			return got, fmt.Errorf("feed read after %d (want up to %d): %w", after, seq, err)
		}
		if msg.Type != "events" || len(msg.Events) == 0 || msg.Seq != msg.Events[len(msg.Events)-1].Seq {
			return got, fmt.Errorf("message %+v", msg)
		}
		for _, e := range msg.Events {
			if e.Seq != after+1 {
				return got, fmt.Errorf("event seq %d after %d: a gap or a repeat", e.Seq, after)
			}
			after = e.Seq
		}
		got = append(got, msg.Events...)
	}
	if after != seq {
		return got, fmt.Errorf("feed went to %d, want %d", after, seq)
	}
	return got, nil
}

func TestFeedDeliversFromASeqInOrderFollowsAndResumes(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	ctx := context.Background()
	base, _ := h.st.LastEventSeq(ctx)

	// 1,200 events already in the log come in order, in several messages (batches of 200).
	head := h.appendEvents(1200)
	conn, _, err := h.dialFeed(ctx, token, base)
	if err != nil {
		t.Fatal(err)
	}
	evs := readUntil(t, conn, base, head)
	if len(evs) != 1200 || evs[0].Kind != "templates.changed" {
		t.Fatalf("backlog: %d events, first %+v", len(evs), evs[0])
	}
	// New commits follow without asking.
	head2 := h.appendEvents(7)
	readUntil(t, conn, head, head2)
	conn.Close(websocket.StatusNormalClosure, "")

	// Resuming from a seq in the middle gets exactly what came after it, then follows.
	mid := base + 600
	conn, _, err = h.dialFeed(ctx, token, mid)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	if got := readUntil(t, conn, mid, head2); len(got) != int(head2-mid) {
		t.Fatalf("resumed: %d events, want %d", len(got), head2-mid)
	}
	head3 := h.appendEvents(3)
	readUntil(t, conn, head2, head3)

	// A cursor at the head waits quietly for the next commit.
	conn2, _, err := h.dialFeed(ctx, token, head3)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.CloseNow()
	head4 := h.appendEvents(1)
	readUntil(t, conn2, head3, head4)

	// A bad seq is refused before the upgrade.
	for _, q := range []string{"-1", "x", "1e3"} {
		a := h.do("GET", "/api/v1/feed?seq="+q, token, nil)
		if a.status != http.StatusBadRequest || a.code() != CodeBadRequest {
			t.Errorf("seq=%s: %d %s", q, a.status, a.body)
		}
	}
}

// TestFeedLeavesOutMentionsOfOtherManagers: a note mentioning Boris reaches Boris's feed with
// its note.mention event; Vera's feed gets the note but not Boris's mention.
func TestFeedLeavesOutMentionsOfOtherManagers(t *testing.T) {
	h := newTestHub(t, "sqlite")
	ctx := context.Background()
	vera := h.addAccount("vera@example.com", store.RoleManager, managerPassword)
	boris := h.addAccount("boris@example.com", store.RoleManager, managerPassword)
	b, err := h.st.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		b.Channel(core.Channel{ID: 1, Kind: core.Telegram, ExternalID: "bot", Name: "Bot"}),
		b.Person(store.BulkPerson{Person: core.Person{ID: 1, Name: "Client"}}),
		b.Chat(store.BulkChat{Chat: core.Chat{ID: 1, PersonID: 1, ChannelID: 1, ExternalChatID: "c1"}}),
		b.Finish(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	seq, _ := h.st.LastEventSeq(ctx)
	if _, err := h.st.AddNote(ctx, 1, vera.ManagerID, "@Boris look", []int64{boris.ManagerID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	head, _ := h.st.LastEventSeq(ctx)
	kinds := func(email string) []string {
		token, _ := h.login(email, managerPassword)
		conn, _, err := h.dialFeed(ctx, token, seq)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var msg FeedMessage
		if err := wsjson.Read(rctx, conn, &msg); err != nil {
			t.Fatal(err)
		}
		if msg.Seq != head {
			t.Fatalf("%s: cursor %d, want %d", email, msg.Seq, head)
		}
		var ks []string
		for _, e := range msg.Events {
			ks = append(ks, e.Kind)
		}
		return ks
	}
	if got := strings.Join(kinds("boris@example.com"), ","); got != core.EventMessageNew+","+core.EventNoteMention {
		t.Errorf("boris: %s", got)
	}
	if got := strings.Join(kinds("vera@example.com"), ","); got != core.EventMessageNew {
		t.Errorf("vera: %s", got)
	}
}

// expectClosed waits for the server to close conn with code and returns how long it took.
func expectClosed(t *testing.T, conn *websocket.Conn, code websocket.StatusCode, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		var msg FeedMessage
		err := wsjson.Read(ctx, conn, &msg)
		if err == nil {
			continue // events still in flight
		}
		if got := websocket.CloseStatus(err); got != code {
			t.Fatalf("socket ended with %v (status %d), want close code %d within %v", err, got, code, within)
		}
		return time.Since(start)
	}
}

func TestFeedIsCutOffWhenTheSessionEnds(t *testing.T) {
	forEachBook(t, func(t *testing.T, h *testHub) {
		ctx := context.Background()
		h.addAccount("admin@example.com", store.RoleAdmin, adminPassword)
		mgr := h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
		admin, _ := h.login("admin@example.com", adminPassword)
		head := h.appendEvents(2)

		open := func() (*websocket.Conn, string, int64) {
			token, id := h.login("mgr@example.com", managerPassword)
			conn, _, err := h.dialFeed(ctx, token, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.CloseNow() })
			readUntil(t, conn, 0, head)
			return conn, token, id
		}

		// Disabled by an admin through the API: closed at once.
		conn, token, _ := open()
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/disabled", mgr.ManagerID), admin, map[string]bool{"disabled": true}); a.status != 200 {
			t.Fatalf("disable: %d %s", a.status, a.body)
		}
		took := expectClosed(t, conn, closeSessionEnded, 2*time.Second)
		t.Logf("disabled manager's socket closed %v after the answer", took)
		if _, res, err := h.dialFeed(ctx, token, 0); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("disabled manager reconnects: %v %v", res, err)
		}
		h.do("PUT", fmt.Sprintf("/api/v1/users/%d/disabled", mgr.ManagerID), admin, map[string]bool{"disabled": false})

		// Revoked through the API (by the admin, by the manager, by signing out).
		conn, _, id := open()
		h.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", id), admin, nil)
		expectClosed(t, conn, closeSessionEnded, 2*time.Second)
		conn, token, _ = open()
		h.do("POST", "/api/v1/logout", token, nil)
		expectClosed(t, conn, closeSessionEnded, 2*time.Second)

		// Password reset: closed.
		conn, _, _ = open()
		h.do("PUT", fmt.Sprintf("/api/v1/users/%d/password", mgr.ManagerID), admin, map[string]string{"password": managerPassword})
		expectClosed(t, conn, closeSessionEnded, 2*time.Second)

		// Revoked by another process (the CLI, another hub instance): the watcher closes it
		// within its poll interval (50 ms here).
		conn, _, id = open()
		if _, err := h.accounts.RevokeSession(ctx, id, h.clock.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
		took = expectClosed(t, conn, closeSessionEnded, 2*time.Second)
		t.Logf("revoked elsewhere: closed after %v", took)
		conn, _, _ = open()
		if _, err := h.accounts.SetDisabled(ctx, mgr.ManagerID, true, h.clock.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
		expectClosed(t, conn, closeSessionEnded, 2*time.Second)
		if _, err := h.accounts.SetDisabled(ctx, mgr.ManagerID, false, h.clock.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}

		// Expired while connected.
		conn, _, _ = open()
		h.clock.Advance(31 * 24 * time.Hour)
		expectClosed(t, conn, closeSessionEnded, 2*time.Second)
		// Each handler unregisters once its close handshake is over.
		for deadline := time.Now().Add(5 * time.Second); h.srv.feeds.count() != 0; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d feed sockets still registered", h.srv.feeds.count())
			}
		}
	}, generousLogins)
}

func TestFeedSocketsCloseWhenTheHubStops(t *testing.T) {
	h := newTestHub(t, "sqlite")
	h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
	token, _ := h.login("mgr@example.com", managerPassword)
	conn, _, err := h.dialFeed(context.Background(), token, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	done := make(chan struct{})
	go func() { h.srv.Close(); close(done) }()
	expectClosed(t, conn, websocket.StatusGoingAway, 5*time.Second)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
}
