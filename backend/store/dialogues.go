package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// Dialogues (core/dialogue.go): a dialogue row holds what the manager chose and the state of its
// current cycle; dialogue_cycles holds every open..close span with its ratings, for the report.

// dialogueCycleColumns are the columns of core.DialogueCycle. The row also keeps the report's
// first-response facts (asked_at, replied_at, responder_id: migration 0019), which are the
// report's business, not the dialogue card's.
const dialogueCycleColumns = `id, dialogue_id, number, opened_at, opened_by, closed_at, closed_by, rating_requested_at,
  rating_message_id, client_rating, client_rated_at, manager_rating, manager_rated_at`

// ErrOptionExists is returned when a dialogue list already has an entry of that name.
var ErrOptionExists = errors.New("the list already has an entry with this name")

// ErrOptionName is returned for an empty (or over-long) entry name.
var ErrOptionName = errors.New("a list entry needs a name")

// DialogueOptions lists the admin's dialogue types, reasons and components, each kind in its order.
func (s *Store) DialogueOptions(ctx context.Context) ([]core.DialogueOption, error) {
	out := []core.DialogueOption{}
	if err := s.read.SelectContext(ctx, &out, `
SELECT id, kind, name, position FROM dialogue_options ORDER BY kind, position, name, id`); err != nil {
		return nil, fmt.Errorf("store: dialogue options: %w", err)
	}
	return out, nil
}

// SaveDialogueOption creates (ID 0, placed last) or renames an entry; names are unique per kind.
func (s *Store) SaveDialogueOption(ctx context.Context, o core.DialogueOption, now time.Time) (core.DialogueOption, error) {
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" || len([]rune(o.Name)) > core.MaxDialogueName {
		return core.DialogueOption{}, ErrOptionName
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if o.ID != 0 {
			// The kind of an existing entry is its own, whatever the caller says.
			if err := tx.GetContext(ctx, &o.Kind, `SELECT kind FROM dialogue_options WHERE id = ?`, o.ID); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return ErrNotFound
				}
				return err
			}
		}
		if !core.ValidOptionKind(o.Kind) {
			return fmt.Errorf("kind %q: %w", o.Kind, ErrNotFound)
		}
		var taken int
		if err := tx.GetContext(ctx, &taken, `SELECT COUNT(*) FROM dialogue_options WHERE kind = ? AND name = ? AND id <> ?`,
			o.Kind, o.Name, o.ID); err != nil {
			return err
		}
		if taken > 0 {
			return ErrOptionExists
		}
		if o.ID == 0 {
			if err := tx.GetContext(ctx, &o.Position, `SELECT COALESCE(MAX(position), 0) + 1 FROM dialogue_options WHERE kind = ?`, o.Kind); err != nil {
				return err
			}
			if err := tx.GetContext(ctx, &o.ID, `INSERT INTO dialogue_options (kind, name, position) VALUES (?, ?, ?) RETURNING id`,
				o.Kind, o.Name, o.Position); err != nil {
				return err
			}
		} else if err := tx.GetContext(ctx, &o.Position, `UPDATE dialogue_options SET name = ? WHERE id = ? RETURNING position`, o.Name, o.ID); err != nil {
			return err
		}
		return appendEvent(ctx, tx, "dialogue_options.changed", 0, 0, 0, now.UnixMilli())
	})
	if err != nil {
		return core.DialogueOption{}, fmt.Errorf("store: save dialogue option %q: %w", o.Name, err)
	}
	return o, nil
}

// DeleteDialogueOption removes an entry; dialogues that chose it keep the name. Deleting a missing
// entry is not an error.
func (s *Store) DeleteDialogueOption(ctx context.Context, id int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dialogue_options WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store: delete dialogue option %d: %w", id, err)
		}
		return appendEvent(ctx, tx, "dialogue_options.changed", 0, 0, 0, now.UnixMilli())
	})
}

type dialogueRow struct {
	core.Dialogue
	ReasonsJSON    string `db:"reasons"`
	ComponentsJSON string `db:"components"`
}

const dialogueCols = `id, chat_id, type, status, reasons, components, client_rating, manager_rating, created_at, closed_at`

func namesOf(raw string) []string {
	out := []string{}
	if raw != "" {
		_ = json.Unmarshal([]byte(raw), &out) // a malformed list reads as empty rather than hiding the dialogue
	}
	return out
}

