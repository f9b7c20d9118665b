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

// Team mode's rows (core.RowSet), both ways: the hub reads the current state of the rows its
// events refer to, and a replica writes them as they are, keeping the hub's ids. The replica's
// own writes wait in pending_mutations (migration 0011) until the hub has them.

const (
	personRowCols  = `id, name, phone, email, avatar_url, status, archived, blacklisted, source, tool, created_at, last_chat_id, last_message_at, unread, first_unread_at, has_draft, kinds`
	chatRowCols    = `id, person_id, channel_id, external_chat_id, username, tunnel_off, bot_off, unread, first_unread_at, last_message_at, last_read_message_id, created_at, owner_id`
	messageRowCols = `id, chat_id, kind, external_id, sender, sender_name, manager_id, text, attachments, indicator, mentions, reactions, reply_to_id, status, error, edited, deleted, created_at, edited_at, mutation_key`
	taskRowCols    = `id, person_id, assignee_id, title, due_at, done, done_at`
	// A replica needs a channel's identity, never its upstream cursor or API server.
	channelRowCols = `id, kind, name, external_id, username, avatar_url, '' AS api_url, enabled, '' AS cursor, created_at`
)

// inChunk bounds the ids of one IN (…) list (SQLite's default limit is 32766 variables).
const inChunk = 500

// selectIn runs query (with one "(?)" to expand) over ids in chunks and appends to dst; more
// are the arguments of the placeholders after it.
func selectIn[T any](ctx context.Context, q sqlx.QueryerContext, dst *[]T, query string, ids []int64, more ...any) error {
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		qs, args, err := sqlx.In(query, append([]any{ids[:n]}, more...)...)
		if err != nil {
			return err
		}
		var part []T
		if err := sqlx.SelectContext(ctx, q, &part, qs, args...); err != nil {
			return err
		}
		*dst = append(*dst, part...)
		ids = ids[n:]
	}
	return nil
}

// readTx runs fn in one read transaction: every statement sees the same committed state.
func (s *Store) readTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg != nil {
		// PostgreSQL's default, READ COMMITTED, takes a new snapshot per statement.
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.read.BeginTxx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// LastSeq is the newest seq of the event log (0 when empty).
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read.GetContext(ctx, &seq, `SELECT COALESCE(MAX(seq), 0) FROM events`)
	return seq, err
}

// KeptSince is the oldest seq the event log still holds (0 when empty): a cursor before
// KeptSince-1 has missed events and must start from a snapshot again.
func (s *Store) KeptSince(ctx context.Context) (int64, error) {
	var seq int64
	err := s.read.GetContext(ctx, &seq, `SELECT COALESCE(MIN(seq), 0) FROM events`)
	return seq, err
}

// RowsFor reads the current state of every row the events refer to, with the people and the
// channels of the chats it returns; ids that are gone are listed as gone.
func (s *Store) RowsFor(ctx context.Context, evs []core.Event) (core.RowSet, error) {
	var people, chats, messages idSet
	for _, e := range evs {
		people.add(e.PersonID)
		chats.add(e.ChatID)
		messages.add(e.MessageID)
	}
	var rs core.RowSet
	err := s.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := selectIn(ctx, tx, &rs.Messages, `SELECT `+messageRowCols+` FROM messages WHERE id IN (?)`, messages.ids); err != nil {
			return err
		}
		rs.Gone.Messages = missingIDs(messages.ids, rs.Messages, func(m core.MessageRow) int64 { return m.ID })
		for _, m := range rs.Messages {
			chats.add(m.ChatID)
		}
		var err error
		if rs.Drafts, err = addressedDrafts(ctx, tx, evs); err != nil {
			return err
		}
		if settingsChanged(evs) {
			if rs.Settings, err = companySettings(ctx, tx); err != nil {
				return err
			}
			// Every channel comes along: a lead link names one a desktop may not have yet.
			if err := tx.SelectContext(ctx, &rs.Channels, `SELECT `+channelRowCols+` FROM channels ORDER BY id`); err != nil {
				return err
			}
		}
		if err := s.chatsAndPeople(ctx, tx, &rs, chats, people); err != nil {
			return err
		}
		if since := logsSince(evs); since > 0 {
			rs.Logs, err = logsOf(ctx, tx, rs.People, since)
			return err
		}
		return nil
	})
	if err != nil {
		return core.RowSet{}, fmt.Errorf("store: rows for events: %w", err)
	}
	return rs, nil
}

