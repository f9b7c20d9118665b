package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
	"unicode"

	"switchboard/backend/core"
	"switchboard/backend/store"
	"switchboard/bench/samples"
)

// benchQueries times the store queries behind what a manager does, each kind with n distinct
// inputs drawn from the dataset itself (names, phones, emails, chats, message words), so the
// figures are not one query answered from SQLite's page cache over and over. Up to 50 other
// inputs of each kind run first, uncounted: the app has been open a while when a manager searches.
func benchQueries(dbPath string, n int, seed uint64, out samples.Sink) error {
	ctx := context.Background()
	st, err := store.Open(dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	if stats.People == 0 || stats.Messages == 0 {
		return fmt.Errorf("queries: %s holds no dataset (%+v)", dbPath, stats)
	}
	me, err := st.Me(ctx)
	if err != nil {
		return err
	}
	facets, err := st.Facets(ctx)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5b))
	now := time.Now()
	warm := min(n, 50) // inputs run first and not counted, per kind

	searches, err := peopleSearches(ctx, st, rng, stats.People, warm+n)
	if err != nil {
		return err
	}
	chats, err := sampleChats(ctx, st, rng, stats.Chats, warm+n)
	if err != nil {
		return err
	}
	words, err := messageWords(ctx, st, rng, stats.Messages, warm+n)
	if err != nil {
		return err
	}
	filters := listFilters(rng, facets, warm+n)

	// Quick search: the list page and the tab badges the UI asks for with it.
	var list, counts []float64
	slowSearch := map[string][]float64{} // input kind -> list and counts ms, to name what misses
	var slowest []timedInput
	for i, q := range searches {
		lq := core.ListQuery{Tab: core.TabAll, Search: q, Limit: core.DefaultPageSize}
		t0 := time.Now()
		if _, err := st.ListPeople(ctx, lq, me.ID, now); err != nil {
			return fmt.Errorf("search %q: %w", q, err)
		}
		d1 := time.Since(t0)
		t1 := time.Now()
		if _, err := st.TabCounts(ctx, lq, me.ID, now); err != nil {
			return fmt.Errorf("search counts %q: %w", q, err)
		}
		d2 := time.Since(t1)
		if i >= warm {
			list = append(list, ms(d1))
			counts = append(counts, ms(d2))
			kind := searchKinds[i%len(searchKinds)]
			slowSearch[kind] = append(slowSearch[kind], ms(d1), ms(d2))
			slowest = append(slowest, timedInput{q, ms(d1), ms(d2)})
		}
	}
	reportSearches(slowSearch, slowest)
	if err := out.Put(Metric{ID: "search_people", Unit: "ms", Samples: list,
		Note: "store.ListPeople first page (50) with Search = a name, phone fragment or email prefix of a random person"}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "search_counts", Unit: "ms", Samples: counts,
		Note: "store.TabCounts under the same searches (the tab badges)"}); err != nil {
		return err
	}

	// Open a chat: the newest page of 50.
	var hist []float64
	for i, id := range chats {
		t0 := time.Now()
		if _, err := st.History(ctx, core.HistoryQuery{ChatID: id, Limit: 50}); err != nil {
			return fmt.Errorf("history of chat %d: %w", id, err)
		}
		if i >= warm {
			hist = append(hist, ms(time.Since(t0)))
		}
	}
	if err := out.Put(Metric{ID: "history_query", Unit: "ms", Samples: hist,
		Note: "store.History newest 50 messages of a random chat"}); err != nil {
		return err
	}

	// Switch tab / apply a filter: the list page and the counts, both re-queried by the UI.
	list, counts = nil, nil
	slow := map[string][]float64{} // filter shape -> list+counts ms, to name what misses
	var slowLists []timedInput     // each change's list page, to name the inputs that miss
	for i, lq := range filters {
		t0 := time.Now()
		if _, err := st.ListPeople(ctx, lq, me.ID, now); err != nil {
			return fmt.Errorf("filter %+v: %w", lq, err)
		}
		d1 := time.Since(t0)
		t1 := time.Now()
		if _, err := st.TabCounts(ctx, lq, me.ID, now); err != nil {
			return fmt.Errorf("filter counts %+v: %w", lq, err)
		}
		d2 := time.Since(t1)
		if i >= warm {
			list = append(list, ms(d1))
			counts = append(counts, ms(d2))
			sh := shape(lq)
			slow[sh] = append(slow[sh], ms(d1), ms(d2))
			slowLists = append(slowLists, timedInput{fmt.Sprintf("%s %+v", lq.Tab, lq.Filter), ms(d1), ms(d2)})
		}
	}
	reportShapes(slow)
	reportSlowLists(slowLists)
	if err := out.Put(Metric{ID: "filter_list", Unit: "ms", Samples: list,
		Note: "store.ListPeople first page on a random tab with 0-2 random filters (messenger, phone/email, tags, plans, tools, sources, status, active dialogues, archive/blacklist)"}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "filter_counts", Unit: "ms", Samples: counts,
		Note: "store.TabCounts for the same tab/filter changes"}); err != nil {
		return err
	}

	// Full-text search over message text.
	var fts []float64
	for i, w := range words {
		t0 := time.Now()
		if _, err := st.SearchMessages(ctx, w, 50); err != nil {
			return fmt.Errorf("search messages %q: %w", w, err)
		}
		if i >= warm {
			fts = append(fts, ms(time.Since(t0)))
		}
	}
	if err := out.Put(Metric{ID: "fts_messages", Unit: "ms", Samples: fts,
		Note: "store.SearchMessages (50 newest hits) for a word, two words or a 3-5 letter prefix taken from a random message"}); err != nil {
		return err
	}
	return benchReport(ctx, st, rng, n, warm, out)
}

