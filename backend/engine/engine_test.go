package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// engineEnv is the whole solo engine: real store, real Telegram client, fake Bot API server.
type engineEnv struct {
	svc      *inbox.Service
	st       *store.Store
	fake     *fakeapi.Telegram
	statuses chan core.ChannelStatus
}

func newEngineEnv(t *testing.T) *engineEnv {
	t.Helper()
	keyring.MockInit()
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env := &engineEnv{st: st, fake: fakeapi.NewTelegram(t), statuses: make(chan core.ChannelStatus, 256)}
	eng, err := engine.New(engine.Config{Store: st,
		OnStatus:   func(s core.ChannelStatus) { env.statuses <- s },
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Stop)
	env.svc = eng.Inbox
	return env
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	// Generous: under make test the race detector and the other packages' tests (PostgreSQL's
	// among them) share two cores; the condition is what is tested, not the time.
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAddTelegramChannelChecksTokenFirst(t *testing.T) {
	env := newEngineEnv(t)
	ctx := context.Background()
	_, err := env.svc.AddTelegramChannel(ctx, "123456:wrong-token", env.fake.URL())
	if !errors.Is(err, channel.ErrUnauthorized) {
		t.Fatalf("bad token: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-token") {
		t.Fatalf("token in error text: %v", err)
	}
	if chans, _ := env.st.Channels(ctx); len(chans) != 0 {
		t.Fatalf("a rejected token stored a channel: %+v", chans)
	}
	if _, err := env.svc.AddTelegramChannel(ctx, "  ", ""); !errors.Is(err, inbox.ErrNoToken) {
		t.Fatalf("empty token: %v", err)
	}

	// A webhook blocks polling: typed error, nothing stored; after DeleteWebhookForToken it works.
	env.fake.SetWebhook("https://example.com/hook")
	_, err = env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	var wh *inbox.WebhookError
	if !errors.As(err, &wh) || !errors.Is(err, channel.ErrWebhook) {
		t.Fatalf("webhook: %v", err)
	}
	if chans, _ := env.st.Channels(ctx); len(chans) != 0 {
		t.Fatal("a webhook-blocked bot was stored")
	}
	if err := env.svc.DeleteWebhookForToken(ctx, env.fake.Token(), env.fake.URL()); err != nil {
		t.Fatal(err)
	}
	if env.fake.Webhook() != "" {
		t.Fatal("webhook still set")
	}
	ch, err := env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	if ch.Username == "" || ch.ExternalID == "" {
		t.Fatalf("channel from getMe: %+v", ch)
	}
	if tok, err := (secrets.Keyring{}).Get(ch.ID); err != nil || tok != env.fake.Token() {
		t.Fatal("token not in the keyring under the channel id")
	}
	waitFor(t, "connected", func() bool {
		v, _ := env.svc.ChannelViews(ctx)
		return len(v) == 1 && v[0].Status != nil && v[0].Status.State == core.StateConnected
	})
	// The token is nowhere in the database files.
	for _, f := range []string{env.st.Path(), env.st.Path() + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if strings.Contains(string(b), env.fake.Token()) {
			t.Fatalf("token found in %s", f)
		}
	}

	// Lead links come back with their deep link.
	l, err := env.svc.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Plan: "Webinar", Source: "Ads", Tool: "Banner"})
	if err != nil {
		t.Fatal(err)
	}
	if l.URL != "https://t.me/"+ch.Username+"?start="+l.Link.Code {
		t.Fatalf("deep link %q", l.URL)
	}

	// Removing forgets the token and the row.
	if err := env.svc.RemoveChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := (secrets.Keyring{}).Get(ch.ID); !errors.Is(err, secrets.ErrNoToken) {
		t.Fatalf("token kept after removal: %v", err)
	}
}

func TestNoKeyringStoresNothing(t *testing.T) {
	env := newEngineEnv(t)
	ctx := context.Background()
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	defer keyring.MockInit()
	_, err := env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	if !errors.Is(err, secrets.ErrNoKeyring) {
		t.Fatalf("no keyring: %v", err)
	}
	if chans, _ := env.st.Channels(ctx); len(chans) != 0 {
		t.Fatal("channel stored without a keyring")
	}
}

func TestTelegramRoundTripThroughTheEngine(t *testing.T) {
	env := newEngineEnv(t)
	ctx := context.Background()
	ch, err := env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	link, err := env.svc.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Plan: "Spring sale", Source: "Instagram", Tool: "Story"})
	if err != nil {
		t.Fatal(err)
	}
	// A client arrives through the lead link and writes.
	env.fake.PushText(5001, "Anna", "/start "+link.Link.Code)
	env.fake.PushText(5001, "Anna", "Hello! <b>not bold</b>")
	var chat core.Chat
	waitFor(t, "ingested", func() bool {
		c, err := env.st.ChatByExternal(ctx, ch.ID, "5001")
		if err != nil {
			return false
		}
		chat = c
		page, _ := env.st.History(ctx, core.HistoryQuery{ChatID: c.ID})
		return len(page.Messages) == 3
	})
	page, _ := env.st.History(ctx, core.HistoryQuery{ChatID: chat.ID})
	if ind := page.Messages[0].Indicator; ind == nil || ind.Type != core.IndSubscription || ind.Tunnel != "Spring sale" || ind.Tool != "Story" {
		t.Fatalf("subscription indicator: %+v", page.Messages[0])
	}
	if page.Messages[2].Text != "Hello! <b>not bold</b>" {
		t.Fatalf("client text changed: %q", page.Messages[2].Text)
	}
	waitFor(t, "updates acknowledged", func() bool { return env.fake.Pending() == 0 })

	// The manager replies; the outbox delivers through sendMessage.
	m, err := env.svc.SendText(ctx, chat.ID, "  Hi Anna  ", page.Messages[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.Text != "Hi Anna" || m.Status != core.StatusQueued {
		t.Fatalf("queued: %+v", m)
	}
	waitFor(t, "sent", func() bool {
		got, _ := env.st.Message(ctx, m.ID)
		return got.Status == core.StatusSent
	})
	sent := env.fake.Messages(5001)
	if len(sent) != 1 || sent[0].Text != "Hi Anna" {
		t.Fatalf("fake got %+v", sent)
	}
	calls := env.fake.CallsTo("sendMessage")
	if !strings.Contains(calls[0].Params["reply_parameters"]+calls[0].Params["reply_to_message_id"], "2") {
		t.Fatalf("reply not passed: %+v", calls[0].Params)
	}

	// Edit then delete go out too.
	if _, err := env.svc.EditMessage(ctx, m.ID, "Hi Anna!"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "edited upstream", func() bool {
		s := env.fake.Messages(5001)
		return len(s) == 1 && s[0].Text == "Hi Anna!"
	})
	if _, err := env.svc.DeleteMessage(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "deleted upstream", func() bool {
		s := env.fake.Messages(5001)
		return len(s) == 1 && s[0].Deleted
	})

	// The client blocks the bot: the send fails for good with the messenger's reason, Retry
	// after unblocking delivers it.
	env.fake.Block(5001, true)
	m2, _ := env.svc.SendText(ctx, chat.ID, "Are you there?", 0)
	waitFor(t, "failed", func() bool {
		got, _ := env.st.Message(ctx, m2.ID)
		return got.Status == core.StatusFailed
	})
	if got, _ := env.st.Message(ctx, m2.ID); got.Error != core.FailBlocked {
		t.Fatalf("failure reason %q", got.Error)
	}
	env.fake.Block(5001, false)
	if _, err := env.svc.RetryMessage(ctx, m2.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "sent after retry", func() bool {
		got, _ := env.st.Message(ctx, m2.ID)
		return got.Status == core.StatusSent
	})

	// Too long and empty texts are refused before anything is queued.
	if _, err := env.svc.SendText(ctx, chat.ID, strings.Repeat("я", core.TelegramTextLimit+1), 0); !errors.Is(err, core.ErrTextTooLong) {
		t.Fatalf("long text: %v", err)
	}
	if _, err := env.svc.SendText(ctx, chat.ID, " \n ", 0); !errors.Is(err, core.ErrEmptyMessage) {
		t.Fatalf("empty text: %v", err)
	}
}

func TestOfflineSendLeavesWhenTheServerReturns(t *testing.T) {
	env := newEngineEnv(t)
	ctx := context.Background()
	ch, err := env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	env.fake.PushText(7, "Bob", "hi")
	var chatID int64
	waitFor(t, "chat", func() bool {
		c, err := env.st.ChatByExternal(ctx, ch.ID, "7")
		chatID = c.ID
		return err == nil
	})
	// The next three sendMessage calls hit a proxy error page (502): temporary, retried.
	env.fake.Fail("sendMessage", 3, fakeapi.Failure{Kind: fakeapi.FailBadGateway})
	m, _ := env.svc.SendText(ctx, chatID, "queued while the server is down", 0)
	waitFor(t, "sent after retries", func() bool {
		got, _ := env.st.Message(ctx, m.ID)
		return got.Status == core.StatusSent
	})
	if n := len(env.fake.Messages(7)); n != 1 {
		t.Fatalf("delivered %d times", n)
	}
	if n := len(env.fake.CallsTo("sendMessage")); n != 4 {
		t.Fatalf("sendMessage calls: %d, want 3 failures + 1 success", n)
	}
}

func TestPollerStatusesThroughTheFake(t *testing.T) {
	env := newEngineEnv(t)
	ctx := context.Background()
	ch, err := env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	wait := func(state core.ChannelState) core.ChannelStatus {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case s := <-env.statuses:
				if s.ChannelID == ch.ID && s.State == state {
					return s
				}
			case <-deadline:
				t.Fatalf("no %s status", state)
			}
		}
	}
	stored := func() []string {
		c, err := env.st.ChatByExternal(ctx, ch.ID, "9")
		if err != nil {
			return nil
		}
		page, _ := env.st.History(ctx, core.HistoryQuery{ChatID: c.ID})
		var texts []string
		for _, m := range page.Messages {
			texts = append(texts, m.Text)
		}
		return texts
	}
	// Each step injects one failure and pushes a message that ends the running long poll (or
	// is delivered after recovery), then waits until that message is stored: every failure
	// class is survived without losing or doubling a message.
	waitStored := func(n int) {
		t.Helper()
		waitFor(t, fmt.Sprintf("%d messages stored", n), func() bool { return len(stored()) >= n })
	}
	wait(core.StateConnected)
	env.fake.PushText(9, "Eve", "one")
	waitStored(1)

	env.fake.Fail("getUpdates", 1, fakeapi.Failure{Kind: fakeapi.FailRateLimit, RetryAfter: 1})
	env.fake.PushText(9, "Eve", "two")
	if rl := wait(core.StateRateLimited); rl.RetryIn != 1 {
		t.Fatalf("rate limited: %+v", rl)
	}
	waitStored(2)

	env.fake.Fail("getUpdates", 2, fakeapi.Failure{Kind: fakeapi.FailServerError})
	env.fake.PushText(9, "Eve", "three")
	if off := wait(core.StateOffline); off.LastError == "" {
		t.Fatal("offline without words")
	}
	waitStored(3)

	// Someone else starts polling the same bot: 409, the poller stops and says so.
	env.fake.Fail("getUpdates", 1, fakeapi.Failure{Kind: fakeapi.FailConflict})
	env.fake.PushText(9, "Eve", "four")
	if cf := wait(core.StateConflict); cf.Webhook {
		t.Fatalf("conflict: %+v", cf)
	}
	if err := env.svc.ReconnectChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	waitStored(4)

	// A webhook set behind our back: conflict with the webhook flag; DeleteWebhook reconnects.
	env.fake.SetWebhook("https://example.com/x")
	env.fake.PushText(9, "Eve", "five")
	if wh := wait(core.StateConflict); !wh.Webhook {
		t.Fatalf("webhook conflict: %+v", wh)
	}
	if err := env.svc.DeleteWebhook(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	waitStored(5)

	// Revoked token: 401 stops the poller.
	env.fake.Fail("getUpdates", 1, fakeapi.Failure{Kind: fakeapi.FailUnauthorized})
	env.fake.PushText(9, "Eve", "six")
	if rv := wait(core.StateRevoked); !strings.Contains(rv.LastError, "token") {
		t.Fatalf("revoked: %+v", rv)
	}
	got := strings.Join(stored(), "|")
	if got != "one|two|three|four|five" && got != "one|two|three|four|five|six" {
		t.Fatalf("stored %q", got)
	}
	if got == "one|two|three|four|five" && env.fake.Pending() == 0 {
		t.Fatal("a message was acknowledged upstream but not stored")
	}
}

