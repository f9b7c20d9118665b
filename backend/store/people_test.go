package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchboard/backend/core"
)

func listIDs(t *testing.T, s *Store, q core.ListQuery) []int64 {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = core.MaxPageSize
	}
	page, err := s.ListPeople(context.Background(), q, fxMe, fxNow)
	if err != nil {
		t.Fatalf("ListPeople(%+v): %v", q, err)
	}
	ids := []int64{}
	for _, r := range page.Rows {
		ids = append(ids, r.PersonID)
	}
	return ids
}

func wantIDs(t *testing.T, what string, got []int64, want ...int64) {
	t.Helper()
	if want == nil {
		want = []int64{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func TestListTabsAndOrder(t *testing.T) {
	f := fixture(t)
	s := f.s
	// All: newest message first; archived, blacklisted hidden; person 7 (no chats) last.
	wantIDs(t, "all", listIDs(t, s, core.ListQuery{Tab: core.TabAll}), 1, 3, 2, 6, 7)
	wantIDs(t, "important", listIDs(t, s, core.ListQuery{Tab: core.TabImportant}), 1, 6)
	wantIDs(t, "unread newest", listIDs(t, s, core.ListQuery{Tab: core.TabUnread}), 1, 3)
	// Иван's oldest unread is 2 h ago, Пётр's 3 h ago.
	wantIDs(t, "unread oldest", listIDs(t, s, core.ListQuery{Tab: core.TabUnread, OldestFirst: true}), 3, 1)
	wantIDs(t, "archive", listIDs(t, s, core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Archived: true}}), 4)
	wantIDs(t, "archive unread", listIDs(t, s, core.ListQuery{Tab: core.TabUnread, Filter: core.ListFilter{Archived: true}}), 4)
	wantIDs(t, "blacklist", listIDs(t, s, core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Blacklisted: true}}), 5)

	page, err := s.ListPeople(context.Background(), core.ListQuery{Tab: core.TabAll}, fxMe, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	r := page.Rows[0]
	if r.Name != "Иван Петров" || r.Unread != 2 || r.Preview != "доступа всё ещё нет" || r.ChatID != f.chatIvan ||
		r.ChannelKind != core.Telegram || !slices.Equal(r.Channels, []core.ChannelKind{core.Telegram}) {
		t.Errorf("first row = %+v", r)
	}
	petr := page.Rows[1]
	if petr.ChatID != f.chatPetrVK || petr.ChannelKind != core.VK || petr.Unread != 1 ||
		!slices.Equal(petr.Channels, []core.ChannelKind{core.Telegram, core.VK}) {
		t.Errorf("Пётр row = %+v", petr)
	}
	if page.NextCursor != "" {
		t.Errorf("single page has a cursor %q", page.NextCursor)
	}

	counts, err := s.TabCounts(context.Background(), core.ListQuery{}, fxMe, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if counts != (core.TabCounts{Important: 2, All: 5, Unread: 2}) {
		t.Errorf("counts = %+v", counts)
	}
	// The end of today moves with now: tomorrow, Anna's task is due too.
	tomorrow := fxNow.Add(24 * time.Hour)
	page, err = s.ListPeople(context.Background(), core.ListQuery{Tab: core.TabImportant}, fxMe, tomorrow)
	if err != nil || len(page.Rows) != 3 {
		t.Errorf("important tomorrow: %d rows, %v", len(page.Rows), err)
	}
	// Another manager's Important tab holds their own tasks only.
	page, err = s.ListPeople(context.Background(), core.ListQuery{Tab: core.TabImportant}, fxOther, fxNow)
	if err != nil || len(page.Rows) != 1 || page.Rows[0].PersonID != 3 {
		t.Errorf("other manager's important: %+v, %v", page.Rows, err)
	}
	if _, err := s.ListPeople(context.Background(), core.ListQuery{Tab: "bogus"}, fxMe, fxNow); err == nil {
		t.Error("unknown tab accepted")
	}
}

func TestListFilters(t *testing.T) {
	s := fixture(t).s
	yes, no := true, false
	cases := []struct {
		name string
		f    core.ListFilter
		want []int64
	}{
		{"telegram", core.ListFilter{Channels: []core.ChannelKind{core.Telegram}}, []int64{1, 3, 6}},
		{"vk", core.ListFilter{Channels: []core.ChannelKind{core.VK}}, []int64{3, 2}},
		{"has phone", core.ListFilter{HasPhone: &yes}, []int64{1, 3}},
		{"no phone", core.ListFilter{HasPhone: &no}, []int64{2, 6, 7}},
		{"has email", core.ListFilter{HasEmail: &yes}, []int64{1, 2, 6}},
		{"no email", core.ListFilter{HasEmail: &no}, []int64{3, 7}},
		{"tag VIP", core.ListFilter{Tags: []string{"VIP"}}, []int64{1}},
		{"tags any", core.ListFilter{Tags: []string{"VIP", "B2B"}}, []int64{1, 2}},
		{"plan", core.ListFilter{Plans: []string{"Вебинар"}}, []int64{3, 2}},
		{"tool", core.ListFilter{Tools: []string{"Квиз"}}, []int64{1}},
		{"source", core.ListFilter{Sources: []string{"Instagram"}}, []int64{1, 3}},
		{"status", core.ListFilter{Statuses: []core.PersonStatus{core.Unsubscribed}}, []int64{6}},
		{"active dialogues", core.ListFilter{ActiveDialogues: true}, []int64{3}},
		{"combined", core.ListFilter{Sources: []string{"Instagram"}, HasEmail: &yes}, []int64{1}},
		{"nothing", core.ListFilter{Tags: []string{"nope"}}, nil},
	}
	for _, c := range cases {
		wantIDs(t, c.name, listIDs(t, s, core.ListQuery{Tab: core.TabAll, Filter: c.f}), c.want...)
		counts, err := s.TabCounts(context.Background(), core.ListQuery{Filter: c.f}, fxMe, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		if counts.All != len(c.want) {
			t.Errorf("%s: count all = %d, want %d", c.name, counts.All, len(c.want))
		}
	}
	// A filter applies to every tab.
	wantIDs(t, "unread+vk", listIDs(t, s, core.ListQuery{Tab: core.TabUnread, Filter: core.ListFilter{Channels: []core.ChannelKind{core.VK}}}), 3)
	wantIDs(t, "important+email", listIDs(t, s, core.ListQuery{Tab: core.TabImportant, Filter: core.ListFilter{HasEmail: &yes}}), 1, 6)
}

func TestListSearch(t *testing.T) {
	s := fixture(t).s
	cases := []struct {
		q    string
		want []int64
	}{
		{"Иван", []int64{1}},
		{"ива", []int64{1}},                // prefix
		{"иван петров", []int64{1}},        // all words
		{"петр", []int64{1}},               // "Петров"
		{"пётр", []int64{3}},               // ё is its own letter
		{"916123", []int64{1}},             // digits inside a formatted phone
		{"1234567", []int64{1}},            // the tail
		{"79161234567", []int64{1}},        // the whole number
		{"916 123-45", []int64{1}},         // typed with separators
		{"+7 (916) 123-45-67", []int64{1}}, // exactly as stored
		{"5550011", []int64{3}},
		{"anna@example.com", []int64{2}},
		{"example", []int64{2}},
		{"mail.ru", []int64{1}},
		{"ANNA", []int64{2}},
		{"Guy", nil}, // archived: not in the main list
		{"nobody", nil},
	}
	for _, c := range cases {
		wantIDs(t, "search "+c.q, listIDs(t, s, core.ListQuery{Tab: core.TabAll, Search: c.q}), c.want...)
	}
	wantIDs(t, "search archive", listIDs(t, s, core.ListQuery{Tab: core.TabAll, Search: "guy", Filter: core.ListFilter{Archived: true}}), 4)
	counts, err := s.TabCounts(context.Background(), core.ListQuery{Search: "ольга"}, fxMe, fxNow)
	if err != nil || counts != (core.TabCounts{Important: 1, All: 1, Unread: 0}) {
		t.Errorf("search counts = %+v, %v", counts, err)
	}
	// FTS5 syntax in user input is never syntax: none of these may error.
	for _, q := range []string{`"`, `*`, `OR (`, `"иван`, `name:иван`, `NEAR(a b)`, `^`, `-`, `a AND`, `)`, `'; DROP TABLE people; --`,
		`{name email}: x`, `иван*`, `""""`, `NOT`, "\x00", `col:"x"`} {
		if _, err := s.ListPeople(context.Background(), core.ListQuery{Tab: core.TabAll, Search: q}, fxMe, fxNow); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
		if _, err := s.TabCounts(context.Background(), core.ListQuery{Search: q}, fxMe, fxNow); err != nil {
			t.Errorf("counts %q: %v", q, err)
		}
	}
	wantIDs(t, "quoted name", listIDs(t, s, core.ListQuery{Tab: core.TabAll, Search: `"иван`}), 1)
	wantIDs(t, "column syntax is text", listIDs(t, s, core.ListQuery{Tab: core.TabAll, Search: `name:иван`}), nil...)
}

// TestListPaginationWalk walks every page of each ordering and checks no row is repeated or
// missed and the order holds, with many ties on the sort key.
func TestListPaginationWalk(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, must := openBulk(t, s)
	b.Batch = 37 // cross several transactions
	must(b.Manager(core.Manager{ID: 1, Name: "me", IsMe: true}))
	must(b.Channel(core.Channel{ID: 1, Kind: core.Telegram, Name: "tg", ExternalID: "tg"}))
	const n = 137
	msgID := int64(0)
	for i := int64(1); i <= n; i++ {
		p := BulkPerson{}
		p.ID, p.Name, p.Status, p.CreatedAt = i, fmt.Sprintf("Person %03d", i), core.Subscribed, 1
		must(b.Person(p))
		bc := BulkChat{}
		bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = i, i, 1, fmt.Sprint(i)
		if i%3 != 0 {
			bc.LastReadMessageID = 0 // unread
		} else {
			bc.LastReadMessageID = 1 << 40 // everything read
		}
		must(b.Chat(bc))
	}
	for i := int64(1); i <= n; i++ {
		// Only 10 distinct times: many ties, broken by id.
		msgID++
		must(b.Message(core.Message{ID: msgID, ChatID: i, Kind: core.KindMessage, Sender: core.SenderClient, Text: "hi",
			Status: core.StatusReceived, CreatedAt: 1_000_000 + (i%10)*1000}))
	}
	must(b.Finish())

	type row struct {
		ID     int64 `db:"id"`
		LastAt int64 `db:"lastat"`
	}
	var all []row
	must(s.read.Select(&all, `SELECT id, last_message_at AS lastat FROM people`))
	for _, tc := range []struct {
		name string
		q    core.ListQuery
		keep func(id int64) bool
		less func(a, b row) bool
	}{
		{"all", core.ListQuery{Tab: core.TabAll}, func(int64) bool { return true },
			func(a, b row) bool { return a.LastAt > b.LastAt || a.LastAt == b.LastAt && a.ID > b.ID }},
		{"unread newest", core.ListQuery{Tab: core.TabUnread}, func(id int64) bool { return id%3 != 0 },
			func(a, b row) bool { return a.LastAt > b.LastAt || a.LastAt == b.LastAt && a.ID > b.ID }},
		// one unread message each, so first_unread_at = last_message_at
		{"unread oldest", core.ListQuery{Tab: core.TabUnread, OldestFirst: true}, func(id int64) bool { return id%3 != 0 },
			func(a, b row) bool { return a.LastAt < b.LastAt || a.LastAt == b.LastAt && a.ID < b.ID }},
	} {
		var want []int64
		var rows []row
		for _, r := range all {
			if tc.keep(r.ID) {
				rows = append(rows, r)
			}
		}
		slices.SortFunc(rows, func(a, b row) int {
			if tc.less(a, b) {
				return -1
			}
			return 1
		})
		for _, r := range rows {
			want = append(want, r.ID)
		}
		var got []int64
		q := tc.q
		q.Limit = 10
		pages := 0
		for {
			page, err := s.ListPeople(ctx, q, 1, fxNow)
			if err != nil {
				t.Fatalf("%s page %d: %v", tc.name, pages, err)
			}
			pages++
			if len(page.Rows) > 10 {
				t.Fatalf("%s: page of %d rows", tc.name, len(page.Rows))
			}
			for _, r := range page.Rows {
				got = append(got, r.PersonID)
			}
			if page.NextCursor == "" {
				break
			}
			q.Cursor = page.NextCursor
			if pages > 100 {
				t.Fatal("pagination does not end")
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: walked %v\nwant %v", tc.name, got, want)
		}
		if wantPages := (len(want) + 9) / 10; pages != wantPages {
			t.Errorf("%s: %d pages, want %d", tc.name, pages, wantPages)
		}
	}
	// A cursor from another ordering, or garbage, is refused rather than misread.
	page, _ := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Limit: 10}, 1, fxNow)
	if _, err := s.ListPeople(ctx, core.ListQuery{Tab: core.TabUnread, OldestFirst: true, Cursor: page.NextCursor}, 1, fxNow); err == nil {
		t.Error("cursor of another order accepted")
	}
	if _, err := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Cursor: "!!"}, 1, fxNow); err == nil {
		t.Error("garbage cursor accepted")
	}
}

