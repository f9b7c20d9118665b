package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// A replica writes a snapshot page's or a feed batch's people, chats and messages in one padded
// multi-row upsert per chunk (paddedRows), with their events and the people's search rows in a
// few statements more, not several statements per row: a new desktop's snapshot of a big hub
// is a million rows, and one statement per row was most of its bootstrap. The triggers
// (messages_fts, people_counts, the dialogue facts) fire per row as before, so what a batch
// leaves behind is what the rows applied one at a time left.

// upsertRows* build the padded statement that writes rows of cols (the first is id) into table,
// taking the hub's row over the one held; padding rows, whose id is NULL, are dropped.
func upsertRowsHead(table, cols string) string {
	n := len(strings.Split(cols, ", "))
	sel := make([]string, n)
	for i := range sel {
		sel[i] = fmt.Sprintf("column%d", i+1)
	}
	return `INSERT INTO ` + table + ` (` + cols + `) SELECT ` + strings.Join(sel, ", ") + ` FROM (VALUES `
}

func upsertRowsRow(cols string) string {
	n := len(strings.Split(cols, ", "))
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

func upsertRowsTail(cols string) string {
	return `) WHERE column1 IS NOT NULL ON CONFLICT (id) DO UPDATE SET ` + updateCols(cols)
}

var (
	upsertPeople   = [3]string{upsertRowsHead("people", personRowCols), upsertRowsRow(personRowCols), upsertRowsTail(personRowCols)}
	upsertChats    = [3]string{upsertRowsHead("chats", chatRowCols), upsertRowsRow(chatRowCols), upsertRowsTail(chatRowCols)}
	upsertMessages = [3]string{upsertRowsHead("messages", messageRowCols), upsertRowsRow(messageRowCols), upsertRowsTail(messageRowCols)}
	peopleWidth    = len(strings.Split(personRowCols, ", "))
	chatsWidth     = len(strings.Split(chatRowCols, ", "))
	messagesWidth  = len(strings.Split(messageRowCols, ", "))
)

// People's search rows, written from the rows just applied.
const (
	indexPeopleHead = `INSERT INTO people_fts (rowid, name, email, phone, phone_digits)
SELECT column1, column2, column3, column4, column5 FROM (VALUES `
	indexPeopleRow  = `(?, ?, ?, ?, ?)`
	indexPeopleTail = `) WHERE column1 IS NOT NULL`
)

// execIn runs query (with "(?)" lists to expand, one per slice in args) in tx.
func execIn(ctx context.Context, tx *sqlx.Tx, query string, args ...any) error {
	q, all, err := sqlx.In(query, args...)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, q, all...)
	return err
}

// appendEvents appends events ({kind, person, chat, message}) at one time, in order, in one
// statement per chunk.
func appendEvents(ctx context.Context, tx *sqlx.Tx, evs [][4]any, at int64) error {
	return paddedRows(ctx, tx, insertEventsHead, insertEventsRow, insertEventsTail, len(evs), 5, func(i int) []any {
		e := evs[i]
		return []any{e[0], e[1], e[2], e[3], at}
	}, nil)
}

// applyPeople writes the hub's people rows with their search rows, and logs person.changed for
// each.
func applyPeople(ctx context.Context, tx *sqlx.Tx, people []core.PersonRow, at int64) error {
	people = core.LastByID(people, personRowID)
	err := paddedRows(ctx, tx, upsertPeople[0], upsertPeople[1], upsertPeople[2], len(people), peopleWidth, func(i int) []any {
		p := people[i]
		return []any{p.ID, p.Name, p.Phone, p.Email, p.AvatarURL, p.Status, p.Archived, p.Blacklisted, p.Source, p.Tool,
			p.CreatedAt, p.LastChatID, p.LastMessageAt, p.Unread, p.FirstUnreadAt, p.HasDraft, p.Kinds}
	}, nil)
	if err != nil {
		return fmt.Errorf("people: %w", err)
	}
	ids := idsOf(people, personRowID)
	for lo := 0; lo < len(ids); lo += inChunk {
		if err := execIn(ctx, tx, `DELETE FROM people_fts WHERE rowid IN (?)`, ids[lo:min(lo+inChunk, len(ids))]); err != nil {
			return fmt.Errorf("people's search rows: %w", err)
		}
	}
	// The rows just written are the people's rows now: indexPerson's read would give the same.
	err = paddedRows(ctx, tx, indexPeopleHead, indexPeopleRow, indexPeopleTail, len(people), 5, func(i int) []any {
		p := people[i]
		return []any{p.ID, p.Name, p.Email, p.Phone, phoneSuffixes(p.Phone)}
	}, nil)
	if err != nil {
		return fmt.Errorf("people's search rows: %w", err)
	}
	evs := make([][4]any, len(people))
	for i, p := range people {
		evs[i] = [4]any{core.EventPersonChanged, p.ID, int64(0), int64(0)}
	}
	return appendEvents(ctx, tx, evs, at)
}

// chatPeople maps each of the chats held here to its person.
func chatPeople(ctx context.Context, tx *sqlx.Tx, chatIDs []int64) (map[int64]int64, error) {
	var held []core.ChatRow
	if err := selectIn(ctx, tx, &held, `SELECT id, person_id FROM chats WHERE id IN (?)`, chatIDs); err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(held))
	for _, c := range held {
		out[c.ID] = c.PersonID
	}
	return out, nil
}