func TestFetchDownloadsMediaOnceIntoTheCache(t *testing.T) {
	env := newEngineEnv(t)
	ctx := context.Background()
	ch, err := env.svc.AddTelegramChannel(ctx, env.fake.Token(), env.fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("%PDF-1.4 quarterly report")
	env.fake.AddFile("DOC-1", data, 0)
	env.fake.PushUpdate(`{"message":{"message_id":5,"from":{"id":77,"is_bot":false,"first_name":"Ivan"},
		"chat":{"id":77,"first_name":"Ivan","type":"private"},"date":1767000000,
		"document":{"file_id":"DOC-1","file_unique_id":"U1","file_name":"../../etc/passwd","mime_type":"application/pdf","file_size":25}}}`)
	var msgID int64
	waitFor(t, "document stored", func() bool {
		c, err := env.st.ChatByExternal(ctx, ch.ID, "77")
		if err != nil {
			return false
		}
		page, _ := env.st.History(ctx, core.HistoryQuery{ChatID: c.ID})
		if len(page.Messages) == 1 {
			msgID = page.Messages[0].ID
		}
		return msgID != 0
	})
	if m, _ := env.st.Message(ctx, msgID); len(m.Attachments) != 1 || m.Attachments[0].LocalPath != "" {
		t.Fatalf("attachment before fetch: %+v", m.Attachments)
	}
	if len(env.fake.CallsTo("getFile")) != 0 {
		t.Fatal("media downloaded before anyone asked")
	}
	path, err := env.svc.FetchAttachment(ctx, msgID, 0)
	if err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(filepath.Dir(env.st.Path()), "media")
	if filepath.Dir(path) != cache {
		t.Fatalf("cached at %s, outside %s", path, cache)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(data) {
		t.Fatalf("cached bytes %q %v", got, err)
	}
	if m, _ := env.st.Message(ctx, msgID); m.Attachments[0].LocalPath != path {
		t.Fatalf("local path not recorded: %+v", m.Attachments[0])
	}
	again, err := env.svc.FetchAttachment(ctx, msgID, 0)
	if err != nil || again != path || len(env.fake.CallsTo("getFile")) != 1 {
		t.Fatalf("second fetch: %q %v, getFile calls %d", again, err, len(env.fake.CallsTo("getFile")))
	}
	if _, err := env.svc.FetchAttachment(ctx, msgID, 3); err == nil {
		t.Fatal("fetched an attachment that does not exist")
	}
}

func TestVKRoundTripThroughTheEngine(t *testing.T) {
	keyring.MockInit()
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fake := fakeapi.NewVK(t)
	// The UI adds VK communities of api.vk.com; the test points the connectors at the fake.
	eng, err := engine.New(engine.Config{Store: st, VKAPI: fake.URL(),
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Stop)
	svc := eng.Inbox
	ctx := context.Background()
	if _, err := svc.AddVKChannel(ctx, fake.Token(), "club"); err == nil {
		t.Fatal("a non-numeric community id was accepted")
	}
	ch, err := svc.AddVKChannel(ctx, fake.Token(), fmt.Sprint(fake.GroupID()))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Kind != core.VK || ch.ExternalID != fmt.Sprint(fake.GroupID()) {
		t.Fatalf("vk channel: %+v", ch)
	}
	l, err := svc.AddLeadLink(ctx, core.LeadLink{ChannelID: ch.ID, Code: "promo_1", Plan: "Course"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.URL, "https://vk.me/") || !strings.HasSuffix(l.URL, "?ref=promo_1") {
		t.Fatalf("vk deep link %q", l.URL)
	}
	fake.SetUser(3001, "Olga", "Petrova")
	// A new community starts from VK's current ts: wait until the poller has one.
	waitFor(t, "long poll server", func() bool { return len(fake.CallsTo("groups.getLongPollServer")) > 0 })
	time.Sleep(50 * time.Millisecond)
	fake.PushText(3001, "Привет")
	var chat core.Chat
	waitFor(t, "vk message stored", func() bool {
		c, err := st.ChatByExternal(ctx, ch.ID, "3001")
		chat = c
		return err == nil
	})
	if p, err := st.Person(ctx, chat.PersonID); err != nil || !strings.Contains(p.Name, "Olga") {
		t.Fatalf("vk client's name: %+v %v", p, err)
	}
	// A temporary failure of messages.send is retried with the same random_id, so VK keeps
	// one message even if the first attempt had in fact gone through.
	fake.Fail("messages.send", 1, fakeapi.Failure{Kind: fakeapi.FailServerError})
	m, err := svc.SendText(ctx, chat.ID, "Здравствуйте, Ольга", 0)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "vk sent", func() bool {
		got, _ := st.Message(ctx, m.ID)
		return got.Status == core.StatusSent
	})
	if sent := fake.Messages(3001); len(sent) != 1 || sent[0].Text != "Здравствуйте, Ольга" {
		t.Fatalf("vk got %+v", sent)
	}
	calls := fake.CallsTo("messages.send")
	if len(calls) < 2 || calls[0].Params["random_id"] != calls[len(calls)-1].Params["random_id"] {
		t.Fatalf("random_id changed across retries: %+v", calls)
	}
	// The user denies messages: error 901 is permanent, shown on the message.
	fake.Deny(3001, true)
	m2, _ := svc.SendText(ctx, chat.ID, "Вы здесь?", 0)
	waitFor(t, "vk failed", func() bool {
		got, _ := st.Message(ctx, m2.ID)
		return got.Status == core.StatusFailed && got.Error == core.FailBlocked
	})
}
