package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/backend/core"
)

func TestOpenMigratesFromEmptyAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sb.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.read.Get(&v, `PRAGMA user_version`); err != nil {
		t.Fatal(err)
	}
	if v < 1 {
		t.Fatalf("user_version = %d after migrating", v)
	}
	var mode string
	if err := s.read.Get(&mode, `PRAGMA journal_mode`); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v", mode, err)
	}
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	var v2 int
	s2.read.Get(&v2, `PRAGMA user_version`)
	if v2 != v {
		t.Fatalf("reopen changed version %d -> %d", v, v2)
	}
}

func TestTwoProcessesOpeningANewDatabaseMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sb.db")
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			s, err := Open(path)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
}

// Committed rows reach the database file without any commit checkpointing: the store's
// checkpointer copies the WAL in the background after ckptEvery commits.
func TestCheckpointerCopiesTheWALInTheBackground(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ch := addTestChannel(t, s, core.Telegram, "1")
	for i := 0; i < ckptEvery+2; i++ {
		u := msgUpd("1", fmt.Sprint(i), "hello", t0.UnixMilli()+int64(i))
		if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Updates: []core.Update{u}}, t0); err != nil {
			t.Fatal(err)
		}
	}
	// immutable=1 reads the database file alone, as if the WAL were not there (and caches it,
	// hence a connection per look). A few commits are far below the writer's own checkpoint
	// threshold, so only the checkpointer can have put the messages there.
	inFile := func() (n int) {
		file, err := sqlx.Open("sqlite3", "file:"+s.Path()+"?mode=ro&immutable=1")
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		file.Get(&n, `SELECT COUNT(*) FROM messages`)
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	var n int
	for time.Now().Before(deadline) {
		if n = inFile(); n > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("database file holds %d messages after %d commits", n, ckptEvery+2)
}

// Read connections close once idle, so what their memory maps touched (whole list indexes, for
// the tab counts) stops counting in the app's memory; the counts have connections of their own.
func TestIdleReadConnectionsClose(t *testing.T) {
	defer func(d, w time.Duration) { idleConnLife, walkConnLife = d, w }(idleConnLife, walkConnLife)
	idleConnLife, walkConnLife = 200*time.Millisecond, 200*time.Millisecond
	f := fixture(t)
	ctx := context.Background()
	counts, err := f.s.TabCounts(ctx, core.ListQuery{}, fxMe, fxNow)
	if err != nil || counts.All == 0 {
		t.Fatalf("counts %+v, %v", counts, err)
	}
	if _, err := f.s.ListPeople(ctx, core.ListQuery{Tab: core.TabAll}, fxMe, fxNow); err != nil {
		t.Fatal(err)
	}
	if n := f.s.scan.Stats().OpenConnections; n == 0 {
		t.Fatal("the counts did not run on the scan connections")
	}
	if n := f.s.list.Stats().OpenConnections; n == 0 {
		t.Fatal("the list page did not run on the list connections")
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.s.scan.Stats().OpenConnections+f.s.list.Stats().OpenConnections+f.s.read.Stats().OpenConnections > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("idle connections still open: scan %d, list %d, read %d", f.s.scan.Stats().OpenConnections,
				f.s.list.Stats().OpenConnections, f.s.read.Stats().OpenConnections)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// And the next query simply opens one again.
	if again, err := f.s.TabCounts(ctx, core.ListQuery{}, fxMe, fxNow); err != nil || again != counts {
		t.Fatalf("counts after idle %+v, %v", again, err)
	}
}

// Point reads (history, card, settings) go through read(2) into a small page cache, so what they
// touch is not kept mapped in the app; the people list's walks and the counts keep the map.
func TestPoolsMapTheFileOnlyForIndexWalks(t *testing.T) {
	f := fixture(t)
	for _, c := range []struct {
		name string
		db   interface {
			Get(any, string, ...any) error
		}
		mapped    bool
		cacheSize int64
	}{
		{"read", f.s.read, false, -2048},
		{"list", f.s.list, true, -16384},
		{"scan", f.s.scan, true, -16384},
		{"write", f.s.write, true, -16384},
	} {
		var mmap, cache int64
		if err := c.db.Get(&mmap, `PRAGMA mmap_size`); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := c.db.Get(&cache, `PRAGMA cache_size`); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if (mmap > 0) != c.mapped || cache != c.cacheSize {
			t.Errorf("%s pool: mmap_size %d, cache_size %d; want mapped %v, %d", c.name, mmap, cache, c.mapped, c.cacheSize)
		}
	}
}
