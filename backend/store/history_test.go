package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchboard/backend/core"
)

func msgIDs(ms []core.Message) []int64 {
	ids := []int64{}
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestHistoryPagesFiltersAndQuotes(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	ids := f.ivanMsgs

	page, err := s.History(ctx, core.HistoryQuery{ChatID: f.chatIvan, Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(msgIDs(page.Messages), ids[2:]) || !page.HasMore {
		t.Fatalf("newest page = %v more=%v, want %v more", msgIDs(page.Messages), page.HasMore, ids[2:])
	}
	older, err := s.History(ctx, core.HistoryQuery{ChatID: f.chatIvan, Limit: 4, Before: page.Messages[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(msgIDs(older.Messages), ids[:2]) || older.HasMore {
		t.Fatalf("older page = %v more=%v", msgIDs(older.Messages), older.HasMore)
	}
	// Decoded columns and reply quotes.
	last := page.Messages[len(page.Messages)-1]
	if last.ReplyTo == nil || last.ReplyTo.ID != ids[2] || last.ReplyTo.Text != "Добрый день! 4900 рублей" || last.ReplyTo.Sender != core.SenderManager {
		t.Errorf("reply quote = %+v", last.ReplyTo)
	}
	mgr := page.Messages[0]
	if mgr.ReplyTo == nil || mgr.ReplyTo.ID != ids[1] {
		t.Errorf("quote of a message on an older page = %+v", mgr.ReplyTo)
	}
	if ind := older.Messages[0]; ind.Indicator == nil || ind.Indicator.Type != core.IndSubscription || ind.Indicator.Tool != "Квиз" {
		t.Errorf("indicator = %+v", ind.Indicator)
	}
	if bot := page.Messages[1]; len(bot.Attachments) != 1 || bot.Attachments[0].FileName != "счёт.pdf" {
		t.Errorf("attachments = %+v", bot.Attachments)
	}
	if page.Messages[2].Attachments == nil {
		t.Error("no attachments should be an empty list, not null")
	}

	filtered := func(f2 core.HistoryFilter) []int64 {
		t.Helper()
		p, err := s.History(ctx, core.HistoryQuery{ChatID: f.chatIvan, Filter: f2})
		if err != nil {
			t.Fatal(err)
		}
		return msgIDs(p.Messages)
	}
	wantIDs(t, "clients", filtered(core.HistoryFilter{Senders: []core.SenderKind{core.SenderClient}}), ids[1], ids[4], ids[5])
	wantIDs(t, "bot+manager", filtered(core.HistoryFilter{Senders: []core.SenderKind{core.SenderBot, core.SenderManager}}), ids[2], ids[3])
	wantIDs(t, "indicators", filtered(core.HistoryFilter{IndicatorsOnly: true}), ids[0])
	wantIDs(t, "attachments", filtered(core.HistoryFilter{Attachments: true}), ids[3])
	wantIDs(t, "words", filtered(core.HistoryFilter{Words: "доступ"}), ids[4], ids[5])
	wantIDs(t, "words two", filtered(core.HistoryFilter{Words: "доступа нет"}), ids[5])
	// Words match only inside this chat: "привет" is in Пётр's chats.
	wantIDs(t, "words other chat", filtered(core.HistoryFilter{Words: "привет"}), nil...)
	wantIDs(t, "hostile words", filtered(core.HistoryFilter{Words: `" OR (*`}), nil...)
	wantIDs(t, "words + sender", filtered(core.HistoryFilter{Words: "доступ", Senders: []core.SenderKind{core.SenderManager}}), nil...)

	if _, err := s.History(ctx, core.HistoryQuery{ChatID: f.chatIvan, Before: 999999}); !errors.Is(err, ErrNotFound) {
		t.Errorf("before a missing message: %v", err)
	}
	empty, err := s.History(ctx, core.HistoryQuery{ChatID: 4242})
	if err != nil || len(empty.Messages) != 0 || empty.HasMore {
		t.Errorf("unknown chat: %+v %v", empty, err)
	}

	m, err := s.Message(ctx, ids[5])
	if err != nil || m.Text != "доступа всё ещё нет" || m.ReplyTo == nil {
		t.Errorf("Message = %+v, %v", m, err)
	}
	if _, err := s.Message(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing message: %v", err)
	}
	c, err := s.Chat(ctx, f.chatPetrVK)
	if err != nil || c.ChannelKind != core.VK || c.ChannelName != "VK" || c.Unread != 1 || c.PersonID != 3 {
		t.Errorf("Chat = %+v, %v", c, err)
	}
}

func TestHistoryPagingWithTiesWalksEverything(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, _ := s.NewBulk(ctx)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Channel(core.Channel{ID: 1, Kind: core.Telegram, ExternalID: "tg"}))
	p := BulkPerson{}
	p.ID, p.Name = 1, "x"
	must(b.Person(p))
	bc := BulkChat{}
	bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = 1, 1, 1, "1"
	must(b.Chat(bc))
	for i := int64(1); i <= 95; i++ {
		must(b.Message(core.Message{ID: i, ChatID: 1, Kind: core.KindMessage, Sender: core.SenderClient,
			Text: fmt.Sprint("m", i), CreatedAt: 1000 + i/7})) // ties every 7
	}
	must(b.Finish())
	var got []int64
	before := int64(0)
	for pages := 0; ; pages++ {
		page, err := s.History(ctx, core.HistoryQuery{ChatID: 1, Before: before, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		got = append(msgIDs(page.Messages), got...)
		if !page.HasMore {
			break
		}
		before = page.Messages[0].ID
		if pages > 20 {
			t.Fatal("history paging does not end")
		}
	}
	want := make([]int64, 95)
	for i := range want {
		want[i] = int64(i + 1)
	}
	wantIDs(t, "walk", got, want...)
}

func TestSearchMessages(t *testing.T) {
	f := fixture(t)
	ctx := context.Background()
	got, err := f.s.SearchMessages(ctx, "привет", 10)
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: вк (3 h ago) then телеграм (20 h ago).
	if len(got) != 2 || got[0].Text != "привет из вк" || got[1].Text != "привет из телеграма" {
		t.Errorf("search = %+v", got)
	}
	got, _ = f.s.SearchMessages(ctx, "привет", 1)
	if len(got) != 1 || got[0].Text != "привет из вк" {
		t.Errorf("limit 1 = %+v", got)
	}
	for _, q := range []string{`"`, `*`, `OR (`, ``, `text:x`} {
		if _, err := f.s.SearchMessages(ctx, q, 10); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
}

func TestMarkReadAndUnreadTab(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	seq0, _ := s.LastEventSeq(ctx)
	if err := s.MarkRead(ctx, f.chatIvan, fxNow); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Chat(ctx, f.chatIvan)
	if c.Unread != 0 {
		t.Errorf("chat unread after MarkRead = %d", c.Unread)
	}
	wantIDs(t, "unread after", listIDs(t, s, core.ListQuery{Tab: core.TabUnread}), 3)
	counts, _ := s.TabCounts(ctx, core.ListQuery{}, fxMe, fxNow)
	if counts.Unread != 1 {
		t.Errorf("unread count = %d", counts.Unread)
	}
	evs, _ := s.EventsAfter(ctx, seq0, 10)
	if len(evs) != 1 || evs[0].Kind != core.EventChatChanged || evs[0].ChatID != f.chatIvan || evs[0].PersonID != 1 {
		t.Errorf("events = %+v", evs)
	}
	// Marking a read chat again changes nothing and logs nothing.
	if err := s.MarkRead(ctx, f.chatIvan, fxNow); err != nil {
		t.Fatal(err)
	}
	if evs, _ := s.EventsAfter(ctx, seq0, 10); len(evs) != 1 {
		t.Errorf("re-marking appended events: %+v", evs)
	}
	// The preview and position are unchanged by reading.
	page, _ := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll}, fxMe, fxNow)
	if page.Rows[0].PersonID != 1 || page.Rows[0].Preview != "доступа всё ещё нет" {
		t.Errorf("row after read = %+v", page.Rows[0])
	}
	if err := s.MarkRead(ctx, 4242, fxNow); !errors.Is(err, ErrNotFound) {
		t.Errorf("mark missing chat: %v", err)
	}

	n, err := s.MarkAllRead(ctx, fxNow)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 { // Пётр's vk chat and the archived one
		t.Errorf("MarkAllRead marked %d chats", n)
	}
	wantIDs(t, "unread after all", listIDs(t, s, core.ListQuery{Tab: core.TabUnread}), nil...)
	wantIDs(t, "archived unread after all", listIDs(t, s, core.ListQuery{Tab: core.TabUnread, Filter: core.ListFilter{Archived: true}}), nil...)
	var left int
	s.read.Get(&left, `SELECT COUNT(*) FROM chats WHERE unread > 0`)
	if left != 0 {
		t.Errorf("%d chats still unread", left)
	}
}

func TestMarkAllReadBatches(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b, _ := s.NewBulk(ctx)
	b.Channel(core.Channel{ID: 1, Kind: core.Telegram, ExternalID: "tg"})
	const n = markAllBatch*2 + 17
	for i := int64(1); i <= n; i++ {
		p := BulkPerson{}
		p.ID, p.Name = i, "p"
		b.Person(p)
		bc := BulkChat{}
		bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = i, i, 1, fmt.Sprint(i)
		b.Chat(bc)
		b.Message(core.Message{ID: i, ChatID: i, Kind: core.KindMessage, Sender: core.SenderClient, Text: "x", CreatedAt: i})
	}
	if err := b.Finish(); err != nil {
		t.Fatal(err)
	}
	got, err := s.MarkAllRead(ctx, fxNow)
	if err != nil || got != n {
		t.Fatalf("MarkAllRead = %d, %v; want %d", got, err, n)
	}
	var unread int
	s.read.Get(&unread, `SELECT COUNT(*) FROM people WHERE unread > 0`)
	if unread != 0 {
		t.Errorf("%d people still unread", unread)
	}
}

func TestNotesDoNotTouchUnreadAndMentionEvents(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	before, _ := s.Chat(ctx, f.chatIvan)
	seq0, _ := s.LastEventSeq(ctx)
	later := fxNow.Add(time.Minute)
	m, err := s.AddNote(ctx, f.chatIvan, fxMe, "проверь оплату <b>срочно</b>", []int64{fxOther, fxOther}, later)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != core.KindNote || m.SenderName != "Вы" || !slices.Equal(m.Mentions, []int64{fxOther}) {
		t.Errorf("note = %+v", m)
	}
	after, _ := s.Chat(ctx, f.chatIvan)
	if after.Unread != before.Unread || after.Preview != before.Preview || after.LastMessageAt != before.LastMessageAt {
		t.Errorf("note changed the chat: %+v -> %+v", before, after)
	}
	page, _ := s.History(ctx, core.HistoryQuery{ChatID: f.chatIvan})
	got := page.Messages[len(page.Messages)-1]
	if got.ID != m.ID || got.Text != "проверь оплату <b>срочно</b>" || !slices.Equal(got.Mentions, []int64{fxOther}) {
		t.Errorf("stored note = %+v", got)
	}
	evs, _ := s.EventsAfter(ctx, seq0, 10)
	if len(evs) != 2 || evs[0].Kind != core.EventMessageNew || evs[1].Kind != core.EventNoteMention ||
		evs[1].ManagerID != fxOther || evs[1].MessageID != m.ID || evs[1].Seq <= evs[0].Seq {
		t.Errorf("events = %+v", evs)
	}
	if _, err := s.AddNote(ctx, f.chatIvan, fxMe, "x", []int64{99}, later); !errors.Is(err, ErrNotFound) {
		t.Errorf("mention of an unknown manager: %v", err)
	}
	if n, _ := s.EventsAfter(ctx, seq0, 10); len(n) != 2 {
		t.Errorf("a failed note appended events: %+v", n)
	}
}

func TestSwitchesLogAndEvent(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	seq0, _ := s.LastEventSeq(ctx)
	if err := s.SetTunnelOff(ctx, f.chatIvan, true, fxNow); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBotOff(ctx, f.chatIvan, true, fxNow); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBotOff(ctx, f.chatIvan, true, fxNow); err != nil { // no change: no log
		t.Fatal(err)
	}
	if err := s.SetArchived(ctx, 1, true, fxNow); err != nil {
		t.Fatal(err)
	}
	if err := s.SetBlacklisted(ctx, 2, true, fxNow); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Chat(ctx, f.chatIvan)
	if !c.TunnelOff || !c.BotOff {
		t.Errorf("chat switches = %+v", c)
	}
	wantIDs(t, "all after archive+blacklist", listIDs(t, s, core.ListQuery{Tab: core.TabAll}), 3, 6, 7)
	wantIDs(t, "archive", listIDs(t, s, core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Archived: true}}), 1, 4)
	card, err := s.ClientCard(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, l := range card.Logs {
		kinds = append(kinds, string(l.Kind))
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, []string{"archived", "bot_off", "tunnel_off"}) {
		t.Errorf("logs = %v", kinds)
	}
	evs, _ := s.EventsAfter(ctx, seq0, 10)
	wantKinds := []string{core.EventChatChanged, core.EventChatChanged, core.EventPersonChanged, core.EventPersonChanged}
	var gotKinds []string
	for _, e := range evs {
		gotKinds = append(gotKinds, e.Kind)
	}
	if !slices.Equal(gotKinds, wantKinds) {
		t.Errorf("events = %v", gotKinds)
	}
	if err := s.SetArchived(ctx, 4242, true, fxNow); !errors.Is(err, ErrNotFound) {
		t.Errorf("archive missing person: %v", err)
	}
	if err := s.SetArchived(ctx, 1, false, fxNow); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "restored", listIDs(t, s, core.ListQuery{Tab: core.TabAll}), 1, 3, 6, 7)
}

func TestClientCard(t *testing.T) {
	f := fixture(t)
	ctx := context.Background()
	if _, err := f.s.write.ExecContext(ctx, `INSERT INTO drafts (chat_id, text, updated_at) VALUES (?, 'черновик', 1)`, f.chatPetrTG); err != nil {
		t.Fatal(err)
	}
	card, err := f.s.ClientCard(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if card.Person.Name != "Пётр Сидоров" || !slices.Equal(card.Person.Plans, []string{"Вебинар", "Воронка"}) || len(card.Person.Tags) != 0 {
		t.Errorf("person = %+v", card.Person)
	}
	if len(card.Chats) != 2 || card.Chats[0].ID != f.chatPetrVK || card.Chats[1].ChannelKind != core.Telegram || !card.Chats[1].HasDraft || card.Chats[0].HasDraft {
		t.Errorf("chats = %+v", card.Chats)
	}
	// The open task first, then the done one (the card folds those).
	if len(card.Tasks) != 2 || card.Tasks[0].Title != "theirs" || card.Tasks[1].Title != "done" || !card.Tasks[1].Done {
		t.Errorf("tasks = %+v", card.Tasks)
	}
	if _, err := f.s.ClientCard(ctx, 4242); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing card: %v", err)
	}
}
