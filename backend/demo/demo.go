// Package demo generates a realistic, deterministic demo workspace: managers, two demo channels
// (no bots connected, no tokens), people with Russian and English names, chats on one or both
// messengers, and histories with every kind of message, indicator, note, attachment and reaction.
// The same Options give byte-for-byte the same data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// Options size and seed the workspace. Now anchors every timestamp (the last ~90 days end near it).
type Options struct {
	People   int
	Messages int
	Seed     int64
	Now      time.Time
}

// Fixed ids of the demo's managers and channels.
const (
	MeID          = 1
	TelegramID    = 1
	VKID          = 2
	HostilePerson = 1 // person 1 carries the hostile name and message
)

var managers = []core.Manager{
	{ID: MeID, Name: "Ольга Демидова", IsMe: true}, // a name, not "you": the UI words "you"
	{ID: 2, Name: "Анна Смирнова"},
	{ID: 3, Name: "Дмитрий Козлов"},
	{ID: 4, Name: "Emily Carter"},
}

// hostileChat is the index of person 1's first chat.
const hostileChat = 0

const day = int64(24 * time.Hour / time.Millisecond)

// person is what the message pass needs to know about a person.
type person struct {
	name     string
	english  bool
	plan     int
	source   int
	tool     int
	unsubbed bool
}

// chat is what the message pass needs to know about a chat.
type chat struct {
	person   int32 // index into people
	vk       bool
	count    int32
	unread   int32 // trailing unread client messages
	lastRead int64
}

// slot is one message before it has content: when, in which chat, at which position.
type slot struct {
	at   int64
	chat int32
	pos  int32
	kind uint8
}

const (
	sClient uint8 = iota
	sBot
	sManager
	sAdmin
	sIndicator
	sNote
	sSubscription // the chat's first entry
)

