package app

import (
	"log/slog"

	"switchboard/backend/replica"
)

// Presence bindings: who else types, records or views which chat (team mode), and this
// desktop's own, which the UI reports as the manager types. Presence is never stored; in solo
// mode nobody else is there and the UI words "You are typing…" by itself.

// EventPresence carries the other managers' presence ([]replica.Presence, every chat) on every
// change (team mode only).
const EventPresence = "presence:changed"

// Presence is the other managers' presence now, in every chat; empty in solo mode.
func (a *Workspace) Presence() []replica.Presence {
	if r := a.eng.Replica(); r != nil {
		return r.Presence()
	}
	return []replica.Presence{}
}

// SetPresence says what this desktop's manager does in chatID: "typing", "recording", "viewing"
// or "idle". The UI calls it on every change and again while it lasts (teamwire's refresh
// periods). Nothing happens in solo mode. A hint that nobody waits for: an unknown state is
// logged, not answered.
func (a *Workspace) SetPresence(chatID int64, state string) {
	r := a.eng.Replica()
	if r == nil {
		return
	}
	if err := r.SetPresence(chatID, state); err != nil {
		slog.Warn("presence: refused", "err", err)
	}
}
