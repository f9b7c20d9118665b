package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"switchboard/backend/core"
)

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("store: not found")

// messageCols lists the messages columns in the order messageRow scans them.
const messageCols = `m.id, m.chat_id, m.kind, m.external_id, m.sender, m.sender_name, m.manager_id, m.text,
  m.attachments, m.indicator, m.mentions, m.reactions, m.reply_to_id, m.status, m.error, m.edited,
  m.deleted, m.created_at, m.edited_at`

// messageRow is a messages row with its JSON columns still encoded.
type messageRow struct {
	core.Message
	AttachmentsJSON string `db:"attachments"`
	IndicatorJSON   string `db:"indicator"`
	MentionsJSON    string `db:"mentions"`
	ReactionsJSON   string `db:"reactions"`
}

// decode turns the row into a core.Message, decoding the JSON columns. A malformed column is an
// error rather than silently dropped content.
func (r *messageRow) decode() (core.Message, error) {
	m := r.Message
	m.Attachments = []core.Attachment{}
	if r.AttachmentsJSON != "" {
		if err := json.Unmarshal([]byte(r.AttachmentsJSON), &m.Attachments); err != nil {
			return m, fmt.Errorf("store: message %d attachments: %w", m.ID, err)
		}
	}
	if r.IndicatorJSON != "" {
		m.Indicator = &core.Indicator{}
		if err := json.Unmarshal([]byte(r.IndicatorJSON), m.Indicator); err != nil {
			return m, fmt.Errorf("store: message %d indicator: %w", m.ID, err)
		}
	}
	if r.MentionsJSON != "" {
		if err := json.Unmarshal([]byte(r.MentionsJSON), &m.Mentions); err != nil {
			return m, fmt.Errorf("store: message %d mentions: %w", m.ID, err)
		}
	}
	if r.ReactionsJSON != "" {
		if err := json.Unmarshal([]byte(r.ReactionsJSON), &m.Reactions); err != nil {
			return m, fmt.Errorf("store: message %d reactions: %w", m.ID, err)
		}
	}
	return m, nil
}