// Generate fills an empty store with the demo workspace.
func Generate(ctx context.Context, s *store.Store, opts Options) error {
	if opts.People < 1 {
		return errors.New("demo: need at least one person")
	}
	if opts.Messages < 0 {
		return errors.New("demo: negative message count")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	began := time.Now()
	now := opts.Now.UnixMilli()
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed))

	// People and chats.
	people := make([]person, opts.People)
	var chats []chat
	for i := range people {
		p := person{english: rng.IntN(10) < 3, plan: rng.IntN(len(plans)), source: rng.IntN(len(sources)),
			tool: rng.IntN(len(tools)), unsubbed: rng.IntN(100) < 12}
		people[i] = p
		both := rng.IntN(100) < 15
		if both {
			chats = append(chats, chat{person: int32(i)}, chat{person: int32(i), vk: true})
		} else {
			chats = append(chats, chat{person: int32(i), vk: rng.IntN(10) < 4})
		}
	}

	// Spread the messages over the chats: skewed, at least one each when there are enough.
	weights := make([]float64, len(chats))
	var sum float64
	for i := range weights {
		weights[i] = rng.ExpFloat64() + 0.2
		sum += weights[i]
	}
	base := 0
	if opts.Messages >= len(chats) {
		base = 1
	}
	spare := opts.Messages - base*len(chats)
	given := 0
	for i := range chats {
		n := base + int(float64(spare)*weights[i]/sum)
		chats[i].count = int32(n)
		given += n
	}
	for i := 0; given < opts.Messages; i = (i + 1) % len(chats) {
		chats[i].count++
		given++
	}
	// The hostile person's first chat needs a client message and should sit near the top.
	for j := 1; j < len(chats) && chats[hostileChat].count < 3; j++ {
		// Borrow from other chats so the total stays exact.
		for chats[j].count > 1 && chats[hostileChat].count < 3 {
			chats[j].count--
			chats[hostileChat].count++
		}
	}

	// Pass 1: timestamps and sender kinds, then ids in global time order (so message ids grow
	// with time as they do when messages arrive, which the search's id order relies on).
	slots := make([]slot, 0, opts.Messages)
	for ci := range chats {
		c := &chats[ci]
		if c.count == 0 {
			continue
		}
		start := now - int64(1+rng.IntN(89))*day - rng.Int64N(day)
		end := now - int64(rng.ExpFloat64()*4*float64(day))
		if rng.IntN(100) < 25 || ci == hostileChat {
			c.unread = int32(1 + rng.IntN(3))
			end = now - int64(rng.ExpFloat64()*0.5*float64(day))
		}
		if ci == hostileChat {
			end = now - 60_000
		}
		if ci != hostileChat && end > now-120_000 {
			end = now - 120_000 // keeps the hostile person first in the list, for the UI tests
		}
		if end <= start {
			start = end - int64(1+rng.IntN(3600_000))
		}
		if c.unread > c.count-1 {
			c.unread = max(c.count-1, 0)
		}
		times := make([]int64, c.count)
		for k := range times {
			times[k] = start + rng.Int64N(end-start+1)
		}
		slices.Sort(times)
		times[len(times)-1] = end
		for k := int32(0); k < c.count; k++ {
			kind := pickKind(rng, c.vk)
			switch {
			case k == 0:
				kind = sSubscription
			case k >= c.count-c.unread:
				kind = sClient
			case ci == hostileChat && k == 1:
				kind = sClient
			}
			slots = append(slots, slot{at: times[k], chat: int32(ci), pos: k, kind: kind})
		}
	}
	slices.SortFunc(slots, func(a, b slot) int {
		if a.at != b.at {
			return cmp64(a.at, b.at)
		}
		if a.chat != b.chat {
			return int(a.chat - b.chat)
		}
		return int(a.pos - b.pos)
	})
	for i, sl := range slots {
		c := &chats[sl.chat]
		if sl.pos == c.count-c.unread-1 {
			c.lastRead = int64(i + 1)
		}
	}

	slog.Info("demo: planned", "people", len(people), "chats", len(chats), "messages", len(slots), "took", time.Since(began).Round(time.Millisecond))
	b, err := s.NewBulk(ctx)
	if err != nil {
		return err
	}
	if err := load(ctx, b, opts, rng, people, chats, slots); err != nil {
		b.Abort()
		return fmt.Errorf("demo: %w", err)
	}
	slog.Info("demo: rows written", "took", time.Since(began).Round(time.Millisecond))
	if err := b.Finish(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	slog.Info("demo: list columns, indexes and statistics done", "took", time.Since(began).Round(time.Millisecond))
	return nil
}

