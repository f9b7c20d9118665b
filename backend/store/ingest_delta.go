package store

import (
	"encoding/json"
	"fmt"
)

// chatDelta is what one batch appended to a chat: enough to move its list columns (and its
// person's) forward without re-reading the chat's messages.
type chatDelta struct {
	personID    int64
	maxAt       int64  // newest appended message or indicator
	hasMsg      bool   // a message (not only indicators) was appended
	msgAt       int64  // the newest appended message's time
	msgText     string // and its text: the chat's new preview
	clients     int    // appended client messages: all unread (their ids exceed last_read_message_id)
	minClientAt int64  // the oldest of them
}

// appended records a row the batch inserted into ref's chat: a message (isMsg) or an indicator.
func (a *applier) appended(ref chatRef, at int64, isMsg bool, text string, fromClient bool) {
	d := a.deltas[ref.id]
	if d == nil {
		d = &chatDelta{personID: ref.personID}
		a.deltas[ref.id] = d
	}
	d.maxAt = max(d.maxAt, at)
	// >= : of two messages with the same time the later insert (the higher id) is the newest.
	if isMsg && (!d.hasMsg || at >= d.msgAt) {
		d.hasMsg, d.msgAt, d.msgText = true, at, text
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

// appendChatsSQL moves the list columns of every chat in ?1 (a JSON array of deltas) forward in
// one statement: a statement per chat costs more in cgo calls than the work it does. Every SET
// expression reads the row as it was. The WHERE skips a chat that got a message older than its
// newest row: which message is the preview then needs the messages themselves, so such a chat
// (not RETURNed) is recomputed in full.
const appendChatsSQL = `
UPDATE chats SET
  preview = CASE WHEN d.has THEN substr(d.txt, 1, 200) ELSE chats.preview END,
  last_message_at = MAX(chats.last_message_at, d.maxat),
  first_unread_at = CASE WHEN d.n = 0 THEN chats.first_unread_at WHEN chats.unread = 0 THEN d.minc
                         ELSE MIN(chats.first_unread_at, d.minc) END,
  unread = chats.unread + d.n
FROM (SELECT value->>'c' AS cid, value->>'h' AS has, value->>'t' AS txt, value->>'x' AS maxat,
             value->>'a' AS msgat, value->>'n' AS n, value->>'u' AS minc FROM json_each(?1)) AS d
WHERE chats.id = d.cid AND NOT (d.has AND d.msgat < chats.last_message_at)
RETURNING chats.id`

// appendPeopleSQL then moves their people: the latest chat is read back from the (few) chats
// of each person, unread and the oldest unread move by the deltas' sums.
const appendPeopleSQL = `
UPDATE people SET
  (last_chat_id, last_message_at, preview) = (
    SELECT c.id, c.last_message_at, c.preview FROM chats c WHERE c.person_id = people.id
    ORDER BY c.last_message_at DESC, c.id DESC LIMIT 1),
  first_unread_at = CASE WHEN agg.n = 0 THEN people.first_unread_at WHEN people.unread = 0 THEN agg.minc
                         ELSE MIN(people.first_unread_at, agg.minc) END,
  unread = people.unread + agg.n
FROM (SELECT value->>'p' AS pid, SUM(value->>'n') AS n,
             MIN(CASE WHEN value->>'n' > 0 THEN value->>'u' END) AS minc
      FROM json_each(?1) GROUP BY value->>'p') AS agg
WHERE people.id = agg.pid`

type deltaRow struct {
	Chat     int64  `json:"c"`
	Person   int64  `json:"p"`
	Has      int    `json:"h"`
	Text     string `json:"t"`
	MaxAt    int64  `json:"x"`
	MsgAt    int64  `json:"a"`
	Clients  int    `json:"n"`
	MinClnAt int64  `json:"u"`
}

// applyDeltas moves the list columns of the chats the batch only appended to, and of their
// people; what cannot move incrementally joins fullC/fullP for the full recompute.
func (a *applier) applyDeltas() error {
	rows := make([]deltaRow, 0, len(a.deltas))
	for chatID, d := range a.deltas {
		if a.fullC[chatID] {
			continue
		}
		r := deltaRow{Chat: chatID, Person: d.personID, Text: d.msgText, MaxAt: d.maxAt, MsgAt: d.msgAt,
			Clients: d.clients, MinClnAt: d.minClientAt}
		if d.hasMsg {
			r.Has = 1
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	var moved []int64
	if err := a.stmt(a.ing.moveChats).SelectContext(a.ctx, &moved, string(raw)); err != nil {
		return fmt.Errorf("move chats: %w", err)
	}
	done := make(map[int64]bool, len(moved))
	for _, id := range moved {
		done[id] = true
	}
	people := rows[:0]
	for _, r := range rows {
		switch {
		case !done[r.Chat]:
			a.recompute(chatRef{id: r.Chat, personID: r.Person})
		case !a.fullP[r.Person]:
			people = append(people, r)
		}
	}
	// A person recomputed in full needs no move (and a chat recomputed above may be theirs).
	kept := people[:0]
	for _, r := range people {
		if !a.fullP[r.Person] {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	if raw, err = json.Marshal(kept); err != nil {
		return err
	}
	if _, err := a.stmt(a.ing.movePeople).ExecContext(a.ctx, string(raw)); err != nil {
		return fmt.Errorf("move people: %w", err)
	}
	return nil
}
