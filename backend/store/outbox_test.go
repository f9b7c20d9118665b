package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard/backend/core"
)

func outboxSetup(t *testing.T, kind core.ChannelKind) (*Store, core.Channel, int64) {
	t.Helper()
	s := openTest(t)
	ch := addTestChannel(t, s, kind, "100")
	if _, err := s.ApplyBatch(context.Background(), ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{msgUpd("1", "1", "hi", t0.UnixMilli())}}, t0); err != nil {
		t.Fatal(err)
	}
	c, err := s.ChatByExternal(context.Background(), ch.ID, "1")
	if err != nil {
		t.Fatal(err)
	}
	return s, ch, c.ID
}

func TestNextOutboxKeepsPerChatOrder(t *testing.T) {
	ctx := context.Background()
	s, ch, chat := outboxSetup(t, core.Telegram)
	s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "2", Updates: []core.Update{msgUpd("2", "1", "other", t0.UnixMilli())}}, t0)
	other, _ := s.ChatByExternal(ctx, ch.ID, "2")
	a1, _ := s.QueueSend(ctx, chat, 0, "a1", nil, 0, t0)
	a2, _ := s.QueueSend(ctx, chat, 0, "a2", nil, 0, t0)
	b1, _ := s.QueueSend(ctx, other.ID, 0, "b1", nil, 0, t0)
	jobs, err := s.NextOutbox(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 2 || jobs[0].Item.MessageID != a1.ID || jobs[1].Item.MessageID != b1.ID {
		t.Fatalf("due heads: %+v", jobs)
	}
	if jobs[0].Out.Text != "a1" || jobs[0].Out.ExternalChatID != "1" || jobs[0].ChannelKind != core.Telegram {
		t.Fatalf("job: %+v", jobs[0])
	}
	// a1 waits for a retry in a minute: a2 must not overtake it, and the due time is a1's.
	if err := s.OutboxFailed(ctx, jobs[0].Item.ID, "Bad Gateway", false, t0.Add(time.Minute), t0); err != nil {
		t.Fatal(err)
	}
	jobs, _ = s.NextOutbox(ctx, t0.Add(time.Second))
	if len(jobs) != 1 || jobs[0].Item.MessageID != b1.ID {
		t.Fatalf("after a1 failed: %+v", jobs)
	}
	if err := s.OutboxDone(ctx, jobs[0].Item.ID, core.Sent{ExternalID: "900"}, t0); err != nil {
		t.Fatal(err)
	}
	due, ok, err := s.NextOutboxDue(ctx)
	if err != nil || !ok || !due.Equal(time.UnixMilli(t0.Add(time.Minute).UnixMilli())) {
		t.Fatalf("next due %v %v %v", due, ok, err)
	}
	jobs, _ = s.NextOutbox(ctx, t0.Add(time.Minute))
	if len(jobs) != 1 || jobs[0].Item.MessageID != a1.ID || jobs[0].Item.Attempts != 1 {
		t.Fatalf("a1 retry: %+v", jobs)
	}
	s.OutboxDone(ctx, jobs[0].Item.ID, core.Sent{ExternalID: "901"}, t0)
	jobs, _ = s.NextOutbox(ctx, t0.Add(time.Minute))
	if len(jobs) != 1 || jobs[0].Item.MessageID != a2.ID {
		t.Fatalf("a2 after a1: %+v", jobs)
	}
}

func TestEchoOfOurSendIsOneMessage(t *testing.T) {
	ctx := context.Background()
	s, ch, chat := outboxSetup(t, core.VK)
	m, _ := s.QueueSend(ctx, chat, 0, "hello", nil, 0, t0)
	jobs, _ := s.NextOutbox(ctx, t0)
	// VK echoes the send (message_reply) before the worker records it as delivered.
	echo := core.Update{Kind: core.UpdMessage, ExternalChatID: "1", ExternalID: "555", Text: "hello", Sender: core.SenderAdmin, At: t0.UnixMilli()}
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "2", Updates: []core.Update{echo}}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.OutboxDone(ctx, jobs[0].Item.ID, core.Sent{ExternalID: "555"}, t0); err != nil {
		t.Fatal(err)
	}
	// And a late echo after that changes nothing.
	if res, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "3", Updates: []core.Update{echo}}, t0); err != nil || res.Messages != 0 {
		t.Fatalf("late echo: %+v %v", res, err)
	}
	h := historyOf(t, s, "1")
	if len(h) != 2 || h[1].ID != m.ID || h[1].ExternalID != "555" || h[1].Status != core.StatusSent {
		t.Fatalf("history: %+v", h)
	}
}

