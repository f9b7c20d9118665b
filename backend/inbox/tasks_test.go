package inbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// firstPerson is a person of the demo with a chat, and that chat.
func firstPerson(t *testing.T, svc *Service) core.ListRow {
	t.Helper()
	page, err := svc.ListPeople(context.Background(), core.ListQuery{Tab: core.TabAll, Limit: 1})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("no person: %v", err)
	}
	return page.Rows[0]
}

func TestTaskValidationCodes(t *testing.T) {
	svc := demoService(t)
	ctx := context.Background()
	p := firstPerson(t, svc)
	due := testNow.Add(time.Hour).UnixMilli()
	cases := []struct {
		name string
		task core.Task
		code string
	}{
		{"empty title", core.Task{PersonID: p.PersonID, Title: "  \n ", DueAt: due}, "task_title"},
		{"title too long", core.Task{PersonID: p.PersonID, Title: string(make([]rune, 501)), DueAt: due}, "task_title"},
		{"no due date", core.Task{PersonID: p.PersonID, Title: "call"}, "task_due"},
		{"due in seconds, not ms", core.Task{PersonID: p.PersonID, Title: "call", DueAt: testNow.Unix()}, "task_due"},
		{"due past 2100", core.Task{PersonID: p.PersonID, Title: "call", DueAt: maxDueAt + 1}, "task_due"},
		{"unknown assignee", core.Task{PersonID: p.PersonID, Title: "call", DueAt: due, AssigneeID: 777}, "unknown_assignee"},
		{"no person", core.Task{PersonID: 0, Title: "call", DueAt: due}, "invalid"},
		{"unknown person", core.Task{PersonID: 1 << 40, Title: "call", DueAt: due}, "not_found"},
	}
	for _, c := range cases {
		_, err := svc.AddTask(ctx, c.task)
		if got := ErrorCode(err); got != c.code {
			t.Errorf("%s: code %q (%v), want %q", c.name, got, err, c.code)
		}
	}
	if _, err := svc.UpdateTask(ctx, core.Task{ID: 1 << 40, Title: "x", DueAt: due}); ErrorCode(err) != "not_found" {
		t.Errorf("update of no task: %v", err)
	}
	if _, err := svc.SetTaskDone(ctx, 1<<40, true); ErrorCode(err) != "not_found" {
		t.Errorf("complete no task: %v", err)
	}
}

