package hub

import (
	"context"
	"encoding/json"
	"sort"
	"sync"

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
)

// logTail is the feed's one reader of the event log near its head. It follows the store's
// commits, reads what each adds once, keeps the newest events in memory and wakes the sockets;
// a socket at or near the head takes its batch from here, already encoded. Without it every
// socket ran its own query after every commit and encoded the same batch again: with 2,000
// desktops that was 2,000 queries and 2,000 encodings a commit, and delivery at 100 messages/s
// fell behind.
type logTail struct {
	log  EventLog
	stop context.CancelFunc
	done chan struct{}

	mu      sync.Mutex
	events  []core.Event  // the newest events, ascending; never changed in place once added
	head    int64         // seq of the newest event read (0: none yet)
	err     error         // the last read's failure; sockets then read the store themselves
	changed chan struct{} // closed when events are added (or the tail stops), then replaced
	encoded map[encodedKey][]byte
}

// encodedKey names one batch as a socket sends it: the events after `after` up to `last`, seen
// by a manager (0 when the batch holds no events addressed to one manager, so all share it).
type encodedKey struct{ after, last, manager int64 }

// newLogTail starts following log from its current head.
func newLogTail(log EventLog) *logTail {
	ctx, cancel := context.WithCancel(context.Background())
	t := &logTail{log: log, stop: cancel, done: make(chan struct{}), changed: make(chan struct{}),
		encoded: map[encodedKey][]byte{}}
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
		t.mu.Lock()
		close(t.changed)
		t.changed = make(chan struct{})
		t.mu.Unlock()
	}()
	// The events before the tail started are the store's to serve; it starts from the head.
	if h, ok := t.log.(interface {
		LastEventSeq(context.Context) (int64, error)
	}); ok {
		if seq, err := h.LastEventSeq(ctx); err == nil {
			t.head = seq
		}
	}
	for {
		t.read(ctx)
		select {
		case <-ctx.Done():
			return
		case <-wake:
		}
	}
}

// read takes everything committed after the head, keeps the newest tailKeep and wakes the
// sockets once.
func (t *logTail) read(ctx context.Context) {
	var added []core.Event
	for {
		after := t.head
		if n := len(added); n > 0 {
			after = added[n-1].Seq
		}
		evs, err := t.log.EventsAfter(ctx, after, feedBatch)
		if err != nil {
			t.mu.Lock()
			t.err = err
			t.mu.Unlock()
			break
		}
		added = append(added, evs...)
		if len(evs) < feedBatch {
			break
		}
	}
	if len(added) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.err = nil
	// A fresh slice when trimming, so slices handed out earlier keep their events.
	all := append(t.events, added...)
	if len(all) > tailKeep {
		all = append([]core.Event(nil), all[len(all)-tailKeep:]...)
	}
	t.events = all
	t.head = added[len(added)-1].Seq
	if len(t.encoded) > tailEncodings {
		clear(t.encoded)
	}
	close(t.changed)
	t.changed = make(chan struct{})
}

// wait is the channel closed at the next change; take it before reading, so a change between
// the read and the wait is not missed.
func (t *logTail) wait() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}

// eventsAfter is up to limit events after seq `after`: from memory when the tail holds them
// (or knows there are none yet), from the store otherwise.
func (t *logTail) eventsAfter(ctx context.Context, after int64, limit int) ([]core.Event, error) {
	t.mu.Lock()
	evs, ok := t.cached(after, limit)
	t.mu.Unlock()
	if ok {
		return evs, nil
	}
	return t.log.EventsAfter(ctx, after, limit)
}

// cached answers from memory when it can; t.mu held.
func (t *logTail) cached(after int64, limit int) ([]core.Event, bool) {
	if t.err != nil {
		return nil, false
	}
	if after >= t.head {
		// Nothing read after it yet. A socket ahead of the tail (it read the store itself an
		// instant after a commit the tail has not read) gets nothing now and is woken when the
		// tail catches up.
		return nil, true
	}
	if len(t.events) == 0 || after < t.events[0].Seq-1 {
		return nil, false
	}
	i := sort.Search(len(t.events), func(i int) bool { return t.events[i].Seq > after })
	j := min(len(t.events), i+limit)
	return t.events[i:j:j], true
}

// encode is the batch evs (the events after seq `after`) as managerID's socket sends it, built
// by message and encoded once for every socket that sends the same batch.
func (t *logTail) encode(after, managerID int64, evs []core.Event, message func() FeedMessage) ([]byte, error) {
	key := encodedKey{after: after, last: evs[len(evs)-1].Seq}
	for _, e := range evs {
		if e.ManagerID != 0 {
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
	b, err := json.Marshal(message())
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.encoded[key] = b
	t.mu.Unlock()
	return b, nil
}
