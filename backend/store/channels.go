package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

const channelCols = `id, kind, name, external_id, username, avatar_url, api_url, enabled, cursor, created_at`

// AddChannel stores a connected bot/community. Adding the same bot again (same kind and
// external id) re-enables the existing row, so a channel removed and re-added keeps its chats
// and its acknowledged cursor.
func (s *Store) AddChannel(ctx context.Context, ch core.Channel, now time.Time) (core.Channel, error) {
	if ch.Kind != core.Telegram && ch.Kind != core.VK {
		return core.Channel{}, fmt.Errorf("store: add channel: unknown kind %q", ch.Kind)
	}
	if ch.ExternalID == "" {
		return core.Channel{}, errors.New("store: add channel: empty external id")
	}
	var out core.Channel
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var id int64
		err := tx.GetContext(ctx, &id, `
INSERT INTO channels (kind, name, external_id, username, avatar_url, api_url, enabled, created_at)
VALUES (?, ?, ?, ?, ?, ?, 1, ?)
ON CONFLICT (kind, external_id) DO UPDATE SET
  name = excluded.name, username = excluded.username, avatar_url = excluded.avatar_url,
  api_url = excluded.api_url, enabled = 1
RETURNING id`, ch.Kind, ch.Name, ch.ExternalID, ch.Username, ch.AvatarURL, ch.APIURL, now.UnixMilli())
		if err != nil {
			return fmt.Errorf("store: add channel: %w", err)
		}
		if err := tx.GetContext(ctx, &out, `SELECT `+channelCols+` FROM channels WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: add channel: %w", err)
		}
		// A team's desktops follow the log (core.CompanySettings).
		return appendEvent(ctx, tx, core.EventChannels, 0, 0, 0, now.UnixMilli())
	})
	return out, err
}

// RemoveChannel stops using a channel. A channel that never had a chat is deleted; one with
// chats is only disabled, so its history stays readable (a chat needs its channel row).
func (s *Store) RemoveChannel(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var chats int
		if err := tx.GetContext(ctx, &chats, `SELECT COUNT(*) FROM chats WHERE channel_id = ?`, id); err != nil {
			return fmt.Errorf("store: remove channel %d: %w", id, err)
		}
		var res sql.Result
		var err error
		if chats == 0 {
			res, err = tx.ExecContext(ctx, `DELETE FROM channels WHERE id = ?`, id)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE channels SET enabled = 0 WHERE id = ?`, id)
		}
		if err != nil {
			return fmt.Errorf("store: remove channel %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: remove channel %d: %w", id, ErrNotFound)
		}
		return appendEvent(ctx, tx, core.EventChannels, 0, 0, 0, time.Now().UnixMilli())
	})
}

// SetChannelEnabled turns a channel's polling on or off.
func (s *Store) SetChannelEnabled(ctx context.Context, id int64, enabled bool) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE channels SET enabled = ? WHERE id = ?`, enabled, id)
		if err != nil {
			return fmt.Errorf("store: enable channel %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: enable channel %d: %w", id, ErrNotFound)
		}
		return appendEvent(ctx, tx, core.EventChannels, 0, 0, 0, time.Now().UnixMilli())
	})
}

// SetChannelCursor records the acknowledged upstream position outside a batch (ApplyBatch
// stores it with the batch; this is for a reset, e.g. after the messenger invalidated it).
func (s *Store) SetChannelCursor(ctx context.Context, id int64, cursor string) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE channels SET cursor = ? WHERE id = ?`, cursor, id); err != nil {
			return fmt.Errorf("store: set cursor of channel %d: %w", id, err)
		}
		return nil
	})
}

