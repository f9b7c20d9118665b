// Package notify tells the manager what needs them: desktop notifications (D-Bus on Linux, toasts on
// Windows, AppleScript on macOS; client text never becomes structure there, see text.go) and the
// in-app notification feed the UI lists with "open chat".
package notify

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// appName is how the desktop names our notifications.
const appName = "Switchboard"

// WarningUnavailable is Warning's code when the desktop refused a notification (no daemon, no
// session bus): the UI words it; the OS's own error goes to the log only.
const WarningUnavailable = "notifications_unavailable"

// Kind is why a notification was raised.
type Kind string

const (
	KindMessage Kind = "message" // a new client message while the window was not focused
	KindMention Kind = "mention" // another manager tagged me in a chat
	KindTask    Kind = "task"    // a task of mine became due
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
	TaskID    int64  `json:"taskId,omitempty"`
	At        int64  `json:"at"`
}

// Desktop shows a notification outside the window.
type Desktop interface {
	Notify(title, body string) error
}

// feedSize bounds the in-app feed; older items drop off.
const feedSize = 200

// desktopQueue bounds the notifications waiting for a slow desktop daemon; beyond it they are
// dropped from the desktop (the feed keeps them) instead of piling up behind it.
const desktopQueue = 16

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

	// The desktop is called from one goroutine of its own, so that Post (on the event path)
	// never waits for a notification daemon. Close stops it.
	toDesktop chan Item
	closeOnce sync.Once
	done      chan struct{}
}

// New returns a notifier over desktop; onItem (may be nil) hears every new feed item.
// Close stops its desktop sender.
func New(desktop Desktop, onItem func(Item)) *Notifier {
	n := &Notifier{desktop: desktop, onItem: onItem,
		toDesktop: make(chan Item, desktopQueue), done: make(chan struct{})}
	go n.sendToDesktop(n.toDesktop)
	return n
}

// Close stops the desktop sender after what is queued has been shown; Post after Close only
// fills the feed.
func (n *Notifier) Close() {
	n.closeOnce.Do(func() {
		n.mu.Lock()
		close(n.toDesktop)
		n.toDesktop = nil
		n.mu.Unlock()
		<-n.done
	})
}

func (n *Notifier) sendToDesktop(queue <-chan Item) {
	defer close(n.done)
	for it := range queue {
		if n.desktop == nil {
			continue
		}
		if err := n.desktop.Notify(it.Title, it.Body); err != nil {
			n.warnOnce.Do(func() {
				n.warning.Store(WarningUnavailable)
				slog.Warn("desktop notifications unavailable; the in-app feed still works", "err", err)
			})
		}
	}
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

// Post adds it to the feed and queues it for the desktop unless muted. It never waits for the
// desktop.
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
	if !n.muted.Load() && n.desktop != nil && n.toDesktop != nil {
		select {
		case n.toDesktop <- it:
		default:
			slog.Debug("desktop notification dropped: the daemon is behind", "chat", it.ChatID)
		}
	}
	n.mu.Unlock()
	if n.onItem != nil {
		n.onItem(it)
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