// benchReport times the dialogues report screen: store.ReportGroups over a period of 1, 7 or 30
// days ending on a random day among the dataset's dialogues (anchored to the data, not the
// clock, so a cached dataset is measured over the same dialogues whenever the bench runs). The
// report is asked for far less often than a list page, so it gets a fifth of the inputs.
func benchReport(ctx context.Context, st *store.Store, rng *rand.Rand, n, warm int, out samples.Sink) error {
	first, last, err := st.ReportSpan(ctx)
	if err != nil {
		return err
	}
	if last.IsZero() {
		return errors.New("queries: the dataset holds no dialogues for the report")
	}
	inputs := max(n/5, 20)
	warm = min(warm, 10)
	spanDays := int(last.Sub(first)/(24*time.Hour)) + 1
	var report []float64
	for i := 0; i < warm+inputs; i++ {
		days := []int{1, 7, 30}[i%3]
		to := first.Truncate(24 * time.Hour).Add(time.Duration(1+rng.IntN(spanDays)) * 24 * time.Hour)
		t0 := time.Now()
		if _, err := st.ReportGroups(ctx, to.Add(-time.Duration(days)*24*time.Hour), to); err != nil {
			return fmt.Errorf("report of %d days to %s: %w", days, to, err)
		}
		if i >= warm {
			report = append(report, ms(time.Since(t0)))
		}
	}
	if err := out.Put(Metric{ID: "dialogue_report", Unit: "ms", Samples: report,
		Note: "store.ReportGroups (the dialogues report: cycles, first response, resolution, ratings per manager and type) over 1, 7 or 30 days among the dataset's dialogues"}); err != nil {
		return err
	}
	// The report's cost grows with the cycles in the period, not with the dataset: the cost of
	// one cycle, over all of them, is what projects a period's figure to a bigger workspace.
	var perCycle []float64
	for i := 0; i < 7; i++ {
		t0 := time.Now()
		groups, err := st.ReportGroups(ctx, first, last.Add(time.Millisecond))
		if err != nil {
			return fmt.Errorf("report of the whole dataset: %w", err)
		}
		took := time.Since(t0)
		cycles := 0
		for _, g := range groups {
			cycles += g.Cycles
		}
		if cycles > 0 {
			perCycle = append(perCycle, float64(took.Nanoseconds())/1000/float64(cycles))
		}
	}
	return out.Put(Metric{ID: "dialogue_report_cycle", Unit: "us", Samples: perCycle,
		Note: "store.ReportGroups over all of the dataset's dialogue cycles, divided by their number"})
}

