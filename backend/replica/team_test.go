package replica_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/zalando/go-keyring"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/hub"
	"switchboard/backend/hubclient"
	"switchboard/backend/inbox"
	"switchboard/backend/replica"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// One hub (the engine polling a fake Telegram, plus the hub API, on one SQLite store) and two
// replica engines on loopback, as a team runs them.

var cheap = hub.PasswordParams{Memory: 1024, Time: 1, Threads: 1}

type teamHub struct {
	ids  map[string]int64 // manager ids by name
	api  http.Handler
	st   *store.Store
	eng  *engine.Engine
	fake *fakeapi.Telegram
	url  string
}

func startHub(t *testing.T) *teamHub {
	t.Helper()
	return startHubWith(t, nil, nil)
}

// startHubWith starts a hub with its engine's config changed by adjust (a fake VK's address)
// and its API's by tune, each first (nil: as is).
func startHubWith(t *testing.T, adjust func(*engine.Config), tune func(*hub.Config)) *teamHub {
	t.Helper()
	keyring.MockInit()
	ctx := context.Background()
	st := openHubStore(t)
	ecfg := engine.Config{Store: st, MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)}
	if adjust != nil {
		adjust(&ecfg)
	}
	eng, err := engine.New(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Stop)
	fake := fakeapi.NewTelegram(t)
	if _, err := eng.Inbox.AddTelegramChannel(ctx, fake.Token(), fake.URL()); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, a := range []struct{ name, email, role string }{
		{"Alice", "alice@example.com", store.RoleAdmin}, {"Bob", "bob@example.com", store.RoleManager}} {
		hash, err := hub.HashPassword("correct horse "+a.name, cheap)
		if err != nil {
			t.Fatal(err)
		}
		acc, err := st.Accounts().Add(ctx, store.NewAccount{Name: a.name, Email: a.email, Role: a.role, PasswordHash: hash},
			time.Now().UnixMilli())
		if err != nil {
			t.Fatal(err)
		}
		ids[a.name] = acc.ManagerID
	}
	cfg := hub.Config{Accounts: st.Accounts(), Events: st, Inbox: eng.Inbox, Composer: eng.Composer,
		Password: cheap, Log: slog.New(slog.DiscardHandler), LoginLimits: hub.LoginLimits{PerAddressEvery: time.Millisecond, PerAddressBurst: 1000, PerAccountEvery: time.Millisecond, PerAccountBurst: 1000}}
	if tune != nil {
		tune(&cfg)
	}
	srv, err := hub.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	srv.Start(ctx)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &teamHub{ids: ids, api: srv, st: st, eng: eng, fake: fake, url: ts.URL}
}

type desk struct {
	// longPoll follows the feed over HTTP long-polls (the fallback) instead of a WebSocket.
	longPoll bool
	st       *store.Store
	eng      *engine.Engine
	h        *teamHub
	who      string
}

func openDesk(t *testing.T, h *teamHub, who string, longPoll ...bool) *desk {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := &desk{st: st, h: h, who: who, longPoll: len(longPoll) > 0 && longPoll[0]}
	d.build(t)
	return d
}

// build makes the desk's engine (not started): a replica signing in as who.
func (d *desk) build(t *testing.T) {
	t.Helper()
	eng, err := engine.New(engine.Config{Store: d.st, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler),
		Replica: &replica.Config{HubURL: d.h.url, Email: strings.ToLower(d.who) + "@example.com", Password: "correct horse " + d.who,
			LongPoll: d.longPoll}})
	if err != nil {
		t.Fatal(err)
	}
	d.eng = eng
}

func (d *desk) start(t *testing.T) {
	t.Helper()
	if err := d.eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.eng.Stop)
}

// onlineWith starts who's desktop on h and waits until it is online, signed in, and holds the
// message text.
func onlineWith(t *testing.T, h *teamHub, who, text string) *desk {
	t.Helper()
	d := openDesk(t, h, who)
	d.start(t)
	waitFor(t, who+" online with "+text, 10*time.Second, func() bool {
		st, _ := d.eng.ReplicaStatus()
		return st.State == replica.StateOnline && len(withText(everything(t, d.st), text)) == 1 && d.eng.Replica().Me() > 0
	})
	return d
}

