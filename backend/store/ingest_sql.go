package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jmoiron/sqlx"
)

// The statements every ingestion batch runs. The write connection keeps its prepared
// statements (go-sqlite3's _stmt_cache_size, see Open), so these are parsed and planned once
// per connection rather than in every batch, where that took ~5% of ingestion.

const (
	channelNameSQL   = `SELECT name FROM channels WHERE id = ?`
	prefetchChatsSQL = `
SELECT external_chat_id, id, person_id FROM chats
WHERE channel_id = ? AND external_chat_id IN (SELECT value FROM json_each(?))`
	findChatSQL      = `SELECT id, person_id FROM chats WHERE channel_id = ? AND external_chat_id = ?`
	insertPersonSQL  = `INSERT INTO people (name, phone, status, created_at) VALUES (?, ?, 'subscribed', ?) RETURNING id`
	unindexPersonSQL = `DELETE FROM people_fts WHERE rowid = ?`
	indexPersonSQL   = `INSERT INTO people_fts (rowid, name, email, phone, phone_digits) VALUES (?, ?, ?, ?, ?)`
	insertChatSQL    = `INSERT INTO chats (person_id, channel_id, external_chat_id, username, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`
	findMsgSQL       = `SELECT id FROM messages WHERE chat_id = ? AND external_id = ?`
	editMsgSQL       = `
UPDATE messages SET text = ?1, attachments = ?2, edited = 1, edited_at = ?3
WHERE chat_id = ?4 AND external_id = ?5 AND (text <> ?1 OR attachments <> ?2)
RETURNING id`
	reactMsgSQL  = `UPDATE messages SET reactions = ?1 WHERE chat_id = ?2 AND external_id = ?3 AND reactions <> ?1 RETURNING id`
	setCursorSQL = `UPDATE channels SET cursor = ? WHERE id = ?`
)

// insertMsgSQL inserts one message or indicator; a row that exists (the same chat and
// external id) is left alone, which keeps ingestion idempotent.
const insertMsgSQL = `
INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, attachments, indicator,
                      reply_to_id, status, edited, created_at, edited_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (chat_id, external_id, from_client) WHERE external_id <> '' DO NOTHING`

// A batch's rows go to SQLite as bound parameters of one multi-row statement: rowsSQL repeats
// a statement's row n times. These statements first took one JSON array argument, and SQLite
// then parsed it and extracted every field of every row again: a quarter of the store's
// instructions (callgrind, 50 batches: 1.03G -> 0.75G outside the Go runtime).
//
// go-sqlite3 keeps each statement text the writer runs prepared. Under load a batch's plain
// messages are its 100 updates every time, but its chats, people and events vary a little from
// batch to batch, so those statements are padded with rows that change nothing up to a
// multiple of padRows: a handful of sizes stay prepared instead of a new statement to parse in
// every batch.
//
// maxRows bounds one statement (SQLite allows 32,766 parameters); a longer batch, which the
// supervisor never sends (channel.MaxBatch is 100), takes several.
const (
	maxRows = 1008
	padRows = 16
)

// padded is n rounded up to a multiple of padRows.
func padded(n int) int { return (n + padRows - 1) / padRows * padRows }

// padArgs fills args up to its capacity, which the caller sized for the padded rows, with fill:
// a value the statement's rows ignore.
func padArgs(args []any, fill any) []any {
	for len(args) < cap(args) {
		args = append(args, fill)
	}
	return args
}

// queryRows runs a batch statement in the batch's transaction and calls scan for each row it
// returns.
func (a *applier) queryRows(query string, args []any, scan func(*sql.Rows) error) error {
	return queryEach(a.ctx, a.tx, query, args, scan)
}

// intoSet is a scan for queryEach that adds each row's one integer column to set.
func intoSet(set map[int64]bool) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		set[id] = true
		return nil
	}
}

// queryEach runs a statement in tx and calls scan for each row it returns.
func queryEach(ctx context.Context, tx *sqlx.Tx, query string, args []any, scan func(*sql.Rows) error) error {
	r, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		if err := scan(r); err != nil {
			return err
		}
	}
	return r.Err()
}

// rowsSQL is head, n copies of row separated by commas, and tail.
func rowsSQL(head, row, tail string, n int) string {
	var b strings.Builder
	b.Grow(len(head) + n*(len(row)+1) + len(tail))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	return b.String()
}

// inChunks calls fn for [lo, hi) chunks of at most maxRows of n rows.
func inChunks(n int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += maxRows {
		if err := fn(lo, min(lo+maxRows, n)); err != nil {
			return err
		}
	}
	return nil
}

// insertMsgs* insert a batch's plain new messages, in order, and return the rows inserted (a
// duplicate returns nothing).
//
// Why one statement: messages_fts is filled by a trigger, so every INSERT into messages runs
// under a statement savepoint, and FTS5 writes its pending terms out as a new index segment at
// every savepoint. One INSERT per message therefore wrote one tiny segment per message (and
// merged them again); one INSERT per batch writes one segment per batch.
const (
	insertMsgsHead = `INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, attachments, status, created_at) VALUES `
	insertMsgsRow  = `(?, 'message', ?, ?, ?, ?, ?, ?, ?)`
	insertMsgsTail = ` ON CONFLICT (chat_id, external_id, from_client) WHERE external_id <> '' DO NOTHING RETURNING id, chat_id, external_id`
)

// insertEvents* append a batch's event-log entries in order: one INSERT per update cost more
// than the update. Padding rows have a NULL kind.
const (
	insertEventsHead = `INSERT INTO events (kind, person_id, chat_id, message_id, at)
SELECT column1, column2, column3, column4, column5 FROM (VALUES `
	insertEventsRow  = `(?, ?, ?, ?, ?)`
	insertEventsTail = `) WHERE column1 IS NOT NULL`
)
