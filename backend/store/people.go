package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"switchboard/backend/core"
)

// ErrBadCursor is returned for a list cursor this store did not produce (or for another tab).
var ErrBadCursor = errors.New("store: bad list cursor")

// listWhere builds the WHERE terms shared by ListPeople and TabCounts: visibility (archive /
// blacklist), search and the filter panel. Tab terms are added by the callers.
//
// Every multi-valued filter is an IN subquery on an indexed junction table so SQLite can either
// drive the scan from it (rare tag) or test membership while walking the recency index (common tag).
//
// Beside them it builds the same filter over people_counts (migration 0014), whose columns carry
// the people table's names, when the filter can be answered there: no search, no active-dialogue
// filter, and at most one sales plan or one tag (a person is counted once per plan and per tag).
func listWhere(q core.ListQuery, me int64) (w where) {
	var terms []string
	var args []any
	defer func() { w.terms, w.args = terms, args }()
	// column adds a term on a column people and people_counts share.
	column := func(term string, a ...any) {
		terms = append(terms, term)
		args = append(args, a...)
		w.columns.terms = append(w.columns.terms, term)
		w.columns.args = append(w.columns.args, a...)
		w.counts.terms = append(w.counts.terms, term)
		w.counts.args = append(w.counts.args, a...)
	}
	w.counts.ok = true
	f := q.Filter
	switch {
	// The list index leads with (archived, blacklisted): each view names its index ranges so
	// the walk never covers the main list.
	case f.Archived && f.Blacklisted:
		column("((p.archived = 1 AND p.blacklisted IN (0, 1)) OR (p.archived = 0 AND p.blacklisted = 1))")
	case f.Archived:
		column("p.archived = 1")
		column("p.blacklisted = 0")
	case f.Blacklisted:
		column("p.archived IN (0, 1)")
		column("p.blacklisted = 1")
	default:
		// Written exactly as in the partial indexes' WHERE so the planner can use them.
		column("p.archived = 0")
		column("p.blacklisted = 0")
	}
	if match := ftsPeopleQuery(q.Search); match != "" {
		w.sets = append(w.sets, set{len(terms), `SELECT 1 FROM people_fts WHERE people_fts MATCH ?`, []any{match}})
		terms = append(terms, "p.id IN "+ftsSet)
		args = append(args, match)
		w.counts.ok = false
		w.countSets = append(w.countSets, countSet{ids: `SELECT rowid AS id FROM people_fts WHERE people_fts MATCH ?`,
			exists: `EXISTS (SELECT 1 FROM people_fts WHERE people_fts MATCH ? AND rowid = p.id)`, args: []any{match}, unique: true})
	}
	if len(f.Channels) > 0 {
		mask := 0
		for _, k := range f.Channels {
			mask |= kindBit(string(k))
		}
		// people.kinds is in the list indexes, so this costs nothing beyond the walk.
		column("(p.kinds & ?) <> 0", mask)
	}
	if f.HasPhone != nil {
		column("p.has_phone = ?", *f.HasPhone)
	}
	if f.HasEmail != nil {
		column("p.has_email = ?", *f.HasEmail)
	}
	switch facets := len(f.Tags) + len(f.Plans); {
	case facets == 0:
		w.counts.terms = append(w.counts.terms, "p.facet = 0", "p.facet_id = 0")
	case facets == 1 && len(f.Plans) == 1:
		w.counts.terms = append(w.counts.terms, "p.facet = 1", "p.facet_id IN (SELECT id FROM sales_plans WHERE name = ?)")
		w.counts.args = append(w.counts.args, f.Plans[0])
	case facets == 1:
		w.counts.terms = append(w.counts.terms, "p.facet = 2", "p.facet_id IN (SELECT id FROM tags WHERE name = ?)")
		w.counts.args = append(w.counts.args, f.Tags[0])
	default:
		w.counts.ok = false
	}
	if len(f.Tags) > 0 {
		sub := "SELECT pt.person_id FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name IN (" + marks(len(f.Tags)) + ")"
		w.sets = append(w.sets, set{len(terms), sub, appendStrings(nil, f.Tags)})
		terms = append(terms, "p.id IN ("+sub+")")
		args = appendStrings(args, f.Tags)
		w.countSets = append(w.countSets, countSet{ids: `SELECT pt.person_id AS id FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name IN (` + marks(len(f.Tags)) + `)`,
			exists: `EXISTS (SELECT 1 FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = p.id AND t.name IN (` + marks(len(f.Tags)) + `))`,
			args:   appendStrings(nil, f.Tags)})
	}
	if len(f.Plans) > 0 {
		sub := "SELECT pp.person_id FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE sp.name IN (" + marks(len(f.Plans)) + ")"
		w.sets = append(w.sets, set{len(terms), sub, appendStrings(nil, f.Plans)})
		terms = append(terms, "p.id IN ("+sub+")")
		args = appendStrings(args, f.Plans)
		w.countSets = append(w.countSets, countSet{ids: `SELECT pp.person_id AS id FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE sp.name IN (` + marks(len(f.Plans)) + `)`,
			exists: `EXISTS (SELECT 1 FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE pp.person_id = p.id AND sp.name IN (` + marks(len(f.Plans)) + `))`,
			args:   appendStrings(nil, f.Plans)})
	}
	if len(f.Tools) > 0 {
		column("p.tool IN ("+marks(len(f.Tools))+")", appendStrings(nil, f.Tools)...)
	}
	if len(f.Sources) > 0 {
		column("p.source IN ("+marks(len(f.Sources))+")", appendStrings(nil, f.Sources)...)
	}
	if len(f.Statuses) > 0 {
		var sts []any
		for _, st := range f.Statuses {
			sts = append(sts, string(st))
		}
		column("p.status IN ("+marks(len(f.Statuses))+")", sts...)
	}
	if f.ActiveDialogues {
		terms = append(terms, "p.id IN (SELECT c.person_id FROM dialogues d JOIN chats c ON c.id = d.chat_id WHERE d.status <> 'closed')")
		w.counts.ok = false
		w.countSets = append(w.countSets, countSet{ids: `SELECT c.person_id AS id FROM dialogues d JOIN chats c ON c.id = d.chat_id WHERE d.status <> 'closed'`,
			exists: `EXISTS (SELECT 1 FROM chats c JOIN dialogues d ON d.chat_id = c.id WHERE c.person_id = p.id AND d.status <> 'closed')`})
	}
	// Claims: both read only chats_owner, the partial index of claimed chats. "Mine" is a set
	// planSets measures like a tag's; "unassigned" is every person none of whose chats is
	// claimed, tested against that index's set while the list index is walked.
	// people_counts does not know owners, so a count under either walks (TabCounts): "mine" is
	// a set of its own; "unassigned" is a test per person, over a walk of everyone when no other
	// set drives it (a lower bound past countWork people, like a broad search).
	switch f.Owner {
	case core.OwnerMine:
		sub := "SELECT person_id FROM chats WHERE owner_id = ? AND owner_id <> 0" // the partial index's WHERE, so the planner may use it
		w.sets = append(w.sets, set{len(terms), sub, []any{me}})
		terms = append(terms, "p.id IN ("+sub+")")
		args = append(args, me)
		w.counts.ok = false
		w.countSets = append(w.countSets, countSet{ids: `SELECT person_id AS id FROM chats WHERE owner_id = ? AND owner_id <> 0`,
			exists: `EXISTS (SELECT 1 FROM chats c WHERE c.person_id = p.id AND c.owner_id = ? AND c.owner_id <> 0)`, args: []any{me}})
	case core.OwnerUnassigned:
		terms = append(terms, "p.id NOT IN (SELECT person_id FROM chats WHERE owner_id <> 0)")
		w.counts.ok = false
		w.columns.terms = append(w.columns.terms, "NOT EXISTS (SELECT 1 FROM chats c WHERE c.person_id = p.id AND c.owner_id <> 0)")
		if len(w.countSets) == 0 {
			w.countSets = append(w.countSets, countSet{ids: `SELECT id FROM people`, exists: `1 = 1`})
		}
	}
	return w
}

