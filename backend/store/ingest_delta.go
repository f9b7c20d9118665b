package store

import (
	"database/sql"
	"fmt"
)

// chatDelta is what one batch appended to a chat: enough to move its list columns (and its
// person's) forward without re-reading the chat's messages.
type chatDelta struct {
	personID    int64
	maxAt       int64 // newest appended message or indicator
	clients     int   // appended client messages: all unread (their ids exceed last_read_message_id)
	minClientAt int64 // the oldest of them
}

// appended records a row the batch inserted into ref's chat at time at: a message or an
// indicator (fromClient: a client's message).
func (a *applier) appended(ref chatRef, at int64, fromClient bool) {
	d := a.deltas[ref.id]
	if d == nil {
		d = &chatDelta{personID: ref.personID}
		a.deltas[ref.id] = d
	}
	d.maxAt = max(d.maxAt, at)
	if fromClient {
		if d.clients == 0 || at < d.minClientAt {
			d.minClientAt = at
		}
		d.clients++
	}
}

// recompute marks ref's chat, and so its person, for the full recompute from their rows.
func (a *applier) recompute(ref chatRef) {
	a.fullC[ref.id] = true
	a.fullP[ref.personID] = true
}

// Appended rows move a chat's list columns forward whatever their times: last_message_at is a
// maximum, first_unread_at a minimum, and new rows have ids above last_read_message_id, so
// each appended client message is one more unread. (The preview, which would need the messages
// themselves when a message arrives older than the chat's newest, is read with the list:
// previewOf.)
//
// appendChats* move a batch's chats in one statement (a statement per chat cost more in cgo
// calls than the work it does), one row per chat: [chat, newest row's time, new client
// messages, the oldest's time]. Every SET expression reads the row as it was. Padding rows
// name chat 0, which does not exist.
const (
	appendChatsHead = `
UPDATE chats SET
  last_message_at = MAX(chats.last_message_at, d.maxat),
  first_unread_at = CASE WHEN d.n = 0 THEN chats.first_unread_at WHEN chats.unread = 0 THEN d.minc
                         ELSE MIN(chats.first_unread_at, d.minc) END,
  unread = chats.unread + d.n
FROM (SELECT column1 AS cid, column2 AS maxat, column3 AS n, column4 AS minc FROM (VALUES `
	appendChatsRow  = `(?, ?, ?, ?)`
	appendChatsTail = `)) AS d
WHERE chats.id = d.cid
RETURNING chats.id, chats.last_message_at`
)

// appendPeople* then move their people, one row per person: [person, the newest of their moved
// chats, its new last_message_at, new client messages, the oldest's time]. A person's latest
// chat is the newest by (last_message_at, id); since chats only moved forward, it is either
// the one they had or that newest moved chat, whichever is newer, so no chat needs reading.
// Padding rows name person 0, who does not exist.
//
// SQLite rewrites a row's entry in every index whose columns (or partial-index WHERE) an UPDATE
// sets, changed or not. Most people who write again already have unread messages, and their
// oldest unread time stays; appendPeopleSQL moves them without setting first_unread_at, so
// people_unread_oldest is left alone, and returns whom it moved. appendPeopleOldestSQL then
// moves the rest (a first unread message, or an older one arriving late).
const (
	appendPeopleSet = `
  last_chat_id = iif((d.cat, d.cid) >= (people.last_message_at, people.last_chat_id), d.cid, people.last_chat_id),
  last_message_at = MAX(people.last_message_at, d.cat),
  unread = people.unread + d.n`
	appendPeopleFrom = `
FROM (SELECT column1 AS pid, column2 AS cid, column3 AS cat, column4 AS n, column5 AS minc FROM (VALUES `
	appendPeopleRow  = `(?, ?, ?, ?, ?)`
	appendPeopleJoin = `)) AS d
WHERE people.id = d.pid`

	appendPeopleHead = `UPDATE people SET` + appendPeopleSet + appendPeopleFrom
	appendPeopleTail = appendPeopleJoin + `
  AND (d.n = 0 OR (people.unread > 0 AND people.first_unread_at <= d.minc))
RETURNING people.id`
	appendPeopleOldestHead = `UPDATE people SET` + appendPeopleSet + `,
  first_unread_at = CASE WHEN people.unread = 0 THEN d.minc ELSE MIN(people.first_unread_at, d.minc) END` + appendPeopleFrom
)

