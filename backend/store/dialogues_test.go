package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard/backend/core"
)

// dialogueSetup: a Telegram channel with two clients' chats ("1" and "2"), and the admin's lists.
func dialogueSetup(t *testing.T) (*Store, core.Channel, int64, int64) {
	t.Helper()
	ctx := context.Background()
	s, ch, chat := outboxSetup(t, core.Telegram)
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "2", Updates: []core.Update{msgUpd("2", "1", "hello", t0.UnixMilli())}}, t0); err != nil {
		t.Fatal(err)
	}
	other, err := s.ChatByExternal(ctx, ch.ID, "2")
	if err != nil {
		t.Fatal(err)
	}
	return s, ch, chat, other.ID
}

func me(t *testing.T, s *Store) int64 {
	t.Helper()
	m, err := s.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func TestDialogueOptionsAreUniquePerKind(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	billing, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "  Billing "}, t0)
	if err != nil || billing.Name != "Billing" || billing.Position != 1 {
		t.Fatalf("save = %+v, %v", billing, err)
	}
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "Billing"}, t0); !errors.Is(err, ErrOptionExists) {
		t.Fatalf("same name, same kind: %v", err)
	}
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionReason, Name: "Billing"}, t0); err != nil {
		t.Fatalf("same name, other kind: %v", err)
	}
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "  "}, t0); !errors.Is(err, ErrOptionName) {
		t.Fatalf("empty name: %v", err)
	}
	refund, _ := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "Refund"}, t0)
	// A rename keeps the entry's kind and place, whatever kind the caller names.
	renamed, err := s.SaveDialogueOption(ctx, core.DialogueOption{ID: billing.ID, Kind: core.OptionComponent, Name: "Payments"}, t0)
	if err != nil || renamed.Kind != core.OptionType || renamed.Position != 1 {
		t.Fatalf("rename = %+v, %v", renamed, err)
	}
	if err := s.DeleteDialogueOption(ctx, refund.ID, t0); err != nil {
		t.Fatal(err)
	}
	opts, err := s.DialogueOptions(ctx)
	if err != nil || len(opts) != 2 || opts[0].Name != "Billing" || opts[0].Kind != core.OptionReason || opts[1].Name != "Payments" {
		t.Fatalf("options = %+v, %v", opts, err)
	}
}

