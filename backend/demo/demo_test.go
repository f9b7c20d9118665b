package demo

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func generate(t *testing.T, seed int64) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := Generate(context.Background(), s, Options{People: 300, Messages: 3000, Seed: seed, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	return s
}

type snapshot struct {
	Stats   store.Stats
	Page    core.ListPage
	Unread  core.ListPage
	Counts  core.TabCounts
	History core.HistoryPage
	Card    core.ClientCard
}

func snap(t *testing.T, s *store.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	var sn snapshot
	var err error
	if sn.Stats, err = s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if sn.Page, err = s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Limit: 30}, MeID, testNow); err != nil {
		t.Fatal(err)
	}
	if sn.Unread, err = s.ListPeople(ctx, core.ListQuery{Tab: core.TabUnread, OldestFirst: true, Limit: 30}, MeID, testNow); err != nil {
		t.Fatal(err)
	}
	if sn.Counts, err = s.TabCounts(ctx, core.ListQuery{}, MeID, testNow); err != nil {
		t.Fatal(err)
	}
	if sn.History, err = s.History(ctx, core.HistoryQuery{ChatID: sn.Page.Rows[3].ChatID}); err != nil {
		t.Fatal(err)
	}
	if sn.Card, err = s.ClientCard(ctx, sn.Page.Rows[3].PersonID); err != nil {
		t.Fatal(err)
	}
	return sn
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := snap(t, generate(t, 7)), snap(t, generate(t, 7))
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different workspaces:\n%+v\n%+v", a.Page.Rows[:3], b.Page.Rows[:3])
	}
	if a.Stats.People != 300 || a.Stats.Messages != 3000 || a.Stats.Channels != 2 || a.Stats.Chats < 300 {
		t.Errorf("stats = %+v", a.Stats)
	}
	c := snap(t, generate(t, 8))
	if reflect.DeepEqual(a.Page, c.Page) {
		t.Error("a different seed gave the same first page")
	}
}

