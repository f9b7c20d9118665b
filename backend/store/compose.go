package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// Drafts and chat templates: what the composer keeps on disk while the manager writes.

// ErrTemplateExists is returned when a template name is already taken.
var ErrTemplateExists = errors.New("a template with this name already exists")

// ErrTemplateName is returned for an empty template name.
var ErrTemplateName = errors.New("a template needs a name")

// SaveDraft stores a chat's unsent text, unfinished constructor message (JSON) and the message
// it replies to. An empty text with an empty constructor deletes the draft. The person's
// has_draft follows in the same transaction; an event is appended only when the draft mark
// appears or disappears, so typing does not flood the UI with list refreshes.
func (s *Store) SaveDraft(ctx context.Context, d core.Draft, now time.Time) error {
	empty := strings.TrimSpace(d.Text) == "" && strings.TrimSpace(d.Constructor) == ""
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		personID, err := chatPerson(ctx, tx, d.ChatID)
		if err != nil {
			return err
		}
		var had bool
		if err := tx.GetContext(ctx, &had, `SELECT EXISTS (SELECT 1 FROM drafts WHERE chat_id = ?
  AND (text <> '' OR constructor <> ''))`, d.ChatID); err != nil {
			return fmt.Errorf("read draft: %w", err)
		}
		if empty {
			if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE chat_id = ?`, d.ChatID); err != nil {
				return fmt.Errorf("delete draft: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT INTO drafts (chat_id, text, constructor, reply_to_id, updated_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (chat_id) DO UPDATE SET text = excluded.text, constructor = excluded.constructor,
  reply_to_id = excluded.reply_to_id, updated_at = excluded.updated_at`,
			d.ChatID, d.Text, d.Constructor, d.ReplyToID, now.UnixMilli()); err != nil {
			return fmt.Errorf("save draft: %w", err)
		}
		if had == !empty {
			return nil // the mark in the list does not change
		}
		if err := refreshPerson(ctx, tx, personID); err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventChatChanged, personID, d.ChatID, 0, now.UnixMilli())
	})
	if err != nil {
		return fmt.Errorf("store: save draft of chat %d: %w", d.ChatID, err)
	}
	return nil
}

// Draft returns a chat's draft; a chat without one gets an empty Draft (not an error).
func (s *Store) Draft(ctx context.Context, chatID int64) (core.Draft, error) {
	d := core.Draft{ChatID: chatID}
	err := s.read.GetContext(ctx, &d, `SELECT chat_id, text, constructor, reply_to_id, updated_at
FROM drafts WHERE chat_id = ?`, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Draft{ChatID: chatID}, nil
	}
	if err != nil {
		return core.Draft{}, fmt.Errorf("store: draft of chat %d: %w", chatID, err)
	}
	return d, nil
}

// Template returns one chat template.
func (s *Store) Template(ctx context.Context, id int64) (core.Template, error) {
	var t core.Template
	err := s.read.GetContext(ctx, &t, `SELECT id, name, value FROM templates WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("store: template %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return t, fmt.Errorf("store: template %d: %w", id, err)
	}
	return t, nil
}

// SaveTemplate creates a template (ID 0) or changes one. Names are unique.
func (s *Store) SaveTemplate(ctx context.Context, t core.Template) (core.Template, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return core.Template{}, ErrTemplateName
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var taken int
		if err := tx.GetContext(ctx, &taken, `SELECT COUNT(*) FROM templates WHERE name = ? AND id <> ?`, t.Name, t.ID); err != nil {
			return err
		}
		if taken > 0 {
			return ErrTemplateExists
		}
		if t.ID == 0 {
			if err := tx.GetContext(ctx, &t.ID, `INSERT INTO templates (name, value) VALUES (?, ?) RETURNING id`, t.Name, t.Value); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE templates SET name = ?, value = ? WHERE id = ?`, t.Name, t.Value, t.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
		return appendEvent(ctx, tx, "templates.changed", 0, 0, 0, time.Now().UnixMilli())
	})
	if err != nil {
		return core.Template{}, fmt.Errorf("store: save template %q: %w", t.Name, err)
	}
	return t, nil
}

// DeleteTemplate removes a template; deleting a missing one is not an error.
func (s *Store) DeleteTemplate(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM templates WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: delete template %d: %w", id, err)
		}
		return appendEvent(ctx, tx, "templates.changed", 0, 0, 0, time.Now().UnixMilli())
	})
}

// ChatPerson returns the person a chat belongs to (for filling template variables).
func (s *Store) ChatPerson(ctx context.Context, chatID int64) (core.Person, error) {
	var personID int64
	err := s.read.GetContext(ctx, &personID, `SELECT person_id FROM chats WHERE id = ?`, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Person{}, fmt.Errorf("store: chat %d: %w", chatID, ErrNotFound)
	}
	if err != nil {
		return core.Person{}, fmt.Errorf("store: chat %d: %w", chatID, err)
	}
	return s.Person(ctx, personID)
}
