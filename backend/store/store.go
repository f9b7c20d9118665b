// Package store is Switchboard's local cache: SQLite through sqlx, embedded numbered
// migrations, queries, FTS5 search and the event log. It is the only package that writes SQL.
//
// SQLite allows one writer at a time; Store keeps a separate single-connection pool for writes
// so writers queue in Go instead of failing with SQLITE_BUSY, while reads run in parallel on WAL.
// Build with the "fts5" tag (mattn/go-sqlite3 compiles FTS5 only then).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"

	"switchboard/backend/core"
)

// driverName is go-sqlite3 with per-connection tuning. Reads of the people list and the tab
// counts walk indexes of tens of megabytes; through the default 2 MB page cache and read(2)
// every walk paid a system call per page. A memory map lets every connection share the OS page
// cache directly. The map is address space, not memory: only touched pages are resident.
// The WAL is checkpointed in the background (checkpoint.go); SQLite's own checkpoint, which runs
// inside the commit that crosses the mark, stays as a backstop at 8192 pages (32 MB) instead of
// its default 1000: at the default it took a fifth of ingestion time.
const driverName = "sqlite3_switchboard"

// writerDriverName is the same for the one write connection, which also keeps its temporary
// files in memory. Every multi-row write (UPDATE … FROM, INSERT … SELECT, a row with a trigger)
// runs under a statement journal, and with the default temp_store SQLite spills that journal to
// a temporary file after 64 KB: ingestion profiles showed pwrite(2) under every list-column
// update. The journal holds only the pages one statement changes, so memory stays small; the
// read connections keep the default, so a large sort in a read query cannot grow the heap.
const writerDriverName = "sqlite3_switchboard_writer"

// mapSize is the memory map's size for the connections that use one (2 GB: the whole file).
const mapSize = "2147483648"

const connPragmas = `PRAGMA mmap_size = ` + mapSize + `; PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 8192`

// readDriverName is for the pool that answers the UI's point reads (a chat's history, a card,
// its tasks and logs, settings). They touch a few scattered pages each, and through the memory
// map every page read stayed mapped, and counted in the app's memory, with the pages the kernel
// maps around it, until the connection closed (make bench: 9.2 MB of database pages in the app
// after 100 chats). Read through read(2) into a 2 MB page cache per connection, a page costs the
// app 4 KB of its own and the rest stays the OS's file cache. The people list's pages (the walk
// of a list index, and their rows' channels) and the tab counts keep the map, on pools of their
// own (see Open): through read(2) a search's list page took ~0.3 ms longer (storebench, 100k).
const readDriverName = "sqlite3_switchboard_read"

const readPragmas = `PRAGMA mmap_size = 0; PRAGMA cache_size = -2048`

func init() {
	register := func(name, pragmas string) {
		sql.Register(name, &sqlite3.SQLiteDriver{
			ConnectHook: func(c *sqlite3.SQLiteConn) error {
				_, err := c.Exec(pragmas, nil)
				return err
			},
		})
	}
	register(driverName, connPragmas)
	register(readDriverName, readPragmas)
	register(writerDriverName, connPragmas+`; PRAGMA temp_store = MEMORY`)
}

// idleConnLife is how long a read connection waits for its next query before it closes and
// unmaps what it read (see Open).
var idleConnLife = 10 * time.Second

// walkConnLife is the same for the pools that walk indexes through the memory map (list pages,
// tab counts): a walk leaves what it touched mapped, up to 26 MB for a page of the Important tab
// (its people are fetched by id, each row read mapping the pages around it), so those
// connections close once the list has been still for 2 s. The pages are clean file cache, mapped
// again at a minor fault each; reopening costs the next list page or count ~1-5 ms (SQLite reads
// the schema again).
var walkConnLife = 2 * time.Second

