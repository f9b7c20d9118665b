package store

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// Team mode's dialogues and company settings (core.RowSet.Dialogues, .Settings), both ways: the
// hub reads every dialogue of the chats it sends, and the whole settings when one changed; a
// replica writes them as they are, keeping the hub's ids.

// dialoguesOfChats reads every dialogue of the chats with their managers and cycles, in three
// queries whatever their number (a feed batch names up to a hundred chats).
func dialoguesOfChats(ctx context.Context, q sqlx.QueryerContext, chatIDs []int64) ([]core.Dialogue, error) {
	var rows []dialogueRow
	if err := selectIn(ctx, q, &rows, `SELECT `+dialogueCols+` FROM dialogues WHERE chat_id IN (?) ORDER BY id`, chatIDs); err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	byID := make(map[int64]int, len(rows))
	out := make([]core.Dialogue, len(rows))
	for i, r := range rows {
		d := r.Dialogue
		d.Reasons, d.Components = namesOf(r.ReasonsJSON), namesOf(r.ComponentsJSON)
		d.Managers, d.Cycles = []int64{}, []core.DialogueCycle{}
		out[i], ids[i], byID[d.ID] = d, d.ID, i
	}
	var managers []struct {
		DialogueID int64 `db:"dialogue_id"`
		ManagerID  int64 `db:"manager_id"`
	}
	if err := selectIn(ctx, q, &managers, `SELECT dialogue_id, manager_id FROM dialogue_managers WHERE dialogue_id IN (?) ORDER BY dialogue_id, manager_id`, ids); err != nil {
		return nil, err
	}
	for _, m := range managers {
		d := &out[byID[m.DialogueID]]
		d.Managers = append(d.Managers, m.ManagerID)
	}
	var cycles []core.DialogueCycle
	if err := selectIn(ctx, q, &cycles, `SELECT `+dialogueCycleColumns+` FROM dialogue_cycles WHERE dialogue_id IN (?) ORDER BY dialogue_id, number`, ids); err != nil {
		return nil, err
	}
	for _, c := range cycles {
		d := &out[byID[c.DialogueID]]
		d.Cycles = append(d.Cycles, c)
	}
	return out, nil
}

// dialogueManagerIDs are the managers a set of dialogues names (its managers, who opened and
// closed its cycles): a replica must know them.
func dialogueManagerIDs(ds []core.Dialogue, into *idSet) {
	for _, d := range ds {
		for _, m := range d.Managers {
			into.add(m)
		}
		for _, c := range d.Cycles {
			into.add(c.OpenedBy)
			into.add(c.ClosedBy)
		}
	}
}

// companySettings reads the whole of the company's shared settings.
func companySettings(ctx context.Context, q sqlx.QueryerContext) (*core.CompanySettings, error) {
	cs := &core.CompanySettings{DialogueOptions: []core.DialogueOption{}, Templates: []core.Template{}, LeadLinks: []core.LeadLink{},
		ChannelIDs: []int64{}}
	if err := sqlx.SelectContext(ctx, q, &cs.DialogueOptions, `SELECT id, kind, name, position FROM dialogue_options ORDER BY id`); err != nil {
		return nil, fmt.Errorf("dialogue options: %w", err)
	}
	if err := sqlx.SelectContext(ctx, q, &cs.Templates, `SELECT id, name, value FROM templates ORDER BY id`); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	if err := sqlx.SelectContext(ctx, q, &cs.LeadLinks, `SELECT id, channel_id, code, plan, source, tool FROM lead_links ORDER BY id`); err != nil {
		return nil, fmt.Errorf("lead links: %w", err)
	}
	if err := sqlx.SelectContext(ctx, q, &cs.ChannelIDs, `SELECT id FROM channels ORDER BY id`); err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	return cs, nil
}

// settingsChanged says whether events include a change to the company's settings.
func settingsChanged(evs []core.Event) bool {
	for _, e := range evs {
		switch e.Kind {
		case core.EventDialogueOptions, core.EventTemplates, core.EventLeadLinks, core.EventChannels:
			return true
		}
	}
	return false
}