// peopleSearches returns what managers type into quick search, taken from random people: a
// name's word or its first letters, a run of 4-7 phone digits (bare or as written), an email's
// local part or its prefix.
func peopleSearches(ctx context.Context, st *store.Store, rng *rand.Rand, people int64, n int) ([]string, error) {
	var out []string
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		p, err := st.Person(ctx, 1+rng.Int64N(people))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		switch len(out) % 3 {
		case 0:
			ws := strings.Fields(p.Name)
			if len(ws) == 0 {
				continue
			}
			w := []rune(ws[rng.IntN(len(ws))])
			if rng.IntN(2) == 0 && len(w) > 3 {
				w = w[:3+rng.IntN(len(w)-3)]
			}
			out = append(out, string(w))
		case 1:
			d := onlyDigits(p.Phone)
			if len(d) < 7 {
				continue
			}
			k := 4 + rng.IntN(4)
			at := rng.IntN(len(d) - k + 1)
			q := d[at : at+k]
			if rng.IntN(3) == 0 && len(d) >= 10 { // as written with a separator: "916 123"
				q = d[len(d)-10:len(d)-7] + " " + d[len(d)-7:len(d)-4]
			}
			out = append(out, q)
		case 2:
			local, _, ok := strings.Cut(p.Email, "@")
			if !ok || len(local) < 3 {
				continue
			}
			if rng.IntN(2) == 0 {
				local = local[:3+rng.IntN(len(local)-2)]
			}
			out = append(out, local)
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("queries: found only %d usable people for search inputs", len(out))
	}
	return out, nil
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// sampleChats picks random existing chats.
func sampleChats(ctx context.Context, st *store.Store, rng *rand.Rand, chats int64, n int) ([]int64, error) {
	var out []int64
	for tries := 0; len(out) < n && tries < n*20; tries++ {
		c, err := st.Chat(ctx, 1+rng.Int64N(chats))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c.ID)
	}
	if len(out) < n {
		return nil, fmt.Errorf("queries: found only %d chats", len(out))
	}
	return out, nil
}

