package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

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

// applyOneRowAtATime is the reference the batched apply is held to, written without it: each
// person, chat and message of rs in the order given, by the plainest single-row statements
// (an upsert, its search row, its event; a send's local copy replaced by its mutation key;
// note.mention for each manager a new, recent note tags), in one transaction.
func applyOneRowAtATime(t *testing.T, st *Store, rs core.RowSet, me int64, now time.Time) {
	t.Helper()
	at := now.UnixMilli()
	event := func(tx *sqlx.Tx, kind string, person, chat, message, manager int64) error {
		_, err := tx.Exec(`INSERT INTO events (kind, person_id, chat_id, message_id, manager_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
			kind, person, chat, message, manager, at)
		return err
	}
	err := st.inTx(context.Background(), func(tx *sqlx.Tx) error {
		for _, m := range rs.Managers {
			if _, err := tx.Exec(`INSERT INTO managers (id, name, avatar_url, is_me) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar_url = excluded.avatar_url, is_me = excluded.is_me`, m.ID, m.Name, m.AvatarURL, m.ID == me); err != nil {
				return err
			}
		}
		for _, c := range rs.Channels {
			if _, err := tx.Exec(`INSERT INTO channels (id, kind, name, external_id, username, avatar_url, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`, c.ID, c.Kind, c.Name, c.ExternalID, c.Username, c.AvatarURL, c.Enabled, c.CreatedAt); err != nil {
				return err
			}
		}
		for _, p := range rs.People {
			// has_draft is this desktop's own mark: no drafts here.
			if _, err := tx.Exec(`INSERT INTO people (id, name, phone, email, avatar_url, status, archived, blacklisted, source, tool,
  created_at, last_chat_id, last_message_at, unread, first_unread_at, has_draft, kinds)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, email = excluded.email,
  avatar_url = excluded.avatar_url, status = excluded.status, archived = excluded.archived, blacklisted = excluded.blacklisted,
  source = excluded.source, tool = excluded.tool, created_at = excluded.created_at, last_chat_id = excluded.last_chat_id,
  last_message_at = excluded.last_message_at, unread = excluded.unread, first_unread_at = excluded.first_unread_at,
  has_draft = excluded.has_draft, kinds = excluded.kinds`,
				p.ID, p.Name, p.Phone, p.Email, p.AvatarURL, p.Status, p.Archived, p.Blacklisted, p.Source, p.Tool,
				p.CreatedAt, p.LastChatID, p.LastMessageAt, p.Unread, p.FirstUnreadAt, p.Kinds); err != nil {
				return fmt.Errorf("person %d: %w", p.ID, err)
			}
			if _, err := tx.Exec(`DELETE FROM people_fts WHERE rowid = ?`, p.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO people_fts (rowid, name, email, phone, phone_digits) VALUES (?, ?, ?, ?, ?)`,
				p.ID, p.Name, p.Email, p.Phone, phoneSuffixes(p.Phone)); err != nil {
				return err
			}
			if err := event(tx, core.EventPersonChanged, p.ID, 0, 0, 0); err != nil {
				return err
			}
		}
		for _, c := range rs.Chats {
			if _, err := tx.Exec(`INSERT INTO chats (id, person_id, channel_id, external_chat_id, username, tunnel_off, bot_off, unread,
  first_unread_at, last_message_at, last_read_message_id, created_at, owner_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET person_id = excluded.person_id, channel_id = excluded.channel_id,
  external_chat_id = excluded.external_chat_id, username = excluded.username, tunnel_off = excluded.tunnel_off,
  bot_off = excluded.bot_off, unread = excluded.unread, first_unread_at = excluded.first_unread_at,
  last_message_at = excluded.last_message_at, last_read_message_id = excluded.last_read_message_id,
  created_at = excluded.created_at, owner_id = excluded.owner_id`,
				c.ID, c.PersonID, c.ChannelID, c.ExternalChatID, c.Username, c.TunnelOff, c.BotOff, c.Unread,
				c.FirstUnreadAt, c.LastMessageAt, c.LastReadMessageID, c.CreatedAt, c.OwnerID); err != nil {
				return fmt.Errorf("chat %d: %w", c.ID, err)
			}
			if err := event(tx, core.EventChatChanged, c.PersonID, c.ID, 0, 0); err != nil {
				return err
			}
		}
		for _, m := range rs.Messages {
			if m.MutationKey != "" {
				if _, err := tx.Exec(`DELETE FROM messages WHERE mutation_key = ? AND id <> ?`, m.MutationKey, m.ID); err != nil {
					return err
				}
			}
			var held int
			if err := tx.Get(&held, `SELECT COUNT(*) FROM messages WHERE id = ?`, m.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO messages (id, chat_id, kind, external_id, sender, sender_name, manager_id, text,
  attachments, indicator, mentions, reactions, reply_to_id, status, error, edited, deleted, created_at, edited_at, mutation_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id, kind = excluded.kind, external_id = excluded.external_id,
  sender = excluded.sender, sender_name = excluded.sender_name, manager_id = excluded.manager_id, text = excluded.text,
  attachments = excluded.attachments, indicator = excluded.indicator, mentions = excluded.mentions,
  reactions = excluded.reactions, reply_to_id = excluded.reply_to_id, status = excluded.status, error = excluded.error,
  edited = excluded.edited, deleted = excluded.deleted, created_at = excluded.created_at, edited_at = excluded.edited_at,
  mutation_key = excluded.mutation_key`,
				m.ID, m.ChatID, m.Kind, m.ExternalID, m.Sender, m.SenderName, m.ManagerID, m.Text,
				m.Attachments, m.Indicator, m.Mentions, m.Reactions, m.ReplyToID, m.Status, m.Error, m.Edited, m.Deleted, m.CreatedAt, m.EditedAt,
				m.MutationKey); err != nil {
				return fmt.Errorf("message %d: %w", m.ID, err)
			}
			var person int64
			if err := tx.Get(&person, `SELECT person_id FROM chats WHERE id = ?`, m.ChatID); err != nil {
				return err
			}
			kind := core.EventMessageNew
			if held > 0 {
				kind = core.EventMessageChanged
			}
			if err := event(tx, kind, person, m.ChatID, m.ID, 0); err != nil {
				return err
			}
			if held > 0 || m.Kind != string(core.KindNote) || m.Mentions == "" || m.CreatedAt < at-staleDue.Milliseconds() {
				continue
			}
			var tagged []int64
			if err := json.Unmarshal([]byte(m.Mentions), &tagged); err != nil {
				return err
			}
			for _, manager := range tagged {
				if err := event(tx, core.EventNoteMention, person, m.ChatID, m.ID, manager); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A replica's batched apply of people, chats and messages (multi-row statements, chunks of
// maxRows) leaves exactly what the same rows written one at a time by plain single-row SQL
// (applyOneRowAtATime) leave: the rows with the hub's ids, the people's search rows and tab
// counts, message search, unread counts and the events (a person.changed, chat.changed and
// message.new per row, a note.mention per tagged manager). Applied in snapshot pages of another
// size, or a second time, it is the same again.
func TestBatchedReplicaApplyEqualsRowAtATime(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	rows := replicaRows(now)

	oneByOne := openTest(t)
	applyOneRowAtATime(t, oneByOne, rows, 7, now)
	want := replicaDump(t, oneByOne)
	if len(want["messages"]) != 1100 || len(want["people"]) != 40 || len(want["search"]) != 40 {
		t.Fatalf("the reference applied %d messages, %d people, %d search rows", len(want["messages"]), len(want["people"]), len(want["search"]))
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

	batched := openTest(t)
	if err := batched.ApplyRows(ctx, rows, 7, "replica.seq", 1, now); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "batched", replicaDump(t, batched), want)
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
	applyOneRowAtATime(t, oneByOne, twice, 7, now)
	sameDump(t, "a row named twice", replicaDump(t, batched), replicaDump(t, oneByOne), "events")
	if ms, _ := batched.SearchMessages(ctx, "word99", 10); len(ms) != 1 || ms[0].ID != edited.ID {
		t.Fatalf("the last state of a message named twice is not the one found: %+v", ms)
	}
}