// everything reads all rows of a store (people, chats with drafts, every message).
func everything(t *testing.T, st *store.Store) core.RowSet {
	t.Helper()
	rs, _, err := st.SnapshotPage(context.Background(), 0, 1_000_000, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func withText(rs core.RowSet, text string) []core.MessageRow {
	var out []core.MessageRow
	for _, m := range rs.Messages {
		if m.Text == text {
			out = append(out, m)
		}
	}
	return out
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func messages(t *testing.T, st *store.Store) int64 {
	t.Helper()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.Messages
}

// found counts the messages a full-text search for word finds (only sent ones from the hub,
// with hubSent).
func found(t *testing.T, st *store.Store, word string, limit int, hubSent bool) int {
	t.Helper()
	ms, err := st.SearchMessages(context.Background(), word, limit)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if !hubSent || (m.ID > 0 && m.Status == core.StatusSent) {
			n++
		}
	}
	return n
}

func sentToTelegram(f *fakeapi.Telegram, chatID int64, text string) int {
	n := 0
	for _, m := range f.Messages(chatID) {
		if m.Text == text {
			n++
		}
	}
	return n
}

func TestTwoReplicasFollowOneHub(t *testing.T) {
	for _, transport := range []string{"websocket", "long-poll"} {
		t.Run(transport, func(t *testing.T) { twoReplicas(t, transport == "long-poll") })
	}
}

// twoReplicas runs the scenario with replica B on a WebSocket or on the long-poll fallback.
func twoReplicas(t *testing.T, longPoll bool) {
	h := startHub(t)
	a := openDesk(t, h, "Alice")
	b := openDesk(t, h, "Bob", longPoll)
	a.start(t)
	b.start(t)
	ctx := context.Background()

	// A client message reaches both replicas, as text (hostile markup stays data).
	const hello = "hello <b>there</b> <script>x()</script>"
	h.fake.PushText(1001, "Ann", hello)
	for _, d := range []*desk{a, b} {
		waitFor(t, d.who+" has the client's message", 10*time.Second, func() bool { return len(withText(everything(t, d.st), hello)) == 1 })
	}
	chat := withText(everything(t, a.st), hello)[0].ChatID
	if hubChat := withText(everything(t, h.st), hello)[0].ChatID; hubChat != chat {
		t.Fatalf("replica chat id %d, hub's %d: ids must be the hub's", chat, hubChat)
	}
	if found, err := a.st.SearchMessages(ctx, "there", 10); err != nil || len(found) != 1 {
		t.Fatalf("full-text search on the replica found %d messages (%v)", len(found), err)
	}

	// A reply from replica A reaches Telegram once and shows on replica B, sent.
	const reply = "reply from Alice"
	local, err := a.eng.Inbox.SendText(ctx, chat, reply, 0)
	if err != nil {
		t.Fatal(err)
	}
	if local.ID >= 0 || local.Status != core.StatusQueued {
		t.Fatalf("the local copy of a queued send: %+v (want a negative id, queued)", local)
	}
	waitFor(t, "the reply at Telegram", 10*time.Second, func() bool { return sentToTelegram(h.fake, 1001, reply) == 1 })
	for _, d := range []*desk{a, b} {
		waitFor(t, d.who+" sees the reply sent", 10*time.Second, func() bool {
			ms := withText(everything(t, d.st), reply)
			return len(ms) == 1 && ms[0].ID > 0 && ms[0].Status == string(core.StatusSent)
		})
	}

	// Mark read from B reaches the hub and A; B's draft reaches the hub, and stays B's own.
	if err := b.eng.Composer.SaveDraft(ctx, chat, "draft from Bob", "", 0); err != nil {
		t.Fatal(err)
	}
	if err := b.eng.Inbox.MarkRead(ctx, chat); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the draft at the hub and the read mark on A", 10*time.Second, func() bool {
		if st, _ := b.eng.ReplicaStatus(); st.Pending != 0 {
			return false // both delivered
		}
		ds, _ := h.st.ManagerDrafts(ctx, h.ids["Bob"], []int64{chat})
		for _, c := range everything(t, a.st).Chats {
			if c.ID == chat {
				return len(ds) == 1 && ds[0].Text == "draft from Bob" && c.Unread == 0
			}
		}
		return false
	})
	if d, _ := a.st.Draft(ctx, chat); d.Text != "" {
		t.Fatalf("Bob's draft reached Alice: %+v", d)
	}

	// B goes offline: 1,000 client messages arrive meanwhile and B queues 50 replies. (First
	// B hears the hub's answers to its draft and read mark: A can see them before B does.)
	waitFor(t, "B's earlier writes answered", 10*time.Second, func() bool { st, _ := b.eng.ReplicaStatus(); return st.Pending == 0 })
	b.eng.Stop()
	for i := 0; i < 1000; i++ {
		h.fake.PushText(int64(2001+i%20), fmt.Sprintf("Client %d", i%20), fmt.Sprintf("inbound %d", i))
	}
	for i := 0; i < 50; i++ {
		if _, err := b.eng.Inbox.SendText(ctx, chat, fmt.Sprintf("offline reply %d", i), 0); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub to take the 1,000 messages", 90*time.Second, func() bool { return h.fake.Pending() == 0 && messages(t, h.st) >= 1002 })
	// Restarted (a new engine on the same data, as after a reboot): the writes waited on disk.
	b.build(t)
	if st, _ := b.eng.ReplicaStatus(); st.Pending != 50 {
		t.Fatalf("after a restart %d changes wait, want 50", st.Pending)
	}
	b.start(t)
	restarted := time.Now()
	waitFor(t, "B to catch up and deliver its 50 writes", 90*time.Second, func() bool {
		st, _ := b.eng.ReplicaStatus()
		return st.Pending == 0 && found(t, b.st, "offline", 100, true) == 50 && messages(t, b.st) == messages(t, h.st)
	})
	t.Logf("B caught up with %d messages and delivered its 50 writes %s after its restart", messages(t, b.st), time.Since(restarted).Round(time.Millisecond))
	for i := 0; i < 50; i++ {
		if n := sentToTelegram(h.fake, 1001, fmt.Sprintf("offline reply %d", i)); n != 1 {
			t.Fatalf("offline reply %d reached Telegram %d times", i, n)
		}
	}
	// Exactly the hub's rows: no gap, no duplicate, no local copy left.
	waitFor(t, "B to equal the hub", 10*time.Second, func() bool { return sameMessages(everything(t, h.st), everything(t, b.st)) == "" })
	waitFor(t, "A to equal the hub", 10*time.Second, func() bool { return sameMessages(everything(t, h.st), everything(t, a.st)) == "" })
	if diff := sameMessages(everything(t, h.st), everything(t, b.st)); diff != "" {
		t.Fatal(diff)
	}
}

// sameMessages compares the messages of two stores by id, text and status ("" when equal).
func sameMessages(want, got core.RowSet) string {
	key := func(m core.MessageRow) string {
		return fmt.Sprintf("%d %q %s %s", m.ID, m.Text, m.Status, m.MutationKey)
	}
	w := map[string]int{}
	for _, m := range want.Messages {
		w[key(m)]++
	}
	g := map[string]int{}
	for _, m := range got.Messages {
		g[key(m)]++
		if g[key(m)] > 1 {
			return "duplicate " + key(m)
		}
	}
	if len(w) != len(g) {
		return fmt.Sprintf("%d messages, want %d", len(g), len(w))
	}
	for k := range w {
		if g[k] != 1 {
			return "missing " + k
		}
	}
	return ""
}

// apiClient talks to the hub as one manager.
type apiClient struct {
	t     *testing.T
	url   string
	token string
}

func signIn(t *testing.T, h *teamHub, who string) *apiClient {
	t.Helper()
	c := &apiClient{t: t, url: h.url}
	status, body := c.call("POST", "/api/v1/login", nil,
		fmt.Sprintf(`{"email":%q,"password":%q}`, strings.ToLower(who)+"@example.com", "correct horse "+who))
	if status != 200 {
		t.Fatalf("sign in: %d %s", status, body)
	}
	var ans struct{ Token string }
	json.Unmarshal(body, &ans)
	c.token = ans.Token
	return c
}

func (c *apiClient) call(method, path string, header map[string]string, body string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.url+path, rd)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestMutationsAreAppliedOnceAndChecked(t *testing.T) {
	h := startHub(t)
	ctx := context.Background()
	h.fake.PushText(1001, "Ann", "hi")
	var chat int64
	waitFor(t, "the client's message on the hub", 10*time.Second, func() bool {
		ms := withText(everything(t, h.st), "hi")
		if len(ms) == 1 {
			chat = ms[0].ChatID
		}
		return chat != 0
	})
	bob := signIn(t, h, "Bob")
	key := map[string]string{teamwire.IdempotencyHeader: "test-client-01:1"}
	send := fmt.Sprintf(`{"kind":"send_text","chatId":%d,"text":"once only"}`, chat)
	s1, b1 := bob.call("POST", teamwire.PathMutations, key, send)
	s2, b2 := bob.call("POST", teamwire.PathMutations, key, send)
	if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) {
		t.Fatalf("a replay must get the same answer: %d %s / %d %s", s1, b1, s2, b2)
	}
	res, err := teamwire.ParseMutationResult(b1)
	if err != nil || res.Message == nil || res.Message.MutationKey != "test-client-01:1" || res.Message.Text != "once only" {
		t.Fatalf("answer: %+v %v", res, err)
	}
	if res.Message.ManagerID == 0 || res.Message.SenderName != "Bob" {
		t.Fatalf("the message is not Bob's: %+v", res.Message)
	}
	// Even with the recorded answer gone (the hub died before recording it), the key holds.
	h.st.RecordMutation(ctx, 0, "unrelated", 200, "{}", time.Now())
	waitFor(t, "the send at Telegram", 10*time.Second, func() bool { return sentToTelegram(h.fake, 1001, "once only") == 1 })
	time.Sleep(200 * time.Millisecond)
	if n := sentToTelegram(h.fake, 1001, "once only"); n != 1 || len(withText(everything(t, h.st), "once only")) != 1 {
		t.Fatalf("a replayed send went out %d times", n)
	}

	// Malformed and unknown mutations: a stable code with a reason; nothing applied.
	for body, reason := range map[string]string{
		`{"kind":"drop_tables"}`: "unknown_kind",
		`{"kind":"send_text"}`:   "missing_chat",
		`not json`:               "invalid_json",
	} {
		st, b := bob.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "test-client-01:2"}, body)
		if st != 400 || !strings.Contains(string(b), `"invalid_mutation"`) || !strings.Contains(string(b), reason) {
			t.Fatalf("%s: %d %s", body, st, b)
		}
	}
	if st, b := bob.call("POST", teamwire.PathMutations, nil, send); st != 400 || !strings.Contains(string(b), "missing_idempotency_key") {
		t.Fatalf("no key: %d %s", st, b)
	}
	// A refusal of the inbox carries its code, and a replay gets the same refusal.
	long := fmt.Sprintf(`{"kind":"send_text","chatId":%d,"text":%q}`, chat, strings.Repeat("x", 5000))
	r1, rb1 := bob.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "test-client-01:3"}, long)
	r2, rb2 := bob.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "test-client-01:3"}, long)
	if r1 != 422 || !strings.Contains(string(rb1), "text_too_long") || r2 != r1 || !bytes.Equal(rb1, rb2) {
		t.Fatalf("refused send: %d %s / %d %s", r1, rb1, r2, rb2)
	}

	// A chat that does not exist is a refusal too (a 404 would mean a hub without sync).
	if st, b := bob.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "test-client-01:5"},
		`{"kind":"mark_read","chatId":987654}`); st != 422 || !strings.Contains(string(b), `"not_found"`) {
		t.Fatalf("a mutation of a missing chat: %d %s", st, b)
	}

	// A manager cannot do an admin's mutation; an admin can.
	if st, b := bob.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "test-client-01:4"},
		`{"kind":"mark_all_read"}`); st != 403 || !strings.Contains(string(b), `"forbidden"`) {
		t.Fatalf("manager's admin mutation: %d %s", st, b)
	}
	alice := signIn(t, h, "Alice")
	if st, b := alice.call("POST", teamwire.PathMutations, map[string]string{teamwire.IdempotencyHeader: "test-client-02:1"},
		`{"kind":"mark_all_read"}`); st != 200 {
		t.Fatalf("admin's mutation: %d %s", st, b)
	}

	// The snapshot and history answer a session; every page carries the first page's seq.
	st, b := bob.call("GET", teamwire.PathSnapshot, nil, "")
	page, err := teamwire.ParseSnapshotPage(b)
	if st != 200 || err != nil || page.Seq == 0 || page.Totals.People != 1 || len(page.Rows.Chats) != 1 || page.Next != 0 {
		t.Fatalf("snapshot: %d %+v %v", st, page, err)
	}
	st, b = bob.call("GET", teamwire.HistoryPath(chat)+"?limit=1", nil, "")
	hist, err := teamwire.ParseHistoryPage(b)
	if st != 200 || err != nil || len(hist.Messages) != 1 || !hist.More {
		t.Fatalf("history: %d %+v %v", st, hist, err)
	}

	// No sync endpoint answers without a session.
	anon := &apiClient{t: t, url: h.url}
	for _, ep := range []struct{ method, path, body string }{
		{"GET", teamwire.PathSnapshot, ""}, {"GET", teamwire.HistoryPath(chat), ""},
		{"POST", teamwire.PathMutations, send}, {"GET", teamwire.PathFeed + "?state=1&seq=0", ""}} {
		if st, _ := anon.call(ep.method, ep.path, key, ep.body); st != 401 {
			t.Fatalf("%s %s without a session: %d", ep.method, ep.path, st)
		}
	}

	// A cursor the hub never handed out gets "bootstrap again".
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.url, "http")+teamwire.PathFeed+"?state=1&seq=999999",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + bob.token}}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	_, data, err := conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if msg, err := teamwire.ParseFeedMessage(data); err != nil || msg.Type != teamwire.FeedBootstrap {
		t.Fatalf("feed from a foreign cursor: %s %v", data, err)
	}
}

