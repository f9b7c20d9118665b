package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestMigrationsUpgradeAFilledVersion1Store opens a store written by the first schema only and
// checks the later migrations keep its rows and fill the columns they add.
func TestMigrationsUpgradeAFilledVersion1Store(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open(driverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := migrations.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(v1), `PRAGMA user_version = 1`,
		`INSERT INTO channels (id, kind, external_id, created_at) VALUES (1, 'telegram', 't', 0), (2, 'vk', 'v', 0)`,
		`INSERT INTO people (id, name, phone, created_at) VALUES (1, 'Both', '+7 916 000-11-22', 0), (2, 'VK only', '', 0)`,
		`INSERT INTO chats (id, person_id, channel_id, external_chat_id, created_at) VALUES (1, 1, 1, 'a', 0), (2, 1, 2, 'b', 0), (3, 2, 2, 'c', 0)`,
		`INSERT INTO events (kind, at) VALUES ('old', 1)`,
		`INSERT INTO messages (chat_id, external_id, sender, text, created_at) VALUES (1, 'm1', 'client', 'hello', 5)`,
		`UPDATE chats SET preview = 'hello', last_message_at = 5 WHERE id = 1`,
		`UPDATE people SET preview = 'hello', last_chat_id = 1, last_message_at = 5 WHERE id = 1`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	s.read.Get(&v, `PRAGMA user_version`)
	if latest := lastMigration(t); v != latest {
		t.Errorf("user_version = %d, want %d (the last migration)", v, latest)
	}
	var rows []struct {
		ID       int64 `db:"id"`
		Kinds    int   `db:"kinds"`
		HasPhone bool  `db:"has_phone"`
	}
	if err := s.read.Select(&rows, `SELECT id, kinds, has_phone FROM people ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Kinds != 3 || !rows[0].HasPhone || rows[1].Kinds != 2 || rows[1].HasPhone {
		t.Errorf("people after upgrade = %+v", rows)
	}
	// 0006: the preview is read from the messages, not kept in the rows.
	var preview string
	if err := s.read.Get(&preview, `SELECT `+previewOf("last_chat_id")+` FROM people WHERE id = 1`); err != nil || preview != "hello" {
		t.Errorf("preview after upgrade = %q, %v", preview, err)
	}
	for _, table := range []string{"people", "chats"} {
		if _, err := s.read.Exec(`SELECT preview FROM ` + table); err == nil {
			t.Errorf("%s still has a preview column", table)
		}
	}
	evs, err := s.EventsAfter(context.Background(), 0, 10)
	if err != nil || len(evs) != 1 || evs[0].Kind != "old" || evs[0].ManagerID != 0 {
		t.Errorf("events after upgrade = %+v, %v", evs, err)
	}
}

func lastMigration(t *testing.T) int {
	t.Helper()
	entries, err := migrations.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		last = max(last, n)
	}
	return last
}
