package store

import (
	"context"
	"strconv"
	"testing"
	"time"

	"switchboard/backend/core"
)

// reportWorld is a real SQLite file with a Telegram bot, its clients' chats and three managers
// (me, Anna, Boris), where each test writes what happened through the store's own calls: client
// and bot messages arrive as batches, managers' replies are queued sends, dialogues are created,
// closed with a rating request the client taps, reopened.
type reportWorld struct {
	t            *testing.T
	s            *Store
	ch           core.Channel
	me, anna, bo int64
	cursor       int
}

func newReportWorld(t *testing.T) *reportWorld {
	t.Helper()
	s := openTest(t)
	w := &reportWorld{t: t, s: s, ch: addTestChannel(t, s, core.Telegram, "100")}
	w.me = me(t, s)
	for _, name := range []string{"Anna", "Boris"} {
		var id int64
		if err := s.write.Get(&id, `INSERT INTO managers (name) VALUES (?) RETURNING id`, name); err != nil {
			t.Fatal(err)
		}
		if name == "Anna" {
			w.anna = id
		} else {
			w.bo = id
		}
	}
	return w
}

func (w *reportWorld) apply(u core.Update) {
	w.t.Helper()
	w.cursor++
	if _, err := w.s.ApplyBatch(context.Background(), w.ch.ID, core.Batch{Cursor: strconv.Itoa(w.cursor), Updates: []core.Update{u}}, t0); err != nil {
		w.t.Fatal(err)
	}
}

// client makes the client of chat ext write at the moment at; it returns the chat's id.
func (w *reportWorld) client(ext string, at time.Time) int64 {
	w.t.Helper()
	w.apply(msgUpd(ext, "c"+strconv.Itoa(w.cursor+1), "question", at.UnixMilli()))
	c, err := w.s.ChatByExternal(context.Background(), w.ch.ID, ext)
	if err != nil {
		w.t.Fatal(err)
	}
	return c.ID
}

// bot is the company's bot answering in chat ext on its own (an automatic reply).
func (w *reportWorld) bot(ext string, at time.Time) {
	w.t.Helper()
	w.apply(core.Update{Kind: core.UpdMessage, ExternalChatID: ext, ExternalID: "b" + strconv.Itoa(w.cursor+1), Text: "auto reply",
		At: at.UnixMilli(), Sender: core.SenderBot})
}

func (w *reportWorld) reply(chat, manager int64, at time.Time) {
	w.t.Helper()
	if _, err := w.s.QueueSend(context.Background(), chat, manager, "answer", nil, 0, at); err != nil {
		w.t.Fatal(err)
	}
}

func (w *reportWorld) open(chat, manager int64, typ string, at time.Time) core.Dialogue {
	w.t.Helper()
	d, err := w.s.CreateDialogue(context.Background(), chat, manager, core.DialogueInput{Type: typ, Status: core.DialogueOpen,
		Managers: []int64{manager}}, at)
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}

// close closes d; a clientScore > 0 sends the rating request and the client taps that score.
func (w *reportWorld) close(d core.Dialogue, ext string, manager int64, clientScore int, at time.Time) core.Dialogue {
	w.t.Helper()
	ctx := context.Background()
	text := ""
	if clientScore > 0 {
		text = "Rate us 1-5"
	}
	d, err := w.s.CloseDialogue(ctx, d.ID, manager, text, at)
	if err != nil {
		w.t.Fatal(err)
	}
	if clientScore > 0 {
		w.apply(tapUpd(ext, "q"+strconv.Itoa(w.cursor), d.Cycles[len(d.Cycles)-1].ID, clientScore))
	}
	return d
}

func (w *reportWorld) rateClient(d core.Dialogue, score int, at time.Time) {
	w.t.Helper()
	if _, err := w.s.RateClient(context.Background(), d.ID, score, at); err != nil {
		w.t.Fatal(err)
	}
}

func (w *reportWorld) reopen(d core.Dialogue, manager int64, at time.Time) core.Dialogue {
	w.t.Helper()
	d, err := w.s.ReopenDialogue(context.Background(), d.ID, manager, at)
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}

