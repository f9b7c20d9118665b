package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
)

// withEngine runs a's engine (pollers + outbox) over a mock keyring, with statuses going to the
// UI through publishChannelStatus exactly as in the app.
func withEngine(t *testing.T, a *App) {
	t.Helper()
	keyring.MockInit()
	if err := a.eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.eng.Stop)
}

// statusEvent waits for a "channel:status" event of channel id in one of the states.
func statusEvent(t *testing.T, w *emitWindow, id int64, states ...core.ChannelState) core.ChannelStatus {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		for _, e := range w.events {
			if st, ok := e.data.(core.ChannelStatus); ok && e.name == EventChannelStatus && st.ChannelID == id {
				for _, s := range states {
					if st.State == s {
						w.mu.Unlock()
						return st
					}
				}
			}
		}
		w.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no channel:status %v for channel %d; got %+v", states, id, w.events)
	return core.ChannelStatus{}
}

func viewOf(t *testing.T, a *App, id int64) (inbox.ChannelView, bool) {
	t.Helper()
	views, err := a.SettingsChannels()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		if v.Channel.ID == id {
			return v, true
		}
	}
	return inbox.ChannelView{}, false
}

func TestConnectTelegramBotThroughSettings(t *testing.T) {
	a, w := newSettingsApp(t)
	withEngine(t, a)
	tg := fakeapi.NewTelegram(t)
	tg.SetBot(5150, "Support Bot", "support_bot")

	// A bad token: rejected, nothing stored, no token in the words.
	_, err := a.AddTelegramChannel("5150:bad-token-value", tg.URL())
	if ue := uiCode(t, err); ue.Code != "token_rejected" || strings.Contains(ue.Message, "bad-token-value") {
		t.Fatalf("bad token: %+v", ue)
	}

	// A webhook blocks polling: the add says so, the dialog removes it, the add succeeds.
	tg.SetWebhook("https://example.com/hook")
	if _, err = a.AddTelegramChannel(tg.Token(), tg.URL()); uiCode(t, err).Code != "webhook" {
		t.Fatalf("webhook: %v", err)
	}
	if err := a.DeleteTelegramWebhook(tg.Token(), tg.URL()); err != nil {
		t.Fatal(err)
	}
	ch, err := a.AddTelegramChannel(tg.Token(), tg.URL())
	if err != nil {
		t.Fatal(err)
	}
	if ch.Name != "Support Bot" || ch.Username != "support_bot" || ch.APIURL != tg.URL() || !ch.Enabled {
		t.Fatalf("channel %+v", ch)
	}
	if tok, err := (secrets.Keyring{}).Get(ch.ID); err != nil || tok != tg.Token() {
		t.Fatalf("token not in the keyring: %v", err)
	}

	// The poller's status reaches the UI live, and the Settings list shows it.
	statusEvent(t, w, ch.ID, core.StateConnected, core.StatePolling)
	v, ok := viewOf(t, a, ch.ID)
	if !ok || v.Status == nil || (v.Status.State != core.StateConnected && v.Status.State != core.StatePolling) || v.Link != "https://t.me/support_bot" {
		t.Fatalf("view %+v", v)
	}

	// Another program polling the same bot: a conflict, live.
	// (A client message ends the current long poll; the next getUpdates meets the conflict.)
	tg.Fail("getUpdates", 1, fakeapi.Failure{Kind: fakeapi.FailConflict})
	tg.PushText(777, "Client", "hello")
	st := statusEvent(t, w, ch.ID, core.StateConflict)
	if st.Webhook {
		t.Fatalf("a polling conflict reported as a webhook: %+v", st)
	}

	// The other program has stopped: "Try again" polls again.
	w.mu.Lock()
	w.events = nil
	w.mu.Unlock()
	if err := a.ReconnectChannel(ch.ID); err != nil {
		t.Fatal(err)
	}
	statusEvent(t, w, ch.ID, core.StateConnected, core.StatePolling)

	// Remove: polling stops, the token leaves the keyring, the channel leaves the list.
	if err := a.RemoveChannel(ch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := (secrets.Keyring{}).Get(ch.ID); !errors.Is(err, secrets.ErrNoToken) {
		t.Fatalf("token still in the keyring: %v", err)
	}
	if v, ok := viewOf(t, a, ch.ID); ok && v.Channel.Enabled {
		t.Fatalf("removed channel still connected: %+v", v)
	}
}

func TestConnectWithoutKeyringStoresNothing(t *testing.T) {
	a, _ := newSettingsApp(t)
	withEngine(t, a)
	tg := fakeapi.NewTelegram(t)
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	t.Cleanup(keyring.MockInit)
	before, _ := a.inbox.Store.Channels(context.Background())
	_, err := a.AddTelegramChannel(tg.Token(), tg.URL())
	if ue := uiCode(t, err); ue.Code != "no_keyring" {
		t.Fatalf("no keyring: %+v", ue)
	}
	after, _ := a.inbox.Store.Channels(context.Background())
	if len(after) != len(before) {
		t.Fatalf("a channel was stored without a keyring: %+v", after)
	}
}

func TestChannelBindingsBeforeTheEngineStarts(t *testing.T) {
	a, _ := newSettingsApp(t)
	live, err := a.inbox.Store.AddChannel(context.Background(), core.Channel{Kind: core.Telegram, Name: "Live", ExternalID: "9", Username: "live_bot"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	views, err := a.SettingsChannels()
	if err != nil || len(views) == 0 {
		t.Fatalf("the list must work before the engine runs: %v %v", views, err)
	}
	for _, v := range views {
		if v.Channel.ID == live.ID && (v.Status != nil || v.Link != "https://t.me/live_bot" || !v.Notify) {
			t.Fatalf("a channel no poller reported on yet: %+v", v)
		}
	}
	if _, err := a.AddVKChannel("tok", "durov"); uiCode(t, err).Code != "bad_group_id" {
		t.Fatalf("bad group id: %v", err)
	}
}

func TestStartEngineRunsUntilTheAppStops(t *testing.T) {
	a, w := newSettingsApp(t)
	keyring.MockInit()
	tg := fakeapi.NewTelegram(t)
	ctx, cancel := context.WithCancel(context.Background())
	a.startEngine(ctx)
	ch, err := a.AddTelegramChannel(tg.Token(), tg.URL())
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	statusEvent(t, w, ch.ID, core.StateConnected, core.StatePolling)
	cancel()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the engine did not stop with the app")
	}
}

// TestConnectWithTheRealKeyring connects a bot with the OS keyring itself (Secret Service), in a
// child test process so no MockInit of this package has replaced the keyring. It runs inside
// scripts/with-desktop.sh (make test-go), which provides an unlocked gnome-keyring.
func TestConnectWithTheRealKeyring(t *testing.T) {
	if !inRealKeyringChild(t) {
		return
	}
	a, w := newSettingsApp(t)
	tg := fakeapi.NewTelegram(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); a.wg.Wait() }()
	a.startEngine(ctx)
	ch, err := a.AddTelegramChannel(tg.Token(), tg.URL())
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := keyring.Get(secrets.Service, "channel-"+strconv.FormatInt(ch.ID, 10)); err != nil || tok != tg.Token() {
		t.Fatalf("token in the Secret Service: %v", err)
	}
	statusEvent(t, w, ch.ID, core.StateConnected, core.StatePolling)
	if err := a.RemoveChannel(ch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(secrets.Service, "channel-"+strconv.FormatInt(ch.ID, 10)); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("token left in the Secret Service: %v", err)
	}
}

func TestWebhookOnAConnectedBotIsRemovedFromSettings(t *testing.T) {
	a, w := newSettingsApp(t)
	withEngine(t, a)
	tg := fakeapi.NewTelegram(t)
	ch, err := a.AddTelegramChannel(tg.Token(), tg.URL())
	if err != nil {
		t.Fatal(err)
	}
	statusEvent(t, w, ch.ID, core.StateConnected, core.StatePolling)
	// Someone sets a webhook elsewhere; the next getUpdates is refused.
	tg.SetWebhook("https://example.com/other-program")
	tg.PushText(778, "Client", "hi")
	st := statusEvent(t, w, ch.ID, core.StateConflict)
	if !st.Webhook {
		t.Fatalf("webhook conflict without the webhook flag: %+v", st)
	}
	if v, _ := viewOf(t, a, ch.ID); v.Status == nil || !v.Status.Webhook {
		t.Fatalf("Settings does not show the webhook: %+v", v)
	}
	w.mu.Lock()
	w.events = nil
	w.mu.Unlock()
	if err := a.DeleteChannelWebhook(ch.ID); err != nil {
		t.Fatal(err)
	}
	if tg.Webhook() != "" {
		t.Fatalf("webhook still set: %q", tg.Webhook())
	}
	statusEvent(t, w, ch.ID, core.StateConnected, core.StatePolling)
}

// A connector's reason reaches the UI as its own code, with the server's status and words.
func TestConnectorReasonsBecomeTheirOwnCodes(t *testing.T) {
	for _, reason := range []string{channel.ReasonUnreachable, channel.ReasonTLS, channel.ReasonServerError, channel.ReasonNotBotAPI} {
		err := fmt.Errorf("telegram getMe: %w", &channel.APIError{Class: channel.ErrTemporary, Code: 500, Reason: reason, Description: "HTTP 500: boom"})
		got, ok := formatError(err).(UIError)
		if !ok || got.Code != reason || got.Message != "HTTP 500: boom" {
			t.Fatalf("%s: %+v", reason, got)
		}
	}
	if got := formatError(fmt.Errorf("x: %w", &channel.APIError{Class: channel.ErrTemporary})).(UIError); got.Code != "offline" {
		t.Fatalf("without a reason: %+v", got)
	}
}
