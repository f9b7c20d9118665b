package replica_test

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/replica"
)

// freezer is a TCP proxy whose connections can go silent without closing, as a socket does
// when a laptop sleeps or a NAT forgets it: bytes stop flowing both ways and nobody is told.
type freezer struct {
	ln     net.Listener
	to     string
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
	dials  atomic.Int32
}

func newFreezer(t *testing.T, to string) *freezer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, to: to}
	t.Cleanup(func() {
		ln.Close()
		f.mu.Lock()
		for _, c := range f.conns {
			c.Close()
		}
		f.mu.Unlock()
	})
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", to)
			if err != nil {
				in.Close()
				continue
			}
			f.dials.Add(1)
			f.mu.Lock()
			f.conns = append(f.conns, in, out)
			f.mu.Unlock()
			// Connections made while frozen are new ones (after the wake-up): they flow.
			born := f.frozen.Load()
			go f.pipe(in, out, born)
			go f.pipe(out, in, born)
		}
	}()
	return f
}

// pipe copies until the connection ends; once frozen (for a connection made before), it holds
// what it reads and forwards nothing, leaving both ends waiting.
func (f *freezer) pipe(dst, src net.Conn, bornFrozen bool) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if f.frozen.Load() && !bornFrozen {
			io.Copy(io.Discard, src)
			return
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// After sleep the desktop resumes within one round trip: the feed's socket died silently, and
// without a wake-up the replica would notice only when a ping went unanswered (up to 40 s).
// Woken (the app does so when the wall clock jumps past the monotonic one), it drops the dead
// socket, reconnects at once and catches up from its cursor.
func TestReplicaResumesAtOnceAfterSleep(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "before the sleep")
	f := newFreezer(t, h.url[len("http://"):])
	behind := *h
	behind.url = "http://" + f.ln.Addr().String()
	d := openDesk(t, &behind, "Bob")
	d.start(t)
	waitFor(t, "the replica online", 10*time.Second, func() bool {
		st, _ := d.eng.ReplicaStatus()
		return st.State == replica.StateOnline && len(withText(everything(t, d.st), "before the sleep")) == 1
	})
	f.frozen.Store(true) // the machine sleeps; the connections it had are dead when it wakes
	h.fake.PushText(1001, "Ann", "while you slept")
	waitFor(t, "the message at the hub", 10*time.Second, func() bool { return len(withText(everything(t, h.st), "while you slept")) == 1 })
	time.Sleep(300 * time.Millisecond)
	if n := len(withText(everything(t, d.st), "while you slept")); n != 0 {
		t.Fatal("the frozen socket still delivered: the test proves nothing")
	}
	dials := f.dials.Load()
	woke := time.Now()
	d.eng.Wake()
	waitFor(t, "the message after waking", 5*time.Second, func() bool {
		return len(withText(everything(t, d.st), "while you slept")) == 1
	})
	if f.dials.Load() <= dials {
		t.Fatal("the replica caught up without a new connection")
	}
	t.Logf("caught up %v after waking", time.Since(woke).Round(time.Millisecond))
}
