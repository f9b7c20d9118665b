package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	// PostgreSQL's database/sql driver, for the schemas below and store.OpenPostgres.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// pgEnvDSN names the variable scripts/with-postgres.sh exports (as backend/store/testpg reads it).
const pgEnvDSN = "SWITCHBOARD_TEST_PG"

// freshSchema creates an empty schema named prefix_<random> in the database at base and returns
// a DSN whose search_path is that schema, so the hub's migrations (or the bare insert's) start
// from nothing whatever else the database holds; drop removes it with all it holds.
func freshSchema(base, prefix string) (dsn string, drop func() error, err error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	schema := prefix + "_" + hex.EncodeToString(b[:])
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("-db: not a postgres:// URL")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	drop = func() error {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		_, err := db.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		return err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// splitPassword takes the password out of a postgres:// DSN: the DSN without it, and it ("" if none).
func splitPassword(dsn string) (bare, password string) {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn, ""
	}
	password, _ = u.User.Password()
	u.User = url.User(u.User.Username())
	return u.String(), password
}