func TestFTSQueryBuilders(t *testing.T) {
	if got := ftsPeopleQuery(`  `); got != "" {
		t.Errorf("blank search = %q", got)
	}
	if got := ftsPeopleQuery(`a"b OR (c*`); got != `("a"* AND "b"* AND "or"* AND "c"*)` {
		t.Errorf("hostile search = %q", got)
	}
	if got := ftsPeopleQuery(`916 123`); got != `phone_digits : "916123"*` {
		t.Errorf("phone search = %q", got)
	}
	if got := ftsPeopleQuery(`+7 (916) 123-45`); got != `phone_digits : "791612345"*` {
		t.Errorf("phone as written = %q", got)
	}
	if got := ftsPeopleQuery(`5551`); got != `("5551"*)` {
		t.Errorf("one run of digits = %q", got)
	}
	if got := ftsPeopleQuery(`anna 916`); got != `("anna"* AND "916"*)` {
		t.Errorf("words and digits = %q", got)
	}
	if got := phoneSuffixes("+7 (916) 123"); got != "7916123 916123 16123 6123 123" {
		t.Errorf("suffixes = %q", got)
	}
	if got := phoneSuffixes("12"); got != "12" {
		t.Errorf("short suffixes = %q", got)
	}
}

// TestBroadSetsGiveTheSameAnswers covers the plan for large sets (a common tag, a short search,
// many important people): walking the list index with membership tests must return exactly
// what fetching by id does.
func TestBroadSetsGiveTheSameAnswers(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, must := openBulk(t, s)
	must(b.Manager(core.Manager{ID: 1, Name: "me", IsMe: true}))
	must(b.Channel(core.Channel{ID: 1, Kind: core.Telegram, Name: "tg", ExternalID: "tg"}))
	must(b.Tag(1, "common"))
	must(b.Tag(2, "rare"))
	const n = manyMatches + 300
	var wantCommon, wantRare []int64 // newest first = highest id first (times grow with id)
	for i := int64(1); i <= n; i++ {
		p := BulkPerson{}
		p.ID, p.Name, p.Status = i, fmt.Sprintf("Commonname %d", i), core.Subscribed
		if i%7 != 0 {
			p.TagIDs = append(p.TagIDs, 1)
		}
		if i%300 == 0 {
			p.TagIDs = append(p.TagIDs, 2)
		}
		must(b.Person(p))
		bc := BulkChat{}
		bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = i, i, 1, fmt.Sprint(i)
		must(b.Chat(bc))
		must(b.Message(core.Message{ID: i, ChatID: i, Kind: core.KindMessage, Sender: core.SenderClient, Text: "x", CreatedAt: 1000 + i}))
		if i%2 == 0 {
			must(b.Task(core.Task{ID: i, PersonID: i, AssigneeID: 1, Title: "t", DueAt: 1}))
		}
	}
	must(b.Finish())
	for i := int64(n); i >= 1; i-- {
		if i%7 != 0 {
			wantCommon = append(wantCommon, i)
		}
		if i%300 == 0 {
			wantRare = append(wantRare, i)
		}
	}
	var tasks, commonTasks int
	for i := int64(1); i <= n; i++ {
		if i%2 == 0 {
			tasks++
			if i%7 != 0 {
				commonTasks++
			}
		}
	}
	walk := func(q core.ListQuery) []int64 {
		t.Helper()
		var got []int64
		q.Limit = 200
		for {
			page, err := s.ListPeople(ctx, q, 1, fxNow)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Rows {
				got = append(got, r.PersonID)
			}
			if page.NextCursor == "" {
				return got
			}
			q.Cursor = page.NextCursor
		}
	}
	wantIDs(t, "common tag", walk(core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Tags: []string{"common"}}}), wantCommon...)
	wantIDs(t, "rare tag", walk(core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Tags: []string{"rare"}}}), wantRare...)
	wantIDs(t, "broad search + common tag", walk(core.ListQuery{Tab: core.TabAll, Search: "common", Filter: core.ListFilter{Tags: []string{"common"}}}), wantCommon...)
	c, err := s.TabCounts(ctx, core.ListQuery{Search: "commonn", Filter: core.ListFilter{Tags: []string{"common"}}}, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	// Under a search the counts stop past core.CountCap and say so; the tag alone is counted
	// exactly from people_counts; a search whose matches stay under the cap is exact.
	if len(wantCommon) <= core.CountCap {
		t.Fatalf("the fixture's common tag (%d people) should pass the cap", len(wantCommon))
	}
	want := core.TabCounts{Important: commonTasks, All: core.CountCap, Unread: core.CountCap, AllCapped: true, UnreadCapped: true}
	if c != want {
		t.Errorf("counts = %+v, want %+v", c, want)
	}
	c, err = s.TabCounts(ctx, core.ListQuery{Filter: core.ListFilter{Tags: []string{"common"}}}, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if want := (core.TabCounts{Important: commonTasks, All: len(wantCommon), Unread: len(wantCommon)}); c != want {
		t.Errorf("tag counts = %+v, want %+v", c, want)
	}
	c, err = s.TabCounts(ctx, core.ListQuery{Search: "commonn", Filter: core.ListFilter{Tags: []string{"rare"}}}, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if c.All != len(wantRare) || c.Unread != len(wantRare) || c.AllCapped || c.UnreadCapped {
		t.Errorf("rare tag under a search: counts = %+v, want all=unread=%d", c, len(wantRare))
	}
	imp := walk(core.ListQuery{Tab: core.TabImportant})
	if len(imp) != tasks || imp[0] != n-n%2 {
		t.Errorf("important: %d rows starting %v, want %d", len(imp), imp[:1], tasks)
	}
}
