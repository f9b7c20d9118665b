package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// Drafts in team mode (migration 0017). A draft is one manager's own: the hub keeps every
// manager's draft of every chat (manager_drafts) and logs a change as a draft.changed event
// addressed to that manager, so the state feed brings it to their desktops only. A desktop
// keeps its manager's drafts in the drafts table, as solo does.
//
// The newest write wins, by when it was written: a draft carries the writing desktop's time
// (UpdatedAt), the hub keeps a write only if it is at least as new as the one it has, and a
// desktop takes the hub's state only if it is at least as new as its own. A desktop that was
// offline keeps its draft; back online, its draft replaces an older one typed elsewhere
// meanwhile and yields to a newer one, on every desktop alike. A cleared draft stays as an
// empty row so its time still counts. Ties go to the write the hub heard last.

// SaveManagerDraft keeps a manager's draft of a chat at the hub, unless the hub has a newer one;
// d.UpdatedAt is when it was written (0, or later than now: now, so a desktop whose clock runs
// ahead cannot pin its draft over later ones). A chat that does not exist, or a reply to a
// message not in the chat, is ErrNotFound.
func (s *Store) SaveManagerDraft(ctx context.Context, managerID int64, d core.Draft, now time.Time) error {
	if d.UpdatedAt <= 0 || d.UpdatedAt > now.UnixMilli() {
		d.UpdatedAt = now.UnixMilli()
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		personID, err := chatPerson(ctx, tx, d.ChatID)
		if err != nil {
			return err
		}
		if d.ReplyToID != 0 {
			// A reply to a message of this chat only, as a send checks.
			var ok bool
			if err := tx.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM messages WHERE id = ? AND chat_id = ?)`, d.ReplyToID, d.ChatID); err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("reply to message %d: %w", d.ReplyToID, ErrNotFound)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO manager_drafts (chat_id, manager_id, text, constructor, reply_to_id, updated_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (chat_id, manager_id) DO UPDATE SET text = excluded.text, constructor = excluded.constructor,
  reply_to_id = excluded.reply_to_id, updated_at = excluded.updated_at
WHERE excluded.updated_at >= manager_drafts.updated_at`,
			d.ChatID, managerID, d.Text, d.Constructor, d.ReplyToID, d.UpdatedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // a newer draft is kept: nothing changed
		}
		return appendAddressed(ctx, tx, core.EventDraftChanged, personID, d.ChatID, 0, now.UnixMilli(), managerID)
	})
	if err != nil {
		return fmt.Errorf("store: save draft of chat %d for manager %d: %w", d.ChatID, managerID, err)
	}
	return nil
}

// ManagerDrafts reads a manager's drafts of the chats (the hub's snapshot sends them along).
func (s *Store) ManagerDrafts(ctx context.Context, managerID int64, chatIDs []int64) ([]core.Draft, error) {
	var out []core.Draft
	if err := selectIn(ctx, s.read, &out, `SELECT chat_id, text, constructor, reply_to_id, updated_at FROM manager_drafts
WHERE chat_id IN (?) AND manager_id = ?`, chatIDs, managerID); err != nil {
		return nil, fmt.Errorf("store: drafts of manager %d: %w", managerID, err)
	}
	return out, nil
}

