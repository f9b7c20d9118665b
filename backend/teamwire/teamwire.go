// Package teamwire is the contract between the hub and its replicas (the desktops): the
// snapshot a replica starts from, the feed messages that keep it current, the history pages it
// loads on demand, and the mutations it posts. Types and their parsing only: the hub (backend/hub)
// and the replica (backend/replica) both speak it, so neither can drift from the other.
//
// The feed is state-based. Each message carries the current rows of everything its events refer
// to, read by the hub when it sends them, and the seq to resume from. Applying a message is
// writing those rows as they are, so applying twice changes nothing, and a replica that missed
// nothing converges on the hub: the last state sent (in seq order) wins per row, and a row the hub
// no longer has is listed as gone (deletes win).
package teamwire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"switchboard/backend/core"
)

// Paths of the sync API (all need a session).
const (
	PathSnapshot  = "/api/v1/snapshot"         // GET ?seq=S&after=P: one page
	PathFeed      = "/api/v1/feed"             // WebSocket ?seq=N&state=1: FeedMessage per batch
	PathFeedPoll  = "/api/v1/feed/poll"        // GET ?seq=N&wait=S: one FeedMessage (the long-poll fallback)
	PathMutations = "/api/v1/mutations"        // POST Mutation with IdempotencyHeader
	PathHistory   = "/api/v1/chats/%d/history" // GET ?before=ID&limit=N
	PathPresence  = "/api/v1/presence"         // POST PresenceUpdate, GET PresenceFrame: presence on the long-poll fallback
)

// IdempotencyHeader carries a mutation's key: "<client id>:<mutation id>".
const IdempotencyHeader = "Idempotency-Key"

// Feed message types.
const (
	FeedChanges   = "changes"   // rows changed up to Seq
	FeedBootstrap = "bootstrap" // the cursor is not in the kept log: take a snapshot again
)

// SnapshotPage is one page of a snapshot. Every page of one snapshot carries the Seq of the
// first: the replica follows the feed from it once the last page (Next == 0) is applied. Pages
// read the hub's state as it is when each is served, so a row can be newer than Seq; the feed
// sends its state again, which changes nothing. Totals are for progress, on the first page only.
type SnapshotPage struct {
	Seq    int64       `json:"seq"`
	Totals Totals      `json:"totals"`
	Rows   core.RowSet `json:"rows"`
	// Next is the person id to ask for the next page after (?after=); 0 on the last page.
	Next int64 `json:"next"`
}

// Totals count what the whole snapshot holds.
type Totals struct {
	People   int64 `json:"people"`
	Chats    int64 `json:"chats"`
	Messages int64 `json:"messages"`
}

// FeedMessage is what the state feed sends.
type FeedMessage struct {
	Type string      `json:"type"`
	Seq  int64       `json:"seq"`
	Rows core.RowSet `json:"rows"`
}

// HistoryPage is older history of one chat, newest last; More says whether older rows remain.
type HistoryPage struct {
	Messages []core.MessageRow `json:"messages"`
	More     bool              `json:"more"`
}

// Mutation kinds.
const (
	MutSendText    = "send_text"     // ChatID, Text, ReplyToID
	MutMarkRead    = "mark_read"     // ChatID
	MutDraft       = "draft"         // ChatID, Text, Constructor, ReplyToID, WrittenAt: the sender's own draft
	MutEdit        = "edit"          // MessageID, Text
	MutDelete      = "delete"        // MessageID
	MutArchive     = "archive"       // PersonID, On
	MutBlacklist   = "blacklist"     // PersonID, On
	MutNote        = "note"          // ChatID, Text, Mentions
	MutTunnelOff   = "tunnel_off"    // ChatID, On: no tunnel messages in the chat
	MutBotOff      = "bot_off"       // ChatID, On: no bot messages in the chat
	MutMarkAllRead = "mark_all_read" // a company action: admins only
	MutClaim       = "claim"         // ChatID, Owner: the owner expected now (0 = unassigned)
	MutRelease     = "release"       // ChatID, Owner: the owner expected now
	MutTaskAdd     = "task_add"      // PersonID, Text (title), DueAt, Assignee (0 = the sender)
	MutTaskEdit    = "task_edit"     // TaskID, Text (title), DueAt, Assignee
	MutTaskDone    = "task_done"     // TaskID, On (done or open again)
	MutTaskDelete  = "task_delete"   // TaskID
	// Dialogues (dialogues.go in this package checks their fields).
	MutDialogueCreate = "dialogue_create" // ChatID, Type, Reasons, Components, Status, Managers (none = the sender)
	MutDialogueEdit   = "dialogue_edit"   // DialogueID, Type, Reasons, Components, Managers
	MutDialogueStatus = "dialogue_status" // DialogueID, Status
	MutDialogueClose  = "dialogue_close"  // DialogueID, Text: the rating request ("" asks for none)
	MutDialogueReopen = "dialogue_reopen" // DialogueID
	MutDialogueRate   = "dialogue_rate"   // DialogueID, Score: the manager's rating of the client
	// The company's settings: admins only.
	MutOptionSave     = "dialogue_option_save"   // OptionID (0 = new), List, Name
	MutOptionDelete   = "dialogue_option_delete" // OptionID
	MutTemplateSave   = "template_save"          // TemplateID (0 = new), Name, Text (the value)
	MutTemplateDelete = "template_delete"        // TemplateID
	MutLeadLinkAdd    = "lead_link_add"          // LeadLink: ChannelID, Code ("" = generated), Plan, Source, Tool
	MutLeadLinkDelete = "lead_link_delete"       // LeadLink: ID
	MutChannelAdd     = "channel_add"            // ChannelKind, Token, APIURL (Telegram) or GroupID (VK)
	MutChannelRemove  = "channel_remove"         // ChannelID
)

