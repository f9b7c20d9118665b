package hub

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/core"
)

// Tail tuning.
const (
	// tailKeep is how many of the newest events the tail holds: twenty batches, so a desktop that
	// fell a little behind (a slow socket, a burst) is still served from memory. Further behind
	// (a catch-up, a reconnect after sleep) it reads the store itself, as it must anyway.
	tailKeep = 20 * feedBatch
	// tailEncodings bounds the encoded batches kept; sockets following the head all ask for
	// the same one or two, so more would only hold memory.
	tailEncodings = 64
	// fanoutWriters is how many goroutines write a fan-out's frames, each to its share of the
	// sockets following the head. Two keep both cores of the build machine busy while a batch
	// goes out and leave the poller and the store a place in the run queue; more only queued
	// behind each other (a frame is one write syscall, on loopback most of its cost).
	fanoutWriters = 2
	// fanoutStall is how long a fan-out waits on writes that make no progress: a socket whose
	// client does not read (its kernel buffers full) blocks its write until batchWriteTimeout.
	// After this another writer takes over the sockets not yet written, and once every socket
	// has been taken the fan-out is over without the stuck ones; each finishes its write in the
	// background and then sends whatever the tail holds by then (feedSocket.kick).
	fanoutStall = 20 * time.Millisecond
)

// logTail is the feed's one reader of the event log near its head. It follows the store's
// commits, reads what each adds once, keeps the newest events in memory and writes the frames
// of the sockets following the head (fanOut), each batch encoded once for every socket sending
// it; a socket a little behind takes its batches from here too. Without it every socket ran
// its own query after every commit and encoded the same batch again: with 200 desktops
// following an ingestion that was 200 queries and encodings per commit.
//
// Pacing: a fan-out writes every following socket once, everything after its cursor in one
// frame; the next read waits for it to finish, commits meanwhile riding together. So a commit
// waits for the fan-out under way and then its own, and the frame rate adapts to what a fan-out
// costs: at 100 commits/s, 200 desktops get a frame per commit, 2,000 about one per 20 ms on
// the 2-core build machine. (A goroutine per socket woken by each publish, paced by a fixed
// 25 µs per socket, spent a third of the hub's CPU on waking, parking and per-write timers,
// and let a commit wait out 50 ms at 2,000 sockets before its fan-out even began.)
type logTail struct {
	log  EventLog
	stop context.CancelFunc
	done chan struct{}

	// now is what sockets read, lock-free: replaced whole by each publish, never changed in place.
	now atomic.Pointer[tailSnapshot]

	mu      sync.Mutex
	encoded map[encodedKey]*encoding
	// encodings counts the encodings built, one per distinct batch a fan-out sends (and again
	// for one whose build failed); the tests read it to see that none is built twice.
	encodings atomic.Int64

	// followers are the sockets at the head: the tail writes their frames itself after each
	// read (fanOut), so a commit costs a write per socket and no goroutine wake per socket.
	followersMu sync.Mutex
	followers   map[*feedSocket]struct{}
}

// tailSnapshot is the tail at one moment.
type tailSnapshot struct {
	events  []core.Event  // the newest events, ascending
	head    int64         // seq of the newest event read (0: none yet)
	failed  bool          // the last read failed; sockets read the store themselves meanwhile
	changed chan struct{} // closed when the next snapshot replaces this one
}

// encodedKey names one batch as a socket sends it: the events after `after` up to `last`, seen
// by a manager (0 when the batch holds no event addressed to this manager: every such socket
// sees the same events, the unaddressed ones, and shares one encoding).
type encodedKey struct {
	kind                 string // feedKind.name
	after, last, manager int64
}

// encoding is one batch's frame: the first socket asking for it builds it, and every other
// asking meanwhile (the fan-out's other writer, a socket's own goroutine) waits for that build
// instead of building the same frame again. Sockets sending another batch do not wait.
type encoding struct {
	done  chan struct{} // closed when the build ended
	frame []byte        // nil when the build failed
}

// newLogTail starts following log from its current head.
func newLogTail(log EventLog) *logTail {
	ctx, cancel := context.WithCancel(context.Background())
	t := &logTail{log: log, stop: cancel, done: make(chan struct{}), encoded: map[encodedKey]*encoding{},
		followers: map[*feedSocket]struct{}{}}
	first := &tailSnapshot{changed: make(chan struct{})}
	// The events before the tail started are the store's to serve: it starts from the head.
	if h, ok := log.(interface {
		LastEventSeq(context.Context) (int64, error)
	}); ok {
		if seq, err := h.LastEventSeq(ctx); err == nil {
			first.head = seq
		}
	}
	t.now.Store(first)
	wake, release := log.Subscribe()
	go func() {
		defer close(t.done)
		defer release()
		t.follow(ctx, wake)
	}()
	return t
}