func TestDialogueCyclesCloseAndReopen(t *testing.T) {
	ctx := context.Background()
	s, _, chat, _ := dialogueSetup(t)
	mgr := me(t, s)
	d, err := s.CreateDialogue(ctx, chat, mgr, core.DialogueInput{Type: "Billing", Reasons: []string{"Double charge"},
		Components: []string{"Checkout"}, Status: core.DialogueInProgress, Managers: []int64{mgr}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != core.DialogueInProgress || d.Type != "Billing" || len(d.Reasons) != 1 || d.Components[0] != "Checkout" ||
		len(d.Managers) != 1 || d.Managers[0] != mgr || len(d.Cycles) != 1 || d.Cycles[0].Number != 1 || d.Cycles[0].OpenedAt != t0.UnixMilli() {
		t.Fatalf("created = %+v", d)
	}
	if active := activeDialoguePeople(t, s); active != 1 {
		t.Fatalf("active dialogues filter: %d people, want 1", active)
	}
	if _, err := s.CreateDialogue(ctx, chat, mgr, core.DialogueInput{Status: "open", Managers: []int64{999}}, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown manager: %v", err)
	}

	t1 := t0.Add(time.Hour)
	d, err = s.CloseDialogue(ctx, d.ID, mgr, "", t1)
	if err != nil || d.Status != core.DialogueClosed || d.ClosedAt != t1.UnixMilli() || d.Cycles[0].ClosedAt != t1.UnixMilli() ||
		d.Cycles[0].RatingRequestedAt != 0 {
		t.Fatalf("closed = %+v, %v", d, err)
	}
	if active := activeDialoguePeople(t, s); active != 0 {
		t.Fatalf("a closed dialogue left the person in the active filter")
	}
	if _, err := s.CloseDialogue(ctx, d.ID, mgr, "", t1); !errors.Is(err, core.ErrDialogueClosed) {
		t.Fatalf("closing twice: %v", err)
	}
	if _, err := s.SetDialogueStatus(ctx, d.ID, core.DialogueWaiting, t1); !errors.Is(err, core.ErrDialogueClosed) {
		t.Fatalf("status of a closed dialogue: %v", err)
	}
	d, _ = s.RateClient(ctx, d.ID, 4, t1)

	t2 := t0.Add(2 * time.Hour)
	d, err = s.ReopenDialogue(ctx, d.ID, mgr, t2)
	if err != nil || d.Status != core.DialogueOpen || d.ClosedAt != 0 || d.ManagerRating != 0 || len(d.Cycles) != 2 {
		t.Fatalf("reopened = %+v, %v", d, err)
	}
	first, second := d.Cycles[0], d.Cycles[1]
	if first.ClosedAt != t1.UnixMilli() || first.ManagerRating != 4 || second.Number != 2 || second.OpenedAt != t2.UnixMilli() || second.ClosedAt != 0 {
		t.Fatalf("cycles = %+v", d.Cycles)
	}
	if _, err := s.ReopenDialogue(ctx, d.ID, mgr, t2); !errors.Is(err, core.ErrDialogueOpen) {
		t.Fatalf("reopening an open dialogue: %v", err)
	}
	if d, err = s.SetDialogueStatus(ctx, d.ID, core.DialogueWaiting, t2); err != nil || d.Status != core.DialogueWaiting {
		t.Fatalf("status = %+v, %v", d, err)
	}
	if d, err = s.EditDialogue(ctx, d.ID, core.DialogueInput{Type: "Refund", Reasons: nil, Components: []string{"A", "B"}, Managers: []int64{mgr}}, t2); err != nil ||
		d.Type != "Refund" || len(d.Reasons) != 0 || len(d.Components) != 2 || d.Status != core.DialogueWaiting {
		t.Fatalf("edited = %+v, %v", d, err)
	}
	ds, err := s.ChatDialogues(ctx, chat)
	if err != nil || len(ds) != 1 || ds[0].ID != d.ID {
		t.Fatalf("chat dialogues = %+v, %v", ds, err)
	}
}

func activeDialoguePeople(t *testing.T, s *Store) int {
	t.Helper()
	page, err := s.ListPeople(context.Background(), core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{ActiveDialogues: true}}, me(t, s), t0)
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Rows)
}

// closeWithRequest closes dialogue d asking for a rating; it returns the request's cycle id and
// delivers the request (as the outbox worker would), so the client has buttons to tap.
func closeWithRequest(t *testing.T, s *Store, d core.Dialogue, at time.Time, sentExtID string) int64 {
	t.Helper()
	ctx := context.Background()
	d, err := s.CloseDialogue(ctx, d.ID, me(t, s), "How did we do? Tap 1-5", at)
	if err != nil {
		t.Fatal(err)
	}
	cy := d.Cycles[len(d.Cycles)-1]
	if cy.RatingRequestedAt != at.UnixMilli() || cy.RatingMessageID == 0 {
		t.Fatalf("cycle after close with request: %+v", cy)
	}
	jobs, err := s.NextOutbox(ctx, at)
	if err != nil || len(jobs) != 1 || jobs[0].Out.RatingCycle != cy.ID || jobs[0].Out.Text != "How did we do? Tap 1-5" ||
		jobs[0].Item.MessageID != cy.RatingMessageID {
		t.Fatalf("outbox: %+v, %v", jobs, err)
	}
	if err := s.OutboxDone(ctx, jobs[0].Item.ID, core.Sent{ExternalID: sentExtID, At: at.UnixMilli()}, at); err != nil {
		t.Fatal(err)
	}
	return cy.ID
}

func tapUpd(chat, queryID string, cycle int64, score int) core.Update {
	return core.Update{Kind: core.UpdTap, ExternalChatID: chat, ExternalID: "50", TapID: queryID,
		Tap: &core.RatingTap{CycleID: cycle, Score: score}, From: core.Sender{ExternalUserID: chat}}
}