// observeQuery, when set (by tests only), sees each composed list/count/history query so its
// plan can be checked with EXPLAIN QUERY PLAN.
var observeQuery func(query string, args []any)

func observe(query string, args []any) {
	if observeQuery != nil {
		observeQuery(query, args)
	}
}

// ftsSet is the people search as a set of person ids.
const ftsSet = "(SELECT rowid FROM people_fts WHERE people_fts MATCH ?)"

// where is a list query's WHERE: its terms, their arguments in order, and which terms are
// "p.id IN (set)" whose best plan depends on the set's size.
type where struct {
	terms []string
	args  []any
	sets  []set
	// columns are the terms on people's own columns (visibility and the column filters).
	columns struct {
		terms []string
		args  []any
	}
	// countSets are the filter's sets of people (search, tags, plans, active dialogues) in the
	// forms a bounded count uses (TabCounts).
	countSets []countSet
	// counts is the same filter over people_counts, when ok.
	counts struct {
		terms []string
		args  []any
		ok    bool
	}
}

// set is one "p.id IN (...)" term and a query listing its members, to measure it.
type set struct {
	term  int
	probe string
	args  []any
}

// countSet is one set of people a count is restricted to: ids lists its members' ids (a person
// may repeat unless unique), exists tests one person p; both take args.
type countSet struct {
	ids, exists string
	args        []any
	unique      bool
	size        int // members, measured up to countWork+1
}

