package replica_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// channelOn reads channel id as store st holds it (ok=false if it does not).
func channelOn(t *testing.T, st *store.Store, id int64) (core.Channel, bool) {
	t.Helper()
	for _, c := range everything(t, st).Channels {
		if c.ID == id {
			return c, true
		}
	}
	return core.Channel{}, false
}

// holdsSecret says whether any file of a store's directory (the database, its WAL) holds s.
func holdsSecret(t *testing.T, st *store.Store, s string) bool {
	t.Helper()
	dir := filepath.Dir(st.Path())
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return true
		}
	}
	return false
}

// An admin connects a bot from her desktop: the token goes to the hub once and lives only in
// the hub's secret store; the hub polls the bot, and its clients reach every desktop. A manager
// cannot; removing it stops it at the hub.
func TestChannelsAreConnectedAtTheHub(t *testing.T) {
	h, a, b, _ := startTeam(t)
	ctx := context.Background()
	second := fakeapi.NewTelegram(t)
	second.SetBot(900200, "Second Shop", "second_shop_bot")

	if _, err := b.eng.Inbox.AddTelegramChannel(ctx, second.Token(), second.URL()); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager connects a bot: %q %v", inbox.ErrorCode(err), err)
	}
	bob := signIn(t, h, "Bob")
	if st, body := bob.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "bob-api-client:9"},
		fmt.Sprintf(`{"kind":"channel_add","channelKind":"telegram","token":%q,"apiUrl":%q}`, second.Token(), second.URL())); st != 403 || !jsonHasCode(body, "forbidden") {
		t.Fatalf("a manager's channel_add through the API: %d %s", st, body)
	}

	// The add dialog's check runs on the desktop itself (the replica runs no channels).
	info, err := a.eng.Inbox.CheckTelegramToken(ctx, second.Token(), second.URL())
	if err != nil || info.Username != "second_shop_bot" {
		t.Fatalf("checking a token on a replica: %+v %v", info, err)
	}
	if err := a.eng.Inbox.SecretsAvailable(); err != nil {
		t.Fatalf("a replica blocks adding channels: %v", err)
	}
	ch, err := a.eng.Inbox.AddTelegramChannel(ctx, second.Token(), second.URL())
	if err != nil || ch.ID <= 0 || ch.Username != "second_shop_bot" || ch.APIURL != "" {
		t.Fatalf("the admin connects a bot: %+v %v", ch, err)
	}
	if tok, err := (secrets.Keyring{}).Get(ch.ID); err != nil || tok != second.Token() {
		t.Fatalf("the hub's secret store: %q %v", tok, err)
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the new channel on "+x.who, 10*time.Second, func() bool {
			c, ok := channelOn(t, x.st, ch.ID)
			return ok && c.Enabled && c.Username == "second_shop_bot"
		})
	}
	second.PushText(3003, "Mira", "through the second bot")
	for _, x := range []*desk{a, b} {
		waitFor(t, "the second bot's client on "+x.who, 10*time.Second, func() bool {
			return len(withText(everything(t, x.st), "through the second bot")) == 1
		})
	}
	for name, st := range map[string]*store.Store{"the hub": h.st, "Alice's desktop": a.st, "Bob's desktop": b.st} {
		if !holdsSecret(t, st, "second_shop_bot") || holdsSecret(t, st, second.Token()) {
			t.Fatalf("the bot's token is in %s's data files (or they were not read: its name is not there)", name)
		}
	}

	// Removed at the hub: its chat keeps its history, so the channel stays, switched off, on
	// every desktop; the hub forgets the token.
	if err := b.eng.Inbox.RemoveChannel(ctx, ch.ID); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager removes a bot: %q %v", inbox.ErrorCode(err), err)
	}
	if err := a.eng.Inbox.RemoveChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*desk{a, b} {
		waitFor(t, "the channel switched off on "+x.who, 10*time.Second, func() bool {
			c, ok := channelOn(t, x.st, ch.ID)
			return ok && !c.Enabled
		})
	}
	if _, err := (secrets.Keyring{}).Get(ch.ID); err == nil {
		t.Fatal("the hub kept the removed bot's token")
	}

	// A bot without chats is removed from every desktop outright.
	third := fakeapi.NewTelegram(t)
	third.SetBot(900300, "Third", "third_bot")
	ch3, err := a.eng.Inbox.AddTelegramChannel(ctx, third.Token(), third.URL())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the third bot on Bob's desktop", 10*time.Second, func() bool { _, ok := channelOn(t, b.st, ch3.ID); return ok })
	if err := a.eng.Inbox.RemoveChannel(ctx, ch3.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the third bot gone from Bob's desktop", 10*time.Second, func() bool { _, ok := channelOn(t, b.st, ch3.ID); return !ok })
}

// A token never crosses the network in the clear: a desktop following a hub over plain http://
// on another machine refuses to send one.
func TestATokenGoesOnlyToASecureHub(t *testing.T) {
	h := startHub(t)
	d := openDesk(t, h, "Alice")
	d.h = &teamHub{url: "http://192.0.2.10:8080"} // another machine, plain HTTP (never dialled)
	d.build(t)
	_, err := d.eng.Inbox.AddTelegramChannel(context.Background(), h.fake.Token(), "")
	if inbox.ErrorCode(err) != "hub_insecure_url" {
		t.Fatalf("a token for a plain-HTTP hub elsewhere: %q %v", inbox.ErrorCode(err), err)
	}
}
