package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// Bulk loads a whole workspace fast (the demo generator, imports): rows go in through prepared
// statements in transactions of BulkBatch rows, with ids chosen by the caller, and the
// denormalised list columns are computed once at the end with set-based SQL (Finish) instead of
// per change. It writes no events while loading; Finish appends one so followers reload.
// A Bulk is used from one goroutine and must end with Finish or Abort. While it runs the
// messages table has no secondary indexes: nothing else should use the store meanwhile.
type Bulk struct {
	s     *Store
	ctx   context.Context
	tx    *sqlx.Tx
	stmts map[string]*sql.Stmt
	n     int
	// Batch is how many rows one transaction holds.
	Batch int
	// deferred holds the CREATE statements of the messages indexes and the FTS insert trigger,
	// dropped for the load and rebuilt by Finish.
	deferred []string
	// deferredCounts holds the CREATE statements of people_counts' triggers: a load inserts
	// people before their chats and Finish then sets every person's list columns, so the
	// triggers would move nearly every person's count twice; Finish rebuilds the table once.
	deferredCounts []string
	// deferredFacts holds the CREATE statements of the triggers that keep dialogue cycles'
	// first-response facts; Finish fills the facts once, with the messages indexes back.
	deferredFacts []string
}

// BulkBatch is the default rows per transaction: large enough to amortise commits, small enough
// that the WAL and the pending FTS segment stay modest.
const BulkBatch = 5000

