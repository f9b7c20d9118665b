// Package notify tells the manager what needs them: desktop notifications through beeep and the
// in-app notification feed the UI lists with "open chat".
package notify

import (
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gen2brain/beeep"
)

// Kind is why a notification was raised.
type Kind string

const (
	KindMessage Kind = "message" // a new client message while the window was not focused
	KindMention Kind = "mention" // another manager tagged me in a chat
)

// Item is one entry of the in-app feed.
type Item struct {
	ID        int64  `json:"id"`
	Kind      Kind   `json:"kind"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	ChatID    int64  `json:"chatId"`
	PersonID  int64  `json:"personId"`
	MessageID int64  `json:"messageId"`
	At        int64  `json:"at"`
}

// Desktop shows a notification outside the window.
type Desktop interface {
	Notify(title, body string) error
}

// Beeep is the real desktop notifier (D-Bus, then notify-send on Linux; native elsewhere).
type Beeep struct{}

// Notify shows title and body. Client text is escaped where the notification server reads markup.
func (Beeep) Notify(title, body string) error {
	beeep.AppName = "Switchboard"
	return beeep.Notify(escapeMarkup(title), escapeMarkup(body), "")
}

// escapeMarkup: freedesktop notification servers may interpret a subset of HTML in the body;
// text from clients must show as text there too.
func escapeMarkup(s string) string {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// feedSize bounds the in-app feed; older items drop off.
const feedSize = 200

// Notifier posts to the feed and, unless muted, to the desktop. A missing notification daemon is
// reported once, and the feed keeps working.
type Notifier struct {
	desktop Desktop
	onItem  func(Item) // the app forwards new items to the UI

	muted    atomic.Bool
	warnOnce sync.Once
	warning  atomic.Value // string: what is missing, for the UI to say once

	mu     sync.Mutex
	items  []Item
	nextID int64
}

// New returns a notifier over desktop; onItem (may be nil) hears every new feed item.
func New(desktop Desktop, onItem func(Item)) *Notifier {
	return &Notifier{desktop: desktop, onItem: onItem}
}

// SetMuted turns desktop notifications off or on (the feed still fills).
func (n *Notifier) SetMuted(on bool) { n.muted.Store(on) }

// Muted says whether desktop notifications are off.
func (n *Notifier) Muted() bool { return n.muted.Load() }

// Warning is what is missing for desktop notifications, or "" while they work.
func (n *Notifier) Warning() string {
	w, _ := n.warning.Load().(string)
	return w
}

// Post adds it to the feed and shows it on the desktop unless muted.
func (n *Notifier) Post(it Item) Item {
	n.mu.Lock()
	n.nextID++
	it.ID = n.nextID
	if it.At == 0 {
		it.At = time.Now().UnixMilli()
	}
	n.items = append(n.items, it)
	if len(n.items) > feedSize {
		n.items = append([]Item(nil), n.items[len(n.items)-feedSize:]...)
	}
	n.mu.Unlock()
	if n.onItem != nil {
		n.onItem(it)
	}
	if !n.muted.Load() && n.desktop != nil {
		if err := n.desktop.Notify(it.Title, it.Body); err != nil {
			n.warnOnce.Do(func() {
				n.warning.Store("desktop notifications are unavailable: " + err.Error())
				slog.Warn("desktop notifications unavailable; the in-app feed still works", "err", err)
			})
		}
	}
	return it
}

// Items returns the feed, newest first.
func (n *Notifier) Items() []Item {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]Item, len(n.items))
	for i, it := range n.items {
		out[len(n.items)-1-i] = it
	}
	return out
}

// Dismiss removes one item from the feed.
func (n *Notifier) Dismiss(id int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, it := range n.items {
		if it.ID == id {
			n.items = append(n.items[:i], n.items[i+1:]...)
			return
		}
	}
}
