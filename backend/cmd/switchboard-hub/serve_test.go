package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/store"
)

// buildHub compiles this command once per test run (go build caches the work).
func buildHub(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "switchboard-hub")
	cmd := exec.Command("go", "build", "-tags", "fts5", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer collects a child's stderr while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func hubCmd(bin string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	// No session bus: the hub must use env/0600 files and never try to start a bus daemon.
	cmd.Env = append([]string{"HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

func countMessages(t *testing.T, dataDir string) (total, distinct int) {
	t.Helper()
	st, err := store.OpenDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(s.Messages), int(s.People)
}

// TestServeSurvivesKill9MidIngestion runs the real hub binary against a fake Bot API holding
// a 5,000-update backlog, kills it with SIGKILL mid-ingestion several times, restarts it, and
// checks that every update is stored exactly once and the backlog is acknowledged upstream.
func TestServeSurvivesKill9MidIngestion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	const users, perUser = 50, 100
	want := map[string]bool{}
	for i := 0; i < perUser; i++ {
		for u := 1; u <= users; u++ {
			text := fmt.Sprintf("u%d message %d <script>alert(%d)</script>", u, i, i)
			fake.PushText(int64(1000+u), fmt.Sprintf("Client %d", u), text)
			want[text] = true
		}
	}
	data := t.TempDir()
	tokenEnv := "SB_TEST_TG_TOKEN=" + fake.Token()
	add := hubCmd(bin, []string{tokenEnv}, "channel", "add", "telegram", "--token-env", "SB_TEST_TG_TOKEN",
		"--api-url", fake.URL(), "--data", data, "--tokens", "file")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v\n%s", err, out)
	}
	tokFile := filepath.Join(data, "tokens", "channel-1.token")
	if st, err := os.Stat(tokFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", st, err)
	}

	serve := func() (*exec.Cmd, *syncBuffer) {
		cmd := hubCmd(bin, nil, "serve", "--data", data, "--tokens", "file", "--telegram-api", fake.URL())
		logs := &syncBuffer{}
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, logs
	}
	var allLogs strings.Builder
	kills := 0
	pauses := []time.Duration{0, 3 * time.Millisecond, 9 * time.Millisecond, 17 * time.Millisecond, 31 * time.Millisecond}
	for round := range pauses {
		before := len(fake.CallsTo("getUpdates"))
		cmd, logs := serve()
		// Kill after a few polls: the hub is then in the middle of the backlog, at a point
		// that is random relative to its commits.
		deadline := time.Now().Add(20 * time.Second)
		for len(fake.CallsTo("getUpdates")) < before+3+round*3 && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(pauses[round])
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		allLogs.WriteString(logs.String())
		kills++
		stored, _ := countMessages(t, data)
		t.Logf("round %d: killed with %d of %d stored, %d pending upstream", round, stored, users*perUser, fake.Pending())
		// getUpdates returns 100 at a time while the backlog lasts, and a batch commits whole
		// or not at all: a kill can never leave part of one.
		if stored%100 != 0 {
			t.Fatalf("a partial batch was stored: %d messages", stored)
		}
	}
	if kills == 0 {
		t.Fatal("never killed")
	}

	// The last run drains the backlog and stops gracefully on SIGTERM. It must have polled at
	// least once before the signal: the last kill may already have found everything stored,
	// and a SIGTERM before serve installs its handler would kill it like any other process.
	polls := len(fake.CallsTo("getUpdates"))
	cmd, logs := serve()
	deadline := time.Now().Add(60 * time.Second)
	for (fake.Pending() > 0 || len(fake.CallsTo("getUpdates")) == polls) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if p := fake.Pending(); p > 0 {
		// Pending counts stored-but-unacknowledged updates too; the acknowledgement of the
		// last batch rides on the next getUpdates, so give it one more poll.
		t.Fatalf("%d updates still pending upstream\n%s", p, logs.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("serve did not stop within 10 s of SIGTERM\n%s", logs.String())
	}
	allLogs.WriteString(logs.String())
	if strings.Contains(allLogs.String(), fake.Token()) {
		t.Fatal("the token appeared in the hub's logs")
	}

	st, err := store.OpenDir(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	got := map[string]int{}
	for u := 1; u <= users; u++ {
		c, err := st.ChatByExternal(ctx, 1, fmt.Sprint(1000+u))
		if err != nil {
			t.Fatal(err)
		}
		before := int64(0)
		for {
			page, err := st.History(ctx, core.HistoryQuery{ChatID: c.ID, Before: before, Limit: core.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range page.Messages {
				got[m.Text]++
			}
			if !page.HasMore || len(page.Messages) == 0 {
				break
			}
			before = page.Messages[0].ID
		}
	}
	if len(got) != len(want) {
		t.Fatalf("stored %d distinct texts, want %d", len(got), len(want))
	}
	for text, n := range got {
		if !want[text] || n != 1 {
			t.Fatalf("%q stored %d times (expected: %v)", text, n, want[text])
		}
	}
	s, _ := st.Stats(ctx)
	if s.Messages != users*perUser || s.People != users || s.Chats != users {
		t.Fatalf("stats after recovery: %+v", s)
	}
	ch, _ := st.Channel(ctx, 1)
	if ch.Cursor == "" {
		t.Fatal("no cursor stored")
	}
}

// TestHubChannelCommandsAndHistory covers channel add/list/remove and history output.
func TestHubChannelCommandsAndHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	data := t.TempDir()

	// serve runs from the start with no channel; it picks up the one added below by itself.
	cmd := hubCmd(bin, nil, "serve", "--data", data, "--tokens", "file", "--telegram-api", fake.URL(), "--sync", "100ms")
	logs := &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// Let serve create the database first: two processes migrating a brand-new file at the
	// same moment is a race in store.Open's migration runner (reported to its owner).
	for start := time.Now(); !strings.Contains(logs.String(), "msg=serve"); {
		if time.Since(start) > 20*time.Second {
			t.Fatalf("serve did not start\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A token file others can read is refused, and so is a wrong token: nothing is stored.
	loose := filepath.Join(t.TempDir(), "token")
	os.WriteFile(loose, []byte(fake.Token()), 0o644)
	out, err := hubCmd(bin, nil, "channel", "add", "telegram", "--token-file", loose, "--api-url", fake.URL(), "--data", data, "--tokens", "file").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "chmod 600") {
		t.Fatalf("0644 token file: %v %s", err, out)
	}
	out, err = hubCmd(bin, []string{"BAD=1:nope"}, "channel", "add", "telegram", "--token-env", "BAD", "--api-url", fake.URL(), "--data", data, "--tokens", "file").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Unauthorized") {
		t.Fatalf("bad token: %v %s", err, out)
	}
	os.Chmod(loose, 0o600)
	out, err = hubCmd(bin, nil, "channel", "add", "telegram", "--token-file", loose, "--api-url", fake.URL(), "--data", data, "--tokens", "file").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "added channel 1") {
		t.Fatalf("add: %v %s", err, out)
	}
	out, err = hubCmd(bin, nil, "channel", "list", "--data", data, "--tokens", "file").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "telegram") || !strings.Contains(string(out), "present") {
		t.Fatalf("list: %v %s", err, out)
	}
	if strings.Contains(string(out), fake.Token()) {
		t.Fatal("list printed the token")
	}

	// Serve ingests a conversation; history prints it safely.
	fake.PushText(42, "Mallory", "/start")
	fake.PushText(42, "Mallory", "hi \x1b[31mred\x1b[0m\nsecond line")
	deadline := time.Now().Add(20 * time.Second)
	for (fake.Pending() > 0 || len(fake.CallsTo("getUpdates")) < 2) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if fake.Pending() > 0 {
		t.Fatalf("the running serve did not pick up the new channel\n%s", logs.String())
	}
	st, err := store.OpenDir(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.ChatByExternal(context.Background(), 1, "42")
	st.Close()
	if err != nil {
		t.Fatalf("chat not ingested: %v\n%s", err, logs.String())
	}
	out, err = hubCmd(bin, nil, "history", "--data", data, "--chat", fmt.Sprint(c.ID)).CombinedOutput()
	if err != nil {
		t.Fatalf("history: %v %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "[subscription]") || !strings.Contains(lines[1], "client Mallory: /start") {
		t.Fatalf("history:\n%s", out)
	}
	if strings.Contains(string(out), "\x1b") || !strings.Contains(lines[2], `hi \u001b[31mred\u001b[0m⏎second line`) {
		t.Fatalf("history let control characters through:\n%q", lines[2])
	}

	out, err = hubCmd(bin, nil, "channel", "remove", "1", "--data", data, "--tokens", "file").CombinedOutput()
	if err != nil {
		t.Fatalf("remove: %v %s", err, out)
	}
	if _, err := os.Stat(filepath.Join(data, "tokens", "channel-1.token")); !os.IsNotExist(err) {
		t.Fatal("token file kept after remove")
	}
	// The running serve lets go of the removed channel, then stops cleanly on SIGTERM.
	for start := time.Now(); !strings.Contains(logs.String(), "state=stopped"); {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("serve kept polling a removed channel\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, logs.String())
	}
	if strings.Contains(logs.String(), fake.Token()) {
		t.Fatal("token in serve's logs")
	}
}
