package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"switchboard/backend/demo"
	"switchboard/backend/engine"
	"switchboard/backend/hub"
	"switchboard/backend/hub/hubtest"
	"switchboard/backend/replica"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// withSyncOver gives a hubtest hub its sync API: an engine over the hub's own store, with a
// small demo workspace in it (chats to be present in).
func withSyncOver(t *testing.T) hubtest.Option {
	return func(c *hub.Config) {
		st := c.Events.(*store.Store)
		if err := demo.Generate(context.Background(), st, demo.Options{People: 3, Messages: 12, Seed: 1, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
		eng, err := engine.New(engine.Config{Store: st, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.Close() })
		c.Inbox, c.Composer = eng.Inbox, eng.Composer
	}
}

// One app (a replica of a real hub, its window recorded) and one headless replica: the app's
// window hears the other manager's typing as "presence:changed", Workspace.Presence has it, the
// app's own viewing reaches the other desktop, and the other's app dying clears the app's line.
func TestPresenceReachesTheAppsWindow(t *testing.T) {
	h := hubtest.Start(t, false, withSyncOver(t))
	h.AddAccount("Alice", "alice@example.com", store.RoleManager, "alice password 1")
	bobAcc := h.AddAccount("Bob", "bob@example.com", store.RoleManager, "bob password 12")
	desk := func(email, password string) engine.Config {
		st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return engine.Config{Store: st, Logger: slog.New(slog.DiscardHandler),
			Replica: &replica.Config{HubURL: h.URL(), Email: email, Password: password}}
	}
	a := testApp(t, desk("alice@example.com", "alice password 1"))
	w := &recWindow{}
	a.win = w
	bcfg := desk("bob@example.com", "bob password 12")
	bcfg.MinBackoff, bcfg.MaxBackoff = 20*time.Millisecond, 50*time.Millisecond
	bob, err := engine.New(bcfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Cleanup(func() { bob.Close() })
	for _, e := range []*engine.Engine{a.eng, bob} {
		if err := e.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(e.Stop)
	}
	chats, _, err := h.Store.SnapshotPage(ctx, 0, 100, 1)
	if err != nil || len(chats.Chats) == 0 {
		t.Fatalf("the hub's chats: %v", err)
	}
	chat := chats.Chats[0].ID
	deadline := time.Now().Add(10 * time.Second)
	for a.eng.Replica().Status().State != replica.StateOnline || bob.Replica().Status().State != replica.StateOnline {
		if time.Now().After(deadline) {
			t.Fatal("the desks did not come online")
		}
		time.Sleep(20 * time.Millisecond)
	}

	if err := bob.Replica().SetPresence(chat, teamwire.PresenceTyping); err != nil {
		t.Fatal(err)
	}
	bobTyping := []replica.Presence{{ChatID: chat, ManagerID: bobAcc.ManagerID, State: teamwire.PresenceTyping}}
	w.waitFor(t, func(e recEvent) bool {
		return e.name == EventPresence && reflect.DeepEqual(e.data, bobTyping)
	})
	if got := a.Workspace.Presence(); !reflect.DeepEqual(got, bobTyping) {
		t.Fatalf("Workspace.Presence: %+v", got)
	}

	a.Workspace.SetPresence(chat, "viewing")
	a.Workspace.SetPresence(chat, "shouting") // logged, never answered: a hint
	for deadline := time.Now().Add(3 * time.Second); ; {
		ps := bob.Replica().Presence()
		if len(ps) == 1 && ps[0].State == teamwire.PresenceViewing && ps[0].ChatID == chat {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Bob sees %+v, not Alice viewing", ps)
		}
		time.Sleep(20 * time.Millisecond)
	}

	bob.Stop()
	w.waitFor(t, func(e recEvent) bool {
		ps, ok := e.data.([]replica.Presence)
		return e.name == EventPresence && ok && len(ps) == 0
	})
}

// In solo mode nobody else is there, and this desktop's presence goes nowhere.
func TestPresenceInSoloMode(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := testApp(t, engine.Config{Store: st})
	a.Workspace.SetPresence(1, "typing")
	if ps := a.Workspace.Presence(); ps == nil || len(ps) != 0 {
		t.Fatalf("solo presence %#v, want an empty list (JSON [])", ps)
	}
}
