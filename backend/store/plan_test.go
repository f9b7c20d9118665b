package store

import (
	"context"
	"strings"
	"testing"

	"switchboard/backend/core"
)

// TestQueryPlansUseIndexes runs EXPLAIN QUERY PLAN on every list, count and history query the
// store composes for a spread of tabs, filters and searches, and fails on a full scan of
// people, chats or messages (a SCAN without an index), or a temp sort on the main list walk.
func TestQueryPlansUseIndexes(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	type captured struct {
		sql  string
		args []any
	}
	var got []captured
	observeQuery = func(q string, a []any) { got = append(got, captured{q, append([]any(nil), a...)}) }
	defer func() { observeQuery = nil }()

	yes := true
	lists := []core.ListQuery{
		{Tab: core.TabAll}, {Tab: core.TabImportant}, {Tab: core.TabUnread}, {Tab: core.TabUnread, OldestFirst: true},
		{Tab: core.TabAll, Search: "иван"}, {Tab: core.TabAll, Search: "916 123"},
		{Tab: core.TabAll, Filter: core.ListFilter{Channels: []core.ChannelKind{core.VK}, HasPhone: &yes}},
		{Tab: core.TabAll, Filter: core.ListFilter{Tags: []string{"VIP"}, Plans: []string{"Воронка"}}},
		{Tab: core.TabUnread, Filter: core.ListFilter{Sources: []string{"Instagram"}, Statuses: []core.PersonStatus{core.Subscribed}}},
		{Tab: core.TabAll, Filter: core.ListFilter{ActiveDialogues: true}},
		{Tab: core.TabAll, Filter: core.ListFilter{Archived: true}},
	}
	for _, q := range lists {
		page, err := s.ListPeople(ctx, core.ListQuery{Tab: q.Tab, Search: q.Search, Filter: q.Filter, OldestFirst: q.OldestFirst, Limit: 1}, fxMe, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		if page.NextCursor != "" { // a later page too
			q.Cursor = page.NextCursor
			if _, err := s.ListPeople(ctx, q, fxMe, fxNow); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.TabCounts(ctx, q, fxMe, fxNow); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range []core.HistoryQuery{{ChatID: f.chatIvan, Limit: 2}, {ChatID: f.chatIvan, Before: f.ivanMsgs[3]},
		{ChatID: f.chatIvan, Filter: core.HistoryFilter{Words: "доступ", Senders: []core.SenderKind{core.SenderClient}}}} {
		if _, err := s.History(ctx, h); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) < 2*len(lists)+3 {
		t.Fatalf("captured only %d queries", len(got))
	}
	for _, c := range got {
		var plan []struct {
			ID     int    `db:"id"`
			Parent int    `db:"parent"`
			NotUse int    `db:"notused"`
			Detail string `db:"detail"`
		}
		if err := s.read.Select(&plan, "EXPLAIN QUERY PLAN "+c.sql, c.args...); err != nil {
			t.Fatalf("explain: %v\n%s", err, c.sql)
		}
		var lines []string
		for _, p := range plan {
			lines = append(lines, p.Detail)
		}
		text := strings.Join(lines, "\n")
		t.Logf("%s\n=> %s", c.sql[strings.Index(c.sql, "FROM"):], strings.ReplaceAll(text, "\n", " | "))
		for _, line := range lines {
			for _, table := range []string{"SCAN p", "SCAN people", "SCAN c", "SCAN chats", "SCAN m", "SCAN messages"} {
				if (line == table || strings.HasPrefix(line, table+" ")) && !strings.Contains(line, "USING") {
					t.Errorf("full scan %q in plan:\n%s\nfor:\n%s", line, text, c.sql)
				}
			}
		}
		if strings.Contains(c.sql, "ORDER BY p.") && !strings.Contains(c.sql, "p.id IN (SELECT") && strings.Contains(text, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("list walk sorts instead of using an index:\n%s\nfor:\n%s", text, c.sql)
		}
	}
}
