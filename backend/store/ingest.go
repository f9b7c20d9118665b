package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// ApplyBatch stores one poll's updates and the channel's new cursor in ONE transaction.
//
// Every write is idempotent on (chat, external id): messages insert with ON CONFLICT DO
// NOTHING, indicators carry a deterministic external id derived from the update, edits and
// reaction sets only write when they change something. So re-applying a batch after a crash
// (the poller acknowledges upstream only after this commit) changes nothing. The cursor is
// written in the same transaction, so the stored cursor never runs ahead of stored rows.
func (s *Store) ApplyBatch(ctx context.Context, channelID int64, b core.Batch, now time.Time) (core.ApplyResult, error) {
	var res core.ApplyResult
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res = core.ApplyResult{}
		// Statements run under a context without cancellation: go-sqlite3 watches a cancellable
		// context with a goroutine per statement, which cost more than the statement on this
		// hot path. Cancellation still works: the transaction is bound to ctx (database/sql
		// rolls it back when ctx ends) and the loop below checks ctx between updates.
		a, err := newApplier(context.WithoutCancel(ctx), tx, channelID, now, &res)
		if err != nil {
			return err
		}
		if err := a.prefetchChats(b.Updates); err != nil {
			return err
		}
		for i := range b.Updates {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := a.apply(&b.Updates[i]); err != nil {
				return fmt.Errorf("store: apply update %d (%s %s/%s) on channel %d: %w",
					i, b.Updates[i].Kind, b.Updates[i].ExternalChatID, b.Updates[i].ExternalID, channelID, err)
			}
		}
		if err := a.finish(); err != nil {
			return err
		}
		if b.Cursor != "" {
			if _, err := a.tx.ExecContext(a.ctx, setCursorSQL, b.Cursor, channelID); err != nil {
				return fmt.Errorf("store: store cursor of channel %d: %w", channelID, err)
			}
		}
		return nil
	})
	if err != nil {
		return core.ApplyResult{}, err
	}
	return res, nil
}

type chatRef struct {
	id       int64
	personID int64
}

// applier holds one batch's statements and what it touched, so the denormalised columns are
// recomputed once per chat/person per batch instead of once per update.
type applier struct {
	ctx       context.Context
	tx        *sqlx.Tx
	channelID int64
	chName    string
	now       int64
	res       *core.ApplyResult

	chats  map[string]chatRef
	touchC map[int64]bool
	touchP map[int64]bool
	events [][4]any
	// pending are plain new messages not yet inserted: flushMessages inserts them with one
	// statement (see insertMsgsHead). Any other write or read of messages flushes them first.
	pending []pendingMsg

	// The list columns follow the batch incrementally where it only appended rows (the common
	// case: new messages). Chats whose existing rows changed, and people whose set of chats
	// changed, are recomputed in full instead.
	deltas map[int64]*chatDelta
	fullC  map[int64]bool // chats to recompute from their messages
	fullP  map[int64]bool // people to recompute from their chats
}

func newApplier(ctx context.Context, tx *sqlx.Tx, channelID int64, now time.Time, res *core.ApplyResult) (*applier, error) {
	a := &applier{ctx: ctx, tx: tx, channelID: channelID, now: now.UnixMilli(), res: res,
		chats: map[string]chatRef{}, touchC: map[int64]bool{}, touchP: map[int64]bool{},
		deltas: map[int64]*chatDelta{}, fullC: map[int64]bool{}, fullP: map[int64]bool{}}
	err := a.tx.GetContext(ctx, &a.chName, channelNameSQL, channelID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: apply batch: channel %d: %w", channelID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: apply batch: channel %d: %w", channelID, err)
	}
	return a, nil
}

// emit queues one event-log entry; finish writes the batch's entries with one statement,
// in order, inside the same transaction (one INSERT per update cost more than the update).
func (a *applier) emit(kind string, personID, chatID, messageID int64) error {
	a.events = append(a.events, [4]any{kind, personID, chatID, messageID})
	return nil
}

func (a *applier) flushEvents() error {
	kept := a.events[:0]
	for _, e := range a.events {
		if e[0] != "" { // "" is the event of a pending message that turned out a duplicate
			kept = append(kept, e)
		}
	}
	if err := appendEvents(a.ctx, a.tx, kept, a.now); err != nil {
		return fmt.Errorf("append events: %w", err)
	}
	a.events = a.events[:0]
	return nil
}