// logClockSlack is how far before its event a log entry may be stamped: both come from one
// transaction's clock, but the margin keeps an entry whose clock stepped back from being missed.
const logClockSlack = int64(time.Minute / time.Millisecond)

// logsSince is the time from which a batch of events may have logged entries (0: none stamped).
func logsSince(evs []core.Event) int64 {
	var since int64
	for _, e := range evs {
		if e.At > 0 && (since == 0 || e.At < since) {
			since = e.At
		}
	}
	if since == 0 {
		return 0
	}
	return max(1, since-logClockSlack)
}

// chatsAndPeople reads the chats, the chats of the people, their people and channels into rs,
// and which of the asked-for chats and people are gone.
func (s *Store) chatsAndPeople(ctx context.Context, tx *sqlx.Tx, rs *core.RowSet, chats idSet, people idSet) error {
	// A person's event brings the person's chats: a merge moves chats to the person kept and
	// logs only the two people, and a replica must re-home those chats before it deletes the
	// person merged away (whose chats it would otherwise delete with it).
	var ofPeople []core.ChatRow
	if err := selectIn(ctx, tx, &ofPeople, `SELECT id FROM chats WHERE person_id IN (?)`, people.ids); err != nil {
		return err
	}
	for _, c := range ofPeople {
		chats.add(c.ID)
	}
	if err := selectIn(ctx, tx, &rs.Chats, `SELECT `+chatRowCols+` FROM chats WHERE id IN (?)`, chats.ids); err != nil {
		return err
	}
	rs.Gone.Chats = missingIDs(chats.ids, rs.Chats, chatRowID)
	var channels idSet
	for _, c := range rs.Chats {
		people.add(c.PersonID)
		channels.add(c.ChannelID)
	}
	var err error
	if rs.Dialogues, err = dialoguesOfChats(ctx, tx, idsOf(rs.Chats, chatRowID)); err != nil {
		return err
	}
	// People rs holds already (a snapshot page's) are not read again.
	held := make(map[int64]bool, len(rs.People))
	for _, p := range rs.People {
		held[p.ID] = true
	}
	var unread []int64
	for _, id := range people.ids {
		if !held[id] {
			unread = append(unread, id)
		}
	}
	if err := selectIn(ctx, tx, &rs.People, `SELECT `+personRowCols+` FROM people WHERE id IN (?)`, unread); err != nil {
		return err
	}
	rs.Gone.People = missingIDs(people.ids, rs.People, personRowID)
	if err := selectIn(ctx, tx, &rs.Tasks, `SELECT `+taskRowCols+` FROM tasks WHERE person_id IN (?)`, idsOf(rs.People, personRowID)); err != nil {
		return err
	}
	// The managers the rows name (a task's assignee, a chat's owner) come along: one added at
	// the hub after a desktop's snapshot is otherwise unknown there.
	var managers idSet
	for _, t := range rs.Tasks {
		managers.add(t.AssigneeID)
	}
	for _, c := range rs.Chats {
		managers.add(c.OwnerID)
	}
	dialogueManagerIDs(rs.Dialogues, &managers)
	var named []core.Manager
	if err := selectIn(ctx, tx, &named, `SELECT id, name, avatar_url, 0 AS is_me FROM managers WHERE id IN (?)`, managers.ids); err != nil {
		return err
	}
	for _, m := range named {
		if !containsManager(rs.Managers, m.ID) {
			rs.Managers = append(rs.Managers, m)
		}
	}
	return selectIn(ctx, tx, &rs.Channels, `SELECT `+channelRowCols+` FROM channels WHERE id IN (?)`, channels.ids)
}

func containsManager(ms []core.Manager, id int64) bool {
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}

