package vk

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Wire types: the subset of VK API objects Switchboard reads (API 5.199), with VK's names.

type apiError struct {
	ErrorCode int    `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
}

type apiEnvelope struct {
	Response json.RawMessage `json:"response"`
	Error    *apiError       `json:"error"`
}

// flexString reads a JSON string or number as text: long-poll ts is a string normally but a
// number inside failed answers.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

type longPollServer struct {
	Key    string     `json:"key"`
	Server string     `json:"server"`
	TS     flexString `json:"ts"`
}

type longPollResponse struct {
	TS      flexString      `json:"ts"`
	Failed  int             `json:"failed"`
	Updates []longPollEvent `json:"updates"`
}

type longPollEvent struct {
	Type    string          `json:"type"`
	Object  json.RawMessage `json:"object"`
	GroupID int64           `json:"group_id"`
	EventID string          `json:"event_id"`
}

type messageNew struct {
	Message    *message        `json:"message"`
	ClientInfo json.RawMessage `json:"client_info"`
}

type replyMessage struct {
	ID                    int64 `json:"id"`
	ConversationMessageID int64 `json:"conversation_message_id"`
}

type message struct {
	ID                    int64         `json:"id"`
	Date                  int64         `json:"date"`
	UpdateTime            int64         `json:"update_time"`
	PeerID                int64         `json:"peer_id"`
	FromID                int64         `json:"from_id"`
	Out                   int           `json:"out"`
	Text                  string        `json:"text"`
	ConversationMessageID int64         `json:"conversation_message_id"`
	Attachments           []attachment  `json:"attachments"`
	Geo                   *geo          `json:"geo"`
	ReplyMessage          *replyMessage `json:"reply_message"`
	Ref                   string        `json:"ref"`
	RefSource             string        `json:"ref_source"`
	AdminAuthorID         int64         `json:"admin_author_id"`
	RandomID              int64         `json:"random_id"`
	// Payload is the payload of the keyboard button whose tap sent this message (a JSON string).
	Payload string `json:"payload"`
}

type geo struct {
	Type        string `json:"type"`
	Coordinates struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	} `json:"coordinates"`
	Place *struct {
		Title string `json:"title"`
	} `json:"place"`
}

type photoSize struct {
	Type   string `json:"type"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type photo struct {
	ID        int64       `json:"id"`
	OwnerID   int64       `json:"owner_id"`
	AccessKey string      `json:"access_key"`
	Sizes     []photoSize `json:"sizes"`
	Text      string      `json:"text"`
}

type video struct {
	ID        int64  `json:"id"`
	OwnerID   int64  `json:"owner_id"`
	AccessKey string `json:"access_key"`
	Title     string `json:"title"`
	Duration  int    `json:"duration"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
}

type doc struct {
	ID        int64  `json:"id"`
	OwnerID   int64  `json:"owner_id"`
	AccessKey string `json:"access_key"`
	Title     string `json:"title"`
	Size      int64  `json:"size"`
	Ext       string `json:"ext"`
	URL       string `json:"url"`
}

type audio struct {
	ID        int64  `json:"id"`
	OwnerID   int64  `json:"owner_id"`
	AccessKey string `json:"access_key"`
	Artist    string `json:"artist"`
	Title     string `json:"title"`
	Duration  int    `json:"duration"`
	URL       string `json:"url"`
}

type audioMessage struct {
	ID        int64  `json:"id"`
	OwnerID   int64  `json:"owner_id"`
	AccessKey string `json:"access_key"`
	Duration  int    `json:"duration"`
	LinkOgg   string `json:"link_ogg"`
	LinkMp3   string `json:"link_mp3"`
}

type stickerImage struct {
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

type sticker struct {
	ProductID            int64          `json:"product_id"`
	StickerID            int64          `json:"sticker_id"`
	Images               []stickerImage `json:"images"`
	ImagesWithBackground []stickerImage `json:"images_with_background"`
}

type link struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Caption string `json:"caption"`
}

type graffiti struct {
	ID      int64  `json:"id"`
	OwnerID int64  `json:"owner_id"`
	URL     string `json:"url"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
}

type attachment struct {
	Type         string        `json:"type"`
	Photo        *photo        `json:"photo"`
	Video        *video        `json:"video"`
	Doc          *doc          `json:"doc"`
	Audio        *audio        `json:"audio"`
	AudioMessage *audioMessage `json:"audio_message"`
	Sticker      *sticker      `json:"sticker"`
	Link         *link         `json:"link"`
	Graffiti     *graffiti     `json:"graffiti"`
}

type userEvent struct {
	UserID int64  `json:"user_id"`
	Key    string `json:"key"`
}

type typingEvent struct {
	State  string `json:"state"`
	FromID int64  `json:"from_id"`
	ToID   int64  `json:"to_id"`
}

type group struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ScreenName string `json:"screen_name"`
	Photo200   string `json:"photo_200"`
}

type vkUser struct {
	ID         int64  `json:"id"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	ScreenName string `json:"screen_name"`
}

// attachmentID is VK's "<type><owner>_<id>[_<access_key>]" handle.
func attachmentID(kind string, owner, id int64, accessKey string) string {
	s := kind + strconv.FormatInt(owner, 10) + "_" + strconv.FormatInt(id, 10)
	if accessKey != "" {
		s += "_" + accessKey
	}
	return s
}

// isAttachmentID says whether s looks like a VK attachment handle we may pass back to VK.
func isAttachmentID(s string) bool {
	for _, p := range []string{"photo", "doc", "video", "audio", "wall", "market"} {
		if rest, ok := strings.CutPrefix(s, p); ok && len(rest) > 2 && (rest[0] == '-' || rest[0] >= '0' && rest[0] <= '9') && strings.Contains(rest, "_") {
			return true
		}
	}
	return false
}
