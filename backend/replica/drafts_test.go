package replica_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// draftOf reads a desktop's draft of a chat and whether the person's list row shows the mark.
func draftOf(t *testing.T, st *store.Store, chat int64) (string, bool) {
	t.Helper()
	ctx := context.Background()
	d, err := st.Draft(ctx, chat)
	if err != nil {
		t.Fatal(err)
	}
	rs := everything(t, st)
	for _, c := range rs.Chats {
		for _, p := range rs.People {
			if c.ID == chat && c.PersonID == p.ID {
				return d.Text, p.HasDraft
			}
		}
	}
	return d.Text, false
}

func waitDraft(t *testing.T, d *desk, name string, chat int64, want string) {
	t.Helper()
	waitFor(t, name+" holds the draft "+want, 10*time.Second, func() bool {
		text, mark := draftOf(t, d.st, chat)
		return text == want && mark == (want != "")
	})
}

// A draft is its manager's own: it follows Alice across her two desktops, Bob never sees it
// (not on his desktop, not in his snapshot, not in his feed), and when one of Alice's desktops
// was offline the draft written last wins on both, whichever desktop delivers last.
func TestDraftsFollowTheirManagerOnly(t *testing.T) {
	h := startHub(t)
	ctx := context.Background()
	h.fake.PushText(1001, "Ann", "hello")
	a1, a2, b := openDesk(t, h, "Alice"), openDesk(t, h, "Alice"), openDesk(t, h, "Bob")
	for _, d := range []*desk{a1, a2, b} {
		d.start(t)
		waitFor(t, d.who+" has the chat", 10*time.Second, func() bool { return len(withText(everything(t, d.st), "hello")) == 1 })
	}
	chat := withText(everything(t, a1.st), "hello")[0].ChatID

	// Alice writes on one desktop: her other desktop has it, Bob does not.
	const secret = "Alice's <b>half</b> thought"
	if err := a1.eng.Composer.SaveDraft(ctx, chat, secret, "", 0); err != nil {
		t.Fatal(err)
	}
	waitDraft(t, a2, "Alice's other desktop", chat, secret)
	// Bob writes his own: it does not replace Alice's anywhere.
	if err := b.eng.Composer.SaveDraft(ctx, chat, "Bob's draft", "", 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob's draft at the hub", 10*time.Second, func() bool {
		ds, _ := h.st.ManagerDrafts(ctx, h.ids["Bob"], []int64{chat})
		return len(ds) == 1 && ds[0].Text == "Bob's draft"
	})
	// A message after both drafts: once Bob's desktop has it, it has had every event before it.
	h.fake.PushText(1001, "Ann", "after the drafts")
	for _, d := range []*desk{a1, a2, b} {
		waitFor(t, d.who+" has the later message", 10*time.Second, func() bool {
			return len(withText(everything(t, d.st), "after the drafts")) == 1
		})
	}
	if text, _ := draftOf(t, b.st, chat); text != "Bob's draft" {
		t.Fatalf("Bob's desktop holds %q", text)
	}
	for _, d := range []*desk{a1, a2} {
		if text, _ := draftOf(t, d.st, chat); text != secret {
			t.Fatalf("Alice's desktop holds %q", text)
		}
	}
	// Nothing Bob can ask the hub for carries Alice's draft: not a snapshot, not the feed
	// from the start (WebSocket or long-poll).
	bob := signIn(t, h, "Bob")
	_, snap := bob.call("GET", teamwire.PathSnapshot, nil, "")
	_, poll := bob.call("GET", teamwire.PathFeedPoll+"?wait=0&seq=0", nil, "")
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.url, "http")+teamwire.PathFeed+"?state=1&seq=0",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + bob.token}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(teamwire.MaxFeedMessage)
	_, ws, err := conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for what, body := range map[string][]byte{"snapshot": snap, "long-poll": poll, "feed": ws} {
		if strings.Contains(string(body), "half") || !strings.Contains(string(body), "Bob's draft") {
			t.Fatalf("Bob's %s: %s", what, body)
		}
	}
	alice := signIn(t, h, "Alice")
	if _, snap := alice.call("GET", teamwire.PathSnapshot, nil, ""); !strings.Contains(string(snap), "half") || strings.Contains(string(snap), "Bob's draft") {
		t.Fatalf("Alice's snapshot: %s", snap)
	}

	// Alice's second desktop goes offline and writes there; later, she writes on the first.
	// Back online, the second delivers its older draft last: the newer one stays on both.
	a2.eng.Stop()
	if err := a2.eng.Composer.SaveDraft(ctx, chat, "older, typed offline", "", 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // the clock moves on: a later write has a later time
	if err := a1.eng.Composer.SaveDraft(ctx, chat, "newer, typed online", "", 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the newer draft at the hub", 10*time.Second, func() bool {
		ds, _ := h.st.ManagerDrafts(ctx, h.ids["Alice"], []int64{chat})
		return len(ds) == 1 && ds[0].Text == "newer, typed online"
	})
	if text, _ := draftOf(t, a2.st, chat); text != "older, typed offline" {
		t.Fatalf("the offline desktop lost its own draft: %q", text)
	}
	a2.build(t)
	a2.start(t)
	waitFor(t, "the offline desktop's write delivered", 10*time.Second, func() bool {
		st, _ := a2.eng.ReplicaStatus()
		return st.State == "online" && st.Pending == 0
	})
	waitDraft(t, a2, "the desktop back online", chat, "newer, typed online")
	waitDraft(t, a1, "the desktop that wrote last", chat, "newer, typed online")

	// Now the other way: offline, Alice writes on the second desktop after the first did.
	a2.eng.Stop()
	if err := a1.eng.Composer.SaveDraft(ctx, chat, "older, typed online", "", 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the older draft at the hub", 10*time.Second, func() bool {
		ds, _ := h.st.ManagerDrafts(ctx, h.ids["Alice"], []int64{chat})
		return len(ds) == 1 && ds[0].Text == "older, typed online"
	})
	time.Sleep(5 * time.Millisecond)
	if err := a2.eng.Composer.SaveDraft(ctx, chat, "newest, typed offline", "", 0); err != nil {
		t.Fatal(err)
	}
	a2.build(t)
	a2.start(t)
	waitDraft(t, a1, "the desktop online all along", chat, "newest, typed offline")
	waitDraft(t, a2, "the desktop that wrote last", chat, "newest, typed offline")

	// A cleared draft follows too, and clears the list's mark; Bob's stays.
	if err := a2.eng.Composer.SaveDraft(ctx, chat, "", "", 0); err != nil {
		t.Fatal(err)
	}
	waitDraft(t, a1, "Alice's first desktop", chat, "")
	waitDraft(t, a2, "Alice's second desktop", chat, "")
	if text, mark := draftOf(t, b.st, chat); text != "Bob's draft" || !mark {
		t.Fatalf("Bob's draft after Alice cleared hers: %q %v", text, mark)
	}
}
