package inbox

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/backend/core"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// Limits on what the UI may pass.
const (
	maxSearchLen   = 200
	maxNoteLen     = 4096
	maxFilterName  = 100
	maxFilterItems = 100
	maxWindowLen   = 1000
)

func checkTab(t core.Tab) (core.Tab, error) {
	switch t {
	case "":
		return core.TabAll, nil
	case core.TabImportant, core.TabAll, core.TabUnread:
		return t, nil
	}
	return "", invalid("unknown tab %q", t)
}

func checkFilter(f core.ListFilter) error {
	for _, k := range f.Channels {
		if k != core.Telegram && k != core.VK {
			return invalid("unknown messenger %q", k)
		}
	}
	for _, st := range f.Statuses {
		if st != core.Subscribed && st != core.Unsubscribed {
			return invalid("unknown status %q", st)
		}
	}
	switch f.Owner {
	case core.OwnerAny, core.OwnerMine, core.OwnerUnassigned:
	default:
		return invalid("unknown owner filter %q", f.Owner)
	}
	if len(f.Tags) > maxFilterItems || len(f.Plans) > maxFilterItems || len(f.Tools) > maxFilterItems || len(f.Sources) > maxFilterItems {
		return invalid("too many filter values")
	}
	return nil
}

// cleanQuery validates a list query and bounds its search text and page size.
func cleanQuery(q core.ListQuery) (core.ListQuery, error) {
	tab, err := checkTab(q.Tab)
	if err != nil {
		return q, err
	}
	q.Tab = tab
	if err := checkFilter(q.Filter); err != nil {
		return q, err
	}
	q.Search = strings.TrimSpace(q.Search)
	if utf8.RuneCountInString(q.Search) > maxSearchLen {
		q.Search = string([]rune(q.Search)[:maxSearchLen])
	}
	q.Limit = core.ClampLimit(q.Limit)
	return q, nil
}

// ListPeople returns one page of the people list.
func (s *Service) ListPeople(ctx context.Context, q core.ListQuery) (core.ListPage, error) {
	q, err := cleanQuery(q)
	if err != nil {
		return core.ListPage{}, err
	}
	return s.Store.ListPeople(ctx, q, s.Me, s.now())
}

// TabCounts returns the tab badges for the current search and filter.
func (s *Service) TabCounts(ctx context.Context, q core.ListQuery) (core.TabCounts, error) {
	q, err := cleanQuery(q)
	if err != nil {
		return core.TabCounts{}, err
	}
	return s.Store.TabCounts(ctx, q, s.Me, s.now())
}

// FirstScreen is the tab the list opens on, Important when it has rows, else All, with that
// tab's first page as the UI asks for it (no search, no filter, newest first).
func (s *Service) FirstScreen(ctx context.Context) (core.Tab, core.ListPage, error) {
	first := func(tab core.Tab) (core.ListPage, error) {
		return s.Store.ListPeople(ctx, core.ListQuery{Tab: tab, Limit: core.DefaultPageSize}, s.Me, s.now())
	}
	page, err := first(core.TabImportant)
	if err != nil || len(page.Rows) > 0 {
		return core.TabImportant, page, err
	}
	page, err = first(core.TabAll)
	return core.TabAll, page, err
}

// History returns one page of a chat's history.
func (s *Service) History(ctx context.Context, q core.HistoryQuery) (core.HistoryPage, error) {
	if q.ChatID <= 0 {
		return core.HistoryPage{}, invalid("no chat")
	}
	if q.Before < 0 {
		return core.HistoryPage{}, invalid("bad position")
	}
	for _, sk := range q.Filter.Senders {
		switch sk {
		case core.SenderClient, core.SenderBot, core.SenderAdmin, core.SenderManager, core.SenderSystem:
		default:
			return core.HistoryPage{}, invalid("unknown sender %q", sk)
		}
	}
	if utf8.RuneCountInString(q.Filter.Words) > maxSearchLen {
		q.Filter.Words = string([]rune(q.Filter.Words)[:maxSearchLen])
	}
	q.Limit = core.ClampLimit(q.Limit)
	page, err := s.Store.History(ctx, q)
	if err != nil || page.HasMore || s.Remote == nil || filtered(q.Filter) {
		return page, err
	}
	// A replica holds each chat's newest history (the snapshot's, and what came since); at its
	// oldest message the hub fills in the next page, kept from then on. Offline, the page is
	// what is held.
	n, _, err := s.Remote.LoadOlder(ctx, q.ChatID)
	if err != nil || n == 0 {
		return page, nil
	}
	return s.Store.History(ctx, q)
}

