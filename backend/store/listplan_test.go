package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"switchboard/backend/core"
)

// listed is a person of the list plan fixture as the fixture made them, to list the people a
// query should show in Go, without the store's SQL.
type listed struct {
	id                    int64
	archived, blacklisted bool
	hasPhone              bool
	source                string
	status                core.PersonStatus
	tags                  []string
	plan                  string
	kinds                 []core.ChannelKind
	activeDialogue        bool
	claimedByMe           bool // a chat of theirs is mine
	claimed               bool // a chat of theirs is someone's
	important             bool // an open task of mine (every task is due before today ends)
	lastMessageAt         int64
	unread                bool
	firstUnreadAt         int64 // of the chats with unread messages
}

// shownBy lists, in order, the ids of the people q shows, filtering and sorting people in Go.
func shownBy(people []listed, q core.ListQuery) []int64 {
	f := q.Filter
	var out []listed
	for _, p := range people {
		visible := !p.archived && !p.blacklisted
		switch {
		case f.Archived && f.Blacklisted:
			visible = p.archived || p.blacklisted
		case f.Archived:
			visible = p.archived && !p.blacklisted
		case f.Blacklisted:
			visible = p.blacklisted
		}
		ok := visible &&
			(len(f.Channels) == 0 || slices.ContainsFunc(f.Channels, func(k core.ChannelKind) bool { return slices.Contains(p.kinds, k) })) &&
			(f.HasPhone == nil || *f.HasPhone == p.hasPhone) &&
			(f.HasEmail == nil || !*f.HasEmail) && // nobody has an email
			(len(f.Tags) == 0 || slices.ContainsFunc(f.Tags, func(t string) bool { return slices.Contains(p.tags, t) })) &&
			(len(f.Plans) == 0 || slices.Contains(f.Plans, p.plan)) &&
			(len(f.Sources) == 0 || slices.Contains(f.Sources, p.source)) &&
			(len(f.Statuses) == 0 || slices.Contains(f.Statuses, p.status)) &&
			(!f.ActiveDialogues || p.activeDialogue) &&
			(f.Owner != core.OwnerMine || p.claimedByMe) &&
			(f.Owner != core.OwnerUnassigned || !p.claimed)
		switch q.Tab {
		case core.TabImportant:
			ok = ok && p.important
		case core.TabUnread:
			ok = ok && p.unread
		}
		if ok {
			out = append(out, p)
		}
	}
	if q.Tab == core.TabUnread && q.OldestFirst {
		slices.SortFunc(out, func(a, b listed) int {
			return cmp.Or(cmp.Compare(a.firstUnreadAt, b.firstUnreadAt), cmp.Compare(a.id, b.id))
		})
	} else {
		slices.SortFunc(out, func(a, b listed) int {
			return cmp.Or(cmp.Compare(b.lastMessageAt, a.lastMessageAt), cmp.Compare(b.id, a.id))
		})
	}
	ids := make([]int64, len(out))
	for i, p := range out {
		ids[i] = p.id
	}
	return ids
}

// listPlanFixture fills s with 2,400 people whose tags, plans, claims, dialogues, tasks, read
// marks and message times overlap at random, and returns them as made.
func listPlanFixture(t *testing.T, s *Store) []listed {
	t.Helper()
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
	var people []listed
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
		l := listed{id: i, archived: p.Archived, blacklisted: p.Blacklisted, hasPhone: p.Phone != "", source: p.Source, status: p.Status}
		if rng.IntN(2) == 0 {
			p.TagIDs = append(p.TagIDs, 1)
			l.tags = append(l.tags, "common")
		}
		if rng.IntN(25) == 0 {
			p.TagIDs = append(p.TagIDs, 2)
			l.tags = append(l.tags, "rare")
		}
		p.PlanIDs = []int64{1 + int64(rng.IntN(4)/3)} // three in four in "big"
		l.plan = []string{"", "big", "small"}[p.PlanIDs[0]]
		must(b.Person(p))
		for c := 0; c < 1+rng.IntN(2); c++ {
			chatID++
			msgID++
			bc := BulkChat{}
			bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = chatID, i, int64(1+c), fmt.Sprint(chatID)
			l.kinds = append(l.kinds, []core.ChannelKind{core.Telegram, core.VK}[c])
			if rng.IntN(3) == 0 {
				bc.OwnerID = 1
				l.claimedByMe, l.claimed = true, true
			}
			read := rng.IntN(3) == 0
			if read {
				bc.LastReadMessageID = msgID // the chat's one message
			}
			must(b.Chat(bc))
			// Ties on the time on purpose: the order falls back to the id.
			at := 1000 + int64(rng.IntN(n))
			must(b.Message(core.Message{ID: msgID, ChatID: chatID, Kind: core.KindMessage, Sender: core.SenderClient, Text: "x", CreatedAt: at}))
			l.lastMessageAt = max(l.lastMessageAt, at)
			if !read && (!l.unread || at < l.firstUnreadAt) {
				l.unread, l.firstUnreadAt = true, at
			}
			if rng.IntN(6) == 0 {
				dlgID++
				status := []string{"open", "closed"}[rng.IntN(2)]
				must(b.Dialogue(core.Dialogue{ID: dlgID, ChatID: chatID, Type: "q", Status: status, CreatedAt: 1}, nil))
				l.activeDialogue = l.activeDialogue || status == "open"
			}
		}
		for k := rng.IntN(3); k > 0; k-- { // some people have two tasks
			taskID++
			task := core.Task{ID: taskID, PersonID: i, AssigneeID: 1 + int64(rng.IntN(2)), Title: "t", DueAt: 1, Done: rng.IntN(5) == 0}
			must(b.Task(task))
			l.important = l.important || (task.AssigneeID == 1 && !task.Done)
		}
		people = append(people, l)
	}
	must(b.Finish())
	return people
}

