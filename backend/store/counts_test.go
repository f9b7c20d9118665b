package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchboard/backend/core"
)

// checkPeopleCounts compares people_counts with a fresh count of every facet's people, row for
// row (groups whose count fell to 0 may stay in the table), and the tab badges TabCounts
// answers from it with COUNT(*) walks over people under a spread of filters.
func checkPeopleCounts(t *testing.T, s *Store, when string) {
	t.Helper()
	ctx := context.Background()
	const fresh = `
SELECT 0 AS facet, 0 AS facet_id, archived, blacklisted, CASE WHEN unread > 0 THEN 1 ELSE 0 END AS unread, kinds, status, CASE WHEN phone <> '' THEN 1 ELSE 0 END AS has_phone, CASE WHEN email <> '' THEN 1 ELSE 0 END AS has_email, source, tool, COUNT(*) AS n
FROM people GROUP BY 3, 4, 5, 6, 7, 8, 9, 10, 11
UNION ALL
SELECT 1, pp.plan_id, p.archived, p.blacklisted, CASE WHEN p.unread > 0 THEN 1 ELSE 0 END, p.kinds, p.status,
       CASE WHEN p.phone <> '' THEN 1 ELSE 0 END, CASE WHEN p.email <> '' THEN 1 ELSE 0 END, p.source, p.tool, COUNT(*)
FROM person_plans pp JOIN people p ON p.id = pp.person_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
UNION ALL
SELECT 2, pt.tag_id, p.archived, p.blacklisted, CASE WHEN p.unread > 0 THEN 1 ELSE 0 END, p.kinds, p.status,
       CASE WHEN p.phone <> '' THEN 1 ELSE 0 END, CASE WHEN p.email <> '' THEN 1 ELSE 0 END, p.source, p.tool, COUNT(*)
FROM person_tags pt JOIN people p ON p.id = pt.person_id GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11`
	var diff []string
	if err := s.read.SelectContext(ctx, &diff, `
WITH fresh AS (`+fresh+`), kept AS (SELECT * FROM people_counts WHERE n <> 0)
SELECT 'missing ' || json_array(facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept)
UNION ALL
SELECT 'wrong ' || json_array(facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n)
FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh)`); err != nil {
		t.Fatal(err)
	}
	if len(diff) > 0 {
		t.Fatalf("%s: people_counts differs from a fresh count: %v", when, diff)
	}
	var negative int
	if err := s.read.GetContext(ctx, &negative, `SELECT COUNT(*) FROM people_counts WHERE n < 0`); err != nil || negative != 0 {
		t.Fatalf("%s: %d negative counts (%v)", when, negative, err)
	}

	yes, no := true, false
	filters := []core.ListFilter{
		{}, {Archived: true}, {Blacklisted: true}, {Archived: true, Blacklisted: true},
		{Channels: []core.ChannelKind{core.VK}}, {Channels: []core.ChannelKind{core.Telegram}, HasPhone: &yes},
		{HasEmail: &no}, {Statuses: []core.PersonStatus{core.Unsubscribed}}, {Sources: []string{"Instagram"}, Tools: []string{"Квиз"}},
		{Plans: []string{"Воронка"}}, {Plans: []string{"Webinar"}, Archived: true}, {Tags: []string{"VIP"}},
		{Tags: []string{"B2B"}, Channels: []core.ChannelKind{core.VK}}, {Plans: []string{"no such plan"}},
	}
	for _, f := range filters {
		q := core.ListQuery{Filter: f}
		if w := listWhere(q, fxMe); !w.counts.ok {
			t.Fatalf("filter %+v is not answered from people_counts", f)
		}
		got, err := s.TabCounts(ctx, q, fxMe, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		w := listWhere(q, fxMe)
		var all, unread int
		if err := s.read.GetContext(ctx, &all, `SELECT COUNT(*) FROM people p WHERE `+joinTerms(w.terms), w.args...); err != nil {
			t.Fatal(err)
		}
		if err := s.read.GetContext(ctx, &unread, `SELECT COUNT(*) FROM people p WHERE `+joinTerms(w.terms)+` AND p.unread > 0`, w.args...); err != nil {
			t.Fatal(err)
		}
		if got.All != all || got.Unread != unread {
			t.Errorf("%s: filter %+v: counts %+v, COUNT(*) says all %d unread %d", when, f, got, all, unread)
		}
	}
}

// TestWalkedCountsMatchCountStar: the counts that walk a set (a search, active dialogues,
// several plans or tags, Important) give what COUNT(*) over the list's own WHERE gives, while
// the sets stay under the cap.
func TestWalkedCountsMatchCountStar(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	// A few claimed chats: mine, and another manager's.
	var chats, others []int64
	if err := s.read.SelectContext(ctx, &chats, `SELECT id FROM chats ORDER BY id LIMIT 40`); err != nil {
		t.Fatal(err)
	}
	if err := s.read.SelectContext(ctx, &others, `SELECT id FROM managers WHERE id <> ? LIMIT 1`, fxMe); err != nil || len(others) == 0 {
		t.Fatalf("another manager: %v %v", others, err)
	}
	for i, c := range chats {
		owner := int64(fxMe)
		if i%3 == 0 {
			owner = others[0]
		}
		if err := s.SetChatOwner(ctx, c, owner, 0, fxNow); err != nil {
			t.Fatal(err)
		}
	}
	yes := true
	queries := []core.ListQuery{
		{}, {Search: "ив"}, {Search: "916 123"}, {Search: "a", Filter: core.ListFilter{Archived: true, Blacklisted: true}},
		{Filter: core.ListFilter{ActiveDialogues: true}}, {Filter: core.ListFilter{ActiveDialogues: true, Channels: []core.ChannelKind{core.VK}}},
		{Filter: core.ListFilter{Tags: []string{"VIP"}, Plans: []string{"Воронка"}}},
		{Filter: core.ListFilter{Plans: []string{"Воронка", "Вебинар"}, HasPhone: &yes}},
		{Search: "петр", Filter: core.ListFilter{Plans: []string{"Воронка"}}},
		{Filter: core.ListFilter{Statuses: []core.PersonStatus{core.Unsubscribed}}},
		// Owners are not in people_counts: "mine" is a set, "unassigned" a test per person.
		{Filter: core.ListFilter{Owner: core.OwnerMine}}, {Filter: core.ListFilter{Owner: core.OwnerUnassigned}},
		{Filter: core.ListFilter{Owner: core.OwnerUnassigned, Tags: []string{"VIP"}}},
		{Search: "ив", Filter: core.ListFilter{Owner: core.OwnerMine}},
	}
	for _, q := range queries {
		got, err := s.TabCounts(ctx, q, fxMe, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		w := listWhere(q, fxMe)
		imp, impArgs := importantTerm(fxMe, fxNow)
		var want core.TabCounts
		for _, c := range []struct {
			n    *int
			cond string
			args []any
		}{{&want.All, "", nil}, {&want.Unread, " AND p.unread > 0", nil}, {&want.Important, " AND " + imp, impArgs}} {
			if err := s.read.GetContext(ctx, c.n, `SELECT COUNT(*) FROM people p WHERE `+joinTerms(w.terms)+c.cond, append(append([]any{}, w.args...), c.args...)...); err != nil {
				t.Fatal(err)
			}
		}
		if got != want {
			t.Errorf("%+v: counts %+v, COUNT(*) says %+v", q, got, want)
		}
	}
}

func joinTerms(terms []string) string {
	out := terms[0]
	for _, t := range terms[1:] {
		out += " AND " + t
	}
	return out
}

// TestPeopleCountsFollowEveryWrite runs a mixed sequence of writes through the store's own paths
// (ingestion of new and known clients, a subscription that adds a sales plan, blocks and
// unblocks, phone sharing, reading, archive, blacklist, merge, plan and tag edits, deleting a
// person) and after each step compares people_counts with a fresh COUNT(*).
func TestPeopleCountsFollowEveryWrite(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	checkPeopleCounts(t, s, "after the bulk load")

	tg := addTestChannel(t, s, core.Telegram, "tg-live")
	vk := addTestChannel(t, s, core.VK, "vk-live")
	link, err := s.AddLeadLink(ctx, core.LeadLink{ChannelID: tg.ID, Plan: "Webinar", Source: "Instagram", Tool: "Bio link"})
	if err != nil {
		t.Fatal(err)
	}
	at := fxNow.UnixMilli()
	seq := 0
	apply := func(ch core.Channel, ups ...core.Update) {
		t.Helper()
		seq++
		if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: fmt.Sprint(seq), Updates: ups}, fxNow); err != nil {
			t.Fatal(err)
		}
	}
	next := func(chat string) core.Update {
		seq++
		at += 1000
		return msgUpd(chat, fmt.Sprint("m", seq), "hello "+chat, at)
	}

	// New clients on both messengers, several messages each, in one batch and in several.
	apply(tg, next("1"), next("2"), next("1"), next("3"))
	apply(vk, next("1"), next("9"))
	checkPeopleCounts(t, s, "after new clients")
	apply(tg, next("2"), next("4"))
	checkPeopleCounts(t, s, "after known clients wrote again")

	// A subscription through the lead link: status, source, tool and a sales plan.
	start := next("5")
	start.Text = "/start " + link.Code
	start.StartPayload = link.Code
	apply(tg, start)
	checkPeopleCounts(t, s, "after a subscription with a plan")

	// The client blocks the bot, unblocks it, shares a phone.
	blocked := core.Update{Kind: core.UpdBlocked, ExternalChatID: "5", ExternalID: "b1", At: at + 1}
	apply(tg, blocked)
	checkPeopleCounts(t, s, "after a block")
	apply(tg, core.Update{Kind: core.UpdAllowed, ExternalChatID: "5", ExternalID: "a1", At: at + 2})
	withPhone := next("3")
	withPhone.From.Phone = "+7 999 000-11-22"
	apply(tg, withPhone)
	checkPeopleCounts(t, s, "after unblocking and a shared phone")

	// Reading: one chat, then everything.
	chat := chatOf(t, s, tg, "1")
	if err := s.MarkRead(ctx, chat, fxNow); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, s, "after reading one chat")
	apply(tg, next("1"))
	if _, err := s.MarkAllRead(ctx, fxNow); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, s, "after reading everything")
	apply(tg, next("2"), next("3"))

	// Archive and blacklist, on and off, with unread messages.
	p2 := personOfChat(t, s, tg, "2")
	p3 := personOfChat(t, s, tg, "3")
	for _, step := range []func() error{
		func() error { return s.SetArchived(ctx, p2, true, fxNow) },
		func() error { return s.SetBlacklisted(ctx, p3, true, fxNow) },
		func() error { return s.SetArchived(ctx, p3, true, fxNow) },
		func() error { return s.SetArchived(ctx, p2, false, fxNow) },
		func() error { return s.SetBlacklisted(ctx, 5, false, fxNow) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
		checkPeopleCounts(t, s, "after an archive/blacklist change")
	}

	// Plans and tags change (the merge copies them; card edits write the same tables).
	if _, err := s.write.ExecContext(ctx, `INSERT INTO person_tags (person_id, tag_id) VALUES (?, 1), (?, 2)`, p2, p3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM person_plans WHERE person_id = 3 AND plan_id = 2`); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, s, "after plan and tag edits")

	// Merge: the merged person's plans and tags move, their row goes, the kept one's columns change.
	if err := s.MergePeople(ctx, p2, 1, fxNow); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, s, "after a merge")
	if err := s.MergePeople(ctx, 3, p3, fxNow); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, s, "after a second merge")

	// A person deleted outright (their plans and tags go by cascade), a plan deleted.
	if _, err := s.write.ExecContext(ctx, `DELETE FROM people WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.write.ExecContext(ctx, `DELETE FROM sales_plans WHERE name = 'Воронка'`); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, s, "after deletes")

	// More traffic after all that.
	apply(vk, next("9"), next("10"))
	apply(tg, next("2"), next("11"))
	checkPeopleCounts(t, s, "at the end")
}

