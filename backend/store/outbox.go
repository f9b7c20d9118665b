package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

// ErrNotFailed is returned by RetryMessage for a message that has not failed.
var ErrNotFailed = errors.New("message has not failed")

// editPayload is an edit row's payload: the new text, and what to restore if the messenger
// refuses the edit for good (the local row shows the new text at once).
type editPayload struct {
	Text        string `json:"text"`
	OldText     string `json:"oldText"`
	OldEdited   bool   `json:"oldEdited"`
	OldEditedAt int64  `json:"oldEditedAt"`
}

// getMessage reads one message inside tx (or on the read pool), decoded.
func getMessage(ctx context.Context, q sqlx.QueryerContext, id int64) (core.Message, error) {
	var r messageRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT `+messageCols+` FROM messages m WHERE m.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Message{}, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return core.Message{}, fmt.Errorf("message %d: %w", id, err)
	}
	return r.decode()
}

type chatInfo struct {
	PersonID  int64            `db:"person_id"`
	ChannelID int64            `db:"channel_id"`
	Kind      core.ChannelKind `db:"kind"`
}

func getChatInfo(ctx context.Context, tx *sqlx.Tx, chatID int64) (chatInfo, error) {
	var c chatInfo
	err := tx.GetContext(ctx, &c, `
SELECT c.person_id, c.channel_id, ch.kind FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE c.id = ?`, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("chat %d: %w", chatID, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("chat %d: %w", chatID, err)
	}
	return c, nil
}

func insertOutbox(ctx context.Context, tx *sqlx.Tx, chatID, messageID int64, action core.OutboxAction, payload string, at int64) (int64, error) {
	var id int64
	err := tx.GetContext(ctx, &id, `
INSERT INTO outbox (chat_id, message_id, action, payload, next_attempt_at, created_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, chatID, messageID, action, payload, at, at)
	if err != nil {
		return 0, fmt.Errorf("queue %s: %w", action, err)
	}
	return id, nil
}

// QueueSend stores a manager's outgoing message as 'queued' with its outbox row, in one
// transaction: from here on it survives a crash and leaves when the worker can deliver it.
func (s *Store) QueueSend(ctx context.Context, chatID, managerID int64, text string, attachments []core.Attachment,
	replyToID int64, now time.Time) (core.Message, error) {
	return s.QueueSendKeyed(ctx, "", chatID, managerID, text, attachments, replyToID, now)
}

// QueueSendKeyed is QueueSend for a replica's mutation: the message carries the mutation's key,
// unique among messages, so a replayed send fails with ErrMutationApplied instead of sending
// twice (even if the hub died before recording its answer).
func (s *Store) QueueSendKeyed(ctx context.Context, key string, chatID, managerID int64, text string, attachments []core.Attachment,
	replyToID int64, now time.Time) (core.Message, error) {
	var msg core.Message
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		id, err := queueSend(ctx, tx, key, chatID, managerID, text, attachments, replyToID, sendPayload{}, now.UnixMilli())
		if err != nil {
			return err
		}
		msg, err = getMessage(ctx, tx, id)
		return err
	})
	if err != nil {
		return core.Message{}, fmt.Errorf("store: queue send in chat %d: %w", chatID, err)
	}
	return msg, nil
}

// sendPayload is a send row's payload: what the message carries beside its text and
// attachments. Empty for a plain message (stored as ”).
type sendPayload struct {
	// RatingCycle makes the send a rating request for this dialogue cycle (core.Outgoing).
	RatingCycle int64 `json:"ratingCycle,omitempty"`
}

// queueSend is QueueSendKeyed inside tx (key "" for a send of this desktop's own); it returns
// the new message's id.
func queueSend(ctx context.Context, tx *sqlx.Tx, key string, chatID, managerID int64, text string, attachments []core.Attachment,
	replyToID int64, extra sendPayload, at int64) (int64, error) {
	c, err := getChatInfo(ctx, tx, chatID)
	if err != nil {
		return 0, err
	}
	if text == "" && len(attachments) == 0 {
		return 0, core.ErrEmptyMessage
	}
	if err := core.CheckText(c.Kind, text); err != nil {
		return 0, err
	}
	if replyToID != 0 {
		var n int
		if err := tx.GetContext(ctx, &n, `SELECT COUNT(*) FROM messages WHERE id = ? AND chat_id = ?`, replyToID, chatID); err != nil || n == 0 {
			return 0, fmt.Errorf("reply to message %d: not in chat %d: %w", replyToID, chatID, errors.Join(ErrNotFound, err))
		}
	}
	var name string
	if err := tx.GetContext(ctx, &name, `SELECT COALESCE((SELECT name FROM managers WHERE id = ?), '')`, managerID); err != nil {
		return 0, fmt.Errorf("manager %d: %w", managerID, err)
	}
	att, err := marshalAttachments(attachments)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := tx.GetContext(ctx, &id, `
INSERT INTO messages (chat_id, kind, sender, sender_name, manager_id, text, attachments, reply_to_id, status, created_at, mutation_key)
VALUES (?, 'message', 'manager', ?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING id`,
		chatID, name, managerID, text, att, replyToID, at, key); err != nil {
		if key != "" && isUniqueViolation(err) {
			return 0, ErrMutationApplied
		}
		return 0, fmt.Errorf("store outgoing message: %w", err)
	}
	payload := ""
	if extra != (sendPayload{}) {
		b, _ := json.Marshal(extra)
		payload = string(b)
	}
	if _, err := insertOutbox(ctx, tx, chatID, id, core.ActionSend, payload, at); err != nil {
		return 0, err
	}
	if err := chatChanged(ctx, tx, c.PersonID, chatID, id, at, core.EventMessageNew, core.EventOutboxChanged); err != nil {
		return 0, err
	}
	return id, nil
}

// queueChange is QueueEdit and QueueDelete: in one transaction it checks the message against
// the messenger's rules, changes it locally at once (local), queues the action upstream, and
// logs the change. The manager sees the result immediately; the outbox delivers it.
func (s *Store) queueChange(ctx context.Context, messageID int64, now time.Time, action core.OutboxAction,
	local func(tx *sqlx.Tx, m core.Message, c chatInfo, at int64) (payload string, err error)) (core.Message, error) {
	var msg core.Message
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		m, err := getMessage(ctx, tx, messageID)
		if err != nil {
			return err
		}
		c, err := getChatInfo(ctx, tx, m.ChatID)
		if err != nil {
			return err
		}
		at := now.UnixMilli()
		payload, err := local(tx, m, c, at)
		if err != nil {
			return err
		}
		if _, err := insertOutbox(ctx, tx, m.ChatID, messageID, action, payload, at); err != nil {
			return err
		}
		if err := chatChanged(ctx, tx, c.PersonID, m.ChatID, messageID, at, core.EventMessageChanged, core.EventOutboxChanged); err != nil {
			return err
		}
		msg, err = getMessage(ctx, tx, messageID)
		return err
	})
	if err != nil {
		return core.Message{}, fmt.Errorf("store: queue %s of message %d: %w", action, messageID, err)
	}
	return msg, nil
}

// QueueEdit changes a sent message's text locally at once and queues the edit upstream.
func (s *Store) QueueEdit(ctx context.Context, messageID int64, text string, now time.Time) (core.Message, error) {
	return s.queueChange(ctx, messageID, now, core.ActionEdit, func(tx *sqlx.Tx, m core.Message, c chatInfo, at int64) (string, error) {
		if err := core.CanEdit(m); err != nil {
			return "", err
		}
		if text == "" && len(m.Attachments) == 0 {
			return "", core.ErrEmptyMessage
		}
		if err := core.CheckText(c.Kind, text); err != nil {
			return "", err
		}
		p, _ := json.Marshal(editPayload{Text: text, OldText: m.Text, OldEdited: m.Edited, OldEditedAt: m.EditedAt})
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET text = ?, edited = 1, edited_at = ?, error = '' WHERE id = ?`,
			text, at, messageID); err != nil {
			return "", fmt.Errorf("edit locally: %w", err)
		}
		return string(p), nil
	})
}

