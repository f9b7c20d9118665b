package app

import (
	"context"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// Bindings: each exported method is callable from the UI as window.go.app.Workspace.<Name>. They stay
// thin: validation and rules live in the inbox, so the headless hub shares them.

// Bootstrap is everything the UI needs to draw its first frame in one call.
type Bootstrap struct {
	Me           core.Manager       `json:"me"`
	Managers     []core.Manager     `json:"managers"`
	Locale       string             `json:"locale"`
	Theme        string             `json:"theme"`
	DefaultTab   core.Tab           `json:"defaultTab"`
	FirstPage    core.ListPage      `json:"firstPage"` // the default tab's first page, as the UI's first ListPeople
	Counts       core.TabCounts     `json:"counts"`
	Channels     []core.Channel     `json:"channels"`
	Facets       store.Facets       `json:"facets"`
	SavedFilters []core.SavedFilter `json:"savedFilters"`
	LastChatID   int64              `json:"lastChatId"`
	DataDir      string             `json:"dataDir"`
}

func bg() context.Context { return context.Background() }

// Bootstrap loads the settings, the default tab and its first page, tab counts and filter facets.
func (a *Workspace) Bootstrap() (Bootstrap, error) {
	ctx := bg()
	ib := a.inbox
	var b Bootstrap
	var err error
	if b.Managers, err = ib.Managers(ctx); err != nil {
		return b, err
	}
	for _, m := range b.Managers {
		if m.ID == ib.Me {
			b.Me = m
		}
	}
	b.Locale, _ = ib.Setting(ctx, "locale")
	b.Theme, _ = ib.Setting(ctx, "theme")
	if b.DefaultTab, b.FirstPage, err = ib.FirstScreen(ctx); err != nil {
		return b, err
	}
	if b.Counts, err = ib.TabCounts(ctx, core.ListQuery{}); err != nil {
		return b, err
	}
	if b.Channels, err = ib.Store.Channels(ctx); err != nil {
		return b, err
	}
	if b.Facets, err = ib.Facets(ctx); err != nil {
		return b, err
	}
	if b.SavedFilters, err = ib.SavedFilters(ctx); err != nil {
		return b, err
	}
	if last, _ := ib.Setting(ctx, "last_chat"); last != "" {
		b.LastChatID = parseID(last)
	}
	b.DataDir = ib.Store.Path()
	return b, nil
}

func parseID(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// ListPeople returns one page of the people list.
func (a *Workspace) ListPeople(q core.ListQuery) (core.ListPage, error) {
	return a.inbox.ListPeople(bg(), q)
}

// TabCounts counts the three tabs under q's search and filter.
func (a *Workspace) TabCounts(q core.ListQuery) (core.TabCounts, error) {
	return a.inbox.TabCounts(bg(), q)
}

// History returns one page of a chat's history.
func (a *Workspace) History(q core.HistoryQuery) (core.HistoryPage, error) {
	return a.inbox.History(bg(), q)
}

// ClientCard returns the quick client card of a person.
func (a *Workspace) ClientCard(personID int64) (core.ClientCard, error) {
	return a.inbox.ClientCard(bg(), personID)
}

// MarkRead marks the open chat read (the seed: messages are never read automatically).
func (a *Workspace) MarkRead(chatID int64) error { return a.inbox.MarkRead(bg(), chatID) }

// MarkAllRead (Settings → Company actions) is in settings.go.

// SetTunnelOff is the "turn off chat" switch: no tunnel messages to this chat.
func (a *Workspace) SetTunnelOff(chatID int64, off bool) error {
	return a.inbox.SetTunnelOff(bg(), chatID, off)
}

// SetBotOff is the "turn off bot messages" switch: no AI replies in this chat.
func (a *Workspace) SetBotOff(chatID int64, off bool) error {
	return a.inbox.SetBotOff(bg(), chatID, off)
}

// SetArchived moves a person to or from the archive.
func (a *Workspace) SetArchived(personID int64, on bool) error {
	return a.inbox.SetArchived(bg(), personID, on)
}

// SetBlacklisted moves a person to or from the blacklist.
func (a *Workspace) SetBlacklisted(personID int64, on bool) error {
	return a.inbox.SetBlacklisted(bg(), personID, on)
}

// SaveFilter saves the current filter under a name (replacing one of the same name).
func (a *Workspace) SaveFilter(name string, f core.ListFilter) (core.SavedFilter, error) {
	return a.inbox.SaveFilter(bg(), name, f)
}

// DeleteSavedFilter removes a saved filter.
func (a *Workspace) DeleteSavedFilter(id int64) error { return a.inbox.DeleteSavedFilter(bg(), id) }

// SetSetting stores a UI setting (locale, theme, last_chat).
func (a *Workspace) SetSetting(key, value string) error { return a.inbox.SetSetting(bg(), key, value) }

// AddNote adds an internal comment, optionally tagging managers.
func (a *Workspace) AddNote(chatID int64, text string, mentions []int64) (core.Message, error) {
	return a.inbox.AddNote(bg(), chatID, text, mentions)
}

// SendText queues a text message (optionally a reply); it is on disk as 'queued' on return.
func (a *Workspace) SendText(chatID int64, text string, replyToID int64) (core.Message, error) {
	return a.inbox.SendText(bg(), chatID, text, replyToID)
}

// EditMessage changes a sent message's text, locally at once and then in the messenger.
func (a *Workspace) EditMessage(messageID int64, text string) (core.Message, error) {
	return a.inbox.EditMessage(bg(), messageID, text)
}

// DeleteMessage deletes a sent message for the client too, within the messenger's window.
func (a *Workspace) DeleteMessage(messageID int64) (core.Message, error) {
	return a.inbox.DeleteMessage(bg(), messageID)
}

// RetryMessage queues a failed send again.
func (a *Workspace) RetryMessage(messageID int64) (core.Message, error) {
	return a.inbox.RetryMessage(bg(), messageID)
}

// ChatRef names a chat for opening it from outside the list (a notification, the last open chat).
type ChatRef struct {
	ChatID   int64  `json:"chatId"`
	PersonID int64  `json:"personId"`
	Name     string `json:"name"`
}

// OpenChatRef resolves a chat id to its person, so the UI can open any chat, not only those on
// the list's current page.
func (a *Workspace) OpenChatRef(chatID int64) (ChatRef, error) {
	ctx := bg()
	c, err := a.inbox.Store.Chat(ctx, chatID)
	if err != nil {
		return ChatRef{}, err
	}
	p, err := a.inbox.Store.Person(ctx, c.PersonID)
	if err != nil {
		return ChatRef{}, err
	}
	return ChatRef{ChatID: c.ID, PersonID: p.ID, Name: p.Name}, nil
}

// MergePeople makes merge's chats, plans, tags and tasks keep's: the same client who wrote to
// two bots becomes one person with two chats.
func (a *Workspace) MergePeople(keepID, mergeID int64) error {
	return a.inbox.MergePeople(bg(), keepID, mergeID)
}
