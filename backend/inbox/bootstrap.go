package inbox

import (
	"context"
	"strconv"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

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

// Bootstrap loads the settings, the default tab and its first page, tab counts and filter facets.
func (s *Service) Bootstrap(ctx context.Context) (Bootstrap, error) {
	var b Bootstrap
	var err error
	if b.Managers, err = s.Managers(ctx); err != nil {
		return b, err
	}
	for _, m := range b.Managers {
		if m.ID == s.Me {
			b.Me = m
		}
	}
	b.Locale, _ = s.Setting(ctx, "locale")
	b.Theme, _ = s.Setting(ctx, "theme")
	if b.DefaultTab, b.FirstPage, err = s.FirstScreen(ctx); err != nil {
		return b, err
	}
	if b.Counts, err = s.TabCounts(ctx, core.ListQuery{}); err != nil {
		return b, err
	}
	if b.Channels, err = s.Store.Channels(ctx); err != nil {
		return b, err
	}
	if b.Facets, err = s.Facets(ctx); err != nil {
		return b, err
	}
	if b.SavedFilters, err = s.SavedFilters(ctx); err != nil {
		return b, err
	}
	if last, _ := s.Setting(ctx, "last_chat"); last != "" {
		b.LastChatID = parseID(last)
	}
	b.DataDir = s.Store.Path()
	return b, nil
}

func parseID(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// ChatRef names a chat for opening it from outside the list (a notification, the last open chat).
type ChatRef struct {
	ChatID   int64  `json:"chatId"`
	PersonID int64  `json:"personId"`
	Name     string `json:"name"`
}

// OpenChatRef resolves a chat id to its person, so the UI can open any chat, not only those on
// the list's current page.
func (s *Service) OpenChatRef(ctx context.Context, chatID int64) (ChatRef, error) {
	c, err := s.Store.Chat(ctx, chatID)
	if err != nil {
		return ChatRef{}, err
	}
	p, err := s.Store.Person(ctx, c.PersonID)
	if err != nil {
		return ChatRef{}, err
	}
	return ChatRef{ChatID: c.ID, PersonID: p.ID, Name: p.Name}, nil
}