// writerMapLife is how long the writer waits after its last commit before it lets go of the
// pages its memory map touched. The writer is the one connection that never closes, and every
// page it reads (an index walk of a batch, the start-up's writes) stayed mapped, and counted in
// the app's memory, for the rest of the session: make bench's memory step found 10.9 MB of the
// database file mapped by it after a start on a fresh copy. Unmapping costs nothing the next
// write would notice: the pages are the OS's file cache, mapped again at a minor fault each.
var writerMapLife = 2 * time.Second

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the open database.
type Store struct {
	read  *sqlx.DB // many connections, read-only use: point reads, no memory map
	list  *sqlx.DB // read-only connections for the people list's pages, memory-mapped, closed when idle
	scan  *sqlx.DB // read-only connections for scans, closed when idle (see Open)
	write *sqlx.DB // exactly one connection: the single writer
	path  string
	// changes gets a value after every committed write transaction (buffered 1, never blocks),
	// so followers of the event log wake at once instead of polling.
	changes chan struct{}
	subMu   sync.Mutex
	subs    map[chan struct{}]struct{}
	commits atomic.Int64 // committed write transactions, for the checkpointer
	ckpt    *checkpointer
	unmap   *writerUnmapper
	pg      *pgState // nil on SQLite (store_pg.go)
	lockDB  *sqlx.DB // PostgreSQL: the poll locks' connection (polllock.go)
	// replica: this store is a copy of a team hub's (SetReplica).
	replica atomic.Bool
}

// SetReplica marks the store as a replica's copy of a team hub. The hub keeps the person logs:
// an action taken here (archive, a chat switch) changes the local row at once but logs nothing;
// the hub's entry for it arrives with the hub's rows, under the hub's id.
func (s *Store) SetReplica(on bool) { s.replica.Store(on) }

// logAction logs a person's entry for an action taken in this store (none on a replica).
func (s *Store) logAction(ctx context.Context, tx *sqlx.Tx, personID int64, kind core.LogKind, params core.LogParams, at int64) error {
	if s.replica.Load() {
		return nil
	}
	return addLog(ctx, tx, personID, kind, params, at)
}

// Open opens (creating if needed) the database file at path and applies pending migrations.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: resolve %s: %w", path, err)
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "10000")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	dsn := "file:" + abs + "?" + q.Encode()
	if err := createPrivateFile(abs); err != nil {
		return nil, err
	}

	// The one writer keeps its prepared statements (go-sqlite3's LRU cache, by SQL text):
	// ingestion runs the same ~15 statements in every batch, and preparing them each time took
	// ~5% of it. The read pool does not: its list queries vary with every filter.
	write, err := sqlx.Open(writerDriverName, dsn+"&_stmt_cache_size=64")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	write.SetMaxOpenConns(1)
	if err := pingUnlocked(write); err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	s := &Store{write: write, path: abs, changes: make(chan struct{}, 1)}
	if err := s.migrate(context.Background()); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sqlx.Open(readDriverName, dsn+"&mode=ro")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open %s read-only: %w", abs, err)
	}
	// Every page a connection's memory map touched stays mapped, and counted in the app's memory,
	// while the connection lives: the first badges on the 100k dataset left 75 MB mapped (the
	// kernel maps 64 KB around each page read), the first page of Important 18 MB. So read
	// connections close after 10 s without a query (the walking pools after 2 s: walkConnLife), and
	// the pages go back to being the OS's file cache; while the manager works they stay open and
	// warm. Scans of large parts of the file
	// (the tab counts walk whole list indexes) get connections of their own, so the pages they
	// map are not kept alive by the chat switches in between.
	read.SetMaxOpenConns(4)
	read.SetConnMaxIdleTime(idleConnLife)
	s.read = read
	// A list page walks a list index until it has 50 hits (thousands of entries after a filter):
	// through the map, without a system call per page.
	list, err := sqlx.Open(driverName, dsn+"&mode=ro")
	if err != nil {
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store: open %s for the list: %w", abs, err)
	}
	list.SetMaxOpenConns(2)
	list.SetConnMaxIdleTime(walkConnLife)
	s.list = list
	scan, err := sqlx.Open(driverName, dsn+"&mode=ro")
	if err != nil {
		list.Close()
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store: open %s for scans: %w", abs, err)
	}
	scan.SetMaxOpenConns(3)
	scan.SetMaxIdleConns(3)
	scan.SetConnMaxIdleTime(walkConnLife)
	s.scan = scan
	if err := s.startCheckpointer(dsn); err != nil {
		scan.Close()
		list.Close()
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	s.startWriterUnmapper()
	return s, nil
}

