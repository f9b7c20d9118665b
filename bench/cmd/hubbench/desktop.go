package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/core"
)

// delivery is one message.new event reaching one desktop: its seq and when (since the bench's
// start, on the same monotonic clock as the pushes into the fake).
type delivery struct {
	seq int64
	at  time.Duration
}

// desktop is one simulated desktop: a WebSocket client of the feed with its own session,
// recording when each message.new event arrives.
type desktop struct {
	conn *websocket.Conn

	mu         sync.Mutex
	deliveries []delivery
	err        error

	seq      atomic.Int64 // the feed's cursor as last sent
	messages atomic.Int64 // message.new events received
	frames   atomic.Int64 // feed messages (WebSocket frames) read
	done     chan struct{}
}

// feedURL is the feed's WebSocket address on a hub at baseURL (http://…).
func feedURL(baseURL string, after int64) string {
	return "ws" + strings.TrimPrefix(baseURL, "http") + fmt.Sprintf("/api/v1/feed?seq=%d", after)
}

// dialDesktop connects to the feed from seq after and starts reading it.
func dialDesktop(ctx context.Context, baseURL, token string, after int64, clock *benchClock) (*desktop, error) {
	conn, _, err := websocket.Dial(ctx, feedURL(baseURL, after), &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + token}},
	})
	if err != nil {
		return nil, err
	}
	// Batches are under the library's 32 KB default today; a feed carrying row state may send
	// more, and the bench should measure it rather than fail.
	conn.SetReadLimit(16 << 20)
	d := &desktop{conn: conn, done: make(chan struct{})}
	d.seq.Store(after)
	go d.read(clock)
	return d, nil
}

func (d *desktop) read(clock *benchClock) {
	defer close(d.done)
	// One buffer and one seq list per desktop, reused: 2,000 desktops allocating every batch
	// kept the bench's own garbage collector busy on the cores the hub needs.
	var buf bytes.Buffer
	var newSeqs []int64
	fail := func(err error) {
		d.mu.Lock()
		d.err = err
		d.mu.Unlock()
	}
	for {
		_, r, err := d.conn.Reader(context.Background())
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			fail(err)
			return
		}
		at := clock.now()
		var seq int64
		seq, newSeqs, err = scanBatch(buf.Bytes(), newSeqs[:0])
		if err != nil {
			fail(err)
			d.conn.CloseNow()
			return
		}
		if clock.recording.Load() {
			d.mu.Lock()
			for _, q := range newSeqs {
				d.deliveries = append(d.deliveries, delivery{seq: q, at: at})
			}
			d.mu.Unlock()
		}
		d.messages.Add(int64(len(newSeqs)))
		d.frames.Add(1)
		d.seq.Store(seq)
	}
}

func (d *desktop) close() {
	d.conn.Close(websocket.StatusNormalClosure, "")
	<-d.done
}

func (d *desktop) failure() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// dialDesktops connects tokens' desktops from seq after, a few at a time (a desktop fleet
// reconnecting all at once is a different test).
func dialDesktops(baseURL string, tokens []string, after int64, clock *benchClock) ([]*desktop, error) {
	out := make([]*desktop, len(tokens))
	errs := make(chan error, len(tokens))
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			d, err := dialDesktop(ctx, baseURL, tok, after, clock)
			if err != nil {
				errs <- fmt.Errorf("desktop %d: %w", i, err)
				return
			}
			out[i] = d
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		for _, d := range out {
			if d != nil {
				d.close()
			}
		}
		return nil, err
	}
	return out, nil
}

// feedBatch is the part of a hub.FeedMessage the bench reads.
type feedBatch struct {
	Seq    int64 `json:"seq"`
	Events []struct {
		Seq  int64  `json:"seq"`
		Kind string `json:"kind"`
	} `json:"events"`
}

var (
	messageNewKind = []byte(`,"kind":"` + core.EventMessageNew + `"`)
	eventSeqField  = []byte(`{"seq":`)
)

// scanBatch reads a feed message's cursor and appends the seqs of its message.new events to
// newSeqs. Two thousand
// desktops decoding every batch with encoding/json took the CPU the hub and the fake Telegram
// (both measured, both on this machine) need, so the bench finds the events by their bytes as
// the hub encodes core.Event ({"seq":N,"kind":"…",…}), and decodes a batch only when its shape
// is not that one. A mistake here cannot pass unseen: every seq recorded must be a message.new
// in the store, and every desktop must have every message once (latencies).
func scanBatch(raw []byte, newSeqs []int64) (seq int64, _ []int64, err error) {
	if bytes.Count(raw, eventSeqField) == 0 || !bytes.HasPrefix(raw, []byte(`{"type":"events","seq":`)) {
		var msg feedBatch
		if err := json.Unmarshal(raw, &msg); err != nil {
			return 0, nil, fmt.Errorf("feed message: %w", err)
		}
		for _, e := range msg.Events {
			if e.Kind == core.EventMessageNew {
				newSeqs = append(newSeqs, e.Seq)
			}
		}
		return msg.Seq, newSeqs, nil
	}
	rest := raw[len(`{"type":"events","seq":`):]
	seq, _, err = leadingInt(rest)
	if err != nil {
		return 0, nil, err
	}
	for {
		i := bytes.Index(rest, eventSeqField)
		if i < 0 {
			return seq, newSeqs, nil
		}
		rest = rest[i+len(eventSeqField):]
		n, width, err := leadingInt(rest)
		if err != nil {
			return 0, nil, err
		}
		if bytes.HasPrefix(rest[width:], messageNewKind) {
			newSeqs = append(newSeqs, n)
		}
	}
}

func leadingInt(b []byte) (n int64, width int, err error) {
	for width < len(b) && b[width] >= '0' && b[width] <= '9' {
		n = n*10 + int64(b[width]-'0')
		width++
	}
	if width == 0 {
		return 0, 0, fmt.Errorf("feed message: no number at %.20q", b)
	}
	return n, width, nil
}

// benchClock is the one monotonic clock pushes and deliveries are read from; deliveries are
// kept only while recording (the delivery runs), not through the write-rate backlog.
type benchClock struct {
	start     time.Time
	recording atomic.Bool
}

func (c *benchClock) now() time.Duration { return time.Since(c.start) }