func load(ctx context.Context, b *store.Bulk, opts Options, rng *rand.Rand, people []person, chats []chat, slots []slot) error {
	now := opts.Now.UnixMilli()
	for _, m := range managers {
		if err := b.Manager(m); err != nil {
			return err
		}
	}
	created := now - 120*day
	for _, c := range []core.Channel{
		{ID: TelegramID, Kind: core.Telegram, Name: "Demo Telegram bot", ExternalID: "demo-telegram", Username: "demo_switchboard_bot", CreatedAt: created},
		{ID: VKID, Kind: core.VK, Name: "Demo VK community", ExternalID: "demo-vk", Username: "demo_switchboard", CreatedAt: created},
	} {
		if err := b.Channel(c); err != nil {
			return err
		}
	}
	for i, p := range plans {
		if err := b.Plan(int64(i+1), p); err != nil {
			return err
		}
	}
	for i, t := range tags {
		if err := b.Tag(int64(i+1), t); err != nil {
			return err
		}
	}
	for i, t := range []core.Template{
		{Name: "Приветствие", Value: "Здравствуйте, {name}!"},
		{Name: "Прощание", Value: "Спасибо за обращение, {name}! Хорошего дня."},
		{Name: "Оплата", Value: "Ссылка на оплату: {payment_link}"},
		{Name: "Hello", Value: "Hello, {name}!"},
		{Name: "Оценка", Value: "{name}, оцените, пожалуйста, нашу работу от 1 до 5."},
	} {
		t.ID = int64(i + 1)
		if err := b.Template(t); err != nil {
			return err
		}
	}
	for _, l := range []core.LeadLink{
		{ChannelID: TelegramID, Code: "webinar_ig", Plan: plans[1], Source: "Instagram", Tool: "Вебинар"},
		{ChannelID: TelegramID, Code: "quiz_yd", Plan: plans[0], Source: "Яндекс Директ", Tool: "Квиз"},
		{ChannelID: VKID, Code: "promo_vk", Plan: plans[3], Source: "Реклама ВКонтакте", Tool: "Промокод"},
	} {
		if err := b.LeadLink(l); err != nil {
			return err
		}
	}

	// People: names, contacts, plans and tags.
	var taskID, dlgID int64
	for i := range people {
		p := &people[i]
		id := int64(i + 1)
		bp := store.BulkPerson{}
		bp.ID = id
		var lat string
		p.name, lat = makeName(rng, p.english)
		if id == HostilePerson {
			p.name = HostileName
		}
		bp.Name = p.name
		if rng.IntN(100) < 72 {
			bp.Phone = makePhone(rng, p.english)
		}
		if rng.IntN(100) < 60 {
			bp.Email = lat + strconv.Itoa(rng.IntN(100)) + "@" + mailDomains[rng.IntN(len(mailDomains))]
		}
		bp.Status = core.Subscribed
		if p.unsubbed {
			bp.Status = core.Unsubscribed
		}
		bp.Archived = rng.IntN(100) < 3 && id != HostilePerson
		bp.Blacklisted = rng.IntN(100) < 1 && id != HostilePerson
		bp.Source = sources[p.source]
		bp.Tool = tools[p.tool]
		bp.CreatedAt = now - int64(90+rng.IntN(30))*day
		bp.PlanIDs = []int64{int64(p.plan + 1)}
		if rng.IntN(4) == 0 {
			if extra := rng.IntN(len(plans)); extra != p.plan {
				bp.PlanIDs = append(bp.PlanIDs, int64(extra+1))
			}
		}
		for t := range tags {
			if rng.IntN(100) < 8 {
				bp.TagIDs = append(bp.TagIDs, int64(t+1))
			}
		}
		if err := b.Person(bp); err != nil {
			return err
		}
		// Logs are data (a kind and its parameters): the UI words them in the manager's language.
		if err := b.Log(core.LogEntry{PersonID: id, Kind: core.LogSubscribed, At: bp.CreatedAt,
			Params: core.LogParams{core.ParamTool: tools[p.tool], core.ParamSource: sources[p.source]}}); err != nil {
			return err
		}
		if err := b.Log(core.LogEntry{PersonID: id, Kind: core.LogPlanAdded, At: bp.CreatedAt + 1000,
			Params: core.LogParams{core.ParamPlan: plans[p.plan]}}); err != nil {
			return err
		}
		// Tasks: a share of people have one; mine are due yesterday, today or later.
		if r := rng.IntN(100); r < 6 || id == HostilePerson {
			taskID++
			assignee := int64(MeID)
			if r >= 3 && id != HostilePerson {
				assignee = int64(2 + rng.IntN(len(managers)-1))
			}
			due := startOfDay(opts.Now).UnixMilli() + int64(rng.IntN(3)-1)*day + int64(9+rng.IntN(9))*3600_000
			title := []string{"Перезвонить клиенту", "Отправить счёт", "Уточнить детали заказа", "Follow up on the proposal"}[rng.IntN(4)]
			task := core.Task{ID: taskID, PersonID: id, AssigneeID: assignee, DueAt: due, Title: title, Done: rng.IntN(10) == 0}
			if task.Done {
				task.DoneAt = min(due, opts.Now.UnixMilli())
			}
			if err := b.Task(task); err != nil {
				return err
			}
			// A workspace in use: what was due before it opens has been announced already.
			if due <= opts.Now.UnixMilli() {
				if err := b.TaskAlerted(taskID, due); err != nil {
					return err
				}
			}
		}
	}

	// Chats, with the read position pass 1 chose, dialogues and drafts.
	for ci, c := range chats {
		id := int64(ci + 1)
		p := people[c.person]
		channel := int64(TelegramID)
		ext := strconv.FormatInt(100_000_000+id*7, 10)
		if c.vk {
			channel = VKID
			ext = strconv.FormatInt(200_000_000+id*3, 10)
		}
		bc := store.BulkChat{LastReadMessageID: c.lastRead, CreatedAt: now - 90*day}
		bc.ID, bc.PersonID, bc.ChannelID, bc.ExternalChatID = id, int64(c.person)+1, channel, ext
		if !c.vk && rng.IntN(2) == 0 {
			bc.Username = strings.ToLower(strings.ReplaceAll(latinOf(p.name), " ", "_"))
		}
		bc.TunnelOff = rng.IntN(100) < 4
		bc.BotOff = rng.IntN(100) < 6
		// Every ninth chat is claimed by one of the other managers (by id, not by the random
		// stream, so the rest of the workspace stays as the seed made it); none is mine yet.
		if id%9 == 5 {
			bc.OwnerID = managers[1+int(id/9)%(len(managers)-1)].ID
		}
		if err := b.Chat(bc); err != nil {
			return err
		}
		if r := rng.IntN(100); r < 4 {
			dlgID++
			status := []string{"open", "in_progress", "closed", "closed"}[rng.IntN(4)]
			d := core.Dialogue{ID: dlgID, ChatID: id, Type: []string{"Вопрос по оплате", "Технический вопрос", "Возврат"}[rng.IntN(3)],
				Status: status, CreatedAt: now - int64(rng.IntN(10))*day}
			if status == "closed" {
				d.ClosedAt = d.CreatedAt + 3600_000
				d.ClientRating, d.ManagerRating = 3+rng.IntN(3), 3+rng.IntN(3)
			}
			if err := b.Dialogue(d, []int64{int64(1 + rng.IntN(len(managers)))}); err != nil {
				return err
			}
		}
		if rng.IntN(200) == 0 {
			if err := b.Draft(core.Draft{ChatID: id, Text: "Добрый день! Уточню и вернусь с ответом", UpdatedAt: now - day}); err != nil {
				return err
			}
		}
	}

	// Pass 2: message content, in id order. Each message draws from its own generator seeded by
	// (seed, id), so content does not depend on the order chats were visited.
	lastID := make([]int64, len(chats))
	hostileDone := false
	for i, sl := range slots {
		if i%10000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		id := int64(i + 1)
		r := rand.New(rand.NewPCG(uint64(opts.Seed), uint64(id)))
		c := chats[sl.chat]
		p := people[c.person]
		m := core.Message{ID: id, ChatID: int64(sl.chat) + 1, Kind: core.KindMessage, CreatedAt: sl.at,
			Status: core.StatusReceived, ExternalID: "d" + strconv.FormatInt(id, 10)}
		switch sl.kind {
		case sSubscription:
			m.Kind, m.Sender, m.ExternalID = core.KindIndicator, core.SenderSystem, ""
			m.Indicator = &core.Indicator{Type: core.IndSubscription, Tunnel: plans[p.plan], Source: sources[p.source], Tool: tools[p.tool]}
		case sIndicator:
			m.Kind, m.Sender, m.ExternalID = core.KindIndicator, core.SenderSystem, ""
			m.Indicator = makeIndicator(r, p)
		case sNote:
			m.Kind, m.Sender, m.ExternalID, m.Status = core.KindNote, core.SenderManager, "", core.StatusSent
			author := managers[r.IntN(len(managers))]
			other := managers[(int(author.ID)+r.IntN(len(managers)-1))%len(managers)]
			m.ManagerID, m.SenderName = author.ID, author.Name
			m.Text = "@" + other.Name + " " + notes[r.IntN(len(notes))]
			m.Mentions = []int64{other.ID}
		case sClient:
			m.Sender, m.SenderName = core.SenderClient, p.name
			m.Text = pick(r, ruClient, enClient, p.english)
			if sl.chat == hostileChat && !hostileDone {
				m.Text, hostileDone = HostileText, true
				break // kept plain: no edit, deletion or attachment may hide it
			}
			if r.IntN(100) < 12 {
				m.Attachments = []core.Attachment{makeAttachment(r)}
				if m.Attachments[0].Kind != core.AttachPhoto && m.Attachments[0].Kind != core.AttachDocument {
					m.Text = ""
				}
			}
			decorate(r, &m, lastID[sl.chat], sl.at)
		case sBot:
			m.Sender, m.SenderName, m.Status = core.SenderBot, "Demo bot", core.StatusSent
			m.Text = pick(r, ruBot, enBot, p.english)
			if r.IntN(100) < 5 {
				m.Attachments = []core.Attachment{{Kind: core.AttachPhoto, FileID: "demo-photo-" + strconv.FormatInt(id, 10), Width: 1280, Height: 720, MIME: "image/jpeg", Size: 181_000}}
			}
		case sManager:
			mg := managers[r.IntN(len(managers))]
			m.Sender, m.SenderName, m.ManagerID, m.Status = core.SenderManager, mg.Name, mg.ID, core.StatusSent
			m.Text = pick(r, ruManager, enManager, p.english)
			if r.IntN(100) < 3 {
				m.Status, m.Error, m.ExternalID = core.StatusFailed, core.FailBlocked, ""
			}
			decorate(r, &m, lastID[sl.chat], sl.at)
		case sAdmin:
			// The admin's own name, as VK gives it: "admin" is the UI's word, not data.
			m.Sender, m.SenderName, m.Status = core.SenderAdmin, "Игорь Белов", core.StatusSent
			m.Text = ruAdmin[r.IntN(len(ruAdmin))]
		}
		if err := b.Message(m); err != nil {
			return err
		}
		lastID[sl.chat] = id
	}
	return nil
}