// QueueDelete marks a sent message deleted locally at once and queues the deletion upstream,
// if the messenger's delete window has not passed.
func (s *Store) QueueDelete(ctx context.Context, messageID int64, now time.Time) (core.Message, error) {
	return s.queueChange(ctx, messageID, now, core.ActionDelete, func(tx *sqlx.Tx, m core.Message, c chatInfo, _ int64) (string, error) {
		if err := core.CanDelete(c.Kind, m, now); err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET deleted = 1, error = '' WHERE id = ?`, messageID); err != nil {
			return "", fmt.Errorf("delete locally: %w", err)
		}
		return "", nil
	})
}

type outboxJobRow struct {
	core.OutboxItem
	ChannelID       int64            `db:"channel_id"`
	Kind            core.ChannelKind `db:"kind"`
	ExternalChatID  string           `db:"external_chat_id"`
	MsgExternalID   string           `db:"msg_external_id"`
	Text            string           `db:"text"`
	AttachmentsJSON string           `db:"attachments"`
	ReplyExtID      string           `db:"reply_ext_id"`
}

// NextOutbox returns the rows due by dueBy that may leave now: only the oldest undone row of
// each chat, so a chat's later row never overtakes an earlier one that is still waiting or
// retrying. Passing a dueBy in the future (after the network returns) retries at once.
func (s *Store) NextOutbox(ctx context.Context, dueBy time.Time) ([]core.OutboxJob, error) {
	var rows []outboxJobRow
	err := s.read.SelectContext(ctx, &rows, `
SELECT o.id, o.chat_id, o.message_id, o.action, o.payload, o.attempts, o.next_attempt_at, o.last_error,
       o.done, o.created_at, c.channel_id, ch.kind, c.external_chat_id,
       m.external_id AS msg_external_id, m.text, m.attachments,
       COALESCE(r.external_id, '') AS reply_ext_id
FROM outbox o
JOIN chats c ON c.id = o.chat_id
JOIN channels ch ON ch.id = c.channel_id
JOIN messages m ON m.id = o.message_id
LEFT JOIN messages r ON r.id = m.reply_to_id AND m.reply_to_id <> 0
WHERE o.done = 0 AND o.next_attempt_at <= ?
  AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.chat_id = o.chat_id AND p.done = 0)
ORDER BY o.id
LIMIT 100`, dueBy.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: next outbox: %w", err)
	}
	jobs := make([]core.OutboxJob, 0, len(rows))
	for _, r := range rows {
		j := core.OutboxJob{Item: r.OutboxItem, ChannelID: r.ChannelID, ChannelKind: r.Kind, Out: core.Outgoing{
			Action: r.Action, OutboxID: r.ID, ExternalChatID: r.ExternalChatID, ExternalID: r.MsgExternalID,
			Text: r.Text, ReplyToExtID: r.ReplyExtID,
		}}
		switch r.Action {
		case core.ActionSend:
			j.Out.ExternalID = ""
			if r.Payload != "" {
				var p sendPayload
				if err := json.Unmarshal([]byte(r.Payload), &p); err != nil {
					return nil, fmt.Errorf("store: next outbox: row %d payload: %w", r.ID, err)
				}
				j.Out.RatingCycle = p.RatingCycle
			}
			if r.AttachmentsJSON != "" {
				if err := json.Unmarshal([]byte(r.AttachmentsJSON), &j.Out.Attachments); err != nil {
					return nil, fmt.Errorf("store: next outbox: row %d attachments: %w", r.ID, err)
				}
			}
		case core.ActionEdit:
			var p editPayload
			if err := json.Unmarshal([]byte(r.Payload), &p); err != nil {
				return nil, fmt.Errorf("store: next outbox: row %d payload: %w", r.ID, err)
			}
			j.Out.Text, j.Out.ReplyToExtID = p.Text, ""
		case core.ActionDelete:
			j.Out.Text, j.Out.ReplyToExtID = "", ""
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// NextOutboxDue is when the earliest row that may leave becomes due (ok=false: nothing waits).
func (s *Store) NextOutboxDue(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullInt64
	// Only chat heads count: a row waiting behind an earlier one in its chat is not "due".
	if err := s.read.GetContext(ctx, &at, `
SELECT MIN(o.next_attempt_at) FROM outbox o
WHERE o.done = 0 AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.chat_id = o.chat_id AND p.done = 0)`); err != nil {
		return time.Time{}, false, fmt.Errorf("store: next outbox due: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(at.Int64), true, nil
}

type outboxRef struct {
	MessageID int64             `db:"message_id"`
	ChatID    int64             `db:"chat_id"`
	Action    core.OutboxAction `db:"action"`
	Payload   string            `db:"payload"`
	Done      bool              `db:"done"`
	PersonID  int64             `db:"person_id"`
}

func getOutbox(ctx context.Context, tx *sqlx.Tx, id int64) (outboxRef, error) {
	var r outboxRef
	err := tx.GetContext(ctx, &r, `
SELECT o.message_id, o.chat_id, o.action, o.payload, o.done, c.person_id
FROM outbox o JOIN chats c ON c.id = o.chat_id WHERE o.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("outbox row %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("outbox row %d: %w", id, err)
	}
	return r, nil
}

