package app

import (
	_ "embed"
	"fmt"
	"log/slog"
	"sync"

	"fyne.io/systray"
)

//go:embed icons/tray.png
var trayIcon []byte

// tray is the system tray icon: the unread count, Open, Mute notifications, Quit. Wails v2 has
// no tray; fyne.io/systray runs beside it with an external loop (started from OnStartup).
// Where there is no tray host (some Linux desktops), the app keeps working and says so once.
type tray struct {
	app   *App
	stop  func()
	mu    sync.Mutex
	ready bool
	open  *systray.MenuItem
	mute  *systray.MenuItem
	quit  *systray.MenuItem
	done  chan struct{}
	texts trayTexts
}

// trayTexts are the words the OS shows outside the webview, in the manager's language: the tray
// menu and the summary of a burst of desktop notifications. They cannot come from the UI's
// dictionaries, which live in the webview.
type trayTexts struct{ Open, Mute, Quit, Unread, NewMessages string }

var trayLabels = map[string]trayTexts{
	"en": {Open: "Open Switchboard", Mute: "Mute notifications", Quit: "Quit", Unread: "%d unread", NewMessages: "%d new messages"},
	"ru": {Open: "Открыть Switchboard", Mute: "Без уведомлений", Quit: "Выйти", Unread: "Непрочитанных: %d", NewMessages: "Новых сообщений: %d"},
}

// nativeTexts are the native words for locale (English when it has none).
func nativeTexts(locale string) trayTexts {
	if texts, ok := trayLabels[locale]; ok {
		return texts
	}
	return trayLabels["en"]
}

func startTray(a *App, locale string) *tray {
	t := &tray{app: a, done: make(chan struct{}), texts: nativeTexts(locale)}
	start, end := systray.RunWithExternalLoop(t.onReady, func() {})
	t.stop = end
	start()
	return t
}

func (t *tray) onReady() {
	systray.SetIcon(trayIcon)
	systray.SetTitle("Switchboard")
	systray.SetTooltip("Switchboard")
	t.mu.Lock()
	t.open = systray.AddMenuItem(t.texts.Open, "")
	t.mute = systray.AddMenuItemCheckbox(t.texts.Mute, "", t.app.notifier.Muted())
	systray.AddSeparator()
	t.quit = systray.AddMenuItem(t.texts.Quit, "")
	t.ready = true
	t.mu.Unlock()
	systray.SetOnTapped(func() { t.app.currentWindow().Show() })
	go t.loop()
}

// loop answers menu clicks until the tray stops.
func (t *tray) loop() {
	for {
		select {
		case <-t.open.ClickedCh:
			t.app.currentWindow().Show()
		case <-t.mute.ClickedCh:
			muted := !t.app.notifier.Muted()
			t.app.SetNotificationsMuted(muted)
		case <-t.quit.ClickedCh:
			t.app.Quit()
		case <-t.done:
			return
		}
	}
}

// setUnread shows the unread count in the tray's title and tooltip.
func (t *tray) setUnread(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.ready {
		return
	}
	label := "Switchboard"
	if n > 0 {
		label = fmt.Sprintf("Switchboard — "+t.texts.Unread, n)
	}
	systray.SetTooltip(label)
	systray.SetTitle(label)
}

func (t *tray) setMuted(on bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.ready {
		return
	}
	if on {
		t.mute.Check()
	} else {
		t.mute.Uncheck()
	}
}

func (t *tray) close() {
	t.mu.Lock()
	ready := t.ready
	t.mu.Unlock()
	if ready {
		close(t.done)
	}
	defer func() {
		// systray's end() on a desktop without a tray host may fail; quitting must not.
		if r := recover(); r != nil {
			slog.Warn("tray shutdown", "err", r)
		}
	}()
	t.stop()
}
