package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/demo"
	"switchboard/backend/engine"
	"switchboard/backend/notify"
	"switchboard/backend/store"
)

// testApp is the desktop app over cfg's store, composed as run composes it, with channel
// retries shortened for tests.
func testApp(t *testing.T, cfg engine.Config) *App {
	t.Helper()
	cfg.MinBackoff, cfg.MaxBackoff = 20*time.Millisecond, 50*time.Millisecond
	a, err := newApp(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.eng.Close() })
	return a
}

// recWindow records what the app asks of the window.
type recWindow struct {
	noWindow
	mu     sync.Mutex
	events []recEvent
	hidden bool
	quit   bool
}

type recEvent struct {
	name string
	data any
}

func (w *recWindow) Emit(name string, data any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, recEvent{name, data})
}
func (w *recWindow) Show()                { w.mu.Lock(); w.hidden = false; w.mu.Unlock() }
func (w *recWindow) Hide()                { w.mu.Lock(); w.hidden = true; w.mu.Unlock() }
func (w *recWindow) Quit()                { w.mu.Lock(); w.quit = true; w.mu.Unlock() }
func (w *recWindow) Size() (int, int)     { return 1111, 777 }
func (w *recWindow) Position() (int, int) { return 40, 30 }

// waitFor polls the recorded events until match finds one or the deadline passes.
func (w *recWindow) waitFor(t *testing.T, match func(recEvent) bool) recEvent {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		for _, e := range w.events {
			if match(e) {
				w.mu.Unlock()
				return e
			}
		}
		w.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no matching event; got %+v", w.events)
	return recEvent{}
}

type recDesktop struct {
	mu    sync.Mutex
	calls []string
}

func (d *recDesktop) Notify(title, body string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, title+": "+body)
	return nil
}

func newTestApp(t *testing.T) (*App, *recWindow, *recDesktop) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := demo.Generate(ctx, st, demo.Options{People: 60, Messages: 600, Seed: 3, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	d := &recDesktop{}
	a := testApp(t, engine.Config{Store: st, Desktop: d})
	w := &recWindow{}
	a.win = w
	runCtx, cancel := context.WithCancel(ctx)
	a.startBackground(runCtx)
	t.Cleanup(func() { cancel(); a.wg.Wait() })
	return a, w, d
}

func firstUnreadChat(t *testing.T, a *App) core.ListRow {
	t.Helper()
	page, err := a.ListPeople(core.ListQuery{Tab: core.TabUnread, Limit: 5})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("unread tab: %v rows, %v", len(page.Rows), err)
	}
	return page.Rows[0]
}

func TestBootstrapDescribesTheWorkspace(t *testing.T) {
	a, _, _ := newTestApp(t)
	b, err := a.Bootstrap()
	if err != nil {
		t.Fatal(err)
	}
	if b.Me.ID == 0 || !b.Me.IsMe || len(b.Managers) < 2 {
		t.Fatalf("managers: me %+v, %d managers", b.Me, len(b.Managers))
	}
	if b.Counts.All == 0 || b.Counts.Unread == 0 {
		t.Fatalf("counts %+v", b.Counts)
	}
	if b.DefaultTab != core.TabImportant && b.DefaultTab != core.TabAll {
		t.Fatalf("default tab %q", b.DefaultTab)
	}
	if b.Counts.Important > 0 && b.DefaultTab != core.TabImportant {
		t.Fatalf("important has %d rows but default tab is %q", b.Counts.Important, b.DefaultTab)
	}
	if len(b.Channels) != 2 || len(b.Facets.Plans) == 0 {
		t.Fatalf("channels %d, plans %v", len(b.Channels), b.Facets.Plans)
	}
}

func TestMarkReadReachesTheUIAsStoreChanged(t *testing.T) {
	a, w, _ := newTestApp(t)
	row := firstUnreadChat(t, a)
	if err := a.MarkRead(row.ChatID); err != nil {
		t.Fatal(err)
	}
	e := w.waitFor(t, func(e recEvent) bool {
		sc, ok := e.data.(StoreChanged)
		if !ok || e.name != EventStoreChanged {
			return false
		}
		for _, id := range sc.ChatIDs {
			if id == row.ChatID {
				return true
			}
		}
		return false
	})
	if sc := e.data.(StoreChanged); sc.Seq == 0 || len(sc.Kinds) == 0 {
		t.Fatalf("payload %+v", sc)
	}
	card, err := a.ClientCard(row.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range card.Chats {
		if c.ID == row.ChatID && c.Unread != 0 {
			t.Fatalf("chat still has %d unread", c.Unread)
		}
	}
}

func TestAMentionOfMeByAnotherManagerNotifies(t *testing.T) {
	a, w, d := newTestApp(t)
	row := firstUnreadChat(t, a)
	managers, _ := a.inbox.Managers(context.Background())
	var other core.Manager
	for _, m := range managers {
		if !m.IsMe {
			other = m
		}
	}
	_, err := a.inbox.Store.AddNote(context.Background(), row.ChatID, other.ID, "please look <b>here</b>",
		[]int64{a.inbox.Me}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := w.waitFor(t, func(e recEvent) bool { return e.name == EventNotification })
	it := e.data.(notify.Item)
	if it.Kind != notify.KindMention || it.ChatID != row.ChatID || it.Body != "please look <b>here</b>" {
		t.Fatalf("notification %+v", it)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.calls) != 1 {
		t.Fatalf("desktop calls %v", d.calls)
	}
	if items := a.Notifications(); len(items) != 1 || items[0].ID != it.ID {
		t.Fatalf("feed %+v", items)
	}
}

func TestMyOwnNoteDoesNotNotifyMe(t *testing.T) {
	a, w, d := newTestApp(t)
	row := firstUnreadChat(t, a)
	if _, err := a.AddNote(row.ChatID, "note to self", []int64{a.inbox.Me}); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, func(e recEvent) bool { return e.name == EventStoreChanged })
	time.Sleep(100 * time.Millisecond)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.calls) != 0 {
		t.Fatalf("notified about my own note: %v", d.calls)
	}
}