// staleDue is how long past its due time a task first heard of counts as old news.
const staleDue = 10 * time.Minute

// applyTasks* upsert a snapshot's or a feed batch's tasks in one statement per chunk (padding
// rows, whose id is NULL, are dropped), returning the person of each task that changed. Every
// column is NOT NULL, so a row value's <> says "changed" in both dialects (PostgreSQL has no
// row IS NOT row).
const (
	applyTasksHead = `INSERT INTO tasks (` + taskRowCols + `)
SELECT column1, column2, column3, column4, column5, column6, column7 FROM (VALUES `
	applyTasksRow  = `(?, ?, ?, ?, ?, ?, ?)`
	applyTasksTail = `) WHERE column1 IS NOT NULL
ON CONFLICT (id) DO UPDATE SET person_id = excluded.person_id, assignee_id = excluded.assignee_id, title = excluded.title,
  due_at = excluded.due_at, done = excluded.done, done_at = excluded.done_at
WHERE (tasks.person_id, tasks.assignee_id, tasks.title, tasks.due_at, tasks.done, tasks.done_at)
  <> (excluded.person_id, excluded.assignee_id, excluded.title, excluded.due_at, excluded.done, excluded.done_at)
RETURNING person_id`
	// A task first heard of long past its due time: its alert counts as given.
	applyTaskAlertsHead = `INSERT INTO task_alerts (task_id, due_at) SELECT column1, column2 FROM (VALUES `
	applyTaskAlertsRow  = `(?, ?)`
	applyTaskAlertsTail = `) WHERE column1 IS NOT NULL ON CONFLICT DO NOTHING`
)

// paddedRows runs one padded multi-row statement (rowsSQL) per chunk of n rows: row(i) gives the
// arguments of row i, and each chunk is padded with rows of NULLs up to a multiple of padRows,
// which the statement's tail drops (see padRows: a few statement texts, not one per count).
// scan, when set, reads what the statement returns.
func paddedRows(ctx context.Context, tx *sqlx.Tx, head, row, tail string, n, width int, args func(i int) []any, scan func(*sql.Rows) error) error {
	return inChunks(n, func(lo, hi int) error {
		rows := padded(hi - lo)
		all := make([]any, 0, rows*width)
		for i := lo; i < hi; i++ {
			all = append(all, args(i)...)
		}
		q := rowsSQL(head, row, tail, rows)
		if scan == nil {
			_, err := tx.ExecContext(ctx, q, padArgs(all, nil)...)
			return err
		}
		return queryEach(ctx, tx, q, padArgs(all, nil), scan)
	})
}

