package notify_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/notify"
	"switchboard/backend/store"
)

type desktopLog struct {
	mu    sync.Mutex
	calls []string
}

func (d *desktopLog) Notify(title, body string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, title+"|"+body)
	return nil
}

func (d *desktopLog) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.calls...)
}

// A task of mine that becomes due raises exactly one notification, in the feed and on the
// desktop, over a real store: not again at the next check, nor after the app restarts (a new
// notifier over the reopened database); a task of another manager raises none here.
func TestDueTaskNotifiesItsAssigneeOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.DBFile)
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	me, err := st.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := store.BulkPerson{}
	p.ID, p.Name, p.Status, p.CreatedAt = 7, "Ирина <b>Клиент</b>", core.Subscribed, 1
	if err := b.Person(p); err != nil {
		t.Fatal(err)
	}
	if err := b.Manager(core.Manager{ID: 40, Name: "Anna"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Finish(); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	mine, err := st.AddTask(ctx, core.Task{PersonID: 7, AssigneeID: me.ID, Title: "Позвонить", DueAt: clock.Add(time.Minute).UnixMilli()}, me.ID, clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddTask(ctx, core.Task{PersonID: 7, AssigneeID: 40, Title: "Anna's", DueAt: clock.Add(time.Minute).UnixMilli()}, me.ID, clock); err != nil {
		t.Fatal(err)
	}

	desk := &desktopLog{}
	n := notify.New(desk, nil)
	w := &notify.DueWatcher{Source: st, Notifier: n, Assignee: me.ID, Now: func() time.Time { return clock }}
	if err := w.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if len(n.Items()) != 0 {
		t.Fatalf("notified before the due time: %+v", n.Items())
	}
	clock = clock.Add(2 * time.Minute)
	for range 3 {
		if err := w.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	n.Close() // waits for the desktop sender
	items := n.Items()
	if len(items) != 1 {
		t.Fatalf("want one notification, got %+v", items)
	}
	it := items[0]
	if it.Kind != notify.KindTask || it.Title != "Позвонить" || it.Body != "Ирина <b>Клиент</b>" || it.TaskID != mine.ID ||
		it.PersonID != 7 || it.At != mine.DueAt {
		t.Fatalf("item %+v", it)
	}
	if got := desk.list(); len(got) != 1 || got[0] != "Позвонить|Ирина <b>Клиент</b>" {
		t.Fatalf("desktop got %v", got)
	}

	// Restart: the store reopened, a fresh feed, the watcher running as the app runs it.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n2 := notify.New(&desktopLog{}, nil)
	defer n2.Close()
	w2 := &notify.DueWatcher{Source: st, Notifier: n2, Assignee: me.ID, Now: func() time.Time { return clock.Add(time.Hour) },
		Every: 5 * time.Millisecond}
	runCtx, stop := context.WithTimeout(ctx, 100*time.Millisecond)
	defer stop()
	w2.Run(runCtx) // returns when runCtx ends
	if items := n2.Items(); len(items) != 0 {
		t.Fatalf("fired again after a restart: %+v", items)
	}
}