// decorate adds replies, edits, deletions and reactions to a share of messages.
func decorate(r *rand.Rand, m *core.Message, prev, at int64) {
	if prev != 0 && r.IntN(100) < 10 {
		m.ReplyToID = prev
	}
	switch x := r.IntN(100); {
	case x < 4:
		// The history marks it "edited"; the text is the corrected one, as a messenger keeps it.
		m.Edited, m.EditedAt = true, at+int64(1+r.IntN(600))*1000
	case x < 6:
		m.Deleted = true
	}
	if r.IntN(100) < 7 {
		m.Reactions = []core.Reaction{{Emoji: emojis[r.IntN(len(emojis))], Count: 1}}
	}
}

func pickKind(r *rand.Rand, vk bool) uint8 {
	switch x := r.IntN(100); {
	case x < 42:
		return sClient
	case x < 60:
		return sBot
	case x < 84:
		return sManager
	case x < 88:
		if vk {
			return sAdmin
		}
		return sManager
	case x < 96:
		return sIndicator
	default:
		return sNote
	}
}

func makeIndicator(r *rand.Rand, p person) *core.Indicator {
	types := []core.IndicatorType{core.IndResubscription, core.IndUnsubscription, core.IndOrder, core.IndPaymentOK,
		core.IndPaymentFailed, core.IndTunnelStart, core.IndTunnelStop, core.IndTrigger, core.IndFilter}
	in := &core.Indicator{Type: types[r.IntN(len(types))]}
	switch in.Type {
	case core.IndResubscription:
		in.Tunnel, in.Source, in.Tool = plans[p.plan], sources[r.IntN(len(sources))], tools[r.IntN(len(tools))]
	case core.IndUnsubscription:
		in.Tunnel, in.Reason = plans[p.plan], core.ReasonBlockedBot
	case core.IndOrder:
		in.Offer, in.Amount = offers[r.IntN(len(offers))], amounts[r.IntN(len(amounts))]
	case core.IndPaymentOK:
		in.Offer, in.Amount = offers[r.IntN(len(offers))], amounts[r.IntN(len(amounts))]
	case core.IndPaymentFailed:
		in.Offer, in.Amount, in.Reason = offers[r.IntN(len(offers))], amounts[r.IntN(len(amounts))], core.ReasonCardDeclined
	case core.IndTunnelStart, core.IndTunnelStop:
		in.Tunnel, in.Block = plans[p.plan], blocks[r.IntN(len(blocks))]
	case core.IndTrigger:
		in.Tunnel, in.Block = plans[p.plan], []string{"Открыл письмо", "Перешёл по ссылке", "Не оплатил 24 ч"}[r.IntN(3)]
	case core.IndFilter:
		in.Tunnel, in.Block = plans[p.plan], []string{"Есть email", "Тег VIP", "Оплатил"}[r.IntN(3)]
	}
	return in
}