func namesJSON(names []string) string {
	if names == nil {
		names = []string{}
	}
	b, _ := json.Marshal(names)
	return string(b)
}

// loadDialogues reads the dialogues where (a condition on dialogues) holds, newest first, with
// their managers and cycles.
func loadDialogues(ctx context.Context, q sqlx.QueryerContext, where string, args ...any) ([]core.Dialogue, error) {
	var rows []dialogueRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT `+dialogueCols+` FROM dialogues WHERE `+where+` ORDER BY id DESC`, args...); err != nil {
		return nil, err
	}
	out := make([]core.Dialogue, 0, len(rows))
	for _, r := range rows {
		d := r.Dialogue
		d.Reasons, d.Components = namesOf(r.ReasonsJSON), namesOf(r.ComponentsJSON)
		d.Managers = []int64{}
		if err := sqlx.SelectContext(ctx, q, &d.Managers, `SELECT manager_id FROM dialogue_managers WHERE dialogue_id = ? ORDER BY manager_id`, d.ID); err != nil {
			return nil, err
		}
		d.Cycles = []core.DialogueCycle{}
		if err := sqlx.SelectContext(ctx, q, &d.Cycles, `SELECT `+dialogueCycleColumns+` FROM dialogue_cycles WHERE dialogue_id = ? ORDER BY number`, d.ID); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ChatDialogues lists a chat's dialogues, newest first. One read transaction: a dialogue's row
// and its cycles come from the same state (a tap committing in between must not show a rated
// cycle under an unrated dialogue).
func (s *Store) ChatDialogues(ctx context.Context, chatID int64) ([]core.Dialogue, error) {
	var ds []core.Dialogue
	err := s.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		ds, err = loadDialogues(ctx, tx, `chat_id = ?`, chatID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: dialogues of chat %d: %w", chatID, err)
	}
	return ds, nil
}

func getDialogue(ctx context.Context, q sqlx.QueryerContext, id int64) (core.Dialogue, error) {
	ds, err := loadDialogues(ctx, q, `id = ?`, id)
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("dialogue %d: %w", id, err)
	}
	if len(ds) == 0 {
		return core.Dialogue{}, fmt.Errorf("dialogue %d: %w", id, ErrNotFound)
	}
	return ds[0], nil
}

// Dialogue reads one dialogue with its managers and cycles, in one read transaction.
func (s *Store) Dialogue(ctx context.Context, id int64) (core.Dialogue, error) {
	var d core.Dialogue
	err := s.readTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		d, err = getDialogue(ctx, tx, id)
		return err
	})
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("store: %w", err)
	}
	return d, nil
}

// setDialogueManagers replaces a dialogue's managers; every id must be a manager.
func setDialogueManagers(ctx context.Context, tx *sqlx.Tx, dialogueID int64, managers []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM dialogue_managers WHERE dialogue_id = ?`, dialogueID); err != nil {
		return err
	}
	for _, m := range managers {
		res, err := tx.ExecContext(ctx, `
INSERT OR IGNORE INTO dialogue_managers (dialogue_id, manager_id) SELECT ?, id FROM managers WHERE id = ?`, dialogueID, m)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var known int
			if err := tx.GetContext(ctx, &known, `SELECT COUNT(*) FROM managers WHERE id = ?`, m); err != nil {
				return err
			}
			if known == 0 {
				return fmt.Errorf("manager %d: %w", m, ErrNotFound)
			}
		}
	}
	return nil
}

// dialogueTx runs fn on dialogue id inside one transaction and appends the dialogue's event; it
// returns the dialogue as fn left it.
func (s *Store) dialogueTx(ctx context.Context, id int64, now time.Time, what string,
	fn func(tx *sqlx.Tx, d core.Dialogue, at int64) error) (core.Dialogue, error) {
	var out core.Dialogue
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		d, err := getDialogue(ctx, tx, id)
		if err != nil {
			return err
		}
		c, err := getChatInfo(ctx, tx, d.ChatID)
		if err != nil {
			return err
		}
		at := now.UnixMilli()
		if err := fn(tx, d, at); err != nil {
			return err
		}
		if err := appendEvent(ctx, tx, core.EventDialogue, c.PersonID, d.ChatID, 0, at); err != nil {
			return err
		}
		out, err = getDialogue(ctx, tx, id)
		return err
	})
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("store: %s dialogue %d: %w", what, id, err)
	}
	return out, nil
}