// addressedDrafts reads, for the draft.changed events among evs, the addressed manager's draft
// of the chat. The feed drops events addressed to others before it asks, so each socket gets
// its own manager's drafts only. One query for the batch: the drafts of its chats by its
// managers (one manager, for a socket's batch), of which the pairs the events name are kept.
func addressedDrafts(ctx context.Context, tx *sqlx.Tx, evs []core.Event) ([]core.Draft, error) {
	wanted := map[[2]int64]bool{}
	var chats, managers idSet
	for _, e := range evs {
		if e.Kind != core.EventDraftChanged || e.ManagerID == 0 {
			continue
		}
		wanted[[2]int64{e.ChatID, e.ManagerID}] = true
		chats.add(e.ChatID)
		managers.add(e.ManagerID)
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	var rows []struct {
		core.Draft
		ManagerID int64 `db:"manager_id"`
	}
	if err := selectIn(ctx, tx, &rows, `SELECT chat_id, manager_id, text, constructor, reply_to_id, updated_at
FROM manager_drafts WHERE chat_id IN (?) AND manager_id IN (?) ORDER BY chat_id, manager_id`, chats.ids, managers.ids); err != nil {
		return nil, err
	}
	var out []core.Draft // a pair without a row: the chat is gone, and listed so
	for _, r := range rows {
		if wanted[[2]int64{r.ChatID, r.ManagerID}] {
			out = append(out, r.Draft)
		}
	}
	return out, nil
}

// SaveOwnDraft keeps the signed-in manager's draft on a replica, written at d.UpdatedAt (the
// draft mutation carries the same time to the hub). Unlike SaveDraft a cleared draft stays as an
// empty row: its time decides against an older state arriving from the hub.
func (s *Store) SaveOwnDraft(ctx context.Context, d core.Draft, now time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := chatPerson(ctx, tx, d.ChatID); err != nil {
			return err
		}
		_, err := writeOwnDraft(ctx, tx, d, false, now.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save own draft of chat %d: %w", d.ChatID, err)
	}
	return nil
}

// writeOwnDraft writes a draft row of a replica (onlyNewer: unless the row there is newer) and,
// when it changed, the person's draft mark and a chat.changed event for the UI.
func writeOwnDraft(ctx context.Context, tx *sqlx.Tx, d core.Draft, onlyNewer bool, at int64) (bool, error) {
	q := `INSERT INTO drafts (chat_id, text, constructor, reply_to_id, updated_at)
SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM chats WHERE id = ?)
ON CONFLICT (chat_id) DO UPDATE SET text = excluded.text, constructor = excluded.constructor,
  reply_to_id = excluded.reply_to_id, updated_at = excluded.updated_at`
	if onlyNewer {
		q += ` WHERE excluded.updated_at >= drafts.updated_at`
	}
	res, err := tx.ExecContext(ctx, q, d.ChatID, d.Text, d.Constructor, d.ReplyToID, d.UpdatedAt, d.ChatID)
	if err != nil {
		return false, fmt.Errorf("draft of chat %d: %w", d.ChatID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	personID, err := chatPerson(ctx, tx, d.ChatID)
	if err != nil {
		return false, err
	}
	if err := refreshDraftMark(ctx, tx, personID); err != nil {
		return false, err
	}
	return true, appendEvent(ctx, tx, core.EventChatChanged, personID, d.ChatID, 0, at)
}

// applyOwnDrafts writes the hub's state of this manager's drafts, each unless the desktop holds
// a newer one (typed here and still on its way to the hub).
func applyOwnDrafts(ctx context.Context, tx *sqlx.Tx, drafts []core.Draft, at int64) error {
	for _, d := range drafts {
		if _, err := writeOwnDraft(ctx, tx, d, true, at); err != nil {
			return err
		}
	}
	return nil
}

// refreshDraftMark recomputes the people's has_draft from this store's drafts: the hub's person
// rows carry the hub's mark, which says nothing about this manager's drafts. One statement per
// chunk of people, touching only the rows whose mark is wrong, so a catch-up of thousands of
// people pays a few statements, not one per person.
func refreshDraftMark(ctx context.Context, tx *sqlx.Tx, personIDs ...int64) error {
	// 1 or 0 rather than a bare EXISTS, which PostgreSQL will not compare with an integer column.
	const mine = `(CASE WHEN EXISTS (SELECT 1 FROM drafts d JOIN chats c ON c.id = d.chat_id
  WHERE c.person_id = people.id AND (d.text <> '' OR d.constructor <> '')) THEN 1 ELSE 0 END)`
	for len(personIDs) > 0 {
		n := min(len(personIDs), inChunk)
		q, args, err := sqlx.In(`UPDATE people SET has_draft = `+mine+` WHERE id IN (?) AND has_draft <> `+mine, personIDs[:n])
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("draft marks: %w", err)
		}
		personIDs = personIDs[n:]
	}
	return nil
}
