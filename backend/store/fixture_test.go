package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"switchboard/backend/core"
)

// The fixture's clock: tasks and unread are relative to it.
var fxNow = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

const (
	fxMe    = 1
	fxOther = 2
	fxTG    = 1
	fxVK    = 2
)

func at(d time.Duration) int64 { return fxNow.Add(-d).UnixMilli() }

func openTemp(t *testing.T) *Store {
	t.Helper()
	if onPostgres {
		return openTestPostgres(t)
	}
	s, err := Open(filepath.Join(t.TempDir(), "sb.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fixture builds a small workspace whose every row is known:
//
//	1 Иван Петров   tg, 2 unread, phone +7 (916) 123-45-67, ivan@mail.ru, tag VIP, plan Воронка,
//	                source Instagram, tool Квиз, my task due today           (important)
//	2 Anna Smith    vk, read, no phone, anna@example.com, tag B2B, my task due tomorrow
//	3 Пётр Сидоров  tg + vk (vk has 1 unread), 8 (903) 555-00-11, active dialogue, other's overdue task,
//	                my done overdue task
//	4 Archived Guy  tg, archived, 1 unread
//	5 Black Listed  tg, blacklisted
//	6 Ольга Unsub   tg, unsubscribed, my task overdue by two days           (important)
//	7 No Chats      no chats at all
type fx struct {
	s                              *Store
	chatIvan, chatAnna, chatPetrTG int64
	chatPetrVK, chatArch, chatBL   int64
	chatOlga                       int64
	// messages of Иван's chat, oldest first
	ivanMsgs []int64
}

func fixture(t *testing.T) fx {
	t.Helper()
	s := openTemp(t)
	b, must := openBulk(t, s)
	must(b.Manager(core.Manager{ID: fxMe, Name: "Вы", IsMe: true}))
	must(b.Manager(core.Manager{ID: fxOther, Name: "Анна"}))
	must(b.Channel(core.Channel{ID: fxTG, Kind: core.Telegram, Name: "TG", ExternalID: "tg"}))
	must(b.Channel(core.Channel{ID: fxVK, Kind: core.VK, Name: "VK", ExternalID: "vk"}))
	must(b.Plan(1, "Воронка"))
	must(b.Plan(2, "Вебинар"))
	must(b.Tag(1, "VIP"))
	must(b.Tag(2, "B2B"))
	person := func(id int64, name, phone, email string, status core.PersonStatus, arch, bl bool, source, tool string, plans, tags []int64) {
		p := BulkPerson{Source: source, Tool: tool, PlanIDs: plans, TagIDs: tags}
		p.ID, p.Name, p.Phone, p.Email, p.Status, p.Archived, p.Blacklisted, p.CreatedAt = id, name, phone, email, status, arch, bl, at(1000*time.Hour)
		must(b.Person(p))
	}
	person(1, "Иван Петров", "+7 (916) 123-45-67", "ivan@mail.ru", core.Subscribed, false, false, "Instagram", "Квиз", []int64{1}, []int64{1})
	person(2, "Anna Smith", "", "anna@example.com", core.Subscribed, false, false, "Google", "Вебинар", []int64{2}, []int64{2})
	person(3, "Пётр Сидоров", "8 (903) 555-00-11", "", core.Subscribed, false, false, "Instagram", "", []int64{1, 2}, nil)
	person(4, "Archived Guy", "", "", core.Subscribed, true, false, "", "", nil, nil)
	person(5, "Black Listed", "", "", core.Subscribed, false, true, "", "", nil, nil)
	person(6, "Ольга Unsub", "", "olga@x.ru", core.Unsubscribed, false, false, "", "", nil, nil)
	person(7, "No Chats", "", "", core.Subscribed, false, false, "", "", nil, nil)

	// Message ids are assigned in time order across the workspace, as on arrival.
	type msg struct {
		chat   int64
		sender core.SenderKind
		kind   core.MessageKind
		text   string
		ago    time.Duration
		att    bool
		reply  int // index into the chat's earlier messages, -1 none
	}
	chats := []struct {
		id, person, channel int64
		unread              int // trailing client messages left unread
		msgs                []msg
	}{
		{1, 1, fxTG, 2, []msg{
			{sender: core.SenderSystem, kind: core.KindIndicator, ago: 50 * time.Hour, reply: -1},
			{sender: core.SenderClient, text: "Здравствуйте, сколько стоит курс?", ago: 49 * time.Hour, reply: -1},
			{sender: core.SenderManager, text: "Добрый день! 4900 рублей", ago: 48 * time.Hour, reply: 1},
			{sender: core.SenderBot, text: "Вот ссылка на оплату", ago: 47 * time.Hour, att: true, reply: -1},
			{sender: core.SenderClient, text: "оплатил, жду доступ", ago: 2 * time.Hour, reply: -1},
			{sender: core.SenderClient, text: "доступа всё ещё нет", ago: 1 * time.Hour, reply: 2},
		}},
		{2, 2, fxVK, 0, []msg{
			{sender: core.SenderClient, text: "Hello there", ago: 30 * time.Hour, reply: -1},
			{sender: core.SenderManager, text: "Hi Anna", ago: 29 * time.Hour, reply: -1},
		}},
		{3, 3, fxTG, 0, []msg{{sender: core.SenderClient, text: "привет из телеграма", ago: 20 * time.Hour, reply: -1}}},
		{4, 3, fxVK, 1, []msg{{sender: core.SenderClient, text: "привет из вк", ago: 3 * time.Hour, reply: -1}}},
		{5, 4, fxTG, 1, []msg{{sender: core.SenderClient, text: "archived but writing", ago: 4 * time.Hour, reply: -1}}},
		{6, 5, fxTG, 0, []msg{{sender: core.SenderClient, text: "spam spam", ago: 5 * time.Hour, reply: -1}}},
		{7, 6, fxTG, 0, []msg{{sender: core.SenderClient, text: "отписываюсь", ago: 60 * time.Hour, reply: -1}}},
	}
	type placed struct {
		chat, idx int
		m         msg
	}
	var all []placed
	for ci, c := range chats {
		for i, m := range c.msgs {
			m.chat = c.id
			all = append(all, placed{ci, i, m})
		}
	}
	// sort by time (oldest first) to give ids in arrival order
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && all[j].m.ago > all[j-1].m.ago; j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	ids := make([][]int64, len(chats))
	for ci := range chats {
		ids[ci] = make([]int64, len(chats[ci].msgs))
	}
	for i, p := range all {
		ids[p.chat][p.idx] = int64(i + 1)
	}
	for ci, c := range chats {
		lastRead := int64(0)
		if n := len(c.msgs) - c.unread - 1; n >= 0 {
			lastRead = ids[ci][n]
		}
		bc := BulkChat{LastReadMessageID: lastRead, CreatedAt: at(100 * time.Hour)}
		bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = c.id, c.person, c.channel, "ext"+string(rune('0'+c.id))
		must(b.Chat(bc))
	}
	for _, p := range all {
		m := core.Message{ID: ids[p.chat][p.idx], ChatID: p.m.chat, Kind: core.KindMessage, Sender: p.m.sender,
			Text: p.m.text, CreatedAt: at(p.m.ago), Status: core.StatusReceived}
		if p.m.kind != "" {
			m.Kind = p.m.kind
			m.Indicator = &core.Indicator{Type: core.IndSubscription, Tunnel: "Воронка", Source: "Instagram", Tool: "Квиз"}
		}
		if p.m.att {
			m.Attachments = []core.Attachment{{Kind: core.AttachDocument, FileName: "счёт.pdf"}}
		}
		if p.m.reply >= 0 {
			m.ReplyToID = ids[p.chat][p.m.reply]
		}
		must(b.Message(m))
	}
	today := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC).UnixMilli()
	must(b.Task(core.Task{ID: 1, PersonID: 1, AssigneeID: fxMe, Title: "call", DueAt: today + 10*3600_000})) // 19:00 today, still today
	must(b.Task(core.Task{ID: 2, PersonID: 2, AssigneeID: fxMe, Title: "later", DueAt: today + 24*3600_000}))
	must(b.Task(core.Task{ID: 3, PersonID: 3, AssigneeID: fxOther, Title: "theirs", DueAt: today - 24*3600_000}))
	must(b.Task(core.Task{ID: 4, PersonID: 3, AssigneeID: fxMe, Title: "done", DueAt: today - 24*3600_000, Done: true}))
	must(b.Task(core.Task{ID: 5, PersonID: 6, AssigneeID: fxMe, Title: "overdue", DueAt: today - 48*3600_000}))
	must(b.Dialogue(core.Dialogue{ID: 1, ChatID: 4, Status: "open", CreatedAt: at(3 * time.Hour)}, []int64{fxMe}))
	must(b.Dialogue(core.Dialogue{ID: 2, ChatID: 2, Status: "closed", CreatedAt: at(30 * time.Hour)}, nil))
	must(b.Finish())
	return fx{s: s, chatIvan: 1, chatAnna: 2, chatPetrTG: 3, chatPetrVK: 4, chatArch: 5, chatBL: 6, chatOlga: 7, ivanMsgs: ids[0]}
}

// openBulk opens a bulk loader on s for a test, with must: a failed step aborts the load and
// fails the test.
func openBulk(t *testing.T, s *Store) (*Bulk, func(error)) {
	t.Helper()
	b, err := s.NewBulk(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			b.Abort()
			t.Fatal(err)
		}
	}
	return b, must
}
