package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
	"switchboard/backend/store"
	"switchboard/bench/inbound"
	"switchboard/bench/samples"
)

// benchIngest measures updates/s through the real path (fake Bot API -> Telegram connector ->
// supervisor -> store.ApplyBatch, batches of 100) into a fresh SQLite file, and, in the same
// run, a bare batched insert of the same rows into another fresh file with the same schema.
// Runs alternate so both sides share the machine's load.
func benchIngest(runs, n int, seed uint64, out samples.Sink) error {
	rng := rand.New(rand.NewPCG(seed, 0x1e))
	ups := inbound.Generate(rng, n)
	var engRate, bareRate, ratio, applyShare []float64
	for r := 0; r < runs; r++ {
		// The labels split a CPU profile of the whole command: -tagfocus part=engine shows the
		// engine runs alone (goroutines inherit the label: the poll loop, the fake server, the
		// store's checkpointer), part=bare the bare inserts, part=queue the fake's backlog
		// being filled before each engine run (not timed).
		var e, apply, b time.Duration
		var err error
		pprof.Do(context.Background(), pprof.Labels("part", "engine"), func(ctx context.Context) {
			e, apply, err = ingestOnce(ctx, ups)
		})
		if err != nil {
			return fmt.Errorf("ingest run %d: %w", r+1, err)
		}
		pprof.Do(context.Background(), pprof.Labels("part", "bare"), func(context.Context) {
			b, err = inbound.BareInsert(ups)
		})
		if err != nil {
			return fmt.Errorf("bare insert run %d: %w", r+1, err)
		}
		engRate = append(engRate, float64(n)/e.Seconds())
		bareRate = append(bareRate, float64(n)/b.Seconds())
		ratio = append(ratio, b.Seconds()/e.Seconds())
		applyShare = append(applyShare, apply.Seconds()/e.Seconds())
	}
	note := fmt.Sprintf("%d client messages from %d clients per run", n, max(1, n/20))
	if err := out.Put(Metric{ID: "ingest_rate", Unit: "updates/s", Samples: engRate,
		Note: note + ": fakeapi getUpdates -> telegram.Client.Poll -> channel.Supervisor -> store.ApplyBatch, fresh file"}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "bare_insert_rate", Unit: "rows/s", Samples: bareRate,
		Note: note + ": plain prepared INSERTs of the same people/chats/messages, one transaction per 100, same schema"}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "ingest_apply_share", Unit: "x", Samples: applyShare,
		Note: "share of an engine run spent inside store.ApplyBatch (the rest: HTTP, JSON, the poll loop)"}); err != nil {
		return err
	}
	return out.Put(Metric{ID: "ingest_ratio", Unit: "x", Samples: ratio, Note: "engine rate / bare insert rate, per run"})
}

// ingestOnce times the engine from the supervisor's start to the commit of the last batch, and
// returns the part of it spent in ApplyBatch.
// ctx carries the profiler labels the run's goroutines inherit.
func ingestOnce(ctx context.Context, ups []inbound.Message) (total, apply time.Duration, err error) {
	dir, err := os.MkdirTemp("", "sb-ingest-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, store.DBFile))
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	fake := fakeapi.NewTelegram(nil)
	defer fake.Close()
	pprof.Do(ctx, pprof.Labels("part", "queue"), func(context.Context) { inbound.Push(fake, ups) })

	var stored atomic.Int64
	done := make(chan struct{})
	e, err := newEngine(ctx, st, fake, 2*time.Second, func(_ *engine, res core.ApplyResult) {
		if stored.Add(int64(res.Messages+res.Duplicates)) == int64(len(ups)) {
			close(done)
		}
	})
	if err != nil {
		return 0, 0, err
	}
	defer e.stop()
	t0 := time.Now()
	if err := e.start(ctx); err != nil {
		return 0, 0, err
	}
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		return 0, 0, fmt.Errorf("stored %d of %d updates: %w", stored.Load(), len(ups), errTimeout)
	}
	total = time.Since(t0)
	return total, time.Duration(e.st.applyNs.Load()), nil
}
