package store

import (
	"encoding/json"
	"fmt"
)

// chatDelta is what one batch appended to a chat: enough to move its list columns (and its
// person's) forward without re-reading the chat's messages.
type chatDelta struct {
	personID    int64
	maxAt       int64 // newest appended message or indicator
	msgID       int64 // the newest appended message (0: only indicators): the chat's new preview
	msgAt       int64 // and its time
	clients     int   // appended client messages: all unread (their ids exceed last_read_message_id)
	minClientAt int64 // the oldest of them
}

// appended records a row the batch inserted into ref's chat: a message (isMsg) or an indicator.
func (a *applier) appended(ref chatRef, id, at int64, isMsg, fromClient bool) {
	d := a.deltas[ref.id]
	if d == nil {
		d = &chatDelta{personID: ref.personID}
		a.deltas[ref.id] = d
	}
	d.maxAt = max(d.maxAt, at)
	// >= : of two messages with the same time the later insert (the higher id) is the newest.
	if isMsg && (d.msgID == 0 || at >= d.msgAt) {
		d.msgID, d.msgAt = id, at
	}
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

// appendChatsSQL moves the list columns of every chat in ?1 forward in one statement (a statement
// per chat cost more in cgo calls than the work it does). ?1 is a JSON array of
// [chat, newest row's time, newest message id or 0, its time, new client messages, the oldest's
// time]; the preview is read from the newest message itself. Every SET expression reads the row
// as it was. The WHERE skips a chat that got a message older than its newest row: which message
// is the preview then needs the messages themselves, so such a chat (not RETURNed) is recomputed
// in full. jsonb_each hands each element over as JSONB, which ->> reads without parsing text.
const appendChatsSQL = `
UPDATE chats SET
  preview = CASE WHEN d.mid THEN (SELECT substr(text, 1, 200) FROM messages WHERE id = d.mid) ELSE chats.preview END,
  last_message_at = MAX(chats.last_message_at, d.maxat),
  first_unread_at = CASE WHEN d.n = 0 THEN chats.first_unread_at WHEN chats.unread = 0 THEN d.minc
                         ELSE MIN(chats.first_unread_at, d.minc) END,
  unread = chats.unread + d.n
FROM (SELECT value->>0 AS cid, value->>1 AS maxat, value->>2 AS mid, value->>3 AS msgat,
             value->>4 AS n, value->>5 AS minc FROM jsonb_each(?1)) AS d
WHERE chats.id = d.cid AND NOT (d.mid AND d.msgat < chats.last_message_at)
RETURNING chats.id, chats.last_message_at`

// appendPeopleSQL then moves their people. ?1 is a JSON array of [person, the newest of their
// moved chats, new client messages, the oldest's time]. A person's latest chat is the newest by
// (last_message_at, id); since chats only moved forward, it is either the one they had or that
// newest moved chat, whichever is newer, so no chat of theirs needs reading but that one.
const appendPeopleSQL = `
UPDATE people SET
  last_chat_id = iif((c.last_message_at, c.id) >= (people.last_message_at, people.last_chat_id), c.id, people.last_chat_id),
  preview = iif((c.last_message_at, c.id) >= (people.last_message_at, people.last_chat_id), c.preview, people.preview),
  last_message_at = MAX(people.last_message_at, c.last_message_at),
  first_unread_at = CASE WHEN d.n = 0 THEN people.first_unread_at WHEN people.unread = 0 THEN d.minc
                         ELSE MIN(people.first_unread_at, d.minc) END,
  unread = people.unread + d.n
FROM (SELECT value->>0 AS pid, value->>1 AS cid, value->>2 AS n, value->>3 AS minc FROM jsonb_each(?1)) AS d
     JOIN chats c ON c.id = d.cid
WHERE people.id = d.pid`

// personMove is one person's row of appendPeopleSQL.
type personMove struct {
	chat, chatAt int64 // the newest moved chat and its new last_message_at
	clients      int
	minClientAt  int64
}

// applyDeltas moves the list columns of the chats the batch only appended to, and of their
// people; what cannot move incrementally joins fullC/fullP for the full recompute.
func (a *applier) applyDeltas() error {
	rows := make([][6]int64, 0, len(a.deltas))
	for chatID, d := range a.deltas {
		if !a.fullC[chatID] {
			rows = append(rows, [6]int64{chatID, d.maxAt, d.msgID, d.msgAt, int64(d.clients), d.minClientAt})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	r, err := a.tx.QueryContext(a.ctx, appendChatsSQL, string(raw))
	if err != nil {
		return fmt.Errorf("move chats: %w", err)
	}
	movedAt := make(map[int64]int64, len(rows)) // chat -> its new last_message_at
	for r.Next() {
		var id, at int64
		if err := r.Scan(&id, &at); err != nil {
			r.Close()
			return fmt.Errorf("move chats: %w", err)
		}
		movedAt[id] = at
	}
	if err := r.Err(); err != nil {
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
	prows := make([][4]int64, 0, len(people))
	for id, m := range people {
		prows = append(prows, [4]int64{id, m.chat, int64(m.clients), m.minClientAt})
	}
	if raw, err = json.Marshal(prows); err != nil {
		return err
	}
	if _, err := a.tx.ExecContext(a.ctx, appendPeopleSQL, string(raw)); err != nil {
		return fmt.Errorf("move people: %w", err)
	}
	return nil
}