// filtered says whether a history query narrows the chat (senders, attachments, words): such
// a page is of what the replica holds, not a reason to fetch older history.
func filtered(f core.HistoryFilter) bool {
	return len(f.Senders) > 0 || f.IndicatorsOnly || f.Attachments || f.Words != ""
}

// ClientCard returns the quick client card.
func (s *Service) ClientCard(ctx context.Context, personID int64) (core.ClientCard, error) {
	if personID <= 0 {
		return core.ClientCard{}, invalid("no person")
	}
	return s.Store.ClientCard(ctx, personID)
}

// MarkRead marks a chat read.
func (s *Service) MarkRead(ctx context.Context, chatID int64) error {
	if chatID <= 0 {
		return invalid("no chat")
	}
	if s.Remote != nil {
		return s.Remote.MarkRead(ctx, chatID)
	}
	return s.Store.MarkRead(ctx, chatID, s.now())
}

// MarkAllRead marks every chat read and says how many were unread. On a replica it is the
// hub's to do (admins only, refused at once otherwise), which says how many; this desktop marks
// its copy at once too, and the hub's rows confirm it through the feed.
func (s *Service) MarkAllRead(ctx context.Context) (int, error) {
	if s.Remote != nil {
		res, err := s.Remote.PostNow(ctx, teamwire.Mutation{Kind: teamwire.MutMarkAllRead})
		if err != nil {
			return 0, err
		}
		_, err = s.Store.MarkAllRead(ctx, s.now())
		return res.Marked, err
	}
	return s.Store.MarkAllRead(ctx, s.now())
}

// SetTunnelOff turns a chat's tunnel messages off (true) or on.
func (s *Service) SetTunnelOff(ctx context.Context, chatID int64, off bool) error {
	if chatID <= 0 {
		return invalid("no chat")
	}
	if s.Remote != nil {
		if err := s.Remote.Mutate(ctx, teamwire.Mutation{Kind: teamwire.MutTunnelOff, ChatID: chatID, On: off}); err != nil {
			return err
		}
	}
	return s.Store.SetTunnelOff(ctx, chatID, off, s.now())
}

// SetBotOff turns a chat's bot replies off (true) or on.
func (s *Service) SetBotOff(ctx context.Context, chatID int64, off bool) error {
	if chatID <= 0 {
		return invalid("no chat")
	}
	if s.Remote != nil {
		if err := s.Remote.Mutate(ctx, teamwire.Mutation{Kind: teamwire.MutBotOff, ChatID: chatID, On: off}); err != nil {
			return err
		}
	}
	return s.Store.SetBotOff(ctx, chatID, off, s.now())
}

// SetArchived moves a person to (true) or from the archive.
func (s *Service) SetArchived(ctx context.Context, personID int64, on bool) error {
	if personID <= 0 {
		return invalid("no person")
	}
	if s.Remote != nil {
		if err := s.Remote.Mutate(ctx, teamwire.Mutation{Kind: teamwire.MutArchive, PersonID: personID, On: on}); err != nil {
			return err
		}
	}
	return s.Store.SetArchived(ctx, personID, on, s.now())
}

// SetBlacklisted adds a person to (true) or removes them from the blacklist.
func (s *Service) SetBlacklisted(ctx context.Context, personID int64, on bool) error {
	if personID <= 0 {
		return invalid("no person")
	}
	if s.Remote != nil {
		if err := s.Remote.Mutate(ctx, teamwire.Mutation{Kind: teamwire.MutBlacklist, PersonID: personID, On: on}); err != nil {
			return err
		}
	}
	return s.Store.SetBlacklisted(ctx, personID, on, s.now())
}