func (a *applier) apply(u *core.Update) error {
	switch u.Kind {
	case core.UpdTyping:
		return nil // typing is live state, never stored
	case core.UpdMessage, core.UpdEdit, core.UpdReaction, core.UpdBlocked, core.UpdAllowed, core.UpdTap:
	default:
		return a.skip(u, "unknown update kind")
	}
	if u.Kind == core.UpdTap && u.Tap == nil {
		return nil // a tap on buttons that are not a rating of ours: only answered, never stored
	}
	if u.ExternalChatID == "" {
		return a.skip(u, "update without a chat id")
	}
	if u.At == 0 {
		u.At = a.now
	}
	if !bufferable(u) {
		// Everything else reads or writes messages (or, with a phone, may merge people) in
		// update order: the messages before it must be in the table first.
		if err := a.flushMessages(); err != nil {
			return err
		}
	}
	if u.Kind == core.UpdReaction {
		// A reaction on a message we never saw (or in a chat we do not know) has nothing to
		// attach to; it must not create a client either.
		ref, ok, err := a.lookupChat(u.ExternalChatID)
		if err != nil || !ok {
			return err
		}
		return a.reaction(ref, u)
	}
	if u.Kind == core.UpdTap {
		// A tap can only answer a request we sent, so it never creates a client either.
		ref, ok, err := a.lookupChat(u.ExternalChatID)
		if err != nil || !ok {
			return err
		}
		a.touchC[ref.id] = true
		a.touchP[ref.personID] = true
		return a.clientRating(ref, u)
	}
	ref, err := a.chat(u)
	if err != nil {
		return err
	}
	a.touchC[ref.id] = true
	a.touchP[ref.personID] = true
	switch u.Kind {
	case core.UpdMessage:
		if u.StartPayload != "" || strings.TrimSpace(u.Text) == "/start" {
			if err := a.subscription(ref, u); err != nil {
				return err
			}
		}
		if err := a.message(ref, u, false); err != nil || u.Tap == nil {
			return err
		}
		// A VK keyboard button sends a message that carries the tap.
		return a.clientRating(ref, u)
	case core.UpdEdit:
		return a.edit(ref, u)
	case core.UpdBlocked, core.UpdAllowed:
		if change, ok := core.StatusChangeOf(u.Kind); ok {
			return a.statusChange(ref, u, change)
		}
	}
	return nil
}

// skip drops an update that cannot be stored whatever happens (a connector contract
// violation). Failing the batch instead would re-poll the same answer forever and freeze the
// channel; the drop is counted and logged (without the client's text).
func (a *applier) skip(u *core.Update, why string) error {
	a.res.Skipped++
	slog.Warn("store: update skipped", "channel", a.channelID, "why", why, "kind", u.Kind, "external_id", u.ExternalID)
	return nil
}

// insertMessage runs insertMsg and returns the new row's id, or 0 when the row existed (the
// ON CONFLICT DO NOTHING path). Exec with RowsAffected is markedly cheaper than RETURNING
// through database/sql's row machinery. Plain new messages take flushMessages instead.
func (a *applier) insertMessage(args ...any) (int64, error) {
	res, err := a.tx.ExecContext(a.ctx, insertMsgSQL, args...)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, err
	}
	return res.LastInsertId()
}