func makeAttachment(r *rand.Rand) core.Attachment {
	id := "demo-file-" + strconv.Itoa(r.IntN(1_000_000))
	switch r.IntN(5) {
	case 0:
		return core.Attachment{Kind: core.AttachPhoto, FileID: id, MIME: "image/jpeg", Width: 1080, Height: 1350, Size: int64(90_000 + r.IntN(400_000))}
	case 1:
		name := docs[r.IntN(len(docs))]
		return core.Attachment{Kind: core.AttachDocument, FileID: id, FileName: name, MIME: "application/octet-stream", Size: int64(20_000 + r.IntN(2_000_000))}
	case 2:
		return core.Attachment{Kind: core.AttachVoice, FileID: id, MIME: "audio/ogg", Duration: 2 + r.IntN(90), Size: int64(8_000 + r.IntN(200_000))}
	case 3:
		return core.Attachment{Kind: core.AttachLocation, Lat: 55.75 + float64(r.IntN(1000))/10000, Lon: 37.61 + float64(r.IntN(1000))/10000}
	default:
		return core.Attachment{Kind: core.AttachSticker, FileID: id, Title: stickers[r.IntN(len(stickers))]}
	}
}

func makeName(r *rand.Rand, english bool) (display, latin string) {
	if english {
		f, l := enFirst[r.IntN(len(enFirst))], enLast[r.IntN(len(enLast))]
		return f + " " + l, strings.ToLower(f + "." + l)
	}
	last := ruLast[r.IntN(len(ruLast))]
	if r.IntN(2) == 0 {
		f := ruMaleFirst[r.IntN(len(ruMaleFirst))]
		return f.ru + " " + last.ru, f.lat + "." + last.lat
	}
	f := ruFemaleFirst[r.IntN(len(ruFemaleFirst))]
	return f.ru + " " + last.ru + "а", f.lat + "." + last.lat + "a"
}

