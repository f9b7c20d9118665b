package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"switchboard/backend/engine"
	"switchboard/backend/hub/hubtest"
	"switchboard/backend/replica"
	"switchboard/backend/store"
)

// teamStatusEvents are the "team:status" payloads the window heard, in order.
func teamStatusEvents(w *recWindow) []TeamStatus {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []TeamStatus
	for _, e := range w.events {
		if e.name == EventTeamStatus {
			out = append(out, e.data.(TeamStatus))
		}
	}
	return out
}

// The window of a replica's app hears "team:status" whenever what Team.TeamStatus returns
// changes: the replica connecting and coming online, and its session ended at the hub (the
// account disabled). Each event differs from the one before, and a read of Team.TeamStatus
// answers what the last one said: Settings can take the events instead of reading again.
func TestTeamStatusEventFollowsTheReplica(t *testing.T) {
	h := hubtest.Start(t, false, withSyncOver(t))
	alice := h.AddAccount("Alice", "alice@example.com", store.RoleManager, "alice password 1")
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := testApp(t, engine.Config{Store: st, Logger: slog.New(slog.DiscardHandler),
		Replica: &replica.Config{HubURL: h.URL(), Email: "alice@example.com", Password: "alice password 1",
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}})
	w := &recWindow{}
	a.win = w
	ctx := context.Background()
	if err := a.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.eng.Stop)
	stateHeard := func(state string) recEvent {
		return w.waitFor(t, func(e recEvent) bool {
			ts, ok := e.data.(TeamStatus)
			return e.name == EventTeamStatus && ok && ts.Replica != nil && ts.Replica.State == state
		})
	}
	stateHeard(replica.StateOnline)

	if _, err := h.Accounts.SetDisabled(ctx, alice.ManagerID, true, time.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	stateHeard(replica.StateSignedOut)
	// The replica's status is the engine's, whose retries go on: wait for them to settle
	// before comparing the last event with a read.
	time.Sleep(200 * time.Millisecond)
	heard := teamStatusEvents(w)
	for i := 1; i < len(heard); i++ {
		if reflect.DeepEqual(heard[i], heard[i-1]) {
			t.Fatalf("event %d repeats the one before: %+v", i, heard[i])
		}
	}
	read, err := a.TeamStatus()
	if err != nil {
		t.Fatal(err)
	}
	if last := heard[len(heard)-1]; !reflect.DeepEqual(read, last) {
		t.Fatalf("Team.TeamStatus answers %+v, the last team:status said %+v", read, last)
	}
	if again := teamStatusEvents(w); len(again) != len(heard) {
		t.Fatalf("a read that changed nothing was sent again: %+v", again[len(heard):])
	}
	if *read.Replica != a.eng.Replica().Status() {
		t.Fatalf("the status's replica %+v is not the engine's %+v", *read.Replica, a.eng.Replica().Status())
	}
}