// planSets decides, per set, how SQLite should use it. SQLite's default is to fetch the set's
// people by id and sort them; for a set of thousands (a common tag, a two-letter search) that
// is thousands of random row reads per page. Such a set is instead marked with a unary + so the
// planner walks the list index (which carries every other filter column) and only tests
// membership: a page stops after ~50 hits. Each probe reads at most many rows of the set.
// (TabCounts does not walk the list index: see countSet.)
func (s *Store) planSets(ctx context.Context, w *where, many int) error {
	for _, st := range w.sets {
		var n int
		if err := s.list.GetContext(ctx, &n, `SELECT COUNT(*) FROM (`+st.probe+` LIMIT ?)`, append(st.args, many)...); err != nil {
			return fmt.Errorf("store: list people: measure filter: %w", err)
		}
		if n >= many {
			w.terms[st.term] = "+" + w.terms[st.term]
		}
	}
	return nil
}

// manyMatches is where a set stops being cheaper to fetch by id than to find by walking the list
// index: a page walk stops after one page of hits, so it wins early.
const manyMatches = 1500

// defaultView says whether the query shows the main list (not the archive or blacklist) with no
// search: then the unread partial indexes cover every row the unread tab can show, and are the
// cheapest way to it even with filters (at most the unread people are visited).
func defaultView(q core.ListQuery) bool {
	return !q.Filter.Archived && !q.Filter.Blacklisted && ftsPeopleQuery(q.Search) == ""
}

// hiddenFrom pins the archive and blacklist views to the list index. Those people are a few
// percent of all, but ANALYZE's averages over archived/blacklisted (two values each) make
// the planner expect half the table and choose a full scan.
func hiddenFrom(q core.ListQuery, def string) string {
	if q.Filter.Archived || q.Filter.Blacklisted {
		return "people p INDEXED BY people_recent"
	}
	return def
}

// importantTerm restricts to people with an open task of mine due before the end of today.
const importantProbe = `SELECT person_id FROM tasks WHERE assignee_id = ? AND done = 0 AND due_at < ?`