// applyTasks makes the tasks of each person in people the hub's: a person's row travels with all
// of their tasks (chatsAndPeople), so a task of theirs not listed was deleted at the hub. A
// person whose tasks changed logs task.changed (the card and the Important tab follow). The
// tasks go in a few statements, not several per task: a snapshot brings every task at once.
func applyTasks(ctx context.Context, tx *sqlx.Tx, people []core.PersonRow, tasks []core.Task, at int64) error {
	tasks = core.LastByID(tasks, func(t core.Task) int64 { return t.ID })
	taskIDs := make([]int64, len(tasks))
	for i, t := range tasks {
		taskIDs[i] = t.ID
	}
	var knownIDs []int64
	if err := selectIn(ctx, tx, &knownIDs, `SELECT id FROM tasks WHERE id IN (?)`, taskIDs); err != nil {
		return fmt.Errorf("tasks held: %w", err)
	}
	known := make(map[int64]bool, len(knownIDs))
	for _, id := range knownIDs {
		known[id] = true
	}
	changed := map[int64]bool{}
	err := paddedRows(ctx, tx, applyTasksHead, applyTasksRow, applyTasksTail, len(tasks), 7, func(i int) []any {
		t := tasks[i]
		return []any{t.ID, t.PersonID, t.AssigneeID, t.Title, t.DueAt, t.Done, t.DoneAt}
	}, intoSet(changed))
	if err != nil {
		return fmt.Errorf("tasks: %w", err)
	}
	// A task this desktop first hears of long past its due time (a snapshot of old tasks) is
	// not news: it does not raise a notification, as migration 0013 decided for old tasks.
	// One due now, just made by a colleague, does.
	var stale []core.Task
	listed := map[int64][]int64{}
	for _, t := range tasks {
		listed[t.PersonID] = append(listed[t.PersonID], t.ID)
		if !known[t.ID] && !t.Done && t.DueAt <= at-staleDue.Milliseconds() {
			stale = append(stale, t)
		}
	}
	err = paddedRows(ctx, tx, applyTaskAlertsHead, applyTaskAlertsRow, applyTaskAlertsTail, len(stale), 2, func(i int) []any {
		return []any{stale[i].ID, stale[i].DueAt}
	}, nil)
	if err != nil {
		return fmt.Errorf("task alerts: %w", err)
	}
	for _, p := range people {
		q, args := `DELETE FROM tasks WHERE person_id = ?`, []any{p.ID}
		if keep := listed[p.ID]; len(keep) > 0 {
			var err error
			if q, args, err = sqlx.In(q+` AND id NOT IN (?)`, p.ID, keep); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("tasks of person %d: %w", p.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 || changed[p.ID] {
			if err := appendEvent(ctx, tx, core.EventTaskChanged, p.ID, 0, 0, at); err != nil {
				return err
			}
		}
	}
	return nil
}

// idSet is a list of distinct positive ids.
type idSet struct {
	ids  []int64
	seen map[int64]bool
}

func (s *idSet) add(id int64) {
	if id <= 0 || s.seen[id] {
		return
	}
	if s.seen == nil {
		s.seen = map[int64]bool{}
	}
	s.seen[id] = true
	s.ids = append(s.ids, id)
}

func chatRowID(c core.ChatRow) int64     { return c.ID }
func personRowID(p core.PersonRow) int64 { return p.ID }

// idsOf is the id of each row.
func idsOf[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

func missingIDs[T any](asked []int64, found []T, id func(T) int64) []int64 {
	have := make(map[int64]bool, len(found))
	for _, f := range found {
		have[id(f)] = true
	}
	var out []int64
	for _, a := range asked {
		if !have[a] {
			out = append(out, a)
		}
	}
	return out
}

// SnapshotPage reads up to `people` people with id > after, their chats, and the
// newest perChat messages of each chat; the first page (after == 0) adds the managers and
// channels. next is the last person's id, 0 when no people remain.
func (s *Store) SnapshotPage(ctx context.Context, after int64, people, perChat int) (rs core.RowSet, next int64, err error) {
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		if after == 0 {
			if err := tx.SelectContext(ctx, &rs.Managers, `SELECT id, name, avatar_url, 0 AS is_me FROM managers ORDER BY id`); err != nil {
				return err
			}
			if err := tx.SelectContext(ctx, &rs.Channels, `SELECT `+channelRowCols+` FROM channels ORDER BY id`); err != nil {
				return err
			}
			var err error
			if rs.Settings, err = companySettings(ctx, tx); err != nil {
				return err
			}
		}
		if err := tx.SelectContext(ctx, &rs.People, `SELECT `+personRowCols+` FROM people WHERE id > ? ORDER BY id LIMIT ?`, after, people+1); err != nil {
			return err
		}
		if len(rs.People) > people {
			rs.People = rs.People[:people]
			next = rs.People[people-1].ID
		}
		var page idSet
		for _, p := range rs.People {
			page.add(p.ID)
		}
		channelsFirst := rs.Channels
		rs.Channels = nil
		// The page's people are read: chatsAndPeople adds their chats and what those name.
		if err := s.chatsAndPeople(ctx, tx, &rs, idSet{}, page); err != nil {
			return err
		}
		if after == 0 {
			rs.Channels = channelsFirst
		}
		var err error
		if rs.Logs, err = logsOf(ctx, tx, rs.People, 0); err != nil {
			return err
		}
		return selectIn(ctx, tx, &rs.Messages, `SELECT `+messageRowCols+` FROM (
  SELECT m.*, ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY created_at DESC, id DESC) AS rn
  FROM messages m WHERE chat_id IN (?)) WHERE rn <= ?`, idsOf(rs.Chats, chatRowID), perChat)
	})
	if err != nil {
		return core.RowSet{}, 0, fmt.Errorf("store: snapshot page after %d: %w", after, err)
	}
	return rs, next, nil
}

// SnapshotTotals counts what a snapshot with perChat messages per chat holds.
func (s *Store) SnapshotTotals(ctx context.Context, perChat int) (people, chats, messages int64, err error) {
	err = s.readTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &people, `SELECT COUNT(*) FROM people`); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &chats, `SELECT COUNT(*) FROM chats`); err != nil {
			return err
		}
		return tx.GetContext(ctx, &messages, `SELECT COALESCE(SUM(MIN(n, ?)), 0) FROM (SELECT COUNT(*) AS n FROM messages GROUP BY chat_id)`, perChat)
	})
	return people, chats, messages, err
}

