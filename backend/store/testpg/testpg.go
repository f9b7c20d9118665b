// Package testpg gives tests a private PostgreSQL schema on the throw-away cluster that
// scripts/with-postgres.sh starts (SWITCHBOARD_TEST_PG). Without that variable a test skips,
// except in CI (CI set), where a missing PostgreSQL is a failure, not a silent skip.
package testpg

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// EnvDSN names the variable scripts/with-postgres.sh exports.
const EnvDSN = "SWITCHBOARD_TEST_PG"

// DSN creates a fresh schema for this test, drops it when the test ends, and returns a DSN
// whose search_path is that schema, so every table the test creates is its own.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvDSN)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set in CI: run the tests under scripts/with-postgres.sh", EnvDSN)
		}
		t.Skipf("%s is not set: run under scripts/with-postgres.sh for the PostgreSQL half", EnvDSN)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("testpg: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		db.Close()
		t.Fatalf("testpg: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("testpg: drop schema: %v", err)
		}
		db.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testpg: %s is not a URL", EnvDSN)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
