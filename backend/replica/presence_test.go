package replica_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/replica"
	"switchboard/backend/teamwire"
)

// presenceOf is what desk d shows of the others in chat.
func presenceOf(d *desk, chat int64) []replica.Presence {
	var out []replica.Presence
	for _, p := range d.eng.Replica().Presence() {
		if p.ChatID == chat {
			out = append(out, p)
		}
	}
	return out
}

func shows(d *desk, chat, manager int64, state string) bool {
	ps := presenceOf(d, chat)
	if state == "" {
		return len(ps) == 0
	}
	return len(ps) == 1 && ps[0].ManagerID == manager && ps[0].State == state
}

// twoDesksOnAChat starts a hub and Alice's and Bob's replicas (Bob's on the long-poll fallback
// when asked), online, with one client chat; it returns the chat's id.
func twoDesksOnAChat(t *testing.T, bobLongPolls bool) (*teamHub, *desk, *desk, int64) {
	t.Helper()
	h := startHub(t)
	a := openDesk(t, h, "Alice")
	b := openDesk(t, h, "Bob", bobLongPolls)
	a.start(t)
	b.start(t)
	h.fake.PushText(1001, "Ann", "hello")
	for _, d := range []*desk{a, b} {
		waitFor(t, d.who+" has the chat", 10*time.Second, func() bool { return len(withText(everything(t, d.st), "hello")) == 1 })
		waitFor(t, d.who+" online", 10*time.Second, func() bool { return d.eng.Replica().Status().State == replica.StateOnline })
	}
	return h, a, b, withText(everything(t, a.st), "hello")[0].ChatID
}

// One hub, two replica engines on loopback: typing, recording and viewing go from one desktop
// to the other through the hub, expire after their TTL, and vanish at once with the socket.
func TestPresenceTravelsBetweenDesktops(t *testing.T) {
	h, a, b, chat := twoDesksOnAChat(t, false)
	alice, bob := h.ids["Alice"], h.ids["Bob"]

	// Both open the chat: each sees the other viewing, and never itself.
	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceViewing); err != nil {
		t.Fatal(err)
	}
	if err := b.eng.Replica().SetPresence(chat, teamwire.PresenceViewing); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob sees Alice viewing", 3*time.Second, func() bool { return shows(b, chat, alice, teamwire.PresenceViewing) })
	waitFor(t, "Alice sees Bob viewing", 3*time.Second, func() bool { return shows(a, chat, bob, teamwire.PresenceViewing) })

	// Alice types: Bob sees it; then she records a voice note, then stops (back to viewing).
	for _, step := range []string{teamwire.PresenceTyping, teamwire.PresenceRecording, teamwire.PresenceViewing} {
		if err := a.eng.Replica().SetPresence(chat, step); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "Bob sees Alice "+step, 3*time.Second, func() bool { return shows(b, chat, alice, step) })
	}

	// A chat the hub does not have is refused there (the hub's
	// TestPresenceUpdatesOfJunkAndUnknownChatsReachNobody proves the refusal itself): Alice's
	// next update, sent after it on the same socket, is then all Bob sees of her.
	if err := a.eng.Replica().SetPresence(chat+1000, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceRecording); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob sees Alice recording after the made-up chat", 3*time.Second, func() bool {
		return shows(b, chat, alice, teamwire.PresenceRecording)
	})
	if ps := b.eng.Replica().Presence(); len(ps) != 1 {
		t.Fatalf("a made-up chat changed what Bob sees: %+v", ps)
	}
	if err := a.eng.Replica().SetPresence(chat, "dancing"); !errors.Is(err, replica.ErrPresenceState) {
		t.Fatalf("an unknown state: %v", err)
	}

	// Alice types and then her desktop goes quiet (no refresh, no "stopped"): it lapses after
	// the TTL on Bob's desktop.
	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob sees Alice typing", 3*time.Second, func() bool { return shows(b, chat, alice, teamwire.PresenceTyping) })
	typedAt := time.Now()
	waitFor(t, "Alice's typing to lapse", teamwire.PresenceActiveTTL+2*time.Second, func() bool { return shows(b, chat, 0, "") })
	if lapsed := time.Since(typedAt); lapsed < teamwire.PresenceActiveTTL-time.Second {
		t.Fatalf("typing lapsed after %v, before its TTL of %v", lapsed, teamwire.PresenceActiveTTL)
	}

	// Alice types again, and her app dies (its socket closes): gone on Bob's desktop at once,
	// long before the TTL.
	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob sees Alice typing again", 3*time.Second, func() bool { return shows(b, chat, alice, teamwire.PresenceTyping) })
	a.eng.Stop()
	stopped := time.Now()
	waitFor(t, "Alice's typing gone with her socket", 2*time.Second, func() bool { return shows(b, chat, 0, "") })
	if d := time.Since(stopped); d > time.Second {
		t.Fatalf("presence outlived the socket by %v", d)
	}
}

