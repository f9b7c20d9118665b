package main

import (
	"context"
	"flag"
	"log/slog"
	"net/url"

	"switchboard/backend/store"
)

// dbFlag registers --db: the PostgreSQL database that holds the hub's store (engine and
// accounts), shared by every hub instance of the company.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "PostgreSQL DSN (postgres://user@host/db) holding the hub's data, shared by its instances; its password belongs in PGPASSWORD or ~/.pgpass, not on the command line; default: the data directory's SQLite")
}

// warnPasswordInDSN says so when --db carries a password: any user of the machine can read a
// command line. pgx reads PGPASSWORD and ~/.pgpass by itself.
func warnPasswordInDSN(dsn string) {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, set := u.User.Password(); set {
			slog.Warn("--db carries a password, which any user of this machine can read on the command line: put it in PGPASSWORD or ~/.pgpass")
		}
	}
}

// openEngineStore opens the hub's store: in PostgreSQL when dsn is given (the data directory
// then keeps only local files: tokens, media caches, uploads), else the data directory's SQLite.
func openEngineStore(ctx context.Context, dir, dsn string) (*store.Store, error) {
	if dsn != "" {
		warnPasswordInDSN(dsn)
		return store.OpenPostgres(ctx, dsn, dir)
	}
	return store.OpenDir(dir)
}
