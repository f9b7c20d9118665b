package hub

import (
	"testing"
	"time"

	"switchboard/backend/teamwire"
)

// The board alone (no sockets): what each socket is sent, and when.
func TestPresenceBoardPassesOnAndForgets(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)}
	b := newPresenceBoard(clk.Now)
	anna := b.join(1)
	bob := b.join(2)
	for _, ps := range []*presenceSocket{anna, bob} {
		if f, ok := ps.take(clk.Now()); !ok || !f.Full || len(f.Entries) != 0 {
			t.Fatalf("first frame %+v %v, want full and empty", f, ok)
		}
	}
	b.set(anna, 7, teamwire.PresenceTyping)
	if _, ok := anna.take(clk.Now()); ok {
		t.Fatal("a socket was sent its own presence")
	}
	f, ok := bob.take(clk.Now())
	if !ok || f.Full || len(f.Entries) != 1 || f.Entries[0] != (teamwire.PresenceEntry{Conn: anna.id, ManagerID: 1, ChatID: 7,
		State: teamwire.PresenceTyping, TTLMillis: teamwire.PresenceActiveTTL.Milliseconds()}) {
		t.Fatalf("Bob got %+v", f)
	}
	// Several changes before Bob's writer runs go as the last one.
	b.set(anna, 7, teamwire.PresenceRecording)
	b.set(anna, 7, teamwire.PresenceViewing)
	if f, _ := bob.take(clk.Now()); len(f.Entries) != 1 || f.Entries[0].State != teamwire.PresenceViewing {
		t.Fatalf("coalesced %+v", f)
	}
	// A newcomer gets what is live; a presence past its TTL is not.
	b.set(anna, 7, teamwire.PresenceTyping)
	clk.Advance(2 * time.Second)
	carl := b.join(3)
	if f, _ := carl.take(clk.Now()); !f.Full || len(f.Entries) != 1 || f.Entries[0].TTLMillis != 4000 {
		t.Fatalf("newcomer got %+v", f)
	}
	clk.Advance(5 * time.Second)
	dora := b.join(4)
	if f, _ := dora.take(clk.Now()); len(f.Entries) != 0 {
		t.Fatalf("a lapsed presence reached a newcomer: %+v", f)
	}
	// Leaving takes it back at once, for everyone.
	b.set(anna, 7, teamwire.PresenceTyping)
	bob.take(clk.Now())
	b.leave(anna)
	if f, _ := bob.take(clk.Now()); len(f.Entries) != 1 || f.Entries[0].State != teamwire.PresenceIdle || f.Entries[0].Conn != anna.id {
		t.Fatalf("after leaving Bob got %+v", f)
	}
	// A socket that showed nothing leaves without a word.
	bob.take(clk.Now())
	b.leave(dora)
	if f, ok := bob.take(clk.Now()); ok {
		t.Fatalf("a silent socket's leaving sent %+v", f)
	}
	// Viewing refreshes reach the others only every half TTL; a change of chat at once.
	b.set(bob, 8, teamwire.PresenceViewing)
	anna2 := b.join(1)
	anna2.take(clk.Now())
	clk.Advance(teamwire.PresenceRefreshViewing)
	b.set(bob, 8, teamwire.PresenceViewing)
	if f, ok := anna2.take(clk.Now()); ok {
		t.Fatalf("a viewing refresh 10 s after the last was passed on: %+v", f)
	}
	clk.Advance(teamwire.PresenceRefreshViewing)
	b.set(bob, 8, teamwire.PresenceViewing)
	if f, _ := anna2.take(clk.Now()); len(f.Entries) != 1 || f.Entries[0].TTLMillis != teamwire.PresenceViewingTTL.Milliseconds() {
		t.Fatalf("the refresh 20 s after was not passed on: %+v", f)
	}
	b.set(bob, 9, teamwire.PresenceViewing)
	if f, _ := anna2.take(clk.Now()); len(f.Entries) != 1 || f.Entries[0].ChatID != 9 {
		t.Fatalf("a change of chat waited: %+v", f)
	}
	b.leave(anna2)
	bob.take(clk.Now())
	if b.count() != 2 {
		t.Fatalf("%d sockets on the board, want 2", b.count())
	}
}

