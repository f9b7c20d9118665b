package core

// Tab is one of the people list's tabs.
type Tab string

const (
	TabImportant Tab = "important" // my tasks due today or overdue
	TabAll       Tab = "all"
	TabUnread    Tab = "unread" // chats with unread client messages
)

// ListFilter narrows the people list. Empty fields do not filter.
type ListFilter struct {
	Channels        []ChannelKind  `json:"channels,omitempty"` // messenger
	HasPhone        *bool          `json:"hasPhone,omitempty"`
	HasEmail        *bool          `json:"hasEmail,omitempty"`
	Tags            []string       `json:"tags,omitempty"`
	Plans           []string       `json:"plans,omitempty"`   // sales plan / tunnel
	Tools           []string       `json:"tools,omitempty"`   // lead-generation tool
	Sources         []string       `json:"sources,omitempty"` // traffic source
	Statuses        []PersonStatus `json:"statuses,omitempty"`
	ActiveDialogues bool           `json:"activeDialogues,omitempty"`
	Owner           OwnerFilter    `json:"owner,omitempty"`       // whose chats: mine, unassigned; "" = anyone's
	Archived        bool           `json:"archived,omitempty"`    // show the archive instead
	Blacklisted     bool           `json:"blacklisted,omitempty"` // show the blacklist instead
}

// OwnerFilter narrows the list by who claimed the person's chats.
type OwnerFilter string

const (
	OwnerAny        OwnerFilter = ""
	OwnerMine       OwnerFilter = "mine"       // a chat of theirs is claimed by me
	OwnerUnassigned OwnerFilter = "unassigned" // no chat of theirs is claimed
)

// ListQuery asks for one page of the people list.
type ListQuery struct {
	Tab    Tab        `json:"tab"`
	Search string     `json:"search"` // name, phone or email
	Filter ListFilter `json:"filter"`
	// OldestFirst sorts the Unread tab by the oldest unread message first (the seed's toggle).
	OldestFirst bool `json:"oldestFirst"`
	// Cursor is the opaque position after the last row of the previous page; empty = first page.
	Cursor string `json:"cursor"`
	Limit  int    `json:"limit"`
}

// ListRow is one person in the people list, shown through their most recent chat.
type ListRow struct {
	PersonID      int64         `db:"person_id" json:"personId"`
	ChatID        int64         `db:"chat_id" json:"chatId"` // most recent chat
	Name          string        `db:"name" json:"name"`
	AvatarURL     string        `db:"avatar_url" json:"avatarUrl"`
	Status        PersonStatus  `db:"status" json:"status"`
	Channels      []ChannelKind `db:"-" json:"channels"` // every messenger the person is on
	ChannelKind   ChannelKind   `db:"channel_kind" json:"channelKind"`
	Preview       string        `db:"preview" json:"preview"`
	LastMessageAt int64         `db:"last_message_at" json:"lastMessageAt"`
	Unread        int           `db:"unread" json:"unread"`
	HasDraft      bool          `db:"has_draft" json:"hasDraft"`
}

// ListPage is one page of rows; NextCursor is empty on the last page.
type ListPage struct {
	Rows       []ListRow `json:"rows"`
	NextCursor string    `json:"nextCursor"`
}

// TabCounts feeds the tab badges.
type TabCounts struct {
	Important int `json:"important"`
	All       int `json:"all"`
	Unread    int `json:"unread"`
	// ImportantCapped, AllCapped and UnreadCapped say the count is a lower bound: counting
	// stopped at CountCap people, or after examining as many as a count may (the UI shows
	// "1,000+"). Counts the store keeps exactly (no search, at most one plan or tag) never stop.
	ImportantCapped bool `json:"importantCapped,omitempty"`
	AllCapped       bool `json:"allCapped,omitempty"`
	UnreadCapped    bool `json:"unreadCapped,omitempty"`
}

// CountCap is where a tab count that has to walk people (Important, and All/Unread under a
// search, the active-dialogue filter, several plans or tags) stops: past it a manager needs to
// know "many", not how many, and counting on would cost time linear in the number of people.
const CountCap = 1000

// HistoryFilter narrows a chat's history (the message filter button).
type HistoryFilter struct {
	Senders        []SenderKind `json:"senders,omitempty"`
	IndicatorsOnly bool         `json:"indicatorsOnly,omitempty"`
	Attachments    bool         `json:"attachments,omitempty"`
	Words          string       `json:"words,omitempty"` // full-text within this chat
}

// HistoryQuery asks for one page of a chat's history, newest first from Before.
type HistoryQuery struct {
	ChatID int64         `json:"chatId"`
	Filter HistoryFilter `json:"filter"`
	// Before is the message id to page back from; 0 = the newest page.
	Before int64 `json:"before"`
	Limit  int   `json:"limit"`
}

// HistoryPage holds messages oldest-first for display; HasMore says older ones exist.
type HistoryPage struct {
	Messages []Message `json:"messages"`
	HasMore  bool      `json:"hasMore"`
}

// ClientCard is the quick client card of the right pane.
type ClientCard struct {
	Person Person     `json:"person"`
	Chats  []Chat     `json:"chats"`
	Tasks  []Task     `json:"tasks"`
	Logs   []LogEntry `json:"logs"`
}

// DefaultPageSize is the page size when a query does not say.
const DefaultPageSize = 50

// MaxPageSize bounds any page a caller asks for.
const MaxPageSize = 200

// ClampLimit returns a usable page size for a requested one.
func ClampLimit(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	if n > MaxPageSize {
		return MaxPageSize
	}
	return n
}