func ratingIndicators(t *testing.T, s *Store, chat int64) []core.Indicator {
	t.Helper()
	page, err := s.History(context.Background(), core.HistoryQuery{ChatID: chat})
	if err != nil {
		t.Fatal(err)
	}
	var out []core.Indicator
	for _, m := range page.Messages {
		if m.Kind == core.KindIndicator && m.Indicator != nil && m.Indicator.Type == core.IndClientRating {
			out = append(out, *m.Indicator)
		}
	}
	return out
}

// The client's tap rates the cycle its request was for: the first tap wins, a tap from another
// chat or for a cycle that asked for nothing is dropped, a late tap (after a reopen) rates its
// own old cycle, and re-applying a batch changes nothing.
func TestClientRatingTaps(t *testing.T) {
	ctx := context.Background()
	s, ch, chat, other := dialogueSetup(t)
	mgr := me(t, s)
	d, _ := s.CreateDialogue(ctx, chat, mgr, core.DialogueInput{Status: core.DialogueOpen, Managers: []int64{mgr}}, t0)
	unrequested, _ := s.CreateDialogue(ctx, other, mgr, core.DialogueInput{Status: core.DialogueOpen, Managers: []int64{mgr}}, t0)
	unrequested, _ = s.CloseDialogue(ctx, unrequested.ID, mgr, "", t0)
	cycle1 := closeWithRequest(t, s, d, t0.Add(time.Minute), "40")

	apply := func(cursor string, ups ...core.Update) core.ApplyResult {
		t.Helper()
		res, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: cursor, Updates: ups}, t0.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	// Hostile taps first: chat "2" claims chat "1"'s cycle; a cycle that never asked; no such cycle.
	res := apply("10", tapUpd("2", "q0", cycle1, 1), tapUpd("2", "q1", unrequested.Cycles[0].ID, 1), tapUpd("1", "q2", 99999, 1))
	if res.Skipped != 3 {
		t.Fatalf("hostile taps: %+v", res)
	}
	batch := []core.Update{tapUpd("1", "q3", cycle1, 5), tapUpd("1", "q4", cycle1, 1)}
	apply("11", batch...)
	apply("11", batch...) // the same batch again, as after a crash before the cursor was acknowledged
	d, _ = s.Dialogue(ctx, d.ID)
	if d.ClientRating != 5 || d.Cycles[0].ClientRating != 5 || d.Cycles[0].ClientRatedAt == 0 {
		t.Fatalf("first tap must win: %+v", d)
	}
	if inds := ratingIndicators(t, s, chat); len(inds) != 1 || inds[0].Score != 5 || inds[0].Dialogue != d.ID || inds[0].Cycle != 1 {
		t.Fatalf("rating indicators = %+v", inds)
	}
	if u, _ := s.Dialogue(ctx, unrequested.ID); u.ClientRating != 0 || u.Cycles[0].ClientRating != 0 {
		t.Fatalf("a refused tap rated: %+v", u)
	}

	// Reopen, close again with a new request; then a late tap on the FIRST request (already
	// rated: ignored) and a tap on the second.
	d, _ = s.ReopenDialogue(ctx, d.ID, mgr, t0.Add(time.Hour))
	if d.ClientRating != 0 {
		t.Fatalf("a new cycle starts unrated: %+v", d)
	}
	cycle2 := closeWithRequest(t, s, d, t0.Add(2*time.Hour), "41")
	apply("12", tapUpd("1", "q5", cycle1, 2), tapUpd("1", "q6", cycle2, 3))
	d, _ = s.Dialogue(ctx, d.ID)
	if d.ClientRating != 3 || d.Cycles[0].ClientRating != 5 || d.Cycles[1].ClientRating != 3 {
		t.Fatalf("ratings per cycle: %+v", d)
	}

	// A late tap on an old request that was never answered goes to its own cycle, not the current.
	d, _ = s.ReopenDialogue(ctx, d.ID, mgr, t0.Add(3*time.Hour))
	cycle3 := closeWithRequest(t, s, d, t0.Add(4*time.Hour), "42")
	d, _ = s.ReopenDialogue(ctx, d.ID, mgr, t0.Add(5*time.Hour))
	apply("13", tapUpd("1", "q7", cycle3, 4))
	d, _ = s.Dialogue(ctx, d.ID)
	if d.Cycles[2].ClientRating != 4 || d.Cycles[3].ClientRating != 0 || d.ClientRating != 0 {
		t.Fatalf("late tap: %+v", d.Cycles)
	}
	if inds := ratingIndicators(t, s, chat); len(inds) != 3 || inds[2].Cycle != 3 || inds[2].Score != 4 {
		t.Fatalf("rating indicators = %+v", inds)
	}
}

