// Package core holds Switchboard's domain: the types every layer shares and the pure rules
// (tabs, filters, edit/delete windows, deep-link payloads). It does no I/O so its rules are
// tested as plain functions. Times are unix milliseconds, UTC.
package core

// ChannelKind names a messenger.
type ChannelKind string

const (
	Telegram ChannelKind = "telegram"
	VK       ChannelKind = "vk"
)

// Channel is one connected bot (Telegram) or community (VK). Its token is not here: it lives
// in the OS keyring only (backend/secrets), keyed by the channel's ID.
type Channel struct {
	ID         int64       `db:"id" json:"id"`
	Kind       ChannelKind `db:"kind" json:"kind"`
	Name       string      `db:"name" json:"name"`
	ExternalID string      `db:"external_id" json:"externalId"` // bot id / group id
	Username   string      `db:"username" json:"username"`      // bot username / group screen name
	AvatarURL  string      `db:"avatar_url" json:"avatarUrl"`
	APIURL     string      `db:"api_url" json:"apiUrl"` // custom Bot API server; empty = default
	Enabled    bool        `db:"enabled" json:"enabled"`
	// Cursor is the acknowledged position upstream: Telegram's next offset, VK's ts.
	Cursor    string `db:"cursor" json:"-"`
	CreatedAt int64  `db:"created_at" json:"createdAt"`
}

// ChannelState is the live status of a channel's poller, shown in Settings → Channels.
type ChannelState string

const (
	StateConnected   ChannelState = "connected"
	StatePolling     ChannelState = "polling"
	StateOffline     ChannelState = "offline"      // retrying in RetryIn seconds
	StateRateLimited ChannelState = "rate_limited" // waiting retry_after
	StateRevoked     ChannelState = "revoked"      // token rejected: ask for a new one
	StateConflict    ChannelState = "conflict"     // another program polls this bot, or a webhook is set
	StateStopped     ChannelState = "stopped"
)

// ChannelStatus is what the poller supervisor reports for one channel.
type ChannelStatus struct {
	ChannelID int64        `json:"channelId"`
	State     ChannelState `json:"state"`
	RetryIn   int          `json:"retryIn"`   // seconds, for offline / rate_limited
	LastError string       `json:"lastError"` // a failure code (core.Fail*), worded by the UI
	Webhook   bool         `json:"webhook"`   // a webhook blocks polling; offer deleteWebhook
	At        int64        `json:"at"`
}

// PersonStatus is a client's relation to the company's bots.
type PersonStatus string

const (
	Subscribed   PersonStatus = "subscribed"
	Unsubscribed PersonStatus = "unsubscribed" // blocked the bot / denied messages
)

// Person is one client. A person has one chat per channel identity.
type Person struct {
	ID          int64        `db:"id" json:"id"`
	Name        string       `db:"name" json:"name"`
	Phone       string       `db:"phone" json:"phone"`
	Email       string       `db:"email" json:"email"`
	AvatarURL   string       `db:"avatar_url" json:"avatarUrl"`
	Status      PersonStatus `db:"status" json:"status"`
	Archived    bool         `db:"archived" json:"archived"`
	Blacklisted bool         `db:"blacklisted" json:"blacklisted"`
	CreatedAt   int64        `db:"created_at" json:"createdAt"`
	Plans       []string     `db:"-" json:"plans"` // sales plans the person was added to
	Tags        []string     `db:"-" json:"tags"`
}

// Chat is one person on one channel. ExternalChatID is Telegram's chat id or VK's peer id.
type Chat struct {
	ID             int64       `db:"id" json:"id"`
	PersonID       int64       `db:"person_id" json:"personId"`
	ChannelID      int64       `db:"channel_id" json:"channelId"`
	ChannelKind    ChannelKind `db:"channel_kind" json:"channelKind"`
	ChannelName    string      `db:"channel_name" json:"channelName"`
	ExternalChatID string      `db:"external_chat_id" json:"externalChatId"`
	Username       string      `db:"username" json:"username"`
	TunnelOff      bool        `db:"tunnel_off" json:"tunnelOff"` // "turn off chat": no tunnel messages
	BotOff         bool        `db:"bot_off" json:"botOff"`       // "turn off bot messages": no AI replies
	Unread         int         `db:"unread" json:"unread"`
	LastMessageAt  int64       `db:"last_message_at" json:"lastMessageAt"`
	Preview        string      `db:"preview" json:"preview"`
	HasDraft       bool        `db:"has_draft" json:"hasDraft"`
	// OwnerID is the manager who claimed the chat; 0 = unassigned.
	OwnerID int64 `db:"owner_id" json:"ownerId"`
}

