package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The store's SQL is written once, in SQLite's dialect, and runs on PostgreSQL through a
// database/sql driver that wraps pgx and translates each statement text once (cached by text).
// Everything that differs between the two is in this file:
//
//   - placeholders: ? and ?N become $n;
//   - INSERT OR IGNORE becomes INSERT … ON CONFLICT DO NOTHING;
//   - the scalar MAX(a, b) / MIN(a, b) become GREATEST / LEAST, iif(c, a, b) a CASE;
//   - json_each(?) becomes json_array_elements_text, json_extract(col, '$.key') col::json ->> 'key',
//     json_array json_build_array;
//   - INDEXED BY hints are dropped, and CROSS JOIN … ON (SQLite's join-order hint) is a JOIN;
//   - a subquery or VALUES list in FROM gets the name PostgreSQL requires;
//   - people_fts / messages_fts MATCH ? becomes a call of sb_fts_match (migrations_pg/0014);
//   - a flag column as a CASE condition (WHEN m.deleted THEN) is compared with 0;
//   - per call (bindArgs, CheckNamedValue): a Go bool is bound as 0/1, a parameter bound to an
//     integer is typed bigint, arguments no placeholder names are dropped; an INSERT into a
//     table with an id identity returns its id, so Result.LastInsertId works.
//
// Four store statements were made portable instead (CASE WHEN … THEN 1 ELSE 0 END for a
// boolean stored in an integer column, 1 = 1 for SQLite's bare 1 as a condition).
//
// SQL that works in both as written (ON CONFLICT … DO UPDATE, RETURNING, row values, CASE) is
// left alone, so most statements pass through with only their placeholders changed. Statements
// about SQLite itself (PRAGMA, sqlite_master, FTS5 maintenance) belong to paths that do not run
// on PostgreSQL (the bulk loader's dropping and rebuilding of indexes, the WAL checkpointer).
//
// The pgx driver is registered as "pgx" by the programs that serve PostgreSQL (switchboard-hub
// and the tests), so the desktop app links neither pgx nor this driver's use of it.

// pgDriverName is the wrapping driver. sqlx does not know the name, so it keeps ? in what it
// builds itself (sqlx.In, named queries), which the driver then translates like the rest.
const pgDriverName = "switchboard_pgx"

var registerPG = sync.OnceValue(func() error {
	probe, err := sql.Open("pgx", "")
	if err != nil {
		return fmt.Errorf("store: the PostgreSQL driver (pgx) is not linked into this program: %w", err)
	}
	base := probe.Driver()
	probe.Close()
	sql.Register(pgDriverName, translatingDriver{base: base})
	return nil
})

type translatingDriver struct{ base driver.Driver }

func (d translatingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	return &translatingConn{Conn: c}, nil
}

// translatingConn hands every statement to the pgx connection after toPostgres. It passes on
// the optional interfaces pgx implements (a context-aware Exec/Query, BeginTx, argument
// checks, session reset), so database/sql uses pgx exactly as without the wrapper.
type translatingConn struct{ driver.Conn }

func (c *translatingConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(toPostgres(query))
}

func (c *translatingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, toPostgres(query))
	}
	return c.Conn.Prepare(toPostgres(query))
}

