package core

// Types shared by the store and the channel engine. They live in core because the channel
// package may import only core, yet its small store interfaces must be satisfied by *store.Store.

// ApplyResult says what one committed batch changed.
type ApplyResult struct {
	Messages   int     `json:"messages"`   // new messages stored
	Duplicates int     `json:"duplicates"` // updates already stored before (a re-applied batch)
	Edits      int     `json:"edits"`
	Reactions  int     `json:"reactions"`
	Indicators int     `json:"indicators"`
	NewPeople  int     `json:"newPeople"`
	Skipped    int     `json:"skipped"`   // updates no store could hold (no chat id, unknown kind)
	ChatIDs    []int64 `json:"chatIds"`   // chats touched by the batch
	PersonIDs  []int64 `json:"personIds"` // people touched by the batch
	// NewClientMessages are ids of new incoming client messages, for notifications.
	NewClientMessages []int64 `json:"newClientMessages"`
}

// Plus is r and o together: what two batches stored, as one result.
func (r ApplyResult) Plus(o ApplyResult) ApplyResult {
	r.Messages += o.Messages
	r.Duplicates += o.Duplicates
	r.Edits += o.Edits
	r.Reactions += o.Reactions
	r.Indicators += o.Indicators
	r.NewPeople += o.NewPeople
	r.Skipped += o.Skipped
	r.ChatIDs = append(r.ChatIDs, o.ChatIDs...)
	r.PersonIDs = append(r.PersonIDs, o.PersonIDs...)
	r.NewClientMessages = append(r.NewClientMessages, o.NewClientMessages...)
	return r
}

// OutboxJob is one due outbox row with everything the worker needs to deliver it.
type OutboxJob struct {
	Item        OutboxItem  `json:"item"`
	ChannelID   int64       `json:"channelId"`
	ChannelKind ChannelKind `json:"channelKind"`
	Out         Outgoing    `json:"out"`
}

// AttachmentRef locates one attachment of a stored message for a lazy download.
type AttachmentRef struct {
	MessageID  int64      `json:"messageId"`
	Index      int        `json:"index"`
	ChannelID  int64      `json:"channelId"`
	Attachment Attachment `json:"attachment"`
}
