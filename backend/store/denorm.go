package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// The people list reads only the people table. Any write that changes a chat's messages,
// unread count or draft must call refreshChat and then refreshPerson in the same transaction;
// any write that changes a person's name, phone or email must call indexPerson.

// previewOf is a chat's preview in the list, for chat an SQL expression of its id: the first
// 200 characters of its newest message (kind 'message'; of two at the same time, the later
// row), empty when that message is deleted or there is none. It walks messages_history back
// from the chat's end, so a list page reads it for its rows. The people and chats rows carried
// it until migration 0006: every new message copied its text into both, which made the rows
// ingestion rewrites for each message half again as wide.
func previewOf(chat string) string {
	return `COALESCE((SELECT CASE WHEN m.deleted THEN '' ELSE substr(m.text, 1, 200) END FROM messages m
  WHERE m.chat_id = ` + chat + ` AND m.kind = 'message' ORDER BY m.created_at DESC, m.id DESC LIMIT 1), '')`
}

// refreshChatsSQL recomputes chats' list columns; refreshChat adds a WHERE for one chat, the
// bulk loader runs it over every chat at once.
const refreshChatsSQL = `
UPDATE chats SET
  last_message_at = COALESCE((SELECT MAX(created_at) FROM messages WHERE chat_id = chats.id AND kind <> 'note'), 0),
  unread = (SELECT COUNT(*) FROM messages WHERE chat_id = chats.id AND kind = 'message'
            AND sender = 'client' AND id > chats.last_read_message_id),
  first_unread_at = COALESCE((SELECT MIN(created_at) FROM messages WHERE chat_id = chats.id
            AND kind = 'message' AND sender = 'client' AND id > chats.last_read_message_id), 0)
`

// refreshPeopleSQL recomputes people's list columns from their chats (after refreshChatsSQL).
const refreshPeopleSQL = `
UPDATE people SET
  last_chat_id = COALESCE((SELECT id FROM chats WHERE person_id = people.id
                           ORDER BY last_message_at DESC, id DESC LIMIT 1), 0),
  last_message_at = COALESCE((SELECT MAX(last_message_at) FROM chats WHERE person_id = people.id), 0),
  unread = COALESCE((SELECT SUM(unread) FROM chats WHERE person_id = people.id), 0),
  first_unread_at = COALESCE((SELECT MIN(first_unread_at) FROM chats WHERE person_id = people.id
                              AND unread > 0), 0),
  has_draft = CASE WHEN EXISTS (SELECT 1 FROM drafts d JOIN chats c ON c.id = d.chat_id
                      WHERE c.person_id = people.id AND (d.text <> '' OR d.constructor <> '')) THEN 1 ELSE 0 END,
  kinds = COALESCE((SELECT SUM(DISTINCT CASE ch.kind WHEN 'telegram' THEN 1 WHEN 'vk' THEN 2 ELSE 0 END)
                    FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE c.person_id = people.id), 0)
`

// kindBit is a messenger's bit in people.kinds.
func kindBit(k string) int {
	switch k {
	case "telegram":
		return 1
	case "vk":
		return 2
	}
	return 0
}

// chatChanged is the tail of every write that changes what a chat shows: it refreshes the chat's
// and its person's list columns and logs one event of each kind, all inside tx.
func chatChanged(ctx context.Context, tx *sqlx.Tx, personID, chatID, messageID, at int64, kinds ...string) error {
	if err := refreshChat(ctx, tx, chatID); err != nil {
		return err
	}
	if err := refreshPerson(ctx, tx, personID); err != nil {
		return err
	}
	for _, kind := range kinds {
		if err := appendEvent(ctx, tx, kind, personID, chatID, messageID, at); err != nil {
			return err
		}
	}
	return nil
}

// refreshChat recomputes a chat's last_message_at, unread and first_unread_at from its
// messages. Unread = client messages (kind 'message', sender 'client') after last_read_message_id.
func refreshChat(ctx context.Context, tx *sqlx.Tx, chatID int64) error {
	_, err := tx.ExecContext(ctx, refreshChatsSQL+` WHERE id = ?`, chatID)
	if err != nil {
		return fmt.Errorf("store: refresh chat %d: %w", chatID, err)
	}
	return nil
}

// refreshPerson recomputes the person's list columns from their chats: the most recent chat
// and its time, the total unread, the oldest unread, whether any chat has a draft, and
// which messengers the person is on.
func refreshPerson(ctx context.Context, tx *sqlx.Tx, personID int64) error {
	_, err := tx.ExecContext(ctx, refreshPeopleSQL+` WHERE id = ?`, personID)
	if err != nil {
		return fmt.Errorf("store: refresh person %d: %w", personID, err)
	}
	return nil
}

// indexPerson (re)writes the person's quick-search row (rowid = person id).
func indexPerson(ctx context.Context, tx *sqlx.Tx, personID int64) error {
	var p struct {
		Name  string `db:"name"`
		Email string `db:"email"`
		Phone string `db:"phone"`
	}
	if err := tx.GetContext(ctx, &p, `SELECT name, email, phone FROM people WHERE id = ?`, personID); err != nil {
		return fmt.Errorf("store: index person %d: %w", personID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM people_fts WHERE rowid = ?`, personID); err != nil {
		return fmt.Errorf("store: index person %d: %w", personID, err)
	}
	_, err := tx.ExecContext(ctx,
		`INSERT INTO people_fts (rowid, name, email, phone, phone_digits) VALUES (?, ?, ?, ?, ?)`,
		personID, p.Name, p.Email, p.Phone, phoneSuffixes(p.Phone))
	if err != nil {
		return fmt.Errorf("store: index person %d: %w", personID, err)
	}
	return nil
}

// phoneSuffixes is what people_fts.phone_digits holds: every suffix of the phone's bare digits
// that is at least 3 long ("79161234567 9161234567 161234567 …"). FTS5 prefix queries then find
// any run of consecutive digits ("916123") with the ordinary unicode61 index, at ~10 tokens per
// person — far smaller than a trigram index over every column, and prefix lookups stay O(log n).
func phoneSuffixes(phone string) string {
	d := core.PhoneDigits(phone)
	if len(d) == 0 {
		return ""
	}
	var b strings.Builder
	for i := 0; i+3 <= len(d) || i == 0; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d[i:])
	}
	return b.String()
}