// latinOf maps a display name to a plausible latin username.
func latinOf(display string) string {
	for _, l := range [][]name{ruMaleFirst, ruFemaleFirst, ruLast} {
		for _, n := range l {
			display = strings.ReplaceAll(display, n.ru, n.lat)
		}
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == ' ' || r == '_' {
			return r
		}
		return -1
	}, display)
}

// makePhone writes a phone in one of the formats people really type.
func makePhone(r *rand.Rand, english bool) string {
	if english {
		return fmt.Sprintf("+1 %03d-555-%04d", 200+r.IntN(700), r.IntN(10000))
	}
	code := []int{916, 903, 925, 985, 999, 912, 921, 977}[r.IntN(8)]
	a, b, c := r.IntN(1000), r.IntN(100), r.IntN(100)
	switch r.IntN(5) {
	case 0:
		return fmt.Sprintf("+7 (%d) %03d-%02d-%02d", code, a, b, c)
	case 1:
		return fmt.Sprintf("8%d%03d%02d%02d", code, a, b, c)
	case 2:
		return fmt.Sprintf("+7 %d %03d %02d %02d", code, a, b, c)
	case 3:
		return fmt.Sprintf("+7%d%03d%02d%02d", code, a, b, c)
	default:
		return fmt.Sprintf("8-%d-%03d-%02d-%02d", code, a, b, c)
	}
}

func pick(r *rand.Rand, ru, en []string, english bool) string {
	if english {
		return en[r.IntN(len(en))]
	}
	return ru[r.IntN(len(ru))]
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func cmp64(a, b int64) int {
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