// HistoryRows returns up to limit messages of a chat older than message before (0: the newest),
// oldest first, and whether older ones remain.
func (s *Store) HistoryRows(ctx context.Context, chatID, before int64, limit int) ([]core.MessageRow, bool, error) {
	var rows []core.MessageRow
	q := `SELECT ` + messageRowCols + ` FROM messages WHERE chat_id = ?`
	args := []any{chatID}
	if before > 0 {
		q += ` AND (created_at, id) < (SELECT created_at, id FROM messages WHERE id = ?)`
		args = append(args, before)
	}
	q += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	args = append(args, limit+1)
	if err := s.read.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, false, fmt.Errorf("store: history rows of chat %d: %w", chatID, err)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows, more, nil
}

// MessageRowByID returns one message row.
func (s *Store) MessageRowByID(ctx context.Context, id int64) (core.MessageRow, error) {
	return s.messageRowWhere(ctx, `id = ?`, id)
}

// MessageRowByKey returns the message a mutation made.
func (s *Store) MessageRowByKey(ctx context.Context, key string) (core.MessageRow, error) {
	return s.messageRowWhere(ctx, `mutation_key = ? AND mutation_key <> ''`, key)
}

func (s *Store) messageRowWhere(ctx context.Context, where string, arg any) (core.MessageRow, error) {
	var m core.MessageRow
	err := s.read.GetContext(ctx, &m, `SELECT `+messageRowCols+` FROM messages WHERE `+where, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("store: message %v: %w", arg, ErrNotFound)
	}
	return m, err
}

// AppliedMutation returns the answer recorded for a manager's mutation key.
func (s *Store) AppliedMutation(ctx context.Context, managerID int64, key string) (status int, result string, found bool, err error) {
	var r struct {
		Status int    `db:"status"`
		Result string `db:"result"`
	}
	err = s.read.GetContext(ctx, &r, `SELECT status, result FROM applied_mutations WHERE manager_id = ? AND key = ?`, managerID, key)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("store: applied mutation: %w", err)
	}
	return r.Status, r.Result, true, nil
}

// RecordMutation keeps the answer a mutation got; the first answer recorded stays.
func (s *Store) RecordMutation(ctx context.Context, managerID int64, key string, status int, result string, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO applied_mutations (manager_id, key, status, result, created_at)
VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, managerID, key, status, result, now.UnixMilli())
		if err != nil {
			return fmt.Errorf("store: record mutation: %w", err)
		}
		return nil
	})
}

// ResetReplica empties everything a replica copies from the hub (people with their chats,
// messages, drafts and the rest that hangs off them, channels, managers) before a snapshot is
// applied again. Pending mutations stay: they are the manager's writes, still to deliver.
func (s *Store) ResetReplica(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, q := range []string{`DELETE FROM people`, `DELETE FROM people_fts`, `DELETE FROM channels`,
			`DELETE FROM managers WHERE id NOT IN (SELECT manager_id FROM accounts)`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("store: reset replica: %w", err)
			}
		}
		return appendEvent(ctx, tx, core.EventPersonChanged, 0, 0, 0, time.Now().UnixMilli())
	})
}