// MessageKind separates what is exchanged with the client from what only managers see.
type MessageKind string

const (
	KindMessage   MessageKind = "message"   // a real message, in or out
	KindIndicator MessageKind = "indicator" // a client action, never sent
	KindNote      MessageKind = "note"      // an internal comment, invisible to the client
)

// SenderKind says who wrote a message; the UI puts client on the left and the rest on the right.
type SenderKind string

const (
	SenderClient  SenderKind = "client"
	SenderBot     SenderKind = "bot"
	SenderAdmin   SenderKind = "admin" // VK group / FB page admin writing from the messenger
	SenderManager SenderKind = "manager"
	SenderSystem  SenderKind = "system" // indicators
)

// MessageStatus is the delivery state of an outgoing message; incoming ones are "received".
type MessageStatus string

const (
	StatusReceived MessageStatus = "received"
	StatusQueued   MessageStatus = "queued"
	StatusSending  MessageStatus = "sending"
	StatusSent     MessageStatus = "sent"
	StatusFailed   MessageStatus = "failed"
)

// AttachmentKind is what a message carries beside text.
type AttachmentKind string

const (
	AttachPhoto    AttachmentKind = "photo"
	AttachVideo    AttachmentKind = "video"
	AttachDocument AttachmentKind = "document"
	AttachAudio    AttachmentKind = "audio"
	AttachVoice    AttachmentKind = "voice"
	AttachSticker  AttachmentKind = "sticker"
	AttachLocation AttachmentKind = "location"
	AttachContact  AttachmentKind = "contact"
	AttachLink     AttachmentKind = "link"
)

// Attachment is one piece of media or structured content. FileID is the messenger's handle
// (Telegram file_id, VK attachment string); LocalPath is set once the bytes are cached.
type Attachment struct {
	Kind      AttachmentKind `json:"kind"`
	FileID    string         `json:"fileId,omitempty"`
	URL       string         `json:"url,omitempty"`
	FileName  string         `json:"fileName,omitempty"`
	MIME      string         `json:"mime,omitempty"`
	Size      int64          `json:"size,omitempty"`
	Width     int            `json:"width,omitempty"`
	Height    int            `json:"height,omitempty"`
	Duration  int            `json:"duration,omitempty"` // seconds
	LocalPath string         `json:"localPath,omitempty"`
	Lat       float64        `json:"lat,omitempty"`
	Lon       float64        `json:"lon,omitempty"`
	Title     string         `json:"title,omitempty"` // link title, contact name, sticker emoji
	Phone     string         `json:"phone,omitempty"` // shared contact
}

// IndicatorType is a client action shown in the history and never sent.
type IndicatorType string

const (
	IndSubscription   IndicatorType = "subscription"
	IndResubscription IndicatorType = "resubscription"
	IndUnsubscription IndicatorType = "unsubscription"
	IndOrder          IndicatorType = "order"
	IndPaymentOK      IndicatorType = "payment_ok"
	IndPaymentFailed  IndicatorType = "payment_failed"
	IndTunnelStart    IndicatorType = "tunnel_start"
	IndTunnelStop     IndicatorType = "tunnel_stop"
	IndTrigger        IndicatorType = "trigger"
	IndFilter         IndicatorType = "filter"
	// IndClientRating is the client's tap on a rating request (Score, Dialogue, Cycle).
	IndClientRating IndicatorType = "client_rating"
)

// Indicator details; which fields are set depends on Type.
type Indicator struct {
	Type   IndicatorType `json:"type"`
	Tunnel string        `json:"tunnel,omitempty"` // sales plan / tunnel
	Source string        `json:"source,omitempty"` // traffic source
	Tool   string        `json:"tool,omitempty"`   // lead-generation tool
	Block  string        `json:"block,omitempty"`  // tunnel block for START/STOP, trigger/filter name
	Offer  string        `json:"offer,omitempty"`
	Amount string        `json:"amount,omitempty"`
	// Reason is a code the UI words (ReasonBlockedBot, ReasonCardDeclined), never a sentence.
	Reason string `json:"reason,omitempty"`
	// Details is data the client came with (a /start code that is not a lead link of ours),
	// shown as it is; never words of ours.
	Details string `json:"details,omitempty"`
	// Score, Dialogue and Cycle describe a client rating: 1..5, the dialogue's id, the cycle's number.
	Score    int   `json:"score,omitempty"`
	Dialogue int64 `json:"dialogue,omitempty"`
	Cycle    int   `json:"cycle,omitempty"`
}