// Immediate says which mutations a desktop posts at once and waits for, instead of queueing:
// a compare-and-set (claims), and tasks, whose new row takes its id at the hub.
func Immediate(kind string) bool {
	switch kind {
	case MutClaim, MutRelease, MutTaskAdd, MutTaskEdit, MutTaskDone, MutTaskDelete:
		return true
	}
	return companyKind(kind)
}

// AdminOnly says which mutation kinds need an admin's session.
func AdminOnly(kind string) bool { return kind == MutMarkAllRead || settingsKind(kind) }

// Mutation is one write of a desktop.
type Mutation struct {
	Kind        string  `json:"kind"`
	ChatID      int64   `json:"chatId,omitempty"`
	PersonID    int64   `json:"personId,omitempty"`
	MessageID   int64   `json:"messageId,omitempty"`
	Text        string  `json:"text,omitempty"`
	Constructor string  `json:"constructor,omitempty"`
	ReplyToID   int64   `json:"replyToId,omitempty"`
	On          bool    `json:"on,omitempty"`
	Mentions    []int64 `json:"mentions,omitempty"`
	Owner       int64   `json:"owner,omitempty"`
	TaskID      int64   `json:"taskId,omitempty"`
	DueAt       int64   `json:"dueAt,omitempty"`
	Assignee    int64   `json:"assignee,omitempty"`
	// WrittenAt is when a draft was written (Unix ms, the desktop's clock): the newest write of a
	// manager's draft wins, whichever of their desktops delivers it last.
	WrittenAt int64 `json:"writtenAt,omitempty"`
	CompanyFields
}

// Refusal is a mutation the hub refused (mutation_refused): the inbox's code and the data its
// words need, so a desktop tells the person exactly what its own inbox would have.
type Refusal struct {
	Reason string
	Params map[string]string
}

func (r *Refusal) Error() string { return "the hub refused the change: " + r.Reason }

// MutationResult is the hub's answer to an applied mutation; a replay gets the same answer.
// Message is the row a send, edit, delete or note made or changed.
type MutationResult struct {
	Key     string           `json:"key"`
	Message *core.MessageRow `json:"message,omitempty"`
	Task    *core.Task       `json:"task,omitempty"` // the task a task mutation made or changed
	CompanyResult
}

// Limits of what the wire accepts.
const (
	MaxText        = 64 << 10 // bytes of a text or a draft's text
	MaxConstructor = 1 << 20  // bytes of a draft's constructor JSON
	MaxMentions    = 100
	MaxKey         = 128 // bytes of an idempotency key
	MaxBody        = 2 << 20
	// MaxFeedMessage is the largest feed message a replica must accept (it sets its
	// WebSocket read limit to it).
	MaxFeedMessage = 32 << 20
)

// Error is why input was refused: a stable reason the hub answers as bad_request's
// params.reason.
type Error struct{ Reason string }

func (e *Error) Error() string { return "teamwire: " + e.Reason }

func refuse(reason string) error { return &Error{Reason: reason} }