// CreateDialogue opens a dialogue in a chat with its first cycle. in.Status is open,
// in_progress or waiting (the inbox checks); managers are in.Managers.
func (s *Store) CreateDialogue(ctx context.Context, chatID, managerID int64, in core.DialogueInput, now time.Time) (core.Dialogue, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := getChatInfo(ctx, tx, chatID)
		if err != nil {
			return err
		}
		at := now.UnixMilli()
		if err := tx.GetContext(ctx, &id, `
INSERT INTO dialogues (chat_id, type, status, reasons, components, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			chatID, in.Type, in.Status, namesJSON(in.Reasons), namesJSON(in.Components), at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO dialogue_cycles (dialogue_id, number, opened_at, opened_by) VALUES (?, 1, ?, ?)`, id, at, managerID); err != nil {
			return err
		}
		if err := setDialogueManagers(ctx, tx, id, in.Managers); err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventDialogue, c.PersonID, chatID, 0, at)
	})
	if err != nil {
		return core.Dialogue{}, fmt.Errorf("store: create dialogue in chat %d: %w", chatID, err)
	}
	return s.Dialogue(ctx, id)
}

// EditDialogue changes a dialogue's type, reasons, components and managers (its status changes
// through SetDialogueStatus, CloseDialogue and ReopenDialogue).
func (s *Store) EditDialogue(ctx context.Context, id int64, in core.DialogueInput, now time.Time) (core.Dialogue, error) {
	return s.dialogueTx(ctx, id, now, "edit", func(tx *sqlx.Tx, _ core.Dialogue, _ int64) error {
		if _, err := tx.ExecContext(ctx, `UPDATE dialogues SET type = ?, reasons = ?, components = ? WHERE id = ?`,
			in.Type, namesJSON(in.Reasons), namesJSON(in.Components), id); err != nil {
			return err
		}
		return setDialogueManagers(ctx, tx, id, in.Managers)
	})
}

// SetDialogueStatus moves an open dialogue between open, in_progress and waiting. Closing
// (CloseDialogue) and reopening (ReopenDialogue) end and start cycles, so they are their own calls.
func (s *Store) SetDialogueStatus(ctx context.Context, id int64, status string, now time.Time) (core.Dialogue, error) {
	return s.dialogueTx(ctx, id, now, "set status of", func(tx *sqlx.Tx, d core.Dialogue, _ int64) error {
		if d.Status == core.DialogueClosed {
			return core.ErrDialogueClosed
		}
		_, err := tx.ExecContext(ctx, `UPDATE dialogues SET status = ? WHERE id = ?`, status, id)
		return err
	})
}

func currentCycle(d core.Dialogue) (core.DialogueCycle, error) {
	if len(d.Cycles) == 0 {
		return core.DialogueCycle{}, fmt.Errorf("dialogue %d has no cycle: %w", d.ID, ErrNotFound)
	}
	return d.Cycles[len(d.Cycles)-1], nil
}