// A raw socket speaks presence as a hostile desktop would: junk and unknown chats are dropped,
// a flood is cut to the hub's rate, and the feed itself goes on. Alice's replica is the witness.
func TestPresenceFromAHostileSocket(t *testing.T) {
	h := startHub(t)
	a := openDesk(t, h, "Alice")
	a.start(t)
	h.fake.PushText(1001, "Ann", "hello")
	waitFor(t, "Alice has the chat", 10*time.Second, func() bool { return len(withText(everything(t, a.st), "hello")) == 1 })
	chat := withText(everything(t, a.st), "hello")[0].ChatID
	waitFor(t, "Alice online", 10*time.Second, func() bool { return a.eng.Replica().Status().State == replica.StateOnline })

	bob := signIn(t, h, "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(h.url, "http") + teamwire.PathFeed + "?state=1&presence=1&seq=0"
	conn, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + bob.token}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(teamwire.MaxFeedMessage)
	frames := make(chan teamwire.PresenceFrame, 100)
	feedMessages := make(chan struct{}, 100)
	go func() {
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				close(frames)
				return
			}
			if teamwire.IsPresenceFrame(b) {
				f, err := teamwire.ParsePresenceFrame(b)
				if err != nil {
					t.Errorf("the hub sent a bad frame %s: %v", b, err)
				}
				frames <- f
			} else {
				feedMessages <- struct{}{}
			}
		}
	}()
	// The first frame is the whole picture: nobody shows anything yet.
	select {
	case f := <-frames:
		if !f.Full || len(f.Entries) != 0 {
			t.Fatalf("first frame %+v, want a full and empty one", f)
		}
	case <-ctx.Done():
		t.Fatal("no first presence frame")
	}
	send := func(s string) {
		if err := conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	// Junk and an unknown chat reach nobody (proved at the hub, synchronously, by
	// TestPresenceUpdatesOfJunkAndUnknownChatsReachNobody); here the socket goes on after them:
	// the flood that follows them is heard.
	for _, junk := range []string{`{`, `{"type":"presence","chatId":` + itoa(chat) + `,"state":"typing","text":"x"}`,
		`{"type":"presence","chatId":987654,"state":"typing"}`, `{"type":"presence","chatId":` + itoa(chat) + `,"state":"yelling"}`} {
		send(junk)
	}
	// A flood: 40 updates at once, alternating; the hub passes on at most its burst of them.
	for i := range 40 {
		state := teamwire.PresenceTyping
		if i%2 == 1 {
			state = teamwire.PresenceViewing
		}
		send(`{"type":"presence","chatId":` + itoa(chat) + `,"state":"` + state + `"}`)
	}
	waitFor(t, "Alice sees Bob", 3*time.Second, func() bool { return len(presenceOf(a, chat)) == 1 })
	if ps := a.eng.Replica().Presence(); len(ps) != 1 || ps[0].ChatID != chat ||
		(ps[0].State != teamwire.PresenceTyping && ps[0].State != teamwire.PresenceViewing) {
		t.Fatalf("Alice sees %+v of Bob's junk and flood", ps)
	}
	// Alice types: Bob's socket hears it, with her manager id and a TTL, as its next frame: his
	// own updates, sent before, never came back to it.
	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-frames:
		if f.Full || len(f.Entries) != 1 || f.Entries[0].ManagerID != h.ids["Alice"] || f.Entries[0].State != teamwire.PresenceTyping ||
			f.Entries[0].ChatID != chat || f.Entries[0].TTLMillis <= 0 {
			t.Fatalf("Bob heard %+v", f)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Bob's socket did not hear Alice typing")
	}
	// Binary data is not presence: the socket is closed.
	if err := conn.Write(ctx, websocket.MessageBinary, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the socket closed", 3*time.Second, func() bool {
		select {
		case _, ok := <-frames:
			return !ok
		default:
			return false
		}
	})
	waitFor(t, "Bob's presence gone with his socket", 2*time.Second, func() bool { return len(presenceOf(a, chat)) == 0 })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A desktop on the long-poll fallback posts its presence and polls the others': Bob long-polls,