// Reason returns a parse error's reason ("" for other errors).
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// decodeStrict decodes one JSON value and refuses unknown fields and trailing data.
func decodeStrict(b []byte, v any) error {
	if len(b) > MaxBody {
		return refuse("too_large")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field") {
			return refuse("unknown_field")
		}
		return refuse("invalid_json")
	}
	if dec.More() {
		return refuse("invalid_json")
	}
	return nil
}

// ParseMutation reads and checks a mutation: a known kind with exactly the ids it needs.
func ParseMutation(b []byte) (Mutation, error) {
	var m Mutation
	if err := decodeStrict(b, &m); err != nil {
		return Mutation{}, err
	}
	return m, m.Validate()
}

// Validate checks a mutation's fields against its kind.
func (m Mutation) Validate() error {
	need := func(ok bool, reason string) error {
		if !ok {
			return refuse(reason)
		}
		return nil
	}
	if len(m.Text) > MaxText || !utf8.ValidString(m.Text) {
		return refuse("invalid_text")
	}
	if len(m.Constructor) > MaxConstructor || (m.Constructor != "" && !json.Valid([]byte(m.Constructor))) {
		return refuse("invalid_constructor")
	}
	if len(m.Mentions) > MaxMentions {
		return refuse("too_many_mentions")
	}
	if m.ChatID < 0 || m.PersonID < 0 || m.MessageID < 0 || m.ReplyToID < 0 || m.Owner < 0 || m.TaskID < 0 || m.Assignee < 0 || m.DueAt < 0 || m.WrittenAt < 0 {
		return refuse("invalid_id")
	}
	switch m.Kind {
	case MutSendText:
		if err := need(m.ChatID > 0, "missing_chat"); err != nil {
			return err
		}
		return need(strings.TrimSpace(m.Text) != "", "empty_text")
	case MutNote: // text, or at least one mention
		if err := need(m.ChatID > 0, "missing_chat"); err != nil {
			return err
		}
		for _, id := range m.Mentions {
			if id <= 0 {
				return refuse("invalid_id")
			}
		}
		return need(strings.TrimSpace(m.Text) != "" || len(m.Mentions) > 0, "empty_text")
	case MutMarkRead, MutDraft, MutTunnelOff, MutBotOff:
		return need(m.ChatID > 0, "missing_chat")
	case MutEdit:
		if err := need(m.MessageID > 0, "missing_message"); err != nil {
			return err
		}
		return need(strings.TrimSpace(m.Text) != "", "empty_text")
	case MutDelete:
		return need(m.MessageID > 0, "missing_message")
	case MutArchive, MutBlacklist:
		return need(m.PersonID > 0, "missing_person")
	case MutMarkAllRead:
		return nil
	case MutClaim:
		return need(m.ChatID > 0, "missing_chat")
	case MutRelease:
		if err := need(m.ChatID > 0, "missing_chat"); err != nil {
			return err
		}
		return need(m.Owner > 0, "missing_owner")
	case MutTaskAdd:
		if err := need(m.PersonID > 0, "missing_person"); err != nil {
			return err
		}
		return need(strings.TrimSpace(m.Text) != "", "empty_text")
	case MutTaskEdit:
		if err := need(m.TaskID > 0, "missing_task"); err != nil {
			return err
		}
		return need(strings.TrimSpace(m.Text) != "", "empty_text")
	case MutTaskDone, MutTaskDelete:
		return need(m.TaskID > 0, "missing_task")
	case "":
		return refuse("missing_kind")
	}
	if companyKind(m.Kind) {
		return m.validateCompany()
	}
	return refuse("unknown_kind")
}

// Key is an idempotency key: a desktop's client id and its own number for the mutation.
type Key struct {
	Client string
	ID     int64
}

func (k Key) String() string { return k.Client + ":" + strconv.FormatInt(k.ID, 10) }

// ParseKey reads an Idempotency-Key: a client id of 8 to 64 letters, digits, '-' or '_', a colon,
// and a positive number.
func ParseKey(s string) (Key, error) {
	if s == "" {
		return Key{}, refuse("missing_idempotency_key")
	}
	client, num, ok := strings.Cut(s, ":")
	if !ok || len(s) > MaxKey || len(client) < 8 || len(client) > 64 {
		return Key{}, refuse("invalid_idempotency_key")
	}
	for _, r := range client {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return Key{}, refuse("invalid_idempotency_key")
		}
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != num {
		return Key{}, refuse("invalid_idempotency_key")
	}
	return Key{Client: client, ID: id}, nil
}

