package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// pgWriteLock is the advisory lock every write transaction on PostgreSQL takes first. It keeps
// two promises SQLite's one writer keeps by itself: the event log's commit order is its seq
// order (a feed reading "after seq N" can never miss a row committed late with a smaller seq),
// and the store's read-then-write steps (find a chat, then insert it) never race a twin, on one
// hub instance or several sharing the database. One company per database, so one lock.
const pgWriteLock int64 = 0x5357_4842_0003 // "SWHB" 3

// pgFollowEvery is how often a PostgreSQL store looks for events that other hub instances
// committed, to wake its own followers (its own commits wake them at once, as on SQLite).
var pgFollowEvery = 200 * time.Millisecond

// pgState is what a Store on PostgreSQL has beyond the pools: the poll that wakes followers
// for other instances' commits, and the pollers' lock.
type pgState struct {
	// writeLock and pollKey are the locks' keys for this store's schema: advisory locks belong
	// to the database, so two companies (or two tests) in schemas of one database would
	// otherwise share them. One company per database keeps "public" and the same keys.
	writeLock int64
	pollKey   int32
	dsn       string        // as given, for a second store on the same database (tests)
	grew      chan struct{} // the poll saw the log grow (LogGrew)
	stop      chan struct{}
	done      chan struct{}
	stopOnce  sync.Once
	locks     pollLocks // polllock.go
}

// OpenPostgres opens the engine's store in the PostgreSQL database at dsn (postgres://…) and
// applies the pending migrations of migrations_pg. dataDir is the instance's local data
// directory (created private if missing; "" for none): files kept beside the database (media
// caches, uploads) live there, and Path names the database file's place in it, as on SQLite,
// though no such file is written. The program must link pgx's database/sql driver
// (switchboard-hub does; see dialect.go). The store's queries are the SQLite ones, translated
// by the driver; see dialect.go for what runs differently.
func OpenPostgres(ctx context.Context, dsn, dataDir string) (*Store, error) {
	if err := registerPG(); err != nil {
		return nil, err
	}
	given := dsn
	dsn = withExecMode(dsn)
	path := ""
	if dataDir != "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create data dir %s: %w", dataDir, err)
		}
		if err := makePrivate(dataDir); err != nil {
			return nil, fmt.Errorf("store: restrict data dir %s to the user: %w", dataDir, err)
		}
		abs, err := filepath.Abs(dataDir)
		if err != nil {
			return nil, err
		}
		path = filepath.Join(abs, DBFile)
	}
	open := func(conns int) (*sqlx.DB, error) {
		db, err := sqlx.Open(pgDriverName, dsn)
		if err != nil {
			return nil, fmt.Errorf("store: open postgres: %w", err)
		}
		db.SetMaxOpenConns(conns)
		db.SetMaxIdleConns(conns)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: connect to postgres: %w", err)
		}
		return db, nil
	}
	// One write connection per instance, as on SQLite: writers queue in Go, and across
	// instances on pgWriteLock.
	write, err := open(1)
	if err != nil {
		return nil, err
	}
	if err := migratePostgres(ctx, write); err != nil {
		write.Close()
		return nil, err
	}
	read, err := open(8)
	if err != nil {
		write.Close()
		return nil, err
	}
	scan, err := open(2)
	if err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	// The poll locks' connection (polllock.go), opened when the first channel is locked.
	locks, err := sqlx.Open(pgDriverName, dsn)
	if err != nil {
		scan.Close()
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	locks.SetMaxOpenConns(1)
	// No memory map to keep apart on PostgreSQL: the list's pages read through the read pool.
	s := &Store{read: read, list: read, scan: scan, write: write, lockDB: locks, path: path, changes: make(chan struct{}, 1),
		pg: &pgState{dsn: given, grew: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}}
	var schema string
	if err := read.GetContext(ctx, &schema, `SELECT current_schema()`); err != nil {
		locks.Close()
		scan.Close()
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store: read the schema: %w", err)
	}
	h := fnv.New32a()
	h.Write([]byte(schema))
	s.pg.pollKey = int32(h.Sum32() & 0x7fffffff)
	s.pg.writeLock = pgWriteLock ^ int64(s.pg.pollKey)
	var last int64
	if err := read.GetContext(ctx, &last, `SELECT COALESCE(MAX(seq), 0) FROM events`); err != nil {
		locks.Close()
		scan.Close()
		read.Close()
		write.Close()
		return nil, fmt.Errorf("store: read the event log: %w", err)
	}
	go s.followOtherInstances(last)
	return s, nil
}

// withExecMode makes pgx send each statement with its arguments in one round trip and let the
// server type the parameters from the statement (bindArgs casts the ones SQLite's dynamic
// typing leaves open). No prepared statements are kept on the server, so statements that vary
// in length (batches, IN lists) cost nothing to keep.
func withExecMode(dsn string) string {
	if strings.Contains(dsn, "default_query_exec_mode") {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("default_query_exec_mode", "exec")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " default_query_exec_mode=exec"
}

// Postgres reports whether the store lives in PostgreSQL.
func (s *Store) Postgres() bool { return s.pg != nil }

// pgTx is inTx's PostgreSQL half: the transaction takes pgWriteLock before fn runs.
func (s *Store) pgTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return runTx(ctx, s.write, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, s.pg.writeLock); err != nil {
			return fmt.Errorf("store: take the write lock: %w", err)
		}
		return fn(tx)
	})
}

// followOtherInstances wakes this store's followers when the event log grew by commits of
// another instance. A short poll of the log's head (one index probe) rather than LISTEN/NOTIFY:
// a notification is lost while a listener reconnects, so a poll would be needed anyway to stay
// correct, and at this period it is the whole cost.
func (s *Store) followOtherInstances(last int64) {
	defer close(s.pg.done)
	tick := time.NewTicker(pgFollowEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.pg.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var head int64
		err := s.read.GetContext(ctx, &head, `SELECT COALESCE(MAX(seq), 0) FROM events`)
		cancel()
		if err == nil && head > last {
			last = head
			s.notify()
			select {
			case s.pg.grew <- struct{}{}:
			default:
			}
		}
	}
}

// LogGrew gets a value (buffered 1) when the event log has grown since the last look, by a
// commit of this instance or another one sharing the database, seen by the poll every
// pgFollowEvery. Work that another instance can queue (an outbox row written through its API)
// waits on it. nil on SQLite, where one process writes.
func (s *Store) LogGrew() <-chan struct{} {
	if s.pg == nil {
		return nil
	}
	return s.pg.grew
}

// stopPostgres stops the follower poll (a no-op on SQLite).
func (s *Store) stopPostgres() error {
	if s.pg == nil {
		return nil
	}
	s.pg.stopOnce.Do(func() {
		close(s.pg.stop)
		s.closePollLocks()
	})
	<-s.pg.done
	return s.lockDB.Close()
}

// pgBulkFinish ends a bulk load on PostgreSQL: the loader wrote its own ids, which an identity
// does not notice, so each identity moves past the largest id (the next insert would collide
// otherwise); then the planner's statistics.
func pgBulkFinish(ctx context.Context, s *Store) error {
	for t := range idTables {
		if _, err := s.write.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM `+t); err != nil {
			return fmt.Errorf("store: bulk finish: move the ids of %s: %w", t, err)
		}
	}
	if _, err := s.write.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("store: bulk finish: analyze: %w", err)
	}
	return nil
}