const (
	bulkManager  = `INSERT INTO managers (id, name, avatar_url, is_me) VALUES (?, ?, ?, ?)`
	bulkChannel  = `INSERT INTO channels (id, kind, name, external_id, username, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	bulkPlan     = `INSERT INTO sales_plans (id, name) VALUES (?, ?)`
	bulkTag      = `INSERT INTO tags (id, name) VALUES (?, ?)`
	bulkPerson   = `INSERT INTO people (id, name, phone, email, avatar_url, status, archived, blacklisted, source, tool, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	bulkPersonFT = `INSERT INTO people_fts (rowid, name, email, phone, phone_digits) VALUES (?, ?, ?, ?, ?)`
	bulkPlanOf   = `INSERT INTO person_plans (person_id, plan_id) VALUES (?, ?)`
	bulkTagOf    = `INSERT INTO person_tags (person_id, tag_id) VALUES (?, ?)`
	bulkChat     = `INSERT INTO chats (id, person_id, channel_id, external_chat_id, username, tunnel_off, bot_off, owner_id, last_read_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	bulkMessage  = `INSERT INTO messages (id, chat_id, kind, external_id, sender, sender_name, manager_id, text, attachments, indicator, mentions, reactions, reply_to_id, status, error, edited, deleted, created_at, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	bulkTask     = `INSERT INTO tasks (id, person_id, assignee_id, title, due_at, done, done_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	bulkAlert    = `INSERT INTO task_alerts (task_id, due_at) VALUES (?, ?)`
	bulkDialogue = `INSERT INTO dialogues (id, chat_id, type, status, client_rating, manager_rating, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	bulkDlgMgr   = `INSERT INTO dialogue_managers (dialogue_id, manager_id) VALUES (?, ?)`
	bulkDlgCycle = `INSERT INTO dialogue_cycles (dialogue_id, number, opened_at, closed_at, client_rating, manager_rating) VALUES (?, 1, ?, ?, ?, ?)`
	bulkTemplate = `INSERT INTO templates (id, name, value) VALUES (?, ?, ?)`
	bulkLog      = `INSERT INTO person_logs (person_id, kind, params, at) VALUES (?, ?, ?, ?)`
	bulkDraft    = `INSERT INTO drafts (chat_id, text, constructor, reply_to_id, updated_at) VALUES (?, ?, ?, ?, ?)`
	bulkLeadLink = `INSERT INTO lead_links (channel_id, code, plan, source, tool) VALUES (?, ?, ?, ?, ?)`
)

// NewBulk starts a bulk load. The store should be empty or the caller's ids must not collide.
func (s *Store) NewBulk(ctx context.Context) (*Bulk, error) {
	b := &Bulk{s: s, ctx: ctx, stmts: map[string]*sql.Stmt{}, Batch: BulkBatch}
	if s.Postgres() {
		// PostgreSQL keeps its indexes and triggers through the load (pgBulkFinish).
		if err := b.begin(); err != nil {
			return nil, err
		}
		return b, nil
	}
	// A larger page cache keeps the growing indexes in memory during the load.
	if _, err := s.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return nil, fmt.Errorf("store: bulk cache size: %w", err)
	}
	if err := b.deferMessageIndexes(ctx); err != nil {
		return nil, err
	}
	if err := b.deferPeopleCounts(ctx); err != nil {
		b.Abort()
		return nil, err
	}
	if err := b.deferCycleFacts(ctx); err != nil {
		b.Abort()
		return nil, err
	}
	if err := b.begin(); err != nil {
		return nil, err
	}
	return b, nil
}

// deferMessageIndexes drops the messages table's secondary indexes and its full-text insert
// trigger for the load. Messages arrive in time order across all chats, so every row landed at a
// random spot of the (chat_id, …) indexes and was tokenised alone; building the indexes once at
// the end sorts instead, and a single FTS rebuild tokenises in one pass. The statements come
// from sqlite_master, so a migration that changes them is followed automatically.
func (b *Bulk) deferMessageIndexes(ctx context.Context) error {
	var objs []struct {
		Type string `db:"type"`
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := b.s.write.SelectContext(ctx, &objs, `SELECT type, name, sql FROM sqlite_master
WHERE tbl_name = 'messages' AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name = 'messages_fts_insert'))`); err != nil {
		return fmt.Errorf("store: bulk: list messages indexes: %w", err)
	}
	for _, o := range objs {
		if _, err := b.s.write.ExecContext(ctx, `DROP `+strings.ToUpper(o.Type)+` "`+o.Name+`"`); err != nil {
			return fmt.Errorf("store: bulk: drop %s %s: %w", o.Type, o.Name, err)
		}
		b.deferred = append(b.deferred, o.SQL)
	}
	return nil
}

// restoreMessageIndexes recreates what deferMessageIndexes dropped and indexes the loaded text.
func (b *Bulk) restoreMessageIndexes(ctx context.Context) error {
	for _, q := range b.deferred {
		if _, err := b.s.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: bulk: restore %q: %w", q, err)
		}
	}
	if len(b.deferred) > 0 {
		if _, err := b.s.write.ExecContext(ctx, `INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')`); err != nil {
			return fmt.Errorf("store: bulk: rebuild message search: %w", err)
		}
	}
	b.deferred = nil
	return nil
}

// deferPeopleCounts drops the triggers that keep people_counts for the load.
func (b *Bulk) deferPeopleCounts(ctx context.Context) error {
	var err error
	b.deferredCounts, err = b.dropTriggers(ctx, "people_counts", peopleCountsTriggers)
	return err
}

// deferCycleFacts drops the triggers that keep the dialogue cycles' first-response facts
// (migration 0019) for the load: dialogues come before their chats' messages, so every message
// would recompute its chat's cycles, over a messages table whose indexes are deferred.
func (b *Bulk) deferCycleFacts(ctx context.Context) error {
	var err error
	b.deferredFacts, err = b.dropTriggers(ctx, "dialogue cycle facts", cycleFactsTriggers)
	return err
}

// dropTriggers drops the triggers listed (name, sql) and returns their CREATE statements.
func (b *Bulk) dropTriggers(ctx context.Context, what, list string) ([]string, error) {
	var triggers []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := b.s.write.SelectContext(ctx, &triggers, list); err != nil {
		return nil, fmt.Errorf("store: bulk: list %s triggers: %w", what, err)
	}
	var dropped []string
	for _, t := range triggers {
		if _, err := b.s.write.ExecContext(ctx, `DROP TRIGGER "`+t.Name+`"`); err != nil {
			return dropped, fmt.Errorf("store: bulk: drop trigger %s: %w", t.Name, err)
		}
		dropped = append(dropped, t.SQL)
	}
	return dropped, nil
}

// restorePeopleCounts rebuilds people_counts from what is stored and recreates its triggers,
// in tx (Finish) or on the write connection (Abort).
func (b *Bulk) restorePeopleCounts(ctx context.Context, exec execFunc) error {
	return restoreTriggers(ctx, exec, "people_counts", rebuildPeopleCountsSQL, b.deferredCounts)
}

// restoreCycleFacts fills every dialogue cycle's first-response facts and recreates their
// triggers, in tx (Finish, after the messages indexes are back) or on the write connection (Abort).
func (b *Bulk) restoreCycleFacts(ctx context.Context, exec execFunc) error {
	return restoreTriggers(ctx, exec, "dialogue cycle facts", fillCycleFactsSQL, b.deferredFacts)
}

type execFunc func(ctx context.Context, query string, args ...any) (sql.Result, error)

// restoreTriggers runs rebuild, which recomputes what the triggers keep, then recreates them.
func restoreTriggers(ctx context.Context, exec execFunc, what, rebuild string, triggers []string) error {
	if len(triggers) == 0 {
		return nil
	}
	if _, err := exec(ctx, rebuild); err != nil {
		return fmt.Errorf("store: bulk: rebuild %s: %w", what, err)
	}
	for _, q := range triggers {
		if _, err := exec(ctx, q); err != nil {
			return fmt.Errorf("store: bulk: restore %q: %w", q, err)
		}
	}
	return nil
}

func (b *Bulk) begin() error {
	tx, err := b.s.write.BeginTxx(b.ctx, nil)
	if err != nil {
		return fmt.Errorf("store: bulk begin: %w", err)
	}
	b.tx = tx
	b.stmts = map[string]*sql.Stmt{}
	return nil
}

// exec runs one insert with a statement prepared once per transaction, committing every Batch rows.
func (b *Bulk) exec(query string, args ...any) error {
	st, ok := b.stmts[query]
	if !ok {
		var err error
		st, err = b.tx.PrepareContext(b.ctx, query)
		if err != nil {
			return fmt.Errorf("store: bulk prepare: %w", err)
		}
		b.stmts[query] = st
	}
	if _, err := st.ExecContext(b.ctx, args...); err != nil {
		return fmt.Errorf("store: bulk insert: %w", err)
	}
	b.n++
	if b.n%b.Batch == 0 {
		return b.commit(true)
	}
	return nil
}

func (b *Bulk) commit(again bool) error {
	for _, st := range b.stmts {
		st.Close()
	}
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("store: bulk commit: %w", err)
	}
	b.tx = nil
	if again {
		return b.begin()
	}
	return nil
}

// Abort rolls back the open batch (earlier batches stay committed) and restores the indexes.
func (b *Bulk) Abort() {
	if b.tx != nil {
		for _, st := range b.stmts {
			st.Close()
		}
		b.tx.Rollback()
		b.tx = nil
	}
	if err := b.restoreMessageIndexes(context.Background()); err != nil {
		slog.Error("store: bulk abort could not restore the messages indexes", "err", err)
	}
	if err := b.restorePeopleCounts(context.Background(), b.s.write.ExecContext); err != nil {
		slog.Error("store: bulk abort could not restore people_counts", "err", err)
	}
	b.deferredCounts = nil
	if err := b.restoreCycleFacts(context.Background(), b.s.write.ExecContext); err != nil {
		slog.Error("store: bulk abort could not restore the dialogue cycle facts", "err", err)
	}
	b.deferredFacts = nil
}

// Manager inserts a manager with its id.
func (b *Bulk) Manager(m core.Manager) error {
	return b.exec(bulkManager, m.ID, m.Name, m.AvatarURL, m.IsMe)
}

// Channel inserts a channel with its id. Tokens are never part of a channel row.
func (b *Bulk) Channel(c core.Channel) error {
	return b.exec(bulkChannel, c.ID, string(c.Kind), c.Name, c.ExternalID, c.Username, c.Enabled, c.CreatedAt)
}

// Plan inserts a sales plan.
func (b *Bulk) Plan(id int64, name string) error { return b.exec(bulkPlan, id, name) }

// Tag inserts a tag.
func (b *Bulk) Tag(id int64, name string) error { return b.exec(bulkTag, id, name) }

// BulkPerson is a person as the bulk loader takes it: plan and tag ids instead of names.
type BulkPerson struct {
	core.Person
	Source  string
	Tool    string
	PlanIDs []int64
	TagIDs  []int64
}

// Person inserts a person, their search row, plans and tags.
func (b *Bulk) Person(p BulkPerson) error {
	if err := b.exec(bulkPerson, p.ID, p.Name, p.Phone, p.Email, p.AvatarURL, string(p.Status), p.Archived,
		p.Blacklisted, p.Source, p.Tool, p.CreatedAt); err != nil {
		return err
	}
	if err := b.exec(bulkPersonFT, p.ID, p.Name, p.Email, p.Phone, phoneSuffixes(p.Phone)); err != nil {
		return err
	}
	for _, id := range p.PlanIDs {
		if err := b.exec(bulkPlanOf, p.ID, id); err != nil {
			return err
		}
	}
	for _, id := range p.TagIDs {
		if err := b.exec(bulkTagOf, p.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// BulkChat is a chat with the id of its last read message (unread is computed by Finish).
type BulkChat struct {
	core.Chat
	LastReadMessageID int64
	CreatedAt         int64
}

// Chat inserts a chat.
func (b *Bulk) Chat(c BulkChat) error {
	return b.exec(bulkChat, c.ID, c.PersonID, c.ChannelID, c.ExternalChatID, c.Username, c.TunnelOff, c.BotOff,
		c.OwnerID, c.LastReadMessageID, c.CreatedAt)
}

// jsonOrEmpty encodes v, or returns "" for nil/empty values (the columns' "none").
func jsonOrEmpty(v any, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	out, err := json.Marshal(v)
	return string(out), err
}

// Message inserts a message with its id (ids should grow with time: search orders by id).
func (b *Bulk) Message(m core.Message) error {
	att, err := jsonOrEmpty(m.Attachments, len(m.Attachments) == 0)
	if err != nil {
		return fmt.Errorf("store: bulk message %d: %w", m.ID, err)
	}
	ind, err := jsonOrEmpty(m.Indicator, m.Indicator == nil)
	if err != nil {
		return fmt.Errorf("store: bulk message %d: %w", m.ID, err)
	}
	men, err := jsonOrEmpty(m.Mentions, len(m.Mentions) == 0)
	if err != nil {
		return fmt.Errorf("store: bulk message %d: %w", m.ID, err)
	}
	rea, err := jsonOrEmpty(m.Reactions, len(m.Reactions) == 0)
	if err != nil {
		return fmt.Errorf("store: bulk message %d: %w", m.ID, err)
	}
	return b.exec(bulkMessage, m.ID, m.ChatID, string(m.Kind), m.ExternalID, string(m.Sender), m.SenderName, m.ManagerID,
		m.Text, att, ind, men, rea, m.ReplyToID, string(m.Status), m.Error, m.Edited, m.Deleted, m.CreatedAt, m.EditedAt)
}

// Task inserts a task.
func (b *Bulk) Task(t core.Task) error {
	return b.exec(bulkTask, t.ID, t.PersonID, t.AssigneeID, t.Title, t.DueAt, t.Done, t.DoneAt)
}

// TaskAlerted records that a task's due notification has fired (a workspace in use: the demo's
// tasks already due were announced before it was "opened").
func (b *Bulk) TaskAlerted(taskID, dueAt int64) error {
	return b.exec(bulkAlert, taskID, dueAt)
}

// Dialogue inserts a dialogue, its managers and its one cycle (a bulk-loaded dialogue was never
// reopened).
func (b *Bulk) Dialogue(d core.Dialogue, managers []int64) error {
	if err := b.exec(bulkDialogue, d.ID, d.ChatID, d.Type, d.Status, d.ClientRating, d.ManagerRating, d.CreatedAt, d.ClosedAt); err != nil {
		return err
	}
	closedAt := int64(0)
	if d.Status == core.DialogueClosed {
		closedAt = d.ClosedAt
	}
	if err := b.exec(bulkDlgCycle, d.ID, d.CreatedAt, closedAt, d.ClientRating, d.ManagerRating); err != nil {
		return err
	}
	for _, m := range managers {
		if err := b.exec(bulkDlgMgr, d.ID, m); err != nil {
			return err
		}
	}
	return nil
}

// Template inserts a chat template.
func (b *Bulk) Template(t core.Template) error { return b.exec(bulkTemplate, t.ID, t.Name, t.Value) }

// Log inserts a person log entry.
func (b *Bulk) Log(l core.LogEntry) error {
	return b.exec(bulkLog, l.PersonID, l.Kind, logParamsJSON(l.Params), l.At)
}

// Draft inserts a chat's draft.
func (b *Bulk) Draft(d core.Draft) error {
	return b.exec(bulkDraft, d.ChatID, d.Text, d.Constructor, d.ReplyToID, d.UpdatedAt)
}

// LeadLink inserts a named deep link.
func (b *Bulk) LeadLink(l core.LeadLink) error {
	return b.exec(bulkLeadLink, l.ChannelID, l.Code, l.Plan, l.Source, l.Tool)
}

// Finish commits the last batch, computes every chat's and person's list columns in two
// set-based statements, refreshes the planner's statistics, appends one event and checkpoints
// the WAL so the file is compact for the first reader.
func (b *Bulk) Finish() error {
	if err := b.commit(false); err != nil {
		return err
	}
	ctx := b.ctx
	if err := b.restoreMessageIndexes(ctx); err != nil {
		return err
	}
	err := b.s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, refreshChatsSQL); err != nil {
			return fmt.Errorf("store: bulk refresh chats: %w", err)
		}
		if _, err := tx.ExecContext(ctx, refreshPeopleSQL); err != nil {
			return fmt.Errorf("store: bulk refresh people: %w", err)
		}
		if err := b.restorePeopleCounts(ctx, tx.ExecContext); err != nil {
			return err
		}
		if err := b.restoreCycleFacts(ctx, tx.ExecContext); err != nil {
			return err
		}
		return appendEvent(ctx, tx, "workspace.loaded", 0, 0, 0, time.Now().UnixMilli())
	})
	if err != nil {
		return err
	}
	b.deferredCounts, b.deferredFacts = nil, nil
	if b.s.Postgres() {
		return pgBulkFinish(ctx, b.s)
	}
	for _, q := range []string{
		// Merge the FTS b-trees the batches left behind into one per index: searches then read
		// one segment instead of dozens.
		`INSERT INTO messages_fts (messages_fts) VALUES ('optimize')`, // a no-op right after a rebuild
		`INSERT INTO people_fts (people_fts) VALUES ('optimize')`,
		`ANALYZE`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
		`PRAGMA cache_size = -16384`,
	} {
		t0 := time.Now()
		if _, err := b.s.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: bulk finish (%s): %w", q, err)
		}
		slog.Debug("store: bulk finish step", "sql", q, "took", time.Since(t0))
	}
	return nil
}
