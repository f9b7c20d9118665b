package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"switchboard/backend/core"
)

// Event names the UI listens to, by topic.
const (
	EventStoreChanged  = "store:changed"
	EventChannelStatus = "channel:status"
	// EventReplicaStatus carries replica.Status on every change (team mode only).
	EventReplicaStatus = "replica:status"
	// EventTeamStatus carries TeamStatus (what Team.TeamStatus returns) whenever it changes:
	// signing in or leaving, an account CheckTeam brought (a new role), and every change of the
	// replica's status (connected, offline, the session ended, download progress).
	EventTeamStatus = "team:status"
)

// StoreChanged is the payload of "store:changed": what changed since the last one, so the UI
// refetches only the visible list page and the open chat when it is among ChatIDs.
type StoreChanged struct {
	Seq       int64    `json:"seq"`
	Kinds     []string `json:"kinds"`
	ChatIDs   []int64  `json:"chatIds"`
	PersonIDs []int64  `json:"personIds"`
}

// summarise folds a run of events into one payload, each id and kind once, in first-seen order.
func summarise(events []core.Event) StoreChanged {
	var sc StoreChanged
	kinds := map[string]bool{}
	chats := map[int64]bool{}
	people := map[int64]bool{}
	for _, e := range events {
		if e.Seq > sc.Seq {
			sc.Seq = e.Seq
		}
		if !kinds[e.Kind] {
			kinds[e.Kind] = true
			sc.Kinds = append(sc.Kinds, e.Kind)
		}
		if e.ChatID != 0 && !chats[e.ChatID] {
			chats[e.ChatID] = true
			sc.ChatIDs = append(sc.ChatIDs, e.ChatID)
		}
		if e.PersonID != 0 && !people[e.PersonID] {
			people[e.PersonID] = true
			sc.PersonIDs = append(sc.PersonIDs, e.PersonID)
		}
	}
	return sc
}

// bridgeEvents follows the store's event log after seq from and emits one "store:changed" per
// delivered run of events. Follow delivers whatever accumulated while the UI handled the last
// one, so a burst of ingestion becomes a few UI refreshes, not thousands.
func (a *App) bridgeEvents(ctx context.Context, from int64) {
	a.inbox.Follow(ctx, from, func(events []core.Event) {
		if len(events) == 0 {
			return
		}
		a.currentWindow().Emit(EventStoreChanged, summarise(events))
		a.notifyEvents(ctx, events)
		a.refreshUnread(ctx)
	})
}

// instanceID names the single-instance lock after the data directory, so two different data
// directories (a demo and a real workspace) may run side by side but never one directory twice.
func instanceID(dataDir string) string {
	sum := sha256.Sum256([]byte(dataDir))
	return hex.EncodeToString(sum[:8])
}