func TestPresenceUpdatesAreRateLimitedPerSocket(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)}
	ps := newPresenceBoard(clk.Now).join(1)
	n := 0
	for range 40 {
		if ps.allow(clk.Now()) {
			n++
		}
	}
	if n != int(presenceBurst) {
		t.Fatalf("%d of a burst of 40 allowed, want %v", n, presenceBurst)
	}
	// A typist's pace (one every 2 s) is never refused.
	for range 20 {
		clk.Advance(teamwire.PresenceRefreshActive)
		if !ps.allow(clk.Now()) {
			t.Fatal("a refresh at the desktop's pace was refused")
		}
	}
}

// What a desktop sends is checked before anyone hears it: junk, an unknown state and a chat the
// hub does not have reach nobody. Each update is applied synchronously, so "nothing was passed
// on" is read right after it, and the valid update at the end shows the witness hears what does
// pass.
func TestPresenceUpdatesOfJunkAndUnknownChatsReachNobody(t *testing.T) {
	h := newTestHub(t, "sqlite")
	s := h.srv
	s.presence.rememberChat(7) // a chat of the hub's (without an inbox, no other chat exists)
	witness := s.presence.join(2)
	if f, ok := witness.take(h.clock.Now()); !ok || !f.Full || len(f.Entries) != 0 {
		t.Fatalf("first frame %+v %v, want full and empty", f, ok)
	}
	sender := s.presence.join(1)
	for _, junk := range []string{
		`{`,
		`{"type":"presence","chatId":7,"state":"typing","text":"x"}`,
		`{"type":"presence","chatId":987654,"state":"typing"}`,
		`{"type":"presence","chatId":7,"state":"yelling"}`,
	} {
		s.presenceUpdate(sender, []byte(junk))
		if f, ok := witness.take(h.clock.Now()); ok {
			t.Fatalf("%s reached another socket as %+v", junk, f)
		}
	}
	s.presenceUpdate(sender, []byte(`{"type":"presence","chatId":7,"state":"typing"}`))
	if f, ok := witness.take(h.clock.Now()); !ok || len(f.Entries) != 1 || f.Entries[0].ChatID != 7 || f.Entries[0].ManagerID != 1 {
		t.Fatalf("a valid update after the junk: %+v %v", f, ok)
	}
}

// Desktops on the long-poll fallback: one polled socket per session, the whole picture on asking,
// nothing queued for them, and forgotten once unused for longer than any TTL.
func TestPolledPresence(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)}
	b := newPresenceBoard(clk.Now)
	live := b.join(1)
	live.take(clk.Now())
	polled := b.polledFor(10, 2)
	if again := b.polledFor(10, 2); again != polled {
		t.Fatal("a session got a second polled socket")
	}
	b.set(polled, 7, teamwire.PresenceTyping)
	if f, _ := live.take(clk.Now()); len(f.Entries) != 1 || f.Entries[0].ManagerID != 2 {
		t.Fatalf("the socket heard %+v of the polled desktop", f)
	}
	b.set(live, 7, teamwire.PresenceViewing)
	if len(polled.pending) != 0 {
		t.Fatalf("%d entries queued for a polled socket", len(polled.pending))
	}
	f := b.frameFor(polled)
	if !f.Full || len(f.Entries) != 1 || f.Entries[0].ManagerID != 1 || f.Entries[0].State != teamwire.PresenceViewing {
		t.Fatalf("the polled desktop's picture %+v", f)
	}
	clk.Advance(teamwire.PresenceViewingTTL + time.Second)
	b.polledFor(11, 3) // any use sweeps
	if _, ok := b.sockets[polled]; ok {
		t.Fatal("an unused polled socket was kept")
	}
}
