package store

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"switchboard/backend/core"
)

func hubRows(text string) core.RowSet {
	return core.RowSet{
		Managers: []core.Manager{{ID: 7, Name: "Vera"}},
		Channels: []core.Channel{{ID: 3, Kind: core.Telegram, Name: "Shop", ExternalID: "42", Enabled: true, CreatedAt: 1}},
		People:   []core.PersonRow{{ID: 11, Name: "Anna Pavlova", Phone: "+7 916 123-45-67", Status: "subscribed", CreatedAt: 1, LastChatID: 21, LastMessageAt: 5, Unread: 1, FirstUnreadAt: 5, Kinds: 1}},
		Chats:    []core.ChatRow{{ID: 21, PersonID: 11, ChannelID: 3, ExternalChatID: "1001", Unread: 1, FirstUnreadAt: 5, LastMessageAt: 5, CreatedAt: 1}},
		Messages: []core.MessageRow{{ID: 31, ChatID: 21, Kind: "message", ExternalID: "9", Sender: "client", Text: text, Status: "received", CreatedAt: 5}},
		Drafts:   []core.Draft{{ChatID: 21, Text: "half a thought", UpdatedAt: 4}},
	}
}

// Applying the hub's rows keeps its ids, is idempotent, keeps both FTS indexes right, and a
// gone row takes what hangs off it.
func TestApplyRowsKeepsHubIdsAndSearch(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Now()
	for i := 0; i < 2; i++ {
		if err := st.ApplyRows(ctx, hubRows("alpha words"), 7, "replica.seq", 40, now); err != nil {
			t.Fatal(err)
		}
	}
	rs, _, err := st.SnapshotPage(ctx, 0, 100, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.People) != 1 || rs.People[0].ID != 11 || !rs.People[0].HasDraft || len(rs.Chats) != 1 || rs.Chats[0].ID != 21 ||
		len(rs.Messages) != 1 || rs.Messages[0].ID != 31 {
		t.Fatalf("applied twice: %+v", rs)
	}
	if d, err := st.Draft(ctx, 21); err != nil || d.Text != "half a thought" {
		t.Fatalf("the manager's draft: %+v %v", d, err)
	}
	if me, err := st.Me(ctx); err != nil || me.ID != 7 {
		t.Fatalf("me: %+v %v", me, err)
	}
	if v, _, _ := st.Setting(ctx, "replica.seq"); v != "40" {
		t.Fatalf("cursor %q", v)
	}
	search := func(word string) int {
		ms, err := st.SearchMessages(ctx, word, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(ms)
	}
	people := func(q string) int {
		page, err := st.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Search: q}, 7, now)
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Rows)
	}
	if search("alpha") != 1 || people("Pavlova") != 1 || people("916123") != 1 {
		t.Fatal("search does not find the hub's rows")
	}
	if err := st.ApplyRows(ctx, hubRows("beta words"), 7, "replica.seq", 41, now); err != nil {
		t.Fatal(err)
	}
	if search("alpha") != 0 || search("beta") != 1 {
		t.Fatal("an edited text is not reindexed")
	}
	// A person merged away on the hub: gone, with the chat moved to the person kept. Whichever
	// comes first, the chat and its messages survive and the person merged away goes.
	kept := hubRows("beta words")
	kept.People[0].ID, kept.People[0].Name = 12, "Anna P."
	kept.Chats[0].PersonID = 12
	if err := st.ApplyRows(ctx, core.RowSet{Gone: core.GoneRows{People: []int64{11}}}, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Stats(ctx); n.People != 1 || n.Messages != 1 {
		t.Fatalf("a person merged away took their chat before it moved: %+v", n)
	}
	if err := st.ApplyRows(ctx, core.RowSet{People: kept.People, Chats: kept.Chats}, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Stats(ctx); n.People != 1 || n.Chats != 1 || n.Messages != 1 || people("Pavlova") != 0 || people("Anna") != 1 {
		t.Fatalf("after the merge: %+v", n)
	}
	if err := st.ApplyRows(ctx, core.RowSet{Gone: core.GoneRows{People: []int64{12}, Chats: []int64{21}}}, 7, "replica.seq", 42, now); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Stats(ctx); n.People != 0 || n.Chats != 0 || n.Messages != 0 || search("beta") != 0 || people("Anna") != 0 {
		t.Fatalf("a gone person and chat left rows behind: %+v", n)
	}
}

// A replica's queued send shows at once with a negative id and the mutation's key; the hub's
// row with that key replaces it, and a draft typed here is not undone by an older state.
func TestLocalSendIsReplacedByTheHubsRow(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Now()
	if err := st.ApplyRows(ctx, hubRows("hi"), 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	local, mid, err := st.QueueReplicaSend(ctx, "send_text", 21, 7, "on my way", 0, nil, `{"kind":"send_text"}`,
		func(id int64) string { return "client-abc:" + strconv.FormatInt(id, 10) }, now)
	if err != nil {
		t.Fatal(err)
	}
	if local.ID >= 0 || local.Status != core.StatusQueued || local.SenderName != "Vera" {
		t.Fatalf("local copy: %+v", local)
	}
	if n, _ := st.PendingCount(ctx); n != 1 {
		t.Fatalf("pending %d", n)
	}
	// Typed here at 10 and on its way to the hub: the hub's older state (at 4) does not undo it.
	if err := st.SaveOwnDraft(ctx, core.Draft{ChatID: 21, Text: "typed here", UpdatedAt: 10}, now); err != nil {
		t.Fatal(err)
	}
	hub := hubRows("hi")
	hub.Messages = append(hub.Messages, core.MessageRow{ID: 32, ChatID: 21, Kind: "message", Sender: "manager", ManagerID: 7,
		Text: "on my way", Status: "sent", CreatedAt: 6, MutationKey: "client-abc:" + strconv.FormatInt(mid, 10)})
	if err := st.ApplyRows(ctx, hub, 7, "", 0, now); err != nil {
		t.Fatal(err)
	}
	rs, _, _ := st.SnapshotPage(ctx, 0, 100, 100)
	if len(rs.Messages) != 2 {
		t.Fatalf("messages after the hub's row: %+v", rs.Messages)
	}
	for _, m := range rs.Messages {
		if m.ID < 0 {
			t.Fatalf("the local copy stayed: %+v", m)
		}
	}
	if d, _ := st.Draft(ctx, 21); d.Text != "typed here" {
		t.Fatalf("a newer draft typed here was undone by an older state: %+v", d)
	}
}

// A replica applies the tasks, person logs and notes with mentions that a snapshot and then the
// feed bring: tasks and entries keep the hub's ids, a snapshot's task long past due and its old
// note raise nothing, a second identical apply changes nothing, a person's row without a task
// deletes it, and a new note logs one note.mention per tagged manager, addressed to them.
func TestReplicaAppliesTasksLogsAndMentions(t *testing.T) {
	st := openTest(t)
	ctx := context.Background()
	now := time.Now()
	at := now.UnixMilli()
	day := int64(24 * time.Hour / time.Millisecond)
	countEvents := func(kind string) (n int, managers []int64) {
		evs, err := st.EventsAfter(ctx, 0, 10000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == kind {
				n++
				managers = append(managers, e.ManagerID)
			}
		}
		return n, managers
	}
	held := func() core.RowSet {
		rs, _, err := st.SnapshotPage(ctx, 0, 100, 100)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(rs.Tasks, func(a, b core.Task) int { return cmp.Compare(a.ID, b.ID) })
		return rs
	}

	snap := hubRows("hello")
	snap.Managers = append(snap.Managers, core.Manager{ID: 8, Name: "Bob"})
	snap.Tasks = []core.Task{
		{ID: 51, PersonID: 11, AssigneeID: 7, Title: "call back", DueAt: at - 2*day},
		{ID: 52, PersonID: 11, AssigneeID: 7, Title: "send the price", DueAt: at + day},
		{ID: 54, PersonID: 11, AssigneeID: 8, Title: "done already", DueAt: at - day, Done: true, DoneAt: at - day},
	}
	snap.Logs = []core.LogEntry{
		{ID: 61, PersonID: 11, Kind: core.LogSubscribed, Params: core.LogParams{"channel": "Shop"}, At: at - 3*day},
		{ID: 62, PersonID: 11, Kind: core.LogPlanAdded, Params: core.LogParams{"plan": "Gold"}, At: at - 2*day},
		{ID: 63, PersonID: 99, Kind: core.LogSubscribed, At: at - 2*day}, // a person not here: skipped
	}
	snap.Messages = append(snap.Messages, core.MessageRow{ID: 32, ChatID: 21, Kind: "note", Sender: "manager", ManagerID: 8,
		Text: "an old note", Mentions: "[7]", Status: "sent", CreatedAt: at - day})
	for range 2 {
		if err := st.ApplyRows(ctx, snap, 7, "replica.seq", 40, now); err != nil {
			t.Fatal(err)
		}
	}
	rs := held()
	if len(rs.Tasks) != 3 || rs.Tasks[0].ID != 51 || rs.Tasks[1] != snap.Tasks[1] || rs.Tasks[2] != snap.Tasks[2] {
		t.Fatalf("tasks after the snapshot: %+v", rs.Tasks)
	}
	if len(rs.Logs) != 2 || rs.Logs[0].ID != 62 || rs.Logs[1].ID != 61 || rs.Logs[0].Params["plan"] != "Gold" {
		t.Fatalf("logs after the snapshot: %+v", rs.Logs)
	}
	if n, _ := countEvents(core.EventTaskChanged); n != 1 {
		t.Fatalf("%d task.changed events for one snapshot applied twice, want 1", n)
	}
	if n, _ := countEvents(core.EventNoteMention); n != 0 {
		t.Fatalf("a snapshot's old note logged %d mentions", n)
	}
	// The task long past due is old news; none of Vera's is due yet otherwise.
	if due, err := st.TakeDueTasks(ctx, 7, now); err != nil || len(due) != 0 {
		t.Fatalf("a snapshot's old task came due: %+v %v", due, err)
	}

	// The feed: 52 edited, 51 deleted at the hub (the person's row comes without it), 53 new and
	// due now; a new log entry; a new note tagging Vera and Bob.
	feed := core.RowSet{People: snap.People, Chats: snap.Chats,
		Tasks: []core.Task{
			{ID: 52, PersonID: 11, AssigneeID: 7, Title: "send the new price", DueAt: at + day},
			{ID: 53, PersonID: 11, AssigneeID: 7, Title: "answer today", DueAt: at - 1000},
			snap.Tasks[2],
		},
		Logs: []core.LogEntry{snap.Logs[1], {ID: 64, PersonID: 11, Kind: core.LogUnsubscribed, At: at}},
		Messages: []core.MessageRow{{ID: 33, ChatID: 21, Kind: "note", Sender: "manager", ManagerID: 8,
			Text: "look at this", Mentions: "[7,8]", Status: "sent", CreatedAt: at}},
	}
	if err := st.ApplyRows(ctx, feed, 7, "replica.seq", 41, now); err != nil {
		t.Fatal(err)
	}
	rs = held()
	if len(rs.Tasks) != 3 || rs.Tasks[0] != feed.Tasks[0] || rs.Tasks[1] != feed.Tasks[1] || rs.Tasks[2] != feed.Tasks[2] { // 52, 53, 54
		t.Fatalf("tasks after the feed: %+v", rs.Tasks)
	}
	if len(rs.Logs) != 3 || rs.Logs[0].ID != 64 {
		t.Fatalf("logs after the feed: %+v", rs.Logs)
	}
	if n, _ := countEvents(core.EventTaskChanged); n != 2 {
		t.Fatalf("%d task.changed events after the feed's change, want 2", n)
	}
	if n, managers := countEvents(core.EventNoteMention); n != 2 || managers[0] != 7 || managers[1] != 8 {
		t.Fatalf("a new note's mentions: %d events to %v, want one to each of 7 and 8", n, managers)
	}
	if due, err := st.TakeDueTasks(ctx, 7, now); err != nil || len(due) != 1 || due[0].ID != 53 {
		t.Fatalf("the task just made and due now: %+v %v", due, err)
	}
}
