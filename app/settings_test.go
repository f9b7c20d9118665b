package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/demo"
	"switchboard/backend/engine"
	"switchboard/backend/notify"
	"switchboard/backend/store"
)

// emitWindow records emitted events; the rest of the window is inert.
type emitWindow struct {
	noWindow
	mu     sync.Mutex
	events []recEmit
}

type recEmit struct {
	name string
	data any
}

func (w *emitWindow) Emit(name string, data any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, recEmit{name, data})
}

// newSettingsApp is an App over a real SQLite file with a small demo workspace (which has a
// Telegram channel id 1 and a VK channel id 2).
func newSettingsApp(t *testing.T) (*App, *emitWindow) {
	t.Helper()
	return settingsAppWith(t, engine.Config{})
}

// settingsAppWith is newSettingsApp composed with cfg (a fake VK API).
func settingsAppWith(t *testing.T, cfg engine.Config) (*App, *emitWindow) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Generate(context.Background(), st, demo.Options{People: 40, Messages: 400, Seed: 7, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	a := testApp(t, cfg)
	w := &emitWindow{}
	a.win = w
	return a, w
}

// uiCode is what the UI receives for err: the code from the Wails ErrorFormatter.
func uiCode(t *testing.T, err error) UIError {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	return uiError(err)
}

func TestCheckTelegramTokenAgainstBotAPI(t *testing.T) {
	a, _ := newSettingsApp(t)
	tg := fakeapi.NewTelegram(t)
	tg.SetBot(4242, "Sales <b>Bot</b>", "sales_bot")

	info, err := a.CheckTelegramToken("  "+tg.Token()+"\n", tg.URL()+"/")
	if err != nil {
		t.Fatal(err)
	}
	if info.ExternalID != "4242" || info.Name != "Sales <b>Bot</b>" || info.Username != "sales_bot" || info.Webhook {
		t.Fatalf("bot info %+v", info)
	}
	if calls := tg.CallsTo("getMe"); len(calls) != 1 {
		t.Fatalf("getMe calls: %d", len(calls))
	}

	// A wrong token: the Bot API's 401 becomes "token_rejected", and the token is nowhere in
	// what reaches the UI.
	bad := "999:not-the-right-token"
	_, err = a.CheckTelegramToken(bad, tg.URL())
	ue := uiCode(t, err)
	if ue.Code != "token_rejected" || !errors.Is(err, channel.ErrUnauthorized) {
		t.Fatalf("bad token: %+v", ue)
	}
	if strings.Contains(ue.Message, bad) {
		t.Fatalf("the token leaked into the error: %q", ue.Message)
	}
	chans, _ := a.inbox.Store.Channels(context.Background())
	for _, ch := range chans {
		if ch.ExternalID == "4242" {
			t.Fatal("a check stored a channel")
		}
	}
}

func TestCheckTelegramTokenUnreachableServer(t *testing.T) {
	a, _ := newSettingsApp(t)
	// A port that was just free: nothing listens, the connection is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	token := "123:secret-token-value"
	_, err = a.CheckTelegramToken(token, "http://"+addr)
	ue := uiCode(t, err)
	if ue.Code != "unreachable" {
		t.Fatalf("unreachable server: %+v", ue)
	}
	if strings.Contains(ue.Message, token) || strings.Contains(ue.Message, "secret-token") {
		t.Fatalf("the token leaked into the error: %q", ue.Message)
	}
}

func TestCheckTelegramTokenRejectsBadInput(t *testing.T) {
	a, _ := newSettingsApp(t)
	for _, c := range []struct{ token, url, code string }{
		{"", "", "no_token"},
		{"   ", "", "no_token"},
		{"123:abc", "ftp://example.com", "bad_api_url"},
		{"123:abc", "javascript:alert(1)", "bad_api_url"},
		{"123:abc/../../other", "", "token_rejected"},
		{"123:abc?x=1", "", "token_rejected"},
	} {
		_, err := a.CheckTelegramToken(c.token, c.url)
		if got := uiCode(t, err).Code; got != c.code {
			t.Errorf("CheckTelegramToken(%q, %q): code %q, want %q", c.token, c.url, got, c.code)
		}
	}
}

func TestWebhookFoundAndDeletedBeforeConnecting(t *testing.T) {
	a, _ := newSettingsApp(t)
	tg := fakeapi.NewTelegram(t)
	tg.SetWebhook("https://example.com/hook")
	info, err := a.CheckTelegramToken(tg.Token(), tg.URL())
	if err != nil {
		t.Fatal(err)
	}
	if !info.Webhook {
		t.Fatal("the webhook was not reported")
	}
	if err := a.DeleteTelegramWebhook(tg.Token(), tg.URL()); err != nil {
		t.Fatal(err)
	}
	if tg.Webhook() != "" {
		t.Fatalf("webhook still set: %q", tg.Webhook())
	}
	if info, err = a.CheckTelegramToken(tg.Token(), tg.URL()); err != nil || info.Webhook {
		t.Fatalf("after delete: %+v %v", info, err)
	}
	if err := a.DeleteTelegramWebhook("1:wrong", tg.URL()); uiCode(t, err).Code != "token_rejected" {
		t.Fatalf("delete with a wrong token: %v", err)
	}
}

func TestLeadLinks(t *testing.T) {
	a, _ := newSettingsApp(t)
	ctx := context.Background()
	tgCh, err := a.inbox.Store.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Sales", ExternalID: "555", Username: "sales_bot"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	vkCh, err := a.inbox.Store.AddChannel(ctx, core.Channel{Kind: core.VK, Name: "Shop", ExternalID: "777"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	gen, err := a.AddLeadLink(core.LeadLink{ChannelID: tgCh.ID, Plan: " Spring sale ", Source: "Instagram"})
	if err != nil {
		t.Fatal(err)
	}
	if !core.ValidDeepLinkPayload(gen.Link.Code) || gen.Link.Plan != "Spring sale" {
		t.Fatalf("generated link %+v", gen.Link)
	}
	if gen.URL != "https://t.me/sales_bot?start="+gen.Link.Code {
		t.Fatalf("telegram deep link %q", gen.URL)
	}
	named, err := a.AddLeadLink(core.LeadLink{ChannelID: vkCh.ID, Code: "promo_1", Tool: "Quiz"})
	if err != nil {
		t.Fatal(err)
	}
	if named.URL != "https://vk.me/club777?ref=promo_1" {
		t.Fatalf("vk deep link %q", named.URL)
	}

	if _, err := a.AddLeadLink(core.LeadLink{ChannelID: vkCh.ID, Code: "promo_1", Tool: "Again"}); uiCode(t, err).Code != "duplicate" {
		t.Fatalf("duplicate code: %v", err)
	}
	if _, err := a.AddLeadLink(core.LeadLink{ChannelID: tgCh.ID, Code: "bad code", Plan: "x"}); uiCode(t, err).Code != "lead_link_code" {
		t.Fatalf("bad code: %v", err)
	}
	if _, err := a.AddLeadLink(core.LeadLink{ChannelID: tgCh.ID, Plan: "  "}); uiCode(t, err).Code != "lead_link_empty" {
		t.Fatalf("no names: %v", err)
	}
	if _, err := a.AddLeadLink(core.LeadLink{ChannelID: 99999, Plan: "x"}); uiCode(t, err).Code != "not_found" {
		t.Fatalf("unknown channel: %v", err)
	}

	list, err := a.LeadLinks(tgCh.ID)
	if err != nil || len(list) != 1 || list[0].URL != gen.URL {
		t.Fatalf("list: %+v %v", list, err)
	}
	if err := a.DeleteLeadLink(gen.Link.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ = a.LeadLinks(tgCh.ID); len(list) != 0 {
		t.Fatalf("after delete: %+v", list)
	}
	if err := a.DeleteLeadLink(gen.Link.ID); uiCode(t, err).Code != "not_found" {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestChannelNotifySwitch(t *testing.T) {
	a, _ := newSettingsApp(t)
	ctx := context.Background()
	// The demo's channels are not connected (disabled); a freshly added one is.
	live, err := a.inbox.Store.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Live", ExternalID: "31", Username: "live_bot"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	views, err := a.SettingsChannels()
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 3 {
		t.Fatalf("channels: %+v", views)
	}
	for _, v := range views {
		if !v.Notify {
			t.Fatalf("notifications start on: %+v", v)
		}
		switch v.Channel.ID {
		case live.ID:
			// No poller has reported yet: the engine is not running in this test.
			if v.Status != nil || v.Link != "https://t.me/live_bot" {
				t.Fatalf("live channel: %+v", v)
			}
		default:
			if v.Channel.Enabled || v.Status != nil {
				t.Fatalf("a disconnected channel shows a poller status: %+v", v)
			}
		}
	}

	// A chat on each channel: the switch silences one channel only.
	page, err := a.ListPeople(core.ListQuery{Tab: core.TabAll, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	chatOn := map[int64]int64{}
	for _, r := range page.Rows {
		c, err := a.inbox.Store.Chat(ctx, r.ChatID)
		if err != nil {
			t.Fatal(err)
		}
		chatOn[c.ChannelID] = c.ID
	}
	if chatOn[demo.TelegramID] == 0 || chatOn[demo.VKID] == 0 {
		t.Fatalf("demo chats by channel: %v", chatOn)
	}
	if err := a.SetChannelNotify(demo.VKID, false); err != nil {
		t.Fatal(err)
	}
	if a.inbox.ChannelNotifies(ctx, chatOn[demo.VKID]) || !a.inbox.ChannelNotifies(ctx, chatOn[demo.TelegramID]) {
		t.Fatal("the per-channel switch did not apply to its channel only")
	}
	views, _ = a.SettingsChannels()
	for _, v := range views {
		if want := v.Channel.ID != demo.VKID; v.Notify != want {
			t.Fatalf("view %d notify=%v", v.Channel.ID, v.Notify)
		}
	}
	if err := a.SetChannelNotify(demo.VKID, true); err != nil {
		t.Fatal(err)
	}
	if !a.inbox.ChannelNotifies(ctx, chatOn[demo.VKID]) {
		t.Fatal("switching back on did not apply")
	}
}

func TestChannelStatusReachesTheUI(t *testing.T) {
	a, w := newSettingsApp(t)
	st := core.ChannelStatus{ChannelID: 3, State: core.StateOffline, RetryIn: 8, LastError: "dial tcp: connection refused", At: 1}
	a.publishChannelStatus(st)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.events) != 1 || w.events[0].name != "channel:status" || w.events[0].data != st {
		t.Fatalf("events %+v", w.events)
	}
}

func TestMarkAllRead(t *testing.T) {
	a, _ := newSettingsApp(t)
	before, err := a.TabCounts(core.ListQuery{})
	if err != nil || before.Unread == 0 {
		t.Fatalf("demo has no unread chats: %+v %v", before, err)
	}
	n, err := a.MarkAllRead()
	if err != nil {
		t.Fatal(err)
	}
	if n < before.Unread {
		t.Fatalf("marked %d chats, %d people had unread", n, before.Unread)
	}
	after, _ := a.TabCounts(core.ListQuery{})
	if after.Unread != 0 {
		t.Fatalf("unread after read-all: %d", after.Unread)
	}
	if n, err = a.MarkAllRead(); err != nil || n != 0 {
		t.Fatalf("second read-all: %d %v", n, err)
	}
}

func TestKeyringStatus(t *testing.T) {
	a, _ := newSettingsApp(t)
	keyring.MockInit()
	if s := a.KeyringStatus(); s != "" {
		t.Fatalf("working keyring reported %q", s)
	}
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	// A code the UI words (how to get a keyring), not the system's English.
	if s := a.KeyringStatus(); s != "no_keyring" {
		t.Fatalf("no-keyring status %q", s)
	}
	keyring.MockInit()
}

func TestDesktopPreferencesPersist(t *testing.T) {
	a, _ := newSettingsApp(t)
	if err := a.SetNotificationsMuted(true); err != nil {
		t.Fatal(err)
	}
	if err := a.SetCloseToTray(false); err != nil {
		t.Fatal(err)
	}
	if d := a.DesktopSettings(); !d.Muted || d.CloseToTray {
		t.Fatalf("desktop settings %+v", d)
	}
	// A restart reads them back.
	b := testApp(t, engine.Config{Store: a.inbox.Store})
	b.loadDesktopSettings(context.Background())
	if d := b.DesktopSettings(); !d.Muted || d.CloseToTray {
		t.Fatalf("after restart %+v", d)
	}
}

func TestPerChannelSwitchSilencesItsMessages(t *testing.T) {
	a, _ := newSettingsApp(t)
	ctx := context.Background()
	a.notifier = notify.New(&recDesktop{}, func(notify.Item) {})
	a.SetFocused(false)

	// One client message per demo channel.
	events := map[int64]core.Event{}
	page, err := a.ListPeople(core.ListQuery{Tab: core.TabAll, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		c, err := a.inbox.Store.Chat(ctx, r.ChatID)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := events[c.ChannelID]; ok {
			continue
		}
		h, err := a.History(core.HistoryQuery{ChatID: c.ID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Messages {
			if m.Kind == core.KindMessage && m.Sender == core.SenderClient {
				events[c.ChannelID] = core.Event{Kind: core.EventMessageNew, ChatID: c.ID, PersonID: c.PersonID, MessageID: m.ID}
				break
			}
		}
	}
	if len(events) < 2 {
		t.Fatalf("need a client message on each demo channel: %v", events)
	}
	if err := a.SetChannelNotify(demo.VKID, false); err != nil {
		t.Fatal(err)
	}
	a.notifyEvents(ctx, []core.Event{events[demo.VKID]})
	if n := len(a.notifier.Items()); n != 0 {
		t.Fatalf("a silenced channel notified: %+v", a.notifier.Items())
	}
	a.notifyEvents(ctx, []core.Event{events[demo.TelegramID]})
	if items := a.notifier.Items(); len(items) != 1 || items[0].ChatID != events[demo.TelegramID].ChatID {
		t.Fatalf("the other channel must still notify: %+v", items)
	}
}

func TestCheckVKTokenAgainstVKAPI(t *testing.T) {
	fake := fakeapi.NewVK(t)
	a, _ := settingsAppWith(t, engine.Config{VKAPI: fake.URL()})
	gid := strconv.FormatInt(fake.GroupID(), 10)

	info, err := a.CheckVKToken(" "+fake.Token()+" ", "club"+gid)
	if err != nil {
		t.Fatal(err)
	}
	if info.ExternalID != gid || info.Name == "" {
		t.Fatalf("community %+v", info)
	}
	bad := "vk1.a.wrong-community-token"
	_, err = a.CheckVKToken(bad, gid)
	ue := uiCode(t, err)
	if ue.Code != "token_rejected" || strings.Contains(ue.Message, bad) {
		t.Fatalf("bad VK token: %+v", ue)
	}
}

// A burst of client messages becomes one summary notification, worded in the manager's language
// (the desktop shows it outside the webview, so the words are Go's).
func TestABurstIsSummarisedInTheManagersLanguage(t *testing.T) {
	a, _ := newSettingsApp(t)
	ctx := context.Background()
	a.notifier = notify.New(&recDesktop{}, func(notify.Item) {})
	a.SetFocused(false)
	if err := a.SetSetting("locale", "ru"); err != nil {
		t.Fatal(err)
	}
	page, err := a.ListPeople(core.ListQuery{Tab: core.TabAll, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var events []core.Event
	for _, r := range page.Rows {
		h, err := a.History(core.HistoryQuery{ChatID: r.ChatID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Messages {
			if m.Kind == core.KindMessage && m.Sender == core.SenderClient && len(events) < maxSingleNotifications+2 {
				events = append(events, core.Event{Kind: core.EventMessageNew, ChatID: r.ChatID, PersonID: r.PersonID, MessageID: m.ID})
			}
		}
	}
	if len(events) != maxSingleNotifications+2 {
		t.Fatalf("demo client messages: %d", len(events))
	}
	a.notifyEvents(ctx, events)
	items := a.notifier.Items()
	if len(items) != 1 || items[0].Body != fmt.Sprintf("Новых сообщений: %d", len(events)) {
		t.Fatalf("summary: %+v", items)
	}
}