func importantTerm(me int64, now time.Time) (string, []any) {
	return "p.id IN (SELECT person_id FROM tasks WHERE assignee_id = ? AND done = 0 AND due_at < ?)",
		[]any{me, core.ImportantDueBefore(now)}
}

// ListPeople returns one page of the people list. Pages are keyset-paginated: the cursor holds
// the sort key and id of the last row, so a page costs the same wherever it is.
func (s *Store) ListPeople(ctx context.Context, q core.ListQuery, me int64, now time.Time) (core.ListPage, error) {
	limit := core.ClampLimit(q.Limit)
	w := listWhere(q, me)
	oldest := false
	if q.Tab == core.TabImportant {
		t, a := importantTerm(me, now)
		w.sets = append(w.sets, set{len(w.terms), importantProbe, a})
		w.terms = append(w.terms, t)
		w.args = append(w.args, a...)
	}
	if err := s.planSets(ctx, &w, manyMatches); err != nil {
		return core.ListPage{}, err
	}
	terms, args := w.terms, w.args
	switch q.Tab {
	case core.TabImportant:
	case core.TabUnread:
		terms = append(terms, "p.unread > 0")
		oldest = q.OldestFirst
		if oldest {
			// The same rows, as people_unread_oldest's WHERE says it, so the planner can use it.
			terms = append(terms, "p.first_unread_at > 0")
		}
	case core.TabAll, "":
	default:
		return core.ListPage{}, fmt.Errorf("store: unknown tab %q", q.Tab)
	}
	order := "p.last_message_at DESC, p.id DESC"
	if oldest {
		order = "p.first_unread_at ASC, p.id ASC"
	}
	if q.Cursor != "" {
		key, id, err := decodeCursor(q.Cursor, oldest)
		if err != nil {
			return core.ListPage{}, err
		}
		if oldest {
			terms = append(terms, "(p.first_unread_at > ? OR (p.first_unread_at = ? AND p.id > ?))")
		} else {
			terms = append(terms, "(p.last_message_at < ? OR (p.last_message_at = ? AND p.id < ?))")
		}
		args = append(args, key, key, id)
	}
	from := hiddenFrom(q, "people p")
	if q.Tab == core.TabUnread && defaultView(q) {
		// ANALYZE averages archived/blacklisted over both values, so the planner believes the
		// recency index narrows as well as the unread partial index; it does not (most people
		// are neither archived nor blacklisted) and would visit every person.
		from = "people p INDEXED BY people_unread_newest"
		if oldest {
			from = "people p INDEXED BY people_unread_oldest"
		}
	}
	query := `SELECT p.id AS person_id, p.last_chat_id AS chat_id, p.name, p.avatar_url, p.status,
  COALESCE((SELECT ch.kind FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE c.id = p.last_chat_id), '') AS channel_kind,
  ` + previewOf("p.last_chat_id") + ` AS preview, p.last_message_at, p.unread, p.has_draft, p.first_unread_at
FROM ` + from + ` WHERE ` + strings.Join(terms, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
	args = append(args, limit+1)
	var rows []struct {
		core.ListRow
		FirstUnreadAt int64 `db:"first_unread_at"`
	}
	observe(query, args)
	if err := s.list.SelectContext(ctx, &rows, query, args...); err != nil {
		return core.ListPage{}, fmt.Errorf("store: list people: %w", err)
	}
	page := core.ListPage{Rows: make([]core.ListRow, 0, len(rows))}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[len(rows)-1]
		if oldest {
			page.NextCursor = encodeCursor(last.FirstUnreadAt, last.PersonID, true)
		} else {
			page.NextCursor = encodeCursor(last.LastMessageAt, last.PersonID, false)
		}
	}
	for _, r := range rows {
		page.Rows = append(page.Rows, r.ListRow)
	}
	if err := s.fillChannels(ctx, page.Rows); err != nil {
		return core.ListPage{}, err
	}
	return page, nil
}