// A replica whose cursor the hub does not know takes a snapshot again by itself.
func TestReplicaBootstrapsAgainWhenTheHubAsks(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "before")
	a := openDesk(t, h, "Alice")
	a.start(t)
	waitFor(t, "the first snapshot", 10*time.Second, func() bool { return len(withText(everything(t, a.st), "before")) == 1 })
	a.eng.Stop()
	// The replica's cursor is ahead of anything the hub has (a hub restored from a backup).
	if err := a.st.SetSetting(context.Background(), "replica.seq", "99999999"); err != nil {
		t.Fatal(err)
	}
	h.fake.PushText(1001, "Ann", "after")
	states := a.startRecordingStates(t)
	waitFor(t, "the new snapshot", 10*time.Second, func() bool {
		rs := everything(t, a.st)
		return len(withText(rs, "before")) == 1 && len(withText(rs, "after")) == 1
	})
	if !strings.Contains(strings.Join(states(), ","), replica.StateBootstrapping) {
		t.Fatalf("states %v: no bootstrap", states())
	}
}

// startRecordingStates starts the desk again on a new engine that records every state its
// replica passes through; the answer reads them so far.
func (d *desk) startRecordingStates(t *testing.T) func() []string {
	t.Helper()
	var mu sync.Mutex
	var states []string
	eng, err := engine.New(engine.Config{Store: d.st, MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Replica: &replica.Config{HubURL: d.h.url, Email: strings.ToLower(d.who) + "@example.com",
			Password: "correct horse " + d.who, OnStatus: func(s replica.Status) { mu.Lock(); states = append(states, s.State); mu.Unlock() }}})
	if err != nil {
		t.Fatal(err)
	}
	d.eng = eng
	d.start(t)
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), states...)
	}
}

