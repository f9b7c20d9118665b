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
	// fanoutCostPerSocket bounds the wait for a fan-out: after waking n sockets the tail wakes
	// them again once every one has sent the batch (commits meanwhile riding together in the
	// next), or after n times this, whichever comes first (a socket catching up from the store
	// is not waiting on the tail). Waking a socket and writing its frame costs microseconds of
	// CPU on each side of the wire; at 100 commits/s and 2,000 desktops, one wake per commit was
	// 200,000 socket writes a second, more than two cores have. Waiting for the fan-out instead
	// of a fixed n × 25 µs (50 ms at 2,000) makes the wait as long as a fan-out really takes.
	fanoutCostPerSocket = 25 * time.Microsecond
)

// logTail is the feed's one reader of the event log near its head. It follows the store's
// commits, reads what each adds once, keeps the newest events in memory and wakes the sockets;
// a socket at or near the head takes its batch from here, already encoded. Without it every
// socket ran its own query after every commit and encoded the same batch again: with 200
// desktops following an ingestion that was 200 queries and encodings per commit.
type logTail struct {
	log     EventLog
	sockets func() int // open feed sockets, for pacing
	stop    context.CancelFunc
	done    chan struct{}

	// now is what sockets read, lock-free: replaced whole by each publish, never changed in place.
	now atomic.Pointer[tailSnapshot]

	mu      sync.Mutex
	encoded map[encodedKey][]byte

	// following counts the sockets in their stream loop; quiet is signalled (buffered, so never
	// lost, sometimes stale) when the sockets parked on the newest snapshot may have reached that
	// count, i.e. the fan-out of what was published last may have finished.
	following atomic.Int64
	quiet     chan struct{}
}

// tailSnapshot is the tail at one moment.
type tailSnapshot struct {
	events  []core.Event  // the newest events, ascending
	head    int64         // seq of the newest event read (0: none yet)
	failed  bool          // the last read failed; sockets read the store themselves meanwhile
	changed chan struct{} // closed when the next snapshot replaces this one
	// parked counts the sockets waiting on changed having sent everything up to head: when it
	// equals logTail.following, this snapshot's fan-out is over.
	parked atomic.Int64
}

// encodedKey names one batch as a socket sends it: the events after `after` up to `last`, seen
// by a manager (0 when the batch holds no event addressed to this manager: every such socket
// sees the same events, the unaddressed ones, and shares one encoding).
type encodedKey struct {
	kind                 string // feedKind.name
	after, last, manager int64
}

// newLogTail starts following log from its current head.
func newLogTail(log EventLog, sockets func() int) *logTail {
	ctx, cancel := context.WithCancel(context.Background())
	t := &logTail{log: log, sockets: sockets, stop: cancel, done: make(chan struct{}), encoded: map[encodedKey][]byte{},
		quiet: make(chan struct{}, 1)}
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
	defer func() { t.publish(t.now.Load().events, t.now.Load().head, true) }()
	for {
		if woke := t.read(ctx); woke > 0 {
			// Commits during the fan-out leave their signal in wake (buffered), so none is lost.
			if !t.awaitFanout(ctx, time.Duration(woke)*fanoutCostPerSocket) {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		}
	}
}

// awaitFanout waits until every following socket has sent the newest snapshot (or limit has
// passed: a socket catching up from the store is not parked for a while); false when the tail
// is stopping.
func (t *logTail) awaitFanout(ctx context.Context, limit time.Duration) bool {
	snap := t.now.Load()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for snap.parked.Load() < t.following.Load() {
		select {
		case <-ctx.Done():
			return false
		case <-timer.C:
			return true
		case <-t.quiet:
		}
	}
	return true
}

// park is a socket about to wait on snap, having sent everything up to its head; unpark undoes it
// when the wait ends. The socket completing the snapshot's fan-out tells the tail.
func (t *logTail) park(snap *tailSnapshot) {
	if snap.parked.Add(1) >= t.following.Load() {
		t.signalQuiet()
	}
}

func (t *logTail) unpark(snap *tailSnapshot) { snap.parked.Add(-1) }

// follow and unfollow bracket a socket's stream loop.
func (t *logTail) follow1() { t.following.Add(1) }

func (t *logTail) unfollow() {
	if t.now.Load().parked.Load() >= t.following.Add(-1) {
		t.signalQuiet()
	}
}

func (t *logTail) signalQuiet() {
	select {
	case t.quiet <- struct{}{}:
	default:
	}
}

// read takes everything committed after the head, keeps the newest tailKeep and publishes it;
// it returns how many sockets that woke (0 when there was nothing new).
func (t *logTail) read(ctx context.Context) int {
	cur := t.now.Load()
	var added []core.Event
	after := cur.head
	for {
		evs, err := t.log.EventsAfter(ctx, after, feedBatch)
		if err != nil {
			if ctx.Err() == nil {
				t.publish(cur.events, cur.head, true)
			}
			return 0
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
		return 0
	}
	// A fresh slice when trimming, so slices handed out earlier keep their events; appending
	// only writes past every handed-out slice's end.
	all := append(cur.events, added...)
	if len(all) > tailKeep {
		all = append([]core.Event(nil), all[len(all)-tailKeep:]...)
	}
	t.publish(all, added[len(added)-1].Seq, false)
	return t.sockets()
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
func (t *logTail) encode(kind string, after, managerID int64, evs []core.Event, message func() (any, error)) ([]byte, error) {
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
	t.mu.Lock()
	b, ok := t.encoded[key]
	t.mu.Unlock()
	if ok {
		return b, nil
	}
	msg, err := message()
	if err != nil {
		return nil, err
	}
	b, err = json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.encoded[key] = b
	t.mu.Unlock()
	return b, nil
}