// Reaction is one emoji reaction on a message with how many gave it.
type Reaction struct {
	Emoji string `json:"emoji"`
	Count int    `json:"count"`
}

// Message is one entry of a chat's history: a message, an indicator or an internal note.
type Message struct {
	ID          int64         `db:"id" json:"id"`
	ChatID      int64         `db:"chat_id" json:"chatId"`
	Kind        MessageKind   `db:"kind" json:"kind"`
	ExternalID  string        `db:"external_id" json:"externalId"` // empty until sent
	Sender      SenderKind    `db:"sender" json:"sender"`
	SenderName  string        `db:"sender_name" json:"senderName"`
	ManagerID   int64         `db:"manager_id" json:"managerId"`
	Text        string        `db:"text" json:"text"`
	Attachments []Attachment  `db:"-" json:"attachments"`
	Indicator   *Indicator    `db:"-" json:"indicator,omitempty"`
	Mentions    []int64       `db:"-" json:"mentions,omitempty"` // managers tagged in a note
	Reactions   []Reaction    `db:"-" json:"reactions,omitempty"`
	ReplyToID   int64         `db:"reply_to_id" json:"replyToId"`
	ReplyTo     *Quote        `db:"-" json:"replyTo,omitempty"`
	Status      MessageStatus `db:"status" json:"status"`
	Error       string        `db:"error" json:"error"`
	Edited      bool          `db:"edited" json:"edited"`
	Deleted     bool          `db:"deleted" json:"deleted"`
	CreatedAt   int64         `db:"created_at" json:"createdAt"`
	EditedAt    int64         `db:"edited_at" json:"editedAt"`
}

// Quote is the short form of a replied-to message shown above a reply.
type Quote struct {
	ID         int64      `json:"id"`
	Sender     SenderKind `json:"sender"`
	SenderName string     `json:"senderName"`
	Text       string     `json:"text"`
}

// Manager is a user of Switchboard (solo mode has exactly one: me).
type Manager struct {
	ID        int64  `db:"id" json:"id"`
	Name      string `db:"name" json:"name"`
	AvatarURL string `db:"avatar_url" json:"avatarUrl"`
	IsMe      bool   `db:"is_me" json:"isMe"`
}

// Task is a to-do on a person for a manager; due today or overdue puts the person in Important.
type Task struct {
	ID         int64  `db:"id" json:"id"`
	PersonID   int64  `db:"person_id" json:"personId"`
	AssigneeID int64  `db:"assignee_id" json:"assigneeId"`
	Title      string `db:"title" json:"title"`
	DueAt      int64  `db:"due_at" json:"dueAt"`
	Done       bool   `db:"done" json:"done"`
	DoneAt     int64  `db:"done_at" json:"doneAt"` // when it was completed; 0 while open
}

// DueTask is a task whose due time has come, with what its notification names and opens.
type DueTask struct {
	Task
	PersonName string `db:"person_name" json:"personName"`
	ChatID     int64  `db:"chat_id" json:"chatId"` // the person's most recent chat; 0 if none
}

// Template is a variable of the "chat template" type: a named text inserted into the composer.
type Template struct {
	ID    int64  `db:"id" json:"id"`
	Name  string `db:"name" json:"name"`
	Value string `db:"value" json:"value"`
}

// Draft is the unsent text (and unfinished constructor message, as JSON) of a chat.
type Draft struct {
	ChatID      int64  `db:"chat_id" json:"chatId"`
	Text        string `db:"text" json:"text"`
	Constructor string `db:"constructor" json:"constructor"`
	ReplyToID   int64  `db:"reply_to_id" json:"replyToId"`
	UpdatedAt   int64  `db:"updated_at" json:"updatedAt"`
}

// OutboxAction is what an outbox row asks the messenger to do.
type OutboxAction string

const (
	ActionSend   OutboxAction = "send"
	ActionEdit   OutboxAction = "edit"
	ActionDelete OutboxAction = "delete"
)

