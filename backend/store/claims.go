package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// ErrClaimed: the chat's owner is not the one the caller expected (someone claimed it first).
// The error is a *ClaimConflict naming the owner.
var ErrClaimed = errors.New("store: chat claimed by someone else")

// ClaimConflict is a lost compare-and-set on a chat's owner: who owns it now.
type ClaimConflict struct {
	ChatID    int64
	OwnerID   int64 // 0 = nobody (the chat was released meanwhile)
	OwnerName string
}

func (c *ClaimConflict) Error() string {
	return fmt.Sprintf("store: chat %d is owned by manager %d", c.ChatID, c.OwnerID)
}

// Is makes errors.Is(err, ErrClaimed) true.
func (c *ClaimConflict) Is(target error) bool { return target == ErrClaimed }

// SetChatOwner is the claim's compare-and-set: the chat's owner becomes owner (0 releases it)
// only if it is expected now. Two managers claiming an unassigned chat at once both expect 0;
// the writer is one transaction at a time, so the first wins and the second gets a
// *ClaimConflict naming the winner. Who may expect whom (an admin may take over another
// manager's chat) is the inbox's rule; the store only guarantees one winner.
func (s *Store) SetChatOwner(ctx context.Context, chatID, owner, expected int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		personID, err := chatPerson(ctx, tx, chatID)
		if err != nil {
			return err
		}
		if owner != 0 {
			if err := checkAssignee(ctx, tx, owner); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE chats SET owner_id = ? WHERE id = ? AND owner_id = ?`, owner, chatID, expected)
		if err != nil {
			return fmt.Errorf("store: set owner of chat %d: %w", chatID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			conflict := &ClaimConflict{ChatID: chatID}
			if err := tx.GetContext(ctx, &conflict.OwnerID, `SELECT owner_id FROM chats WHERE id = ?`, chatID); err != nil {
				return fmt.Errorf("store: owner of chat %d: %w", chatID, err)
			}
			if conflict.OwnerID == owner {
				return nil // already so: a repeated claim or release changes nothing
			}
			err := tx.GetContext(ctx, &conflict.OwnerName, `SELECT name FROM managers WHERE id = ?`, conflict.OwnerID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: owner of chat %d: %w", chatID, err)
			}
			return conflict
		}
		return appendEvent(ctx, tx, core.EventChatChanged, personID, chatID, 0, now.UnixMilli())
	})
}