// Alice rides a socket; each sees the other. Bob's app dying has no socket to close, so his
// presence lapses by its TTL.
func TestPresenceOnTheLongPollFallback(t *testing.T) {
	h, a, b, chat := twoDesksOnAChat(t, true)
	alice, bob := h.ids["Alice"], h.ids["Bob"]

	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceViewing); err != nil {
		t.Fatal(err)
	}
	if err := b.eng.Replica().SetPresence(chat, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Alice sees Bob typing", 3*time.Second, func() bool { return shows(a, chat, bob, teamwire.PresenceTyping) })
	waitFor(t, "Bob sees Alice viewing", 4*time.Second, func() bool { return shows(b, chat, alice, teamwire.PresenceViewing) })
	if err := a.eng.Replica().SetPresence(chat, teamwire.PresenceRecording); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob sees Alice recording", 4*time.Second, func() bool { return shows(b, chat, alice, teamwire.PresenceRecording) })

	// Bob refreshes his typing, then his app dies: gone on Alice's desktop within the TTL.
	if err := b.eng.Replica().SetPresence(chat, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	b.eng.Stop()
	waitFor(t, "Bob's typing to lapse", teamwire.PresenceActiveTTL+2*time.Second, func() bool { return shows(a, chat, 0, "") })
}

// A hub from before presence (here: one whose requests lose presence=1 on the way) never sends a
// presence frame, so the replica never sends presence on its socket, which such a hub would close:
// the feed stays on its first socket and the desktop shows nobody.
func TestPresenceWaitsForAHubThatSpeaksIt(t *testing.T) {
	h := startHub(t)
	var mu sync.Mutex
	dials := 0
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == teamwire.PathFeed {
			mu.Lock()
			dials++
			mu.Unlock()
			q := r.URL.Query()
			q.Del("presence")
			r.URL.RawQuery = q.Encode()
		}
		h.api.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	h.url = proxy.URL
	a := openDesk(t, h, "Alice")
	a.start(t)
	h.fake.PushText(1001, "Ann", "hello")
	waitFor(t, "Alice has the chat", 10*time.Second, func() bool { return len(withText(everything(t, a.st), "hello")) == 1 })
	waitFor(t, "Alice online", 10*time.Second, func() bool { return a.eng.Replica().Status().State == replica.StateOnline })
	chat := withText(everything(t, a.st), "hello")[0].ChatID
	for _, state := range []string{teamwire.PresenceViewing, teamwire.PresenceTyping, teamwire.PresenceIdle} {
		if err := a.eng.Replica().SetPresence(chat, state); err != nil {
			t.Fatal(err)
		}
		time.Sleep(400 * time.Millisecond)
	}
	h.fake.PushText(1001, "Ann", "still following")
	waitFor(t, "the feed goes on", 10*time.Second, func() bool { return len(withText(everything(t, a.st), "still following")) == 1 })
	mu.Lock()
	defer mu.Unlock()
	if dials != 1 {
		t.Fatalf("the feed socket was dialled %d times: presence sent to a hub without it cut the feed", dials)
	}
}