func (w *reportWorld) cycles(from, to time.Time) []ReportCycle {
	w.t.Helper()
	rows, err := w.s.ReportCycles(context.Background(), from, to)
	if err != nil {
		w.t.Fatal(err)
	}
	return rows
}

func (w *reportWorld) groups(from, to time.Time) map[string]ReportGroup {
	w.t.Helper()
	gs, err := w.s.ReportGroups(context.Background(), from, to)
	if err != nil {
		w.t.Fatal(err)
	}
	out := map[string]ReportGroup{}
	for _, g := range gs {
		key := g.Manager + "/" + g.Type
		if _, dup := out[key]; dup {
			w.t.Fatalf("two lines for %s: %+v", key, gs)
		}
		out[key] = g
	}
	return out
}

var (
	minute = time.Minute
	dayEnd = t0.Add(24 * time.Hour)
)

func TestReportCases(t *testing.T) {
	type want struct {
		cycles []ReportCycle // the fields checked: DialogueID unchecked, Cycle, AskedAt, RepliedAt, Manager, Responder, ClosedAt, ratings
		groups map[string]ReportGroup
	}
	ms := func(d time.Duration) int64 { return t0.Add(d).UnixMilli() }
	cases := []struct {
		name  string
		world func(w *reportWorld)
		want  want
	}{{
		// The client asks at 10:00, the bot answers at once, the manager opens the dialogue at
		// 10:02 and replies at 10:05: the client waited five minutes for a person, not one
		// second (the bot) nor three minutes (since the dialogue opened).
		name: "a bot's reply before the manager's",
		world: func(w *reportWorld) {
			chat := w.client("1", t0)
			w.bot("1", t0.Add(time.Second))
			d := w.open(chat, w.anna, "Billing", t0.Add(2*minute))
			w.reply(chat, w.anna, t0.Add(5*minute))
			w.close(d, "1", w.anna, 4, t0.Add(32*minute))
		},
		want: want{
			cycles: []ReportCycle{{Cycle: 1, AskedAt: ms(0), RepliedAt: ms(5 * minute), ClosedAt: ms(32 * minute),
				Manager: "Anna", Responder: "Anna", ClientRating: 4, Status: core.DialogueClosed}},
			groups: map[string]ReportGroup{"Anna/Billing": {Cycles: 1, Closed: 1, FirstResponseSum: (5 * minute).Milliseconds(), FirstResponseN: 1,
				ResolutionSum: (30 * minute).Milliseconds(), ClientRatingSum: 4, ClientRatingN: 1}},
		},
	}, {
		// Closed, then the client writes again the next hour and the dialogue is reopened: two
		// cycles, each with its own wait, resolution and rating. The first cycle's rating
		// request (a manager message at the close) is no reply to anything.
		name: "a reopened dialogue",
		world: func(w *reportWorld) {
			chat := w.client("1", t0)
			d := w.open(chat, w.me, "Refund", t0.Add(minute))
			w.reply(chat, w.me, t0.Add(3*minute))
			d = w.close(d, "1", w.me, 5, t0.Add(10*minute))
			w.rateClient(d, 3, t0.Add(11*minute))
			w.client("1", t0.Add(60*minute))
			d = w.reopen(d, w.me, t0.Add(61*minute))
			w.reply(chat, w.me, t0.Add(70*minute))
			d = w.close(d, "1", w.me, 1, t0.Add(81*minute))
		},
		want: want{
			cycles: []ReportCycle{
				{Cycle: 1, AskedAt: ms(0), RepliedAt: ms(3 * minute), ClosedAt: ms(10 * minute), Manager: "me", Responder: "me",
					ClientRating: 5, ManagerRating: 3, Status: core.DialogueClosed},
				{Cycle: 2, AskedAt: ms(60 * minute), RepliedAt: ms(70 * minute), ClosedAt: ms(81 * minute), Manager: "me", Responder: "me",
					ClientRating: 1, Status: core.DialogueClosed}},
			groups: map[string]ReportGroup{"me/Refund": {Cycles: 2, Closed: 2, FirstResponseSum: (3 + 10) * minute.Milliseconds(), FirstResponseN: 2,
				ResolutionSum: (9 + 20) * minute.Milliseconds(), ClientRatingSum: 6, ClientRatingN: 2, ManagerRatingSum: 3, ManagerRatingN: 1}},
		},
	}, {
		// Anna answers first, the chat goes to Boris, who closes: the cycle, its resolution
		// and rating are Boris's; the first response is Anna's, on Anna's line.
		name: "a reassignment mid-dialogue",
		world: func(w *reportWorld) {
			chat := w.client("1", t0)
			d := w.open(chat, w.anna, "Billing", t0)
			w.reply(chat, w.anna, t0.Add(2*minute))
			w.reply(chat, w.bo, t0.Add(20*minute))
			w.close(d, "1", w.bo, 2, t0.Add(40*minute))
		},
		want: want{
			cycles: []ReportCycle{{Cycle: 1, AskedAt: ms(0), RepliedAt: ms(2 * minute), ClosedAt: ms(40 * minute), Manager: "Boris", Responder: "Anna",
				ClientRating: 2, Status: core.DialogueClosed}},
			groups: map[string]ReportGroup{
				"Anna/Billing":  {FirstResponseSum: (2 * minute).Milliseconds(), FirstResponseN: 1},
				"Boris/Billing": {Cycles: 1, Closed: 1, ResolutionSum: (40 * minute).Milliseconds(), ClientRatingSum: 2, ClientRatingN: 1}},
		},
	}, {
		// Three dialogues: rated 5, rated 2 by the client only, not rated at all. The average is
		// over the ratings given (3.5), not over the cycles (2.33); the unanswered, still open
		// dialogue has no first response and no resolution and counts as one cycle.
		name: "ratings averaged over the given ones, unanswered and open cycles",
		world: func(w *reportWorld) {
			a := w.client("1", t0)
			b := w.client("2", t0)
			c := w.client("3", t0)
			da := w.open(a, w.me, "Billing", t0)
			w.reply(a, w.me, t0.Add(minute))
			da = w.close(da, "1", w.me, 5, t0.Add(2*minute))
			w.rateClient(da, 4, t0.Add(2*minute))
			db := w.open(b, w.me, "Billing", t0)
			w.reply(b, w.me, t0.Add(3*minute))
			w.close(db, "2", w.me, 2, t0.Add(4*minute))
			w.open(c, w.me, "Billing", t0)
		},
		want: want{
			cycles: []ReportCycle{
				{Cycle: 1, AskedAt: ms(0), RepliedAt: ms(minute), ClosedAt: ms(2 * minute), Manager: "me", Responder: "me", ClientRating: 5, ManagerRating: 4, Status: core.DialogueClosed},
				{Cycle: 1, AskedAt: ms(0), RepliedAt: ms(3 * minute), ClosedAt: ms(4 * minute), Manager: "me", Responder: "me", ClientRating: 2, Status: core.DialogueClosed},
				{Cycle: 1, AskedAt: ms(0), Manager: "me", Status: core.DialogueOpen}},
			groups: map[string]ReportGroup{"me/Billing": {Cycles: 3, Closed: 2, FirstResponseSum: (4 * minute).Milliseconds(), FirstResponseN: 2,
				ResolutionSum: (6 * minute).Milliseconds(), ClientRatingSum: 7, ClientRatingN: 2, ManagerRatingSum: 4, ManagerRatingN: 1}},
		},
	}, {
		// The period is [from, to) by the cycle's opening: a cycle opened the moment the period
		// starts is in it, one opened the moment it ends is in the next; a cycle opened before
		// the period and closed inside it is not counted again. A reopen inside the period
		// counts only its new cycle.
		name: "period boundaries",
		world: func(w *reportWorld) {
			before := w.client("1", t0.Add(-2*time.Hour))
			d := w.open(before, w.me, "Early", t0.Add(-time.Hour))
			w.reply(before, w.me, t0.Add(-time.Hour+minute))
			d = w.close(d, "1", w.me, 0, t0.Add(time.Hour)) // closed inside, opened before
			w.client("1", t0.Add(2*time.Hour))
			w.reopen(d, w.me, t0.Add(2*time.Hour))
			at := w.client("2", t0)
			w.open(at, w.me, "Start", t0)
			end := w.client("3", dayEnd.Add(-minute))
			w.open(end, w.me, "End", dayEnd)
		},
		want: want{
			cycles: []ReportCycle{
				{Cycle: 1, AskedAt: ms(0), Manager: "me", Status: core.DialogueOpen},
				{Cycle: 2, AskedAt: ms(2 * time.Hour), Manager: "me", Status: core.DialogueOpen}},
			groups: map[string]ReportGroup{"me/Start": {Cycles: 1}, "me/Early": {Cycles: 1}},
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newReportWorld(t)
			tc.world(w)
			got := w.cycles(t0, dayEnd)
			if len(got) != len(tc.want.cycles) {
				t.Fatalf("cycles = %+v, want %d", got, len(tc.want.cycles))
			}
			for i, g := range got {
				wc := tc.want.cycles[i]
				if g.Cycle != wc.Cycle || g.AskedAt != wc.AskedAt || g.RepliedAt != wc.RepliedAt || g.ClosedAt != wc.ClosedAt ||
					g.Manager != wc.Manager || g.Responder != wc.Responder || g.ClientRating != wc.ClientRating ||
					g.ManagerRating != wc.ManagerRating || g.Status != wc.Status || g.Client == "" || g.Channel != "telegram" {
					t.Errorf("cycle %d = %+v\nwant       %+v", i, g, wc)
				}
			}
			groups := w.groups(t0, dayEnd)
			if len(groups) != len(tc.want.groups) {
				t.Errorf("groups = %+v, want %+v", groups, tc.want.groups)
			}
			for key, wg := range tc.want.groups {
				g := groups[key]
				g.ManagerID, g.Manager, g.Type = 0, "", ""
				if g != wg {
					t.Errorf("group %s = %+v\nwant %+v", key, g, wg)
				}
			}
		})
	}
}

