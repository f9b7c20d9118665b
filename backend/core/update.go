package core

// Inbound updates, normalised from any messenger. A poller turns one upstream batch into a
// []Update and the store applies the batch in one transaction; every Update is idempotent on
// (channel, ExternalChatID, ExternalID) so re-applying a batch after a crash changes nothing.

// UpdateKind says what happened upstream.
type UpdateKind string

const (
	UpdMessage  UpdateKind = "message"  // a new message (from the client, or from an admin/bot in the messenger)
	UpdEdit     UpdateKind = "edit"     // an existing message's new text/attachments
	UpdReaction UpdateKind = "reaction" // the reactions on a message changed
	UpdBlocked  UpdateKind = "blocked"  // the client blocked the bot / denied messages
	UpdAllowed  UpdateKind = "allowed"  // the client unblocked the bot / allowed messages
	UpdTyping   UpdateKind = "typing"   // the client is typing (VK); not stored
	UpdTap      UpdateKind = "tap"      // the client tapped a rating button (Telegram callback query)
)

// Sender identifies the client an update is about, as the messenger knows them.
type Sender struct {
	ExternalUserID string `json:"externalUserId"`
	Name           string `json:"name"`
	Username       string `json:"username"`
	Phone          string `json:"phone"` // set when the client shared their own contact
}

// Update is one normalised inbound event on one channel.
type Update struct {
	Kind           UpdateKind   `json:"kind"`
	ExternalChatID string       `json:"externalChatId"`
	ExternalID     string       `json:"externalId"` // message id within the chat
	From           Sender       `json:"from"`
	Sender         SenderKind   `json:"sender"` // client, or admin/bot for messages written in the messenger
	Text           string       `json:"text"`
	Attachments    []Attachment `json:"attachments,omitempty"`
	ReplyToExtID   string       `json:"replyToExternalId,omitempty"`
	Reactions      []Reaction   `json:"reactions,omitempty"` // UpdReaction: the full new set
	// StartPayload is Telegram's /start PAYLOAD or VK's ref; it marks a subscription.
	StartPayload string `json:"startPayload,omitempty"`
	RefSource    string `json:"refSource,omitempty"` // VK ref_source
	// Tap is a rating button's data: on UpdTap (Telegram), or on the UpdMessage a VK keyboard
	// button sends. Claimed by the client, checked by the store.
	Tap *RatingTap `json:"tap,omitempty"`
	// TapID is the Telegram callback query to answer once the batch is stored.
	TapID string `json:"tapId,omitempty"`
	At    int64  `json:"at"` // unix ms
}

// Batch is what one poll returned: updates plus the cursor to acknowledge once they are stored.
type Batch struct {
	ChannelID int64    `json:"channelId"`
	Updates   []Update `json:"updates"`
	Cursor    string   `json:"cursor"`
}

// Outgoing is one action the outbox worker asks a connector to perform.
type Outgoing struct {
	Action         OutboxAction `json:"action"`
	OutboxID       int64        `json:"outboxId"` // stable across retries: VK random_id derives from it
	ExternalChatID string       `json:"externalChatId"`
	ExternalID     string       `json:"externalId"` // the message to edit/delete
	Text           string       `json:"text"`
	Attachments    []Attachment `json:"attachments,omitempty"` // LocalPath set for uploads
	ReplyToExtID   string       `json:"replyToExternalId,omitempty"`
	// RatingCycle, when set, makes a send a rating request: buttons 1..5 whose data names this
	// dialogue cycle (Telegram inline keyboard, VK inline keyboard with payloads).
	RatingCycle int64 `json:"ratingCycle,omitempty"`
}

// Sent is what a connector returns for a delivered send.
type Sent struct {
	ExternalID string `json:"externalId"`
	At         int64  `json:"at"`
}

// BotInfo is what a token check returns: shown before the channel is saved.
type BotInfo struct {
	ExternalID string `json:"externalId"`
	Name       string `json:"name"`
	Username   string `json:"username"`
	AvatarURL  string `json:"avatarUrl"`
	Webhook    bool   `json:"webhook"` // Telegram: a webhook is set and blocks getUpdates
}