// ParseFeedMessage reads a feed message and checks it.
func ParseFeedMessage(b []byte) (FeedMessage, error) {
	var m FeedMessage
	if err := decodeLenient(b, &m); err != nil {
		return FeedMessage{}, err
	}
	switch m.Type {
	case FeedChanges:
	case FeedBootstrap:
		return m, nil
	default:
		return FeedMessage{}, refuse("unknown_type")
	}
	if m.Seq < 0 {
		return FeedMessage{}, refuse("invalid_seq")
	}
	return m, ValidateRows(m.Rows)
}

// ParseSnapshotPage reads a snapshot page and checks it.
func ParseSnapshotPage(b []byte) (SnapshotPage, error) {
	var p SnapshotPage
	if err := decodeLenient(b, &p); err != nil {
		return SnapshotPage{}, err
	}
	if p.Seq < 0 || p.Next < 0 || p.Totals.People < 0 || p.Totals.Chats < 0 || p.Totals.Messages < 0 {
		return SnapshotPage{}, refuse("invalid_page")
	}
	return p, ValidateRows(p.Rows)
}

// ParseHistoryPage reads a history page and checks it.
func ParseHistoryPage(b []byte) (HistoryPage, error) {
	var p HistoryPage
	if err := decodeLenient(b, &p); err != nil {
		return HistoryPage{}, err
	}
	return p, ValidateRows(core.RowSet{Messages: p.Messages})
}

// ParseMutationResult reads the hub's answer to a mutation.
func ParseMutationResult(b []byte) (MutationResult, error) {
	var r MutationResult
	if err := decodeLenient(b, &r); err != nil {
		return MutationResult{}, err
	}
	var rows core.RowSet
	if r.Message != nil {
		rows.Messages = []core.MessageRow{*r.Message}
	}
	if r.Task != nil {
		rows.Tasks = []core.Task{*r.Task}
	}
	if err := r.CompanyResult.validate(); err != nil {
		return MutationResult{}, err
	}
	return r, ValidateRows(rows)
}

// decodeLenient decodes what the hub sends: unknown fields are allowed, so a newer hub can add
// some without breaking older desktops.
func decodeLenient(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return refuse("invalid_json")
	}
	if dec.More() {
		return refuse("invalid_json")
	}
	return nil
}

// ValidateRows checks what a replica is about to write: positive ids, rows that point at rows,
// known kinds. A hub is trusted, but a bug there must not become a corrupt local store.
func ValidateRows(r core.RowSet) error {
	for _, m := range r.Managers {
		if m.ID <= 0 {
			return refuse("invalid_manager")
		}
	}
	for _, c := range r.Channels {
		if c.ID <= 0 || (c.Kind != core.Telegram && c.Kind != core.VK) {
			return refuse("invalid_channel")
		}
	}
	for _, p := range r.People {
		if p.ID <= 0 {
			return refuse("invalid_person")
		}
	}
	for _, c := range r.Chats {
		if c.ID <= 0 || c.PersonID <= 0 || c.ChannelID <= 0 {
			return refuse("invalid_chat")
		}
	}
	for _, d := range r.Drafts {
		if d.ChatID <= 0 || d.UpdatedAt < 0 || !utf8.ValidString(d.Text) {
			return refuse("invalid_draft")
		}
	}
	for _, m := range r.Messages {
		if m.ID <= 0 || m.ChatID <= 0 {
			return refuse("invalid_message")
		}
		switch core.MessageKind(m.Kind) {
		case core.KindMessage, core.KindIndicator, core.KindNote:
		default:
			return refuse("invalid_message")
		}
		if m.Sender == "" {
			return refuse("invalid_message")
		}
	}
	for _, t := range r.Tasks {
		if t.ID <= 0 || t.PersonID <= 0 || t.AssigneeID <= 0 || !utf8.ValidString(t.Title) {
			return refuse("invalid_task")
		}
	}
	for _, l := range r.Logs {
		if l.ID <= 0 || l.PersonID <= 0 || l.Kind == "" || !utf8.ValidString(string(l.Kind)) {
			return refuse("invalid_log")
		}
	}
	if err := validateCompanyRows(r); err != nil {
		return err
	}
	for _, ids := range [][]int64{r.Gone.People, r.Gone.Chats, r.Gone.Messages} {
		for _, id := range ids {
			if id <= 0 {
				return refuse("invalid_gone")
			}
		}
	}
	return nil
}

// HistoryPath is the history endpoint of a chat.
func HistoryPath(chatID int64) string { return fmt.Sprintf(PathHistory, chatID) }
