package channel_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/core"
	"switchboard/backend/store"
)

// scriptConn is an in-test Connector: each Poll takes the next scripted result (or blocks
// like a long poll until the loop stops), and Do answers through doFn.
type scriptConn struct {
	polls chan pollResult
	mu    sync.Mutex
	seen  []string // cursors Poll was called with
	did   []core.Outgoing
	doFn  func(core.Outgoing) (core.Sent, error)
}

type pollResult struct {
	b   core.Batch
	err error
}

func newScriptConn() *scriptConn { return &scriptConn{polls: make(chan pollResult, 16)} }

func (c *scriptConn) Check(ctx context.Context) (core.BotInfo, error) { return core.BotInfo{}, nil }

func (c *scriptConn) Poll(ctx context.Context, cursor string) (core.Batch, error) {
	c.mu.Lock()
	c.seen = append(c.seen, cursor)
	c.mu.Unlock()
	select {
	case r := <-c.polls:
		return r.b, r.err
	case <-ctx.Done():
		return core.Batch{}, ctx.Err()
	}
}

func (c *scriptConn) Do(ctx context.Context, out core.Outgoing) (core.Sent, error) {
	c.mu.Lock()
	c.did = append(c.did, out)
	fn := c.doFn
	c.mu.Unlock()
	if fn == nil {
		return core.Sent{ExternalID: fmt.Sprint(out.OutboxID + 1000), At: time.Now().UnixMilli()}, nil
	}
	return fn(out)
}

func (c *scriptConn) Download(ctx context.Context, a core.Attachment, dst string) error {
	return errors.New("no downloads here")
}

func (c *scriptConn) cursors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

func (c *scriptConn) sent() []core.Outgoing {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]core.Outgoing(nil), c.did...)
}

type tokens map[int64]string

func (t tokens) Get(id int64) (string, error) {
	if tok, ok := t[id]; ok {
		return tok, nil
	}
	return "", errors.New("no token")
}

type rig struct {
	st       *store.Store
	ch       core.Channel
	conn     *scriptConn
	sup      *channel.Supervisor
	statuses chan core.ChannelStatus
	typing   chan string
}

