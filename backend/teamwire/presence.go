package teamwire

import (
	"bytes"
	"time"
)

// Presence: who is typing, recording a voice note or viewing which chat. It rides the feed
// socket both ways and is never stored nor put in the event log: a desktop that asked for it
// (PathFeed with presence=1) sends PresenceUpdate text messages on the socket, and the hub sends
// PresenceFrame messages between its feed messages. Each socket has at most one presence (a
// desktop has one chat open, and types in the chat it has open); a socket that closes takes its
// presence with it at once.

// Presence states.
const (
	PresenceTyping    = "typing"
	PresenceRecording = "recording" // a voice note
	PresenceViewing   = "viewing"   // the chat is open
	PresenceIdle      = "idle"      // none of the above: the presence is gone
)

// How long a presence lives at the hub and on the desktops that hear of it unless refreshed.
// A desktop refreshes typing every PresenceRefreshActive and viewing every PresenceRefreshViewing,
// so a refresh or two can be lost before the presence lapses; a typist who stops sends viewing
// (or idle), and one whose app dies is gone when its socket closes.
const (
	PresenceActiveTTL      = 6 * time.Second  // typing, recording
	PresenceViewingTTL     = 30 * time.Second // viewing
	PresenceRefreshActive  = 2 * time.Second
	PresenceRefreshViewing = 10 * time.Second
	// MaxPresenceUpdate is the largest update a hub reads; an update is a few dozen bytes.
	MaxPresenceUpdate = 256
)

// PresenceTTL is how long a presence in state lives without a refresh (0 for idle and unknown states).
func PresenceTTL(state string) time.Duration {
	switch state {
	case PresenceTyping, PresenceRecording:
		return PresenceActiveTTL
	case PresenceViewing:
		return PresenceViewingTTL
	}
	return 0
}

// FeedPresence is the type of presence messages, both ways.
const FeedPresence = "presence"

// PresenceUpdate is a desktop's own presence, sent on its feed socket: the chat and what the
// manager does there. Idle (or chat 0) clears it.
type PresenceUpdate struct {
	Type   string `json:"type"` // "presence"
	ChatID int64  `json:"chatId"`
	State  string `json:"state"`
}

// PresenceFrame is what the hub sends of other sockets' presence. Full replaces everything the
// desktop knew (the first frame after connecting); otherwise each entry replaces that socket's
// presence, and an idle entry removes it.
type PresenceFrame struct {
	Type    string          `json:"type"` // "presence"
	Full    bool            `json:"full,omitempty"`
	Entries []PresenceEntry `json:"entries"`
}

// PresenceEntry is one socket's presence. Conn names the socket at the hub (a manager may have
// several desktops open); TTLMillis is how long it lives from when the desktop reads it.
type PresenceEntry struct {
	Conn      int64  `json:"conn"`
	ManagerID int64  `json:"managerId"`
	ChatID    int64  `json:"chatId"`
	State     string `json:"state"`
	TTLMillis int64  `json:"ttlMs"`
}

// MaxPresenceEntries bounds a frame a desktop accepts (far more sockets than a hub serves).
const MaxPresenceEntries = 100_000

func knownPresenceState(s string) bool {
	switch s {
	case PresenceTyping, PresenceRecording, PresenceViewing, PresenceIdle:
		return true
	}
	return false
}

// ParsePresenceUpdate reads and checks what a desktop sent on its socket.
func ParsePresenceUpdate(b []byte) (PresenceUpdate, error) {
	if len(b) > MaxPresenceUpdate {
		return PresenceUpdate{}, refuse("too_large")
	}
	var u PresenceUpdate
	if err := decodeStrict(b, &u); err != nil {
		return PresenceUpdate{}, err
	}
	if u.Type != FeedPresence {
		return PresenceUpdate{}, refuse("unknown_type")
	}
	if !knownPresenceState(u.State) {
		return PresenceUpdate{}, refuse("invalid_state")
	}
	if u.ChatID < 0 || (u.ChatID == 0 && u.State != PresenceIdle) {
		return PresenceUpdate{}, refuse("missing_chat")
	}
	if u.State == PresenceIdle {
		u.ChatID = 0
	}
	return u, nil
}

// presencePrefix starts every presence frame the hub writes (Type is the struct's first field),
// so a replica tells one from a feed message without decoding the feed message twice.
var presencePrefix = []byte(`{"type":"presence"`)

// IsPresenceFrame says whether a message read from the feed socket is a presence frame.
func IsPresenceFrame(b []byte) bool { return bytes.HasPrefix(b, presencePrefix) }

// ParsePresenceFrame reads and checks a presence frame.
func ParsePresenceFrame(b []byte) (PresenceFrame, error) {
	var f PresenceFrame
	if err := decodeLenient(b, &f); err != nil {
		return PresenceFrame{}, err
	}
	if f.Type != FeedPresence {
		return PresenceFrame{}, refuse("unknown_type")
	}
	if len(f.Entries) > MaxPresenceEntries {
		return PresenceFrame{}, refuse("too_large")
	}
	for _, e := range f.Entries {
		if e.Conn <= 0 || e.ManagerID <= 0 || e.ChatID < 0 || e.TTLMillis < 0 || !knownPresenceState(e.State) ||
			(e.State != PresenceIdle && e.ChatID == 0) ||
			time.Duration(e.TTLMillis)*time.Millisecond > PresenceViewingTTL {
			return PresenceFrame{}, refuse("invalid_presence")
		}
	}
	return f, nil
}
