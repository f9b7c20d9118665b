package store

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
)

// The WAL is copied back into the database file (checkpointed) mostly by a goroutine of the
// store, on a connection of its own, instead of inside a commit. A checkpoint syncs the WAL and
// then the database file, and SQLite runs it inside the commit that crosses its threshold: on
// the build machine ingestion stood still there for 20-100 ms every 32 MB of WAL, about 170 ms
// of a 20,000-update run, which CPU profiles do not show (strace -T on fsync does).
//
// The checkpointer runs a PASSIVE checkpoint after every ckptEvery commits, or ckptIdle after
// the first commit not yet checkpointed. PASSIVE copies and syncs what it can without taking
// the write lock, so commits go on meanwhile; when it copied everything, the next write starts
// the WAL over. Under a sustained burst commits land while it runs and the WAL keeps growing,
// so the writer keeps SQLite's own checkpoint as a backstop (wal_autocheckpoint, connPragmas);
// by then the background has copied and synced all but the last few commits, and the stall
// is short (fsync waits inside commits in that run: ~170 ms -> ~50 ms).
//
// ckptIdle is long so that a trickle of messages (the app's usual day) costs a pair of fsyncs
// now and then, not one per message, and short enough that the backstop never fires then.
//
// A round that could not copy the whole WAL (busy: a backstop checkpoint or a reader's snapshot
// in the way; an error from the file system) tries again after ckptRetry, a few times, instead
// of leaving the rest to the next ckptEvery commits or ckptIdle (a test under wine, where file
// locks are slower, once waited out its 10 s on just that).
const (
	ckptEvery   = 16
	ckptIdle    = 30 * time.Second
	ckptRetry   = 250 * time.Millisecond
	ckptRetries = 8
)

type checkpointer struct {
	db       *sqlx.DB
	commits  *atomic.Int64 // the store's commit count
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// startCheckpointer opens the checkpointer's connection (read-write, but it never writes a row)
// and starts its goroutine; stopCheckpointer ends both.
func (s *Store) startCheckpointer(dsn string) error {
	db, err := sqlx.Open(driverName, dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, commits: &s.commits, stop: make(chan struct{}), done: make(chan struct{})}
	sig, release := s.Subscribe()
	go func() {
		defer close(c.done)
		defer release()
		c.run(sig)
	}()
	s.ckpt = c
	return nil
}

// stopCheckpointer may be called more than once (Close may be).
func (s *Store) stopCheckpointer() error {
	if s.ckpt == nil {
		return nil
	}
	s.ckpt.stopOnce.Do(func() { close(s.ckpt.stop) })
	<-s.ckpt.done
	return s.ckpt.db.Close()
}

func (c *checkpointer) run(sig <-chan struct{}) {
	var last int64 // commit count at the last checkpoint
	idle := time.NewTimer(ckptIdle)
	idle.Stop()
	waiting := false // idle is armed
	retries := 0     // rounds in a row that left part of the WAL
	for {
		select {
		case <-c.stop:
			idle.Stop()
			return
		case <-sig:
			if n := c.commits.Load() - last; n < ckptEvery {
				if !waiting && n > 0 {
					idle.Reset(ckptIdle)
					waiting = true
				}
				continue
			}
		case <-idle.C:
		}
		if waiting {
			idle.Stop()
			waiting = false
		}
		last = c.commits.Load()
		if c.checkpoint() || retries >= ckptRetries {
			retries = 0
			continue
		}
		retries++
		idle.Reset(ckptRetry)
		waiting = true
	}
}

// checkpoint runs one PASSIVE checkpoint and says whether it copied the whole WAL. Busy (a
// backstop checkpoint running in a commit) is not an error: a later round copies the rest.
func (c *checkpointer) checkpoint() bool {
	var busy, frames, copied int
	err := c.db.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	if err != nil {
		slog.Warn("store: background checkpoint", "err", err)
		return false
	}
	return busy == 0 && copied >= frames
}