// personMove is one person's row of appendPeople*.
type personMove struct {
	chat, chatAt int64 // the newest moved chat and its new last_message_at
	clients      int
	minClientAt  int64
}

// applyDeltas moves the list columns of the chats the batch only appended to, and of their
// people; what cannot move incrementally joins fullC/fullP for the full recompute.
func (a *applier) applyDeltas() error {
	var chats []int64
	for chatID := range a.deltas {
		if !a.fullC[chatID] {
			chats = append(chats, chatID)
		}
	}
	movedAt := make(map[int64]int64, len(chats)) // chat -> its new last_message_at
	err := inChunks(len(chats), func(lo, hi int) error {
		n := padded(hi - lo)
		args := make([]any, 0, 4*n)
		for _, id := range chats[lo:hi] {
			d := a.deltas[id]
			args = append(args, id, d.maxAt, d.clients, d.minClientAt)
		}
		// Padding rows name chat 0, which does not exist.
		return a.queryRows(rowsSQL(appendChatsHead, appendChatsRow, appendChatsTail, n), padArgs(args, 0), func(r *sql.Rows) error {
			var id, at int64
			if err := r.Scan(&id, &at); err != nil {
				return err
			}
			movedAt[id] = at
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("move chats: %w", err)
	}
	for chatID, d := range a.deltas {
		if _, ok := movedAt[chatID]; !ok && !a.fullC[chatID] {
			a.recompute(chatRef{id: chatID, personID: d.personID})
		}
	}
	// Sum the moved chats per person; a person recomputed in full needs no move (and a chat
	// recomputed above may be theirs).
	people := map[int64]*personMove{}
	for chatID, at := range movedAt {
		d := a.deltas[chatID]
		if a.fullP[d.personID] {
			continue
		}
		m := people[d.personID]
		if m == nil {
			m = &personMove{}
			people[d.personID] = m
		}
		if at > m.chatAt || (at == m.chatAt && chatID > m.chat) {
			m.chat, m.chatAt = chatID, at
		}
		if d.clients > 0 && (m.clients == 0 || d.minClientAt < m.minClientAt) {
			m.minClientAt = d.minClientAt
		}
		m.clients += d.clients
	}
	if len(people) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	moved := make(map[int64]bool, len(ids))
	if err := a.movePeople(people, ids, appendPeopleHead, appendPeopleTail, moved); err != nil {
		return err
	}
	rest := ids[:0]
	for _, id := range ids {
		if !moved[id] {
			rest = append(rest, id)
		}
	}
	return a.movePeople(people, rest, appendPeopleOldestHead, appendPeopleJoin, moved) // returns no rows
}

// movePeople runs one of the appendPeople statements for ids, noting in moved whom it returned.
func (a *applier) movePeople(people map[int64]*personMove, ids []int64, head, tail string, moved map[int64]bool) error {
	err := inChunks(len(ids), func(lo, hi int) error {
		n := padded(hi - lo)
		args := make([]any, 0, 5*n)
		for _, id := range ids[lo:hi] {
			m := people[id]
			args = append(args, id, m.chat, m.chatAt, m.clients, m.minClientAt)
		}
		// Padding rows name person 0, who does not exist.
		return a.queryRows(rowsSQL(head, appendPeopleRow, tail, n), padArgs(args, 0), intoSet(moved))
	})
	if err != nil {
		return fmt.Errorf("move people: %w", err)
	}
	return nil
}
