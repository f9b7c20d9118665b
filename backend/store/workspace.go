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

// SavedFilters lists the saved filters by name.
func (s *Store) SavedFilters(ctx context.Context) ([]core.SavedFilter, error) {
	var rows []struct {
		ID     int64  `db:"id"`
		Name   string `db:"name"`
		Filter string `db:"filter"`
	}
	if err := s.read.SelectContext(ctx, &rows, `SELECT id, name, filter FROM saved_filters ORDER BY name, id`); err != nil {
		return nil, fmt.Errorf("store: saved filters: %w", err)
	}
	out := make([]core.SavedFilter, 0, len(rows))
	for _, r := range rows {
		sf := core.SavedFilter{ID: r.ID, Name: r.Name}
		if err := json.Unmarshal([]byte(r.Filter), &sf.Filter); err != nil {
			return nil, fmt.Errorf("store: saved filter %q: %w", r.Name, err)
		}
		out = append(out, sf)
	}
	return out, nil
}

// SaveFilter creates or replaces the saved filter called name and returns it.
func (s *Store) SaveFilter(ctx context.Context, name string, f core.ListFilter) (core.SavedFilter, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return core.SavedFilter{}, fmt.Errorf("store: save filter %q: %w", name, err)
	}
	var id int64
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &id, `INSERT INTO saved_filters (name, filter) VALUES (?, ?)
ON CONFLICT (name) DO UPDATE SET filter = excluded.filter RETURNING id`, name, string(b)); err != nil {
			return fmt.Errorf("store: save filter %q: %w", name, err)
		}
		return appendEvent(ctx, tx, "filters.changed", 0, 0, 0, time.Now().UnixMilli())
	})
	if err != nil {
		return core.SavedFilter{}, err
	}
	return core.SavedFilter{ID: id, Name: name, Filter: f}, nil
}

// DeleteSavedFilter removes a saved filter; deleting a missing one is not an error.
func (s *Store) DeleteSavedFilter(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM saved_filters WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: delete saved filter %d: %w", id, err)
		}
		return appendEvent(ctx, tx, "filters.changed", 0, 0, 0, time.Now().UnixMilli())
	})
}

// Setting returns a setting's value and whether it is set.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.read.GetContext(ctx, &v, `SELECT value FROM settings WHERE key = ?`, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, true, nil
}

// SetSetting stores a setting. Settings are local preferences: no event.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
			return fmt.Errorf("store: set setting %s: %w", key, err)
		}
		return nil
	})
}

// Managers lists the managers, me first.
func (s *Store) Managers(ctx context.Context) ([]core.Manager, error) {
	var ms []core.Manager
	if err := s.read.SelectContext(ctx, &ms, `SELECT id, name, avatar_url, is_me FROM managers ORDER BY is_me DESC, name, id`); err != nil {
		return nil, fmt.Errorf("store: managers: %w", err)
	}
	return ms, nil
}

// Me returns the manager using this machine, creating "me" when the store has none yet.
func (s *Store) Me(ctx context.Context) (core.Manager, error) {
	var m core.Manager
	err := s.read.GetContext(ctx, &m, `SELECT id, name, avatar_url, is_me FROM managers WHERE is_me = 1 ORDER BY id LIMIT 1`)
	if err == nil {
		return m, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return core.Manager{}, fmt.Errorf("store: me: %w", err)
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		// Re-check inside the write transaction: two callers may race to create me.
		if err := tx.GetContext(ctx, &m, `SELECT id, name, avatar_url, is_me FROM managers WHERE is_me = 1 ORDER BY id LIMIT 1`); err == nil {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO managers (name, is_me) VALUES ('me', 1)`)
		if err != nil {
			return fmt.Errorf("store: create me: %w", err)
		}
		id, _ := res.LastInsertId()
		m = core.Manager{ID: id, Name: "me", IsMe: true}
		return nil
	})
	return m, err
}

// Facets are the choices of the filter panel.
type Facets struct {
	Plans   []string `json:"plans"`
	Tags    []string `json:"tags"`
	Tools   []string `json:"tools"`
	Sources []string `json:"sources"`
}

// Facets lists every sales plan, tag, lead-generation tool and traffic source in use.
func (s *Store) Facets(ctx context.Context) (Facets, error) {
	f := Facets{Plans: []string{}, Tags: []string{}, Tools: []string{}, Sources: []string{}}
	for _, q := range []struct {
		dst   *[]string
		query string
	}{
		{&f.Plans, `SELECT name FROM sales_plans ORDER BY name`},
		{&f.Tags, `SELECT name FROM tags ORDER BY name`},
		// DISTINCT over the (tool) / (source) indexes reads each value once, not every person.
		{&f.Tools, `SELECT DISTINCT tool FROM people WHERE tool <> '' ORDER BY tool`},
		{&f.Sources, `SELECT DISTINCT source FROM people WHERE source <> '' ORDER BY source`},
	} {
		if err := s.read.SelectContext(ctx, q.dst, q.query); err != nil {
			return Facets{}, fmt.Errorf("store: facets: %w", err)
		}
	}
	return f, nil
}

// Templates lists the chat templates by name.
func (s *Store) Templates(ctx context.Context) ([]core.Template, error) {
	ts := []core.Template{}
	if err := s.read.SelectContext(ctx, &ts, `SELECT id, name, value FROM templates ORDER BY name`); err != nil {
		return nil, fmt.Errorf("store: templates: %w", err)
	}
	return ts, nil
}

// EventsAfter returns up to limit events with seq > after, in order.
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]core.Event, error) {
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	evs := []core.Event{}
	if err := s.read.SelectContext(ctx, &evs, `SELECT seq, kind, person_id, chat_id, message_id, manager_id, at
FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit); err != nil {
		return nil, fmt.Errorf("store: events after %d: %w", after, err)
	}
	return evs, nil
}

// LastEventSeq is the newest event's seq (0 when the log is empty).
func (s *Store) LastEventSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.read.GetContext(ctx, &seq, `SELECT COALESCE(MAX(seq), 0) FROM events`); err != nil {
		return 0, fmt.Errorf("store: last event: %w", err)
	}
	return seq, nil
}

// Stats counts the workspace's main rows.
type Stats struct {
	People   int64 `db:"people" json:"people"`
	Chats    int64 `db:"chats" json:"chats"`
	Messages int64 `db:"messages" json:"messages"`
	Channels int64 `db:"channels" json:"channels"`
}

// Stats counts people, chats, messages and channels.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	if err := s.read.GetContext(ctx, &st, `SELECT (SELECT COUNT(*) FROM people) AS people,
  (SELECT COUNT(*) FROM chats) AS chats, (SELECT COUNT(*) FROM messages) AS messages,
  (SELECT COUNT(*) FROM channels) AS channels`); err != nil {
		return Stats{}, fmt.Errorf("store: stats: %w", err)
	}
	return st, nil
}
