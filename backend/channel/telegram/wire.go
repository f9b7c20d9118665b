package telegram

import "encoding/json"

// Wire types: the subset of the Bot API objects Switchboard reads, with the API's field names.

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  *struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

type user struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Username     string `json:"username"`
	LanguageCode string `json:"language_code"`
}

type chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"` // private, group, supergroup, channel
	Title     string `json:"title"`
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

type photoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int64  `json:"file_size"`
}

// media covers video, document, audio, voice, animation and video_note: they share these.
type media struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	Length       int    `json:"length"` // video_note diameter
	Duration     int    `json:"duration"`
	FileName     string `json:"file_name"`
	MimeType     string `json:"mime_type"`
	FileSize     int64  `json:"file_size"`
	Performer    string `json:"performer"`
	Title        string `json:"title"`
}

type sticker struct {
	FileID     string `json:"file_id"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Emoji      string `json:"emoji"`
	SetName    string `json:"set_name"`
	IsAnimated bool   `json:"is_animated"`
	IsVideo    bool   `json:"is_video"`
	FileSize   int64  `json:"file_size"`
}

type location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type venue struct {
	Location location `json:"location"`
	Title    string   `json:"title"`
	Address  string   `json:"address"`
}

type contact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	UserID      int64  `json:"user_id"`
}

type message struct {
	MessageID      int64        `json:"message_id"`
	From           *user        `json:"from"`
	Chat           chat         `json:"chat"`
	Date           int64        `json:"date"`
	EditDate       int64        `json:"edit_date"`
	Text           string       `json:"text"`
	Caption        string       `json:"caption"`
	Photo          []photoSize  `json:"photo"`
	Video          *media       `json:"video"`
	VideoNote      *media       `json:"video_note"`
	Animation      *media       `json:"animation"`
	Document       *media       `json:"document"`
	Audio          *media       `json:"audio"`
	Voice          *media       `json:"voice"`
	Sticker        *sticker     `json:"sticker"`
	Location       *location    `json:"location"`
	Venue          *venue       `json:"venue"`
	Contact        *contact     `json:"contact"`
	ReplyToMessage *replyTarget `json:"reply_to_message"`
}

// replyTarget is reply_to_message: only its id matters (decoding the whole nested message
// would let a hostile payload nest deeply for nothing).
type replyTarget struct {
	MessageID int64 `json:"message_id"`
	Chat      chat  `json:"chat"`
}

type chatMember struct {
	Status string `json:"status"` // creator, administrator, member, restricted, left, kicked
	User   user   `json:"user"`
}

type chatMemberUpdated struct {
	Chat          chat       `json:"chat"`
	From          user       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember chatMember `json:"old_chat_member"`
	NewChatMember chatMember `json:"new_chat_member"`
}

type reactionType struct {
	Type          string `json:"type"` // emoji, custom_emoji, paid
	Emoji         string `json:"emoji"`
	CustomEmojiID string `json:"custom_emoji_id"`
}

type messageReactionUpdated struct {
	Chat        chat           `json:"chat"`
	MessageID   int64          `json:"message_id"`
	User        *user          `json:"user"`
	ActorChat   *chat          `json:"actor_chat"`
	Date        int64          `json:"date"`
	OldReaction []reactionType `json:"old_reaction"`
	NewReaction []reactionType `json:"new_reaction"`
}

type reactionCount struct {
	Type       reactionType `json:"type"`
	TotalCount int          `json:"total_count"`
}

type messageReactionCountUpdated struct {
	Chat      chat            `json:"chat"`
	MessageID int64           `json:"message_id"`
	Date      int64           `json:"date"`
	Reactions []reactionCount `json:"reactions"`
}

// callbackQuery is a tap on an inline keyboard button. Message is the message that carried the
// keyboard (absent when it is too old for Telegram to include, or was sent in inline mode).
type callbackQuery struct {
	ID           string       `json:"id"`
	From         user         `json:"from"`
	Message      *replyTarget `json:"message"`
	ChatInstance string       `json:"chat_instance"`
	Data         string       `json:"data"`
}

// replyTarget doubles as the tapped message: only its id and chat matter.

type update struct {
	UpdateID             int64                        `json:"update_id"`
	CallbackQuery        *callbackQuery               `json:"callback_query"`
	Message              *message                     `json:"message"`
	EditedMessage        *message                     `json:"edited_message"`
	MyChatMember         *chatMemberUpdated           `json:"my_chat_member"`
	MessageReaction      *messageReactionUpdated      `json:"message_reaction"`
	MessageReactionCount *messageReactionCountUpdated `json:"message_reaction_count"`
}

type webhookInfo struct {
	URL                string `json:"url"`
	PendingUpdateCount int    `json:"pending_update_count"`
	LastErrorMessage   string `json:"last_error_message"`
}

type file struct {
	FileID   string `json:"file_id"`
	FileSize int64  `json:"file_size"`
	FilePath string `json:"file_path"`
}