// close stops following and wakes every waiting socket (their own contexts end them).
func (t *logTail) close() {
	t.stop()
	<-t.done
}

func (t *logTail) follow(ctx context.Context, wake <-chan struct{}) {
	defer func() {
		t.publish(t.now.Load().events, t.now.Load().head, true)
		t.dropFollowers()
	}()
	for {
		if t.read(ctx) {
			// The next read waits for this fan-out to finish: commits meanwhile leave their
			// signal in wake (buffered, so none is lost) and ride together in the next batch.
			// Each socket thus gets a frame per fan-out, however many commits it covers, and a
			// commit waits for at most the fan-out under way and its own.
			t.fanOut()
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		}
	}
}

// fanOut sends the tail's new events to every socket following the head, fanoutWriters at a
// time, each writer taking the next socket not yet taken. A socket that has fallen behind what
// the tail holds, or whose write failed, is handed back to its own goroutine
// (feedSocket.dropped). One that cannot take its frame does not hold up the others
// (fanoutStall).
func (t *logTail) fanOut() {
	socks := t.followerList()
	if len(socks) == 0 {
		return
	}
	var taken, finished atomic.Int64
	allDone := make(chan struct{})
	writer := func() {
		for {
			i := int(taken.Add(1)) - 1
			if i >= len(socks) {
				return
			}
			socks[i].kick(t)
			if int(finished.Add(1)) == len(socks) {
				close(allDone)
			}
		}
	}
	for w := 0; w < fanoutWriters; w++ {
		go writer()
	}
	stall := time.NewTicker(fanoutStall)
	defer stall.Stop()
	var progress int64 // writes finished at the last tick: none yet, so a first write stuck a whole tick counts
	for {
		select {
		case <-allDone:
			return
		case <-stall.C:
		}
		if n := finished.Load(); n != progress {
			progress = n
			continue
		}
		if taken.Load() >= int64(len(socks)) {
			return // only stuck writes are left
		}
		go writer()
	}
}

// adopt makes the tail write f's frames from now on; the caller then sends what a publish
// before the adoption added (f.kick).
func (t *logTail) adopt(f *feedSocket) {
	f.mu.Lock()
	f.released = false
	f.mu.Unlock()
	t.followersMu.Lock()
	t.followers[f] = struct{}{}
	t.followersMu.Unlock()
}

// unfollow hands f back to its goroutine with why (nil: it is behind the tail), once.
func (t *logTail) unfollow(f *feedSocket, why error) {
	t.followersMu.Lock()
	_, ok := t.followers[f]
	delete(t.followers, f)
	t.followersMu.Unlock()
	if ok {
		// Buffered and never blocking: f is handed back at most once per adoption.
		select {
		case f.dropped <- why:
		default:
		}
	}
}

// release takes f back from the tail, waiting out a write of the tail's to it under way; a
// fan-out that listed f before sends it nothing more.
func (t *logTail) release(f *feedSocket) {
	t.followersMu.Lock()
	delete(t.followers, f)
	t.followersMu.Unlock()
	f.mu.Lock()
	f.released = true
	f.mu.Unlock()
}

// followerList is the sockets the tail writes for now, copied so they are written outside the lock.
func (t *logTail) followerList() []*feedSocket {
	t.followersMu.Lock()
	defer t.followersMu.Unlock()
	socks := make([]*feedSocket, 0, len(t.followers))
	for f := range t.followers {
		socks = append(socks, f)
	}
	return socks
}

func (t *logTail) dropFollowers() {
	socks := t.followerList()
	for _, f := range socks {
		t.unfollow(f, nil)
	}
}

