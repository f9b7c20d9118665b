package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
)

// replicaRows is a hub's state for the apply tests: 40 people (one in four with a second chat),
// 1,100 messages (more than one statement's maxRows), with unread counts, searchable names,
// phones and texts, new notes tagging managers, and sends carrying their mutation keys.
func replicaRows(now time.Time) core.RowSet {
	rs := core.RowSet{
		Managers: []core.Manager{{ID: 7, Name: "Vera"}, {ID: 8, Name: "Oleg"}},
		Channels: []core.Channel{{ID: 3, Kind: core.Telegram, Name: "Shop", ExternalID: "42", Enabled: true, CreatedAt: 1}},
	}
	chatID := int64(100)
	for p := int64(1); p <= 40; p++ {
		person := core.PersonRow{ID: p, Name: fmt.Sprintf("Client%d Surname%d", p, p%7), Phone: fmt.Sprintf("+7 916 %07d", p*7919),
			Status: []string{"subscribed", "unsubscribed"}[p%2], Archived: p%9 == 0, Blacklisted: p%13 == 0, Source: []string{"", "ads"}[p%2],
			CreatedAt: p, Unread: p % 3, FirstUnreadAt: p * 10 % 3, Kinds: 1, LastMessageAt: 1000 + p}
		if p%5 == 0 {
			person.Email = fmt.Sprintf("c%d@example.com", p)
		}
		for c := int64(0); c < 1+p%4/3; c++ {
			chatID++
			rs.Chats = append(rs.Chats, core.ChatRow{ID: chatID, PersonID: p, ChannelID: 3, ExternalChatID: fmt.Sprint(chatID),
				Unread: p % 3, FirstUnreadAt: p * 10 % 3, LastMessageAt: 1000 + p, CreatedAt: p, OwnerID: []int64{0, 7, 8}[p%3]})
			person.LastChatID = chatID
		}
		rs.People = append(rs.People, person)
	}
	for i := int64(1); i <= 1100; i++ {
		c := rs.Chats[int(i)%len(rs.Chats)]
		m := core.MessageRow{ID: 1000 + i, ChatID: c.ID, Kind: "message", ExternalID: fmt.Sprint(i), Sender: "client",
			Text: fmt.Sprintf("word%d common", i%37), Status: "received", CreatedAt: now.UnixMilli() - 1100 + i}
		switch i % 10 {
		case 3: // a note tagging Oleg (and Vera), written just now: news
			m.Kind, m.ExternalID, m.Sender, m.ManagerID, m.Status, m.Mentions = "note", "", "manager", 7, "sent", "[8,7]"
		case 5: // a desktop's send, with its key
			m.ExternalID, m.Sender, m.ManagerID, m.Status, m.MutationKey = "", "manager", 8, "sent", fmt.Sprintf("client-x:%d", i)
		case 7:
			m.Edited, m.EditedAt, m.Reactions = true, m.CreatedAt+1, `[{"emoji":"👍","count":1}]`
		}
		rs.Messages = append(rs.Messages, m)
	}
	return rs
}

// replicaDump is what an apply leaves: the rows, the people's search rows and tab counts, what
// message search finds, and the event log's entries (without seq and time) in a canonical order.
func replicaDump(t *testing.T, st *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"people":   `SELECT ` + personRowCols + ` FROM people ORDER BY id`,
		"chats":    `SELECT ` + chatRowCols + ` FROM chats ORDER BY id`,
		"messages": `SELECT ` + messageRowCols + ` FROM messages ORDER BY id`,
		"search":   `SELECT rowid, name, email, phone, phone_digits FROM people_fts ORDER BY rowid`,
		"counts": `SELECT facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool, n
FROM people_counts WHERE n <> 0 ORDER BY facet, facet_id, archived, blacklisted, unread, kinds, status, has_phone, has_email, source, tool`,
		"events": `SELECT kind, person_id, chat_id, message_id, manager_id FROM events WHERE kind <> 'draft.changed'`,
	} {
		rows, err := st.read.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, v := range vals {
				if raw, ok := v.([]byte); ok {
					v = string(raw)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			out[name] = append(out[name], b.String())
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out["events"])
	for w := range 37 {
		ms, err := st.SearchMessages(ctx, fmt.Sprintf("word%d", w), 1000)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = fmt.Sprint(m.ID)
		}
		slices.Sort(ids)
		out["messages_fts"] = append(out["messages_fts"], fmt.Sprintf("word%d: %s", w, strings.Join(ids, " ")))
	}
	return out
}

func sameDump(t *testing.T, what string, got, want map[string][]string, skip ...string) {
	t.Helper()
	for name, rows := range want {
		if slices.Contains(skip, name) {
			continue
		}
		if !slices.Equal(got[name], rows) {
			n := min(len(got[name]), len(rows))
			i := 0
			for i < n && got[name][i] == rows[i] {
				i++
			}
			var g, w string
			if i < len(got[name]) {
				g = got[name][i]
			}
			if i < len(rows) {
				w = rows[i]
			}
			t.Fatalf("%s: %s differ (%d rows against %d), first at %d:\n got %s\nwant %s", what, name, len(got[name]), len(rows), i, g, w)
		}
	}
}

