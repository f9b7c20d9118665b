package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/hub"
	"switchboard/backend/store"
)

// feedFollower is a desktop's feed client: it follows the hub's feed from its last seq, and
// when the socket drops (the hub was killed) it dials again from that seq until told to stop.
type feedFollower struct {
	url   string // ws://…/api/v1/feed
	token string

	mu       sync.Mutex
	events   []core.Event
	seq      int64
	dials    int
	problems []string
}

func (f *feedFollower) run(ctx context.Context) {
	for ctx.Err() == nil {
		f.mu.Lock()
		from := f.seq
		f.mu.Unlock()
		conn, _, err := websocket.Dial(ctx, fmt.Sprintf("%s?seq=%d", f.url, from), &websocket.DialOptions{
			HTTPHeader: http.Header{"Authorization": {"Bearer " + f.token}},
		})
		if err != nil {
			time.Sleep(10 * time.Millisecond) // the hub is restarting
			continue
		}
		f.mu.Lock()
		f.dials++
		f.mu.Unlock()
		for {
			_, raw, err := conn.Read(ctx)
			if err != nil {
				conn.CloseNow()
				break
			}
			var msg hub.FeedMessage
			if err := json.Unmarshal(raw, &msg); err != nil {
				f.problem("feed message %q: %v", raw, err)
				conn.CloseNow()
				return
			}
			f.mu.Lock()
			for _, e := range msg.Events {
				last := f.seq
				if n := len(f.events); n > 0 {
					last = f.events[n-1].Seq
				}
				if e.Seq <= last {
					f.problems = append(f.problems, fmt.Sprintf("event %d after %d: out of order or again", e.Seq, last))
				}
				f.events = append(f.events, e)
			}
			f.seq = msg.Seq
			f.mu.Unlock()
		}
	}
}

func (f *feedFollower) problem(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.problems = append(f.problems, fmt.Sprintf(format, args...))
}

func (f *feedFollower) messageEvents() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, e := range f.events {
		if e.Kind == core.EventMessageNew {
			n++
		}
	}
	return n
}

// freeLoopbackPort finds a port the restarted hub can listen on again, so the follower's
// address stays the same across restarts.
func freeLoopbackPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

var teamAPIURL = regexp.MustCompile(`msg="team API" url=(http://[^\s]+)`)