// ApplyRows writes the hub's rows in one transaction, keeping the hub's ids, and logs local
// events so the UI refreshes. me is the signed-in manager (managers.is_me). When cursorKey is
// set, the setting of that name becomes seq in the same transaction: a crash never leaves the
// cursor ahead of the rows or behind them.
func (s *Store) ApplyRows(ctx context.Context, rs core.RowSet, me int64, cursorKey string, seq int64, now time.Time) error {
	at := now.UnixMilli()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, m := range rs.Managers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO managers (id, name, avatar_url, is_me) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar_url = excluded.avatar_url, is_me = excluded.is_me`,
				m.ID, m.Name, m.AvatarURL, m.ID == me); err != nil {
				return fmt.Errorf("manager %d: %w", m.ID, err)
			}
		}
		if len(rs.Managers) > 0 && me > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE managers SET is_me = CASE WHEN id = ? THEN 1 ELSE 0 END`, me); err != nil {
				return err
			}
		}
		for _, c := range rs.Channels {
			if _, err := tx.ExecContext(ctx, `INSERT INTO channels (id, kind, name, external_id, username, avatar_url, enabled, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, external_id = excluded.external_id,
  username = excluded.username, avatar_url = excluded.avatar_url, enabled = excluded.enabled`,
				c.ID, c.Kind, c.Name, c.ExternalID, c.Username, c.AvatarURL, c.Enabled, c.CreatedAt); err != nil {
				return fmt.Errorf("channel %d: %w", c.ID, err)
			}
		}
		if err := applyPeople(ctx, tx, rs.People, at); err != nil {
			return err
		}
		if err := applyLogs(ctx, tx, rs.Logs); err != nil {
			return err
		}
		if err := applyTasks(ctx, tx, rs.People, rs.Tasks, at); err != nil {
			return err
		}
		// People whose chats moved to another person (a merge on the hub).
		leftBehind, err := applyChats(ctx, tx, rs.Chats, at)
		if err != nil {
			return err
		}
		// The hub's people rows carry its own draft mark; here the mark is this manager's.
		var marked idSet
		for _, p := range rs.People {
			marked.add(p.ID)
		}
		for _, c := range rs.Chats {
			marked.add(c.PersonID)
		}
		if err := refreshDraftMark(ctx, tx, marked.ids...); err != nil {
			return err
		}
		if err := applyOwnDrafts(ctx, tx, rs.Drafts, at); err != nil {
			return err
		}
		if err := applyDialogues(ctx, tx, rs.Chats, rs.Dialogues, at); err != nil {
			return err
		}
		if err := applySettings(ctx, tx, rs.Settings, at); err != nil {
			return err
		}
		if err := applyMessages(ctx, tx, rs.Messages, at); err != nil {
			return err
		}
		if err := applyGone(ctx, tx, rs.Gone, at); err != nil {
			return err
		}
		// A person merged away on the hub is gone there; here they go once their last chat has
		// moved, whichever of the two comes first in the feed.
		for _, id := range leftBehind {
			if err := dropIfChatless(ctx, tx, id, at); err != nil {
				return err
			}
		}
		if cursorKey != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value`, cursorKey, fmt.Sprint(seq)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: apply hub rows: %w", err)
	}
	return nil
}

func applyGone(ctx context.Context, tx *sqlx.Tx, g core.GoneRows, at int64) error {
	for _, id := range g.Messages {
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE id = ?`, id); err != nil {
			return err
		}
		if err := appendEvent(ctx, tx, core.EventMessageChanged, 0, 0, id, at); err != nil {
			return err
		}
	}
	for _, id := range g.Chats {
		if _, err := tx.ExecContext(ctx, `DELETE FROM chats WHERE id = ?`, id); err != nil {
			return err
		}
		if err := appendEvent(ctx, tx, core.EventChatChanged, 0, id, 0, at); err != nil {
			return err
		}
	}
	for _, id := range g.People {
		if err := dropIfChatless(ctx, tx, id, at); err != nil {
			return err
		}
	}
	return nil
}

