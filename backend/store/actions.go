package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// chatPerson returns the person of a chat inside tx, or ErrNotFound.
func chatPerson(ctx context.Context, tx *sqlx.Tx, chatID int64) (int64, error) {
	var personID int64
	err := tx.GetContext(ctx, &personID, `SELECT person_id FROM chats WHERE id = ?`, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: chat %d: %w", chatID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("store: chat %d: %w", chatID, err)
	}
	return personID, nil
}

// MarkRead marks every message of a chat read: last_read_message_id becomes the chat's newest
// message id, and the chat's and person's unread columns follow in the same transaction.
func (s *Store) MarkRead(ctx context.Context, chatID int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		personID, err := chatPerson(ctx, tx, chatID)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE chats SET last_read_message_id =
  COALESCE((SELECT MAX(id) FROM messages WHERE chat_id = chats.id), 0)
WHERE id = ? AND (unread > 0 OR last_read_message_id < COALESCE((SELECT MAX(id) FROM messages WHERE chat_id = chats.id), 0))`, chatID)
		if err != nil {
			return fmt.Errorf("store: mark chat %d read: %w", chatID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already read: no event, no churn
		}
		return chatChanged(ctx, tx, personID, chatID, 0, now.UnixMilli(), core.EventChatChanged)
	})
}

// markAllBatch is how many chats one MarkAllRead transaction reads, so the single writer is
// never held for long and pollers can ingest between batches.
const markAllBatch = 500

// MarkAllRead marks every unread chat read ("Read all messages"), in batched transactions.
// It returns how many chats it marked.
func (s *Store) MarkAllRead(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		n := 0
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			var chats []struct {
				ID       int64 `db:"id"`
				PersonID int64 `db:"person_id"`
			}
			if err := tx.SelectContext(ctx, &chats, `SELECT id, person_id FROM chats WHERE unread > 0 ORDER BY id LIMIT ?`, markAllBatch); err != nil {
				return fmt.Errorf("store: mark all read: %w", err)
			}
			people := map[int64]bool{}
			for _, c := range chats {
				if _, err := tx.ExecContext(ctx, `UPDATE chats SET last_read_message_id =
  COALESCE((SELECT MAX(id) FROM messages WHERE chat_id = chats.id), 0), unread = 0, first_unread_at = 0
WHERE id = ?`, c.ID); err != nil {
					return fmt.Errorf("store: mark all read chat %d: %w", c.ID, err)
				}
				if err := refreshChat(ctx, tx, c.ID); err != nil {
					return err
				}
				if err := appendEvent(ctx, tx, core.EventChatChanged, c.PersonID, c.ID, 0, now.UnixMilli()); err != nil {
					return err
				}
				people[c.PersonID] = true
			}
			for p := range people {
				if err := refreshPerson(ctx, tx, p); err != nil {
					return err
				}
			}
			n = len(chats)
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < markAllBatch {
			return total, nil
		}
	}
}

// setChatFlag flips one of a chat's switches with a log entry and an event.
func (s *Store) setChatFlag(ctx context.Context, chatID int64, column string, on bool, logKind core.LogKind, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		personID, err := chatPerson(ctx, tx, chatID)
		if err != nil {
			return err
		}
		// column is one of two constants chosen by the callers below, never user input.
		res, err := tx.ExecContext(ctx, `UPDATE chats SET `+column+` = ? WHERE id = ? AND `+column+` <> ?`, on, chatID, on)
		if err != nil {
			return fmt.Errorf("store: set %s on chat %d: %w", column, chatID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		var channel string
		if err := tx.GetContext(ctx, &channel, `SELECT ch.name FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE c.id = ?`, chatID); err != nil {
			return fmt.Errorf("store: channel of chat %d: %w", chatID, err)
		}
		if err := s.logAction(ctx, tx, personID, logKind, core.LogParams{core.ParamChannel: channel}, now.UnixMilli()); err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventChatChanged, personID, chatID, 0, now.UnixMilli())
	})
}

// SetTunnelOff turns a chat's tunnel messages off or on ("turn off chat").
func (s *Store) SetTunnelOff(ctx context.Context, chatID int64, off bool, now time.Time) error {
	return s.setChatFlag(ctx, chatID, "tunnel_off", off, core.ChatSwitchLog(false, off), now)
}

// SetBotOff turns a chat's bot (AI) replies off or on.
func (s *Store) SetBotOff(ctx context.Context, chatID int64, off bool, now time.Time) error {
	return s.setChatFlag(ctx, chatID, "bot_off", off, core.ChatSwitchLog(true, off), now)
}

// setPersonFlag flips archived/blacklisted with a log entry and an event.
func (s *Store) setPersonFlag(ctx context.Context, personID int64, flag core.PersonFlag, on bool, now time.Time) error {
	column := string(flag) // one of two constants, never user input
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE people SET `+column+` = ? WHERE id = ? AND `+column+` <> ?`, on, personID, on)
		if err != nil {
			return fmt.Errorf("store: set %s on person %d: %w", column, personID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists bool
			if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM people WHERE id = ?)`, personID); err != nil {
				return fmt.Errorf("store: person %d: %w", personID, err)
			}
			if !exists {
				return fmt.Errorf("store: person %d: %w", personID, ErrNotFound)
			}
			return nil
		}
		if err := s.logAction(ctx, tx, personID, core.PersonFlagLog(flag, on), nil, now.UnixMilli()); err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventPersonChanged, personID, 0, 0, now.UnixMilli())
	})
}

// SetArchived moves a person to or from the archive.
func (s *Store) SetArchived(ctx context.Context, personID int64, on bool, now time.Time) error {
	return s.setPersonFlag(ctx, personID, core.FlagArchived, on, now)
}

// SetBlacklisted adds a person to or removes them from the blacklist.
func (s *Store) SetBlacklisted(ctx context.Context, personID int64, on bool, now time.Time) error {
	return s.setPersonFlag(ctx, personID, core.FlagBlacklisted, on, now)
}

// AddNote stores an internal note in a chat's history. Notes are never sent and do not touch the
// chat's unread count, preview or position (refreshChat ignores kind 'note'), so nothing needs
// refreshing; each mentioned manager gets a note.mention event.
func (s *Store) AddNote(ctx context.Context, chatID, managerID int64, text string, mentions []int64, now time.Time) (core.Message, error) {
	return s.AddNoteKeyed(ctx, "", chatID, managerID, text, mentions, now)
}

// AddNoteKeyed is AddNote for a replica's mutation: the note carries the mutation's key, so a
// replay fails with ErrMutationApplied instead of adding the note twice.
func (s *Store) AddNoteKeyed(ctx context.Context, key string, chatID, managerID int64, text string, mentions []int64, now time.Time) (core.Message, error) {
	var m core.Message
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		personID, err := chatPerson(ctx, tx, chatID)
		if err != nil {
			return err
		}
		var name string
		if err := tx.GetContext(ctx, &name, `SELECT name FROM managers WHERE id = ?`, managerID); err != nil {
			return fmt.Errorf("store: note author %d: %w", managerID, err)
		}
		uniq := make([]int64, 0, len(mentions))
		seen := map[int64]bool{}
		for _, id := range mentions {
			if seen[id] {
				continue
			}
			seen[id] = true
			exists, disabled, err := managerState(ctx, tx, id)
			switch {
			case err != nil:
				return fmt.Errorf("store: note mention %d: %w", id, err)
			case !exists:
				return fmt.Errorf("store: note mentions manager %d: %w", id, ErrNotFound)
			case disabled:
				return fmt.Errorf("store: note mentions manager %d: %w", id, ErrMentionDisabled)
			}
			uniq = append(uniq, id)
		}
		mentionsJSON := ""
		if len(uniq) > 0 {
			b, _ := json.Marshal(uniq)
			mentionsJSON = string(b)
		}
		at := now.UnixMilli()
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (chat_id, kind, sender, sender_name, manager_id, text, mentions, status, created_at, mutation_key)
VALUES (?, 'note', 'manager', ?, ?, ?, ?, 'sent', ?, ?)`, chatID, name, managerID, text, mentionsJSON, at, key)
		if key != "" && isUniqueViolation(err) {
			return ErrMutationApplied
		}
		if err != nil {
			return fmt.Errorf("store: add note to chat %d: %w", chatID, err)
		}
		id, _ := res.LastInsertId()
		if err := appendEvent(ctx, tx, core.EventMessageNew, personID, chatID, id, at); err != nil {
			return err
		}
		if err := appendAddressed(ctx, tx, core.EventNoteMention, personID, chatID, id, at, uniq...); err != nil {
			return err
		}
		m = core.Message{ID: id, ChatID: chatID, Kind: core.KindNote, Sender: core.SenderManager, SenderName: name,
			ManagerID: managerID, Text: text, Attachments: []core.Attachment{}, Mentions: uniq,
			Status: core.StatusSent, CreatedAt: at}
		if len(uniq) == 0 {
			m.Mentions = nil
		}
		return nil
	})
	return m, err
}