func TestCloseHidesToTrayUnlessQuitting(t *testing.T) {
	a, w, _ := newTestApp(t)
	a.hideOnClose.Store(true)
	if prevent := a.beforeClose(context.Background()); !prevent || !w.hidden {
		t.Fatalf("close with hide-to-tray: prevent=%v hidden=%v", prevent, w.hidden)
	}
	a.Quit()
	if prevent := a.beforeClose(context.Background()); prevent || !w.quit {
		t.Fatalf("quit: prevent=%v quit=%v", prevent, w.quit)
	}
	// The window state was saved on close and is what the next start restores.
	if ws := a.loadWindowState(); ws != (windowState{Width: 1111, Height: 777, X: 40, Y: 30}) {
		t.Fatalf("restored window %+v", ws)
	}
}

func TestReportReadyWritesTheMomentOnce(t *testing.T) {
	a, _, _ := newTestApp(t)
	a.readyFile = filepath.Join(t.TempDir(), "ready.json")
	a.ReportReady(42, map[string]float64{"bootReceived": 120, "painted": 180})
	a.ReportReady(7, nil)
	raw, err := os.ReadFile(a.readyFile)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows   int                `json:"rows"`
		UnixMS int64              `json:"unixMs"`
		Marks  map[string]float64 `json:"marks"`
	}
	if err := json.Unmarshal(raw, &got); err != nil || got.Rows != 42 || got.UnixMS == 0 || got.Marks["painted"] != 180 {
		t.Fatalf("ready file %s (%v)", raw, err)
	}
}

func TestErrorsReachTheUIWithCodes(t *testing.T) {
	got := uiError(fmt.Errorf("delete message 5: %w", core.ErrDeleteWindowPassed))
	if got.Code != "delete_window" || got.Message == "" {
		t.Fatalf("%+v", got)
	}
	if got := uiError(errors.New("boom")); got.Code != "internal" {
		t.Fatalf("%+v", got)
	}
}

func TestOpenChatRefFindsAnyChatsPerson(t *testing.T) {
	a, _, _ := newTestApp(t)
	row := firstUnreadChat(t, a)
	ref, err := a.OpenChatRef(row.ChatID)
	if err != nil || ref.PersonID != row.PersonID || ref.Name != row.Name {
		t.Fatalf("ref %+v for row %+v: %v", ref, row, err)
	}
	if _, err := a.OpenChatRef(987654); err == nil {
		t.Fatal("a missing chat resolved")
	}
}

func TestMergePeopleJoinsTwoPeoplesChats(t *testing.T) {
	a, _, _ := newTestApp(t)
	page, err := a.ListPeople(core.ListQuery{Tab: core.TabAll, Limit: 10})
	if err != nil || len(page.Rows) < 2 {
		t.Fatalf("rows %d: %v", len(page.Rows), err)
	}
	keep, merge := page.Rows[0], page.Rows[1]
	before, _ := a.ClientCard(keep.PersonID)
	other, _ := a.ClientCard(merge.PersonID)
	if err := a.MergePeople(keep.PersonID, merge.PersonID); err != nil {
		t.Fatal(err)
	}
	after, err := a.ClientCard(keep.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Chats) != len(before.Chats)+len(other.Chats) {
		t.Fatalf("chats %d, want %d+%d", len(after.Chats), len(before.Chats), len(other.Chats))
	}
	if _, err := a.ClientCard(merge.PersonID); err == nil {
		t.Fatal("the merged person still has a card")
	}
	if got := uiError(a.MergePeople(keep.PersonID, keep.PersonID)); got.Code != "invalid" {
		t.Fatalf("merging a person into itself: %+v", got)
	}
}

func TestWithoutATrayHostClosingQuits(t *testing.T) {
	a, _, _ := newTestApp(t)
	if os.Getenv("SB_DESKTOP_SESSION") == "1" {
		// The throw-away session has a bus but no StatusNotifierWatcher: no tray host.
		if trayHostMissing() == "" {
			t.Fatal("a tray host was found in a session that has none")
		}
	}
	a.trayWarning = core.FailNoTrayHost
	if err := a.SetCloseToTray(true); err != nil {
		t.Fatal(err)
	}
	if a.hideOnClose.Load() {
		t.Fatal("close-to-tray turned on with no tray: the window could not be brought back")
	}
	if ds := a.DesktopSettings(); ds.TrayWarning == "" || ds.CloseToTray {
		t.Fatalf("desktop settings %+v", ds)
	}
}