// The first response of a cycle whose manager replied before the client wrote (an outbound
// dialogue) counts from the client's first message after that reply.
func TestReportOutboundDialogueWaitsFromTheClientsAnswer(t *testing.T) {
	w := newReportWorld(t)
	chat := w.client("1", t0.Add(-48*time.Hour)) // an old, answered conversation
	w.reply(chat, w.anna, t0.Add(-47*time.Hour))
	d := w.open(chat, w.anna, "Sales", t0)
	w.reply(chat, w.anna, t0.Add(minute)) // the offer
	w.client("1", t0.Add(30*minute))      // the client answers
	w.reply(chat, w.anna, t0.Add(45*minute))
	w.close(d, "1", w.anna, 0, t0.Add(time.Hour))
	got := w.cycles(t0, dayEnd)
	if len(got) != 1 || got[0].FirstResponse() != 15*minute || got[0].Resolution() != time.Hour || got[0].Responder != "Anna" {
		t.Fatalf("cycles = %+v", got)
	}
}

// A conversation the bot handled two days before is not what the dialogue is about: the wait
// starts at most ReportLookback before the cycle opened, so the question of ten minutes ago
// starts it.
func TestReportWaitLooksBackADayAtMost(t *testing.T) {
	w := newReportWorld(t)
	chat := w.client("1", t0.Add(-48*time.Hour))
	w.bot("1", t0.Add(-48*time.Hour+time.Second))
	w.client("1", t0.Add(-10*minute))
	w.open(chat, w.me, "Support", t0)
	w.reply(chat, w.me, t0.Add(5*minute))
	got := w.cycles(t0, dayEnd)
	if len(got) != 1 || got[0].AskedAt != t0.Add(-10*minute).UnixMilli() || got[0].FirstResponse() != 15*minute {
		t.Fatalf("cycles = %+v", got)
	}
}
