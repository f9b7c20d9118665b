package store

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The report reads each cycle's first-response facts from its row (migration 0019); these tests
// check that the row always says what the definition (the view dialogue_cycle_facts) says now,
// whatever wrote last: late messages, a reply refused after the close, a retry, a bulk load.

// checkCycleFacts fails unless every cycle's stored facts equal the view's.
func checkCycleFacts(t *testing.T, s *Store, when string) {
	t.Helper()
	var stale []struct {
		ID     int64  `db:"id"`
		Stored string `db:"stored"`
		Now    string `db:"now"`
	}
	if err := s.read.Select(&stale, `
SELECT cy.id, cy.asked_at || '/' || cy.replied_at || '/' || cy.responder_id AS stored,
       f.asked_at || '/' || f.replied_at || '/' || f.responder_id AS now
FROM dialogue_cycles cy JOIN dialogue_cycle_facts f ON f.id = cy.id
WHERE cy.asked_at <> f.asked_at OR cy.replied_at <> f.replied_at OR cy.responder_id <> f.responder_id`); err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Fatalf("%s: cycles whose stored facts (asked/replied/responder) are stale: %+v", when, stale)
	}
}

// A client's message that reaches the store after the cycle closed, dated before the close
// (a poller after an outage, a replica catching up), is the cycle's first question if it is the
// earliest; one dated after the close belongs to no closed cycle.
func TestReportFactsFollowLateClientMessages(t *testing.T) {
	w := newReportWorld(t)
	chat := w.client("1", t0.Add(10*minute))
	d := w.open(chat, w.anna, "Billing", t0.Add(11*minute))
	w.reply(chat, w.anna, t0.Add(15*minute))
	w.close(d, "1", w.anna, 0, t0.Add(time.Hour))
	checkCycleFacts(t, w.s, "closed")
	if got := w.cycles(t0, dayEnd); len(got) != 1 || got[0].FirstResponse() != 5*minute {
		t.Fatalf("before the late message: %+v", got)
	}
	w.client("1", t0.Add(2*minute)) // written at 10:02, arrives now
	w.client("1", t0.Add(2*time.Hour))
	checkCycleFacts(t, w.s, "after late messages")
	got := w.cycles(t0, dayEnd)
	if len(got) != 1 || got[0].AskedAt != t0.Add(2*minute).UnixMilli() || got[0].FirstResponse() != 13*minute {
		t.Fatalf("after the late message: %+v", got)
	}
}

// A reply the messenger refuses after the manager closed the cycle was never a reply: the
// cycle is unanswered; sent again (and not refused), it is the reply once more.
func TestReportFactsFollowARefusedReplyAfterTheClose(t *testing.T) {
	w := newReportWorld(t)
	ctx := context.Background()
	chat := w.client("1", t0)
	d := w.open(chat, w.anna, "Billing", t0.Add(minute))
	w.reply(chat, w.anna, t0.Add(5*minute))
	w.close(d, "1", w.anna, 0, t0.Add(6*minute))
	if got := w.cycles(t0, dayEnd); len(got) != 1 || got[0].Responder != "Anna" || got[0].FirstResponse() != 5*minute {
		t.Fatalf("closed with the reply queued: %+v", got)
	}
	jobs, err := w.s.NextOutbox(ctx, t0.Add(time.Hour))
	if err != nil || len(jobs) != 1 {
		t.Fatalf("outbox = %+v, %v", jobs, err)
	}
	if err := w.s.OutboxFailed(ctx, jobs[0].Item.ID, "blocked", true, time.Time{}, t0.Add(7*minute)); err != nil {
		t.Fatal(err)
	}
	checkCycleFacts(t, w.s, "refused")
	if got := w.cycles(t0, dayEnd); len(got) != 1 || got[0].RepliedAt != 0 || got[0].ResponderID != 0 || got[0].Manager != "Anna" {
		t.Fatalf("after the refusal: %+v", got)
	}
	if g := w.groups(t0, dayEnd)["Anna/Billing"]; g.FirstResponseN != 0 || g.Cycles != 1 {
		t.Fatalf("Anna's line after the refusal: %+v", g)
	}
	if _, err := w.s.RetryMessage(ctx, jobs[0].Item.MessageID, t0.Add(8*minute)); err != nil {
		t.Fatal(err)
	}
	checkCycleFacts(t, w.s, "sent again")
	if got := w.cycles(t0, dayEnd); len(got) != 1 || got[0].Responder != "Anna" || got[0].FirstResponse() != 5*minute {
		t.Fatalf("after sending again: %+v", got)
	}
}