// A disabled manager's replica is cut off at once and says it is signed out; what it queues
// waits on disk.
func TestDisabledManagersReplicaIsCutOff(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	b := onlineWith(t, h, "Bob", "hi")
	ctx := context.Background()
	if _, err := h.st.Accounts().SetDisabled(ctx, h.ids["Bob"], true, time.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "Bob's replica signed out", 10*time.Second, func() bool {
		st, _ := b.eng.ReplicaStatus()
		return st.State == replica.StateSignedOut && st.LastError == hubclient.CodeLoginFailed
	})
	chat := withText(everything(t, b.st), "hi")[0].ChatID
	if _, err := b.eng.Inbox.SendText(ctx, chat, "after the cut", 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if st, _ := b.eng.ReplicaStatus(); st.Pending != 1 || len(withText(everything(t, h.st), "after the cut")) != 0 {
		t.Fatalf("a disabled manager's write: status %+v", st)
	}
}

// Edits, deletes, archive and blacklist travel as mutations; what has no mutation yet is
// refused with a code instead of waiting in a local outbox nothing drains.
func TestReplicaEditsArchivesAndRefusesWhatItCannot(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	a := openDesk(t, h, "Alice")
	b := openDesk(t, h, "Bob")
	a.start(t)
	b.start(t)
	ctx := context.Background()
	waitFor(t, "the client's message on A", 10*time.Second, func() bool { return len(withText(everything(t, a.st), "hi")) == 1 })
	chat := withText(everything(t, a.st), "hi")[0].ChatID
	person := everything(t, a.st).People[0].ID
	if _, err := a.eng.Inbox.SendText(ctx, chat, "first words", 0); err != nil {
		t.Fatal(err)
	}
	var sent core.MessageRow
	waitFor(t, "the send on B", 10*time.Second, func() bool {
		ms := withText(everything(t, b.st), "first words")
		if len(ms) == 1 && ms[0].Status == string(core.StatusSent) {
			sent = ms[0]
		}
		return sent.ID > 0
	})
	if _, err := a.eng.Inbox.EditMessage(ctx, sent.ID, "better words"); err != nil {
		t.Fatal(err)
	}
	if err := a.eng.Inbox.SetArchived(ctx, person, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the edit and the archive on B", 10*time.Second, func() bool {
		rs := everything(t, b.st)
		ms := withText(rs, "better words")
		return len(ms) == 1 && ms[0].ID == sent.ID && ms[0].Edited && len(rs.People) == 1 && rs.People[0].Archived
	})
	waitFor(t, "the edit at Telegram", 10*time.Second, func() bool { return sentToTelegram(h.fake, 1001, "better words") == 1 })
	note, err := a.eng.Inbox.AddNote(ctx, chat, "a note for Bob", []int64{h.ids["Bob"]})
	if err != nil || note.ID >= 0 || note.Kind != core.KindNote {
		t.Fatalf("a note on a replica: %+v %v", note, err)
	}
	waitFor(t, "the note on B, with its mention", 10*time.Second, func() bool {
		ms := withText(everything(t, b.st), "a note for Bob")
		return len(ms) == 1 && ms[0].ID > 0 && ms[0].Kind == "note" && ms[0].Mentions == fmt.Sprintf("[%d]", h.ids["Bob"])
	})
	waitFor(t, "the hub's note to replace A's copy", 10*time.Second, func() bool {
		ms := withText(everything(t, a.st), "a note for Bob")
		return len(ms) == 1 && ms[0].ID > 0
	})
	// Bob's desktop logs the tag addressed to Bob (its app notifies him); nobody else is tagged.
	noteID := withText(everything(t, b.st), "a note for Bob")[0].ID
	mentionsOf := func(st *store.Store) map[int64]int {
		evs, err := st.EventsAfter(ctx, 0, 100000)
		if err != nil {
			t.Fatal(err)
		}
		to := map[int64]int{}
		for _, e := range evs {
			if e.Kind == core.EventNoteMention && e.MessageID == noteID {
				to[e.ManagerID]++
			}
		}
		return to
	}
	if got := mentionsOf(b.st); len(got) != 1 || got[h.ids["Bob"]] != 1 {
		t.Fatalf("the tag on Bob's desktop: %v, want one addressed to Bob", got)
	}

	if err := a.eng.Inbox.SetTunnelOff(ctx, chat, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the switch on B", 10*time.Second, func() bool { return everything(t, b.st).Chats[0].TunnelOff })
	// B can see the switch before A has heard the hub's answer to it.
	waitFor(t, "A's switch answered", 10*time.Second, func() bool { st, _ := a.eng.ReplicaStatus(); return st.Pending == 0 })
	if _, err := a.eng.Composer.SendParts(ctx, chat, []inbox.Part{{Kind: inbox.PartText, Text: "x"}}, 0); inbox.ErrorCode(err) != "team_unsupported" {
		t.Fatalf("parts on a replica: %v", err)
	}
	// Merges have no mutation yet: made only in the local copy they would be lost
	// at the hub's next state, so they are refused in words.
	if err := a.eng.Inbox.MergePeople(ctx, person, person+1); inbox.ErrorCode(err) != "team_unsupported" {
		t.Fatalf("a merge on a replica: %v", err)
	}
	if st, _ := a.eng.ReplicaStatus(); st.Pending != 0 {
		t.Fatalf("refused writes were queued: %+v", st)
	}
}

// A snapshot brings each chat's newest messages; older ones load on demand and stay.
func TestOlderHistoryLoadsOnDemand(t *testing.T) {
	h := startHub(t)
	for i := 0; i < 60; i++ {
		h.fake.PushText(1001, "Ann", fmt.Sprintf("note%02d", i))
	}
	waitFor(t, "the hub to take 60 messages", 30*time.Second, func() bool { return messages(t, h.st) == 60 })
	a := openDesk(t, h, "Alice")
	a.start(t)
	ctx := context.Background()
	waitFor(t, "the snapshot", 10*time.Second, func() bool {
		st, _ := a.eng.ReplicaStatus()
		return st.State == replica.StateOnline
	})
	if n := messages(t, a.st); n != 50 {
		t.Fatalf("the snapshot brought %d messages, want the newest 50", n)
	}
	if found(t, a.st, "note00", 10, false) != 0 || found(t, a.st, "note59", 10, false) != 1 {
		t.Fatal("the snapshot did not bring the newest")
	}
	chat := withText(everything(t, a.st), "note59")[0].ChatID
	// The history the UI pages through: at the snapshot's oldest message the hub fills in.
	top, err := a.eng.Inbox.History(ctx, core.HistoryQuery{ChatID: chat, Limit: 50})
	if err != nil || len(top.Messages) != 50 || !top.HasMore {
		t.Fatalf("the newest page: %d messages, more=%v, %v", len(top.Messages), top.HasMore, err)
	}
	older, err := a.eng.Inbox.History(ctx, core.HistoryQuery{ChatID: chat, Before: top.Messages[0].ID, Limit: 50})
	if err != nil || len(older.Messages) != 10 || older.HasMore || older.Messages[0].Text != "note00" {
		t.Fatalf("the older page: %d messages, more=%v, %v", len(older.Messages), older.HasMore, err)
	}
	if got, more, err := a.eng.Replica().LoadOlder(ctx, chat); err != nil || got != 0 || more {
		t.Fatalf("a chat held from its beginning asked the hub again: %d more=%v %v", got, more, err)
	}
	if messages(t, a.st) != 60 || found(t, a.st, "note00", 10, false) != 1 {
		t.Fatal("older history was not kept")
	}
	if diff := sameMessages(everything(t, h.st), everything(t, a.st)); diff != "" {
		t.Fatal(diff)
	}
	// Waking (after sleep) drops the socket and resumes from the cursor at once.
	a.eng.Wake()
	h.fake.PushText(1001, "Ann", "after the wake")
	waitFor(t, "a message after a wake", 10*time.Second, func() bool { return found(t, a.st, "wake", 10, false) == 1 })
	if messages(t, a.st) != 61 {
		t.Fatalf("%d messages after the wake, want 61", messages(t, a.st))
	}
}

// Behind a proxy that refuses WebSockets the replica follows the feed over long-polls by itself.
func TestReplicaFallsBackToLongPolls(t *testing.T) {
	h := startHub(t)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			http.Error(w, "no websockets here", http.StatusBadRequest)
			return
		}
		h.api.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	h.url = proxy.URL
	a := openDesk(t, h, "Alice")
	a.start(t)
	waitFor(t, "online through the proxy", 10*time.Second, func() bool {
		st, _ := a.eng.ReplicaStatus()
		return st.State == replica.StateOnline
	})
	h.fake.PushText(1001, "Ann", "through the proxy")
	waitFor(t, "a message through long-polls", 10*time.Second, func() bool { return found(t, a.st, "proxy", 10, false) == 1 })
}

