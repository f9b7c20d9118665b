package inbox

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/demo"
	"switchboard/backend/store"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func demoService(t *testing.T) *Service {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := demo.Generate(context.Background(), st, demo.Options{People: 300, Messages: 3000, Seed: 1, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	svc, err := New(st)
	if err != nil {
		t.Fatal(err)
	}
	svc.Now = func() time.Time { return testNow }
	return svc
}

func TestNewCreatesMeInAnEmptyStore(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := New(st)
	if err != nil {
		t.Fatal(err)
	}
	again, err := New(st)
	if err != nil || again.Me != svc.Me || svc.Me == 0 {
		t.Fatalf("me = %d then %d (%v)", svc.Me, again.Me, err)
	}
	ms, _ := svc.Managers(context.Background())
	if len(ms) != 1 || !ms[0].IsMe {
		t.Errorf("managers = %+v", ms)
	}
	// An empty workspace opens on All.
	if tab, page, err := svc.FirstScreen(context.Background()); err != nil || tab != core.TabAll || len(page.Rows) != 0 {
		t.Errorf("first screen = %q with %d rows, %v", tab, len(page.Rows), err)
	}
}

func TestReadUseCases(t *testing.T) {
	svc := demoService(t)
	ctx := context.Background()
	if svc.Me != demo.MeID {
		t.Fatalf("me = %d", svc.Me)
	}
	// The demo has tasks due today: the list opens on Important, with that tab's first page,
	// the same page the UI's own first query returns.
	tab, first, err := svc.FirstScreen(ctx)
	if err != nil || tab != core.TabImportant || len(first.Rows) == 0 {
		t.Fatalf("first screen = %q with %d rows, %v", tab, len(first.Rows), err)
	}
	if asked, err := svc.ListPeople(ctx, core.ListQuery{Tab: core.TabImportant, Limit: core.DefaultPageSize}); err != nil ||
		!reflect.DeepEqual(asked, first) {
		t.Errorf("first page %+v, the UI's query answers %+v (%v)", first, asked, err)
	}
	// Limits are clamped, the empty tab means All, bad tabs and filters are refused.
	page, err := svc.ListPeople(ctx, core.ListQuery{Limit: 100000})
	if err != nil || len(page.Rows) != core.MaxPageSize {
		t.Errorf("clamped page: %d rows, %v", len(page.Rows), err)
	}
	if _, err := svc.ListPeople(ctx, core.ListQuery{Tab: "spam"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad tab: %v", err)
	}
	if _, err := svc.TabCounts(ctx, core.ListQuery{Filter: core.ListFilter{Channels: []core.ChannelKind{"icq"}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad messenger: %v", err)
	}
	long := make([]rune, 5000)
	for i := range long {
		long[i] = 'я'
	}
	if _, err := svc.ListPeople(ctx, core.ListQuery{Search: string(long)}); err != nil {
		t.Errorf("long search: %v", err)
	}

	// Reading a chat moves the person out of Unread and the badge follows.
	before, _ := svc.TabCounts(ctx, core.ListQuery{})
	unread, _ := svc.ListPeople(ctx, core.ListQuery{Tab: core.TabUnread})
	if len(unread.Rows) == 0 {
		t.Fatal("demo has no unread chats")
	}
	row := unread.Rows[0]
	card, err := svc.ClientCard(ctx, row.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range card.Chats {
		if err := svc.MarkRead(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := svc.TabCounts(ctx, core.ListQuery{})
	if after.Unread != before.Unread-1 {
		t.Errorf("unread badge %d -> %d", before.Unread, after.Unread)
	}
	if n, err := svc.MarkAllRead(ctx); err != nil || n == 0 {
		t.Errorf("mark all read = %d, %v", n, err)
	}
	if c, _ := svc.TabCounts(ctx, core.ListQuery{}); c.Unread != 0 {
		t.Errorf("unread after all read = %d", c.Unread)
	}

	// Notes: empty is refused; a mention-only note is fine.
	if _, err := svc.AddNote(ctx, row.ChatID, "   ", nil); !errors.Is(err, core.ErrEmptyMessage) {
		t.Errorf("empty note: %v", err)
	}
	n, err := svc.AddNote(ctx, row.ChatID, "", []int64{2})
	if err != nil || n.ManagerID != svc.Me || n.Kind != core.KindNote {
		t.Errorf("mention note = %+v, %v", n, err)
	}
	if _, err := svc.History(ctx, core.HistoryQuery{ChatID: 0}); !errors.Is(err, ErrInvalid) {
		t.Errorf("history without chat: %v", err)
	}
	if _, err := svc.History(ctx, core.HistoryQuery{ChatID: row.ChatID, Filter: core.HistoryFilter{Senders: []core.SenderKind{"alien"}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown sender: %v", err)
	}

	// Switches.
	if err := svc.SetBotOff(ctx, row.ChatID, true); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetArchived(ctx, row.PersonID, true); err != nil {
		t.Fatal(err)
	}
	arch, _ := svc.ListPeople(ctx, core.ListQuery{Filter: core.ListFilter{Archived: true}, Limit: 200})
	found := false
	for _, r := range arch.Rows {
		found = found || r.PersonID == row.PersonID
	}
	if !found {
		t.Error("archived person not in the archive")
	}
}

func TestSettingsAndSavedFilters(t *testing.T) {
	svc := demoService(t)
	ctx := context.Background()
	for _, kv := range [][2]string{{"locale", "ru"}, {"theme", "dark"}, {"last_chat", "12"}, {"window", `{"w":1200,"h":800}`}} {
		if err := svc.SetSetting(ctx, kv[0], kv[1]); err != nil {
			t.Errorf("set %s: %v", kv[0], err)
		}
		if v, err := svc.Setting(ctx, kv[0]); err != nil || v != kv[1] {
			t.Errorf("get %s = %q, %v", kv[0], v, err)
		}
	}
	for _, kv := range [][2]string{{"locale", "de"}, {"theme", "neon"}, {"last_chat", "x"}, {"window", "{"}, {"token", "secret"}} {
		if err := svc.SetSetting(ctx, kv[0], kv[1]); !errors.Is(err, ErrInvalid) {
			t.Errorf("set %s=%s: %v", kv[0], kv[1], err)
		}
	}
	if v, _ := svc.Setting(ctx, "theme"); v != "dark" {
		t.Errorf("a refused value changed the setting: %q", v)
	}
	yes := true
	f := core.ListFilter{Channels: []core.ChannelKind{core.VK}, HasPhone: &yes, Tags: []string{"VIP"}}
	saved, err := svc.SaveFilter(ctx, " VIP в VK ", f)
	if err != nil || saved.Name != "VIP в VK" {
		t.Fatalf("save = %+v, %v", saved, err)
	}
	f.Tags = []string{"B2B"}
	again, err := svc.SaveFilter(ctx, "VIP в VK", f) // same name: replaced
	if err != nil || again.ID != saved.ID {
		t.Errorf("upsert = %+v, %v", again, err)
	}
	list, _ := svc.SavedFilters(ctx)
	if len(list) != 1 || list[0].Filter.Tags[0] != "B2B" || list[0].Filter.HasPhone == nil || !*list[0].Filter.HasPhone {
		t.Errorf("saved filters = %+v", list)
	}
	if _, err := svc.SaveFilter(ctx, "  ", f); !errors.Is(err, ErrInvalid) {
		t.Errorf("nameless filter: %v", err)
	}
	if err := svc.DeleteSavedFilter(ctx, saved.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := svc.SavedFilters(ctx); len(list) != 0 {
		t.Errorf("after delete: %+v", list)
	}
}

func TestFollowWakesPromptly(t *testing.T) {
	svc := demoService(t)
	svc.SafetyTick = time.Hour // only the commit signal can wake it in time
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	from, err := svc.Store.LastEventSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []core.Event, 10)
	done := make(chan error, 1)
	go func() { done <- svc.Follow(ctx, from, func(evs []core.Event) { got <- evs }) }()

	page, _ := svc.ListPeople(ctx, core.ListQuery{Limit: 3})
	for i, r := range page.Rows {
		start := time.Now()
		if err := svc.SetTunnelOff(ctx, r.ChatID, true); err != nil {
			t.Fatal(err)
		}
		select {
		case evs := <-got:
			if len(evs) != 1 || evs[0].Kind != core.EventChatChanged || evs[0].ChatID != r.ChatID {
				t.Errorf("write %d delivered %+v", i, evs)
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("write %d delivered after %v", i, d)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("write %d: follower not woken", i)
		}
	}
	// Events are delivered in order, each once: catching up from the start replays them all.
	ctx2, cancel2 := context.WithCancel(context.Background())
	var seqs []int64
	go func() {
		svc.Follow(ctx2, from, func(evs []core.Event) {
			for _, e := range evs {
				seqs = append(seqs, e.Seq)
			}
			if len(seqs) >= 3 {
				cancel2()
			}
		})
	}()
	<-ctx2.Done()
	time.Sleep(10 * time.Millisecond)
	if len(seqs) != 3 || !(seqs[0] < seqs[1] && seqs[1] < seqs[2]) || seqs[0] != from+1 {
		t.Errorf("replayed seqs = %v from %d", seqs, from)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("follow returned %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Follow did not stop when its context ended")
	}
}
