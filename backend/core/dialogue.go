package core

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Dialogue statuses. A closed dialogue may be reopened: that starts a new cycle.
const (
	DialogueOpen       = "open"
	DialogueInProgress = "in_progress"
	DialogueWaiting    = "waiting" // waiting for the client
	DialogueClosed     = "closed"
)

// DialogueStatuses lists the statuses in the order the UI offers them.
var DialogueStatuses = []string{DialogueOpen, DialogueInProgress, DialogueWaiting, DialogueClosed}

// ValidDialogueStatus reports whether s is one of DialogueStatuses.
func ValidDialogueStatus(s string) bool {
	for _, v := range DialogueStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// The kinds of entries in the admin's dialogue lists (Settings → Dialogues).
const (
	OptionType      = "type"
	OptionReason    = "reason"
	OptionComponent = "component"
)

// ValidOptionKind reports whether k is a kind of dialogue list.
func ValidOptionKind(k string) bool {
	return k == OptionType || k == OptionReason || k == OptionComponent
}

// DialogueOption is one entry of an admin-edited list: a dialogue type, reason or component.
type DialogueOption struct {
	ID       int64  `db:"id" json:"id"`
	Kind     string `db:"kind" json:"kind"`
	Name     string `db:"name" json:"name"`
	Position int    `db:"position" json:"position"`
}

// DialogueCycle is one open..close span of a dialogue; reopening starts the next. The report
// measures cycles, so a reopened dialogue counts its resolution time and ratings per cycle.
type DialogueCycle struct {
	ID                int64 `db:"id" json:"id"`
	DialogueID        int64 `db:"dialogue_id" json:"dialogueId"`
	Number            int   `db:"number" json:"number"`
	OpenedAt          int64 `db:"opened_at" json:"openedAt"`
	OpenedBy          int64 `db:"opened_by" json:"openedBy"`
	ClosedAt          int64 `db:"closed_at" json:"closedAt"`
	ClosedBy          int64 `db:"closed_by" json:"closedBy"`
	RatingRequestedAt int64 `db:"rating_requested_at" json:"ratingRequestedAt"`
	RatingMessageID   int64 `db:"rating_message_id" json:"ratingMessageId"`
	ClientRating      int   `db:"client_rating" json:"clientRating"`
	ClientRatedAt     int64 `db:"client_rated_at" json:"clientRatedAt"`
	ManagerRating     int   `db:"manager_rating" json:"managerRating"`
	ManagerRatedAt    int64 `db:"manager_rated_at" json:"managerRatedAt"`
}

// DialogueInput is what a manager fills in when creating or editing a dialogue.
type DialogueInput struct {
	Type       string   `json:"type"`
	Reasons    []string `json:"reasons"`
	Components []string `json:"components"`
	Status     string   `json:"status"`   // on create: open, in_progress or waiting
	Managers   []int64  `json:"managers"` // empty = the current manager
}

// Limits on what a dialogue may hold: the lists are short by nature, and a longer input is a
// fault, not a use.
const (
	MaxDialogueNames  = 20
	MaxDialogueName   = 100
	MaxDialogueAdmins = 50
)

// ErrDialogueClosed is refused for a change a closed dialogue cannot take (reopen it first).
var ErrDialogueClosed = errors.New("dialogue is closed")

// ErrDialogueOpen is refused for reopening a dialogue that is not closed.
var ErrDialogueOpen = errors.New("dialogue is not closed")

// Ratings are 1..5; 0 means "not rated".
const (
	MinRating = 1
	MaxRating = 5
)

// ValidRating reports whether r is a rating a person may give.
func ValidRating(r int) bool { return r >= MinRating && r <= MaxRating }

// RatingTap is a client's tap on one of the rating buttons: the dialogue cycle the request was
// for and the score, as the button's data said. It comes from the client's device, so it is
// only a claim: the store accepts it only for a cycle of the same chat that asked for a rating.
type RatingTap struct {
	CycleID int64 `json:"cycleId"`
	Score   int   `json:"score"`
}

// ratingDataPrefix starts every rating button's data. The version lets a later format coexist
// with buttons already sitting in clients' chats.
const ratingDataPrefix = "sbr1:"

// maxRatingData bounds what is parsed: Telegram's callback_data is at most 64 bytes, and
// "sbr1:" + a 53-bit id + ":5" is far below that.
const maxRatingData = 64

// RatingData is the data of the rating button with score for cycleID: Telegram's callback_data,
// and inside VK's button payload (RatingPayload).
func RatingData(cycleID int64, score int) string {
	return ratingDataPrefix + strconv.FormatInt(cycleID, 10) + ":" + strconv.Itoa(score)
}

// ParseRatingData reads RatingData back. Anything else (another bot's buttons, an old format,
// a forged or mangled string) is not a tap: ok=false.
func ParseRatingData(s string) (RatingTap, bool) {
	if len(s) > maxRatingData {
		return RatingTap{}, false
	}
	rest, ok := strings.CutPrefix(s, ratingDataPrefix)
	if !ok {
		return RatingTap{}, false
	}
	id, score, ok := strings.Cut(rest, ":")
	if !ok || !plainDigits(id, 16) || len(score) != 1 {
		return RatingTap{}, false
	}
	cycle, err := strconv.ParseInt(id, 10, 64)
	if err != nil || cycle <= 0 {
		return RatingTap{}, false
	}
	n := int(score[0] - '0')
	if !ValidRating(n) {
		return RatingTap{}, false
	}
	return RatingTap{CycleID: cycle, Score: n}, true
}

// plainDigits: 1..max ASCII digits without a leading zero (one canonical spelling per number,
// so a tap cannot be replayed under another spelling).
func plainDigits(s string, max int) bool {
	if s == "" || len(s) > max || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ratingPayloadKey names the rating in a VK button payload (a JSON object of at most 255
// characters that VK returns with the message the tap sends).
const ratingPayloadKey = "sb_rating"

// maxPayload is VK's limit on a button payload.
const maxPayload = 255

// RatingPayload is the VK button payload of the rating button with score for cycleID.
func RatingPayload(cycleID int64, score int) string {
	b, _ := json.Marshal(map[string]string{ratingPayloadKey: RatingData(cycleID, score)})
	return string(b)
}

// ParseRatingPayload reads a VK message's payload; ok=false for any other payload (a start
// button's {"command":"start"}, another bot's, a forged one).
func ParseRatingPayload(payload string) (RatingTap, bool) {
	if payload == "" || len(payload) > maxPayload {
		return RatingTap{}, false
	}
	var p map[string]json.RawMessage
	if json.Unmarshal([]byte(payload), &p) != nil || len(p) != 1 {
		return RatingTap{}, false
	}
	raw, ok := p[ratingPayloadKey]
	if !ok {
		return RatingTap{}, false
	}
	var data string
	if json.Unmarshal(raw, &data) != nil {
		return RatingTap{}, false
	}
	return ParseRatingData(data)
}