// Claiming a chat is a compare-and-set on the hub: two managers claiming it at once get one
// winner and the other hears who won; the owner shows on both desktops; only an admin takes
// over another manager's chat.
func TestClaimsAreDecidedByTheHub(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	a := onlineWith(t, h, "Alice", "hi") // an admin
	b := onlineWith(t, h, "Bob", "hi")   // a manager
	ctx := context.Background()
	chat := withText(everything(t, a.st), "hi")[0].ChatID
	alice, bob := a.eng.Replica().Me(), b.eng.Replica().Me()
	owner := func(d *desk) int64 {
		for _, c := range everything(t, d.st).Chats {
			if c.ID == chat {
				return c.OwnerID
			}
		}
		return -1
	}
	ownedBy := func(want int64) {
		t.Helper()
		for _, d := range []*desk{a, b} {
			waitFor(t, fmt.Sprintf("owner %d on %s", want, d.who), 10*time.Second, func() bool { return owner(d) == want })
		}
	}

	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, d := range []*desk{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = d.eng.Inbox.ClaimChat(ctx, chat, 0)
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two claims at once: want one winner, got %v and %v", errs[0], errs[1])
	}
	winner, winnerName, lost := alice, "Alice", errs[1]
	if errs[1] == nil {
		winner, winnerName, lost = bob, "Bob", errs[0]
	}
	if inbox.ErrorCode(lost) != "claimed" || inbox.ErrorParams(lost)["owner"] != winnerName {
		t.Fatalf("the loser heard %q %v (%v), want claimed by %s", inbox.ErrorCode(lost), inbox.ErrorParams(lost), lost, winnerName)
	}
	ownedBy(winner)

	// The admin takes over; the manager cannot take it back or release it.
	if winner == bob {
		if err := a.eng.Inbox.ClaimChat(ctx, chat, bob); err != nil {
			t.Fatalf("an admin takes over: %v", err)
		}
		ownedBy(alice)
	}
	if err := b.eng.Inbox.ClaimChat(ctx, chat, alice); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager takes over: %v", err)
	}
	if err := b.eng.Inbox.ReleaseChat(ctx, chat, alice); inbox.ErrorCode(err) != "admin_only" {
		t.Fatalf("a manager releases another's chat: %v", err)
	}
	// A claim that expects an owner the chat no longer has is told who owns it now.
	if err := b.eng.Inbox.ClaimChat(ctx, chat, 0); inbox.ErrorCode(err) != "claimed" || inbox.ErrorParams(err)["owner"] != "Alice" {
		t.Fatalf("a stale claim: %q %v", inbox.ErrorCode(err), err)
	}
	if err := a.eng.Inbox.ReleaseChat(ctx, chat, alice); err != nil {
		t.Fatal(err)
	}
	ownedBy(0)
}

