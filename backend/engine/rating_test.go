package engine_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/inbox"
	"switchboard/backend/store"
)

// The one-tap rating, end to end through the solo engine: the manager closes a dialogue with a
// rating request, the outbox sends it with buttons 1..5, the client taps on the messenger's
// side (the fakes deliver the tap exactly as Telegram and VK do), the poller stores the tap as
// the rating of the dialogue cycle the request belongs to, and Telegram's callback query is
// answered. Taps on an old request, repeated taps and forged data are covered too.

// ratingEnv is an engine with one connected channel and one client who wrote to it.
type ratingEnv struct {
	svc    *inbox.Service
	st     *store.Store
	chatID int64
}

func startRatingEngine(t *testing.T, cfg engine.Config) *ratingEnv {
	t.Helper()
	keyring.MockInit()
	st, err := store.Open(filepath.Join(t.TempDir(), "sb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg.Store, cfg.HTTPClient = st, &http.Client{}
	cfg.MinBackoff, cfg.MaxBackoff = 20*time.Millisecond, 50*time.Millisecond
	eng, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(eng.Stop)
	return &ratingEnv{svc: eng.Inbox, st: st}
}

// waitChat waits until the client's first message created their chat.
func (e *ratingEnv) waitChat(t *testing.T, channelID int64, ext string) {
	t.Helper()
	waitFor(t, "the client's chat", func() bool {
		c, err := e.st.ChatByExternal(context.Background(), channelID, ext)
		e.chatID = c.ID
		return err == nil
	})
}

// closeAsking creates (or reuses) a dialogue, closes it with a rating request and waits until
// the request is delivered; it returns the dialogue and the delivered message's external id.
func (e *ratingEnv) closeAsking(t *testing.T, d core.Dialogue) (core.Dialogue, int64) {
	t.Helper()
	ctx := context.Background()
	d, err := e.svc.CloseDialogue(ctx, d.ID, "  How did we do? Tap 1-5  ")
	if err != nil {
		t.Fatal(err)
	}
	cy := d.Cycles[len(d.Cycles)-1]
	var ext string
	waitFor(t, "the rating request sent", func() bool {
		m, err := e.st.Message(ctx, cy.RatingMessageID)
		ext = m.ExternalID
		return err == nil && m.Status == core.StatusSent
	})
	id, _ := strconv.ParseInt(ext, 10, 64)
	return d, id
}

func (e *ratingEnv) waitRating(t *testing.T, id int64, cycle, score int) core.Dialogue {
	t.Helper()
	var d core.Dialogue
	waitFor(t, "the client's rating stored", func() bool {
		d, _ = e.st.Dialogue(context.Background(), id)
		return len(d.Cycles) >= cycle && d.Cycles[cycle-1].ClientRating == score
	})
	return d
}

func ratingIndicators(t *testing.T, e *ratingEnv) []core.Indicator {
	t.Helper()
	page, err := e.svc.History(context.Background(), core.HistoryQuery{ChatID: e.chatID})
	if err != nil {
		t.Fatal(err)
	}
	var out []core.Indicator
	for _, m := range page.Messages {
		if m.Indicator != nil && m.Indicator.Type == core.IndClientRating {
			out = append(out, *m.Indicator)
		}
	}
	return out
}

func TestRatingFlowOverTelegram(t *testing.T) {
	ctx := context.Background()
	fake := fakeapi.NewTelegram(t)
	env := startRatingEngine(t, engine.Config{TelegramAPI: fake.URL()})
	ch, err := env.svc.AddTelegramChannel(ctx, fake.Token(), fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	const client = 700100
	fake.PushText(client, "Anna", "My order did not arrive")
	env.waitChat(t, ch.ID, strconv.Itoa(client))

	d, err := env.svc.CreateDialogue(ctx, env.chatID, core.DialogueInput{})
	if err != nil {
		t.Fatal(err)
	}
	d, msgID := env.closeAsking(t, d)
	cycle1 := d.Cycles[0].ID
	sent := fake.Messages(client)
	if len(sent) != 1 || sent[0].Text != "How did we do? Tap 1-5" || len(sent[0].Buttons) != 1 || len(sent[0].Buttons[0]) != 5 ||
		sent[0].Buttons[0][3].Text != "4" || sent[0].Buttons[0][3].CallbackData != core.RatingData(cycle1, 4) {
		t.Fatalf("rating request as Telegram got it: %+v", sent)
	}

	// The client taps 4, then 1 (a repeated tap): the first tap wins, both are answered.
	q1, err := fake.Press(client, msgID, core.RatingData(cycle1, 4))
	if err != nil {
		t.Fatal(err)
	}
	d = env.waitRating(t, d.ID, 1, 4)
	q2, _ := fake.Press(client, msgID, core.RatingData(cycle1, 1))
	// Forged data on the same message (no such button on Telegram, but a hostile client's
	// MTProto call can carry any data): answered, never stored.
	q3 := fake.PushCallback(client, map[string]any{"message_id": msgID, "chat": map[string]any{"id": client, "type": "private"}, "date": 0},
		core.RatingData(cycle1+1000, 1))
	waitFor(t, "every callback query answered", func() bool {
		return fake.Answered(q1) == 1 && fake.Answered(q2) == 1 && fake.Answered(q3) == 1
	})
	if d, _ = env.st.Dialogue(ctx, d.ID); d.ClientRating != 4 || d.Cycles[0].ClientRating != 4 {
		t.Fatalf("after the repeated tap: %+v", d)
	}

	// Reopen and close again with a new request; the client then taps the OLD request's
	// buttons (already rated: ignored) and the new one's: each goes to its own cycle.
	if d, err = env.svc.ReopenDialogue(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	d, msg2 := env.closeAsking(t, d)
	cycle2 := d.Cycles[1].ID
	old, _ := fake.Press(client, msgID, core.RatingData(cycle1, 2))
	if _, err := fake.Press(client, msg2, core.RatingData(cycle2, 5)); err != nil {
		t.Fatal(err)
	}
	d = env.waitRating(t, d.ID, 2, 5)
	waitFor(t, "the old request's tap answered", func() bool { return fake.Answered(old) == 1 })
	if d.Cycles[0].ClientRating != 4 || d.ClientRating != 5 {
		t.Fatalf("per-cycle ratings: %+v", d)
	}
	if inds := ratingIndicators(t, env); len(inds) != 2 || inds[0].Score != 4 || inds[0].Cycle != 1 || inds[1].Score != 5 || inds[1].Cycle != 2 {
		t.Fatalf("rating indicators in the chat: %+v", inds)
	}

	// The manager rates the client too.
	if d, err = env.svc.RateClient(ctx, d.ID, 3); err != nil || d.ManagerRating != 3 || d.Cycles[1].ManagerRating != 3 {
		t.Fatalf("manager rating: %+v, %v", d, err)
	}
}

func TestRatingFlowOverVK(t *testing.T) {
	ctx := context.Background()
	fake := fakeapi.NewVK(t)
	env := startRatingEngine(t, engine.Config{VKAPI: fake.URL()})
	ch, err := env.svc.AddVKChannel(ctx, fake.Token(), strconv.FormatInt(fake.GroupID(), 10))
	if err != nil {
		t.Fatal(err)
	}
	const client = 5550001
	fake.SetUser(client, "Olga", "Petrova")
	// A new community starts from VK's current ts: push once the poller is listening from one.
	waitFor(t, "the long poll listening", func() bool { return len(fake.CallsTo("a_check")) > 0 })
	fake.PushText(client, "Where is my parcel?")
	env.waitChat(t, ch.ID, strconv.Itoa(client))

	d, err := env.svc.CreateDialogue(ctx, env.chatID, core.DialogueInput{Status: core.DialogueWaiting})
	if err != nil {
		t.Fatal(err)
	}
	d, msgID := env.closeAsking(t, d)
	sent := fake.Messages(client)
	if len(sent) != 1 || !sent[0].Inline || len(sent[0].Buttons) != 1 || len(sent[0].Buttons[0]) != 5 {
		t.Fatalf("rating request as VK got it: %+v", sent)
	}

	// The client taps 5, then 2: VK sends each as a message with the button's payload.
	if _, err := fake.Press(client, msgID, "5"); err != nil {
		t.Fatal(err)
	}
	d = env.waitRating(t, d.ID, 1, 5)
	if _, err := fake.Press(client, msgID, "2"); err != nil {
		t.Fatal(err)
	}
	// A forged payload for another cycle, sent as a plain message.
	fake.PushPayload(client, "1", core.RatingPayload(d.Cycles[0].ID+1000, 1))
	waitFor(t, "the later taps stored as messages", func() bool {
		page, _ := env.svc.History(ctx, core.HistoryQuery{ChatID: env.chatID})
		n := 0
		for _, m := range page.Messages {
			if m.Kind == core.KindMessage && m.Sender == core.SenderClient {
				n++
			}
		}
		return n == 4 // the first message and three taps
	})
	if d, _ = env.st.Dialogue(ctx, d.ID); d.ClientRating != 5 {
		t.Fatalf("the first tap must win: %+v", d)
	}
	if inds := ratingIndicators(t, env); len(inds) != 1 || inds[0].Score != 5 {
		t.Fatalf("rating indicators: %+v", inds)
	}
}
