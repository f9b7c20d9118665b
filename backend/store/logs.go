package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// Person logs are stored as a kind and its parameters (core/logs.go), a JSON object in
// person_logs.params; the UI words them. Never a sentence.

// logParamsJSON encodes a log entry's parameters; none is "{}". A map of strings always
// encodes, and its keys come out sorted, so equal parameters are equal text.
func logParamsJSON(p core.LogParams) string {
	if len(p) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// addLog appends one person_logs entry inside tx.
func addLog(ctx context.Context, tx sqlx.ExecerContext, personID int64, kind core.LogKind, params core.LogParams, at int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO person_logs (person_id, kind, params, at) VALUES (?, ?, ?, ?)`,
		personID, kind, logParamsJSON(params), at); err != nil {
		return fmt.Errorf("store: log %s for person %d: %w", kind, personID, err)
	}
	return nil
}

// personLogs returns a person's newest log entries, newest first.
func (s *Store) personLogs(ctx context.Context, personID int64, limit int) ([]core.LogEntry, error) {
	var rows []struct {
		ID       int64  `db:"id"`
		PersonID int64  `db:"person_id"`
		Kind     string `db:"kind"`
		Params   string `db:"params"`
		At       int64  `db:"at"`
	}
	if err := s.read.SelectContext(ctx, &rows, `SELECT id, person_id, kind, params, at FROM person_logs
WHERE person_id = ? ORDER BY at DESC, id DESC LIMIT ?`, personID, limit); err != nil {
		return nil, err
	}
	logs := make([]core.LogEntry, len(rows))
	for i, r := range rows {
		logs[i] = core.LogEntry{ID: r.ID, PersonID: r.PersonID, Kind: core.LogKind(r.Kind), Params: core.LogParams{}, At: r.At}
		if err := json.Unmarshal([]byte(r.Params), &logs[i].Params); err != nil {
			return nil, fmt.Errorf("log %d params: %w", r.ID, err)
		}
	}
	return logs, nil
}
