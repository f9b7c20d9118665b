package app

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/store"
)

// The C heap is trimmed once after the store goes still, not while commits keep coming, not
// again while the app stays idle, and once more after the next burst.
func TestTrimWhenStillOncePerStillPeriod(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	changes, release := st.Subscribe()
	defer release()
	const stillFor = 600 * time.Millisecond
	var trims atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		trimWhenStill(ctx, changes, stillFor, func() { trims.Add(1) })
	}()
	defer func() { cancel(); <-done }()

	// A chat opened every 100 ms for a second, far less than stillFor apart: each commit moves the moment on.
	for i := 0; i < 10; i++ {
		time.Sleep(stillFor / 6)
		if err := st.SetSetting(context.Background(), "last_chat", string(rune('0'+i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := trims.Load(); n > 1 { // the start's own still period may have passed before the first commit
		t.Fatalf("%d trims while commits kept coming", n)
	}
	before := trims.Load()
	time.Sleep(stillFor * 4)
	if n := trims.Load() - before; n != 1 {
		t.Fatalf("%d trims in the still period after the commits, want 1", n)
	}
	// Idle: nothing more.
	time.Sleep(stillFor * 3)
	if n := trims.Load() - before; n != 1 {
		t.Fatalf("%d trims after a long idle, want still 1", n)
	}
	// The next commit starts a new still period: one more trim.
	if err := st.SetSetting(context.Background(), "last_chat", "x"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(stillFor * 3)
	if n := trims.Load() - before; n != 2 {
		t.Fatalf("%d trims after the next commit's still period, want 2", n)
	}
}