// A replica's batched apply of people, chats and messages (multi-row statements, chunks of
// maxRows) leaves exactly what applying the same rows one at a time leaves: the rows with the
// hub's ids, the people's search rows and tab counts, message search, unread counts and the
// events (a person.changed, chat.changed and message.new per row, a note.mention per tagged
// manager). Applied in snapshot pages of another size, or a second time, it is the same again.
func TestBatchedReplicaApplyEqualsRowAtATime(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	rows := replicaRows(now)

	batched := openTest(t)
	if err := batched.ApplyRows(ctx, rows, 7, "replica.seq", 1, now); err != nil {
		t.Fatal(err)
	}
	want := replicaDump(t, batched)
	if len(want["messages"]) != 1100 || len(want["people"]) != 40 || len(want["search"]) != 40 {
		t.Fatalf("the batch applied %d messages, %d people, %d search rows", len(want["messages"]), len(want["people"]), len(want["search"]))
	}
	// The rows are the hub's, ids and all.
	got, _, err := batched.SnapshotPage(ctx, 0, 100, 2000)
	if err != nil {
		t.Fatal(err)
	}
	sortByID := func(rs *core.RowSet) {
		slices.SortFunc(rs.People, func(a, b core.PersonRow) int { return int(a.ID - b.ID) })
		slices.SortFunc(rs.Chats, func(a, b core.ChatRow) int { return int(a.ID - b.ID) })
		slices.SortFunc(rs.Messages, func(a, b core.MessageRow) int { return int(a.ID - b.ID) })
	}
	sortByID(&got)
	if !slices.Equal(got.People, rows.People) || !slices.Equal(got.Chats, rows.Chats) || !slices.Equal(got.Messages, rows.Messages) {
		t.Fatal("the rows applied are not the hub's rows")
	}
	// Each person in the list is found by name (archived and blacklisted people are not listed).
	for _, p := range rows.People {
		if p.Archived || p.Blacklisted {
			continue
		}
		page, err := batched.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Search: strings.Fields(p.Name)[0]}, 7, now)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(page.Rows, func(r core.ListRow) bool { return r.PersonID == p.ID }) {
			t.Fatalf("person %d is not found by name", p.ID)
		}
	}
	mentions := 0
	for _, e := range want["events"] {
		if strings.HasPrefix(e, core.EventNoteMention+"|") {
			mentions++
		}
	}
	if mentions != 220 {
		t.Fatalf("%d note.mention events, want 2 for each of the 110 new notes", mentions)
	}

	oneByOne := openTest(t)
	apply := func(rs core.RowSet) {
		t.Helper()
		if err := oneByOne.ApplyRows(ctx, rs, 7, "replica.seq", 1, now); err != nil {
			t.Fatal(err)
		}
	}
	apply(core.RowSet{Managers: rows.Managers, Channels: rows.Channels})
	for _, p := range rows.People {
		apply(core.RowSet{People: []core.PersonRow{p}})
	}
	for _, c := range rows.Chats {
		apply(core.RowSet{Chats: []core.ChatRow{c}})
	}
	for _, m := range rows.Messages {
		apply(core.RowSet{Messages: []core.MessageRow{m}})
	}
	sameDump(t, "one row at a time", replicaDump(t, oneByOne), want)

	// Snapshot pages of 7 people with their chats and messages, then the whole again: a second
	// apply changes no row (its events say "changed", which the first apply's did not).
	paged := openTest(t)
	byPerson := map[int64][]core.ChatRow{}
	for _, c := range rows.Chats {
		byPerson[c.PersonID] = append(byPerson[c.PersonID], c)
	}
	for lo := 0; lo < len(rows.People); lo += 7 {
		page := core.RowSet{People: rows.People[lo:min(lo+7, len(rows.People))]}
		if lo == 0 {
			page.Managers, page.Channels = rows.Managers, rows.Channels
		}
		inPage := map[int64]bool{}
		for _, p := range page.People {
			page.Chats = append(page.Chats, byPerson[p.ID]...)
			for _, c := range byPerson[p.ID] {
				inPage[c.ID] = true
			}
		}
		for _, m := range rows.Messages {
			if inPage[m.ChatID] {
				page.Messages = append(page.Messages, m)
			}
		}
		if err := paged.ApplyRows(ctx, page, 7, "replica.seq", 1, now); err != nil {
			t.Fatal(err)
		}
	}
	sameDump(t, "in pages of 7 people", replicaDump(t, paged), want)
	if err := paged.ApplyRows(ctx, rows, 7, "replica.seq", 1, now); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "applied again", replicaDump(t, paged), want, "events")

	// A feed batch naming a row twice keeps its last state, as one row at a time would.
	edited := rows.Messages[0]
	edited.Text, edited.Edited = "word99 rewritten", true
	person := rows.People[0]
	person.Name = "Renamed Person"
	twice := core.RowSet{People: []core.PersonRow{rows.People[0], person}, Messages: []core.MessageRow{rows.Messages[0], edited}}
	if err := batched.ApplyRows(ctx, twice, 7, "replica.seq", 2, now); err != nil {
		t.Fatal(err)
	}
	for _, rs := range []core.RowSet{{People: twice.People[:1], Messages: twice.Messages[:1]}, {People: twice.People[1:], Messages: twice.Messages[1:]}} {
		apply(rs)
	}
	sameDump(t, "a row named twice", replicaDump(t, batched), replicaDump(t, oneByOne), "events")
	if ms, _ := batched.SearchMessages(ctx, "word99", 10); len(ms) != 1 || ms[0].ID != edited.ID {
		t.Fatalf("the last state of a message named twice is not the one found: %+v", ms)
	}
}