func TestQueueRulesAreCheckedBeforeQueueing(t *testing.T) {
	ctx := context.Background()
	s, _, chat := outboxSetup(t, core.Telegram)
	client := historyOf(t, s, "1")[0]
	if _, err := s.QueueEdit(ctx, client.ID, "x", t0); !errors.Is(err, core.ErrNotEditable) {
		t.Fatalf("editing a client message: %v", err)
	}
	if _, err := s.QueueSend(ctx, chat, 0, "", nil, 0, t0); !errors.Is(err, core.ErrEmptyMessage) {
		t.Fatalf("empty: %v", err)
	}
	long := make([]rune, core.TelegramTextLimit+1)
	for i := range long {
		long[i] = 'x'
	}
	if _, err := s.QueueSend(ctx, chat, 0, string(long), nil, 0, t0); !errors.Is(err, core.ErrTextTooLong) {
		t.Fatalf("long: %v", err)
	}
	if _, err := s.QueueSend(ctx, 9999, 0, "x", nil, 0, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown chat: %v", err)
	}
	m, _ := s.QueueSend(ctx, chat, 0, "sent one", nil, client.ID, t0)
	if m.ReplyToID != client.ID {
		t.Fatalf("reply: %+v", m)
	}
	if _, err := s.QueueEdit(ctx, m.ID, "too early", t0); !errors.Is(err, core.ErrNotEditable) {
		t.Fatalf("editing a queued message: %v", err)
	}
	jobs, _ := s.NextOutbox(ctx, t0)
	if jobs[0].Out.ReplyToExtID != "1" {
		t.Fatalf("reply external id: %+v", jobs[0].Out)
	}
	s.OutboxDone(ctx, jobs[0].Item.ID, core.Sent{ExternalID: "77"}, t0)
	if _, err := s.QueueDelete(ctx, m.ID, t0.Add(49*time.Hour)); !errors.Is(err, core.ErrDeleteWindowPassed) {
		t.Fatalf("delete after 49 h: %v", err)
	}
	if _, err := s.RetryMessage(ctx, m.ID, t0); !errors.Is(err, ErrNotFailed) {
		t.Fatalf("retrying a sent message: %v", err)
	}
	d, err := s.QueueDelete(ctx, m.ID, t0.Add(time.Hour))
	if err != nil || !d.Deleted {
		t.Fatalf("delete: %+v %v", d, err)
	}
	// Refused upstream: the local delete is undone and the reason kept.
	jobs, _ = s.NextOutbox(ctx, t0.Add(time.Hour))
	if err := s.OutboxFailed(ctx, jobs[0].Item.ID, "Bad Request: message can't be deleted", true, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	got, _ := getMessage(ctx, s.read, m.ID)
	if got.Deleted || got.Error == "" || got.Status != core.StatusSent {
		t.Fatalf("after refused delete: %+v", got)
	}
}

func TestRecoverOutboxRetriesWhatIsSafeToRepeat(t *testing.T) {
	ctx := context.Background()
	s, _, chat := outboxSetup(t, core.VK)
	m, _ := s.QueueSend(ctx, chat, 0, "vk send", nil, 0, t0)
	jobs, _ := s.NextOutbox(ctx, t0)
	if err := s.OutboxSending(ctx, jobs[0].Item.ID); err != nil {
		t.Fatal(err)
	}
	n, err := s.RecoverOutbox(ctx, t0.Add(time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("recover: %d %v", n, err)
	}
	again, _ := s.NextOutbox(ctx, t0.Add(time.Minute))
	if len(again) != 1 || again[0].Item.ID != jobs[0].Item.ID || again[0].Item.LastError != "" {
		t.Fatalf("VK send not retried with the same row (same random_id): %+v", again)
	}
	if got, _ := getMessage(ctx, s.read, m.ID); got.Status != core.StatusQueued {
		t.Fatalf("message: %+v", got)
	}
	if n, _ := s.RecoverOutbox(ctx, t0); n != 0 {
		t.Fatalf("recovered %d rows twice", n)
	}
}

// A server that reuses message ids (a reset custom Bot API server) can answer a send with the id
// of a stored client message. The client's message must survive: both are kept, each still
// idempotent on its own side of the key.
func TestSendAnsweredWithAClientMessagesIDKeepsBoth(t *testing.T) {
	ctx := context.Background()
	s, ch, chat := outboxSetup(t, core.Telegram)
	client := historyOf(t, s, "1")
	if len(client) != 1 || client[0].Sender != core.SenderClient {
		t.Fatalf("setup: %+v", client)
	}
	clash := client[0].ExternalID
	m, _ := s.QueueSend(ctx, chat, 0, "our answer", nil, 0, t0)
	jobs, _ := s.NextOutbox(ctx, t0)
	if err := s.OutboxDone(ctx, jobs[0].Item.ID, core.Sent{ExternalID: clash}, t0); err != nil {
		t.Fatal(err)
	}
	// The client's message arriving again (a replayed update) is still the same one message.
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "5", Updates: []core.Update{msgUpd("1", clash, "hi", t0.UnixMilli())}}, t0); err != nil {
		t.Fatal(err)
	}
	h := historyOf(t, s, "1")
	if len(h) != 2 {
		t.Fatalf("history has %d messages: %+v", len(h), h)
	}
	if h[0].ID != client[0].ID || h[0].Text != "hi" || h[0].Sender != core.SenderClient || h[0].ExternalID != clash {
		t.Fatalf("the client's message changed: %+v", h[0])
	}
	if h[1].ID != m.ID || h[1].Text != "our answer" || h[1].Status != core.StatusSent || h[1].ExternalID != clash {
		t.Fatalf("our message: %+v", h[1])
	}
}
