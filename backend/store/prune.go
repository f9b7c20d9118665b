package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// PruneEvents deletes one batch of the oldest events: those written before olderThan (zero:
// none by age) and those beyond the newest keep (0: no bound by count), at most batch of them.
// It deletes a prefix of the log only, stopping at the first event to keep, so the log stays
// one unbroken run from KeptSince to LastSeq and a cursor before it is told to bootstrap; the
// newest event always stays, so LastSeq never goes back. It returns how many went; 0 means
// nothing more to prune now.
func (s *Store) PruneEvents(ctx context.Context, olderThan time.Time, keep int64, batch int) (int64, error) {
	var deleted int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var last int64
		if err := tx.GetContext(ctx, &last, `SELECT COALESCE(MAX(seq), 0) FROM events`); err != nil {
			return err
		}
		var oldest []struct {
			Seq int64 `db:"seq"`
			At  int64 `db:"at"`
		}
		if err := tx.SelectContext(ctx, &oldest, `SELECT seq, at FROM events WHERE seq < ? ORDER BY seq LIMIT ?`, last, batch); err != nil {
			return err
		}
		var upTo int64
		for _, e := range oldest {
			byAge := !olderThan.IsZero() && e.At < olderThan.UnixMilli()
			byCount := keep > 0 && e.Seq <= last-keep
			if !byAge && !byCount {
				break
			}
			upTo = e.Seq
		}
		if upTo == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE seq <= ?`, upTo)
		if err != nil {
			return err
		}
		deleted, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune events: %w", err)
	}
	return deleted, nil
}