// outboxInFlight marks a row handed to a connector whose outcome is not recorded yet.
const outboxInFlight = core.FailInFlight

// NotConfirmed is the reason a Telegram send gets when the program stopped while sending it:
// the Bot API has no idempotency key, so sending again could deliver it twice.
const NotConfirmed = core.FailNotConfirmed

// OutboxSending marks a row as handed to the messenger, just before the attempt, so that a
// crash before its outcome is recorded is visible to RecoverOutbox.
func (s *Store) OutboxSending(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET last_error = ? WHERE id = ? AND done = 0`, outboxInFlight, id); err != nil {
			return fmt.Errorf("store: outbox %d sending: %w", id, err)
		}
		return nil
	})
}

// RecoverOutbox settles rows a previous run left in flight. A VK send is retried (its random_id
// derives from the row id, so VK drops a duplicate), and so are edits and deletes (repeating
// them is harmless). A Telegram send cannot be deduplicated: it is marked failed with
// NotConfirmed and the manager decides with Retry. It returns how many rows it settled.
func (s *Store) RecoverOutbox(ctx context.Context, now time.Time) (int, error) {
	var rows []struct {
		ID     int64             `db:"id"`
		Action core.OutboxAction `db:"action"`
		Kind   core.ChannelKind  `db:"kind"`
	}
	err := s.read.SelectContext(ctx, &rows, `
SELECT o.id, o.action, ch.kind FROM outbox o
JOIN chats c ON c.id = o.chat_id JOIN channels ch ON ch.id = c.channel_id
WHERE o.done = 0 AND o.last_error = ?`, outboxInFlight)
	if err != nil {
		return 0, fmt.Errorf("store: recover outbox: %w", err)
	}
	for _, r := range rows {
		if r.Action == core.ActionSend && r.Kind == core.Telegram {
			err = s.OutboxFailed(ctx, r.ID, NotConfirmed, true, time.Time{}, now)
		} else {
			err = s.inTx(ctx, func(tx *sqlx.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE outbox SET last_error = '', next_attempt_at = ? WHERE id = ?`, now.UnixMilli(), r.ID)
				return err
			})
		}
		if err != nil {
			return 0, fmt.Errorf("store: recover outbox row %d: %w", r.ID, err)
		}
	}
	return len(rows), nil
}