// TestServeKill9UnderSteadyStreamKeepsFeedExact kills the real hub binary with SIGKILL several
// times while a steady stream of client messages arrives through the fake Bot API and a desktop
// follows the team feed, restarting it on the same data directory each time. The fake keeps an
// update until a later getUpdates confirms it by offset, and so hands it out again after a kill,
// as Telegram does; the hub confirms only what it has committed. Afterwards every message the
// fake handed out is stored exactly once, and the follower, reconnecting from its last seq after
// each restart, has seen the whole event log exactly once, in order.
func TestServeKill9UnderSteadyStreamKeepsFeedExact(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	data := t.TempDir()
	addFakeTelegram(t, bin, fake, data)
	const email, password = "lead@example.com", "a long enough password for the test"
	user := hubCmd(bin, nil, "user", "add", "--data", data, "--email", email, "--name", "Lead", "--role", "admin", "--password-file", "-")
	user.Stdin = strings.NewReader(password + "\n")
	if out, err := user.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}

	addr := freeLoopbackPort(t)
	var allLogs strings.Builder
	serve := func() (*servedHub, string) {
		h := startServe(t, bin, "--data", data, "--tokens", "file", "--telegram-api", fake.URL(), "--listen", addr)
		return h, teamAPIURL.FindStringSubmatch(h.logs.String())[1]
	}
	proc, base := serve()

	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var signedIn struct {
		Token string `json:"token"`
	}
	json.NewDecoder(resp.Body).Decode(&signedIn)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || signedIn.Token == "" {
		t.Fatalf("login: %s", resp.Status)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	follower := &feedFollower{url: "ws" + strings.TrimPrefix(base, "http") + "/api/v1/feed", token: signedIn.Token}
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		follower.run(ctx)
	}()

	// A steady stream: one client message every 2 ms from 25 clients, until told to stop.
	var pushedMu sync.Mutex
	pushed := map[string]bool{}
	stopPushing := make(chan struct{})
	pushing := make(chan struct{})
	go func() {
		defer close(pushing)
		for i := 0; ; i++ {
			select {
			case <-stopPushing:
				return
			case <-time.After(2 * time.Millisecond):
			}
			text := fmt.Sprintf("steady %d from client %d", i, i%25)
			pushedMu.Lock()
			pushed[text] = true
			pushedMu.Unlock()
			fake.PushText(int64(9000+i%25), fmt.Sprintf("Client %d", i%25), text)
		}
	}()

	// Kill at points unrelated to the hub's commits: after a few polls, then an odd pause.
	pauses := []time.Duration{0, 7 * time.Millisecond, 23 * time.Millisecond, 41 * time.Millisecond}
	for round, pause := range pauses {
		polls := len(fake.CallsTo("getUpdates"))
		for deadline := time.Now().Add(20 * time.Second); len(fake.CallsTo("getUpdates")) < polls+5; {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the hub stopped polling\n%s", round, proc.logs.String())
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(pause)
		proc.kill9()
		allLogs.WriteString(proc.logs.String())
		t.Logf("round %d: killed with %d updates pending upstream, %d message events followed", round, fake.Pending(), follower.messageEvents())
		time.Sleep(20 * time.Millisecond) // the stream goes on while the hub is down
		proc, _ = serve()
	}
	close(stopPushing)
	<-pushing

	// The last run takes the rest; then the follower must have every message event.
	want := len(pushed)
	for deadline := time.Now().Add(60 * time.Second); fake.Pending() > 0 || follower.messageEvents() < want; {
		if time.Now().After(deadline) {
			t.Fatalf("%d updates pending upstream, %d of %d message events followed\n%s", fake.Pending(), follower.messageEvents(), want, proc.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	proc.stop(t)
	allLogs.WriteString(proc.logs.String())
	cancel()
	<-followed
	if strings.Contains(allLogs.String(), fake.Token()) || strings.Contains(allLogs.String(), signedIn.Token) {
		t.Fatal("a token appeared in the hub's logs")
	}

	st, err := store.OpenDir(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var log []core.Event
	for after := int64(0); ; {
		evs, err := st.EventsAfter(context.Background(), after, 10000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		log = append(log, evs...)
		after = evs[len(evs)-1].Seq
	}
	stored := map[string]int{}
	for _, e := range log {
		if e.Kind != core.EventMessageNew {
			continue
		}
		m, err := st.Message(context.Background(), e.MessageID)
		if err != nil {
			t.Fatal(err)
		}
		stored[m.Text]++
	}
	for text := range pushed {
		if stored[text] != 1 {
			t.Errorf("%q stored %d times", text, stored[text])
		}
	}
	if len(stored) != len(pushed) {
		t.Errorf("%d distinct messages stored, %d pushed", len(stored), len(pushed))
	}
	if s, _ := st.Stats(context.Background()); int(s.Messages) != want {
		t.Errorf("%d messages in the store, %d pushed", s.Messages, want)
	}

	follower.mu.Lock()
	defer follower.mu.Unlock()
	for _, p := range follower.problems {
		t.Error(p)
	}
	if follower.dials < len(pauses)+1 {
		t.Errorf("the follower dialled %d times over %d restarts", follower.dials, len(pauses))
	}
	if len(follower.events) != len(log) {
		t.Fatalf("the follower saw %d events, the log holds %d", len(follower.events), len(log))
	}
	for i := range log {
		if follower.events[i] != log[i] {
			t.Fatalf("event %d: the follower saw %+v, the log holds %+v", i, follower.events[i], log[i])
		}
	}
	t.Logf("%d messages through %d kills; the follower saw all %d events once, in order, over %d connections", want, len(pauses), len(log), follower.dials)
}

// startServe starts `serve` with args and waits until its team API listens.
func startServe(t *testing.T, bin string, args ...string) *servedHub {
	t.Helper()
	cmd := hubCmd(bin, nil, append([]string{"serve"}, args...)...)
	logs := &syncBuffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for start := time.Now(); teamAPIURL.FindStringSubmatch(logs.String()) == nil; {
		if time.Since(start) > 20*time.Second {
			cmd.Process.Kill()
			t.Fatalf("serve did not listen\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return &servedHub{cmd: cmd, logs: logs}
}

// servedHub is a running serve and its log.
type servedHub struct {
	cmd  *exec.Cmd
	logs *syncBuffer
}

func (h *servedHub) kill9() {
	h.cmd.Process.Signal(syscall.SIGKILL)
	h.cmd.Wait()
}

// stop ends serve with SIGTERM and requires a clean exit.
func (h *servedHub) stop(t *testing.T) {
	t.Helper()
	h.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- h.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve did not exit cleanly on SIGTERM: %v\n%s", err, h.logs.String())
		}
	case <-time.After(15 * time.Second):
		h.cmd.Process.Kill()
		t.Fatalf("serve did not stop within 15 s of SIGTERM\n%s", h.logs.String())
	}
}
