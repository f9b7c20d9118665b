package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"switchboard/backend/core"
)

// TestListWalkAndDriveGiveTheSameAnswers lists every page of a spread of tabs and filters
// three ways — walking the list index with the sets as tests, driving from each set, and as
// setPlan chooses — on a workspace where sets overlap at random, and requires the same people
// in the same order, page after page.
func TestListWalkAndDriveGiveTheSameAnswers(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, must := openBulk(t, s)
	must(b.Manager(core.Manager{ID: 1, Name: "me", IsMe: true}))
	must(b.Manager(core.Manager{ID: 2, Name: "other"}))
	must(b.Channel(core.Channel{ID: 1, Kind: core.Telegram, Name: "tg", ExternalID: "tg"}))
	must(b.Channel(core.Channel{ID: 2, Kind: core.VK, Name: "vk", ExternalID: "vk"}))
	must(b.Tag(1, "common"))
	must(b.Tag(2, "rare"))
	must(b.Plan(1, "big"))
	must(b.Plan(2, "small"))
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 2400
	var chatID, msgID, taskID, dlgID int64
	for i := int64(1); i <= n; i++ {
		p := BulkPerson{}
		p.ID, p.Name, p.Status = i, fmt.Sprintf("Person %d", i), core.Subscribed
		if rng.IntN(5) == 0 {
			p.Status = core.Unsubscribed
		}
		p.Archived = rng.IntN(20) == 0
		p.Blacklisted = rng.IntN(40) == 0
		if rng.IntN(2) == 0 {
			p.Phone = fmt.Sprintf("+7916%07d", i)
		}
		p.Source = []string{"Instagram", "VK ads", ""}[rng.IntN(3)]
		if rng.IntN(2) == 0 {
			p.TagIDs = append(p.TagIDs, 1)
		}
		if rng.IntN(25) == 0 {
			p.TagIDs = append(p.TagIDs, 2)
		}
		p.PlanIDs = []int64{1 + int64(rng.IntN(4)/3)} // three in four in "big"
		must(b.Person(p))
		for c := 0; c < 1+rng.IntN(2); c++ {
			chatID++
			bc := BulkChat{}
			bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = chatID, i, int64(1+c), fmt.Sprint(chatID)
			if rng.IntN(3) == 0 {
				bc.OwnerID = 1
			}
			must(b.Chat(bc))
			msgID++
			// Ties on the time on purpose: the order falls back to the id.
			must(b.Message(core.Message{ID: msgID, ChatID: chatID, Kind: core.KindMessage, Sender: core.SenderClient,
				Text: "x", CreatedAt: 1000 + int64(rng.IntN(n))}))
			if rng.IntN(6) == 0 {
				dlgID++
				must(b.Dialogue(core.Dialogue{ID: dlgID, ChatID: chatID, Type: "q", Status: []string{"open", "closed"}[rng.IntN(2)], CreatedAt: 1}, nil))
			}
		}
		for k := rng.IntN(3); k > 0; k-- { // some people have two tasks
			taskID++
			must(b.Task(core.Task{ID: taskID, PersonID: i, AssigneeID: 1 + int64(rng.IntN(2)), Title: "t", DueAt: 1, Done: rng.IntN(5) == 0}))
		}
	}
	must(b.Finish())

	yes := true
	queries := []core.ListQuery{
		{Tab: core.TabImportant},
		{Tab: core.TabImportant, Filter: core.ListFilter{Tags: []string{"common"}}},
		{Tab: core.TabImportant, Filter: core.ListFilter{Tags: []string{"common", "rare"}, Sources: []string{"Instagram"}}},
		{Tab: core.TabImportant, Filter: core.ListFilter{Plans: []string{"big"}, ActiveDialogues: true}},
		{Tab: core.TabImportant, Filter: core.ListFilter{Owner: core.OwnerMine, HasPhone: &yes}},
		{Tab: core.TabImportant, Filter: core.ListFilter{Archived: true, Blacklisted: true}},
		{Tab: core.TabAll, Filter: core.ListFilter{ActiveDialogues: true, Tags: []string{"common"}}},
		{Tab: core.TabAll, Filter: core.ListFilter{Plans: []string{"small"}, Statuses: []core.PersonStatus{core.Unsubscribed}}},
		{Tab: core.TabAll, Filter: core.ListFilter{Owner: core.OwnerUnassigned, Tags: []string{"common"}}},
		{Tab: core.TabAll, Filter: core.ListFilter{Blacklisted: true, Plans: []string{"big"}}},
		{Tab: core.TabUnread, Filter: core.ListFilter{Plans: []string{"big", "small"}, Channels: []core.ChannelKind{core.VK}}},
		{Tab: core.TabUnread, OldestFirst: true, Filter: core.ListFilter{Tags: []string{"common"}, ActiveDialogues: true}},
	}
	defer func() { forceSetPlan = nil }()
	walk := func(q core.ListQuery, plan *int) []int64 {
		t.Helper()
		forceSetPlan = plan
		var got []int64
		q.Limit = 37
		for pages := 0; ; pages++ {
			page, err := s.ListPeople(ctx, q, 1, fxNow)
			if err != nil {
				t.Fatalf("%+v (plan %v): %v", q, plan, err)
			}
			for _, r := range page.Rows {
				got = append(got, r.PersonID)
			}
			if page.NextCursor == "" || pages > n {
				return got
			}
			q.Cursor = page.NextCursor
		}
	}
	for _, q := range queries {
		byWalk := walk(q, ptr(-1))
		if len(byWalk) == 0 {
			t.Errorf("%s %+v: nobody (the fixture should give every query people)", q.Tab, q.Filter)
		}
		wantIDs(t, fmt.Sprintf("%s %+v as chosen", q.Tab, q.Filter), walk(q, nil), byWalk...)
		for i := 0; i < 4; i++ {
			wantIDs(t, fmt.Sprintf("%s %+v driven from set %d", q.Tab, q.Filter, i), walk(q, ptr(i)), byWalk...)
		}
	}
}

func ptr(i int) *int { return &i }