// OutboxDone records a delivered row: a sent message becomes 'sent' with the messenger's id.
func (s *Store) OutboxDone(ctx context.Context, id int64, sent core.Sent, now time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := getOutbox(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Done {
			return nil // recorded already
		}
		at := now.UnixMilli()
		if r.Action == core.ActionSend {
			if sent.ExternalID != "" {
				// A messenger that echoes our own sends (VK message_reply) may have delivered the
				// echo before this commit; the echo is this message, so it gives way. A client's
				// message never does: its id can come back for our send only from a server that
				// reuses ids (a reset custom Bot API server), and then both are kept, apart in the
				// key (migration 0008).
				if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE chat_id = ? AND external_id = ? AND id <> ? AND sender <> 'client'`,
					r.ChatID, sent.ExternalID, r.MessageID); err != nil {
					return fmt.Errorf("drop echo: %w", err)
				}
				var clash int64
				err := tx.GetContext(ctx, &clash, `SELECT id FROM messages WHERE chat_id = ? AND external_id = ? AND sender = 'client' LIMIT 1`,
					r.ChatID, sent.ExternalID)
				if err == nil {
					slog.Warn("store: the messenger gave a sent message the id of a client's message; both are kept",
						"chat", r.ChatID, "external_id", sent.ExternalID, "sent_message", r.MessageID, "client_message", clash)
				} else if !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("look for an id clash: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'sent', external_id = ?, error = '' WHERE id = ?`,
				sent.ExternalID, r.MessageID); err != nil {
				return fmt.Errorf("mark sent: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE messages SET error = '' WHERE id = ?`, r.MessageID); err != nil {
			return fmt.Errorf("clear error: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET done = 1, attempts = attempts + 1, last_error = '' WHERE id = ?`, id); err != nil {
			return fmt.Errorf("mark done: %w", err)
		}
		return chatChanged(ctx, tx, r.PersonID, r.ChatID, r.MessageID, at, core.EventMessageChanged, core.EventOutboxChanged)
	})
	if err != nil {
		return fmt.Errorf("store: outbox %d done: %w", id, err)
	}
	return nil
}

// OutboxFailed records a failed attempt; reason is a code (core.Fail*), never words. A temporary
// failure waits until retryAt; a permanent one closes the row: a send becomes 'failed' with the reason (the UI offers Retry), a refused
// edit or delete is undone locally and the reason is kept on the message.
func (s *Store) OutboxFailed(ctx context.Context, id int64, reason string, permanent bool, retryAt, now time.Time) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		r, err := getOutbox(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Done {
			return nil
		}
		at := now.UnixMilli()
		if !permanent {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
				reason, retryAt.UnixMilli(), id)
			if err != nil {
				return fmt.Errorf("schedule retry: %w", err)
			}
			return appendEvent(ctx, tx, core.EventOutboxChanged, r.PersonID, r.ChatID, r.MessageID, at)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, done = 1 WHERE id = ?`, reason, id); err != nil {
			return fmt.Errorf("close row: %w", err)
		}
		switch r.Action {
		case core.ActionSend:
			_, err = tx.ExecContext(ctx, `UPDATE messages SET status = 'failed', error = ? WHERE id = ?`, reason, r.MessageID)
		case core.ActionEdit:
			var p editPayload
			if err := json.Unmarshal([]byte(r.Payload), &p); err != nil {
				return fmt.Errorf("edit payload: %w", err)
			}
			_, err = tx.ExecContext(ctx, `UPDATE messages SET text = ?, edited = ?, edited_at = ?, error = ? WHERE id = ?`,
				p.OldText, p.OldEdited, p.OldEditedAt, core.MessageFailure(r.Action, reason), r.MessageID)
		case core.ActionDelete:
			_, err = tx.ExecContext(ctx, `UPDATE messages SET deleted = 0, error = ? WHERE id = ?`, core.MessageFailure(r.Action, reason), r.MessageID)
		}
		if err != nil {
			return fmt.Errorf("mark message: %w", err)
		}
		return chatChanged(ctx, tx, r.PersonID, r.ChatID, r.MessageID, at, core.EventMessageChanged, core.EventOutboxChanged)
	})
	if err != nil {
		return fmt.Errorf("store: outbox %d failed: %w", id, err)
	}
	return nil
}

// RetryMessage queues a failed send again. It reuses the send's outbox row so its id (from
// which VK's random_id derives) stays the same.
func (s *Store) RetryMessage(ctx context.Context, messageID int64, now time.Time) (core.Message, error) {
	var msg core.Message
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		m, err := getMessage(ctx, tx, messageID)
		if err != nil {
			return err
		}
		if m.Status != core.StatusFailed {
			return ErrNotFailed
		}
		var outID int64
		err = tx.GetContext(ctx, &outID, `SELECT id FROM outbox WHERE message_id = ? AND action = 'send' ORDER BY id DESC LIMIT 1`, messageID)
		if err != nil {
			return fmt.Errorf("find send row: %w", err)
		}
		at := now.UnixMilli()
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET done = 0, attempts = 0, last_error = '', next_attempt_at = ? WHERE id = ?`, at, outID); err != nil {
			return fmt.Errorf("requeue: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'queued', error = '' WHERE id = ?`, messageID); err != nil {
			return fmt.Errorf("requeue: %w", err)
		}
		c, err := getChatInfo(ctx, tx, m.ChatID)
		if err != nil {
			return err
		}
		if err := appendEvent(ctx, tx, core.EventMessageChanged, c.PersonID, m.ChatID, messageID, at); err != nil {
			return err
		}
		if err := appendEvent(ctx, tx, core.EventOutboxChanged, c.PersonID, m.ChatID, messageID, at); err != nil {
			return err
		}
		msg, err = getMessage(ctx, tx, messageID)
		return err
	})
	if err != nil {
		return core.Message{}, fmt.Errorf("store: retry message %d: %w", messageID, err)
	}
	return msg, nil
}