// TestBulkLoadRestoresPeopleCountsTriggers: the bulk loader drops the triggers for the load and
// puts them back, so writes after a load keep the counts.
func TestBulkLoadRestoresPeopleCountsTriggers(t *testing.T) {
	f := fixture(t)
	var n int
	if err := f.s.read.Get(&n, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'people_counts_%'`); err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Fatalf("%d people_counts triggers after a bulk load, want 7", n)
	}
	if err := f.s.SetArchived(context.Background(), 1, true, fxNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	checkPeopleCounts(t, f.s, "after a write following the load")
}

func chatOf(t *testing.T, s *Store, ch core.Channel, ext string) int64 {
	t.Helper()
	c, err := s.ChatByExternal(context.Background(), ch.ID, ext)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func personOfChat(t *testing.T, s *Store, ch core.Channel, ext string) int64 {
	t.Helper()
	c, err := s.ChatByExternal(context.Background(), ch.ID, ext)
	if err != nil {
		t.Fatal(err)
	}
	return c.PersonID
}

// TestCountsPastTheWorkBoundAreLowerBounds: when the set a count walks is larger than a count
// may examine and the matches stay under the cap, the count is a lower bound and says so.
func TestCountsPastTheWorkBoundAreLowerBounds(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, must := openBulk(t, s)
	must(b.Manager(core.Manager{ID: 1, Name: "me", IsMe: true}))
	const n = countWork + 500
	visible := 0
	for i := int64(1); i <= n; i++ {
		p := BulkPerson{}
		// Nine in ten of my important people are archived: the main view's Important count
		// finds few of them among the first countWork it examines.
		p.ID, p.Name, p.Status, p.Archived = i, fmt.Sprint("Person ", i), core.Subscribed, i%10 != 0
		if !p.Archived {
			visible++
		}
		must(b.Person(p))
		must(b.Task(core.Task{ID: i, PersonID: i, AssigneeID: 1, Title: "call", DueAt: 1}))
	}
	must(b.Finish())
	c, err := s.TabCounts(ctx, core.ListQuery{}, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if !c.ImportantCapped || c.Important == 0 || c.Important > visible {
		t.Errorf("important = %d capped %v, want a lower bound of %d, marked", c.Important, c.ImportantCapped, visible)
	}
	// All and Unread come from people_counts: exact whatever the size.
	if c.All != visible || c.AllCapped || c.Unread != 0 || c.UnreadCapped {
		t.Errorf("counts = %+v, want all = %d exactly", c, visible)
	}
	// A search all of them match: All and Unread walk its matches, and past the work bound with
	// few visible matches the counts are lower bounds too.
	c, err = s.TabCounts(ctx, core.ListQuery{Search: "person"}, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if !c.AllCapped || c.All == 0 || c.All > visible || !c.ImportantCapped || c.Unread != 0 || c.UnreadCapped != true {
		t.Errorf("search counts = %+v, want lower bounds of %d (all, important) and 0+ unread", c, visible)
	}
	// The archive view holds the other nine in ten: past the cap among the first examined.
	c, err = s.TabCounts(ctx, core.ListQuery{Filter: core.ListFilter{Archived: true}}, 1, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if c.Important != core.CountCap || !c.ImportantCapped || c.All != n-visible {
		t.Errorf("archive counts = %+v, want important %d+ and all %d", c, core.CountCap, n-visible)
	}
}
