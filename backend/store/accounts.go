package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/mattn/go-sqlite3"
)

// Accounts is the hub's book of managers who can sign in, and their sessions (managers.go,
// sessions.go). One company per hub. It lives in the hub's SQLite store (Store.Accounts) or in
// PostgreSQL (OpenAccountsPostgres); every query is written once, with ? placeholders rebound
// for the dialect, so the same tests run against both.
type Accounts struct {
	read    *sqlx.DB
	write   *sqlx.DB
	inTx    func(ctx context.Context, fn func(tx *sqlx.Tx) error) error
	pg      bool
	closeDB func() error
}

// Accounts returns the account book kept in this SQLite store (tables from migration 0009).
// It shares the store's pools; closing the store closes it.
func (s *Store) Accounts() *Accounts {
	return &Accounts{read: s.read, write: s.write, inTx: s.inTx, pg: s.pg != nil, closeDB: func() error { return nil }}
}

//go:embed migrations_pg/*.sql
var pgMigrations embed.FS

// pgMigrationLock is the advisory lock key several hub instances take while migrating one
// PostgreSQL database, so each migration runs exactly once;
// pgAccountsLock serialises the account changes that check an invariant over several rows.
const (
	pgMigrationLock int64 = 0x5357_4842_0001 // "SWHB" 1
	pgAccountsLock  int64 = 0x5357_4842_0002
)

// OpenAccountsPostgres connects to PostgreSQL (a postgres:// DSN, through pgx) and applies the
// pending migrations of migrations_pg. The pgx driver ("pgx" for database/sql; sqlx binds $1…
// for it) is registered by the programs that serve PostgreSQL, switchboard-hub and the tests
// (backend/store/testpg), so the desktop app does not link it (~4 MB of binary and memory).
func OpenAccountsPostgres(ctx context.Context, dsn string) (*Accounts, error) {
	db, err := sqlx.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	a := &Accounts{read: db, write: db, pg: true, closeDB: db.Close}
	a.inTx = a.pgTx
	if err := migratePostgres(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// Close closes the PostgreSQL connections (a no-op for the SQLite book, which the Store owns).
func (a *Accounts) Close() error { return a.closeDB() }

// Postgres reports whether the book lives in PostgreSQL.
func (a *Accounts) Postgres() bool { return a.pg }

func (a *Accounts) pgTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return runTx(ctx, a.write, fn)
}

// q rebinds a query written with ? placeholders for the book's dialect.
func (a *Accounts) q(query string) string { return a.write.Rebind(query) }

// lockAccounts serialises the transactions that check an invariant over several accounts (one
// active admin at least). SQLite's one writer already does; on PostgreSQL two instances could
// otherwise each demote the other admin under READ COMMITTED.
func (a *Accounts) lockAccounts(ctx context.Context, tx *sqlx.Tx) error {
	if !a.pg {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgAccountsLock)
	return err
}

// migratePostgres applies every migrations_pg file whose number is not yet recorded in
// schema_migrations, each in its own transaction under an advisory lock. Numbers are recorded
// one by one (not as a high-water mark) because the PostgreSQL directory shares numbers with the
// SQLite one and starts at 0009: a later port of 0001–0008 still runs.
func migratePostgres(ctx context.Context, db *sqlx.DB) error {
	// CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (both pass the check,
	// one fails on the catalog's unique index), hence the lock here too.
	err := runTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgMigrationLock); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: postgres migrations table: %w", err)
	}
	names, err := fs.Glob(pgMigrations, "migrations_pg/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		n, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("store: postgres migration %s has no number", base)
		}
		body, err := pgMigrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = runTx(ctx, db, func(tx *sqlx.Tx) error {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, pgMigrationLock); err != nil {
				return err
			}
			var done bool
			if err := tx.GetContext(ctx, &done, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, n); err != nil {
				return err
			}
			if done {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, n)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: postgres migration %s: %w", base, err)
		}
	}
	return nil
}

// isUniqueViolation reports a UNIQUE constraint failure in either dialect.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		return coded.SQLState() == "23505"
	}
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}
