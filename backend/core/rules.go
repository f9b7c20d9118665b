package core

import (
	"errors"
	"time"
	"unicode/utf8"
)

// Windows in which a sent message may still be deleted for the client. Past them only editing
// is possible (the seed: Telegram 2 days, VK 1 day).
const (
	TelegramDeleteWindow = 48 * time.Hour
	VKDeleteWindow       = 24 * time.Hour
)

// Text limits per messenger, in characters.
const (
	TelegramTextLimit = 4096
	VKTextLimit       = 9000
	// TelegramUploadLimit is the Bot API's upload limit; getFile downloads are capped at 20 MB.
	TelegramUploadLimit   = 50 << 20
	TelegramDownloadLimit = 20 << 20
)

// Errors of the rules, mapped to words in the person's language by the UI.
var (
	ErrDeleteWindowPassed = errors.New("delete window passed")
	ErrNotEditable        = errors.New("message cannot be edited")
	ErrTextTooLong        = errors.New("text too long")
	ErrEmptyMessage       = errors.New("empty message")
)

// DeleteWindow returns how long after sending a message on kind may be deleted for the client.
func DeleteWindow(kind ChannelKind) time.Duration {
	if kind == VK {
		return VKDeleteWindow
	}
	return TelegramDeleteWindow
}

// CanDelete says whether a message sent at sentAt (unix ms) may be deleted at now.
func CanDelete(kind ChannelKind, m Message, now time.Time) error {
	if m.Kind != KindMessage || m.Sender == SenderClient || m.ExternalID == "" || m.Deleted {
		return ErrNotEditable
	}
	if now.Sub(time.UnixMilli(m.CreatedAt)) >= DeleteWindow(kind) {
		return ErrDeleteWindowPassed
	}
	return nil
}

// CanEdit says whether a message may be edited: ours, sent, not deleted. Both messengers allow
// editing outside the delete window (VK refuses very old edits with error 909; that is reported
// from the API, not guessed here).
func CanEdit(m Message) error {
	if m.Kind != KindMessage || m.Sender == SenderClient || m.ExternalID == "" || m.Deleted {
		return ErrNotEditable
	}
	return nil
}

// TextLimit is the longest text a message on kind may carry.
func TextLimit(kind ChannelKind) int {
	if kind == VK {
		return VKTextLimit
	}
	return TelegramTextLimit
}

// CheckText validates an outgoing text against the messenger's limit.
func CheckText(kind ChannelKind, text string) error {
	if utf8.RuneCountInString(text) > TextLimit(kind) {
		return ErrTextTooLong
	}
	return nil
}

// IsImportant says whether a task puts its person in the Important tab at now for manager me:
// it is mine, not done, and due before the end of today (so today or overdue).
func IsImportant(t Task, me int64, now time.Time) bool {
	if t.Done || t.AssigneeID != me {
		return false
	}
	return t.DueAt < ImportantDueBefore(now)
}

// ImportantDueBefore is the due time (unix ms) before which an open task of mine makes its
// person Important: the end of today. The store's Important tab filters on it in SQL.
func ImportantDueBefore(now time.Time) int64 {
	return EndOfDay(now).UnixMilli()
}

// EndOfDay is the first instant of the day after now, in now's location.
func EndOfDay(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, now.Location())
}

// ValidDeepLinkPayload says whether s can be a Telegram /start payload: 1..64 of A-Za-z0-9_-.
func ValidDeepLinkPayload(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