// sameDialogue compares two dialogues as rows (an empty list and none are the same).
func sameDialogue(a, b core.Dialogue) bool {
	norm := func(d core.Dialogue) core.Dialogue {
		if len(d.Reasons) == 0 {
			d.Reasons = nil
		}
		if len(d.Components) == 0 {
			d.Components = nil
		}
		if len(d.Managers) == 0 {
			d.Managers = nil
		}
		if len(d.Cycles) == 0 {
			d.Cycles = nil
		}
		return d
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// applyDialogues makes the dialogues of each chat in chats the hub's: a chat's row travels with
// all of its dialogues, so a dialogue of the chat not listed was deleted at the hub. A dialogue
// of a chat not in chats is not written (its chat may not be here). A chat whose dialogues
// changed logs dialogue.changed (the dialogue bar and the "active dialogues" filter follow).
func applyDialogues(ctx context.Context, tx *sqlx.Tx, chats []core.ChatRow, dialogues []core.Dialogue, at int64) error {
	if len(chats) == 0 {
		return nil
	}
	person := make(map[int64]int64, len(chats))
	chatIDs := make([]int64, len(chats))
	for i, c := range chats {
		person[c.ID], chatIDs[i] = c.PersonID, c.ID
	}
	held, err := dialoguesOfChats(ctx, tx, chatIDs)
	if err != nil {
		return fmt.Errorf("dialogues held: %w", err)
	}
	local := make(map[int64]core.Dialogue, len(held))
	for _, d := range held {
		local[d.ID] = d
	}
	changed := map[int64]bool{}
	listed := map[int64]bool{}
	for _, d := range dialogues {
		if _, ok := person[d.ChatID]; !ok {
			continue
		}
		listed[d.ID] = true
		if was, ok := local[d.ID]; ok && sameDialogue(was, d) {
			continue
		}
		if err := writeDialogue(ctx, tx, d); err != nil {
			return fmt.Errorf("dialogue %d: %w", d.ID, err)
		}
		changed[d.ChatID] = true
		if was, ok := local[d.ID]; ok {
			changed[was.ChatID] = true
		}
	}
	for _, d := range held {
		if listed[d.ID] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM dialogues WHERE id = ?`, d.ID); err != nil {
			return fmt.Errorf("dialogue %d: %w", d.ID, err)
		}
		changed[d.ChatID] = true
	}
	for _, c := range chats { // in the chats' order: the log is the same however often this runs
		if changed[c.ID] {
			if err := appendEvent(ctx, tx, core.EventDialogue, c.PersonID, c.ID, 0, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeDialogue writes one hub dialogue with its managers and cycles.
func writeDialogue(ctx context.Context, tx *sqlx.Tx, d core.Dialogue) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO dialogues (`+dialogueCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id, type = excluded.type, status = excluded.status,
  reasons = excluded.reasons, components = excluded.components, client_rating = excluded.client_rating,
  manager_rating = excluded.manager_rating, created_at = excluded.created_at, closed_at = excluded.closed_at`,
		d.ID, d.ChatID, d.Type, d.Status, namesJSON(d.Reasons), namesJSON(d.Components), d.ClientRating, d.ManagerRating,
		d.CreatedAt, d.ClosedAt); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dialogue_managers WHERE dialogue_id = ?`, d.ID); err != nil {
		return err
	}
	for _, m := range d.Managers {
		// A manager the replica does not know yet (none should be: they travel with the rows)
		// is left out rather than failing the whole batch on the foreign key.
		if _, err := tx.ExecContext(ctx, `INSERT INTO dialogue_managers (dialogue_id, manager_id)
SELECT ?, id FROM managers WHERE id = ? ON CONFLICT DO NOTHING`, d.ID, m); err != nil {
			return err
		}
	}
	keep := make([]int64, 0, len(d.Cycles))
	for _, c := range d.Cycles {
		keep = append(keep, c.ID)
	}
	q, args := `DELETE FROM dialogue_cycles WHERE dialogue_id = ?`, []any{d.ID}
	if len(keep) > 0 {
		var err error
		if q, args, err = sqlx.In(q+` AND id NOT IN (?)`, d.ID, keep); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return err
	}
	for _, c := range d.Cycles {
		if _, err := tx.NamedExecContext(ctx, `INSERT INTO dialogue_cycles (`+cycleCols+`) VALUES (`+namedCols(cycleCols)+`)
ON CONFLICT (id) DO UPDATE SET `+updateCols(cycleCols), c); err != nil {
			return fmt.Errorf("cycle %d: %w", c.ID, err)
		}
	}
	return nil
}

const cycleCols = `id, dialogue_id, number, opened_at, opened_by, closed_at, closed_by, rating_requested_at, rating_message_id, client_rating, client_rated_at, manager_rating, manager_rated_at`

// applySettings makes the company's settings the hub's whole set, logging what changed (the
// Settings screen, the composer's templates and the dialogue forms follow).
func applySettings(ctx context.Context, tx *sqlx.Tx, cs *core.CompanySettings, at int64) error {
	if cs == nil {
		return nil
	}
	held, err := companySettings(ctx, tx)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(held.ChannelIDs, nonNil(cs.ChannelIDs)) {
		// The hub deletes only a channel that never had a chat (it disables the others), so
		// nothing a manager reads goes with it; one that has chats here stays until they go.
		// The rows of those listed came with the settings.
		q, args := `DELETE FROM channels WHERE id NOT IN (SELECT channel_id FROM chats)`, []any{}
		if len(cs.ChannelIDs) > 0 {
			if q, args, err = sqlx.In(q+` AND id NOT IN (?)`, cs.ChannelIDs); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("removed channels: %w", err)
		}
		if err := appendEvent(ctx, tx, core.EventChannels, 0, 0, 0, at); err != nil {
			return err
		}
	}
	if !reflect.DeepEqual(held.DialogueOptions, nonNil(cs.DialogueOptions)) {
		// Names are unique per list, so a rename that swaps two names must not pass through a
		// moment where both exist: the list is written anew.
		if _, err := tx.ExecContext(ctx, `DELETE FROM dialogue_options`); err != nil {
			return err
		}
		for _, o := range cs.DialogueOptions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dialogue_options (id, kind, name, position) VALUES (?, ?, ?, ?)`,
				o.ID, o.Kind, o.Name, o.Position); err != nil {
				return fmt.Errorf("dialogue option %d: %w", o.ID, err)
			}
		}
		if err := appendEvent(ctx, tx, core.EventDialogueOptions, 0, 0, 0, at); err != nil {
			return err
		}
	}
	if !reflect.DeepEqual(held.Templates, nonNil(cs.Templates)) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM templates`); err != nil {
			return err
		}
		for _, t := range cs.Templates {
			if _, err := tx.ExecContext(ctx, `INSERT INTO templates (id, name, value) VALUES (?, ?, ?)`, t.ID, t.Name, t.Value); err != nil {
				return fmt.Errorf("template %d: %w", t.ID, err)
			}
		}
		if err := appendEvent(ctx, tx, core.EventTemplates, 0, 0, 0, at); err != nil {
			return err
		}
	}
	// The settings travel with every channel (RowsFor), written before them; a link of a channel
	// this desktop still lacks waits for the next set rather than failing the batch.
	var here []int64
	if err := tx.SelectContext(ctx, &here, `SELECT id FROM channels`); err != nil {
		return err
	}
	present := map[int64]bool{}
	for _, id := range here {
		present[id] = true
	}
	links := []core.LeadLink{}
	for _, l := range cs.LeadLinks {
		if present[l.ChannelID] {
			links = append(links, l)
		}
	}
	if !reflect.DeepEqual(held.LeadLinks, links) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM lead_links`); err != nil {
			return err
		}
		for _, l := range links {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lead_links (id, channel_id, code, plan, source, tool) VALUES (?, ?, ?, ?, ?, ?)`,
				l.ID, l.ChannelID, l.Code, l.Plan, l.Source, l.Tool); err != nil {
				return fmt.Errorf("lead link %d: %w", l.ID, err)
			}
		}
		if err := appendEvent(ctx, tx, core.EventLeadLinks, 0, 0, 0, at); err != nil {
			return err
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ApplyDialogueAnswer writes a dialogue a replica's mutation just made at the hub, unless the
// feed brought it first (whose state, read later, stays): the chat's dialogue bar shows it at
// once. Only a dialogue not here yet is taken, so an answer never undoes a newer state.
func (s *Store) ApplyDialogueAnswer(ctx context.Context, d core.Dialogue, now time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var here bool
		if err := tx.GetContext(ctx, &here, `SELECT EXISTS (SELECT 1 FROM dialogues WHERE id = ?)`, d.ID); err != nil || here {
			return err
		}
		var personID int64
		if err := tx.GetContext(ctx, &personID, `SELECT COALESCE((SELECT person_id FROM chats WHERE id = ?), 0)`, d.ChatID); err != nil || personID == 0 {
			return err // a chat not here yet: the feed brings both
		}
		if err := writeDialogue(ctx, tx, d); err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventDialogue, personID, d.ChatID, 0, now.UnixMilli())
	})
	if err != nil {
		return fmt.Errorf("store: apply a dialogue answer: %w", err)
	}
	return nil
}