func newRig(t *testing.T, minBackoff time.Duration) *rig {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ch, err := st.AddChannel(context.Background(), core.Channel{Kind: core.Telegram, Name: "Shop bot", ExternalID: "42"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{st: st, ch: ch, conn: newScriptConn(), statuses: make(chan core.ChannelStatus, 100), typing: make(chan string, 10)}
	r.sup = channel.NewSupervisor(channel.SupervisorConfig{
		Store:  st,
		Tokens: tokens{ch.ID: "secret-token"},
		Factory: func(c core.Channel, token string) (channel.Connector, error) {
			if token != "secret-token" {
				return nil, errors.New("wrong token handed out")
			}
			return r.conn, nil
		},
		OnStatus:   func(s core.ChannelStatus) { r.statuses <- s },
		OnTyping:   func(_ int64, chat string) { r.typing <- chat },
		MinBackoff: minBackoff, MaxBackoff: minBackoff,
	})
	t.Cleanup(r.sup.Stop)
	return r
}

// waitState returns the first reported status in state, failing after 5 s.
func (r *rig) waitState(t *testing.T, state core.ChannelState) core.ChannelStatus {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-r.statuses:
			if s.State == state {
				return s
			}
		case <-deadline:
			t.Fatalf("no %s status; last: %+v", state, r.sup.Statuses())
		}
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func upd(chat, id, text string) core.Update {
	return core.Update{Kind: core.UpdMessage, ExternalChatID: chat, ExternalID: id, Text: text,
		From: core.Sender{ExternalUserID: chat, Name: "Client " + chat}, Sender: core.SenderClient, At: time.Now().UnixMilli()}
}

func TestSupervisorCommitsBeforeAcknowledging(t *testing.T) {
	r := newRig(t, time.Hour)
	ctx := context.Background()
	r.ch.Cursor = ""
	if err := r.st.SetChannelCursor(ctx, r.ch.ID, "10"); err != nil {
		t.Fatal(err)
	}
	if err := r.sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.conn.polls <- pollResult{b: core.Batch{Cursor: "12", Updates: []core.Update{upd("1", "1", "a"), upd("1", "2", "b"),
		{Kind: core.UpdTyping, ExternalChatID: "1"}}}}
	r.waitState(t, core.StateConnected)
	eventually(t, "second poll", func() bool { return len(r.conn.cursors()) >= 2 })
	cur := r.conn.cursors()
	if cur[0] != "10" || cur[1] != "12" {
		t.Fatalf("poll cursors %v: the stored cursor must start, the committed one must follow", cur)
	}
	if got := <-r.typing; got != "1" {
		t.Fatalf("typing reported for chat %q", got)
	}
	got, _ := r.st.Channel(ctx, r.ch.ID)
	if got.Cursor != "12" {
		t.Fatalf("stored cursor %q", got.Cursor)
	}
	page, err := r.st.History(ctx, core.HistoryQuery{ChatID: chatID(t, r.st, r.ch.ID, "1")})
	if err != nil || len(page.Messages) != 2 {
		t.Fatalf("history: %+v %v", page, err)
	}
	r.sup.StopChannel(r.ch.ID)
	if st, _ := r.sup.Status(r.ch.ID); st.State != core.StateStopped {
		t.Fatalf("after stop: %+v", st)
	}
}

func chatID(t *testing.T, st *store.Store, channelID int64, ext string) int64 {
	t.Helper()
	c, err := st.ChatByExternal(context.Background(), channelID, ext)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func TestSupervisorReactsToEachErrorClass(t *testing.T) {
	r := newRig(t, time.Hour) // only Wake can end a network back-off in this test
	ctx := context.Background()
	if err := r.sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Network failure: offline with a retry time; Wake retries at once.
	r.conn.polls <- pollResult{err: &channel.APIError{Class: channel.ErrTemporary, Description: "dial tcp: connection refused"}}
	off := r.waitState(t, core.StateOffline)
	if off.RetryIn < 1800 || off.LastError == "" {
		t.Fatalf("offline status: %+v", off)
	}
	n := len(r.conn.cursors())
	r.sup.Wake()
	eventually(t, "poll after Wake", func() bool { return len(r.conn.cursors()) > n })

	// 429: rate limited for retry_after, then polling resumes by itself.
	r.conn.polls <- pollResult{err: &channel.APIError{Class: channel.ErrRateLimited, Code: 429,
		Description: "Too Many Requests: retry after 1", RetryAfter: time.Second}}
	rl := r.waitState(t, core.StateRateLimited)
	if rl.RetryIn != 1 {
		t.Fatalf("rate limited status: %+v", rl)
	}
	r.conn.polls <- pollResult{b: core.Batch{Cursor: "5"}}
	r.waitState(t, core.StateConnected)

	// 401: revoked, and the loop stops polling.
	r.conn.polls <- pollResult{err: &channel.APIError{Class: channel.ErrUnauthorized, Code: 401, Description: "Unauthorized"}}
	rev := r.waitState(t, core.StateRevoked)
	if rev.LastError == "" {
		t.Fatal("revoked without words")
	}
	polled := len(r.conn.cursors())
	time.Sleep(50 * time.Millisecond)
	if len(r.conn.cursors()) != polled {
		t.Fatal("polling went on after 401")
	}

	// 409 with a webhook: conflict + webhook flag; a plain 409: conflict without it.
	if err := r.sup.Restart(ctx, r.ch.ID); err != nil {
		t.Fatal(err)
	}
	r.conn.polls <- pollResult{err: fmt.Errorf("telegram getUpdates: %w", &channel.APIError{Class: channel.ErrWebhook, Code: 409,
		Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"})}
	wh := r.waitState(t, core.StateConflict)
	if !wh.Webhook {
		t.Fatalf("webhook conflict without the flag: %+v", wh)
	}
	if err := r.sup.Restart(ctx, r.ch.ID); err != nil {
		t.Fatal(err)
	}
	r.conn.polls <- pollResult{err: &channel.APIError{Class: channel.ErrConflict, Code: 409,
		Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}}
	cf := r.waitState(t, core.StateConflict)
	if cf.Webhook {
		t.Fatalf("plain conflict flagged as webhook: %+v", cf)
	}
}

func TestSupervisorWithoutTokenReportsStopped(t *testing.T) {
	r := newRig(t, time.Hour)
	ctx := context.Background()
	other, err := r.st.AddChannel(ctx, core.Channel{Kind: core.VK, Name: "Group", ExternalID: "7"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := r.sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "status of the tokenless channel", func() bool {
		st, ok := r.sup.Status(other.ID)
		return ok && st.State == core.StateStopped && st.LastError != ""
	})
	if _, ok := r.sup.Connector(r.ch.ID); !ok {
		t.Fatal("the channel with a token did not start")
	}
}

// failingStore refuses the first n batches, as a full disk or a locked file would.
type failingStore struct {
	*store.Store
	mu   sync.Mutex
	left int
}

func (f *failingStore) ApplyBatch(ctx context.Context, id int64, b core.Batch, now time.Time) (core.ApplyResult, error) {
	f.mu.Lock()
	fail := f.left > 0
	f.left--
	f.mu.Unlock()
	if fail {
		return core.ApplyResult{}, errors.New("database or disk is full")
	}
	return f.Store.ApplyBatch(ctx, id, b, now)
}

func TestSupervisorRetriesAnUnsavedBatch(t *testing.T) {
	r := newRig(t, 10*time.Millisecond)
	ctx := context.Background()
	fs := &failingStore{Store: r.st, left: 1}
	sup := channel.NewSupervisor(channel.SupervisorConfig{
		Store: fs, Tokens: tokens{r.ch.ID: "secret-token"},
		Factory:    func(core.Channel, string) (channel.Connector, error) { return r.conn, nil },
		OnStatus:   func(s core.ChannelStatus) { r.statuses <- s },
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 10 * time.Millisecond,
	})
	t.Cleanup(sup.Stop)
	if err := sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// A batch the store cannot save is not acknowledged: the next poll repeats the old
	// cursor, and the repeated answer is stored.
	batch := core.Batch{Cursor: "3", Updates: []core.Update{upd("1", "1", "kept")}}
	r.conn.polls <- pollResult{b: batch}
	st := r.waitState(t, core.StateOffline)
	if st.LastError != core.FailStoreFailed {
		t.Fatalf("status code: %q", st.LastError)
	}
	eventually(t, "repoll", func() bool { return len(r.conn.cursors()) >= 2 })
	if cur := r.conn.cursors(); cur[1] != "" {
		t.Fatalf("after a failed commit the poller moved on to cursor %q", cur[1])
	}
	r.conn.polls <- pollResult{b: batch}
	eventually(t, "stored on the second try", func() bool {
		ch, _ := r.st.Channel(ctx, r.ch.ID)
		return ch.Cursor == "3"
	})
}

// outboxRig adds a worker and a chat to send into.
func newOutboxRig(t *testing.T) (*rig, *channel.OutboxWorker, []int64) {
	r := newRig(t, time.Hour)
	ctx := context.Background()
	if _, err := r.st.ApplyBatch(ctx, r.ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{upd("A", "1", "hi"), upd("B", "1", "hey")}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := r.sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	w := channel.NewOutboxWorker(channel.OutboxConfig{Store: r.st, Conns: r.sup, MinBackoff: time.Hour, MaxBackoff: time.Hour})
	t.Cleanup(w.Stop)
	return r, w, []int64{chatID(t, r.st, r.ch.ID, "A"), chatID(t, r.st, r.ch.ID, "B")}
}

func msgStatus(t *testing.T, st *store.Store, id int64) core.Message {
	t.Helper()
	m, err := st.Message(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOutboxKeepsChatOrderAcrossTemporaryFailure(t *testing.T) {
	r, w, chats := newOutboxRig(t)
	ctx := context.Background()
	var mu sync.Mutex
	failFirst := true
	r.conn.doFn = func(out core.Outgoing) (core.Sent, error) {
		mu.Lock()
		defer mu.Unlock()
		if out.Text == "A1" && failFirst {
			failFirst = false
			return core.Sent{}, &channel.APIError{Class: channel.ErrTemporary, Description: "Bad Gateway"}
		}
		return core.Sent{ExternalID: "x" + out.Text, At: time.Now().UnixMilli()}, nil
	}
	a1, _ := r.st.QueueSend(ctx, chats[0], 0, "A1", nil, 0, time.Now())
	a2, _ := r.st.QueueSend(ctx, chats[0], 0, "A2", nil, 0, time.Now())
	b1, _ := r.st.QueueSend(ctx, chats[1], 0, "B1", nil, 0, time.Now())
	w.Start()
	eventually(t, "B1 sent", func() bool { return msgStatus(t, r.st, b1.ID).Status == core.StatusSent })
	time.Sleep(50 * time.Millisecond)
	if m := msgStatus(t, r.st, a2.ID); m.Status != core.StatusQueued {
		t.Fatalf("A2 left while A1 waits for a retry: %+v", m)
	}
	for _, o := range r.conn.sent() {
		if o.Text == "A2" {
			t.Fatal("A2 was handed to the connector before A1 was delivered")
		}
	}
	// The network is back: Wake retries A1 now, then A2 follows.
	w.Wake()
	eventually(t, "A2 sent", func() bool { return msgStatus(t, r.st, a2.ID).Status == core.StatusSent })
	if m := msgStatus(t, r.st, a1.ID); m.Status != core.StatusSent || m.ExternalID != "xA1" {
		t.Fatalf("A1: %+v", m)
	}
	var order []string
	for _, o := range r.conn.sent() {
		if o.Text != "B1" {
			order = append(order, o.Text)
		}
	}
	if fmt.Sprint(order) != "[A1 A1 A2]" {
		t.Fatalf("chat A delivery order %v", order)
	}
}

func TestOutboxPermanentFailureThenRetry(t *testing.T) {
	r, w, chats := newOutboxRig(t)
	ctx := context.Background()
	var mu sync.Mutex
	blocked := true
	r.conn.doFn = func(out core.Outgoing) (core.Sent, error) {
		mu.Lock()
		defer mu.Unlock()
		if blocked {
			// As the Telegram connector reports the 403 (its own tests cover that mapping).
			return core.Sent{}, &channel.APIError{Class: channel.ErrPermanent, Code: 403, Description: "Forbidden: bot was blocked by the user",
				Reason: core.FailBlocked}
		}
		return core.Sent{ExternalID: "77", At: time.Now().UnixMilli()}, nil
	}
	w.Start()
	m, err := r.st.QueueSend(ctx, chats[0], 0, "hello", nil, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.Kick()
	eventually(t, "failed", func() bool { return msgStatus(t, r.st, m.ID).Status == core.StatusFailed })
	if got := msgStatus(t, r.st, m.ID); got.Error != core.FailBlocked {
		t.Fatalf("failure reason: %q", got.Error)
	}
	mu.Lock()
	blocked = false
	mu.Unlock()
	if _, err := r.st.RetryMessage(ctx, m.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Kick()
	eventually(t, "sent after retry", func() bool { return msgStatus(t, r.st, m.ID).Status == core.StatusSent })
	if got := msgStatus(t, r.st, m.ID); got.ExternalID != "77" || got.Error != "" {
		t.Fatalf("after retry: %+v", got)
	}
	// Editing and deleting go through the same queue.
	if _, err := r.st.QueueEdit(ctx, m.ID, "hello (edited)", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.QueueDelete(ctx, m.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Kick()
	eventually(t, "edit and delete delivered", func() bool { return len(r.conn.sent()) >= 4 })
	s := r.conn.sent()
	if s[2].Action != core.ActionEdit || s[2].ExternalID != "77" || s[2].Text != "hello (edited)" ||
		s[3].Action != core.ActionDelete || s[3].ExternalID != "77" {
		t.Fatalf("edit/delete calls: %+v", s[2:])
	}
}

func TestOutboxRefusedEditIsUndone(t *testing.T) {
	r, w, chats := newOutboxRig(t)
	ctx := context.Background()
	m, _ := r.st.QueueSend(ctx, chats[0], 0, "original", nil, 0, time.Now())
	w.Start()
	eventually(t, "sent", func() bool { return msgStatus(t, r.st, m.ID).Status == core.StatusSent })
	r.conn.mu.Lock()
	r.conn.doFn = func(out core.Outgoing) (core.Sent, error) {
		return core.Sent{}, &channel.APIError{Class: channel.ErrPermanent, Code: 400, Description: "Bad Request: message can't be edited"}
	}
	r.conn.mu.Unlock()
	if got, _ := r.st.QueueEdit(ctx, m.ID, "changed", time.Now()); got.Text != "changed" {
		t.Fatalf("local edit not applied at once: %+v", got)
	}
	w.Kick()
	eventually(t, "edit undone", func() bool { return msgStatus(t, r.st, m.ID).Error != "" })
	if got := msgStatus(t, r.st, m.ID); got.Text != "original" || got.Edited {
		t.Fatalf("refused edit left %+v", got)
	}
}

func TestOutboxWaitsForAMissingChannel(t *testing.T) {
	r, w, chats := newOutboxRig(t)
	ctx := context.Background()
	r.sup.StopChannel(r.ch.ID)
	m, _ := r.st.QueueSend(ctx, chats[0], 0, "offline send", nil, 0, time.Now())
	w.Start()
	eventually(t, "a recorded wait", func() bool {
		jobs, _ := r.st.NextOutbox(ctx, time.Now().Add(time.Hour))
		return len(jobs) == 1 && jobs[0].Item.Attempts == 1
	})
	if got := msgStatus(t, r.st, m.ID); got.Status != core.StatusQueued {
		t.Fatalf("message while its channel is down: %+v", got)
	}
	if err := r.sup.StartChannel(ctx, r.ch.ID); err != nil {
		t.Fatal(err)
	}
	w.Wake()
	eventually(t, "sent once the channel is back", func() bool { return msgStatus(t, r.st, m.ID).Status == core.StatusSent })
}

func TestSupervisorSyncFollowsTheStore(t *testing.T) {
	r := newRig(t, time.Hour)
	ctx := context.Background()
	if err := r.sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// A channel added by another process (the hub's CLI) starts on Sync...
	other, err := r.st.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Second", ExternalID: "43"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// The rig's token source knows only the first channel, so this one reports why it is not polling.
	if err := r.sup.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, ok := r.sup.Status(other.ID); !ok || st.State != core.StateStopped || st.LastError == "" {
		t.Fatalf("tokenless new channel: %+v %v", st, ok)
	}
	// ...and a removed one stops.
	if _, ok := r.sup.Connector(r.ch.ID); !ok {
		t.Fatal("first channel not running")
	}
	if err := r.st.SetChannelEnabled(ctx, r.ch.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := r.sup.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.sup.Connector(r.ch.ID); ok {
		t.Fatal("disabled channel still running after Sync")
	}
	if st, _ := r.sup.Status(r.ch.ID); st.State != core.StateStopped {
		t.Fatalf("disabled channel status: %+v", st)
	}
}

func TestSupervisorSplitsLongAnswersKeepingTheCursorLast(t *testing.T) {
	r := newRig(t, time.Hour)
	ctx := context.Background()
	var ups []core.Update
	for i := 0; i < 250; i++ {
		ups = append(ups, upd(fmt.Sprint(i%7), fmt.Sprint(i), fmt.Sprint("m", i)))
	}
	var batches []core.ApplyResult
	done := make(chan struct{})
	cs := &cursorLog{Store: r.st}
	sup := channel.NewSupervisor(channel.SupervisorConfig{
		Store: cs, Tokens: tokens{r.ch.ID: "secret-token"},
		Factory: func(core.Channel, string) (channel.Connector, error) { return r.conn, nil },
		OnBatch: func(_ int64, res core.ApplyResult) { batches = append(batches, res); close(done) },
	})
	t.Cleanup(sup.Stop)
	if err := sup.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.conn.polls <- pollResult{b: core.Batch{Cursor: "ts-9", Updates: ups}}
	<-done
	if batches[0].Messages != 250 {
		t.Fatalf("stored %+v", batches[0])
	}
	var n int
	for i := 0; i < 7; i++ {
		c, _ := r.st.ChatByExternal(ctx, r.ch.ID, fmt.Sprint(i))
		page, _ := r.st.History(ctx, core.HistoryQuery{ChatID: c.ID, Limit: 200})
		n += len(page.Messages)
	}
	got, _ := r.st.Channel(ctx, r.ch.ID)
	if n != 250 || got.Cursor != "ts-9" {
		t.Fatalf("%d messages, cursor %q", n, got.Cursor)
	}
	if fmt.Sprint(cs.cursors) != "[  ts-9]" {
		t.Fatalf("transactions stored cursors %q; want two without and the last with it", cs.cursors)
	}
}

// cursorLog records the cursor each ApplyBatch transaction carries.
type cursorLog struct {
	*store.Store
	cursors []string
}

func (c *cursorLog) ApplyBatch(ctx context.Context, id int64, b core.Batch, now time.Time) (core.ApplyResult, error) {
	if len(b.Updates) > channel.MaxBatch {
		return core.ApplyResult{}, fmt.Errorf("a transaction of %d updates", len(b.Updates))
	}
	c.cursors = append(c.cursors, b.Cursor)
	return c.Store.ApplyBatch(ctx, id, b, now)
}

func TestOutboxRecoversRowsLeftInFlight(t *testing.T) {
	r, w, chats := newOutboxRig(t)
	ctx := context.Background()
	// A previous run handed two rows to the messenger and died before recording the outcome.
	sendA, _ := r.st.QueueSend(ctx, chats[0], 0, "maybe delivered", nil, 0, time.Now())
	jobs, _ := r.st.NextOutbox(ctx, time.Now())
	if err := r.st.OutboxSending(ctx, jobs[0].Item.ID); err != nil {
		t.Fatal(err)
	}
	sendB, _ := r.st.QueueSend(ctx, chats[1], 0, "queued after", nil, 0, time.Now())
	w.Start()
	// Telegram has no idempotency key: the unconfirmed send is not repeated, it asks the manager.
	eventually(t, "settled", func() bool { return msgStatus(t, r.st, sendA.ID).Status == core.StatusFailed })
	if got := msgStatus(t, r.st, sendA.ID); got.Error != store.NotConfirmed {
		t.Fatalf("in-flight send: %+v", got)
	}
	eventually(t, "the other chat still flows", func() bool { return msgStatus(t, r.st, sendB.ID).Status == core.StatusSent })
	for _, o := range r.conn.sent() {
		if o.Text == "maybe delivered" {
			t.Fatal("an unconfirmed Telegram send was repeated on its own")
		}
	}
	if _, err := r.st.RetryMessage(ctx, sendA.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	w.Kick()
	eventually(t, "sent on Retry", func() bool { return msgStatus(t, r.st, sendA.ID).Status == core.StatusSent })
}

func TestOutboxStopLetsADeliveryFinish(t *testing.T) {
	r, w, chats := newOutboxRig(t)
	ctx := context.Background()
	started := make(chan struct{})
	r.conn.mu.Lock()
	r.conn.doFn = func(out core.Outgoing) (core.Sent, error) {
		close(started)
		time.Sleep(300 * time.Millisecond) // a slow upload, still inside the stop grace
		return core.Sent{ExternalID: "slow-1"}, nil
	}
	r.conn.mu.Unlock()
	m, _ := r.st.QueueSend(ctx, chats[0], 0, "big file", nil, 0, time.Now())
	w.Start()
	<-started
	w.Stop()
	if got := msgStatus(t, r.st, m.ID); got.Status != core.StatusSent || got.ExternalID != "slow-1" {
		t.Fatalf("after Stop during delivery: %+v", got)
	}
}