func decodeAll(rows []messageRow) ([]core.Message, error) {
	out := make([]core.Message, 0, len(rows))
	for i := range rows {
		m, err := rows[i].decode()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// History returns one page of a chat's history: the newest Limit messages older than Before
// (all of them when Before = 0), oldest-first for display. Order is (created_at, id), the
// messages_history index, so paging is one index range per page.
func (s *Store) History(ctx context.Context, q core.HistoryQuery) (core.HistoryPage, error) {
	limit := core.ClampLimit(q.Limit)
	terms := []string{"m.chat_id = ?"}
	args := []any{q.ChatID}
	if q.Before > 0 {
		var at int64
		err := s.read.GetContext(ctx, &at, `SELECT created_at FROM messages WHERE id = ? AND chat_id = ?`, q.Before, q.ChatID)
		if errors.Is(err, sql.ErrNoRows) {
			return core.HistoryPage{}, fmt.Errorf("store: history before message %d: %w", q.Before, ErrNotFound)
		}
		if err != nil {
			return core.HistoryPage{}, fmt.Errorf("store: history: %w", err)
		}
		terms = append(terms, "(m.created_at < ? OR (m.created_at = ? AND m.id < ?))")
		args = append(args, at, at, q.Before)
	}
	f := q.Filter
	if len(f.Senders) > 0 {
		terms = append(terms, "m.sender IN ("+marks(len(f.Senders))+")")
		for _, sk := range f.Senders {
			args = append(args, string(sk))
		}
	}
	if f.IndicatorsOnly {
		terms = append(terms, "m.kind = 'indicator'")
	}
	if f.Attachments {
		terms = append(terms, "m.attachments <> ''")
	}
	if match := ftsWordsQuery(f.Words); match != "" {
		terms = append(terms, "m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)")
		args = append(args, match)
	}
	args = append(args, limit+1)
	var rows []messageRow
	query := `SELECT ` + messageCols + ` FROM messages m INDEXED BY messages_history
WHERE ` + strings.Join(terms, " AND ") + ` ORDER BY m.created_at DESC, m.id DESC LIMIT ?`
	observe(query, args)
	err := s.read.SelectContext(ctx, &rows, query, args...)
	if err != nil {
		return core.HistoryPage{}, fmt.Errorf("store: history of chat %d: %w", q.ChatID, err)
	}
	page := core.HistoryPage{}
	if len(rows) > limit {
		rows = rows[:limit]
		page.HasMore = true
	}
	// Reverse to oldest-first for display.
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	msgs, err := decodeAll(rows)
	if err != nil {
		return core.HistoryPage{}, err
	}
	if err := s.fillQuotes(ctx, msgs); err != nil {
		return core.HistoryPage{}, err
	}
	page.Messages = msgs
	return page, nil
}

// fillQuotes sets ReplyTo on every reply of the page with one query.
func (s *Store) fillQuotes(ctx context.Context, msgs []core.Message) error {
	var ids []any
	seen := map[int64]bool{}
	for _, m := range msgs {
		if m.ReplyToID != 0 && !seen[m.ReplyToID] {
			seen[m.ReplyToID] = true
			ids = append(ids, m.ReplyToID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var quotes []struct {
		ID         int64  `db:"id"`
		Sender     string `db:"sender"`
		SenderName string `db:"sender_name"`
		Text       string `db:"text"`
		Deleted    bool   `db:"deleted"`
	}
	err := s.read.SelectContext(ctx, &quotes, `SELECT id, sender, sender_name, substr(text, 1, 200) AS text, deleted
FROM messages WHERE id IN (`+marks(len(ids))+`)`, ids...)
	if err != nil {
		return fmt.Errorf("store: reply quotes: %w", err)
	}
	byID := make(map[int64]*core.Quote, len(quotes))
	for _, q := range quotes {
		text := q.Text
		if q.Deleted {
			text = "" // a deleted message's text is not quoted
		}
		byID[q.ID] = &core.Quote{ID: q.ID, Sender: core.SenderKind(q.Sender), SenderName: q.SenderName, Text: text}
	}
	for i := range msgs {
		if msgs[i].ReplyToID != 0 {
			msgs[i].ReplyTo = byID[msgs[i].ReplyToID]
		}
	}
	return nil
}

// SearchMessages finds messages whose text has all the words of text (prefix-matched), newest
// first by id: ids grow in arrival order, and FTS5 walks its rowids backwards and stops at limit,
// so a common word costs the same as a rare one.
func (s *Store) SearchMessages(ctx context.Context, text string, limit int) ([]core.Message, error) {
	match := ftsWordsQuery(text)
	if match == "" {
		return []core.Message{}, nil
	}
	limit = core.ClampLimit(limit)
	// Whole words first: FTS5 walks a term's doclist lazily, newest first, and stops at limit.
	// A prefix query must first merge the doclists of every term with that prefix, which for a
	// common word costs tens of milliseconds, so it runs only when whole words found too few.
	exact := strings.ReplaceAll(match, `"*`, `"`)
	rows, err := s.searchFTS(ctx, exact, limit)
	if err != nil || len(rows) >= limit {
		return rows, err
	}
	return s.searchFTS(ctx, match, limit)
}

func (s *Store) searchFTS(ctx context.Context, match string, limit int) ([]core.Message, error) {
	var rows []messageRow
	err := s.read.SelectContext(ctx, &rows, `SELECT `+messageCols+` FROM
 (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f
 JOIN messages m ON m.id = f.rowid ORDER BY m.id DESC`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("store: search messages: %w", err)
	}
	return decodeAll(rows)
}

// ftsWordsQuery makes a safe FTS5 query from free text: words of letters and digits, each a
// quoted prefix term, all required. Nothing the user types is passed to FTS5 as syntax.
func ftsWordsQuery(input string) string {
	words := strings.FieldsFunc(input, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 8 {
		words = words[:8]
	}
	terms := make([]string, 0, len(words))
	for _, w := range words {
		terms = append(terms, `"`+strings.ToLower(w)+`"*`)
	}
	return strings.Join(terms, " AND ")
}

// Message returns one message by id.
func (s *Store) Message(ctx context.Context, id int64) (core.Message, error) {
	var r messageRow
	err := s.read.GetContext(ctx, &r, `SELECT `+messageCols+` FROM messages m WHERE m.id = ?`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Message{}, fmt.Errorf("store: message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return core.Message{}, fmt.Errorf("store: message %d: %w", id, err)
	}
	m, err := r.decode()
	if err != nil {
		return core.Message{}, err
	}
	msgs := []core.Message{m}
	if err := s.fillQuotes(ctx, msgs); err != nil {
		return core.Message{}, err
	}
	return msgs[0], nil
}

// chatCols selects a chat with its channel's kind and name and whether it has a draft.
var chatCols = `c.id, c.person_id, c.channel_id, ch.kind AS channel_kind, ch.name AS channel_name,
  c.external_chat_id, c.username, c.tunnel_off, c.bot_off, c.unread, c.last_message_at, c.owner_id,
  ` + previewOf("c.id") + ` AS preview,
  EXISTS (SELECT 1 FROM drafts d WHERE d.chat_id = c.id AND (d.text <> '' OR d.constructor <> '')) AS has_draft`

// Chat returns one chat by id.
func (s *Store) Chat(ctx context.Context, chatID int64) (core.Chat, error) {
	var c core.Chat
	err := s.read.GetContext(ctx, &c, `SELECT `+chatCols+` FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE c.id = ?`, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Chat{}, fmt.Errorf("store: chat %d: %w", chatID, ErrNotFound)
	}
	if err != nil {
		return core.Chat{}, fmt.Errorf("store: chat %d: %w", chatID, err)
	}
	return c, nil
}