// messageWords takes search input from random messages: one word, two words of the same
// message, or a word's first 3-5 letters (a search still being typed).
func messageWords(ctx context.Context, st *store.Store, rng *rand.Rand, messages int64, n int) ([]string, error) {
	var out []string
	for tries := 0; len(out) < n && tries < n*40; tries++ {
		m, err := st.Message(ctx, 1+rng.Int64N(messages))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var ws []string
		for _, w := range strings.FieldsFunc(m.Text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len([]rune(w)) >= 3 {
				ws = append(ws, w)
			}
		}
		if len(ws) == 0 {
			continue
		}
		w := ws[rng.IntN(len(ws))]
		switch len(out) % 3 {
		case 0:
			out = append(out, w)
		case 1:
			out = append(out, w+" "+ws[rng.IntN(len(ws))])
		case 2:
			r := []rune(w)
			out = append(out, string(r[:min(len(r), 3+rng.IntN(3))]))
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("queries: found only %d messages with words", len(out))
	}
	return out, nil
}

// listFilters makes n tab switches and filter changes: a random tab (the Unread tab sometimes
// oldest-first) with zero to two filters of the filter panel.
func listFilters(rng *rand.Rand, f store.Facets, n int) []core.ListQuery {
	pick := func(xs []string) []string {
		if len(xs) == 0 {
			return nil
		}
		return []string{xs[rng.IntN(len(xs))]}
	}
	yes, no := true, false
	apply := []func(*core.ListFilter){
		func(l *core.ListFilter) { l.Channels = []core.ChannelKind{core.Telegram} },
		func(l *core.ListFilter) { l.Channels = []core.ChannelKind{core.VK} },
		func(l *core.ListFilter) { l.HasPhone = &yes },
		func(l *core.ListFilter) { l.HasEmail = &no },
		func(l *core.ListFilter) { l.Tags = pick(f.Tags) },
		func(l *core.ListFilter) { l.Plans = pick(f.Plans) },
		func(l *core.ListFilter) { l.Tools = pick(f.Tools) },
		func(l *core.ListFilter) { l.Sources = pick(f.Sources) },
		func(l *core.ListFilter) { l.Statuses = []core.PersonStatus{core.Unsubscribed} },
		func(l *core.ListFilter) { l.ActiveDialogues = true },
		func(l *core.ListFilter) { l.Archived = true },
		func(l *core.ListFilter) { l.Blacklisted = true },
	}
	tabs := []core.Tab{core.TabAll, core.TabUnread, core.TabImportant}
	out := make([]core.ListQuery, 0, n)
	for len(out) < n {
		q := core.ListQuery{Tab: tabs[rng.IntN(len(tabs))], Limit: core.DefaultPageSize}
		if q.Tab == core.TabUnread {
			q.OldestFirst = rng.IntN(2) == 0
		}
		for k := rng.IntN(3); k > 0; k-- {
			apply[rng.IntN(len(apply))](&q.Filter)
		}
		out = append(out, q)
	}
	return out
}

// shape names a list query by its tab and which filters it sets, not their values.
func shape(q core.ListQuery) string {
	f := q.Filter
	parts := []string{string(q.Tab)}
	if q.OldestFirst {
		parts = append(parts, "oldest-first")
	}
	add := func(on bool, name string) {
		if on {
			parts = append(parts, name)
		}
	}
	add(len(f.Channels) > 0, "channels")
	add(f.HasPhone != nil, "has-phone")
	add(f.HasEmail != nil, "has-email")
	add(len(f.Tags) > 0, "tags")
	add(len(f.Plans) > 0, "plans")
	add(len(f.Tools) > 0, "tools")
	add(len(f.Sources) > 0, "sources")
	add(len(f.Statuses) > 0, "statuses")
	add(f.ActiveDialogues, "active-dialogues")
	add(f.Archived, "archived")
	add(f.Blacklisted, "blacklisted")
	return strings.Join(parts, "+")
}

// reportShapes logs the filter shapes with the slowest median (list page + counts of one
// change), so a missed budget points at the query to EXPLAIN rather than at one noisy sample.
func reportShapes(byShape map[string][]float64) {
	type shapeTime struct {
		shape       string
		median, max float64
		n           int
	}
	var ws []shapeTime
	for sh, xs := range byShape {
		// xs holds list, counts, list, counts…: sum each change's pair.
		var per []float64
		for i := 0; i+1 < len(xs); i += 2 {
			per = append(per, xs[i]+xs[i+1])
		}
		sort.Float64s(per)
		ws = append(ws, shapeTime{shape: sh, median: per[len(per)/2], max: per[len(per)-1], n: len(per)})
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].median > ws[j].median })
	for i, w := range ws {
		if i == 10 || w.median < 25 {
			break
		}
		slog.Info("slow filter shape", "shape", w.shape, "median_ms", w.median, "max_ms", w.max, "changes", w.n)
	}
}

// searchKinds names the quick-search inputs in the order peopleSearches makes them.
var searchKinds = []string{"name", "phone", "email"}

type timedInput struct {
	q            string
	list, counts float64
}

// reportSearches logs, per kind of quick-search input, the p95 of the list page and of the
// counts, and the five slowest inputs: when the search row misses, what to profile.
func reportSearches(byKind map[string][]float64, inputs []timedInput) {
	for _, k := range searchKinds {
		var l, c []float64
		for i, v := range byKind[k] {
			if i%2 == 0 {
				l = append(l, v)
			} else {
				c = append(c, v)
			}
		}
		if len(l) == 0 {
			continue
		}
		sort.Float64s(l)
		sort.Float64s(c)
		slog.Info("search kind", "kind", k, "n", len(l), "list_p95_ms", l[min(len(l)-1, len(l)*95/100)], "counts_p95_ms", c[min(len(c)-1, len(c)*95/100)])
	}
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].list+inputs[i].counts > inputs[j].list+inputs[j].counts })
	for _, in := range inputs[:min(5, len(inputs))] {
		slog.Info("slow search input", "q", in.q, "list_ms", in.list, "counts_ms", in.counts)
	}
}

// reportSlowLists logs the ten slowest list pages after a tab or filter change with their
// filter's values (a shape's median hides which plan or tag makes its p95).
func reportSlowLists(inputs []timedInput) {
	sort.Slice(inputs, func(i, j int) bool { return inputs[i].list > inputs[j].list })
	for _, in := range inputs[:min(10, len(inputs))] {
		slog.Info("slow filter list", "filter", in.q, "list_ms", in.list, "counts_ms", in.counts)
	}
}