// Channel returns one channel, with its cursor.
func (s *Store) Channel(ctx context.Context, id int64) (core.Channel, error) {
	var ch core.Channel
	err := s.read.GetContext(ctx, &ch, `SELECT `+channelCols+` FROM channels WHERE id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return ch, fmt.Errorf("store: channel %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ch, fmt.Errorf("store: channel %d: %w", id, err)
	}
	return ch, nil
}

// Channels lists every channel (enabled or not), oldest first.
func (s *Store) Channels(ctx context.Context) ([]core.Channel, error) {
	var out []core.Channel
	if err := s.read.SelectContext(ctx, &out, `SELECT `+channelCols+` FROM channels ORDER BY id`); err != nil {
		return nil, fmt.Errorf("store: channels: %w", err)
	}
	return out, nil
}

// LeadLinks lists a channel's named deep links.
func (s *Store) LeadLinks(ctx context.Context, channelID int64) ([]core.LeadLink, error) {
	var out []core.LeadLink
	err := s.read.SelectContext(ctx, &out,
		`SELECT id, channel_id, code, plan, source, tool FROM lead_links WHERE channel_id = ? ORDER BY id`, channelID)
	if err != nil {
		return nil, fmt.Errorf("store: lead links of channel %d: %w", channelID, err)
	}
	return out, nil
}

// codeAlphabet is the part of the deep-link alphabet (A-Za-z0-9_-) that reads unambiguously.
const codeAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newLeadCode returns a random code that is a valid Telegram /start payload and VK ref.
func newLeadCode() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: lead code: %w", err)
	}
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b), nil
}

// AddLeadLink stores a lead link. An empty Code gets a generated one; a given code must be a
// valid deep-link payload.
func (s *Store) AddLeadLink(ctx context.Context, l core.LeadLink) (core.LeadLink, error) {
	l.Code = strings.TrimSpace(l.Code)
	generated := l.Code == ""
	if !generated && !core.ValidDeepLinkPayload(l.Code) {
		return l, fmt.Errorf("store: add lead link: code %q: use 1-64 of A-Z a-z 0-9 _ -", l.Code)
	}
	for attempt := 0; ; attempt++ {
		if generated {
			code, err := newLeadCode()
			if err != nil {
				return l, err
			}
			l.Code = code
		}
		err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			if err := tx.GetContext(ctx, &l.ID, `
INSERT INTO lead_links (channel_id, code, plan, source, tool) VALUES (?, ?, ?, ?, ?)
RETURNING id`, l.ChannelID, l.Code, l.Plan, l.Source, l.Tool); err != nil {
				return err
			}
			// A team's desktops follow the log (core.CompanySettings).
			return appendEvent(ctx, tx, core.EventLeadLinks, 0, 0, 0, time.Now().UnixMilli())
		})
		if err == nil {
			return l, nil
		}
		// A generated code that collides is drawn again; a chosen one is the caller's to change.
		if generated && attempt < 5 && strings.Contains(err.Error(), "UNIQUE") {
			continue
		}
		return l, fmt.Errorf("store: add lead link: %w", err)
	}
}

// DeleteLeadLink removes a lead link; past subscriptions keep the names they recorded.
func (s *Store) DeleteLeadLink(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM lead_links WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete lead link %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: delete lead link %d: %w", id, ErrNotFound)
		}
		return appendEvent(ctx, tx, core.EventLeadLinks, 0, 0, 0, time.Now().UnixMilli())
	})
}

// MergePeople makes merge's chats, plans, tags, tasks and logs keep's, fills keep's empty
// contact fields from merge, deletes merge and logs the merge on keep.
func (s *Store) MergePeople(ctx context.Context, keep, merge int64, now time.Time) error {
	if keep == merge {
		return errors.New("store: merge people: a person cannot be merged into themself")
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		return mergePeople(ctx, tx, keep, merge, now.UnixMilli())
	})
}

func mergePeople(ctx context.Context, tx *sqlx.Tx, keep, merge, at int64) error {
	var mergeName string
	err := tx.GetContext(ctx, &mergeName, `SELECT name FROM people WHERE id = ?`, merge)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: merge person %d: %w", merge, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: merge person %d: %w", merge, err)
	}
	var exists int
	if err := tx.GetContext(ctx, &exists, `SELECT COUNT(*) FROM people WHERE id = ?`, keep); err != nil || exists == 0 {
		return fmt.Errorf("store: merge into person %d: %w", keep, errors.Join(ErrNotFound, err))
	}
	stmts := []string{
		`UPDATE chats SET person_id = ?1 WHERE person_id = ?2`,
		`INSERT OR IGNORE INTO person_plans (person_id, plan_id) SELECT ?1, plan_id FROM person_plans WHERE person_id = ?2`,
		`INSERT OR IGNORE INTO person_tags (person_id, tag_id) SELECT ?1, tag_id FROM person_tags WHERE person_id = ?2`,
		`UPDATE tasks SET person_id = ?1 WHERE person_id = ?2`,
		`UPDATE person_logs SET person_id = ?1 WHERE person_id = ?2`,
		`UPDATE people SET
		   name = CASE WHEN name = '' THEN (SELECT name FROM people WHERE id = ?2) ELSE name END,
		   phone = CASE WHEN phone = '' THEN (SELECT phone FROM people WHERE id = ?2) ELSE phone END,
		   email = CASE WHEN email = '' THEN (SELECT email FROM people WHERE id = ?2) ELSE email END,
		   avatar_url = CASE WHEN avatar_url = '' THEN (SELECT avatar_url FROM people WHERE id = ?2) ELSE avatar_url END,
		   source = CASE WHEN source = '' THEN (SELECT source FROM people WHERE id = ?2) ELSE source END,
		   tool = CASE WHEN tool = '' THEN (SELECT tool FROM people WHERE id = ?2) ELSE tool END
		 WHERE id = ?1`,
		`DELETE FROM people_fts WHERE rowid = ?2`,
		`DELETE FROM people WHERE id = ?2`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, keep, merge); err != nil {
			return fmt.Errorf("store: merge person %d into %d: %w", merge, keep, err)
		}
	}
	if err := addLog(ctx, tx, keep, core.LogMerged, core.LogParams{core.ParamName: mergeName}, at); err != nil {
		return err
	}
	if err := refreshPerson(ctx, tx, keep); err != nil {
		return err
	}
	if err := indexPerson(ctx, tx, keep); err != nil {
		return err
	}
	if err := appendEvent(ctx, tx, core.EventPersonChanged, merge, 0, 0, at); err != nil {
		return err
	}
	return appendEvent(ctx, tx, core.EventPersonChanged, keep, 0, 0, at)
}

// ChatByExternal finds a channel's chat by the messenger's chat id.
func (s *Store) ChatByExternal(ctx context.Context, channelID int64, externalChatID string) (core.Chat, error) {
	var id int64
	err := s.read.GetContext(ctx, &id, `SELECT id FROM chats WHERE channel_id = ? AND external_chat_id = ?`, channelID, externalChatID)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Chat{}, fmt.Errorf("store: chat %s of channel %d: %w", externalChatID, channelID, ErrNotFound)
	}
	if err != nil {
		return core.Chat{}, fmt.Errorf("store: chat %s of channel %d: %w", externalChatID, channelID, err)
	}
	return s.Chat(ctx, id)
}
