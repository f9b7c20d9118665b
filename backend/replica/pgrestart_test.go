package replica_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/hubclient"
	"switchboard/backend/replica"
	"switchboard/backend/store/testpg"
	"switchboard/backend/teamwire"
)

// pgCutter is a TCP proxy in front of PostgreSQL that can do to its clients what a PostgreSQL
// restart does: every connection ends at once, and for a moment new ones are refused. The
// shared test cluster itself is never restarted (other tests use it).
type pgCutter struct {
	ln      net.Listener
	to      string
	refuse  atomic.Bool
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	refused atomic.Int32
}

func newPGCutter(t *testing.T, to string) *pgCutter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgCutter{ln: ln, to: to, conns: map[net.Conn]struct{}{}}
	t.Cleanup(func() { ln.Close(); p.closeAll() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			if p.refuse.Load() {
				p.refused.Add(1)
				in.Close() // the server is down: the connection ends before a byte is said
				continue
			}
			out, err := net.Dial("tcp", to)
			if err != nil {
				in.Close()
				continue
			}
			p.mu.Lock()
			p.conns[in], p.conns[out] = struct{}{}, struct{}{}
			p.mu.Unlock()
			go p.pipe(in, out)
			go p.pipe(out, in)
		}
	}()
	return p
}

func (p *pgCutter) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	src.Close()
	dst.Close()
	p.mu.Lock()
	delete(p.conns, src)
	delete(p.conns, dst)
	p.mu.Unlock()
}

func (p *pgCutter) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

// restart cuts every connection and refuses new ones for down, as a PostgreSQL restart does.
func (p *pgCutter) restart(down time.Duration) {
	p.refuse.Store(true)
	p.closeAll()
	time.Sleep(down)
	p.refuse.Store(false)
}