// ExecContext runs an INSERT into a table with an id identity as INSERT … RETURNING id, so
// that Result.LastInsertId works as on SQLite (pgx has none): the store reads the new row's id
// that way where RETURNING through database/sql's rows costs more on SQLite.
func (c *translatingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	q, args := bindArgs(toPostgres(query), args)
	if m := insertInto.FindStringSubmatch(q); m != nil && idTables[strings.ToLower(m[1])] && !hasReturning.MatchString(q) {
		if qc, ok := c.Conn.(driver.QueryerContext); ok {
			return execReturningID(ctx, qc, strings.TrimRight(q, " \n\t;")+" RETURNING id", args)
		}
	}
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

// idTables are the tables whose key is an id identity (migrations_pg).
var idTables = map[string]bool{
	"channels": true, "people": true, "chats": true, "messages": true, "sales_plans": true, "tags": true,
	"tasks": true, "dialogues": true, "dialogue_cycles": true, "dialogue_options": true, "outbox": true,
	"templates": true, "saved_filters": true, "lead_links": true, "person_logs": true,
	"pending_mutations": true, "managers": true, "sessions": true,
}

var (
	insertInto   = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\s+(\w+)`)
	hasReturning = regexp.MustCompile(`(?i)\bRETURNING\b`)
)

func execReturningID(ctx context.Context, qc driver.QueryerContext, q string, args []driver.NamedValue) (driver.Result, error) {
	rows, err := qc.QueryContext(ctx, q, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var res insertResult
	dest := make([]driver.Value, len(rows.Columns()))
	for {
		err := rows.Next(dest)
		if err == io.EOF {
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		res.rows++
		if id, ok := dest[0].(int64); ok {
			res.lastID = id
		}
	}
}

type insertResult struct{ lastID, rows int64 }

func (r insertResult) LastInsertId() (int64, error) { return r.lastID, nil }
func (r insertResult) RowsAffected() (int64, error) { return r.rows, nil }

func (c *translatingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if qc, ok := c.Conn.(driver.QueryerContext); ok {
		q, args := bindArgs(toPostgres(query), args)
		return qc.QueryContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *translatingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the fallback database/sql itself uses
}

func (c *translatingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *translatingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *translatingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue passes integers of any Go type (an int, a named id type) as int64, a bool
// as 0 or 1 and floats as float64, the way database/sql's default conversion and go-sqlite3
// store them: flags are integers in both dialects, and bindArgs types a parameter by its value.
func (c *translatingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if _, ok := nv.Value.(driver.Valuer); !ok && nv.Value != nil {
		v := reflect.ValueOf(nv.Value)
		switch v.Kind() {
		case reflect.Bool:
			nv.Value = int64(0)
			if v.Bool() {
				nv.Value = int64(1)
			}
			return nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			nv.Value = v.Int()
			return nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			nv.Value = int64(v.Uint())
			return nil
		case reflect.Float32, reflect.Float64:
			nv.Value = v.Float()
			return nil
		case reflect.String:
			nv.Value = v.String()
			return nil
		}
	}
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

var translated sync.Map // SQLite text -> PostgreSQL text

// toPostgres translates one statement (see the top of this file), once per distinct text.
func toPostgres(query string) string {
	if q, ok := translated.Load(query); ok {
		return q.(string)
	}
	q := translatePostgres(query)
	translated.Store(query, q)
	return q
}

var (
	insertOrIgnore = regexp.MustCompile(`(?i)\bINSERT\s+OR\s+IGNORE\s+INTO\b`)
	indexedBy      = regexp.MustCompile(`(?i)\s+INDEXED\s+BY\s+\w+`)
	crossJoinOn    = regexp.MustCompile(`(?i)\bCROSS\s+JOIN(\s+\w+(?:\s+\w+)?\s+ON\b)`)
	returningTail  = regexp.MustCompile(`(?is)\sRETURNING\s.*$`)
	jsonIDsIn      = regexp.MustCompile(`(?i)\bid\s+IN\s+\(SELECT\s+value\s+FROM\s+json_each\(\?\)\)`)
	jsonEach       = regexp.MustCompile(`(?i)\bjson_each\(\?\)`)
	jsonArray      = regexp.MustCompile(`(?i)\bjson_array\(`)
	jsonExtract    = regexp.MustCompile(`(?i)\bjson_extract\((\w+),\s*'\$\.(\w+)'\)`)
	ftsMatch       = map[string]string{
		"people_fts":   `rowid IN (SELECT x.rowid FROM people_fts x WHERE sb_fts_match(concat_ws(' ', x.name, x.email, x.phone, x.phone_digits), %s))`,
		"messages_fts": `rowid IN (SELECT x.id FROM messages x WHERE x.text <> '' AND sb_fts_match(x.text, %s))`,
	}
	ftsMatchRe = regexp.MustCompile(`(?i)\b(people_fts|messages_fts)\s+MATCH\s+(\?|'(?:[^']|'')*')`)
	// A flag used as a condition: SQLite takes any integer, PostgreSQL only a boolean.
	flagCondition = regexp.MustCompile(`(?i)\bWHEN\s+((?:\w+\.)?(?:deleted|edited|done|archived|blacklisted|enabled|disabled))\s+THEN\b`)
)

func translatePostgres(q string) string {
	if insertOrIgnore.MatchString(q) {
		q = insertOrIgnore.ReplaceAllString(q, "INSERT INTO")
		tail := returningTail.FindString(q)
		q = strings.TrimRight(strings.TrimSuffix(q, tail), " \n\t;") + " ON CONFLICT DO NOTHING" + tail
	}
	q = indexedBy.ReplaceAllString(q, "")
	q = crossJoinOn.ReplaceAllString(q, "JOIN$1")
	q = aliasSubqueries(q)
	q = jsonIDsIn.ReplaceAllString(q, `id IN (SELECT j.value::BIGINT FROM json_array_elements_text(?::json) AS j(value))`)
	q = jsonEach.ReplaceAllString(q, `json_array_elements_text(?::json) AS j(value)`)
	q = jsonArray.ReplaceAllString(q, "json_build_array(")
	q = jsonExtract.ReplaceAllString(q, `(CASE WHEN $1 <> '' THEN $1::json ->> '$2' END)`)
	q = ftsMatchRe.ReplaceAllStringFunc(q, func(m string) string {
		sm := ftsMatchRe.FindStringSubmatch(m)
		return fmt.Sprintf(ftsMatch[strings.ToLower(sm[1])], sm[2])
	})
	q = flagCondition.ReplaceAllString(q, "WHEN $1 <> 0 THEN")
	q = rewriteCalls(q, "MAX", func(args []string) string {
		if len(args) < 2 {
			return ""
		}
		return "GREATEST(" + strings.Join(args, ", ") + ")"
	})
	q = rewriteCalls(q, "MIN", func(args []string) string {
		if len(args) < 2 {
			return ""
		}
		return "LEAST(" + strings.Join(args, ", ") + ")"
	})
	q = rewriteCalls(q, "iif", func(args []string) string {
		if len(args) != 3 {
			return ""
		}
		return "CASE WHEN " + args[0] + " THEN " + args[1] + " ELSE " + args[2] + " END"
	})
	return dollarPlaceholders(q)
}

// aliasSubqueries names each FROM (…) or JOIN (…) that has no name (a VALUES list or a
// subquery), which PostgreSQL requires; a VALUES list's columns are column1, column2, … in
// both dialects.
func aliasSubqueries(q string) string {
	n := 0
	for from := 0; ; {
		loc := unnamedFrom.FindStringIndex(q[from:])
		if loc == nil {
			return q
		}
		open := from + loc[1] - 1
		end, _ := splitArgs(q, open)
		if end < 0 {
			return q
		}
		from = open + 1 // the subquery itself may hold more
		if m := nextWord.FindStringSubmatch(q[end+1:]); m != nil && !sqlKeywords[strings.ToUpper(m[1])] {
			continue // AS x, or a bare name
		}
		n++
		q = q[:end+1] + " AS sb_sub" + strconv.Itoa(n) + q[end+1:]
	}
}

var (
	unnamedFrom = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s*\(`)
	nextWord    = regexp.MustCompile(`^\s*([A-Za-z_]\w*)`)
	sqlKeywords = map[string]bool{"WHERE": true, "ORDER": true, "GROUP": true, "LIMIT": true, "JOIN": true,
		"LEFT": true, "INNER": true, "CROSS": true, "ON": true, "UNION": true, "EXCEPT": true, "INTERSECT": true,
		"HAVING": true, "RETURNING": true, "OFFSET": true, "WINDOW": true}
)

// rewriteCalls replaces each call name(args…) outside string literals by what fn returns for
// its top-level arguments (already rewritten themselves), or leaves it when fn returns "".
func rewriteCalls(q, name string, fn func(args []string) string) string {
	var out strings.Builder
	i := 0
	for i < len(q) {
		j := findCall(q, name, i)
		if j < 0 {
			break
		}
		open := j + len(name)
		for q[open] != '(' {
			open++
		}
		end, args := splitArgs(q, open)
		if end < 0 {
			break
		}
		for k := range args {
			args[k] = rewriteCalls(args[k], name, fn)
		}
		out.WriteString(q[i:j])
		if r := fn(args); r != "" {
			out.WriteString(r)
		} else {
			out.WriteString(q[j:open+1] + strings.Join(args, ",") + ")")
		}
		i = end + 1
	}
	out.WriteString(q[i:])
	return out.String()
}

// findCall finds the next name( (any case, whole word, spaces allowed before the parenthesis)
// at or after from and outside a string literal; -1 if none.
func findCall(q, name string, from int) int {
	inStr := false
	for i := from; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inStr = !inStr
			continue
		}
		if inStr || i+len(name) > len(q) || !strings.EqualFold(q[i:i+len(name)], name) {
			continue
		}
		if i > 0 && isWordByte(q[i-1]) {
			continue
		}
		k := i + len(name)
		for k < len(q) && (q[k] == ' ' || q[k] == '\t' || q[k] == '\n') {
			k++
		}
		if k < len(q) && q[k] == '(' {
			return i
		}
	}
	return -1
}

// splitArgs reads the parenthesised list opening at q[open] and returns the index of its
// closing parenthesis and its top-level arguments (trimmed); -1 when it is unbalanced.
func splitArgs(q string, open int) (int, []string) {
	depth, inStr, start := 0, false, open+1
	var args []string
	for i := open; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inStr = !inStr
		case inStr:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i, append(args, strings.TrimSpace(q[start:i]))
			}
		case c == ',' && depth == 1:
			args = append(args, strings.TrimSpace(q[start:i]))
			start = i + 1
		}
	}
	return -1, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// bindArgs fits a translated statement to the arguments of one call, as SQLite takes them:
//
//   - a parameter bound to an integer is typed bigint ($n::bigint), a float float8. SQLite's
//     values carry their type, and the store's batch statements rely on that: a
//     FROM (VALUES (?, ?), …) list is typed by what is bound to it, where PostgreSQL, left to
//     guess, types it text. Strings stay untyped (the context decides, as for a literal);
//   - arguments no placeholder names are dropped and the rest renumbered: a statement list run
//     with one argument list may use ?2 without ?1, which SQLite allows and PostgreSQL refuses.
func bindArgs(q string, args []driver.NamedValue) (string, []driver.NamedValue) {
	used := make([]bool, len(args))
	forEachPlaceholder(q, func(_, _, n int) {
		if n >= 1 && n <= len(args) {
			used[n-1] = true
		}
	})
	renum := make([]int, len(args))
	kept := args[:0:0]
	for i, u := range used {
		if u {
			kept = append(kept, driver.NamedValue{Ordinal: len(kept) + 1, Value: args[i].Value})
			renum[i] = len(kept)
		}
	}
	var out strings.Builder
	last := 0
	forEachPlaceholder(q, func(start, end, n int) {
		if n < 1 || n > len(args) {
			return
		}
		out.WriteString(q[last:start])
		out.WriteString("$" + strconv.Itoa(renum[n-1]))
		if !strings.HasPrefix(q[end:], "::") {
			switch args[n-1].Value.(type) {
			case int64:
				out.WriteString("::bigint")
			case float64:
				out.WriteString("::float8")
			}
		}
		last = end
	})
	out.WriteString(q[last:])
	return out.String(), kept
}

// forEachPlaceholder calls fn with the span and number of each $n outside string literals and
// quoted names.
func forEachPlaceholder(q string, fn func(start, end, n int)) {
	scanMarks(q, '$', func(start, end int, digits string) {
		if digits != "" {
			n, _ := strconv.Atoi(digits)
			fn(start, end, n)
		}
	})
}

// dollarPlaceholders turns ? into $1, $2, … in order and ?N into $N, outside string literals
// and quoted names.
func dollarPlaceholders(q string) string {
	var out strings.Builder
	n, last := 0, 0
	scanMarks(q, '?', func(start, end int, digits string) {
		if digits == "" {
			n++
			digits = strconv.Itoa(n)
		}
		out.WriteString(q[last:start] + "$" + digits)
		last = end
	})
	out.WriteString(q[last:])
	return out.String()
}

// scanMarks calls fn for each mark (? or $) outside string literals and quoted names, with its
// span and the digits that follow it ("" for none).
func scanMarks(q string, mark byte, fn func(start, end int, digits string)) {
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == mark:
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			fn(i, j, q[i+1:j])
			i = j - 1
		}
	}
}
