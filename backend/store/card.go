package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"switchboard/backend/core"
)

// Person returns one person with their sales plans and tags.
func (s *Store) Person(ctx context.Context, personID int64) (core.Person, error) {
	var p core.Person
	err := s.read.GetContext(ctx, &p, `SELECT id, name, phone, email, avatar_url, status, archived,
  blacklisted, created_at FROM people WHERE id = ?`, personID)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Person{}, fmt.Errorf("store: person %d: %w", personID, ErrNotFound)
	}
	if err != nil {
		return core.Person{}, fmt.Errorf("store: person %d: %w", personID, err)
	}
	p.Plans = []string{}
	p.Tags = []string{}
	if err := s.read.SelectContext(ctx, &p.Plans, `SELECT sp.name FROM person_plans pp
JOIN sales_plans sp ON sp.id = pp.plan_id WHERE pp.person_id = ? ORDER BY sp.name`, personID); err != nil {
		return core.Person{}, fmt.Errorf("store: person %d plans: %w", personID, err)
	}
	if err := s.read.SelectContext(ctx, &p.Tags, `SELECT t.name FROM person_tags pt
JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = ? ORDER BY t.name`, personID); err != nil {
		return core.Person{}, fmt.Errorf("store: person %d tags: %w", personID, err)
	}
	return p, nil
}

// ClientCard gathers the right pane's quick card: the person, their chats (most recent first),
// tasks (open ones soonest first, then done ones, see Tasks) and the latest 50 log entries
// (newest first).
func (s *Store) ClientCard(ctx context.Context, personID int64) (core.ClientCard, error) {
	p, err := s.Person(ctx, personID)
	if err != nil {
		return core.ClientCard{}, err
	}
	card := core.ClientCard{Person: p, Chats: []core.Chat{}, Tasks: []core.Task{}, Logs: []core.LogEntry{}}
	if err := s.read.SelectContext(ctx, &card.Chats, `SELECT `+chatCols+` FROM chats c
JOIN channels ch ON ch.id = c.channel_id WHERE c.person_id = ? ORDER BY c.last_message_at DESC, c.id DESC`, personID); err != nil {
		return core.ClientCard{}, fmt.Errorf("store: card %d chats: %w", personID, err)
	}
	if card.Tasks, err = s.Tasks(ctx, personID); err != nil {
		return core.ClientCard{}, fmt.Errorf("store: card %d: %w", personID, err)
	}
	if card.Logs, err = s.personLogs(ctx, personID, cardLogs); err != nil {
		return core.ClientCard{}, fmt.Errorf("store: card %d logs: %w", personID, err)
	}
	return card, nil
}
