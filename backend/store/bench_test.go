package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/demo"
	"switchboard/backend/store"
)

// Benchmarks run on a demo workspace. SWITCHBOARD_BENCH_DIR names a data dir that already holds
// one (e.g. `switchboard-hub demo --data DIR --people 100000 --messages 1000000`); otherwise a
// small one is generated (SWITCHBOARD_BENCH_PEOPLE / _MESSAGES, default 5,000 / 50,000).
func benchStore(b *testing.B) (*store.Store, time.Time) {
	b.Helper()
	if dir := os.Getenv("SWITCHBOARD_BENCH_DIR"); dir != "" {
		s, err := store.OpenDir(dir)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s, time.Now()
	}
	people, messages := envInt("SWITCHBOARD_BENCH_PEOPLE", 5000), envInt("SWITCHBOARD_BENCH_MESSAGES", 50000)
	s, err := store.Open(filepath.Join(b.TempDir(), store.DBFile))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	if err := demo.Generate(context.Background(), s, demo.Options{People: people, Messages: messages, Seed: 1, Now: now}); err != nil {
		b.Fatal(err)
	}
	return s, now
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// reportP95 runs fn b.N times and reports the 95th percentile latency beside ns/op.
func reportP95(b *testing.B, fn func() error) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

func BenchmarkReadSide(b *testing.B) {
	s, now := benchStore(b)
	ctx := context.Background()
	me, err := s.Me(ctx)
	if err != nil {
		b.Fatal(err)
	}
	yes := true
	lists := []struct {
		name string
		q    core.ListQuery
	}{
		{"tab-all", core.ListQuery{Tab: core.TabAll}},
		{"tab-important", core.ListQuery{Tab: core.TabImportant}},
		{"tab-unread", core.ListQuery{Tab: core.TabUnread}},
		{"tab-unread-oldest", core.ListQuery{Tab: core.TabUnread, OldestFirst: true}},
		{"filter-vk", core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Channels: []core.ChannelKind{core.VK}}}},
		{"filter-tag", core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Tags: []string{"VIP"}}}},
		{"filter-plan-email", core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Plans: []string{"Курс английского"}, HasEmail: &yes}}},
		{"filter-source", core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Sources: []string{"YouTube"}}}},
		{"filter-dialogues", core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{ActiveDialogues: true}}},
		{"filter-archive", core.ListQuery{Tab: core.TabAll, Filter: core.ListFilter{Archived: true}}},
		{"search-name", core.ListQuery{Tab: core.TabAll, Search: "Иван"}},
		{"search-prefix", core.ListQuery{Tab: core.TabAll, Search: "ma"}},
		{"search-phone", core.ListQuery{Tab: core.TabAll, Search: "916123"}},
		{"search-email", core.ListQuery{Tab: core.TabAll, Search: "gmail.com"}},
	}
	for _, l := range lists {
		b.Run("list/"+l.name, func(b *testing.B) {
			reportP95(b, func() error {
				_, err := s.ListPeople(ctx, l.q, me.ID, now)
				return err
			})
		})
	}
	for _, l := range lists {
		b.Run("counts/"+l.name, func(b *testing.B) {
			reportP95(b, func() error {
				_, err := s.TabCounts(ctx, l.q, me.ID, now)
				return err
			})
		})
	}
	var chats []int64
	page, err := s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll, Limit: 200}, me.ID, now)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range page.Rows {
		chats = append(chats, r.ChatID)
	}
	b.Run("history/first-page", func(b *testing.B) {
		i := 0
		reportP95(b, func() error {
			i++
			_, err := s.History(ctx, core.HistoryQuery{ChatID: chats[i%len(chats)], Limit: 50})
			return err
		})
	})
	for _, w := range []string{"оплата", "здравствуйте", "курс", "refund"} {
		b.Run(fmt.Sprintf("search-messages/%s", w), func(b *testing.B) {
			reportP95(b, func() error {
				_, err := s.SearchMessages(ctx, w, 50)
				return err
			})
		})
	}
}