// dropIfChatless deletes a person the hub no longer has, unless chats still hang off them here:
// those chats were moved to another person on the hub (a merge) and their rows are on the way;
// the person goes when the last of them has moved.
func dropIfChatless(ctx context.Context, tx *sqlx.Tx, id, at int64) error {
	var chats int
	if err := tx.GetContext(ctx, &chats, `SELECT COUNT(*) FROM chats WHERE person_id = ?`, id); err != nil {
		return err
	}
	if chats > 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM people WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM people_fts WHERE rowid = ?`, id); err != nil {
		return err
	}
	return appendEvent(ctx, tx, core.EventPersonChanged, id, 0, 0, at)
}

// namedCols turns "a, b" into ":a, :b"; updateCols into "a = excluded.a, b = excluded.b"
// (without id).
func namedCols(cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = ":" + p
	}
	return strings.Join(parts, ", ")
}

func updateCols(cols string) string {
	var out []string
	for _, p := range strings.Split(cols, ", ") {
		if p != "id" {
			out = append(out, p+" = excluded."+p)
		}
	}
	return strings.Join(out, ", ")
}

// PendingMutation is one replica write waiting for the hub.
type PendingMutation struct {
	ID             int64  `db:"id"`
	Kind           string `db:"kind"`
	ChatID         int64  `db:"chat_id"`
	Body           string `db:"body"`
	LocalMessageID int64  `db:"local_message_id"`
	Attempts       int    `db:"attempts"`
	LastError      string `db:"last_error"`
	CreatedAt      int64  `db:"created_at"`
}

func insertPending(ctx context.Context, tx *sqlx.Tx, kind string, chatID int64, body string, at int64) (int64, error) {
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO pending_mutations (kind, chat_id, body, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		kind, chatID, body, at)
	if err != nil {
		return 0, fmt.Errorf("store: queue mutation: %w", err)
	}
	return id, nil
}

// QueueMutation stores a replica write for the hub and returns its mutation id. replaceSameChat
// first drops unsent writes of the same kind in the chat (a draft supersedes the one before).
func (s *Store) QueueMutation(ctx context.Context, kind string, chatID int64, body string, replaceSameChat bool, now time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if replaceSameChat {
			if _, err := tx.ExecContext(ctx, `DELETE FROM pending_mutations WHERE kind = ? AND chat_id = ? AND attempts = 0`, kind, chatID); err != nil {
				return err
			}
		}
		var err error
		id, err = insertPending(ctx, tx, kind, chatID, body, now.UnixMilli())
		return err
	})
	return id, err
}

// mutNote is teamwire.MutNote: the pending kind of a note (the store does not import the wire).
const mutNote = "note"

// QueueReplicaSend stores a replica's outgoing text (or, for kind "note", an internal note with
// its mentions) as a pending mutation and, in the same transaction, a local copy of the message
// with a negative id (ids the hub hands out are positive, so the copy never takes one) carrying
// the mutation's key, which the hub's row will carry too. key builds the key from the mutation id.
func (s *Store) QueueReplicaSend(ctx context.Context, kind string, chatID, managerID int64, text string, replyToID int64,
	mentions []int64, body string, key func(id int64) string, now time.Time) (core.Message, int64, error) {
	var msg core.Message
	var mid int64
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := getChatInfo(ctx, tx, chatID)
		if err != nil {
			return err
		}
		msgKind, mentionsJSON := "message", ""
		if kind == mutNote {
			msgKind = "note"
			if len(mentions) > 0 {
				b, _ := json.Marshal(mentions)
				mentionsJSON = string(b)
			}
		} else if err := core.CheckText(c.Kind, text); err != nil {
			return err
		}
		at := now.UnixMilli()
		mid, err = insertPending(ctx, tx, kind, chatID, body, at)
		if err != nil {
			return err
		}
		var local int64
		if err := tx.GetContext(ctx, &local, `SELECT MIN(COALESCE(MIN(id), 0), 0) - 1 FROM messages`); err != nil {
			return err
		}
		var name string
		if err := tx.GetContext(ctx, &name, `SELECT COALESCE((SELECT name FROM managers WHERE id = ?), '')`, managerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO messages (id, chat_id, kind, sender, sender_name, manager_id, text, mentions, reply_to_id, status, created_at, mutation_key)
VALUES (?, ?, ?, 'manager', ?, ?, ?, ?, ?, 'queued', ?, ?)`,
			local, chatID, msgKind, name, managerID, text, mentionsJSON, replyToID, at, key(mid)); err != nil {
			return fmt.Errorf("store local copy: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE pending_mutations SET local_message_id = ? WHERE id = ?`, local, mid); err != nil {
			return err
		}
		if err := chatChanged(ctx, tx, c.PersonID, chatID, local, at, core.EventMessageNew); err != nil {
			return err
		}
		msg, err = getMessage(ctx, tx, local)
		return err
	})
	if err != nil {
		return core.Message{}, 0, fmt.Errorf("store: queue replica send in chat %d: %w", chatID, err)
	}
	return msg, mid, nil
}

