package main

import (
	"context"
	"flag"

	"switchboard/backend/store"
)

// dbFlag registers --db: the PostgreSQL database that holds the hub's store (engine and
// accounts), shared by every hub instance of the company.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "PostgreSQL DSN (postgres://…) holding the hub's data, shared by its instances; default: the data directory's SQLite")
}

// openEngineStore opens the hub's store: in PostgreSQL when dsn is given (the data directory
// then keeps only local files: tokens, media caches, uploads), else the data directory's SQLite.
func openEngineStore(ctx context.Context, dir, dsn string) (*store.Store, error) {
	if dsn != "" {
		return store.OpenPostgres(ctx, dsn, dir)
	}
	return store.OpenDir(dir)
}