// applyChats writes the hub's chats rows and logs chat.changed for each. It returns the people
// whose chats moved to another person (a merge on the hub), who may have to go.
func applyChats(ctx context.Context, tx *sqlx.Tx, chats []core.ChatRow, at int64) (leftBehind []int64, err error) {
	chats = core.LastByID(chats, chatRowID)
	was, err := chatPeople(ctx, tx, idsOf(chats, chatRowID))
	if err != nil {
		return nil, err
	}
	for _, c := range chats {
		if p := was[c.ID]; p != 0 && p != c.PersonID {
			leftBehind = append(leftBehind, p)
		}
	}
	err = paddedRows(ctx, tx, upsertChats[0], upsertChats[1], upsertChats[2], len(chats), chatsWidth, func(i int) []any {
		c := chats[i]
		return []any{c.ID, c.PersonID, c.ChannelID, c.ExternalChatID, c.Username, c.TunnelOff, c.BotOff, c.Unread, c.FirstUnreadAt,
			c.LastMessageAt, c.LastReadMessageID, c.CreatedAt, c.OwnerID}
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("chats: %w", err)
	}
	evs := make([][4]any, len(chats))
	for i, c := range chats {
		evs[i] = [4]any{core.EventChatChanged, c.PersonID, c.ID, int64(0)}
	}
	return leftBehind, appendEvents(ctx, tx, evs, at)
}

func messageRowID(m core.MessageRow) int64 { return m.ID }

// applyMessages writes the hub's messages and logs message.new for each one new here,
// message.changed for the rest. A message the replica queued itself arrives with its mutation
// key: the local copy (a negative id) goes in the same transaction.
func applyMessages(ctx context.Context, tx *sqlx.Tx, msgs []core.MessageRow, at int64) error {
	// In id order: the table's B-tree is written in one sweep per chunk, not at random places
	// (a snapshot page's messages are spread over the hub's whole history): 12% of the apply.
	msgs = core.LastByID(msgs, messageRowID)
	slices.SortFunc(msgs, func(a, b core.MessageRow) int { return cmp.Compare(a.ID, b.ID) })
	var keyed []core.MessageRow
	for _, m := range msgs {
		if m.MutationKey != "" {
			keyed = append(keyed, m)
		}
	}
	for lo := 0; lo < len(keyed); lo += inChunk {
		part := keyed[lo:min(lo+inChunk, len(keyed))]
		keys := make([]string, len(part))
		for i, m := range part {
			keys[i] = m.MutationKey
		}
		if err := execIn(ctx, tx, `DELETE FROM messages WHERE mutation_key IN (?) AND id NOT IN (?)`, keys, idsOf(part, messageRowID)); err != nil {
			return fmt.Errorf("replace local messages: %w", err)
		}
	}
	ids := idsOf(msgs, messageRowID)
	var heldIDs []int64
	if err := selectIn(ctx, tx, &heldIDs, `SELECT id FROM messages WHERE id IN (?)`, ids); err != nil {
		return err
	}
	existed := make(map[int64]bool, len(heldIDs))
	for _, id := range heldIDs {
		existed[id] = true
	}
	err := paddedRows(ctx, tx, upsertMessages[0], upsertMessages[1], upsertMessages[2], len(msgs), messagesWidth, func(i int) []any {
		m := msgs[i]
		return []any{m.ID, m.ChatID, m.Kind, m.ExternalID, m.Sender, m.SenderName, m.ManagerID, m.Text, m.Attachments, m.Indicator,
			m.Mentions, m.Reactions, m.ReplyToID, m.Status, m.Error, m.Edited, m.Deleted, m.CreatedAt, m.EditedAt, m.MutationKey}
	}, nil)
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	var chatIDs idSet
	for _, m := range msgs {
		chatIDs.add(m.ChatID)
	}
	personOf, err := chatPeople(ctx, tx, chatIDs.ids)
	if err != nil {
		return err
	}
	evs := make([][4]any, len(msgs))
	for i, m := range msgs {
		kind := core.EventMessageNew
		if existed[m.ID] {
			kind = core.EventMessageChanged
		}
		evs[i] = [4]any{kind, personOf[m.ChatID], m.ChatID, m.ID}
	}
	if err := appendEvents(ctx, tx, evs, at); err != nil {
		return err
	}
	// A new note tagging managers logs one note.mention per manager, addressed to them, as AddNote
	// does on the hub: the app notifies the tagged manager on this desktop. A note first heard of
	// long after it was written (a snapshot's) is not news.
	for _, m := range msgs {
		if existed[m.ID] || core.MessageKind(m.Kind) != core.KindNote || m.Mentions == "" || m.CreatedAt < at-staleDue.Milliseconds() {
			continue
		}
		var mentions []int64
		if err := json.Unmarshal([]byte(m.Mentions), &mentions); err != nil {
			return fmt.Errorf("note %d mentions: %w", m.ID, err)
		}
		if err := appendAddressed(ctx, tx, core.EventNoteMention, personOf[m.ChatID], m.ChatID, m.ID, at, mentions...); err != nil {
			return err
		}
	}
	return nil
}
