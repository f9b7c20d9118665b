package store

import (
	"context"
	"testing"
	"time"

	"switchboard/backend/core"
)

// countEvents counts the events of a kind in the log.
func countEvents(t *testing.T, st *Store, kind string) int {
	t.Helper()
	var n int
	if err := st.read.Get(&n, `SELECT COUNT(*) FROM events WHERE kind = ?`, kind); err != nil {
		t.Fatal(err)
	}
	return n
}

// A chat's row brings all of its dialogues: written as the hub has them, again without a change
// or an event, and a dialogue of the chat the hub no longer lists goes. A dialogue of a chat the
// rows do not carry is not written.
func TestApplyRowsMakesAChatsDialoguesTheHubs(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Now()
	d := core.Dialogue{ID: 51, ChatID: 21, Type: "Delivery", Status: core.DialogueOpen, Reasons: []string{"Late"}, Components: []string{},
		ClientRating: 0, CreatedAt: 2, Managers: []int64{7},
		Cycles: []core.DialogueCycle{
			{ID: 61, DialogueID: 51, Number: 1, OpenedAt: 2, OpenedBy: 7, ClosedAt: 3, ClosedBy: 7, RatingRequestedAt: 3, RatingMessageID: 31, ClientRating: 4, ClientRatedAt: 4},
			{ID: 62, DialogueID: 51, Number: 2, OpenedAt: 5, OpenedBy: 7},
		}}
	stray := core.Dialogue{ID: 52, ChatID: 99, Status: core.DialogueOpen, CreatedAt: 2}
	rows := hubRows("hi")
	rows.Dialogues = []core.Dialogue{d, stray}
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	got, err := st.ChatDialogues(ctx, 21)
	if err != nil || len(got) != 1 || !sameDialogue(got[0], d) {
		t.Fatalf("the chat's dialogues: %+v %v, want %+v", got, err, d)
	}
	if _, err := st.Dialogue(ctx, 52); err == nil {
		t.Fatal("a dialogue of a chat the rows do not carry was written")
	}
	events := countEvents(t, st, core.EventDialogue)
	if events != 1 {
		t.Fatalf("%d dialogue events, want 1", events)
	}
	// The same rows again: nothing changes, nothing is logged.
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	if n := countEvents(t, st, core.EventDialogue); n != events {
		t.Fatalf("re-applying logged %d dialogue events", n-events)
	}
	// The active-dialogues filter sees it; closed at the hub, it does not.
	active := func() int {
		page, err := st.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{ActiveDialogues: true}, Limit: 10}, 7, now)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Rows)
	}
	if active() != 1 {
		t.Fatal("the open dialogue is not in the active filter")
	}
	d.Status, d.ClosedAt, d.Cycles[1].ClosedAt, d.Cycles[1].ClosedBy = core.DialogueClosed, 9, 9, 7
	rows.Dialogues = []core.Dialogue{d}
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	if active() != 0 || countEvents(t, st, core.EventDialogue) != events+1 {
		t.Fatal("the closed dialogue: still active, or not logged once")
	}
	// The chat again without it: deleted at the hub, deleted here, cycles and managers too.
	rows.Dialogues = nil
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	var left int
	st.read.Get(&left, `SELECT (SELECT COUNT(*) FROM dialogues) + (SELECT COUNT(*) FROM dialogue_cycles) + (SELECT COUNT(*) FROM dialogue_managers)`)
	if left != 0 {
		t.Fatalf("%d dialogue rows left after the hub deleted it", left)
	}
}

// The company's settings arrive whole: two list entries that swap names pass the unique names,
// and an unchanged set logs nothing; a lead link of a channel not here waits.
func TestApplyRowsTakesTheWholeSettings(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Now()
	rows := hubRows("hi")
	rows.Settings = &core.CompanySettings{
		DialogueOptions: []core.DialogueOption{{ID: 1, Kind: core.OptionType, Name: "Sales", Position: 1}, {ID: 2, Kind: core.OptionType, Name: "Support", Position: 2}},
		Templates:       []core.Template{{ID: 4, Name: "hi", Value: "Hello, {name}"}},
		LeadLinks:       []core.LeadLink{{ID: 5, ChannelID: 3, Code: "spring", Source: "Instagram"}, {ID: 6, ChannelID: 77, Code: "elsewhere"}},
		ChannelIDs:      []int64{3},
	}
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	links, _ := st.LeadLinks(ctx, 3)
	if opts, _ := st.DialogueOptions(ctx); len(opts) != 2 || len(links) != 1 || links[0].Code != "spring" {
		t.Fatalf("settings: %+v %+v", opts, links)
	}
	logged := countEvents(t, st, core.EventDialogueOptions) + countEvents(t, st, core.EventTemplates) + countEvents(t, st, core.EventLeadLinks)
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	if n := countEvents(t, st, core.EventDialogueOptions) + countEvents(t, st, core.EventTemplates) + countEvents(t, st, core.EventLeadLinks); n != logged {
		t.Fatalf("an unchanged set logged %d events", n-logged)
	}
	rows.Settings.DialogueOptions = []core.DialogueOption{{ID: 1, Kind: core.OptionType, Name: "Support", Position: 1}, {ID: 2, Kind: core.OptionType, Name: "Sales", Position: 2}}
	rows.Settings.Templates = []core.Template{}
	if err := st.ApplyRows(ctx, rows, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	opts, _ := st.DialogueOptions(ctx)
	if len(opts) != 2 || opts[0].ID != 1 || opts[0].Name != "Support" {
		t.Fatalf("swapped names: %+v", opts)
	}
	if ts, _ := st.Templates(ctx); len(ts) != 0 {
		t.Fatalf("a template the hub removed stayed: %+v", ts)
	}
}