// Tasks are made at the hub and reach every desktop: each manager's Important tab holds only the
// people with that manager's due tasks; an edit, a completion and a delete travel too.
func TestTasksTravelAndEachImportantTabIsOwn(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	h.fake.PushText(1002, "Ben", "hello")
	a := openDesk(t, h, "Alice")
	b := openDesk(t, h, "Bob")
	a.start(t)
	b.start(t)
	ctx := context.Background()
	for _, d := range []*desk{a, b} {
		waitFor(t, d.who+" online with both people", 10*time.Second, func() bool {
			st, _ := d.eng.ReplicaStatus()
			return st.State == replica.StateOnline && len(everything(t, d.st).People) == 2 && d.eng.Replica().Me() > 0
		})
	}
	people := everything(t, a.st).People
	ann, ben := people[0].ID, people[1].ID
	alice, bob := a.eng.Replica().Me(), b.eng.Replica().Me()
	due := time.Now().Add(-time.Minute).UnixMilli() // due now: both land on an Important tab

	// Alice gives Ann's task to herself and Ben's to Bob.
	mine, err := a.eng.Inbox.AddTask(ctx, core.Task{PersonID: ann, Title: "call Ann back", DueAt: due})
	if err != nil || mine.ID <= 0 || mine.AssigneeID != alice {
		t.Fatalf("a task for me: %+v %v", mine, err)
	}
	his, err := a.eng.Inbox.AddTask(ctx, core.Task{PersonID: ben, Title: "send Ben the offer", DueAt: due, AssigneeID: bob})
	if err != nil || his.AssigneeID != bob {
		t.Fatalf("a task for Bob: %+v %v", his, err)
	}
	important := func(d *desk, me int64) []int64 {
		return listedPeople(t, d, core.ListQuery{Tab: core.TabImportant, Limit: 50}, me)
	}
	waitFor(t, "each Important tab with its own person", 10*time.Second, func() bool {
		ia, ib := important(a, alice), important(b, bob)
		return len(ia) == 1 && ia[0] == ann && len(ib) == 1 && ib[0] == ben
	})
	waitFor(t, "both tasks on Bob's desktop", 10*time.Second, func() bool { return len(everything(t, b.st).Tasks) == 2 })

	// Bob completes his; Alice edits hers and then deletes it: both desktops follow.
	if _, err := b.eng.Inbox.SetTaskDone(ctx, his.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.eng.Inbox.UpdateTask(ctx, core.Task{ID: mine.ID, PersonID: ann, Title: "call Ann tomorrow", DueAt: time.Now().Add(24 * time.Hour).UnixMilli()}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the completion and the edit on both", 10*time.Second, func() bool {
		for _, d := range []*desk{a, b} {
			ts, err := d.st.Tasks(ctx, ann)
			if err != nil || len(ts) != 1 || ts[0].Title != "call Ann tomorrow" {
				return false
			}
			ts, err = d.st.Tasks(ctx, ben)
			if err != nil || len(ts) != 1 || !ts[0].Done {
				return false
			}
		}
		return len(important(a, alice)) == 0 && len(important(b, bob)) == 0
	})
	if err := a.eng.Inbox.DeleteTask(ctx, mine.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the delete on Bob's desktop", 10*time.Second, func() bool {
		ts, err := b.st.Tasks(ctx, ann)
		return err == nil && len(ts) == 0
	})
	// A task refused by the hub's rules is refused in the same words as in solo.
	if _, err := b.eng.Inbox.AddTask(ctx, core.Task{PersonID: ann, Title: "x", DueAt: due, AssigneeID: 999}); inbox.ErrorCode(err) != "unknown_assignee" {
		t.Fatalf("a task for nobody: %q %v", inbox.ErrorCode(err), err)
	}
}

