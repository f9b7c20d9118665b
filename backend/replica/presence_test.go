package replica_test

import (
	"errors"
	"testing"
	"time"

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

// One hub, two replica engines on loopback: typing, recording and viewing go from one desktop
// to the other through the hub, expire after their TTL, and vanish at once with the socket.
func TestPresenceTravelsBetweenDesktops(t *testing.T) {
	h := startHub(t)
	a := openDesk(t, h, "Alice")
	b := openDesk(t, h, "Bob")
	a.start(t)
	b.start(t)

	h.fake.PushText(1001, "Ann", "hello")
	for _, d := range []*desk{a, b} {
		waitFor(t, d.who+" has the chat", 10*time.Second, func() bool { return len(withText(everything(t, d.st), "hello")) == 1 })
	}
	chat := withText(everything(t, a.st), "hello")[0].ChatID
	alice, bob := h.ids["Alice"], h.ids["Bob"]
	for _, d := range []*desk{a, b} {
		waitFor(t, d.who+" online", 10*time.Second, func() bool { return d.eng.Replica().Status().State == replica.StateOnline })
	}

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

	// A chat the hub does not have is refused there: Bob keeps seeing Alice viewing.
	if err := a.eng.Replica().SetPresence(chat+1000, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if !shows(b, chat, alice, teamwire.PresenceViewing) || len(b.eng.Replica().Presence()) != 1 {
		t.Fatalf("a made-up chat changed what Bob sees: %+v", b.eng.Replica().Presence())
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
