package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/notify"
)

// EventNotification carries a new in-app notification to the UI's panel.
const EventNotification = "notify:new"

// maxSingleNotifications: a burst (a backlog arriving after the network returns) becomes one
// summary notification instead of a flood.
const maxSingleNotifications = 3

// SetFocused is called by the UI when the window gains or loses focus: client messages raise a
// desktop notification only while the manager is looking elsewhere.
func (a *Desktop) SetFocused(focused bool) { a.focused.Store(focused) }

// Notifications lists the in-app notification feed, newest first.
func (a *Desktop) Notifications() []notify.Item { return a.notifier.Items() }

// DismissNotification removes one item from the feed.
func (a *Desktop) DismissNotification(id int64) { a.notifier.Dismiss(id) }

// NotificationWarning says what is missing for desktop notifications ("" when they work), so the
// UI can tell the manager once.
func (a *Desktop) NotificationWarning() string { return a.notifier.Warning() }

// SetNotificationsMuted is the quiet mode (also in the tray menu).
func (a *Settings) SetNotificationsMuted(on bool) error {
	a.notifier.SetMuted(on)
	if a.tray != nil {
		a.tray.setMuted(on)
	}
	v := "0"
	if on {
		v = "1"
	}
	// The store directly: inbox.SetSetting takes only the keys the UI writes freely.
	return a.inbox.Store.SetSetting(bg(), "notify_muted", v)
}

// SetCloseToTray chooses whether closing the window hides it to the tray or quits. Without a
// tray the window could not be brought back, so it always quits then.
func (a *Settings) SetCloseToTray(on bool) error {
	a.hideOnClose.Store(on && a.trayWarning == "")
	v := "0"
	if on {
		v = "1"
	}
	return a.inbox.Store.SetSetting(bg(), "close_to_tray", v)
}

// DesktopSettings is what the Settings screen shows for the desktop integration.
type DesktopSettings struct {
	Muted       bool   `json:"muted"`
	CloseToTray bool   `json:"closeToTray"`
	Warning     string `json:"warning"`
	// TrayWarning says why there is no tray icon, as a code (core.FailNoTrayHost…); closing the
	// window then quits.
	TrayWarning string `json:"trayWarning"`
}

// DesktopSettings reads the desktop integration settings.
func (a *Settings) DesktopSettings() DesktopSettings {
	return DesktopSettings{Muted: a.notifier.Muted(), CloseToTray: a.hideOnClose.Load(), Warning: a.notifier.Warning(),
		TrayWarning: a.trayWarning}
}

func (a *App) loadDesktopSettings(ctx context.Context) {
	if v, _, _ := a.inbox.Store.Setting(ctx, "notify_muted"); v == "1" {
		a.notifier.SetMuted(true)
	}
	v, _, _ := a.inbox.Store.Setting(ctx, "close_to_tray")
	// On by default: a messenger keeps running in the tray, where there is one.
	a.hideOnClose.Store(v != "0" && a.trayWarning == "")
}

// notifyEvents turns committed events into notifications: new client messages while the window
// is not focused, and every note that tags me, written by someone else.
func (a *App) notifyEvents(ctx context.Context, events []core.Event) {
	var incoming []core.Message
	mentioned := map[int64]bool{} // a note tagging several managers logs one event per manager
	for _, e := range events {
		if e.MessageID == 0 || (e.Kind != core.EventMessageNew && e.Kind != core.EventNoteMention) {
			continue
		}
		m, err := a.inbox.Store.Message(ctx, e.MessageID)
		if err != nil {
			slog.Warn("notification: read message", "err", err)
			continue
		}
		switch {
		case e.Kind == core.EventNoteMention && !mentioned[m.ID] && slices.Contains(m.Mentions, a.inbox.Me) && m.ManagerID != a.inbox.Me:
			mentioned[m.ID] = true
			a.postMention(ctx, e, m)
		case e.Kind == core.EventMessageNew && m.Kind == core.KindMessage && m.Sender == core.SenderClient && !a.focused.Load() &&
			a.inbox.ChannelNotifies(ctx, m.ChatID): // the per-channel switch in Settings → Preferences
			incoming = append(incoming, m)
		}
	}
	if len(incoming) == 0 {
		return
	}
	if len(incoming) > maxSingleNotifications {
		locale, _ := a.inbox.Setting(ctx, "locale")
		a.notifier.Post(notify.Item{Kind: notify.KindMessage, Title: "Switchboard",
			Body: fmt.Sprintf(nativeTexts(locale).NewMessages, len(incoming)), ChatID: incoming[len(incoming)-1].ChatID})
		return
	}
	for _, m := range incoming {
		title := m.SenderName
		if title == "" {
			title = "Switchboard"
		}
		a.notifier.Post(notify.Item{Kind: notify.KindMessage, Title: title, Body: preview(m),
			ChatID: m.ChatID, MessageID: m.ID, At: m.CreatedAt})
	}
}

func (a *App) postMention(ctx context.Context, e core.Event, m core.Message) {
	author := m.SenderName
	if author == "" {
		author = "Switchboard"
	}
	a.notifier.Post(notify.Item{Kind: notify.KindMention, Title: author, Body: m.Text,
		ChatID: m.ChatID, PersonID: e.PersonID, MessageID: m.ID, At: m.CreatedAt})
}

// preview is a notification body: the text, or what kind of attachment came.
func preview(m core.Message) string {
	if m.Text != "" {
		r := []rune(m.Text)
		if len(r) > 140 {
			return string(r[:140]) + "…"
		}
		return m.Text
	}
	if len(m.Attachments) > 0 {
		return "[" + string(m.Attachments[0].Kind) + "]"
	}
	return ""
}

// unreadRefreshDelay folds a burst of changes (a backlog arriving) into one recount for the
// tray: the count walks the list indexes, and a tray badge a fraction of a second late is fine.
const unreadRefreshDelay = 300 * time.Millisecond

// refreshUnread puts the unread count on the tray, at most once per unreadRefreshDelay.
func (a *App) refreshUnread(ctx context.Context) {
	if a.tray == nil || !a.unreadPending.CompareAndSwap(false, true) {
		return
	}
	a.wg.Add(1) // shutdown waits for a scheduled recount instead of closing the store under it
	time.AfterFunc(unreadRefreshDelay, func() {
		defer a.wg.Done()
		a.unreadPending.Store(false)
		if ctx.Err() != nil {
			return
		}
		counts, err := a.inbox.TabCounts(ctx, core.ListQuery{})
		if err != nil {
			slog.Warn("tray: unread count", "err", err)
			return
		}
		a.tray.setUnread(counts.Unread)
	})
}
