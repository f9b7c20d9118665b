package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A full disk (here the database's size cap, which SQLite reports exactly as a full disk) fails a
// write with ErrDiskFull, commits nothing of it, and the same write succeeds once there is room.
func TestAFullDiskFailsWritesWholeAndLosesNothing(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var size int64
	if err := s.write.GetContext(ctx, &size, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`); err != nil {
		t.Fatal(err)
	}
	if err := s.LimitSize(size); err != nil {
		t.Fatal(err)
	}
	before, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("a saved filter name that takes room ", 4000)
	err = s.SetSetting(ctx, "big", big)
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("a write past the cap: %v, want ErrDiskFull", err)
	}
	if _, ok, _ := s.Setting(ctx, "big"); ok {
		t.Fatal("a failed write left its row")
	}
	if after, _ := s.LastSeq(ctx); after != before {
		t.Fatalf("the event log moved from %d to %d", before, after)
	}
	if err := s.LimitSize(0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(ctx, "big", big); err != nil {
		t.Fatalf("the same write with room: %v", err)
	}
	if v, ok, _ := s.Setting(ctx, "big"); !ok || v != big {
		t.Fatal("the write with room did not keep its value")
	}
}