// PendingMutations lists the writes waiting for the hub, oldest first.
func (s *Store) PendingMutations(ctx context.Context, limit int) ([]PendingMutation, error) {
	var out []PendingMutation
	err := s.read.SelectContext(ctx, &out, `SELECT id, kind, chat_id, body, local_message_id, attempts, last_error, created_at
FROM pending_mutations ORDER BY id LIMIT ?`, limit)
	return out, err
}

// PendingCount is how many writes wait for the hub.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := s.read.GetContext(ctx, &n, `SELECT COUNT(*) FROM pending_mutations`)
	return n, err
}

// PendingDelivered drops a write the hub has applied.
func (s *Store) PendingDelivered(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM pending_mutations WHERE id = ?`, id)
		return err
	})
}

// PendingRetry records a failed attempt (a code) of a write that will be tried again.
func (s *Store) PendingRetry(ctx context.Context, id int64, code string) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE pending_mutations SET attempts = attempts + 1, last_error = ? WHERE id = ?`, code, id)
		return err
	})
}

// PendingRefused drops a write the hub refused for good; its local copy, if any, shows as
// failed with the code.
func (s *Store) PendingRefused(ctx context.Context, p PendingMutation, code string, now time.Time) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_mutations WHERE id = ?`, p.ID); err != nil {
			return err
		}
		if p.LocalMessageID == 0 {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'failed', error = ? WHERE id = ?`, code, p.LocalMessageID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		personID, err := chatPerson(ctx, tx, p.ChatID)
		if err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventMessageChanged, personID, p.ChatID, p.LocalMessageID, now.UnixMilli())
	})
}

// ErrMutationApplied is returned for a keyed write whose key already made a row.
var ErrMutationApplied = errors.New("store: mutation already applied")

// OldestHubMessage is the oldest message of a chat that came from the hub (positive id), 0 when
// there is none: where loading older history continues from.
func (s *Store) OldestHubMessage(ctx context.Context, chatID int64) (int64, error) {
	var id int64
	err := s.read.GetContext(ctx, &id, `SELECT COALESCE((SELECT id FROM messages WHERE chat_id = ? AND id > 0
ORDER BY created_at, id LIMIT 1), 0)`, chatID)
	return id, err
}

// ApplyMutationAnswer writes the message a mutation's answer carries, unless the feed brought
// that row already: the answer was read before the feed's state (which may already say "sent"),
// so only a row not yet here is taken from it, replacing the local copy.
func (s *Store) ApplyMutationAnswer(ctx context.Context, m core.MessageRow) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var here bool
		if err := tx.GetContext(ctx, &here, `SELECT EXISTS (SELECT 1 FROM messages WHERE id = ?)`, m.ID); err != nil || here {
			return err
		}
		return applyMessages(ctx, tx, []core.MessageRow{m}, time.Now().UnixMilli())
	})
	if err != nil {
		return fmt.Errorf("store: apply a mutation's answer: %w", err)
	}
	return nil
}
