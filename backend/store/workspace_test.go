package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"switchboard/backend/core"
)

func TestCommitSignalsAndEventLog(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	// Drain what the fixture's own commits left in the shared signal.
	select {
	case <-s.Changes():
	default:
	}
	sub, release := s.Subscribe()
	defer release()
	seq0, err := s.LastEventSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetBotOff(ctx, f.chatAnna, true, fxNow); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]<-chan struct{}{"Changes": s.Changes(), "Subscribe": sub} {
		select {
		case <-c:
		case <-time.After(time.Second):
			t.Errorf("%s not signalled after a commit", name)
		}
	}
	// A failed write commits nothing and signals nothing.
	if err := s.MarkRead(ctx, 4242, fxNow); err == nil {
		t.Fatal("marking a missing chat succeeded")
	}
	select {
	case <-sub:
		t.Error("a rolled-back write signalled")
	default:
	}
	// Many commits with nobody listening never block the writer, and leave one pending signal.
	for i := 0; i < 20; i++ {
		if err := s.SetTunnelOff(ctx, f.chatAnna, i%2 == 0, fxNow); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := s.EventsAfter(ctx, seq0, 5)
	if err != nil || len(evs) != 5 || evs[0].Seq != seq0+1 || evs[0].Kind != core.EventChatChanged {
		t.Fatalf("events page = %+v, %v", evs, err)
	}
	rest, _ := s.EventsAfter(ctx, evs[4].Seq, 100)
	if len(rest) != 16 {
		t.Errorf("rest = %d events, want 16", len(rest))
	}
	last, _ := s.LastEventSeq(ctx)
	if last != seq0+21 {
		t.Errorf("last seq = %d, want %d", last, seq0+21)
	}
	release()
	release() // releasing twice is harmless
}

func TestSettingsFiltersFacetsManagers(t *testing.T) {
	f := fixture(t)
	s, ctx := f.s, context.Background()
	if _, ok, err := s.Setting(ctx, "theme"); ok || err != nil {
		t.Errorf("unset setting: ok=%v err=%v", ok, err)
	}
	s.SetSetting(ctx, "theme", "dark")
	s.SetSetting(ctx, "theme", "light")
	if v, ok, _ := s.Setting(ctx, "theme"); !ok || v != "light" {
		t.Errorf("theme = %q", v)
	}
	fl := core.ListFilter{Tags: []string{"VIP"}, ActiveDialogues: true}
	a, err := s.SaveFilter(ctx, "hot", fl)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.SaveFilter(ctx, "cold", core.ListFilter{Archived: true})
	list, _ := s.SavedFilters(ctx)
	if len(list) != 2 || list[0].Name != "cold" || list[1].ID != a.ID || !list[1].Filter.ActiveDialogues {
		t.Errorf("saved = %+v", list)
	}
	s.DeleteSavedFilter(ctx, b.ID)
	if list, _ := s.SavedFilters(ctx); len(list) != 1 {
		t.Errorf("after delete = %+v", list)
	}
	fc, err := s.Facets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fc.Plans, []string{"Вебинар", "Воронка"}) || !slices.Equal(fc.Tags, []string{"B2B", "VIP"}) ||
		!slices.Equal(fc.Sources, []string{"Google", "Instagram"}) || !slices.Equal(fc.Tools, []string{"Вебинар", "Квиз"}) {
		t.Errorf("facets = %+v", fc)
	}
	me, err := s.Me(ctx)
	if err != nil || me.ID != fxMe || me.Name != "Вы" {
		t.Errorf("me = %+v, %v", me, err)
	}
	ms, _ := s.Managers(ctx)
	if len(ms) != 2 || !ms[0].IsMe {
		t.Errorf("managers = %+v", ms)
	}
	st, _ := s.Stats(ctx)
	if st != (Stats{People: 7, Chats: 7, Messages: 13, Channels: 2}) {
		t.Errorf("stats = %+v", st)
	}
}
