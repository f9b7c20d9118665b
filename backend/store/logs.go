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

// cardLogs is how many of a person's newest log entries the card shows, and so how many a
// replica's snapshot brings.
const cardLogs = 50

// logRow is a person_logs row as stored; entries decodes its parameters.
type logRow struct {
	ID       int64  `db:"id"`
	PersonID int64  `db:"person_id"`
	Kind     string `db:"kind"`
	Params   string `db:"params"`
	At       int64  `db:"at"`
}

func entries(rows []logRow) ([]core.LogEntry, error) {
	logs := make([]core.LogEntry, len(rows))
	for i, r := range rows {
		logs[i] = core.LogEntry{ID: r.ID, PersonID: r.PersonID, Kind: core.LogKind(r.Kind), Params: core.LogParams{}, At: r.At}
		if err := json.Unmarshal([]byte(r.Params), &logs[i].Params); err != nil {
			return nil, fmt.Errorf("log %d params: %w", r.ID, err)
		}
	}
	return logs, nil
}

// personLogs returns a person's newest log entries, newest first.
func (s *Store) personLogs(ctx context.Context, personID int64, limit int) ([]core.LogEntry, error) {
	var rows []logRow
	if err := s.read.SelectContext(ctx, &rows, `SELECT id, person_id, kind, params, at FROM person_logs
WHERE person_id = ? ORDER BY at DESC, id DESC LIMIT ?`, personID, limit); err != nil {
		return nil, err
	}
	return entries(rows)
}

// logsOf reads the log entries a replica needs of people: with since > 0 those logged at or
// after since (what a batch of events added: entries are append-only), else each person's
// newest cardLogs (a snapshot).
func logsOf(ctx context.Context, tx *sqlx.Tx, people []core.PersonRow, since int64) ([]core.LogEntry, error) {
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	var rows []logRow
	var err error
	if since > 0 {
		// since is bound, not spliced: one statement text for every batch (PostgreSQL's
		// translation cache keeps each text it sees).
		err = selectIn(ctx, tx, &rows, `SELECT id, person_id, kind, params, at FROM person_logs
WHERE person_id IN (?) AND at >= ?`, ids, since)
	} else {
		err = selectIn(ctx, tx, &rows, `SELECT id, person_id, kind, params, at FROM (
  SELECT l.*, ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY at DESC, id DESC) AS rn
  FROM person_logs l WHERE person_id IN (?)) WHERE rn <= `+fmt.Sprint(cardLogs), ids)
	}
	if err != nil {
		return nil, fmt.Errorf("logs: %w", err)
	}
	return entries(rows)
}

// applyLogs* insert the hub's log entries of a batch in one statement per chunk (padding rows,
// whose id is NULL, are dropped), each unless it is held already or its person is not here.
const (
	applyLogsHead = `INSERT INTO person_logs (id, person_id, kind, params, at)
SELECT column1, column2, column3, column4, column5 FROM (VALUES `
	applyLogsRow  = `(?, ?, ?, ?, ?)`
	applyLogsTail = `) WHERE column1 IS NOT NULL AND EXISTS (SELECT 1 FROM people WHERE id = column2)
ON CONFLICT (id) DO NOTHING`
)

// applyLogs keeps the hub's log entries under the hub's ids. Entries never change, so one
// already held is the same entry; one of a person this replica does not hold is skipped.
func applyLogs(ctx context.Context, tx *sqlx.Tx, logs []core.LogEntry) error {
	err := paddedRows(ctx, tx, applyLogsHead, applyLogsRow, applyLogsTail, len(logs), 5, func(i int) []any {
		l := logs[i]
		return []any{l.ID, l.PersonID, l.Kind, logParamsJSON(l.Params), l.At}
	}, nil)
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	return nil
}
