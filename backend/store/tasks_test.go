package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"switchboard/backend/core"
)

// eventsAfter returns the event log after seq.
func eventsAfter(t *testing.T, s *Store, seq int64) []core.Event {
	t.Helper()
	var evs []core.Event
	if err := s.read.Select(&evs, `SELECT seq, kind, person_id, chat_id, message_id, manager_id, at FROM events WHERE seq > ? ORDER BY seq`, seq); err != nil {
		t.Fatal(err)
	}
	return evs
}

func lastSeq(t *testing.T, s *Store) int64 {
	t.Helper()
	var seq int64
	if err := s.read.Get(&seq, `SELECT COALESCE(MAX(seq), 0) FROM events`); err != nil {
		t.Fatal(err)
	}
	return seq
}

func importantNames(t *testing.T, s *Store, me int64, now time.Time) []string {
	t.Helper()
	page, err := s.ListPeople(context.Background(), core.ListQuery{Tab: core.TabImportant}, me, now)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range page.Rows {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	return names
}

// A task's whole life moves the person in and out of the Important tab of its assignee only,
// with a task.changed event for the person at each step, and the card lists it open, then done.
func TestTaskLifecycleDrivesImportant(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	counts := func(me int64) int {
		c, err := s.TabCounts(ctx, core.ListQuery{}, me, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		return c.Important
	}
	if got := importantNames(t, s, fxMe, fxNow); !slices.Equal(got, []string{"Иван Петров", "Ольга Unsub"}) {
		t.Fatalf("fixture's Important = %v", got)
	}
	if counts(fxMe) != 2 || counts(fxOther) != 1 {
		t.Fatalf("counts: me %d, other %d", counts(fxMe), counts(fxOther))
	}
	seq := lastSeq(t, s)
	// Anna Smith (2) gets a task of mine due an hour from now: today, so Important at once.
	task, err := s.AddTask(ctx, core.Task{PersonID: 2, AssigneeID: fxMe, Title: "перезвонить", DueAt: fxNow.Add(time.Hour).UnixMilli()}, fxMe, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if task.ID == 0 || task.Done {
		t.Fatalf("added %+v", task)
	}
	if got := importantNames(t, s, fxMe, fxNow); !slices.Contains(got, "Anna Smith") || counts(fxMe) != 3 {
		t.Fatalf("after add: %v, count %d", got, counts(fxMe))
	}
	if counts(fxOther) != 1 {
		t.Fatal("my task changed the other manager's Important tab")
	}
	// Reassigned to the other manager: out of mine, into theirs.
	task.AssigneeID = fxOther
	task.Title = "перезвонить вечером"
	if task, err = s.UpdateTask(ctx, task, fxNow); err != nil {
		t.Fatal(err)
	}
	if task.Title != "перезвонить вечером" || counts(fxMe) != 2 || counts(fxOther) != 2 {
		t.Fatalf("after reassign: %+v, me %d, other %d", task, counts(fxMe), counts(fxOther))
	}
	// Back to me and moved to tomorrow: not Important today.
	task.AssigneeID, task.DueAt = fxMe, fxNow.Add(24*time.Hour).UnixMilli()
	if task, err = s.UpdateTask(ctx, task, fxNow); err != nil {
		t.Fatal(err)
	}
	if counts(fxMe) != 2 {
		t.Fatalf("a task due tomorrow counts: %d", counts(fxMe))
	}
	// Ivan's task done: he leaves Important; undone: he is back.
	done, err := s.SetTaskDone(ctx, 1, true, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Done || done.DoneAt != fxNow.UnixMilli() || counts(fxMe) != 1 {
		t.Fatalf("done: %+v, count %d", done, counts(fxMe))
	}
	card, err := s.ClientCard(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Tasks) != 1 || !card.Tasks[0].Done {
		t.Fatalf("card keeps the done task: %+v", card.Tasks)
	}
	if undone, err := s.SetTaskDone(ctx, 1, false, fxNow); err != nil || undone.Done || undone.DoneAt != 0 || counts(fxMe) != 2 {
		t.Fatalf("undo: %+v %v, count %d", undone, err, counts(fxMe))
	}
	// Пётр's card: the open task (theirs, overdue) before the done one.
	tasks, err := s.Tasks(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 2 || tasks[0].ID != 3 || tasks[1].ID != 4 {
		t.Fatalf("Пётр's tasks out of order: %+v", tasks)
	}
	if err := s.DeleteTask(ctx, task.ID, fxNow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Task(ctx, task.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted task still there: %v", err)
	}
	if err := s.DeleteTask(ctx, task.ID, fxNow); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	evs := eventsAfter(t, s, seq)
	var kinds []string
	for _, e := range evs {
		if e.Kind != core.EventTaskChanged {
			t.Errorf("unexpected event %+v", e)
		}
		kinds = append(kinds, e.Kind)
		if e.PersonID != 2 && e.PersonID != 1 {
			t.Errorf("event for the wrong person: %+v", e)
		}
	}
	if len(evs) != 6 { // add, 2 updates, done, undone, delete
		t.Fatalf("events: %v", kinds)
	}
}

func TestTaskAssigneeMustExistAndBeEnabled(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	if _, err := s.AddTask(ctx, core.Task{PersonID: 1, AssigneeID: 99, Title: "x", DueAt: fxNow.UnixMilli()}, fxMe, fxNow); !errors.Is(err, ErrUnknownAssignee) {
		t.Fatalf("unknown assignee: %v", err)
	}
	if _, err := s.AddTask(ctx, core.Task{PersonID: 99, AssigneeID: fxMe, Title: "x", DueAt: fxNow.UnixMilli()}, fxMe, fxNow); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	acc := s.Accounts()
	if _, err := acc.Add(ctx, NewAccount{Name: "Admin", Email: "a@x", Role: RoleAdmin, PasswordHash: "h"}, 1); err != nil {
		t.Fatal(err)
	}
	gone, err := acc.Add(ctx, NewAccount{Name: "Gone", Email: "g@x", Role: RoleManager, PasswordHash: "h"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	task, err := s.AddTask(ctx, core.Task{PersonID: 1, AssigneeID: gone.ManagerID, Title: "x", DueAt: fxNow.UnixMilli()}, fxMe, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.SetDisabled(ctx, gone.ManagerID, true, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTask(ctx, core.Task{PersonID: 1, AssigneeID: gone.ManagerID, Title: "x", DueAt: fxNow.UnixMilli()}, fxMe, fxNow); !errors.Is(err, ErrAssigneeDisabled) {
		t.Fatalf("disabled assignee on add: %v", err)
	}
	if _, err := s.UpdateTask(ctx, task, fxNow); !errors.Is(err, ErrAssigneeDisabled) {
		t.Fatalf("disabled assignee on update: %v", err)
	}
}

// Each due time is handed out once: a second check, a restart (the store reopened) and other
// managers' checks get nothing more; moving the due time arms it again.
func TestTakeDueTasksOncePerDueTime(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	me, err := s.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.NewBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := BulkPerson{}
	p.ID, p.Name, p.Status, p.CreatedAt = 10, "Клиент", core.Subscribed, 1
	if err := b.Person(p); err != nil {
		t.Fatal(err)
	}
	if err := b.Manager(core.Manager{ID: 50, Name: "Anna"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Finish(); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	add := func(title string, assignee int64, due time.Time) core.Task {
		task, err := s.AddTask(ctx, core.Task{PersonID: 10, AssigneeID: assignee, Title: title, DueAt: due.UnixMilli()}, me.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		return task
	}
	soon := add("soon", me.ID, now.Add(10*time.Minute))
	add("anna's", 50, now.Add(5*time.Minute))
	add("written down overdue", me.ID, now.Add(-time.Hour)) // by me for me: nothing to tell
	titles := func(due []core.DueTask) []string {
		var out []string
		for _, d := range due {
			out = append(out, d.Title)
		}
		return out
	}
	take := func(s *Store, who int64, at time.Time) []string {
		due, err := s.TakeDueTasks(ctx, who, at)
		if err != nil {
			t.Fatal(err)
		}
		return titles(due)
	}
	if got := take(s, me.ID, now); len(got) != 0 {
		t.Fatalf("nothing is due yet, got %v", got)
	}
	later := now.Add(15 * time.Minute)
	due, err := s.TakeDueTasks(ctx, me.ID, later)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != soon.ID || due[0].PersonName != "Клиент" {
		t.Fatalf("due at 12:15: %+v", due)
	}
	if got := take(s, me.ID, later); len(got) != 0 {
		t.Fatalf("fired twice: %v", got)
	}
	s.Close()
	s = openSameDatabase(t, s)
	if got := take(s, me.ID, later.Add(time.Hour)); len(got) != 0 {
		t.Fatalf("fired again after a restart: %v", got)
	}
	if got := take(s, 50, later); !slices.Equal(got, []string{"anna's"}) {
		t.Fatalf("Anna's check: %v", got)
	}
	// Moved to tomorrow, it fires again when tomorrow comes; completed tasks never fire.
	soon.DueAt = now.Add(24 * time.Hour).UnixMilli()
	if _, err := s.UpdateTask(ctx, soon, later); err != nil {
		t.Fatal(err)
	}
	if got := take(s, me.ID, now.Add(25*time.Hour)); !slices.Equal(got, []string{"soon"}) {
		t.Fatalf("re-armed task: %v", got)
	}
	doneLater := add("done before due", me.ID, now.Add(30*time.Hour))
	if _, err := s.SetTaskDone(ctx, doneLater.ID, true, now); err != nil {
		t.Fatal(err)
	}
	if got := take(s, me.ID, now.Add(31*time.Hour)); len(got) != 0 {
		t.Fatalf("a done task fired: %v", got)
	}
}

// Two managers claiming one unassigned chat at once, through two connections to the same
// database as two processes (or two hub instances) would: exactly one wins, every loser is told who.
func TestClaimRaceHasOneWinner(t *testing.T) {
	f := fixture(t)
	ctx := context.Background()
	other := openSameDatabase(t, f.s)
	for round := 0; round < 5; round++ {
		chat := f.chatIvan
		if err := f.s.SetChatOwner(ctx, chat, 0, ownerOf(t, f.s, chat), fxNow); err != nil {
			t.Fatal(err)
		}
		const claimers = 8
		var wg sync.WaitGroup
		errs := make([]error, claimers)
		start := make(chan struct{})
		for i := range claimers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, who := f.s, int64(fxMe)
				if i%2 == 1 {
					st, who = other, fxOther
				}
				<-start
				errs[i] = st.SetChatOwner(ctx, chat, who, 0, fxNow)
			}()
		}
		close(start)
		wg.Wait()
		owner := ownerOf(t, f.s, chat)
		winners := 0
		for i, err := range errs {
			who := int64(fxMe)
			if i%2 == 1 {
				who = fxOther
			}
			var conflict *ClaimConflict
			switch {
			case err == nil:
				// A claimer that finds itself already the owner (its twin won) is not refused.
				if who != owner {
					t.Fatalf("round %d: claimer %d (manager %d) succeeded but the owner is %d", round, i, who, owner)
				}
				winners++
			case errors.As(err, &conflict):
				if !errors.Is(err, ErrClaimed) || conflict.OwnerID != owner || conflict.OwnerName == "" {
					t.Fatalf("round %d: conflict %+v, owner %d", round, conflict, owner)
				}
			default:
				t.Fatalf("round %d: claimer %d: %v", round, i, err)
			}
		}
		if owner == 0 || winners != claimers/2 {
			t.Fatalf("round %d: owner %d, %d claims reported success (only the owner's own may)", round, owner, winners)
		}
	}
}

func ownerOf(t *testing.T, s *Store, chatID int64) int64 {
	t.Helper()
	c, err := s.Chat(context.Background(), chatID)
	if err != nil {
		t.Fatal(err)
	}
	return c.OwnerID
}

func TestClaimCompareAndSet(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	seq := lastSeq(t, s)
	if err := s.SetChatOwner(ctx, f.chatAnna, fxOther, 0, fxNow); err != nil {
		t.Fatal(err)
	}
	// I expected it unassigned: refused, naming Анна.
	err := s.SetChatOwner(ctx, f.chatAnna, fxMe, 0, fxNow)
	var conflict *ClaimConflict
	if !errors.As(err, &conflict) || conflict.OwnerID != fxOther || conflict.OwnerName != "Анна" {
		t.Fatalf("claim of a claimed chat: %v", err)
	}
	// A release expecting me as the owner is refused too.
	if err := s.SetChatOwner(ctx, f.chatAnna, 0, fxMe, fxNow); !errors.Is(err, ErrClaimed) {
		t.Fatalf("release by a non-owner: %v", err)
	}
	// Expecting Анна (an admin's take-over) succeeds.
	if err := s.SetChatOwner(ctx, f.chatAnna, fxMe, fxOther, fxNow); err != nil {
		t.Fatal(err)
	}
	if ownerOf(t, s, f.chatAnna) != fxMe {
		t.Fatal("take-over did not change the owner")
	}
	if err := s.SetChatOwner(ctx, f.chatAnna, 0, fxMe, fxNow); err != nil || ownerOf(t, s, f.chatAnna) != 0 {
		t.Fatalf("release: %v", err)
	}
	if err := s.SetChatOwner(ctx, f.chatAnna, 99, 0, fxNow); !errors.Is(err, ErrUnknownAssignee) {
		t.Fatalf("claim for nobody: %v", err)
	}
	if err := s.SetChatOwner(ctx, 999, fxMe, 0, fxNow); !errors.Is(err, ErrNotFound) {
		t.Fatalf("claim of no chat: %v", err)
	}
	evs := eventsAfter(t, s, seq)
	if len(evs) != 3 {
		t.Fatalf("claim, take-over and release make three events, got %+v", evs)
	}
	for _, e := range evs {
		if e.Kind != core.EventChatChanged || e.ChatID != f.chatAnna || e.PersonID != 2 {
			t.Fatalf("event %+v", e)
		}
	}
}

// "Mine" lists the people with a chat I claimed; "unassigned" those with no claimed chat; the
// tab counts agree with the lists.
func TestOwnerFilter(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	claim := func(chat, who int64) {
		t.Helper()
		if err := s.SetChatOwner(ctx, chat, who, 0, fxNow); err != nil {
			t.Fatal(err)
		}
	}
	claim(f.chatIvan, fxMe)
	claim(f.chatPetrVK, fxOther) // Пётр has two chats: one claimed is enough to be assigned
	claim(f.chatOlga, fxMe)
	names := func(tab core.Tab, owner core.OwnerFilter) []string {
		page, err := s.ListPeople(ctx, core.ListQuery{Tab: tab, Filter: core.ListFilter{Owner: owner}}, fxMe, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range page.Rows {
			out = append(out, r.Name)
		}
		slices.Sort(out)
		counts, err := s.TabCounts(ctx, core.ListQuery{Filter: core.ListFilter{Owner: owner}}, fxMe, fxNow)
		if err != nil {
			t.Fatal(err)
		}
		n := map[core.Tab]int{core.TabAll: counts.All, core.TabImportant: counts.Important, core.TabUnread: counts.Unread}[tab]
		if n != len(out) {
			t.Fatalf("%s/%s: count %d, list %v", tab, owner, n, out)
		}
		return out
	}
	if got := names(core.TabAll, core.OwnerMine); !slices.Equal(got, []string{"Иван Петров", "Ольга Unsub"}) {
		t.Fatalf("mine: %v", got)
	}
	if got := names(core.TabAll, core.OwnerUnassigned); !slices.Equal(got, []string{"Anna Smith", "No Chats"}) {
		t.Fatalf("unassigned: %v", got)
	}
	if got := names(core.TabUnread, core.OwnerMine); !slices.Equal(got, []string{"Иван Петров"}) {
		t.Fatalf("unread mine: %v", got)
	}
	if got := names(core.TabImportant, core.OwnerUnassigned); len(got) != 0 {
		t.Fatalf("important unassigned: %v", got)
	}
}
