package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/store"
	"switchboard/backend/store/testpg"
)

// TestServeOnPostgresSurvivesKill9 is the kill -9 test with the hub's store in PostgreSQL
// (serve --db): a channel added with --db, a backlog ingested by the real binary killed
// mid-way twice, and every update stored exactly once, its events in the log in order.
func TestServeOnPostgresSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	dsn := testpg.DSN(t)
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	const users, perUser = 20, 50
	want := map[string]bool{}
	for i := range perUser {
		for u := 1; u <= users; u++ {
			text := fmt.Sprintf("u%d message %d", u, i)
			fake.PushText(int64(1000+u), fmt.Sprintf("Client %d", u), text)
			want[text] = true
		}
	}
	data := t.TempDir()
	tokenEnv := "SB_TEST_TG_TOKEN=" + fake.Token()
	add := hubCmd(bin, []string{tokenEnv}, "channel", "add", "telegram", "--token-env", "SB_TEST_TG_TOKEN",
		"--api-url", fake.URL(), "--data", data, "--tokens", "file", "--db", dsn)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v\n%s", err, out)
	}
	serve := func() (*exec.Cmd, *syncBuffer) {
		cmd := hubCmd(bin, nil, "serve", "--data", data, "--tokens", "file", "--telegram-api", fake.URL(), "--db", dsn)
		logs := &syncBuffer{}
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, logs
	}
	for round := range 2 {
		before := len(fake.CallsTo("getUpdates"))
		cmd, logs := serve()
		deadline := time.Now().Add(30 * time.Second)
		for len(fake.CallsTo("getUpdates")) < before+2+round*2 && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("round %d killed; pending upstream %d\n%s", round, fake.Pending(), lastLines(logs.String(), 3))
	}
	polls := len(fake.CallsTo("getUpdates"))
	cmd, logs := serve()
	deadline := time.Now().Add(60 * time.Second)
	for (fake.Pending() > 0 || len(fake.CallsTo("getUpdates")) == polls) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if p := fake.Pending(); p > 0 {
		cmd.Process.Kill()
		t.Fatalf("%d updates still pending upstream\n%s", p, logs.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "postgres=true") {
		t.Fatalf("serve did not say it runs on PostgreSQL:\n%s", logs.String())
	}

	ctx := context.Background()
	st, err := store.OpenPostgres(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := map[string]int{}
	for u := 1; u <= users; u++ {
		c, err := st.ChatByExternal(ctx, 1, fmt.Sprint(1000+u))
		if err != nil {
			t.Fatal(err)
		}
		page, err := st.History(ctx, core.HistoryQuery{ChatID: c.ID, Limit: core.MaxPageSize})
		if err != nil || page.HasMore {
			t.Fatalf("history of chat %d: more %v, %v", c.ID, page.HasMore, err)
		}
		for _, m := range page.Messages {
			got[m.Text]++
		}
	}
	if len(got) != len(want) {
		t.Fatalf("stored %d distinct texts, want %d", len(got), len(want))
	}
	for text, n := range got {
		if n != 1 || !want[text] {
			t.Fatalf("%q stored %d times", text, n)
		}
	}
	evs, err := st.EventsAfter(ctx, 0, 10*users*perUser)
	if err != nil {
		t.Fatal(err)
	}
	newMessages := 0
	for i, e := range evs {
		if i > 0 && e.Seq <= evs[i-1].Seq {
			t.Fatalf("event log out of order at %d", e.Seq)
		}
		if e.Kind == core.EventMessageNew {
			newMessages++
		}
	}
	if newMessages != users*perUser {
		t.Fatalf("%d message.new events for %d messages", newMessages, users*perUser)
	}
	// The read-only tools read the same database.
	out, err := hubCmd(bin, nil, "stats", "--data", data, "--db", dsn).CombinedOutput()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("messages\t%d\n", users*perUser)) {
		t.Fatalf("stats --db: %v\n%s", err, out)
	}
	out, err = hubCmd(bin, nil, "history", "--data", data, "--db", dsn, "--chat", "1", "--limit", "3").CombinedOutput()
	if err != nil || !strings.Contains(string(out), fmt.Sprintf("message %d", perUser-1)) {
		t.Fatalf("history --db: %v\n%s", err, out)
	}
}

// TestTwoServeInstancesOnOnePostgres runs two hub instances on one database and one bot: only
// one polls it (the other holds back while the first lives), and when the polling one is killed
// the other takes the bot over at its next channel sync and ingests the rest of the backlog;
// every update is stored once.
func TestTwoServeInstancesOnOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	dsn := testpg.DSN(t)
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	const first, second = 40, 60
	for i := range first {
		fake.PushText(1001, "Client", fmt.Sprintf("before %d", i))
	}
	tokenEnv := "SB_TEST_TG_TOKEN=" + fake.Token()
	dataA, dataB := t.TempDir(), t.TempDir()
	add := hubCmd(bin, []string{tokenEnv}, "channel", "add", "telegram", "--token-env", "SB_TEST_TG_TOKEN",
		"--api-url", fake.URL(), "--data", dataA, "--tokens", "file", "--db", dsn)
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v\n%s", err, out)
	}
	serve := func(data string) (*exec.Cmd, *syncBuffer) {
		// The token comes from the environment in both instances (each has its own data
		// directory, as on two machines).
		cmd := hubCmd(bin, []string{"SWITCHBOARD_TOKEN_1=" + fake.Token()}, "serve", "--data", data, "--tokens", "file",
			"--telegram-api", fake.URL(), "--db", dsn, "--sync", "300ms")
		logs := &syncBuffer{}
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, logs
	}
	polling := func(logs *syncBuffer) bool { return strings.Contains(logs.String(), "state=polling") }
	a, logsA := serve(dataA)
	waitFor(t, 30*time.Second, func() bool { return polling(logsA) && fake.Pending() == 0 }, "a polls the bot and drains it")
	b, logsB := serve(dataB)
	defer func() { b.Process.Kill(); b.Wait() }()
	waitFor(t, 30*time.Second, func() bool { return strings.Contains(logsB.String(), "msg=serve") }, "b starts")
	time.Sleep(time.Second) // several of b's channel syncs
	if polling(logsB) {
		t.Fatalf("b polls the bot while a does:\n%s", logsB.String())
	}
	a.Process.Signal(syscall.SIGKILL)
	a.Wait()
	for i := range second {
		fake.PushText(1001, "Client", fmt.Sprintf("after %d", i))
	}
	waitFor(t, 30*time.Second, func() bool { return polling(logsB) && fake.Pending() == 0 }, "b takes the bot over and drains it")

	ctx := context.Background()
	st, err := store.OpenPostgres(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.ChatByExternal(ctx, 1, "1001")
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.History(ctx, core.HistoryQuery{ChatID: c.ID, Limit: core.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range page.Messages {
		if seen[m.Text] {
			t.Fatalf("%q stored twice", m.Text)
		}
		seen[m.Text] = true
	}
	if len(seen) != first+second {
		t.Fatalf("stored %d messages, want %d", len(seen), first+second)
	}
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