// TestListWalkAndDriveGiveTheSameAnswers lists every page of a spread of tabs and filters
// several ways — walking the list index with the sets as tests, driving from each set, and as
// setPlan chooses — on a workspace where sets overlap at random, and requires each to give the
// people the fixture's own record says, in order, page after page. The plan chosen for the
// first page rides in the cursor: the sets are measured once per list, not once per page.
func TestListWalkAndDriveGiveTheSameAnswers(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	people := listPlanFixture(t, s)

	yes := true
	queries := []core.ListQuery{
		{Tab: core.TabAll},
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
		{Tab: core.TabAll, Filter: core.ListFilter{Archived: true, Channels: []core.ChannelKind{core.Telegram}}},
		{Tab: core.TabUnread, Filter: core.ListFilter{Plans: []string{"big", "small"}, Channels: []core.ChannelKind{core.VK}}},
		{Tab: core.TabUnread, OldestFirst: true, Filter: core.ListFilter{Tags: []string{"common"}, ActiveDialogues: true}},
		{Tab: core.TabUnread, OldestFirst: true},
	}
	defer func() { forceSetPlan, observeSetPlan = nil, nil }()
	measured := 0
	observeSetPlan = func() { measured++ }
	walk := func(q core.ListQuery, plan *int) (got []int64, pages int) {
		t.Helper()
		forceSetPlan = plan
		q.Limit = 37
		for ; ; pages++ {
			page, err := s.ListPeople(ctx, q, 1, fxNow)
			if err != nil {
				t.Fatalf("%+v (plan %v): %v", q, plan, err)
			}
			for _, r := range page.Rows {
				got = append(got, r.PersonID)
			}
			if page.NextCursor == "" || pages > len(people) {
				return got, pages + 1
			}
			q.Cursor = page.NextCursor
		}
	}
	for _, q := range queries {
		what := fmt.Sprintf("%s %+v oldest %v", q.Tab, q.Filter, q.OldestFirst)
		want := shownBy(people, q)
		if len(want) <= 37 {
			t.Errorf("%s: %d people (the fixture should give every query more than a page)", what, len(want))
		}
		measured = 0
		chosen, pages := walk(q, nil)
		wantIDs(t, what+" as chosen", chosen, want...)
		// At most once for the whole list (none for a query without sets); the fixture's
		// queries with a tag, plan, dialogue, owner or Important's tasks have sets: exactly once.
		hasSets := len(q.Filter.Tags)+len(q.Filter.Plans) > 0 || q.Filter.ActiveDialogues || q.Filter.Owner == core.OwnerMine || q.Tab == core.TabImportant
		if measured > 1 || hasSets && measured != 1 {
			t.Errorf("%s: the sets were measured %d times over %d pages, want once (for the first page)", what, measured, pages)
		}
		walked, _ := walk(q, ptr(-1))
		wantIDs(t, what+" walked", walked, want...)
		for i := 0; i < 4; i++ {
			driven, _ := walk(q, ptr(i))
			wantIDs(t, fmt.Sprintf("%s driven from set %d", what, i), driven, want...)
		}
	}
}

