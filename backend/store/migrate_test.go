package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
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
	if want := latestMigration(t); v != want {
		t.Errorf("user_version = %d, want %d", v, want)
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

// latestMigration is the number of the last embedded migration.
func latestMigration(t *testing.T) int {
	t.Helper()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil || len(names) == 0 {
		t.Fatalf("migrations: %v", err)
	}
	sort.Strings(names)
	n, err := strconv.Atoi(strings.SplitN(filepath.Base(names[len(names)-1]), "_", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// migratedBelow makes a database file as a version before `below` left it: every embedded
// migration numbered under it applied, user_version set to the last. Tests of a migration
// fill it with what that version stored, then Open it.
func migratedBelow(t *testing.T, below int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open(driverName, "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	last := 0
	for _, name := range names {
		n, _ := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if n >= below {
			break
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		last = n
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", last)); err != nil {
		t.Fatal(err)
	}
	return path, db
}

// TestMigration0010TurnsFailureWordsIntoCodes upgrades a store whose failed sends, refused edits
// and deletes and waiting outbox rows hold the English sentences of before, and finds codes.
func TestMigration0010TurnsFailureWordsIntoCodes(t *testing.T) {
	path, db := migratedBelow(t, 10)
	old := map[int64]string{
		1: "Forbidden: bot was blocked by the user",
		2: "Not confirmed: the app stopped while sending this message, so it may or may not have arrived. Retry to send it again.",
		3: "Edit not delivered: Bad Request: message can't be edited",
		4: "Not deleted: Bad Request: message can't be deleted for everyone",
		5: "Bad Request: chat not found",
		6: "text is 5000 characters; Telegram allows 4096",
		7: "",
	}
	for _, q := range []string{`PRAGMA user_version = 9`,
		`INSERT INTO channels (id, kind, external_id, created_at) VALUES (1, 'telegram', 't', 0)`,
		`INSERT INTO people (id, name, created_at) VALUES (1, 'Anna', 0)`,
		`INSERT INTO chats (id, person_id, channel_id, external_chat_id, created_at) VALUES (1, 1, 1, 'a', 0)`,
		`INSERT INTO outbox (chat_id, message_id, action, last_error, done, created_at) VALUES
			(1, 1, 'send', 'Forbidden: bot was blocked by the user', 1, 0),
			(1, 5, 'send', 'in flight', 0, 0),
			(1, 5, 'send', 'dial tcp 1.2.3.4:443: connection refused', 0, 0),
			(1, 5, 'send', 'The channel is not connected; waiting for it.', 0, 0),
			(1, 5, 'send', 'Bad Request: chat not found', 1, 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	for id, e := range old {
		if _, err := db.Exec(`INSERT INTO messages (id, chat_id, sender, text, status, error, created_at) VALUES (?, 1, 'manager', 'hi', 'failed', ?, 1)`, id, e); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[int64]string{1: "blocked", 2: "not_confirmed", 3: "edit:not_editable", 4: "delete:delete_window",
		5: "rejected", 6: "text_too_long", 7: ""}
	for id, w := range want {
		var got string
		if err := s.read.Get(&got, `SELECT error FROM messages WHERE id = ?`, id); err != nil || got != w {
			t.Errorf("message %d: error %q (%v), want %q (was %q)", id, got, err, w, old[id])
		}
	}
	var outbox []string
	if err := s.read.Select(&outbox, `SELECT last_error FROM outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(outbox, ",") != "blocked,in_flight,offline,not_connected,rejected" {
		t.Errorf("outbox last_error after upgrade: %v", outbox)
	}
}