// PostgreSQL restarts twice under a steady load of client messages and replies from a
// desktop: every client message is stored once at the hub and on the desktop, every reply
// reaches Telegram once, the hub polls again after each restart (its poll lock is taken again),
// a call during the outage gets a coded error rather than a hang, and the desktop shows the
// hub's error (offline with it, or writes waiting with it) and ends online with nothing waiting.
func TestPostgresRestartsUnderLoad(t *testing.T) {
	testpg.DSN(t)
	var cutter *pgCutter
	hubPGThrough = func(t *testing.T, dsn string) string {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cutter = newPGCutter(t, u.Host)
		u.Host = cutter.ln.Addr().String()
		return u.String()
	}
	hubOnPostgres = true
	h := startHub(t)
	hubOnPostgres, hubPGThrough = false, nil

	h.fake.PushText(1001, "Ann", "before the restarts")
	d := onlineWith(t, h, "Bob", "before the restarts")
	chat := withText(everything(t, d.st), "before the restarts")[0].ChatID
	bob := signIn(t, h, "Bob")

	// The desktop's status, sampled: it must be seen offline during an outage and online after.
	var statesMu sync.Mutex
	var states []replica.Status
	waitingWith := map[string]bool{} // the codes writes waited with
	stopWatch := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for {
			select {
			case <-stopWatch:
				return
			case <-time.After(20 * time.Millisecond):
			}
			st, _ := d.eng.ReplicaStatus()
			pending, _ := d.st.PendingMutations(t.Context(), 50)
			statesMu.Lock()
			for _, p := range pending {
				if p.LastError != "" {
					waitingWith[p.LastError] = true
				}
			}
			if len(states) == 0 || states[len(states)-1].State != st.State || states[len(states)-1].LastError != st.LastError {
				states = append(states, st)
			}
			statesMu.Unlock()
		}
	}()

	// The load: a client message every 25 ms from three clients, a reply from the desktop
	// every 150 ms, for about six seconds; PostgreSQL restarts at 1.5 s and at 4 s.
	const clientMessages, replies = 240, 40
	var load sync.WaitGroup
	load.Add(2)
	go func() {
		defer load.Done()
		for i := range clientMessages {
			h.fake.PushText(int64(1001+i%3), "Client", fmt.Sprintf("load %d", i))
			time.Sleep(25 * time.Millisecond)
		}
	}()
	sendErrs := make(chan error, replies)
	go func() {
		defer load.Done()
		for i := range replies {
			if _, err := d.eng.Inbox.SendText(t.Context(), chat, fmt.Sprintf("reply %d", i), 0); err != nil {
				sendErrs <- fmt.Errorf("reply %d: %w", i, err)
			}
			time.Sleep(150 * time.Millisecond)
		}
	}()

	type answer struct {
		status int
		code   string
		took   time.Duration
	}
	var during []answer
	for _, at := range []time.Duration{1500 * time.Millisecond, 2500 * time.Millisecond} {
		time.Sleep(at)
		done := make(chan struct{})
		go func() { defer close(done); cutter.restart(1500 * time.Millisecond) }()
		time.Sleep(300 * time.Millisecond)
		// A call while PostgreSQL is down: answered with a code, and in good time.
		started := time.Now()
		status, body := bob.call("POST", teamwire.PathMutations,
			map[string]string{teamwire.IdempotencyHeader: fmt.Sprintf("test-client-01:%d", len(during)+1)},
			fmt.Sprintf(`{"kind":"send_text","chatId":%d,"text":"sent during the outage %d"}`, chat, len(during)))
		var e struct{ Code string }
		json.Unmarshal(body, &e)
		during = append(during, answer{status, e.Code, time.Since(started)})
		<-done
	}
	load.Wait()
	close(sendErrs)
	for err := range sendErrs {
		t.Errorf("the desktop refused a reply: %v", err)
	}
	for i, a := range during {
		t.Logf("call during outage %d: %d %q in %v", i+1, a.status, a.code, a.took.Round(time.Millisecond))
		if a.status < 500 || (a.code != "internal" && a.code != "disk_full") || a.took > 10*time.Second {
			t.Errorf("a call during outage %d: %d %q after %v (want a 5xx with a code, in good time)", i+1, a.status, a.code, a.took)
		}
	}
	if cutter.refused.Load() == 0 {
		t.Fatal("nobody dialled PostgreSQL while it was down: the test proves nothing")
	}

	// Everything arrives once: the hub polls again (its poll lock taken again), delivers every
	// reply, and the desktop follows without gaps.
	arrived := func() string {
		hubRows, deskRows := everything(t, h.st), everything(t, d.st)
		var atHub, onDesk, atTelegram int
		for i := range clientMessages {
			text := fmt.Sprintf("load %d", i)
			atHub += min(1, len(withText(hubRows, text)))
			onDesk += min(1, len(withText(deskRows, text)))
		}
		for i := range replies {
			atTelegram += min(1, sentToTelegram(h.fake, 1001, fmt.Sprintf("reply %d", i)))
		}
		st, _ := d.eng.ReplicaStatus()
		if atHub == clientMessages && onDesk == clientMessages && atTelegram == replies && st.State == replica.StateOnline && st.Pending == 0 {
			return ""
		}
		return fmt.Sprintf("%d of %d client messages at the hub, %d on the desktop, %d of %d replies at Telegram, %d updates pending upstream, desktop %+v",
			atHub, clientMessages, onDesk, atTelegram, replies, h.fake.Pending(), st)
	}
	loaded := time.Now()
	for deadline := loaded.Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		missing := arrived()
		if missing == "" {
			t.Logf("everything arrived %v after the load ended", time.Since(loaded).Round(time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("after a minute:", missing)
		}
	}
	time.Sleep(500 * time.Millisecond) // a late duplicate would show by now
	hubRows, deskRows := everything(t, h.st), everything(t, d.st)
	for i := range clientMessages {
		text := fmt.Sprintf("load %d", i)
		if a, b := len(withText(hubRows, text)), len(withText(deskRows, text)); a != 1 || b != 1 {
			t.Errorf("%q stored %d times at the hub, %d on the desktop", text, a, b)
		}
	}
	for i := range replies {
		text := fmt.Sprintf("reply %d", i)
		if n := sentToTelegram(h.fake, 1001, text); n != 1 {
			t.Errorf("%q sent %d times", text, n)
		}
		ms := withText(hubRows, text)
		if len(ms) != 1 {
			t.Errorf("%q stored %d times at the hub", text, len(ms))
			continue
		}
		// Sent, or (a restart between Telegram's answer and its record) failed as not
		// confirmed, as after a crash: never queued again, never sent twice.
		if m := ms[0]; m.Status != string(core.StatusSent) && m.Error != core.FailNotConfirmed {
			t.Errorf("%q ended %s %q at the hub", text, m.Status, m.Error)
		}
	}
	if diff := sameMessages(hubRows, deskRows); diff != "" {
		t.Error("the desktop is not the hub's copy:", diff)
	}
	close(stopWatch)
	<-watched
	statesMu.Lock()
	defer statesMu.Unlock()
	t.Logf("the desktop's status: %+v", states)
	// The desktop tells the person: either its feed broke (the hub failed a read) and it showed
	// offline with the hub's error ("Offline. The hub answered with an error…"), or it stayed
	// connected and the writes made meanwhile waited with that code ("N changes waiting")
	// until the hub could take them.
	t.Logf("writes waited with %v", waitingWith)
	wentOffline := false
	for _, st := range states {
		if st.State == replica.StateOffline && st.LastError == hubclient.CodeServerError {
			wentOffline = true
		}
		if st.State != replica.StateOnline && st.State != replica.StateOffline {
			t.Errorf("the desktop's status went %q", st.State)
		}
	}
	if !wentOffline && !waitingWith[hubclient.CodeServerError] {
		t.Errorf("the desktop never showed the outage: status %+v, writes waited with %v", states, waitingWith)
	}
	if last := states[len(states)-1]; last.State != replica.StateOnline {
		t.Errorf("the desktop did not end online: %+v", states)
	}
}