// firstPagePlan lists q's first page as setPlan chooses and returns the plan its cursor carries.
func firstPagePlan(t *testing.T, s *Store, q core.ListQuery) listCursor {
	t.Helper()
	page, err := s.ListPeople(context.Background(), q, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if page.NextCursor == "" {
		t.Fatalf("%+v: one page only; the test needs a cursor", q)
	}
	c, err := decodeCursor(page.NextCursor, q.Tab == core.TabUnread && q.OldestFirst)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The estimate's choice on clear-cut inputs: nothing to drive from walks, a tiny set drives,
// one large set (three in four people) walks, and a tiny set beside a large one drives from
// the tiny one.
func TestListPlanChoosesTheClearCases(t *testing.T) {
	s := openTemp(t)
	listPlanFixture(t, s)
	for _, c := range []struct {
		q    core.ListQuery
		want int
	}{
		{core.ListQuery{Tab: core.TabAll}, walkPlan},
		{core.ListQuery{Tab: core.TabUnread, OldestFirst: true}, walkPlan},
		{core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Tags: []string{"rare"}}}, 0},
		{core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Plans: []string{"big"}}}, walkPlan},
		{core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Tags: []string{"rare"}, Plans: []string{"big"}}}, 0},
		{core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Plans: []string{"big"}, Tags: []string{"rare"}}}, 0}, // tags come first in listWhere
	} {
		c.q.Limit = 20
		if got := firstPagePlan(t, s, c.q).plan.way; got != c.want {
			t.Errorf("%s %+v: plan %d, want %d", c.q.Tab, c.q.Filter, got, c.want)
		}
	}
}

// A list cursor is checked before it is used: one that does not decode, one for another order,
// filter, tab or search, and one whose plan names a set the list does not have are
// ErrBadCursor; a plan edited to another of the list's own sets still lists the right people
// (every plan does), and a cursor without a plan (as written before plans were carried) is
// measured again.
func TestListCursorIsChecked(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	people := listPlanFixture(t, s)
	q := core.ListQuery{Tab: core.TabAll, Limit: 30, Filter: core.ListFilter{Tags: []string{"common"}, Plans: []string{"big"}}}
	want := shownBy(people, q)[30:60]
	c := firstPagePlan(t, s, q)
	if c.plan.way == noPlan {
		t.Fatal("the cursor carries no plan")
	}
	rewrite := func(c listCursor) string { return encodeCursor(c, false) }
	second := func(q core.ListQuery, cursor string) ([]int64, error) {
		q.Cursor = cursor
		page, err := s.ListPeople(ctx, q, 1, fxNow)
		var ids []int64
		for _, r := range page.Rows {
			ids = append(ids, r.PersonID)
		}
		return ids, err
	}
	otherTab, otherFilter, otherOrder, withSearch := q, q, q, q
	otherTab.Tab = core.TabUnread
	otherFilter.Filter.Tags = []string{"rare"}
	otherOrder.Tab, otherOrder.OldestFirst = core.TabUnread, true
	withSearch.Search = "Person"
	tooFar, tooLow := c, c
	tooFar.plan.way = 2 // the list has two sets
	tooLow.plan.way = -3
	b64 := base64.RawURLEncoding.EncodeToString
	for _, bad := range []struct {
		what   string
		q      core.ListQuery
		cursor string
	}{
		{"not base64", q, "!!"},
		{"not a cursor", q, b64([]byte("n12"))},
		{"a plan without a signature", q, b64([]byte(fmt.Sprintf("n%d:%d:0", c.key, c.id)))},
		{"a signature not in hex", q, b64([]byte(fmt.Sprintf("n%d:%d:0:zz", c.key, c.id)))},
		{"a plan past the sets", q, rewrite(tooFar)},
		{"a plan below walking", q, rewrite(tooLow)},
		{"another tab", otherTab, rewrite(c)},
		{"another filter", otherFilter, rewrite(c)},
		{"another order", otherOrder, rewrite(c)},
		{"a search", withSearch, rewrite(c)},
	} {
		if ids, err := second(bad.q, bad.cursor); !errors.Is(err, ErrBadCursor) {
			t.Errorf("%s: got %v, %v; want ErrBadCursor", bad.what, ids, err)
		}
	}
	for _, way := range []int{walkPlan, 0, 1} {
		edited := c
		edited.plan.way = way
		got, err := second(q, rewrite(edited))
		if err != nil {
			t.Fatal(err)
		}
		wantIDs(t, fmt.Sprintf("plan edited to %d", way), got, want...)
	}
	defer func() { observeSetPlan = nil }()
	measured := 0
	observeSetPlan = func() { measured++ }
	got, err := second(q, b64([]byte(fmt.Sprintf("n%d:%d", c.key, c.id))))
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "a cursor without a plan", got, want...)
	if measured != 1 {
		t.Errorf("a cursor without a plan: the sets were measured %d times, want once", measured)
	}
}

func ptr(i int) *int { return &i }