// A replica that is not following the hub opens a chat with what it holds at once: older
// history is asked for only while online, so a silent hub never holds up a chat's opening.
func TestOlderHistoryIsNotAskedForWhenNotOnline(t *testing.T) {
	h := startHub(t)
	for i := 0; i < 60; i++ {
		h.fake.PushText(1001, "Ann", fmt.Sprintf("note%02d", i))
	}
	waitFor(t, "the hub to take 60 messages", 30*time.Second, func() bool { return messages(t, h.st) == 60 })
	a := openDesk(t, h, "Alice")
	a.start(t)
	waitFor(t, "the snapshot", 10*time.Second, func() bool { return messages(t, a.st) == 50 })
	chat := withText(everything(t, a.st), "note59")[0].ChatID
	a.eng.Stop()
	page, err := a.eng.Inbox.History(context.Background(), core.HistoryQuery{ChatID: chat, Limit: 50})
	if err != nil || len(page.Messages) != 50 {
		t.Fatalf("the held page: %d messages, %v", len(page.Messages), err)
	}
	if messages(t, a.st) != 50 {
		t.Fatalf("a stopped replica fetched older history: %d messages held", messages(t, a.st))
	}
}

// A person's logs are the same on every desktop: an entry the hub logs for one manager's action
// reaches the others live, and a desktop that joins later has it from its snapshot, under the
// hub's ids.
func TestPersonLogsAreTheSameOnEveryDesktop(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	a := onlineWith(t, h, "Alice", "hi")
	b := onlineWith(t, h, "Bob", "hi")
	ctx := context.Background()
	rows := everything(t, a.st)
	ann, chat := rows.People[0].ID, rows.Chats[0].ID
	if err := a.eng.Inbox.SetArchived(ctx, ann, true); err != nil {
		t.Fatal(err)
	}
	if err := a.eng.Inbox.SetTunnelOff(ctx, chat, true); err != nil {
		t.Fatal(err)
	}
	logs := func(st *store.Store) []core.LogEntry {
		card, err := st.ClientCard(ctx, ann)
		if err != nil {
			t.Fatal(err)
		}
		return card.Logs
	}
	var atHub []core.LogEntry
	waitFor(t, "both entries at the hub", 10*time.Second, func() bool {
		atHub = logs(h.st)
		return len(atHub) >= 2
	})
	same := func(got []core.LogEntry) bool {
		if len(got) != len(atHub) {
			return false
		}
		for i := range got {
			if got[i].ID != atHub[i].ID || got[i].Kind != atHub[i].Kind || got[i].At != atHub[i].At ||
				fmt.Sprint(got[i].Params) != fmt.Sprint(atHub[i].Params) {
				return false
			}
		}
		return true
	}
	for _, d := range []*desk{a, b} {
		waitFor(t, "the hub's entries on "+d.who+"'s desktop", 10*time.Second, func() bool { return same(logs(d.st)) })
	}
	kinds := map[core.LogKind]bool{}
	for _, l := range atHub {
		kinds[l.Kind] = true
	}
	if !kinds[core.LogArchived] || !kinds[core.LogTunnelOff] {
		t.Fatalf("the hub logged %+v, want archived and tunnel_off", atHub)
	}
	// Bob's second desktop starts now: its snapshot brings the same entries, once.
	c := openDesk(t, h, "Bob")
	c.start(t)
	waitFor(t, "the entries on a desktop that joined later", 10*time.Second, func() bool {
		return len(everything(t, c.st).People) == 1 && same(logs(c.st))
	})
	// A feed message that repeats entries (a catch-up from an older cursor) adds nothing.
	if err := b.st.ApplyRows(ctx, core.RowSet{People: everything(t, b.st).People, Logs: atHub}, 0, "", 0, time.Now()); err != nil {
		t.Fatal(err)
	}
	if !same(logs(b.st)) {
		t.Fatalf("entries applied twice: %+v", logs(b.st))
	}
}

// A tag of a disabled manager is refused by the hub with its reason, which the note's local
// copy then shows; nothing reaches the hub's history.
func TestTaggingADisabledManagerIsRefused(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	a := onlineWith(t, h, "Alice", "hi")
	ctx := context.Background()
	if _, err := h.st.Accounts().SetDisabled(ctx, h.ids["Bob"], true, time.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	chat := withText(everything(t, a.st), "hi")[0].ChatID
	if _, err := a.eng.Inbox.AddNote(ctx, chat, "Bob, see this", []int64{h.ids["Bob"]}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the note refused on Alice's desktop", 10*time.Second, func() bool {
		notes := withText(everything(t, a.st), "Bob, see this")
		return len(notes) == 1 && notes[0].Status == "failed" && notes[0].Error == "mention_disabled"
	})
	if n := len(withText(everything(t, h.st), "Bob, see this")); n != 0 {
		t.Fatalf("the hub kept %d refused notes", n)
	}
	// Tagging an active manager still works.
	if _, err := a.eng.Inbox.AddNote(ctx, chat, "Alice notes", []int64{h.ids["Alice"]}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other note at the hub", 10*time.Second, func() bool { return len(withText(everything(t, h.st), "Alice notes")) == 1 })
}