// A VK tap is the client's message (its label) with the payload: the message is stored like any
// other and the tap rates the cycle.
func TestClientRatingFromAMessage(t *testing.T) {
	ctx := context.Background()
	s, ch, chat := outboxSetup(t, core.VK)
	mgr := me(t, s)
	d, _ := s.CreateDialogue(ctx, chat, mgr, core.DialogueInput{Status: core.DialogueOpen, Managers: []int64{mgr}}, t0)
	cycle := closeWithRequest(t, s, d, t0, "40")
	u := msgUpd("1", "41", "4", t0.Add(time.Minute).UnixMilli())
	u.Tap = &core.RatingTap{CycleID: cycle, Score: 4}
	res, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "5", Updates: []core.Update{u}}, t0.Add(time.Minute))
	if err != nil || res.Messages != 1 || res.Indicators != 1 {
		t.Fatalf("apply = %+v, %v", res, err)
	}
	if d, _ = s.Dialogue(ctx, d.ID); d.ClientRating != 4 {
		t.Fatalf("rating = %+v", d)
	}
}

func TestCloseWithATooLongRequestKeepsTheDialogueOpen(t *testing.T) {
	ctx := context.Background()
	s, _, chat := outboxSetup(t, core.Telegram)
	mgr := me(t, s)
	d, _ := s.CreateDialogue(ctx, chat, mgr, core.DialogueInput{Status: core.DialogueOpen, Managers: []int64{mgr}}, t0)
	long := make([]byte, core.TelegramTextLimit+1)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := s.CloseDialogue(ctx, d.ID, mgr, string(long), t0); !errors.Is(err, core.ErrTextTooLong) {
		t.Fatalf("close: %v", err)
	}
	if d, _ = s.Dialogue(ctx, d.ID); d.Status != core.DialogueOpen || d.Cycles[0].ClosedAt != 0 {
		t.Fatalf("dialogue after a refused close: %+v", d)
	}
}

// Dialogues stored before cycles existed each become their own first cycle.
func TestMigration0012GivesEveryDialogueItsFirstCycle(t *testing.T) {
	path, db := migratedBelow(t, 12)
	for _, q := range []string{
		`INSERT INTO channels (id, kind, external_id, created_at) VALUES (1, 'telegram', 't', 0)`,
		`INSERT INTO people (id, name, created_at) VALUES (1, 'Anna', 0)`,
		`INSERT INTO chats (id, person_id, channel_id, external_chat_id, created_at) VALUES (1, 1, 1, 'a', 0)`,
		`INSERT INTO dialogues (id, chat_id, type, status, client_rating, manager_rating, created_at, closed_at) VALUES
			(1, 1, 'Billing', 'closed', 5, 4, 1000, 5000), (2, 1, 'Refund', 'open', 0, 0, 2000, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ds, err := s.ChatDialogues(context.Background(), 1)
	if err != nil || len(ds) != 2 {
		t.Fatalf("dialogues = %+v, %v", ds, err)
	}
	open, closed := ds[0], ds[1]
	if len(closed.Cycles) != 1 || closed.Cycles[0] != (core.DialogueCycle{ID: closed.Cycles[0].ID, DialogueID: 1, Number: 1,
		OpenedAt: 1000, ClosedAt: 5000, ClientRating: 5, ManagerRating: 4}) {
		t.Fatalf("closed dialogue's cycle = %+v", closed.Cycles)
	}
	if len(open.Cycles) != 1 || open.Cycles[0].ClosedAt != 0 || open.Cycles[0].OpenedAt != 2000 || len(open.Reasons) != 0 {
		t.Fatalf("open dialogue = %+v", open)
	}
}
