package store

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mappedKB is how much of the file at path this process has resident through memory maps
// (/proc/self/smaps: the Rss of every mapping of it).
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && fields[5] == path
			continue
		}
		if in && len(fields) >= 2 && fields[0] == "Rss:" {
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// The writer never closes, so its memory map would keep every page it read for the session:
// once still for writerMapLife it unmaps the file, and its next read maps it again.
func TestWriterLetsGoOfItsMapWhenStill(t *testing.T) {
	defer func(d time.Duration) { writerMapLife = d }(writerMapLife)
	writerMapLife = 300 * time.Millisecond
	f := fixture(t)
	// Put every page into the database file (pages in the WAL are read with read(2), not
	// through the map), then read a whole table through the writer's connection.
	readThroughWriter := func() {
		t.Helper()
		if _, err := f.s.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := f.s.write.Get(&n, `SELECT COUNT(*) FROM messages WHERE text <> ''`); err != nil || n == 0 {
			t.Fatalf("messages %d, %v", n, err)
		}
	}
	readThroughWriter()
	if kb := mappedKB(t, f.s.Path()); kb == 0 {
		t.Fatal("the writer's read left nothing mapped: the test cannot see a release")
	}
	// A commit moves the timer on; the release comes writerMapLife after the last one.
	if err := f.s.SetSetting(t.Context(), "memory_test", "1"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for mappedKB(t, f.s.Path()) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d kB of the database still mapped %v after the last commit", mappedKB(t, f.s.Path()), 5*time.Second)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The map comes back for the next read, at its full size.
	readThroughWriter()
	// (as large as a fresh connection's: SQLite caps the 2 GB asked for a little below it)
	var size, fresh int64
	if err := f.s.write.Get(&size, `PRAGMA mmap_size`); err != nil {
		t.Fatal(err)
	}
	if err := f.s.list.Get(&fresh, `PRAGMA mmap_size`); err != nil || size != fresh || size == 0 {
		t.Fatalf("writer's mmap_size after the release %d, a fresh connection's %d (%v)", size, fresh, err)
	}
	if kb := mappedKB(t, f.s.Path()); kb == 0 {
		t.Fatal("the writer did not map the file again")
	}
}