// fillChannels sets every row's messengers with one query for the page.
func (s *Store) fillChannels(ctx context.Context, rows []core.ListRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]any, len(rows))
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		ids[i] = r.PersonID
		at[r.PersonID] = i
		rows[i].Channels = []core.ChannelKind{}
	}
	var kinds []struct {
		PersonID int64  `db:"person_id"`
		Kind     string `db:"kind"`
	}
	err := s.list.SelectContext(ctx, &kinds, `SELECT DISTINCT c.person_id, ch.kind FROM chats c
JOIN channels ch ON ch.id = c.channel_id WHERE c.person_id IN (`+marks(len(ids))+`) ORDER BY c.person_id, ch.kind`, ids...)
	if err != nil {
		return fmt.Errorf("store: list people channels: %w", err)
	}
	for _, k := range kinds {
		i := at[k.PersonID]
		rows[i].Channels = append(rows[i].Channels, core.ChannelKind(k.Kind))
	}
	return nil
}

// countWork bounds the people a count that walks a set examines. Past it, or past
// core.CountCap matches, the count is a lower bound and says so.
const countWork = 2000

// TabCounts counts each tab's rows under the same search and filter as the list.
//
// All and Unread are a sum over people_counts (migration 0014) when the filter can be answered
// there: exact, and a few thousand rows at any number of people. Otherwise (a search, the
// active-dialogue filter, several plans or tags), and for Important (my open tasks due today),
// a count walks one set of people — the search's matches, else the smallest set — looks each
// person up and tests the rest of the filter on them, and stops past core.CountCap matches or
// countWork people examined; then the count is a lower bound (TabCounts.*Capped, "1,000+").
// A count over all people (COUNT(*) on a list index) grew linearly: 0.15-0.4 s at 1M people.
// The counts are independent reads, so they run at once on the scan connections (see Open).
// The goroutines end before TabCounts returns.
func (s *Store) TabCounts(ctx context.Context, q core.ListQuery, me int64, now time.Time) (core.TabCounts, error) {
	w := listWhere(q, me)
	important := countSet{ids: `SELECT person_id AS id FROM tasks WHERE assignee_id = ? AND done = 0 AND due_at < ?`,
		exists: `EXISTS (SELECT 1 FROM tasks WHERE person_id = p.id AND assignee_id = ? AND done = 0 AND due_at < ?)`,
		args:   []any{me, core.ImportantDueBefore(now)}}
	sets := append(append([]countSet{}, w.countSets...), important)
	for i := range sets {
		if err := s.list.GetContext(ctx, &sets[i].size, `SELECT COUNT(*) FROM (`+sets[i].ids+` LIMIT ?)`, append(sets[i].args, countWork+1)...); err != nil {
			return core.TabCounts{}, fmt.Errorf("store: tab counts: measure filter: %w", err)
		}
	}
	type count struct {
		query  string
		args   []any
		n      int
		walked bool // a walk, which stops past core.CountCap
		capped bool // the walk stopped at countWork: n is a lower bound
		err    error
	}
	walk := func(sets []countSet, extra string) *count {
		// The search drives when there is one (testing FTS membership per person is the
		// dearest test); otherwise the smallest set.
		d := 0
		for i := range sets {
			if sets[i].size < sets[d].size && !sets[d].unique {
				d = i
			}
		}
		distinct := "DISTINCT "
		if sets[d].unique {
			distinct = ""
		}
		terms := append([]string{"1 = 1"}, w.columns.terms...)
		args := append(append(append([]any{}, sets[d].args...), countWork), w.columns.args...)
		for i, st := range sets {
			if i != d {
				terms = append(terms, st.exists)
				args = append(args, st.args...)
			}
		}
		if extra != "" {
			terms = append(terms, extra)
		}
		return &count{
			query: `SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT ` + distinct + `id FROM (` + sets[d].ids + `) LIMIT ?) AS d
CROSS JOIN people p ON p.id = d.id WHERE ` + strings.Join(terms, " AND ") + ` LIMIT ?)`,
			args:   append(args, core.CountCap+1),
			walked: true,
			capped: sets[d].size > countWork,
		}
	}
	var all, unread *count
	imp := walk(sets, "")
	if w.counts.ok {
		sum := `SELECT COALESCE(SUM(p.n), 0) FROM people_counts p WHERE ` + strings.Join(w.counts.terms, " AND ")
		all = &count{query: sum, args: w.counts.args}
		unread = &count{query: sum + ` AND p.unread = 1`, args: w.counts.args}
	} else {
		filterSets := sets[:len(sets)-1] // the measured copies of w.countSets
		all = walk(filterSets, "")
		unread = walk(filterSets, "p.unread > 0")
	}
	counts := []*count{imp, all, unread}
	var wg sync.WaitGroup
	for _, c := range counts {
		observe(c.query, c.args)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.err = s.scan.GetContext(ctx, &c.n, c.query, c.args...)
		}()
	}
	wg.Wait()
	for _, c := range counts {
		if c.err != nil {
			return core.TabCounts{}, fmt.Errorf("store: tab counts: %w", c.err)
		}
		if c.walked && c.n > core.CountCap {
			c.n, c.capped = core.CountCap, true
		}
	}
	return core.TabCounts{Important: imp.n, All: all.n, Unread: unread.n,
		ImportantCapped: imp.capped, AllCapped: all.capped, UnreadCapped: unread.capped}, nil
}