func TestGenerateContent(t *testing.T) {
	s := generate(t, 1)
	ctx := context.Background()

	// The hostile person is findable, near the top (unread, newest) and their message is stored verbatim.
	page, err := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Search: "Hacker"}, MeID, testNow)
	if err != nil || len(page.Rows) != 1 || page.Rows[0].Name != HostileName {
		t.Fatalf("hostile person: %+v, %v", page.Rows, err)
	}
	top, _ := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Limit: 1}, MeID, testNow)
	if top.Rows[0].PersonID != HostilePerson {
		t.Errorf("hostile person is not first: %+v", top.Rows[0])
	}
	hist, err := s.History(ctx, core.HistoryQuery{ChatID: page.Rows[0].ChatID, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range hist.Messages {
		found = found || m.Text == HostileText
	}
	if !found {
		t.Error("hostile message missing")
	}

	// Every kind of content appears somewhere.
	seenInd := map[core.IndicatorType]bool{}
	seenAtt := map[core.AttachmentKind]bool{}
	seenSender := map[core.SenderKind]bool{}
	var notes, replies, edited, deleted, reactions, mentions int
	for chatID := int64(1); chatID <= 400; chatID++ {
		h, err := s.History(ctx, core.HistoryQuery{ChatID: chatID, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Messages {
			seenSender[m.Sender] = true
			if m.Indicator != nil {
				seenInd[m.Indicator.Type] = true
			}
			for _, a := range m.Attachments {
				seenAtt[a.Kind] = true
				if a.Kind == core.AttachDocument && a.FileName == "" || a.Kind == core.AttachVoice && a.Duration == 0 {
					t.Errorf("attachment without details: %+v", a)
				}
			}
			if m.Kind == core.KindNote {
				notes++
				mentions += len(m.Mentions)
			}
			if m.ReplyTo != nil {
				replies++
			}
			if m.Edited {
				edited++
			}
			if m.Deleted {
				deleted++
			}
			reactions += len(m.Reactions)
		}
	}
	for _, it := range []core.IndicatorType{core.IndSubscription, core.IndResubscription, core.IndUnsubscription, core.IndOrder,
		core.IndPaymentOK, core.IndPaymentFailed, core.IndTunnelStart, core.IndTunnelStop, core.IndTrigger, core.IndFilter} {
		if !seenInd[it] {
			t.Errorf("no %s indicator", it)
		}
	}
	for _, k := range []core.AttachmentKind{core.AttachPhoto, core.AttachDocument, core.AttachVoice, core.AttachLocation, core.AttachSticker} {
		if !seenAtt[k] {
			t.Errorf("no %s attachment", k)
		}
	}
	for _, k := range []core.SenderKind{core.SenderClient, core.SenderBot, core.SenderAdmin, core.SenderManager, core.SenderSystem} {
		if !seenSender[k] {
			t.Errorf("no %s messages", k)
		}
	}
	if notes == 0 || mentions == 0 || replies == 0 || edited == 0 || deleted == 0 || reactions == 0 {
		t.Errorf("notes %d mentions %d replies %d edited %d deleted %d reactions %d", notes, mentions, replies, edited, deleted, reactions)
	}

	counts, _ := s.TabCounts(ctx, core.ListQuery{}, MeID, testNow)
	if counts.Important == 0 || counts.Unread == 0 || counts.All < 250 {
		t.Errorf("counts = %+v", counts)
	}
	yes := true
	both, _ := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Limit: 200}, MeID, testNow)
	two := 0
	for _, r := range both.Rows {
		if len(r.Channels) == 2 {
			two++
		}
	}
	if two == 0 {
		t.Error("nobody is on both messengers")
	}
	for _, q := range []core.ListFilter{{HasPhone: &yes}, {HasEmail: &yes}, {ActiveDialogues: true}, {Archived: true},
		{Statuses: []core.PersonStatus{core.Unsubscribed}}, {Tags: []string{"VIP"}}, {Plans: []string{plans[0]}},
		{Sources: []string{sources[0]}}, {Tools: []string{tools[0]}}} {
		p, err := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Filter: q}, MeID, testNow)
		if err != nil || len(p.Rows) == 0 {
			t.Errorf("filter %+v: %d rows, %v", q, len(p.Rows), err)
		}
	}
	ms, _ := s.Managers(ctx)
	if len(ms) != 4 || !ms[0].IsMe || ms[0].Name != "Ольга Демидова" {
		t.Errorf("managers = %+v", ms)
	}
	ts, _ := s.Templates(ctx)
	hasGreeting := false
	for _, tpl := range ts {
		hasGreeting = hasGreeting || tpl.Name == "Приветствие" && tpl.Value == "Здравствуйте, {name}!"
	}
	if !hasGreeting {
		t.Errorf("templates = %+v", ts)
	}
	f, _ := s.Facets(ctx)
	if len(f.Plans) != len(plans) || len(f.Tags) != len(tags) || len(f.Sources) == 0 || len(f.Tools) == 0 {
		t.Errorf("facets = %+v", f)
	}
	// Every message the demo wrote is older than now and newer than ~120 days.
	var bad int
	for chatID := int64(1); chatID <= 50; chatID++ {
		h, _ := s.History(ctx, core.HistoryQuery{ChatID: chatID, Limit: 200})
		for _, m := range h.Messages {
			if m.CreatedAt > testNow.UnixMilli() || m.CreatedAt < testNow.Add(-120*24*time.Hour).UnixMilli() {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d messages outside the last 120 days", bad)
	}
}

func TestGenerateTinyAndEdgeSizes(t *testing.T) {
	for _, o := range []Options{{People: 1, Messages: 0}, {People: 1, Messages: 5}, {People: 10, Messages: 3}} {
		s, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		o.Now, o.Seed = testNow, 3
		if err := Generate(context.Background(), s, o); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
		st, _ := s.Stats(context.Background())
		if st.People != int64(o.People) || st.Messages != int64(o.Messages) {
			t.Errorf("%+v: stats %+v", o, st)
		}
		s.Close()
	}
}

// BenchmarkGenerate measures the generator at 10,000 people / 100,000 messages per op.
func BenchmarkGenerate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s, err := store.Open(filepath.Join(b.TempDir(), store.DBFile))
		if err != nil {
			b.Fatal(err)
		}
		if err := Generate(context.Background(), s, Options{People: 10000, Messages: 100000, Seed: 1, Now: testNow}); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
