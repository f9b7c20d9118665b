package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/store"
	"switchboard/bench/inbound"
	"switchboard/bench/samples"
)

// benchLatency measures how long an update takes from leaving the wire (the connector has read
// the getUpdates response to its end) to a follower of the event log receiving its
// message.new event, through the same path the app's UI bridge uses: supervisor -> ApplyBatch
// -> commit signal -> inbox.Follow. Clients write at rate messages/s with Poisson arrivals, so
// batches hold one or a few updates as in live traffic.
func benchLatency(n int, rate float64, seed uint64, out samples.Sink) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "sb-latency-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, store.DBFile))
	if err != nil {
		return err
	}
	defer st.Close()
	fake := fakeapi.NewTelegram(nil)
	defer fake.Close()

	var mu sync.Mutex
	wire := map[int64]int64{}      // message id -> when its response left the wire (unix ns)
	delivered := map[int64]int64{} // message id -> when the follower got its event
	e, err := newEngine(ctx, st, fake, 25*time.Second, func(e *engine, res core.ApplyResult) {
		at := e.clock.last.Load()
		mu.Lock()
		for _, id := range res.NewClientMessages {
			wire[id] = at
		}
		mu.Unlock()
	})
	if err != nil {
		return err
	}
	from, err := st.LastEventSeq(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.eng.Inbox.Follow(ctx, from, func(evs []core.Event) {
			now := time.Now().UnixNano()
			mu.Lock()
			for _, ev := range evs {
				if ev.Kind == core.EventMessageNew {
					delivered[ev.MessageID] = now
				}
			}
			mu.Unlock()
		})
	}()
	defer wg.Wait()
	defer cancel()
	if err := e.start(ctx); err != nil {
		return err
	}
	defer e.stop()

	rng := rand.New(rand.NewPCG(seed, 0x1a))
	ups := inbound.Generate(rng, n)
	for _, u := range ups {
		time.Sleep(time.Duration(rng.ExpFloat64() / rate * float64(time.Second)))
		fake.PushText(u.UserID, u.Name, u.Text)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		got := len(delivered)
		mu.Unlock()
		if got >= n {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("latency: %d of %d events delivered: %w", got, n, errTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	var lat []float64
	for id, w := range wire {
		if d, ok := delivered[id]; ok {
			lat = append(lat, float64(d-w)/1e6)
		}
	}
	if len(lat) < n {
		return fmt.Errorf("latency: matched %d of %d updates", len(lat), n)
	}
	return out.Put(Metric{ID: "update_to_event", Unit: "ms", Samples: lat,
		Note: fmt.Sprintf("%d client messages at %.0f/s (Poisson): getUpdates response read -> inbox.Follow callback with its message.new", n, rate)})
}