// AddNote adds an internal note by me; a note needs text or at least one mention.
func (s *Service) AddNote(ctx context.Context, chatID int64, text string, mentions []int64) (core.Message, error) {
	if chatID <= 0 {
		return core.Message{}, invalid("no chat")
	}
	text = strings.TrimSpace(text)
	if text == "" && len(mentions) == 0 {
		return core.Message{}, core.ErrEmptyMessage
	}
	if utf8.RuneCountInString(text) > maxNoteLen {
		return core.Message{}, core.ErrTextTooLong
	}
	if s.Remote != nil {
		return s.Remote.AddNote(ctx, chatID, text, mentions)
	}
	return s.Store.AddNote(ctx, chatID, s.Me, text, mentions, s.now())
}

// SavedFilters lists the saved filters.
func (s *Service) SavedFilters(ctx context.Context) ([]core.SavedFilter, error) {
	return s.Store.SavedFilters(ctx)
}

// SaveFilter saves (or replaces) a named filter.
func (s *Service) SaveFilter(ctx context.Context, name string, f core.ListFilter) (core.SavedFilter, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return core.SavedFilter{}, invalid("a saved filter needs a name")
	}
	if utf8.RuneCountInString(name) > maxFilterName {
		return core.SavedFilter{}, invalid("filter name too long")
	}
	if err := checkFilter(f); err != nil {
		return core.SavedFilter{}, err
	}
	return s.Store.SaveFilter(ctx, name, f)
}

// DeleteSavedFilter deletes a saved filter.
func (s *Service) DeleteSavedFilter(ctx context.Context, id int64) error {
	if id <= 0 {
		return invalid("no filter")
	}
	return s.Store.DeleteSavedFilter(ctx, id)
}

// Setting keys the UI may read and write.
const (
	SettingLocale   = "locale"
	SettingTheme    = "theme"
	SettingLastChat = "last_chat"
	SettingWindow   = "window"
)

// checkSetting says whether value is acceptable for key.
func checkSetting(key, value string) error {
	switch key {
	case SettingLocale:
		if value != "ru" && value != "en" {
			return invalid("locale must be ru or en")
		}
	case SettingTheme:
		if !slices.Contains([]string{"light", "dark", "system"}, value) {
			return invalid("theme must be light, dark or system")
		}
	case SettingLastChat:
		if n, err := strconv.ParseInt(value, 10, 64); err != nil || n < 0 {
			return invalid("last_chat must be a chat id")
		}
	case SettingWindow:
		if len(value) > maxWindowLen || !json.Valid([]byte(value)) {
			return invalid("window must be a short JSON value")
		}
	default:
		return invalid("unknown setting %q", key)
	}
	return nil
}

// Setting returns a known setting's value ("" when unset).
func (s *Service) Setting(ctx context.Context, key string) (string, error) {
	switch key {
	case SettingLocale, SettingTheme, SettingLastChat, SettingWindow:
	default:
		return "", invalid("unknown setting %q", key)
	}
	v, _, err := s.Store.Setting(ctx, key)
	return v, err
}

// SetSetting stores a known setting after checking its value.
func (s *Service) SetSetting(ctx context.Context, key, value string) error {
	if err := checkSetting(key, value); err != nil {
		return err
	}
	return s.Store.SetSetting(ctx, key, value)
}

// Managers lists the managers (for mentions and assignees).
func (s *Service) Managers(ctx context.Context) ([]core.Manager, error) {
	return s.Store.Managers(ctx)
}

// Facets lists the filter panel's choices.
func (s *Service) Facets(ctx context.Context) (store.Facets, error) {
	return s.Store.Facets(ctx)
}

// followBatch is how many events Follow hands over at most per call of fn.
const followBatch = 500

// Follow calls fn with every event after fromSeq, in order and in batches, woken at once by
// committed writes (and by a slow safety tick), until ctx ends. It returns nil when ctx ends.
// A failed read is logged and retried on the next wake-up rather than ending the follow.
func (s *Service) Follow(ctx context.Context, fromSeq int64, fn func([]core.Event)) error {
	wake, release := s.Store.Subscribe()
	defer release()
	tick := s.SafetyTick
	if tick <= 0 {
		tick = 5 * time.Second
	}
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	seq := fromSeq
	for {
		for {
			evs, err := s.Store.EventsAfter(ctx, seq, followBatch)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				slog.Warn("inbox: follow events", "after", seq, "err", err)
				break
			}
			if len(evs) == 0 {
				break
			}
			fn(evs)
			seq = evs[len(evs)-1].Seq
			if len(evs) < followBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-ticker.C:
		}
	}
}
