package main

import (
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
	for {
		_, raw, err := d.conn.Read(context.Background())
		if err != nil {
			d.mu.Lock()
			d.err = err
			d.mu.Unlock()
			return
		}
		at := clock.now()
		var msg feedBatch
		if err := json.Unmarshal(raw, &msg); err != nil {
			d.mu.Lock()
			d.err = fmt.Errorf("feed message: %w", err)
			d.mu.Unlock()
			d.conn.CloseNow()
			return
		}
		n := 0
		d.mu.Lock()
		for _, e := range msg.Events {
			if e.Kind == core.EventMessageNew {
				d.deliveries = append(d.deliveries, delivery{seq: e.Seq, at: at})
				n++
			}
		}
		d.mu.Unlock()
		d.messages.Add(int64(n))
		d.seq.Store(msg.Seq)
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

// feedBatch is the part of a hub.FeedMessage the bench reads: two thousand desktops decoding
// every field of every batch would take the CPU the hub and the fake Telegram (both measured)
// need on this machine. The time is taken before decoding.
type feedBatch struct {
	Seq    int64 `json:"seq"`
	Events []struct {
		Seq  int64  `json:"seq"`
		Kind string `json:"kind"`
	} `json:"events"`
}

// benchClock is the one monotonic clock pushes and deliveries are read from.
type benchClock struct{ start time.Time }

func (c *benchClock) now() time.Duration { return time.Since(c.start) }
