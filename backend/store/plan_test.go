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
	// Plans depend on table statistics; a seven-person fixture would rightly be scanned. Give
	// the planner the statistics ANALYZE wrote for the 100k-people / 1M-messages demo, before
	// any read connection loads the schema.
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sqlite_stat1;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
 ('channels','sqlite_autoindex_channels_1','2 1 1'),
 ('chats','chats_person','114852 2'),
 ('chats','chats_owner','30000 10000 1'),
 ('chats','sqlite_autoindex_chats_1','114852 57426 1'),
 ('dialogues',NULL,'4725'),
 ('dialogues','dialogues_active','2371 1'),
 ('messages','messages_external','779523 7 1 1'),
 ('messages','messages_history','1000000 9 1 1'),
 ('people','people_recent','100000 50000 25000 1 1 1 1 1 1 1 1 1'),
 ('people','people_source','100000 12500'),
 ('people','people_tool','100000 14286'),
 ('people','people_unread_newest','26772 1 1 1 1 1 1 1 1 1 1 1'),
 ('people','people_unread_oldest','26772 1 1 1 1 1 1 1 1'),
 ('person_plans','person_plans','120822 2 1'),
 ('person_plans','person_plans_plan','120822 20137 1'),
 ('person_tags','person_tags','79331 2 1'),
 ('person_tags','person_tags_tag','79331 7934 1'),
 ('sales_plans','sqlite_autoindex_sales_plans_1','6 1'),
 ('tags','sqlite_autoindex_tags_1','10 1'),
 ('tasks','tasks_open','5386 1347 50'),
 ('tasks','tasks_person','5988 1');
ANALYZE sqlite_schema;`); err != nil {
		t.Fatal(err)
	}
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
		{Tab: core.TabAll, Filter: core.ListFilter{Owner: core.OwnerMine}},
		{Tab: core.TabUnread, Filter: core.ListFilter{Owner: core.OwnerUnassigned}},
		{Tab: core.TabImportant, Filter: core.ListFilter{Owner: core.OwnerMine}},
		{Tab: core.TabAll, Filter: core.ListFilter{Archived: true}},
		{Tab: core.TabAll, Filter: core.ListFilter{Blacklisted: true}},
		{Tab: core.TabUnread, Filter: core.ListFilter{Archived: true, Blacklisted: true}},
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
		if testing.Verbose() { // the plans are worth reading with -v, noise in any other failure
			t.Logf("%s\n=> %s", c.sql[strings.Index(c.sql, "FROM"):], strings.ReplaceAll(text, "\n", " | "))
		}
		for _, line := range lines {
			for _, table := range []string{"SCAN p", "SCAN people", "SCAN c", "SCAN chats", "SCAN m", "SCAN messages"} {
				if (line == table || strings.HasPrefix(line, table+" ")) && !strings.Contains(line, "USING") {
					t.Errorf("full scan %q in plan:\n%s\nfor:\n%s", line, text, c.sql)
				}
			}
		}
		// Sorting is expected only where the rows come from a set (fetched by id, or a page
		// driven from a set: "AS drv") or from the small blacklist views, which merge two ranges
		// of the list index.
		if strings.Contains(c.sql, "ORDER BY p.") && !strings.Contains(c.sql, "p.id IN (SELECT") && !strings.Contains(c.sql, ") AS drv ") && !strings.Contains(c.sql, "blacklisted IN (0, 1)") &&
			!strings.Contains(c.sql, "p.archived IN (0, 1)") && strings.Contains(text, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("list walk sorts instead of using an index:\n%s\nfor:\n%s", text, c.sql)
		}
	}
}
