package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"switchboard/backend/core"
)

// ErrBadCursor is returned for a list cursor this store did not produce, or produced for another
// query (another tab, order, filter or search): a list never runs on a cursor it cannot vouch for.
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
		w.shared.terms = append(w.shared.terms, term)
		w.shared.args = append(w.shared.args, a...)
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
	w.shared.visibility = len(w.shared.terms)
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
			exists:    `EXISTS (SELECT 1 FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = p.id AND t.name IN (` + marks(len(f.Tags)) + `))`,
			args:      appendStrings(nil, f.Tags),
			joinProbe: true})
	}
	if len(f.Plans) > 0 {
		sub := "SELECT pp.person_id FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE sp.name IN (" + marks(len(f.Plans)) + ")"
		w.sets = append(w.sets, set{len(terms), sub, appendStrings(nil, f.Plans)})
		terms = append(terms, "p.id IN ("+sub+")")
		args = appendStrings(args, f.Plans)
		w.countSets = append(w.countSets, countSet{ids: `SELECT pp.person_id AS id FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE sp.name IN (` + marks(len(f.Plans)) + `)`,
			exists:    `EXISTS (SELECT 1 FROM person_plans pp JOIN sales_plans sp ON sp.id = pp.plan_id WHERE pp.person_id = p.id AND sp.name IN (` + marks(len(f.Plans)) + `))`,
			args:      appendStrings(nil, f.Plans),
			joinProbe: true})
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
			exists: `EXISTS (SELECT 1 FROM chats c JOIN dialogues d ON d.chat_id = c.id WHERE c.person_id = p.id AND d.status <> 'closed')`,
			// Sized by its partial index alone (a chat each: a little over its people); its ids
			// read every chat's row, ~12 ms at 1M people.
			sized: `SELECT 1 FROM dialogues WHERE status <> 'closed'`, dearProbe: true, joinProbe: true})
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
			w.countSets = append(w.countSets, countSet{ids: `SELECT id FROM people`, exists: `1 = 1`, everyone: true})
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
	// shared are the terms on the columns people and people_counts share (visibility and the
	// column filters), to count from people_counts how many people pass them.
	shared struct {
		terms      []string
		args       []any
		visibility int // the first terms choose the view (archive, blacklist or the main list)
	}
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
	// sized, when set, lists as many rows as ids (or a few more) more cheaply, to measure the
	// set; dearProbe says exists costs more than reading the set once (ListPeople drives).
	sized     string
	dearProbe bool
	// joinProbe says exists joins two tables: SQLite runs it for every person a walk passes
	// (a single-table exists becomes a semi-join behind a bloom filter, nearly free per person).
	joinProbe bool
	everyone  bool // every person: a count's walk when nothing narrows it, no set for a list
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

// importantProbe lists the people with an open task of mine due before the end of today.
const importantProbe = `SELECT person_id FROM tasks WHERE assignee_id = ? AND done = 0 AND due_at < ?`

func importantTerm(me int64, now time.Time) (string, []any) {
	return "p.id IN (" + importantProbe + ")", []any{me, core.ImportantDueBefore(now)}
}

// importantSet is the Important tab's restriction as a set of people.
func importantSet(me int64, now time.Time) countSet {
	return countSet{ids: `SELECT person_id AS id FROM tasks WHERE assignee_id = ? AND done = 0 AND due_at < ?`,
		exists: `EXISTS (SELECT 1 FROM tasks WHERE person_id = p.id AND assignee_id = ? AND done = 0 AND due_at < ?)`,
		args:   []any{me, core.ImportantDueBefore(now)}}
}

// listColumns are the list row's columns, read for p (a page's people only).
var listColumns = `p.id AS person_id, p.last_chat_id AS chat_id, p.name, p.avatar_url, p.status,
  COALESCE((SELECT ch.kind FROM chats c JOIN channels ch ON ch.id = c.channel_id WHERE c.id = p.last_chat_id), '') AS channel_kind,
  ` + previewOf("p.last_chat_id") + ` AS preview, p.last_message_at, p.unread, p.has_draft, p.first_unread_at`