// ftsPeopleQuery turns what a manager typed into a safe FTS5 query: the input is split into
// words of letters and digits (so quotes, '*', 'OR', '(' and column filters cannot reach the
// FTS parser as syntax), each word becomes a quoted prefix term, and all must match. Digits typed
// with separators ("916 123-45") are also joined and matched against phone_digits, whose index
// holds every suffix of the bare number, so any run of consecutive digits finds the phone.
func ftsPeopleQuery(input string) string {
	words := strings.FieldsFunc(input, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return ""
	}
	if len(words) > 8 {
		words = words[:8]
	}
	if d := core.PhoneDigits(input); len(d) >= 3 && len(words) > 1 && onlyPhoneChars(input) {
		// A phone typed in groups ("916 123-45") is one run of digits: matching each group as a
		// prefix of any word as well would expand a short group ("555"*) to every phone token
		// that starts with it, thousands of terms at a million people, for no better answer.
		return `phone_digits : "` + d + `"*`
	}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + strings.ToLower(w) + `"*`
	}
	return "(" + strings.Join(terms, " AND ") + ")"
}

// onlyPhoneChars says whether s looks like a phone number as typed: digits and separators.
func onlyPhoneChars(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && !strings.ContainsRune(" +-()./", r) {
			return false
		}
	}
	return true
}

func encodeCursor(key, id int64, oldest bool) string {
	prefix := "n"
	if oldest {
		prefix = "o"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + strconv.FormatInt(key, 10) + ":" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string, oldest bool) (key, id int64, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(raw) < 3 {
		return 0, 0, ErrBadCursor
	}
	want := byte('n')
	if oldest {
		want = 'o'
	}
	if raw[0] != want {
		return 0, 0, ErrBadCursor
	}
	a, b, ok := strings.Cut(string(raw[1:]), ":")
	if !ok {
		return 0, 0, ErrBadCursor
	}
	if key, err = strconv.ParseInt(a, 10, 64); err != nil {
		return 0, 0, ErrBadCursor
	}
	if id, err = strconv.ParseInt(b, 10, 64); err != nil {
		return 0, 0, ErrBadCursor
	}
	return key, id, nil
}

// marks returns n comma-separated placeholders.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func appendStrings(args []any, ss []string) []any {
	for _, s := range ss {
		args = append(args, s)
	}
	return args
}