// read takes everything committed after the head, keeps the newest tailKeep and publishes it;
// it returns whether there was anything new.
func (t *logTail) read(ctx context.Context) bool {
	cur := t.now.Load()
	var added []core.Event
	after := cur.head
	for {
		evs, err := t.log.EventsAfter(ctx, after, feedBatch)
		if err != nil {
			if ctx.Err() == nil {
				t.publish(cur.events, cur.head, true)
				// The sockets at the head go back to their goroutines, which read the store
				// themselves while the tail fails: left here, they would hear nothing until
				// the next commit woke a read that succeeds.
				t.dropFollowers()
			}
			return false
		}
		added = append(added, evs...)
		if len(evs) < feedBatch {
			break
		}
		after = evs[len(evs)-1].Seq
	}
	if len(added) == 0 {
		if cur.failed {
			t.publish(cur.events, cur.head, false)
		}
		return false
	}
	// A fresh slice when trimming, so slices handed out earlier keep their events; appending
	// only writes past every handed-out slice's end.
	all := append(cur.events, added...)
	if len(all) > tailKeep {
		all = append([]core.Event(nil), all[len(all)-tailKeep:]...)
	}
	t.publish(all, added[len(added)-1].Seq, false)
	return true
}

func (t *logTail) publish(events []core.Event, head int64, failed bool) {
	prev := t.now.Swap(&tailSnapshot{events: events, head: head, failed: failed, changed: make(chan struct{})})
	t.mu.Lock()
	if len(t.encoded) > tailEncodings {
		clear(t.encoded)
	}
	t.mu.Unlock()
	close(prev.changed)
}

// current is the snapshot whose changed channel is closed at the next change; take it before
// reading, so a change between the read and the wait is not missed.
func (t *logTail) current() *tailSnapshot { return t.now.Load() }

// eventsAfter is up to limit events after seq `after`: from memory when the tail holds them
// (or knows there are none yet), from the store otherwise.
func (t *logTail) eventsAfter(ctx context.Context, after int64, limit int) ([]core.Event, error) {
	if evs, ok := t.now.Load().after(after, limit); ok {
		return evs, nil
	}
	return t.log.EventsAfter(ctx, after, limit)
}

// after answers from memory when it can.
func (s *tailSnapshot) after(after int64, limit int) ([]core.Event, bool) {
	if s.failed {
		return nil, false
	}
	if after >= s.head {
		// Nothing read after it yet. A socket ahead of the tail (it read the store itself an
		// instant after a commit the tail has not read) gets nothing now and is woken when the
		// tail catches up.
		return nil, true
	}
	if len(s.events) == 0 || after < s.events[0].Seq-1 {
		return nil, false
	}
	i := sort.Search(len(s.events), func(i int) bool { return s.events[i].Seq > after })
	j := min(len(s.events), i+limit)
	return s.events[i:j:j], true
}

// encode is the batch evs (the events after seq `after`) as managerID's socket sends it, built
// by message and encoded once for every socket that sends the same batch.
//
// A state batch is encoded with the rows as they were when its first socket sent it; a socket
// sending it later may get rows a moment older than a fresh read, which converges all the
// same: any change made since then has its own event past this batch, sent with its rows.
// A socket waiting for another's build gives up when its own ctx ends (its client left).
func (t *logTail) encode(ctx context.Context, kind string, after, managerID int64, evs []core.Event, message func() (any, error)) ([]byte, error) {
	key := encodedKey{kind: kind, after: after, last: evs[len(evs)-1].Seq}
	// Only a manager with an event of their own in the batch needs an encoding of their own: a
	// draft being typed is addressed to its writer, and every other socket sharing one encoding
	// keeps that from costing a read of the rows per manager.
	for _, e := range evs {
		if e.ManagerID != 0 && e.ManagerID == managerID {
			key.manager = managerID
			break
		}
	}
	for {
		t.mu.Lock()
		e, found := t.encoded[key]
		if !found {
			e = &encoding{done: make(chan struct{})}
			t.encoded[key] = e
		}
		t.mu.Unlock()
		if !found {
			return t.build(key, e, message)
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.frame != nil {
			return e.frame, nil
		}
		// Its builder failed, on something of its own (its client left, ending the context
		// its rows were read with): this socket builds it again rather than fail with it.
	}
}

// build builds e, the encoding of key, for every socket waiting for it. A failed build leaves
// no entry behind, so the next socket asking builds it afresh.
func (t *logTail) build(key encodedKey, e *encoding, message func() (any, error)) (frame []byte, err error) {
	t.encodings.Add(1)
	defer func() {
		if frame == nil {
			t.mu.Lock()
			if t.encoded[key] == e {
				delete(t.encoded, key)
			}
			t.mu.Unlock()
		}
		e.frame = frame
		close(e.done) // deferred, so a panicking build does not leave its waiters waiting
	}()
	msg, err := message()
	if err != nil {
		return nil, err
	}
	return json.Marshal(msg)
}