// A task of mine (the default assignee) due today puts its person in my Important tab and
// counts; completing it takes them out; another manager's task does not.
func TestTasksDriveMyImportantTab(t *testing.T) {
	svc := demoService(t)
	ctx := context.Background()
	// A person not Important yet.
	var p core.ListRow
	page, err := svc.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	important := map[int64]bool{}
	imp, err := svc.ListPeople(ctx, core.ListQuery{Tab: core.TabImportant, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range imp.Rows {
		important[r.PersonID] = true
	}
	for _, r := range page.Rows {
		if !important[r.PersonID] {
			p = r
			break
		}
	}
	if p.PersonID == 0 {
		t.Fatal("every person is Important")
	}
	count := func() int {
		c, err := svc.TabCounts(ctx, core.ListQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return c.Important
	}
	before := count()
	theirs, err := svc.AddTask(ctx, core.Task{PersonID: p.PersonID, Title: "их звонок", DueAt: testNow.UnixMilli(), AssigneeID: 2})
	if err != nil {
		t.Fatal(err)
	}
	if theirs.AssigneeID != 2 || count() != before {
		t.Fatalf("another manager's task changed my tab: %+v, %d -> %d", theirs, before, count())
	}
	mine, err := svc.AddTask(ctx, core.Task{PersonID: p.PersonID, Title: "  позвонить  ", DueAt: testNow.Add(2 * time.Hour).UnixMilli()})
	if err != nil {
		t.Fatal(err)
	}
	if mine.AssigneeID != svc.Me || mine.Title != "позвонить" {
		t.Fatalf("default assignee or trimming: %+v", mine)
	}
	if count() != before+1 {
		t.Fatalf("my task due today: count %d -> %d", before, count())
	}
	if _, err := svc.SetTaskDone(ctx, mine.ID, true); err != nil {
		t.Fatal(err)
	}
	if count() != before {
		t.Fatalf("completed: count %d, want %d", count(), before)
	}
	tasks, err := svc.Tasks(ctx, p.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	// Open ones first (theirs, due now, before any later), the done one last.
	if len(tasks) < 2 || tasks[0].ID != theirs.ID || tasks[len(tasks)-1].ID != mine.ID || !tasks[len(tasks)-1].Done {
		t.Fatalf("tasks: %+v", tasks)
	}
	if err := svc.DeleteTask(ctx, mine.ID); err != nil {
		t.Fatal(err)
	}
}

// In solo mode the one manager is the admin; in team mode (Admin set) a manager may claim only
// an unassigned chat and release only their own, and a lost claim names the owner.
func TestClaimRules(t *testing.T) {
	svc := demoService(t)
	ctx := context.Background()
	chat := firstPerson(t, svc).ChatID
	if err := svc.Store.SetChatOwner(ctx, chat, 2, 0, testNow); err != nil { // Анна claims it
		t.Fatal(err)
	}
	err := svc.ClaimChat(ctx, chat, 0)
	if ErrorCode(err) != "claimed" {
		t.Fatalf("claim of Анна's chat: %v", err)
	}
	if p := ErrorParams(err); p["owner"] != "Анна Смирнова" || p["ownerId"] != "2" {
		t.Fatalf("params %v", p)
	}
	// Team mode, not an admin: taking over and releasing hers are refused before the store.
	svc.Admin = func(context.Context) bool { return false }
	if err := svc.ClaimChat(ctx, chat, 2); ErrorCode(err) != "admin_only" {
		t.Fatalf("take-over by a manager: %v", err)
	}
	if err := svc.ReleaseChat(ctx, chat, 2); ErrorCode(err) != "admin_only" {
		t.Fatalf("release of hers by a manager: %v", err)
	}
	// Solo (and admins): take over, then release.
	svc.Admin = nil
	if err := svc.ClaimChat(ctx, chat, 2); err != nil {
		t.Fatal(err)
	}
	c, err := svc.Store.Chat(ctx, chat)
	if err != nil || c.OwnerID != svc.Me {
		t.Fatalf("owner after take-over: %+v %v", c, err)
	}
	if err := svc.ReleaseChat(ctx, chat, svc.Me); err != nil {
		t.Fatal(err)
	}
	if err := svc.ReleaseChat(ctx, chat, svc.Me); err != nil { // already released: nothing to refuse
		t.Fatal(err)
	}
	if c, _ := svc.Store.Chat(ctx, chat); c.OwnerID != 0 {
		t.Fatalf("released chat owned by %d", c.OwnerID)
	}
	if err := svc.ClaimChat(ctx, 0, 0); !errors.Is(err, ErrInvalid) {
		t.Fatalf("no chat: %v", err)
	}
	// The mine filter follows.
	if err := svc.ClaimChat(ctx, chat, 0); err != nil {
		t.Fatal(err)
	}
	page, err := svc.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Owner: core.OwnerMine}})
	if err != nil || len(page.Rows) != 1 || page.Rows[0].ChatID != chat {
		t.Fatalf("mine: %+v %v", page.Rows, err)
	}
	if _, err := svc.ListPeople(ctx, core.ListQuery{Filter: core.ListFilter{Owner: "theirs"}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown owner filter: %v", err)
	}
	var conflict *store.ClaimConflict
	if err := svc.Store.SetChatOwner(ctx, chat, 3, 0, testNow); !errors.As(err, &conflict) || conflict.OwnerID != svc.Me {
		t.Fatalf("a rival's claim: %v", err)
	}
}
