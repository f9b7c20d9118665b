package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/store"
)

var replicaSeq = regexp.MustCompile(`msg="replica status" state=(\w+) pending=(\d+) seq=(\d+)`)

// replicaProgress is the newest status a headless replica logged: its state, how many writes
// wait, and its feed cursor.
func replicaProgress(logs string) (state string, pending, seq int64) {
	all := replicaSeq.FindAllStringSubmatch(logs, -1)
	if len(all) == 0 {
		return "", -1, 0
	}
	last := all[len(all)-1]
	pending, _ = strconv.ParseInt(last[2], 10, 64)
	seq, _ = strconv.ParseInt(last[3], 10, 64)
	return last[1], pending, seq
}

// TestServeKill9DuringReplicaCatchUpLosesNothing runs the real binaries: a hub and a headless
// replica. The replica is stopped while 3,000 client messages arrive and 20 replies are queued
// in its data directory; started again, it catches up, and the hub is killed with SIGKILL
// three times while it does (each time once its cursor has moved but not reached the end),
// then restarted on the same data. Afterwards the replica holds exactly the hub's messages (no
// gap, no duplicate, no local copy left) and each queued reply reached Telegram once (a reply
// the hub was killed while sending is told not_confirmed and reached it at most once).
func TestServeKill9DuringReplicaCatchUpLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	fake.PushText(7001, "Client 1", "first")
	dir := t.TempDir()
	hubDir, vera := filepath.Join(dir, "hub"), filepath.Join(dir, "vera")
	addFakeTelegram(t, bin, fake, hubDir)
	pw := filepath.Join(dir, "vera.password")
	cred := filepath.Join(dir, "vera.cred")
	os.WriteFile(pw, []byte("vera-password-1\n"), 0o600)
	os.WriteFile(cred, []byte("vera@example.com\nvera-password-1\n"), 0o600)
	if out, err := runHub(t, bin, "", "user", "add", "--data", hubDir, "--email", "vera@example.com", "--name", "Vera",
		"--role", "manager", "--password-file", pw); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	addr := freeLoopbackAddr(t)
	serve := func() *servedHub {
		return startServe(t, bin, "--data", hubDir, "--tokens", "file", "--telegram-api", fake.URL(), "--listen", addr)
	}
	replica := func() *servedHub {
		cmd := hubCmd(bin, nil, "replica", "--hub", "http://"+addr, "--data", vera, "--credentials", cred)
		logs := &syncBuffer{}
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return &servedHub{cmd: cmd, logs: logs}
	}
	eventually := func(what string, within time.Duration, cond func() bool, logs ...*servedHub) {
		t.Helper()
		for deadline := time.Now().Add(within); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				var all strings.Builder
				for _, l := range logs {
					all.WriteString(l.logs.String())
				}
				t.Fatalf("timed out waiting for %s\n%s", what, all.String())
			}
		}
	}

	h := serve()
	r := replica()
	eventually("the replica's first snapshot", 30*time.Second, func() bool {
		state, _, seq := replicaProgress(r.logs.String())
		return state == "online" && seq > 0
	}, r)
	_, _, from := replicaProgress(r.logs.String())
	r.stop(t)

	const inbound, replies = 3000, 20
	for i := 0; i < inbound; i++ {
		fake.PushText(int64(8000+i%30), fmt.Sprintf("Client %d", i%30), fmt.Sprintf("while away %d", i))
	}
	for i := 0; i < replies; i++ {
		if out, err := runHub(t, bin, "", "send", "--data", vera, "--chat", "1", "--text", fmt.Sprintf("queued reply %d", i)); err != nil {
			t.Fatalf("send: %v\n%s", err, out)
		}
	}
	eventually("the hub to take every message", 120*time.Second, func() bool { return fake.Pending() == 0 }, h)
	hubSt, err := store.OpenDir(hubDir) // a reader beside the hub (WAL), across its restarts
	if err != nil {
		t.Fatal(err)
	}
	defer hubSt.Close()
	ctx := context.Background()
	eventually("the hub to store every message", 60*time.Second, func() bool {
		s, _ := hubSt.Stats(ctx)
		return s.Messages == inbound+1
	}, h)
	target, _ := hubSt.LastSeq(ctx)

	// Catch-up with kills: each once the cursor has moved past where the last one left it.
	r = replica()
	kills := 0
	for kills < 3 {
		var seq int64
		eventually("the replica's cursor to move", 60*time.Second, func() bool {
			_, _, seq = replicaProgress(r.logs.String())
			return seq > from
		}, r, h)
		if seq >= target {
			break // caught up before this kill: the kills so far count
		}
		h.kill9()
		kills++
		t.Logf("kill %d: the replica's cursor at %d of %d", kills, seq, target)
		from = seq
		time.Sleep(50 * time.Millisecond) // the replica meets a hub that is gone
		h = serve()
	}
	if kills == 0 {
		t.Fatal("the replica caught up before the hub could be killed once: the test proves nothing")
	}
	eventually("the replica to catch up and deliver its replies", 120*time.Second, func() bool {
		state, pending, seq := replicaProgress(r.logs.String())
		last, _ := hubSt.LastSeq(ctx)
		return state == "online" && pending == 0 && seq == last && fake.Pending() == 0
	}, r, h)
	// The replies' final state has its own events: the replica follows them too.
	var replyStates []string
	var final, unconfirmed int
	started := time.Now()
	eventually("the hub to record the replies sent and the replica to follow", 30*time.Second, func() bool {
		ms, _, _ := hubSt.HistoryRows(ctx, 1, 0, 4*replies) // chat 1: the first client's, where the replies go
		final, unconfirmed = 0, 0
		replyStates = replyStates[:0]
		for _, m := range ms {
			if strings.HasPrefix(m.Text, "queued reply ") {
				replyStates = append(replyStates, fmt.Sprintf("%d %q %s %s", m.ID, m.Text, m.Status, m.Error))
				// A kill while the hub sent it: the hub cannot know whether Telegram has it, and
				// says so (not_confirmed) rather than sending twice; Telegram's count is checked below.
				if m.Status == string(core.StatusSent) || m.Error == core.FailNotConfirmed {
					final++
				}
				if m.Error == core.FailNotConfirmed {
					unconfirmed++
				}
			}
		}
		_, _, seq := replicaProgress(r.logs.String())
		last, _ := hubSt.LastSeq(ctx)
		if final == replies && seq == last {
			return true
		}
		if time.Now().After(started.Add(25 * time.Second)) {
			t.Logf("replies at the hub: %v; the replica at %d of %d", replyStates, seq, last)
		}
		return false
	}, r, h)
	r.stop(t)
	h.stop(t)

	// A reply the hub holds as sent reached Telegram once; one it calls not_confirmed at most once.
	hubRows := allMessageRows(t, hubSt)
	for i := 0; i < replies; i++ {
		text, n := fmt.Sprintf("queued reply %d", i), 0
		for _, m := range fake.Messages(7001) {
			if m.Text == text {
				n++
			}
		}
		for _, m := range hubRows {
			if m.Text == text && (n > 1 || (n == 0 && m.Error != core.FailNotConfirmed)) {
				t.Errorf("queued reply %d (%s %s at the hub) reached Telegram %d times", i, m.Status, m.Error, n)
			}
		}
	}
	replicaSt, err := store.OpenDir(vera)
	if err != nil {
		t.Fatal(err)
	}
	defer replicaSt.Close()
	want, got := hubRows, allMessageRows(t, replicaSt)
	if len(want) != inbound+1+replies {
		t.Fatalf("the hub holds %d messages, want %d", len(want), inbound+1+replies)
	}
	seen := map[int64]bool{}
	for _, m := range got {
		if seen[m.ID] || m.ID < 0 {
			t.Fatalf("the replica holds %+v twice or as a local copy", m)
		}
		seen[m.ID] = true
		if w, ok := want[m.ID]; !ok || w.Text != m.Text || w.Status != m.Status || w.MutationKey != m.MutationKey {
			t.Fatalf("the replica's message %+v, the hub's %+v", m, w)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the replica holds %d messages, the hub %d", len(got), len(want))
	}
	t.Logf("%d messages and %d replies through %d kills during the catch-up: the replica equals the hub (%d replies interrupted mid-send, told not_confirmed, none sent twice)",
		inbound+1, replies, kills, unconfirmed)
	if strings.Contains(h.logs.String()+r.logs.String(), "vera-password-1") {
		t.Fatal("the password appeared in the logs")
	}
}

// addFakeTelegram adds the fake's bot as a channel of the hub in data (its token in a 0600 file).
func addFakeTelegram(t *testing.T, bin string, fake *fakeapi.Telegram, data string) {
	t.Helper()
	if out, err := hubCmd(bin, []string{"SB_TEST_TG_TOKEN=" + fake.Token()}, "channel", "add", "telegram", "--token-env", "SB_TEST_TG_TOKEN",
		"--api-url", fake.URL(), "--data", data, "--tokens", "file").CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v\n%s", err, out)
	}
}

// allMessageRows reads every message of a store by id.
func allMessageRows(t *testing.T, st *store.Store) map[int64]core.MessageRow {
	t.Helper()
	rs, _, err := st.SnapshotPage(context.Background(), 0, 1_000_000, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]core.MessageRow{}
	for _, m := range rs.Messages {
		out[m.ID] = m
	}
	if len(out) != len(rs.Messages) {
		t.Fatalf("%d messages, %d distinct ids", len(rs.Messages), len(out))
	}
	return out
}