// ListPeople returns one page of the people list. Pages are keyset-paginated: the cursor holds
// the sort key and id of the last row, so a page costs the same wherever it is, and the plan
// the first page chose (listPlan), so later pages do not measure the sets again.
//
// Without a search a page is found one of two ways (setPlan chooses). Either it walks the tab's
// list index in order and tests each person against the filter's sets (plans, tags, active
// dialogues, claims, my tasks) by index lookups, stopping after a page of hits; or, when one
// set is small against how far that walk would go, it reads that set ("drives"), tests the rest
// per member, and sorts what passes. Neither reads a whole large set: at 1M people a plan holds
// ~200k people and my tasks due today ~18k, and reading two such sets to find the few they
// share cost 30-90 ms a page. A search keeps the plan of planSets (FTS5 matches are read once).
func (s *Store) ListPeople(ctx context.Context, q core.ListQuery, me int64, now time.Time) (core.ListPage, error) {
	limit := core.ClampLimit(q.Limit)
	w := listWhere(q, me)
	oldest := q.Tab == core.TabUnread && q.OldestFirst
	after := listCursor{plan: listPlan{way: noPlan}} // a first page
	if q.Cursor != "" {
		var err error
		if after, err = decodeCursor(q.Cursor, oldest); err != nil {
			return core.ListPage{}, err
		}
	}
	plan := listPlan{way: noPlan}
	var terms []string
	var args []any
	var driver *countSet
	var probes []string // drive: the tests on each member of the driving set (drv.id)
	var probeArgs []any
	if ftsPeopleQuery(q.Search) == "" {
		var sets []countSet
		for _, st := range w.countSets {
			if !st.everyone {
				sets = append(sets, st)
			}
		}
		if q.Tab == core.TabImportant {
			sets = append(sets, importantSet(me, now))
		}
		// A later page takes the plan its first page chose (carried in the cursor): measuring
		// the sets again cost every page ~1 ms at 100k people. The cursor names the sets it was
		// chosen for; a plan for other sets is refused, never applied.
		plan.sets = setsSignature(q.Tab, sets)
		d := after.plan.way
		switch {
		case after.plan.way == noPlan: // a first page (or a cursor from before plans were carried)
			var err error
			if d, err = s.setPlan(ctx, q, w, sets, limit); err != nil {
				return core.ListPage{}, err
			}
		case after.plan.sets != plan.sets || d >= len(sets): // decodeCursor refused a way below walkPlan
			return core.ListPage{}, ErrBadCursor
		}
		plan.way = d
		terms = append([]string{}, w.columns.terms...)
		args = append([]any{}, w.columns.args...)
		for i, st := range sets {
			switch {
			case i == d:
				driver = &sets[i]
			case d >= 0 && st.dearProbe:
				// Read once (a bloom filter and a lookup per member) rather than two lookups per member.
				probes = append(probes, "drv.id IN (SELECT id FROM ("+st.ids+") AS ds)")
				probeArgs = append(probeArgs, st.args...)
			case d >= 0:
				// On the driving set's id, so it is tested before the person's row is read.
				probes = append(probes, strings.Replace(st.exists, "= p.id", "= drv.id", 1))
				probeArgs = append(probeArgs, st.args...)
			default:
				terms = append(terms, st.exists)
				args = append(args, st.args...)
			}
		}
	} else {
		if after.plan.way != noPlan {
			return core.ListPage{}, ErrBadCursor // a plan for a list without a search
		}
		if q.Tab == core.TabImportant {
			t, a := importantTerm(me, now)
			w.sets = append(w.sets, set{len(w.terms), importantProbe, a})
			w.terms = append(w.terms, t)
			w.args = append(w.args, a...)
		}
		if err := s.planSets(ctx, &w, manyMatches); err != nil {
			return core.ListPage{}, err
		}
		terms, args = w.terms, w.args
	}
	switch q.Tab {
	case core.TabImportant:
	case core.TabUnread:
		terms = append(terms, "p.unread > 0")
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
		if oldest {
			terms = append(terms, "(p.first_unread_at > ? OR (p.first_unread_at = ? AND p.id > ?))")
		} else {
			terms = append(terms, "(p.last_message_at < ? OR (p.last_message_at = ? AND p.id < ?))")
		}
		args = append(args, after.key, after.key, after.id)
	}
	var query string
	// A page that is sorted rather than walked in order (driven from a set, or the views with
	// the blacklist, which merge ranges of the list index) selects its ids first and then its
	// rows' columns: the preview and messenger are read for the page only, not for every person
	// that reached the sort (81 ms for Important in archive + blacklist at 1M, 13 ms by ids).
	if driver != nil {
		distinct := "DISTINCT "
		if driver.unique {
			distinct = ""
		}
		inner := `SELECT p.id FROM (SELECT ` + distinct + `id FROM (` + driver.ids + `) AS ds) AS drv CROSS JOIN people p ON p.id = drv.id WHERE ` +
			strings.Join(append(probes, terms...), " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
		args = append(append(append(append([]any{}, driver.args...), probeArgs...), args...), limit+1)
		query = `SELECT ` + listColumns + ` FROM (` + inner + `) AS pg CROSS JOIN people p ON p.id = pg.id ORDER BY ` + order
	} else if q.Filter.Blacklisted && ftsPeopleQuery(q.Search) == "" {
		inner := `SELECT p.id FROM ` + hiddenFrom(q, "people p") + ` WHERE ` + strings.Join(terms, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
		args = append(args, limit+1)
		query = `SELECT ` + listColumns + ` FROM (` + inner + `) AS pg CROSS JOIN people p ON p.id = pg.id ORDER BY ` + order
	} else {
		from := hiddenFrom(q, "people p")
		if q.Tab == core.TabUnread && defaultView(q) {
			// ANALYZE averages archived/blacklisted over both values, so the planner believes the
			// recency index narrows as well as the unread partial index; it does not (most people
			// are neither archived nor blacklisted) and would visit every person.
			from = "people p INDEXED BY people_unread_newest"
			if oldest {
				from = "people p INDEXED BY people_unread_oldest"
			}
		} else if ftsPeopleQuery(q.Search) == "" && !q.Filter.Archived && !q.Filter.Blacklisted {
			// A walk: the sets are tests, the order is the index's.
			from = "people p INDEXED BY people_recent"
		}
		query = `SELECT ` + listColumns + `
FROM ` + from + ` WHERE ` + strings.Join(terms, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
		args = append(args, limit+1)
	}
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
		next := listCursor{key: last.LastMessageAt, id: last.PersonID, plan: plan}
		if oldest {
			next.key = last.FirstUnreadAt
		}
		page.NextCursor = encodeCursor(next, oldest)
	}
	for _, r := range rows {
		page.Rows = append(page.Rows, r.ListRow)
	}
	if err := s.fillChannels(ctx, page.Rows); err != nil {
		return core.ListPage{}, err
	}
	return page, nil
}

// forceSetPlan, when set (by tests only), replaces setPlan's choice: -1 walks, i drives from
// set i (the last set if there are fewer), so both ways can be checked against each other.
var forceSetPlan *int

// observeSetPlan, when set (by tests only), is called each time setPlan measures the sets.
var observeSetPlan func()

// Costs of the two ways to a page, per person, measured at 1M people (storebench, EXPLAIN'd
// variants): a walk step (an index entry, its column tests and the semi-joins' bloom filters),
// each two-table test a walk runs on it, and a driving member (the set's row, the tests, the
// person's row and the sort).
const (
	walkStepNs   = 150
	joinProbeNs  = 400
	driveStepNs  = 1500
	setSizeLimit = 50_000  // sets are measured up to this many members
	bigSetLimit  = 400_000 // and further when a drive is possible (~4 ms for 200k)
)

// measureSet sets st.size to its members, counted up to limit.
func (s *Store) measureSet(ctx context.Context, st *countSet, limit int) error {
	probe := st.ids
	if st.sized != "" {
		probe = st.sized
	}
	if err := s.list.GetContext(ctx, &st.size, `SELECT COUNT(*) FROM (`+probe+` LIMIT ?)`, append(append([]any{}, st.args...), limit)...); err != nil {
		return fmt.Errorf("store: list people: measure filter: %w", err)
	}
	return nil
}

// setPlan chooses how ListPeople finds a page without a search: it returns the index in sets
// of the set to drive from, or -1 to walk the list index. A set under manyMatches drives
// (fetching a few hundred people by id beats any walk that would have to find them all). Past
// that it compares the walk's expected length — a page of hits at the density the sets and the
// column filters leave, where people_counts (migration 0014) says how many pass the columns —
// with the smallest set's size. Sets read through a dear join (active dialogues) never drive
// once they are large.
func (s *Store) setPlan(ctx context.Context, q core.ListQuery, w where, sets []countSet, limit int) (int, error) {
	if len(sets) == 0 {
		return -1, nil
	}
	if forceSetPlan != nil {
		return min(*forceSetPlan, len(sets)-1), nil
	}
	if observeSetPlan != nil {
		observeSetPlan()
	}
	small := -1
	for i := range sets {
		if err := s.measureSet(ctx, &sets[i], setSizeLimit); err != nil {
			return 0, err
		}
		if sets[i].size < manyMatches && (small < 0 || sets[i].size < sets[small].size) {
			small = i
		}
	}
	if small >= 0 {
		return small, nil
	}
	d := -1
	for i := range sets {
		if !sets[i].dearProbe && sets[i].size < setSizeLimit && (d < 0 || sets[i].size < sets[d].size) {
			d = i
		}
	}
	if d < 0 {
		return -1, nil // every set is large: a page of hits is near
	}
	// A set past the first limit is measured further now that a drive is possible: taking a
	// plan of 200k people for 50k made a short walk (Important and a plan, ~12 ms at 1M) look
	// long, and the drive it chose took 30-45 ms.
	for i := range sets {
		if sets[i].size >= setSizeLimit {
			if err := s.measureSet(ctx, &sets[i], bigSetLimit); err != nil {
				return 0, err
			}
		}
	}
	// How many people the walked index holds (the view, and the unread ones on that tab), and
	// how many of them pass the column filters.
	vis := append([]string{"1 = 1"}, w.shared.terms[:w.shared.visibility]...)
	if q.Tab == core.TabUnread {
		vis = append(vis, "p.unread = 1")
	}
	cols := append([]string{"1 = 1"}, w.shared.terms[w.shared.visibility:]...)
	var n struct {
		All  float64 `db:"all_people"`
		View float64 `db:"view"`
		Pass float64 `db:"pass"`
	}
	if err := s.list.GetContext(ctx, &n, `SELECT COALESCE(SUM(p.n), 0) AS all_people,
  COALESCE(SUM(CASE WHEN `+strings.Join(vis, " AND ")+` THEN p.n ELSE 0 END), 0) AS view,
  COALESCE(SUM(CASE WHEN `+strings.Join(vis, " AND ")+` AND `+strings.Join(cols, " AND ")+` THEN p.n ELSE 0 END), 0) AS pass
FROM people_counts p WHERE p.facet = 0 AND p.facet_id = 0`, w.shared.args...); err != nil {
		return 0, fmt.Errorf("store: list people: count columns: %w", err)
	}
	if n.Pass == 0 {
		return d, nil // nobody passes the columns: a walk would read the whole view for nothing
	}
	density := n.Pass / n.View
	step := float64(walkStepNs)
	for _, st := range sets {
		density *= min(1, float64(st.size)/n.All)
		if st.joinProbe {
			step += joinProbeNs
		}
	}
	walk := min(n.View, float64(limit+1)/density)
	if walk*step > float64(sets[d].size)*driveStepNs {
		return d, nil
	}
	return -1, nil
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
	sets := append(append([]countSet{}, w.countSets...), importantSet(me, now))
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

// listCursor is where the next page starts (the sort key and id of the last row shown) and how
// the pages before it were found.
type listCursor struct {
	key, id int64
	plan    listPlan
}

// listPlan is setPlan's choice for a list without a search: the set it drives from, or
// walkPlan; sets is the setsSignature of the sets it chose among. Any plan within them gives
// the same rows (only the time differs), so the signature is a check, not a secret: it turns a
// cursor carried to another query, or edited, into ErrBadCursor instead of a plan for sets it
// was not chosen for.
type listPlan struct {
	way  int
	sets uint64
}

const (
	walkPlan = -1 // walk the list index (setPlan's -1)
	noPlan   = -2 // none carried: a search, or a cursor written before plans were
)

// setsSignature names a list's sets (their SQL and arguments) and its tab. The Important set's
// arguments are left out: its due-before moves at midnight, and a page kept on screen since
// yesterday must still refresh from its cursor (the plan still lists the right rows).
func setsSignature(tab core.Tab, sets []countSet) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00", tab)
	for i, st := range sets {
		fmt.Fprintf(h, "%s\x00", st.ids)
		if tab == core.TabImportant && i == len(sets)-1 {
			continue // importantSet, appended last
		}
		for _, a := range st.args {
			fmt.Fprintf(h, "%T:%v\x00", a, a)
		}
	}
	return h.Sum64()
}

// encodeCursor writes "n" (newest first) or "o" (oldest unread first), the key and the id,
// and the plan when there is one: "n<key>:<id>[:<way>:<signature in hex>]", in base64.
func encodeCursor(c listCursor, oldest bool) string {
	prefix := "n"
	if oldest {
		prefix = "o"
	}
	text := prefix + strconv.FormatInt(c.key, 10) + ":" + strconv.FormatInt(c.id, 10)
	if c.plan.way != noPlan {
		text += ":" + strconv.Itoa(c.plan.way) + ":" + strconv.FormatUint(c.plan.sets, 16)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(text))
}

// decodeCursor reads what encodeCursor wrote, for the same order; anything else is ErrBadCursor.
func decodeCursor(c string, oldest bool) (listCursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(raw) < 3 {
		return listCursor{}, ErrBadCursor
	}
	want := byte('n')
	if oldest {
		want = 'o'
	}
	if raw[0] != want {
		return listCursor{}, ErrBadCursor
	}
	fields := strings.Split(string(raw[1:]), ":")
	if len(fields) != 2 && len(fields) != 4 {
		return listCursor{}, ErrBadCursor
	}
	out := listCursor{plan: listPlan{way: noPlan}}
	if out.key, err = strconv.ParseInt(fields[0], 10, 64); err != nil {
		return listCursor{}, ErrBadCursor
	}
	if out.id, err = strconv.ParseInt(fields[1], 10, 64); err != nil {
		return listCursor{}, ErrBadCursor
	}
	if len(fields) == 4 {
		if out.plan.way, err = strconv.Atoi(fields[2]); err != nil || out.plan.way < walkPlan {
			return listCursor{}, ErrBadCursor
		}
		if out.plan.sets, err = strconv.ParseUint(fields[3], 16, 64); err != nil {
			return listCursor{}, ErrBadCursor
		}
	}
	return out, nil
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
