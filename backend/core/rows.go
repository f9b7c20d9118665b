package core

// Team mode replicates rows, not use cases: the hub sends the current state of every row an
// event refers to, and a desktop writes it as it is (ids included), so applying twice or out of
// step with nothing lost converges on the hub's state. These are those rows, column for column:
// JSON columns stay encoded and the list columns (unread, last_message_at, …) come with them,
// so a replica recomputes nothing.

// PersonRow is a people row.
type PersonRow struct {
	ID            int64  `db:"id" json:"id"`
	Name          string `db:"name" json:"name"`
	Phone         string `db:"phone" json:"phone"`
	Email         string `db:"email" json:"email"`
	AvatarURL     string `db:"avatar_url" json:"avatarUrl"`
	Status        string `db:"status" json:"status"`
	Archived      bool   `db:"archived" json:"archived"`
	Blacklisted   bool   `db:"blacklisted" json:"blacklisted"`
	Source        string `db:"source" json:"source"`
	Tool          string `db:"tool" json:"tool"`
	CreatedAt     int64  `db:"created_at" json:"createdAt"`
	LastChatID    int64  `db:"last_chat_id" json:"lastChatId"`
	LastMessageAt int64  `db:"last_message_at" json:"lastMessageAt"`
	Unread        int64  `db:"unread" json:"unread"`
	FirstUnreadAt int64  `db:"first_unread_at" json:"firstUnreadAt"`
	HasDraft      bool   `db:"has_draft" json:"hasDraft"`
	Kinds         int64  `db:"kinds" json:"kinds"`
}

// ChatRow is a chats row. A chat's drafts do not travel with it: each is one manager's own
// (RowSet.Drafts).
type ChatRow struct {
	ID                int64  `db:"id" json:"id"`
	PersonID          int64  `db:"person_id" json:"personId"`
	ChannelID         int64  `db:"channel_id" json:"channelId"`
	ExternalChatID    string `db:"external_chat_id" json:"externalChatId"`
	Username          string `db:"username" json:"username"`
	TunnelOff         bool   `db:"tunnel_off" json:"tunnelOff"`
	BotOff            bool   `db:"bot_off" json:"botOff"`
	Unread            int64  `db:"unread" json:"unread"`
	FirstUnreadAt     int64  `db:"first_unread_at" json:"firstUnreadAt"`
	LastMessageAt     int64  `db:"last_message_at" json:"lastMessageAt"`
	LastReadMessageID int64  `db:"last_read_message_id" json:"lastReadMessageId"`
	CreatedAt         int64  `db:"created_at" json:"createdAt"`
	OwnerID           int64  `db:"owner_id" json:"ownerId"` // the manager who claimed it, 0 = unassigned
}

// MessageRow is a messages row. MutationKey is the Idempotency-Key of the desktop write that
// made it ("" for everything else), so the desktop that queued it can replace its local copy.
type MessageRow struct {
	ID          int64  `db:"id" json:"id"`
	ChatID      int64  `db:"chat_id" json:"chatId"`
	Kind        string `db:"kind" json:"kind"`
	ExternalID  string `db:"external_id" json:"externalId"`
	Sender      string `db:"sender" json:"sender"`
	SenderName  string `db:"sender_name" json:"senderName"`
	ManagerID   int64  `db:"manager_id" json:"managerId"`
	Text        string `db:"text" json:"text"`
	Attachments string `db:"attachments" json:"attachments"`
	Indicator   string `db:"indicator" json:"indicator"`
	Mentions    string `db:"mentions" json:"mentions"`
	Reactions   string `db:"reactions" json:"reactions"`
	ReplyToID   int64  `db:"reply_to_id" json:"replyToId"`
	Status      string `db:"status" json:"status"`
	Error       string `db:"error" json:"error"`
	Edited      bool   `db:"edited" json:"edited"`
	Deleted     bool   `db:"deleted" json:"deleted"`
	CreatedAt   int64  `db:"created_at" json:"createdAt"`
	EditedAt    int64  `db:"edited_at" json:"editedAt"`
	MutationKey string `db:"mutation_key" json:"mutationKey,omitempty"`
}

// RowSet is the state of a set of rows: what a feed message or a snapshot page carries. Gone
// lists rows an event referred to that no longer exist: deletes win.
type RowSet struct {
	Managers []Manager    `json:"managers,omitempty"`
	Channels []Channel    `json:"channels,omitempty"`
	People   []PersonRow  `json:"people,omitempty"`
	Chats    []ChatRow    `json:"chats,omitempty"`
	Messages []MessageRow `json:"messages,omitempty"`
	// Tasks are all the tasks of every person in People: a task of theirs not listed is gone.
	Tasks []Task `json:"tasks,omitempty"`
	// Logs are entries of people in People, append-only: new ones for a feed message (logged
	// since its events began), each person's newest for a snapshot page.
	Logs []LogEntry `json:"logs,omitempty"`
	// Drafts are the receiving manager's own drafts, never another manager's: an empty text and
	// constructor is a cleared draft, UpdatedAt when it was written (the newest wins).
	Drafts []Draft `json:"drafts,omitempty"`
	// Dialogues are all the dialogues (with managers and cycles) of every chat in Chats: a
	// dialogue of theirs not listed is gone.
	Dialogues []Dialogue `json:"dialogues,omitempty"`
	// Settings, when set, are the whole of the company's shared settings (settings.go).
	Settings *CompanySettings `json:"settings,omitempty"`
	Gone     GoneRows         `json:"gone"`
}

// GoneRows are ids of deleted rows.
type GoneRows struct {
	People   []int64 `json:"people,omitempty"`
	Chats    []int64 `json:"chats,omitempty"`
	Messages []int64 `json:"messages,omitempty"`
}

// Empty says whether the set changes nothing.
func (r RowSet) Empty() bool {
	return len(r.Managers)+len(r.Channels)+len(r.People)+len(r.Chats)+len(r.Messages)+len(r.Tasks)+len(r.Logs)+len(r.Drafts)+
		len(r.Dialogues)+len(r.Gone.People)+len(r.Gone.Chats)+len(r.Gone.Messages) == 0 && r.Settings == nil
}

// LastByID keeps one row per id, the last one given, in the order ids first appear: the last
// state of a row is the one that holds (and PostgreSQL refuses an upsert that touches a row twice).
func LastByID[T any](rows []T, id func(T) int64) []T {
	at := make(map[int64]int, len(rows))
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		if i, ok := at[id(r)]; ok {
			out[i] = r
			continue
		}
		at[id(r)] = len(out)
		out = append(out, r)
	}
	return out
}
