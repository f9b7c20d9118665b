package main

import (
	"context"
	"database/sql"
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
)

// benchIngest measures updates/s through the real path (fake Bot API -> Telegram connector ->
// supervisor -> store.ApplyBatch, batches of 100) into a fresh SQLite file, and, in the same
// run, a bare batched insert of the same rows into another fresh file with the same schema.
// Runs alternate so both sides share the machine's load.
func benchIngest(runs, n int, seed uint64, out sink) error {
	rng := rand.New(rand.NewPCG(seed, 0x1e))
	ups := clientUpdates(rng, n)
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
			b, err = bareOnce(ups)
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
	if err := out.put(Metric{ID: "ingest_rate", Unit: "updates/s", Samples: engRate,
		Note: note + ": fakeapi getUpdates -> telegram.Client.Poll -> channel.Supervisor -> store.ApplyBatch, fresh file"}); err != nil {
		return err
	}
	if err := out.put(Metric{ID: "bare_insert_rate", Unit: "rows/s", Samples: bareRate,
		Note: note + ": plain prepared INSERTs of the same people/chats/messages, one transaction per 100, same schema"}); err != nil {
		return err
	}
	if err := out.put(Metric{ID: "ingest_apply_share", Unit: "x", Samples: applyShare,
		Note: "share of an engine run spent inside store.ApplyBatch (the rest: HTTP, JSON, the poll loop)"}); err != nil {
		return err
	}
	return out.put(Metric{ID: "ingest_ratio", Unit: "x", Samples: ratio, Note: "engine rate / bare insert rate, per run"})
}

// ingestOnce times the engine from the supervisor's start to the commit of the last batch, and
// returns the part of it spent in ApplyBatch.
// ctx carries the profiler labels the run's goroutines inherit.
func ingestOnce(ctx context.Context, ups []clientUpdate) (total, apply time.Duration, err error) {
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
	pprof.Do(ctx, pprof.Labels("part", "queue"), func(context.Context) { pushAll(fake, ups) })

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

// bareOnce is the floor SQLite sets for these rows: the same people, chats and messages
// (messages through the same FTS trigger and indexes), inserted with prepared statements in
// transactions of 100, with no HTTP, JSON, lookups of earlier rows, list columns or events.
// It is the one place outside backend/store that writes SQL, because the point is to bypass
// the store.
func bareOnce(ups []clientUpdate) (time.Duration, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sb-bare-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, store.DBFile)
	st, err := store.Open(path) // the same schema, by the same migrations
	if err != nil {
		return 0, err
	}
	ch, err := st.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Bench bot", ExternalID: "123456789"}, time.Now())
	if err != nil {
		st.Close()
		return 0, err
	}
	if err := st.Close(); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	t0 := time.Now()
	chats := map[int64]int64{}
	msgNo := map[int64]int{}
	now := time.Now().UnixMilli()
	for at := 0; at < len(ups); at += 100 {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		insPerson, err1 := tx.PrepareContext(ctx, `INSERT INTO people (name, status, created_at) VALUES (?, 'subscribed', ?)`)
		insChat, err2 := tx.PrepareContext(ctx, `INSERT INTO chats (person_id, channel_id, external_chat_id, created_at) VALUES (?, ?, ?, ?)`)
		insMsg, err3 := tx.PrepareContext(ctx, `INSERT INTO messages (chat_id, kind, external_id, sender, sender_name, text, status, created_at) VALUES (?, 'message', ?, 'client', ?, ?, 'received', ?)`)
		if err1 != nil || err2 != nil || err3 != nil {
			tx.Rollback()
			return 0, fmt.Errorf("prepare: %v %v %v", err1, err2, err3)
		}
		for _, u := range ups[at:min(at+100, len(ups))] {
			chatID, ok := chats[u.userID]
			if !ok {
				res, err := insPerson.ExecContext(ctx, u.name, now)
				if err != nil {
					tx.Rollback()
					return 0, err
				}
				pid, _ := res.LastInsertId()
				res, err = insChat.ExecContext(ctx, pid, ch.ID, chatIDString(u.userID), now)
				if err != nil {
					tx.Rollback()
					return 0, err
				}
				chatID, _ = res.LastInsertId()
				chats[u.userID] = chatID
			}
			msgNo[u.userID]++
			if _, err := insMsg.ExecContext(ctx, chatID, fmt.Sprint(msgNo[u.userID]), u.name, u.text, now); err != nil {
				tx.Rollback()
				return 0, err
			}
		}
		insPerson.Close()
		insChat.Close()
		insMsg.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}