// OutboxItem is one outgoing action waiting for, or done by, the outbox worker.
type OutboxItem struct {
	ID          int64        `db:"id" json:"id"`
	ChatID      int64        `db:"chat_id" json:"chatId"`
	MessageID   int64        `db:"message_id" json:"messageId"`
	Action      OutboxAction `db:"action" json:"action"`
	Payload     string       `db:"payload" json:"payload"` // JSON: new text for edit, etc.
	Attempts    int          `db:"attempts" json:"attempts"`
	NextAttempt int64        `db:"next_attempt_at" json:"nextAttemptAt"`
	LastError   string       `db:"last_error" json:"lastError"`
	Done        bool         `db:"done" json:"done"`
	CreatedAt   int64        `db:"created_at" json:"createdAt"`
}

// SalesPlan is a tunnel a person can be added to.
type SalesPlan struct {
	ID   int64  `db:"id" json:"id"`
	Name string `db:"name" json:"name"`
}

// LeadLink is a named deep link; a subscription through it records its names.
type LeadLink struct {
	ID        int64  `db:"id" json:"id"`
	ChannelID int64  `db:"channel_id" json:"channelId"`
	Code      string `db:"code" json:"code"`
	Plan      string `db:"plan" json:"plan"`
	Source    string `db:"source" json:"source"`
	Tool      string `db:"tool" json:"tool"`
}

// Dialogue is a support request worked on in a chat (dialogue.go). Status and the ratings are
// those of its current cycle; Cycles holds every cycle, oldest first.
type Dialogue struct {
	ID            int64  `db:"id" json:"id"`
	ChatID        int64  `db:"chat_id" json:"chatId"`
	Type          string `db:"type" json:"type"`
	Status        string `db:"status" json:"status"` // open, in_progress, waiting, closed
	ClientRating  int    `db:"client_rating" json:"clientRating"`
	ManagerRating int    `db:"manager_rating" json:"managerRating"`
	CreatedAt     int64  `db:"created_at" json:"createdAt"`
	ClosedAt      int64  `db:"closed_at" json:"closedAt"`

	Reasons    []string        `db:"-" json:"reasons"`
	Components []string        `db:"-" json:"components"`
	Managers   []int64         `db:"-" json:"managers"`
	Cycles     []DialogueCycle `db:"-" json:"cycles"`
}

// SavedFilter is a named ListFilter.
type SavedFilter struct {
	ID     int64      `db:"id" json:"id"`
	Name   string     `db:"name" json:"name"`
	Filter ListFilter `db:"-" json:"filter"`
}

// LogEntry is one system event of a person ("Logs" in the client card): a kind and its
// parameters (logs.go), worded by the UI.
type LogEntry struct {
	ID       int64     `json:"id"`
	PersonID int64     `json:"personId"`
	Kind     LogKind   `json:"kind"`
	Params   LogParams `json:"params"`
	At       int64     `json:"at"`
}

// Event is one entry of the append-only event log: every committed change appends one, and the
// UI bridge and the hub feed follow the log by Seq.
type Event struct {
	Seq       int64  `db:"seq" json:"seq"`
	Kind      string `db:"kind" json:"kind"`
	PersonID  int64  `db:"person_id" json:"personId"`
	ChatID    int64  `db:"chat_id" json:"chatId"`
	MessageID int64  `db:"message_id" json:"messageId"`
	// ManagerID addresses an event to one manager (note.mention: who was mentioned); 0 = everyone.
	ManagerID int64 `db:"manager_id" json:"managerId,omitempty"`
	At        int64 `db:"at" json:"at"`
}

// Event kinds.
const (
	EventMessageNew     = "message.new"
	EventMessageChanged = "message.changed" // edited, deleted, status, reactions
	EventChatChanged    = "chat.changed"    // read, switches, draft
	EventPersonChanged  = "person.changed"
	EventOutboxChanged  = "outbox.changed"
	EventNoteMention    = "note.mention"
	EventTaskChanged    = "task.changed"     // created, edited, completed, reopened, deleted
	EventDialogue       = "dialogue.changed" // created, edited, closed, reopened, rated
	// EventDraftChanged is a manager's draft of a chat changing at the hub, addressed to that
	// manager (ManagerID): it reaches only their own desktops.
	EventDraftChanged = "draft.changed"
)