// writerUnmapper releases the writer's memory map once the writer has been still for
// writerMapLife (after the start-up's work, and after every burst of commits): setting
// mmap_size to 0 makes SQLite unmap the file, and setting it back maps it again, untouched, at
// the next page the writer reads. During a burst (ingestion) the timer keeps moving, so the
// writer's reads keep the map.
type writerUnmapper struct {
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// stillTimer is the unmapper's wait for the writer to be still: a time.Timer, or in a test one
// whose time the test moves, so it can tell "not yet" from "never" without racing a clock.
type stillTimer interface {
	C() <-chan time.Time
	Reset(d time.Duration)
	Stop()
}

type systemTimer struct{ t *time.Timer }

func (t systemTimer) C() <-chan time.Time   { return t.t.C }
func (t systemTimer) Reset(d time.Duration) { t.t.Reset(d) }
func (t systemTimer) Stop()                 { t.t.Stop() }

// newStillTimer starts the unmapper's timer; tests replace it before Open.
var newStillTimer = func(d time.Duration) stillTimer { return systemTimer{time.NewTimer(d)} }

func (s *Store) startWriterUnmapper() {
	u := &writerUnmapper{stop: make(chan struct{}), done: make(chan struct{})}
	sig, release := s.Subscribe()
	still := newStillTimer(writerMapLife)
	go func() {
		defer close(u.done)
		defer release()
		defer still.Stop()
		for {
			select {
			case <-u.stop:
				return
			case <-sig:
				still.Reset(writerMapLife)
			case <-still.C():
				if _, err := s.write.Exec(`PRAGMA mmap_size = 0; PRAGMA mmap_size = ` + mapSize); err != nil {
					slog.Warn("store: release the writer's memory map", "err", err)
				}
			}
		}
	}()
	s.unmap = u
}

// stopWriterUnmapper may be called more than once (Close may be).
func (s *Store) stopWriterUnmapper() {
	if s.unmap == nil {
		return
	}
	s.unmap.stopOnce.Do(func() { close(s.unmap.stop) })
	<-s.unmap.done
}

// pingUnlocked opens the first connection. Switching a new file to WAL takes a lock that
// SQLite's busy timeout does not wait for, so a second process opening the same new database
// at that moment (the app and the hub, say) retries for a while instead of failing.
func pingUnlocked(db *sqlx.DB) error {
	var err error
	for i := 0; i < 100; i++ {
		var se sqlite3.Error
		if err = db.Ping(); err == nil || !errors.As(err, &se) || (se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

// Close stops the checkpointer and closes the read, list, scan and write pools.
func (s *Store) Close() error {
	closeList := func() error { return nil }
	if s.list != s.read { // PostgreSQL's store reads lists through its read pool
		closeList = s.list.Close
	}
	s.stopWriterUnmapper()
	return errors.Join(s.stopCheckpointer(), s.stopPostgres(), s.scan.Close(), closeList(), s.read.Close(), s.write.Close())
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// migrate applies every embedded migration newer than PRAGMA user_version, each in its own
// transaction, so a database is always at a whole-numbered version.
func (s *Store) migrate(ctx context.Context) error {
	var fts int
	if err := s.write.GetContext(ctx, &fts, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`); err != nil || fts != 1 {
		return errors.New("store: SQLite was built without FTS5: build with -tags fts5")
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: migration %s has no number", base)
		}
		if err := s.applyMigration(ctx, name, n); err != nil {
			return fmt.Errorf("store: migration %s: %w", base, err)
		}
	}
	return nil
}

// applyMigration runs migration n unless the database is already at n or later. The version is
// read inside the (immediate, so exclusive) transaction: two processes opening a new database at
// once then apply each migration exactly once instead of racing.
func (s *Store) applyMigration(ctx context.Context, name string, n int) error {
	tx, err := s.write.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var current int
	if err := tx.GetContext(ctx, &current, `PRAGMA user_version`); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if n <= current {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", n)); err != nil {
		return err
	}
	return tx.Commit()
}

// ErrDiskFull: a write found no room (the disk is full, or the database reached the size it
// is allowed, LimitSize). The transaction was rolled back whole: nothing was half written, and
// the same write succeeds once there is room.
var ErrDiskFull = errors.New("store: disk full")

// diskFull marks SQLite's "database or disk is full", and PostgreSQL's disk_full (SQLSTATE
// 53100, read through the error's SQLState method so the store need not import pgx), as
// ErrDiskFull, keeping the cause.
func diskFull(err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) {
		return err
	}
	var se sqlite3.Error
	var pe interface{ SQLState() string }
	if (errors.As(err, &se) && se.Code == sqlite3.ErrFull) || (errors.As(err, &pe) && pe.SQLState() == "53100") {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

// runTx runs fn in one transaction on db and commits it, or rolls back on error.
func runTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return diskFull(fmt.Errorf("store: begin: %w", err))
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return diskFull(err)
	}
	if err := tx.Commit(); err != nil {
		return diskFull(fmt.Errorf("store: commit: %w", err))
	}
	return nil
}

// LimitSize caps how large the database may grow, in bytes (0: no cap beyond the disk's): a
// write that would pass it fails with ErrDiskFull, as on a full disk, and changes nothing; a cap
// below the present size holds the database at that size. A hub
// on a disk it shares with other services keeps room for them this way (serve --max-db-mb).
func (s *Store) LimitSize(maxBytes int64) error {
	if s.pg != nil {
		return errors.New("store: a size cap is SQLite's; on PostgreSQL the database's own quota and disk apply")
	}
	ctx := context.Background()
	var pageSize int64
	if err := s.write.GetContext(ctx, &pageSize, `PRAGMA page_size`); err != nil {
		return fmt.Errorf("store: page size: %w", err)
	}
	pages := int64(0xfffffffe) // SQLite's largest page count: no cap
	if maxBytes > 0 {
		pages = max(1, maxBytes/pageSize)
	}
	// The writer is the one connection that ever grows the file.
	if _, err := s.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		return fmt.Errorf("store: limit size: %w", err)
	}
	return nil
}

// inTx runs fn in one write transaction and commits it, or rolls back on error; a commit wakes
// the event log's followers.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	run := runTx
	if s.pg != nil {
		run = func(ctx context.Context, _ *sqlx.DB, fn func(tx *sqlx.Tx) error) error { return s.pgTx(ctx, fn) }
	}
	if err := run(ctx, s.write, fn); err != nil {
		return err
	}
	s.commits.Add(1)
	s.notify()
	return nil
}

// notify wakes whoever waits on Changes without ever blocking the writer: one pending signal is
// enough because a follower reads everything after its last seq when it wakes.
func (s *Store) notify() {
	select {
	case s.changes <- struct{}{}:
	default:
	}
	s.subMu.Lock()
	for c := range s.subs {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	s.subMu.Unlock()
}

// Changes returns the shared commit signal. It has one buffered slot, so only one receiver
// should own it; code that may run beside other followers uses Subscribe.
func (s *Store) Changes() <-chan struct{} { return s.changes }

// Subscribe returns a private commit signal (buffered 1) and the func that releases it.
func (s *Store) Subscribe() (<-chan struct{}, func()) {
	c := make(chan struct{}, 1)
	s.subMu.Lock()
	if s.subs == nil {
		s.subs = make(map[chan struct{}]struct{})
	}
	s.subs[c] = struct{}{}
	s.subMu.Unlock()
	return c, func() {
		s.subMu.Lock()
		delete(s.subs, c)
		s.subMu.Unlock()
	}
}

// DBFile is the database's file name inside a data directory.
const DBFile = "switchboard.db"

// DefaultDataDir is the per-user data directory: os.UserConfigDir()/Switchboard.
func DefaultDataDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("store: find the user config dir: %w", err)
	}
	return filepath.Join(base, "Switchboard"), nil
}

// OpenDir opens dir/switchboard.db, creating dir if needed, and restricts dir and everything in it
// to the user (see makePrivate): it holds private chats.
func OpenDir(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data dir %s: %w", dir, err)
	}
	if err := makePrivate(dir); err != nil {
		return nil, fmt.Errorf("store: restrict data dir %s to the user: %w", dir, err)
	}
	return Open(filepath.Join(dir, DBFile))
}

// appendAddressed adds one event per manager, addressed to that manager (a draft is one
// manager's own, a note's mention tags each): a follower passes it to that manager's desktops
// only, and a replica notifies exactly that manager without decoding the note.
func appendAddressed(ctx context.Context, tx *sqlx.Tx, kind string, personID, chatID, messageID, at int64, managerIDs ...int64) error {
	for _, mid := range managerIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (kind, person_id, chat_id, message_id, manager_id, at)
VALUES (?, ?, ?, ?, ?, ?)`, kind, personID, chatID, messageID, mid, at); err != nil {
			return fmt.Errorf("store: append event %s: %w", kind, err)
		}
	}
	return nil
}

// appendEvent adds one entry to the event log inside tx.
func appendEvent(ctx context.Context, tx *sqlx.Tx, kind string, personID, chatID, messageID, at int64) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO events (kind, person_id, chat_id, message_id, at) VALUES (?, ?, ?, ?, ?)`,
		kind, personID, chatID, messageID, at)
	if err != nil {
		return fmt.Errorf("store: append event %s: %w", kind, err)
	}
	return nil
}
