package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/backend/store"
)

func TestDemoRefusesAFilledStoreUnlessForced(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--data", dir, "--people", "50", "--messages", "400", "--seed", "2"}
	if err := runDemo(args); err != nil {
		t.Fatal(err)
	}
	err := runDemo(args)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second demo without --force: %v", err)
	}
	if err := runDemo(append([]string{"--force"}, "--data", dir, "--people", "60", "--messages", "500")); err != nil {
		t.Fatalf("with --force: %v", err)
	}
	st, err := store.Open(filepath.Join(dir, store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil || s.People != 60 || s.Messages != 500 || s.Channels != 2 {
		t.Errorf("after --force: %+v, %v", s, err)
	}
	if err := runStats([]string{"--data", dir}); err != nil {
		t.Errorf("stats: %v", err)
	}
	if err := runStats([]string{"--data", t.TempDir()}); err == nil {
		t.Error("stats of an empty dir succeeded")
	}
}
