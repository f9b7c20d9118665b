package store

import (
	"bufio"
	"bytes"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
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
	readThroughWriter(t, f.s)
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
	readThroughWriter(t, f.s)
	// (as large as a fresh connection's: SQLite caps the 2 GB asked for a little below it)
	var size, fresh int64
	if err := f.s.write.Get(&size, `PRAGMA mmap_size`); err != nil {
		t.Fatal(err)
	}
	if err := f.s.list.Get(&fresh, `PRAGMA mmap_size`); err != nil || size != fresh || size == 0 {
		t.Fatalf("writer's mmap_size after the release %d, a fresh connection's %d (%v)", size, fresh, err)
	}
}

// handClock runs the writer unmapper's timer (newStillTimer) on a time the test moves, so a
// test can say "not before" of the unmap without racing a clock.
type handClock struct {
	mu    sync.Mutex
	now   time.Duration
	timer *handTimer // the last one started
}

type handTimer struct {
	clock *handClock
	c     chan time.Time
	armed bool
	due   time.Duration
}

// useHandClock makes the stores opened from now on in this test time their unmaps by hand.
func useHandClock(t *testing.T) *handClock {
	clock := &handClock{}
	was := newStillTimer
	newStillTimer = func(d time.Duration) stillTimer {
		clock.mu.Lock()
		defer clock.mu.Unlock()
		clock.timer = &handTimer{clock: clock, c: make(chan time.Time, 1), armed: true, due: clock.now + d}
		return clock.timer
	}
	t.Cleanup(func() { newStillTimer = was })
	return clock
}

func (t *handTimer) C() <-chan time.Time { return t.c }

// Reset and Stop drop a tick not yet received, as time.Timer does since Go 1.23.
func (t *handTimer) Reset(d time.Duration) {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	select {
	case <-t.c:
	default:
	}
	t.armed, t.due = true, t.clock.now+d
}

func (t *handTimer) Stop() {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	select {
	case <-t.c:
	default:
	}
	t.armed = false
}

// advance moves the time on by d and says whether the timer fired.
func (c *handClock) advance(d time.Duration) (fired bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now += d
	if t := c.timer; t != nil && t.armed && t.due <= c.now {
		t.armed = false
		t.c <- time.Time{}
		return true
	}
	return false
}

// armedFor says whether the timer waits, and how long from now.
func (c *handClock) armedFor() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.timer.due - c.now, c.timer.armed
}

// eventually polls cond until it holds, failing after 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: %s", what)
		}
	}
}

// signalsTaken says whether every commit signal sent so far has been received (the unmapper's
// among them), so the next one a test sees is its own.
func signalsTaken(s *Store) bool {
	s.subMu.Lock()
	defer s.subMu.Unlock()
	for c := range s.subs {
		if len(c) > 0 {
			return false
		}
	}
	return true
}

// A commit moves the unmap to writerMapLife after it: at the time the unmap was due before the
// commit the map is still there, and it goes writerMapLife after the commit.
func TestWriterCommitPostponesTheUnmap(t *testing.T) {
	clock := useHandClock(t)
	f := fixture(t)
	life := writerMapLife
	eventually(t, "the fixture's commit signals are still unread", func() bool { return signalsTaken(f.s) })
	if left, armed := clock.armedFor(); !armed || left > life {
		t.Fatalf("the unmap is due in %v (armed %v), want within %v", left, armed, life)
	}
	readThroughWriter(t, f.s)
	// A commit shortly before the unmap was due.
	left, _ := clock.armedFor()
	if clock.advance(left - 100*time.Millisecond) {
		t.Fatal("the timer fired before it was due")
	}
	if err := f.s.SetSetting(t.Context(), "memory_test", "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the commit did not put the unmap off to writerMapLife after it", func() bool {
		left, armed := clock.armedFor()
		return armed && left == life
	})
	if clock.advance(100 * time.Millisecond) {
		t.Fatal("the unmap came when it was due before the commit")
	}
	if kb := mappedKB(t, f.s.Path()); kb == 0 {
		t.Fatal("the map went before its time")
	}
	if !clock.advance(life - 100*time.Millisecond) {
		t.Fatal("no unmap writerMapLife after the commit")
	}
	eventually(t, "the database is still mapped after the unmap", func() bool { return mappedKB(t, f.s.Path()) == 0 })
}

// Closing the store while an unmap waits ends the unmapper before the writer closes: Close
// reports nothing, nothing of the file stays mapped, the unmapper logs no failure, and its
// timer firing afterwards reaches nobody.
func TestWriterCloseWithAPendingUnmapIsClean(t *testing.T) {
	var logged bytes.Buffer
	was := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn})))
	defer slog.SetDefault(was)
	clock := useHandClock(t)
	f := fixture(t)
	readThroughWriter(t, f.s)
	if err := f.s.SetSetting(t.Context(), "memory_test", "1"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the commit signal is unread", func() bool { return signalsTaken(f.s) })
	if _, armed := clock.armedFor(); !armed {
		t.Fatal("no unmap waits")
	}
	if err := f.s.Close(); err != nil {
		t.Fatalf("Close with an unmap pending: %v", err)
	}
	select {
	case <-f.s.unmap.done:
	default:
		t.Fatal("the unmapper still runs after Close")
	}
	if _, armed := clock.armedFor(); armed {
		t.Fatal("the unmapper's timer still runs after Close")
	}
	if kb := mappedKB(t, f.s.Path()); kb != 0 {
		t.Fatalf("%d kB of the database mapped after Close", kb)
	}
	if clock.advance(writerMapLife) {
		t.Fatal("the unmapper's timer fired after Close")
	}
	if err := f.s.Close(); err != nil { // as the test's cleanup will again
		t.Fatalf("a second Close: %v", err)
	}
	if logged.Len() > 0 {
		t.Fatalf("the unmapper logged: %s", logged.String())
	}
}

// readThroughWriter puts every page into the database file (pages in the WAL are read with
// read(2), not through the map), then reads a whole table through the writer's connection,
// and requires that to have mapped part of the file.
func readThroughWriter(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.write.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.write.Get(&n, `SELECT COUNT(*) FROM messages WHERE text <> ''`); err != nil || n == 0 {
		t.Fatalf("messages %d, %v", n, err)
	}
	if kb := mappedKB(t, s.Path()); kb == 0 {
		t.Fatal("the writer's read left nothing mapped: the test cannot see a release")
	}
}
