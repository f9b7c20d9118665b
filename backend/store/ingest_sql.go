package store

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
ON CONFLICT (chat_id, external_id) WHERE external_id <> '' DO NOTHING`

// insertMsgsSQL inserts a batch's plain new messages (a JSON array of msgRow) in one statement,
// in array order, and returns the rows it inserted (a duplicate returns nothing).
//
// Why one statement: messages_fts is filled by a trigger, so every INSERT into messages runs
// under a statement savepoint, and FTS5 writes its pending terms out as a new index segment at
// every savepoint. One INSERT per message therefore wrote one tiny segment per message (and
// merged them again); one INSERT per batch writes one segment per batch. The WHERE true keeps
// the upsert's ON from being read as a join constraint.
//
// jsonb_each hands each element over as JSONB, which ->> reads without parsing text again. Its
// rowid counts the elements in array order and it returns them in that order, so ORDER BY rowid
// costs nothing, where ORDER BY key sorted every batch's rows (text included) in a temp b-tree.
const insertMsgsSQL = `
INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, attachments, status, created_at)
SELECT value->>'c', 'message', value->>'x', value->>'s', value->>'n', value->>'t', value->>'a',
       value->>'st', value->>'at'
FROM jsonb_each(?) WHERE true ORDER BY rowid
ON CONFLICT (chat_id, external_id) WHERE external_id <> '' DO NOTHING
RETURNING id, chat_id, external_id`

// insertEventsSQL appends a batch's event-log entries (a JSON array of [kind, person, chat,
// message]) in order (rowid: see insertMsgsSQL): one INSERT per update cost more than the update.
const insertEventsSQL = `
INSERT INTO events (kind, person_id, chat_id, message_id, at)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, ? FROM jsonb_each(?) ORDER BY rowid`