// prefetchChats loads the batch's known chats with one query instead of one per chat.
func (a *applier) prefetchChats(ups []core.Update) error {
	seen := map[string]bool{}
	ids := make([]string, 0, len(ups))
	for i := range ups {
		if ext := ups[i].ExternalChatID; ext != "" && !seen[ext] {
			seen[ext] = true
			ids = append(ids, ext)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	list, _ := json.Marshal(ids)
	rows, err := a.tx.QueryContext(a.ctx, prefetchChatsSQL, a.channelID, string(list))
	if err != nil {
		return fmt.Errorf("store: prefetch chats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ext string
		var ref chatRef
		if err := rows.Scan(&ext, &ref.id, &ref.personID); err != nil {
			return fmt.Errorf("store: prefetch chats: %w", err)
		}
		a.chats[ext] = ref
	}
	return rows.Err()
}

func (a *applier) lookupChat(ext string) (chatRef, bool, error) {
	if ref, ok := a.chats[ext]; ok {
		return ref, true, nil
	}
	var ref chatRef
	err := a.tx.QueryRowxContext(a.ctx, findChatSQL, a.channelID, ext).Scan(&ref.id, &ref.personID)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, false, nil
	}
	if err != nil {
		return ref, false, fmt.Errorf("find chat: %w", err)
	}
	a.chats[ext] = ref
	return ref, true, nil
}

// chat finds or creates the chat of u, creating its person (or attaching it to the person who
// already shared the same phone on another channel) for a new client.
func (a *applier) chat(u *core.Update) (chatRef, error) {
	ref, ok, err := a.lookupChat(u.ExternalChatID)
	if err != nil {
		return ref, err
	}
	if ok {
		if u.From.Phone != "" {
			return a.sharedPhone(ref, u.From.Phone)
		}
		return ref, nil
	}
	personID, err := a.personByPhone(u.From.Phone, 0)
	if err != nil {
		return ref, err
	}
	if personID == 0 {
		name := strings.TrimSpace(u.From.Name)
		if name == "" {
			name = u.From.Username
		}
		if name == "" {
			name = "#" + u.From.ExternalUserID // the messenger's id, not a word of ours
		}
		if err := a.tx.QueryRowxContext(a.ctx, insertPersonSQL, name, u.From.Phone, a.now).Scan(&personID); err != nil {
			return ref, fmt.Errorf("create person: %w", err)
		}
		// Indexed at once, not at finish: a later update of this batch may look this phone up.
		// What indexPerson would read back is known here (a new person has no e-mail); the
		// delete is there in case a deleted person's id is reused.
		if _, err := a.tx.ExecContext(a.ctx, unindexPersonSQL, personID); err != nil {
			return ref, fmt.Errorf("index person %d: %w", personID, err)
		}
		if _, err := a.tx.ExecContext(a.ctx, indexPersonSQL, personID, name, "", u.From.Phone, phoneSuffixes(u.From.Phone)); err != nil {
			return ref, fmt.Errorf("index person %d: %w", personID, err)
		}
		a.res.NewPeople++
		if err := a.emit(core.EventPersonChanged, personID, 0, 0); err != nil {
			return ref, err
		}
	}
	ref.personID = personID
	if err := a.tx.QueryRowxContext(a.ctx, insertChatSQL, personID, a.channelID, u.ExternalChatID, u.From.Username, a.now).Scan(&ref.id); err != nil {
		return ref, fmt.Errorf("create chat: %w", err)
	}
	a.chats[u.ExternalChatID] = ref
	a.fullP[personID] = true // a new messenger for the person
	return ref, a.emit(core.EventChatChanged, personID, ref.id, 0)
}

// personByPhone finds a person other than except whose phone matches phone (0 if none).
func (a *applier) personByPhone(phone string, except int64) (int64, error) {
	key := core.PhoneKey(phone)
	if key == "" {
		return 0, nil // too short to identify anyone
	}
	// people_fts.phone_digits holds every digit suffix, so the key is an exact token there.
	var cands []struct {
		ID    int64  `db:"id"`
		Phone string `db:"phone"`
	}
	err := a.tx.SelectContext(a.ctx, &cands, `
SELECT p.id, p.phone FROM people_fts f JOIN people p ON p.id = f.rowid
WHERE people_fts MATCH ? ORDER BY p.id LIMIT 20`, `phone_digits:"`+key+`"`)
	if err != nil {
		return 0, fmt.Errorf("find person by phone: %w", err)
	}
	for _, c := range cands {
		if c.ID != except && core.PhoneKey(c.Phone) == key {
			return c.ID, nil
		}
	}
	return 0, nil
}

// sharedPhone records a phone the client shared in a known chat, as core.SharedPhone decides:
// keep, store it, or merge this chat's person into the one who already has it.
func (a *applier) sharedPhone(ref chatRef, phone string) (chatRef, error) {
	var cur string
	if err := a.tx.GetContext(a.ctx, &cur, `SELECT phone FROM people WHERE id = ?`, ref.personID); err != nil {
		return ref, fmt.Errorf("read phone: %w", err)
	}
	// Decided once without the owner lookup: a person who keeps their phone costs no query.
	if core.SharedPhone(cur, phone, false) == core.PhoneKeep {
		return ref, nil
	}
	other, err := a.personByPhone(phone, ref.personID)
	if err != nil {
		return ref, err
	}
	switch core.SharedPhone(cur, phone, other != 0) {
	case core.PhoneMerge:
		merged := ref.personID
		if err := mergePeople(a.ctx, a.tx, other, merged, a.now); err != nil {
			return ref, err
		}
		for ext, r := range a.chats {
			if r.personID == merged {
				r.personID = other
				a.chats[ext] = r
			}
		}
		delete(a.touchP, merged)
		delete(a.fullP, merged)
		for _, d := range a.deltas {
			if d.personID == merged {
				d.personID = other
			}
		}
		a.fullP[other] = true
		ref.personID = other
		return ref, nil
	case core.PhoneStore:
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE people SET phone = ? WHERE id = ?`, phone, ref.personID); err != nil {
			return ref, fmt.Errorf("store phone: %w", err)
		}
		if err := indexPerson(a.ctx, a.tx, ref.personID); err != nil {
			return ref, err
		}
		return ref, a.emit(core.EventPersonChanged, ref.personID, 0, 0)
	}
	return ref, nil
}

func marshalAttachments(att []core.Attachment) (string, error) {
	if len(att) == 0 {
		return "", nil
	}
	b, err := json.Marshal(att)
	return string(b), err
}

// syntheticID keeps an update without a messenger id idempotent: the same update always maps
// to the same id.
func syntheticID(u *core.Update) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d|%s|%s", u.Kind, u.At, u.From.ExternalUserID, u.Text)
	return fmt.Sprintf("h:%x", h.Sum64())
}

func (a *applier) message(ref chatRef, u *core.Update, edited bool) error {
	att, err := marshalAttachments(u.Attachments)
	if err != nil {
		return err
	}
	ext := u.ExternalID
	if ext == "" {
		ext = syntheticID(u)
	}
	sender := u.Sender
	if sender == "" {
		sender = core.SenderClient
	}
	status := core.StatusReceived
	if sender != core.SenderClient {
		status = core.StatusSent // written by an admin or bot in the messenger itself
	}
	if !edited && bufferable(u) {
		a.pending = append(a.pending, pendingMsg{ref: ref, u: u, ext: ext, sender: sender, status: status, att: att,
			ev: len(a.events)})
		// The message.new event keeps its place in the log; its id is filled in by the flush.
		return a.emit(core.EventMessageNew, ref.personID, ref.id, 0)
	}
	if err := a.flushMessages(); err != nil {
		return err
	}
	var replyTo int64
	if u.ReplyToExtID != "" {
		if err := a.tx.QueryRowxContext(a.ctx, findMsgSQL, ref.id, u.ReplyToExtID).Scan(&replyTo); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find replied message: %w", err)
		}
	}
	var editedAt int64
	if edited {
		editedAt = u.At
	}
	id, err := a.insertMessage(ref.id, core.KindMessage, ext, sender, u.From.Name, u.Text, att, "",
		replyTo, status, edited, u.At, editedAt)
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	if id == 0 {
		a.res.Duplicates++
		return nil
	}
	a.res.Messages++
	if sender == core.SenderClient {
		a.res.NewClientMessages = append(a.res.NewClientMessages, id)
	}
	a.appended(ref, u.At, sender == core.SenderClient)
	return a.emit(core.EventMessageNew, ref.personID, ref.id, id)
}

// bufferable reports whether u is a plain new message: one that only appends a row and needs
// nothing of the rows before it (no reply to look up, no /start to check against earlier
// subscriptions, no shared phone that may merge people). Such messages wait in a.pending.
func bufferable(u *core.Update) bool {
	return u.Kind == core.UpdMessage && u.ReplyToExtID == "" && u.StartPayload == "" && u.From.Phone == "" && u.Tap == nil &&
		strings.TrimSpace(u.Text) != "/start"
}

// pendingMsg is a plain new message waiting for flushMessages.
type pendingMsg struct {
	ref    chatRef
	u      *core.Update
	ext    string
	sender core.SenderKind
	status core.MessageStatus
	att    string
	ev     int // index of its message.new entry in a.events
}

// flushMessages inserts the pending messages with one statement and then does for each what
// message does after its insert: count it (or count a duplicate), fill in its event's id and
// move its chat's list columns.
func (a *applier) flushMessages() error {
	if len(a.pending) == 0 {
		return nil
	}
	type key struct {
		chat int64
		ext  string
	}
	ids := make(map[key]int64, len(a.pending))
	err := inChunks(len(a.pending), func(lo, hi int) error {
		args := make([]any, 0, 8*(hi-lo))
		for _, p := range a.pending[lo:hi] {
			args = append(args, p.ref.id, p.ext, p.sender, p.u.From.Name, p.u.Text, p.att, p.status, p.u.At)
		}
		return a.queryRows(rowsSQL(insertMsgsHead, insertMsgsRow, insertMsgsTail, hi-lo), args, func(r *sql.Rows) error {
			var id int64
			var k key
			if err := r.Scan(&id, &k.chat, &k.ext); err != nil {
				return err
			}
			ids[k] = id
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("insert messages: %w", err)
	}
	for _, p := range a.pending {
		k := key{p.ref.id, p.ext}
		id := ids[k]
		delete(ids, k) // a second copy of one message within the batch is a duplicate
		if id == 0 {
			a.res.Duplicates++
			a.events[p.ev][0] = "" // no event for a row that was not inserted
			continue
		}
		a.events[p.ev][3] = id
		a.res.Messages++
		if p.sender == core.SenderClient {
			a.res.NewClientMessages = append(a.res.NewClientMessages, id)
		}
		a.appended(p.ref, p.u.At, p.sender == core.SenderClient)
	}
	a.pending = a.pending[:0]
	return nil
}

func (a *applier) edit(ref chatRef, u *core.Update) error {
	att, err := marshalAttachments(u.Attachments)
	if err != nil {
		return err
	}
	var id int64
	err = a.tx.QueryRowxContext(a.ctx, editMsgSQL, u.Text, att, u.At, ref.id, u.ExternalID).Scan(&id)
	if err == nil {
		a.res.Edits++ // no list column follows a message's text: the preview is read with the list
		return a.emit(core.EventMessageChanged, ref.personID, ref.id, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("edit message: %w", err)
	}
	// Either unchanged (a re-applied edit) or a message from before our history began: store
	// the latter as an edited message so the text the client sees is not lost.
	err = a.tx.QueryRowxContext(a.ctx, findMsgSQL, ref.id, u.ExternalID).Scan(&id)
	if err == nil {
		a.res.Duplicates++
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("find edited message: %w", err)
	}
	return a.message(ref, u, true)
}

func (a *applier) reaction(ref chatRef, u *core.Update) error {
	reactions := ""
	if len(u.Reactions) > 0 {
		b, err := json.Marshal(u.Reactions)
		if err != nil {
			return err
		}
		reactions = string(b)
	}
	var id int64
	err := a.tx.QueryRowxContext(a.ctx, reactMsgSQL, reactions, ref.id, u.ExternalID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		a.res.Duplicates++ // unchanged, or a message we do not have
		return nil
	}
	if err != nil {
		return fmt.Errorf("set reactions: %w", err)
	}
	a.res.Reactions++
	return a.emit(core.EventMessageChanged, ref.personID, ref.id, id)
}

// indicator inserts an indicator row under a deterministic external id; inserted=false means
// it was stored by an earlier application of the same update.
func (a *applier) indicator(ref chatRef, ext string, ind core.Indicator, at int64) (bool, error) {
	b, err := json.Marshal(ind)
	if err != nil {
		return false, err
	}
	id, err := a.insertMessage(ref.id, core.KindIndicator, ext, core.SenderSystem, "", "", "", string(b),
		0, core.StatusReceived, false, at, 0)
	if err != nil {
		return false, fmt.Errorf("insert %s indicator: %w", ind.Type, err)
	}
	if id == 0 {
		return false, nil
	}
	a.res.Indicators++
	a.appended(ref, at, false)
	return true, a.emit(core.EventMessageNew, ref.personID, ref.id, id)
}

func indicatorExtID(u *core.Update, what string) string {
	return fmt.Sprintf("ind:%s:%s:%d", what, u.ExternalID, u.At)
}

// statusChange records a block or an unblock as core.StatusChangeOf decided it.
func (a *applier) statusChange(ref chatRef, u *core.Update, change core.StatusChange) error {
	inserted, err := a.indicator(ref, indicatorExtID(u, string(u.Kind)), change.Indicator, u.At)
	if err != nil || !inserted {
		return err
	}
	if _, err := a.tx.ExecContext(a.ctx, `UPDATE people SET status = ? WHERE id = ?`, change.Status, ref.personID); err != nil {
		return fmt.Errorf("set person status: %w", err)
	}
	if err := addLog(a.ctx, a.tx, ref.personID, change.Log, core.LogParams{core.ParamChannel: a.chName}, a.now); err != nil {
		return err
	}
	return a.emit(core.EventPersonChanged, ref.personID, ref.id, 0)
}

// subscription records a /start (Telegram) or ref (VK): it looks up what core.Subscription
// needs (an earlier subscription of this chat, the lead link of the code), stores the
// indicator it decides and adds the person to the link's sales plan.
func (a *applier) subscription(ref chatRef, u *core.Update) error {
	var before bool
	if err := a.tx.GetContext(a.ctx, &before, `
SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = ? AND kind = 'indicator'
               AND json_extract(indicator, '$.type') IN ('subscription', 'resubscription')
               AND external_id <> ?)`, ref.id, indicatorExtID(u, "sub")); err != nil {
		return fmt.Errorf("find earlier subscription: %w", err)
	}
	var link *core.LeadLink
	if u.StartPayload != "" {
		var l core.LeadLink
		err := a.tx.GetContext(a.ctx, &l, `SELECT plan, source, tool FROM lead_links WHERE channel_id = ? AND code = ?`,
			a.channelID, u.StartPayload)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("find lead link: %w", err)
		default:
			link = &l
		}
	}
	ind := core.Subscription(before, u.RefSource, u.StartPayload, link)
	inserted, err := a.indicator(ref, indicatorExtID(u, "sub"), ind, u.At)
	if err != nil || !inserted {
		return err
	}
	if ind.Tunnel != "" {
		if _, err := a.tx.ExecContext(a.ctx, `INSERT INTO sales_plans (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, ind.Tunnel); err != nil {
			return fmt.Errorf("create sales plan: %w", err)
		}
		if _, err := a.tx.ExecContext(a.ctx, `
INSERT OR IGNORE INTO person_plans (person_id, plan_id) SELECT ?, id FROM sales_plans WHERE name = ?`, ref.personID, ind.Tunnel); err != nil {
			return fmt.Errorf("add person to sales plan: %w", err)
		}
	}
	if _, err := a.tx.ExecContext(a.ctx, `
UPDATE people SET status = 'subscribed',
  source = CASE WHEN source = '' THEN ? ELSE source END,
  tool = CASE WHEN tool = '' THEN ? ELSE tool END
WHERE id = ?`, ind.Source, ind.Tool, ref.personID); err != nil {
		return fmt.Errorf("mark subscribed: %w", err)
	}
	kind, params := core.SubscriptionLog(ind, a.chName)
	if err := addLog(a.ctx, a.tx, ref.personID, kind, params, a.now); err != nil {
		return err
	}
	return a.emit(core.EventPersonChanged, ref.personID, ref.id, 0)
}

// finish recomputes the list columns of everything the batch touched, once, with one
// set-based statement each (the same SQL refreshChat/refreshPerson run for one row): preparing
// a statement per chat cost more than the inserts themselves.
func (a *applier) finish() error {
	if err := a.flushMessages(); err != nil {
		return err
	}
	if err := a.flushEvents(); err != nil {
		return err
	}
	a.res.ChatIDs = sortedKeys(a.touchC)
	a.res.PersonIDs = sortedKeys(a.touchP)
	if err := a.applyDeltas(); err != nil {
		return err
	}
	if len(a.fullC) > 0 {
		ids, _ := json.Marshal(sortedKeys(a.fullC))
		if _, err := a.tx.ExecContext(a.ctx, refreshChatsSQL+` WHERE id IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
			return fmt.Errorf("refresh chats: %w", err)
		}
	}
	if len(a.fullP) > 0 {
		ids, _ := json.Marshal(sortedKeys(a.fullP))
		if _, err := a.tx.ExecContext(a.ctx, refreshPeopleSQL+` WHERE id IN (SELECT value FROM json_each(?))`, string(ids)); err != nil {
			return fmt.Errorf("refresh people: %w", err)
		}
	}
	return nil
}

func sortedKeys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