// CloseDialogue closes a dialogue's current cycle. With ratingText it also queues the rating
// request, in the same transaction: a message with that text and buttons 1..5 whose data names
// the cycle (the outbox row's payload), so a tap, however late, finds the cycle it rates.
func (s *Store) CloseDialogue(ctx context.Context, id, managerID int64, ratingText string, now time.Time) (core.Dialogue, error) {
	return s.dialogueTx(ctx, id, now, "close", func(tx *sqlx.Tx, d core.Dialogue, at int64) error {
		if d.Status == core.DialogueClosed {
			return core.ErrDialogueClosed
		}
		cy, err := currentCycle(d)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dialogues SET status = 'closed', closed_at = ? WHERE id = ?`, at, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dialogue_cycles SET closed_at = ?, closed_by = ? WHERE id = ?`, at, managerID, cy.ID); err != nil {
			return err
		}
		if ratingText == "" {
			return nil
		}
		msgID, err := queueSend(ctx, tx, "", d.ChatID, managerID, ratingText, nil, 0, sendPayload{RatingCycle: cy.ID}, at)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE dialogue_cycles SET rating_requested_at = ?, rating_message_id = ? WHERE id = ?`, at, msgID, cy.ID)
		return err
	})
}

// ReopenDialogue starts the next cycle of a closed dialogue: status open, ratings of the new
// cycle unset (the closed cycles keep theirs).
func (s *Store) ReopenDialogue(ctx context.Context, id, managerID int64, now time.Time) (core.Dialogue, error) {
	return s.dialogueTx(ctx, id, now, "reopen", func(tx *sqlx.Tx, d core.Dialogue, at int64) error {
		if d.Status != core.DialogueClosed {
			return core.ErrDialogueOpen
		}
		cy, err := currentCycle(d)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO dialogue_cycles (dialogue_id, number, opened_at, opened_by) VALUES (?, ?, ?, ?)`, id, cy.Number+1, at, managerID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
UPDATE dialogues SET status = 'open', closed_at = 0, client_rating = 0, manager_rating = 0 WHERE id = ?`, id)
		return err
	})
}

// RateClient stores the manager's rating of the client (1..5) on the dialogue's current cycle;
// rating again replaces it.
func (s *Store) RateClient(ctx context.Context, id int64, score int, now time.Time) (core.Dialogue, error) {
	return s.dialogueTx(ctx, id, now, "rate client in", func(tx *sqlx.Tx, d core.Dialogue, at int64) error {
		cy, err := currentCycle(d)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dialogue_cycles SET manager_rating = ?, manager_rated_at = ? WHERE id = ?`, score, at, cy.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE dialogues SET manager_rating = ? WHERE id = ?`, score, id)
		return err
	})
}

// clientRatingTarget is the cycle a client's tap names, read with what deciding needs.
type clientRatingTarget struct {
	CycleID    int64 `db:"id"`
	DialogueID int64 `db:"dialogue_id"`
	Number     int   `db:"number"`
	Rated      int   `db:"client_rating"`
	Requested  int64 `db:"rating_requested_at"`
	Latest     int   `db:"latest"`
}

// clientRating stores a client's tap on a rating button (core.Update.Tap) as the rating of the
// cycle the button's request was for. The tap is the client's claim, so it counts only for a
// cycle of a dialogue in this very chat that asked for a rating; anything else is dropped and
// counted as skipped. The first tap wins: a repeated tap (or one on another button of the same
// request) changes nothing, so a client cannot be talked into "correcting" a rating, and a
// re-applied batch writes nothing twice. A late tap (the dialogue reopened since) still rates
// the cycle it belongs to; the dialogue's own rating follows only its current cycle.
func (a *applier) clientRating(ref chatRef, u *core.Update) error {
	tap := u.Tap
	if tap == nil || !core.ValidRating(tap.Score) {
		return a.skip(u, "rating tap without a rating")
	}
	var t clientRatingTarget
	err := a.tx.GetContext(a.ctx, &t, `
SELECT cy.id, cy.dialogue_id, cy.number, cy.client_rating, cy.rating_requested_at,
       (SELECT MAX(number) FROM dialogue_cycles l WHERE l.dialogue_id = cy.dialogue_id) AS latest
FROM dialogue_cycles cy JOIN dialogues d ON d.id = cy.dialogue_id
WHERE cy.id = ? AND d.chat_id = ?`, tap.CycleID, ref.id)
	if errors.Is(err, sql.ErrNoRows) {
		return a.skip(u, "rating tap for a dialogue cycle not of this chat")
	}
	if err != nil {
		return fmt.Errorf("find rated dialogue cycle: %w", err)
	}
	if t.Requested == 0 {
		return a.skip(u, "rating tap for a dialogue cycle that asked for no rating")
	}
	if t.Rated != 0 {
		a.res.Duplicates++ // the first tap won
		return nil
	}
	if _, err := a.tx.ExecContext(a.ctx, `UPDATE dialogue_cycles SET client_rating = ?, client_rated_at = ? WHERE id = ?`,
		tap.Score, u.At, t.CycleID); err != nil {
		return fmt.Errorf("store client rating: %w", err)
	}
	if t.Number == t.Latest {
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE dialogues SET client_rating = ? WHERE id = ?`, tap.Score, t.DialogueID); err != nil {
			return fmt.Errorf("store client rating: %w", err)
		}
	}
	ind := core.Indicator{Type: core.IndClientRating, Score: tap.Score, Dialogue: t.DialogueID, Cycle: t.Number}
	if _, err := a.indicator(ref, fmt.Sprintf("ind:rating:%d", t.CycleID), ind, u.At); err != nil {
		return err
	}
	return a.emit(core.EventDialogue, ref.personID, ref.id, 0)
}