// A cycle row written as a whole, already closed, as a replica copies it from the hub, gets its
// facts from the store's own messages; so does the next cycle when the previous one's close
// arrives after it.
func TestReportFactsOfCycleRowsWrittenDirectly(t *testing.T) {
	w := newReportWorld(t)
	chat := w.client("1", t0)
	w.reply(chat, w.bo, t0.Add(3*minute))
	w.client("1", t0.Add(20*minute))
	w.reply(chat, w.anna, t0.Add(30*minute))
	var dlg int64
	if err := w.s.write.Get(&dlg, `INSERT INTO dialogues (chat_id, type, status, created_at) VALUES (?, 'Sales', 'open', ?) RETURNING id`,
		chat, t0.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	// Cycle 2 first (opened at 10:10, so its wait starts at cycle 1's close), then cycle 1 whole.
	if _, err := w.s.write.Exec(`INSERT INTO dialogue_cycles (dialogue_id, number, opened_at) VALUES (?, 2, ?)`,
		dlg, t0.Add(10*minute).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.write.Exec(`INSERT INTO dialogue_cycles (dialogue_id, number, opened_at, closed_at) VALUES (?, 1, ?, ?)`,
		dlg, t0.UnixMilli(), t0.Add(25*minute).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	checkCycleFacts(t, w.s, "rows written directly")
	got := w.cycles(t0, dayEnd)
	if len(got) != 2 || got[0].Responder != "Boris" || got[0].FirstResponse() != 3*minute ||
		got[1].AskedAt != 0 || got[1].RepliedAt != 0 {
		t.Fatalf("cycles = %+v", got)
	}
	// Cycle 1 closed at 10:25 after all: cycle 2's wait starts there, before the 10:20 question.
	if _, err := w.s.write.Exec(`UPDATE dialogue_cycles SET closed_at = ? WHERE dialogue_id = ? AND number = 1`,
		t0.Add(15*minute).UnixMilli(), dlg); err != nil {
		t.Fatal(err)
	}
	checkCycleFacts(t, w.s, "an earlier close")
	got = w.cycles(t0, dayEnd)
	if len(got) != 2 || got[1].AskedAt != t0.Add(20*minute).UnixMilli() || got[1].Responder != "Anna" || got[1].FirstResponse() != 10*minute {
		t.Fatalf("cycles = %+v", got)
	}
	// The chat's messages go away (a replica drops them): nothing was asked or answered.
	if _, err := w.s.write.Exec(`DELETE FROM messages WHERE chat_id = ?`, chat); err != nil {
		t.Fatal(err)
	}
	checkCycleFacts(t, w.s, "messages deleted")
	for _, c := range w.cycles(t0, dayEnd) {
		if c.AskedAt != 0 || c.RepliedAt != 0 || c.ResponderID != 0 {
			t.Fatalf("cycle after the messages went: %+v", c)
		}
	}
}

// Every scenario of TestReportCases leaves stored facts equal to the definition's.
func TestReportFactsStayCurrentThroughTheReportCases(t *testing.T) {
	w := newReportWorld(t)
	chat := w.client("1", t0)
	w.bot("1", t0.Add(time.Second))
	d := w.open(chat, w.anna, "Billing", t0.Add(2*minute))
	checkCycleFacts(t, w.s, "opened")
	w.reply(chat, w.anna, t0.Add(5*minute))
	checkCycleFacts(t, w.s, "replied")
	d = w.close(d, "1", w.anna, 4, t0.Add(32*minute))
	checkCycleFacts(t, w.s, "closed with a rating request")
	d = w.reopen(d, w.bo, t0.Add(time.Hour))
	w.client("1", t0.Add(61*minute))
	w.reply(chat, w.bo, t0.Add(70*minute))
	w.rateClient(d, 5, t0.Add(71*minute))
	checkCycleFacts(t, w.s, "reopened and answered")
	got := w.cycles(t0, dayEnd)
	if len(got) != 2 || got[0].FirstResponse() != 5*minute || got[1].FirstResponse() != 9*minute || got[1].Responder != "Boris" {
		t.Fatalf("cycles = %+v", got)
	}
}

// The lookback is written twice, as store.ReportLookback (what the code and README say) and as
// milliseconds in the view; they must agree.
func TestReportLookbackMatchesTheView(t *testing.T) {
	s := openTest(t)
	var view string
	if err := s.read.Get(&view, `SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'dialogue_cycle_waits'`); err != nil {
		t.Fatal(err)
	}
	if want := "cy.opened_at - " + strconv.FormatInt(ReportLookback.Milliseconds(), 10) + ","; !strings.Contains(view, want) {
		t.Fatalf("dialogue_cycle_waits does not look back ReportLookback (%q):\n%s", want, view)
	}
}

// A bulk load (the demo, the bench) fills the facts once at its end and puts the triggers back.
func TestBulkLoadFillsCycleFacts(t *testing.T) {
	f := fixture(t)
	checkCycleFacts(t, f.s, "after a bulk load")
	var triggers, asked int
	if err := f.s.read.Get(&triggers, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dialogue_facts_%'`); err != nil {
		t.Fatal(err)
	}
	if triggers != 6 {
		t.Fatalf("%d dialogue_facts triggers after a bulk load, want 6", triggers)
	}
	if err := f.s.read.Get(&asked, `SELECT COUNT(*) FROM dialogue_cycles WHERE asked_at <> 0`); err != nil {
		t.Fatal(err)
	}
	if asked == 0 {
		t.Fatal("no bulk-loaded cycle has a question: the fill did not run")
	}
	// The triggers work again: a manager's reply in the open dialogue's chat (4) is its first.
	if _, err := f.s.QueueSend(context.Background(), 4, fxMe, "answer", nil, 0, fxNow); err != nil {
		t.Fatal(err)
	}
	checkCycleFacts(t, f.s, "a reply after the load")
	var replied int
	if err := f.s.read.Get(&replied, `SELECT COUNT(*) FROM dialogue_cycles WHERE replied_at = ? AND responder_id = ?`,
		fxNow.UnixMilli(), fxMe); err != nil {
		t.Fatal(err)
	}
	if replied != 1 {
		t.Fatalf("%d cycles answered by the new reply, want 1", replied)
	}
}

// Migration 0019 fills the facts of the cycles already stored, by the definition: the bot's
// answer, a refused reply and the cycle's own rating request are no reply; the manager's is.
func TestMigration0019FillsTheFactsOfStoredCycles(t *testing.T) {
	path, db := migratedBelow(t, 19)
	for _, q := range []string{
		`INSERT INTO channels (id, kind, external_id, created_at) VALUES (1, 'telegram', 't', 0)`,
		`INSERT INTO people (id, name, created_at) VALUES (1, 'Client', 0)`,
		`INSERT INTO chats (id, person_id, channel_id, external_chat_id, created_at) VALUES (1, 1, 1, 'a', 0)`,
		`INSERT INTO managers (id, name) VALUES (7, 'Anna')`,
		`INSERT INTO messages (id, chat_id, sender, manager_id, status, created_at) VALUES
			(1, 1, 'client', 0, 'received', 100000), (2, 1, 'bot', 0, 'sent', 100500),
			(3, 1, 'manager', 7, 'failed', 101000), (4, 1, 'manager', 7, 'sent', 160000),
			(5, 1, 'client', 0, 'received', 400000), (6, 1, 'manager', 7, 'sent', 500000)`,
		`INSERT INTO dialogues (id, chat_id, type, status, created_at, closed_at) VALUES (1, 1, 'Billing', 'closed', 100200, 500000)`,
		`INSERT INTO dialogue_cycles (dialogue_id, number, opened_at, closed_at, rating_message_id) VALUES
			(1, 1, 100200, 300000, 0), (1, 2, 350000, 500000, 6)`,
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
	checkCycleFacts(t, s, "migrated")
	var got []struct {
		Asked     int64 `db:"asked_at"`
		Replied   int64 `db:"replied_at"`
		Responder int64 `db:"responder_id"`
	}
	if err := s.read.Select(&got, `SELECT asked_at, replied_at, responder_id FROM dialogue_cycles ORDER BY number`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Asked != 100000 || got[0].Replied != 160000 || got[0].Responder != 7 ||
		got[1].Asked != 400000 || got[1].Replied != 0 || got[1].Responder != 0 {
		t.Fatalf("facts = %+v", got)
	}
}
