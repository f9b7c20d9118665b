package store

import (
	"path/filepath"
	"testing"
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