// AttachmentRef returns attachment index of message messageID with the channel to fetch it from.
func (s *Store) AttachmentRef(ctx context.Context, messageID int64, index int) (core.AttachmentRef, error) {
	m, err := getMessage(ctx, s.read, messageID)
	if err != nil {
		return core.AttachmentRef{}, fmt.Errorf("store: attachment: %w", err)
	}
	if index < 0 || index >= len(m.Attachments) {
		return core.AttachmentRef{}, fmt.Errorf("store: message %d has no attachment %d: %w", messageID, index, ErrNotFound)
	}
	var channelID int64
	if err := s.read.GetContext(ctx, &channelID, `SELECT channel_id FROM chats WHERE id = ?`, m.ChatID); err != nil {
		return core.AttachmentRef{}, fmt.Errorf("store: attachment: chat %d: %w", m.ChatID, err)
	}
	return core.AttachmentRef{MessageID: messageID, Index: index, ChannelID: channelID, Attachment: m.Attachments[index]}, nil
}

// SetAttachmentPath records where attachment index of a message is cached on disk.
func (s *Store) SetAttachmentPath(ctx context.Context, messageID int64, index int, path string) error {
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		m, err := getMessage(ctx, tx, messageID)
		if err != nil {
			return err
		}
		if index < 0 || index >= len(m.Attachments) {
			return fmt.Errorf("no attachment %d: %w", index, ErrNotFound)
		}
		m.Attachments[index].LocalPath = path
		att, err := marshalAttachments(m.Attachments)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET attachments = ? WHERE id = ?`, att, messageID); err != nil {
			return err
		}
		var personID int64
		if err := tx.GetContext(ctx, &personID, `SELECT person_id FROM chats WHERE id = ?`, m.ChatID); err != nil {
			return err
		}
		return appendEvent(ctx, tx, core.EventMessageChanged, personID, m.ChatID, messageID, time.Now().UnixMilli())
	})
	if err != nil {
		return fmt.Errorf("store: cache path of message %d attachment %d: %w", messageID, index, err)
	}
	return nil
}
