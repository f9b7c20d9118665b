package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Several hub instances share one PostgreSQL database, and a bot allows one poller (Telegram
// answers a second getUpdates with 409). One instance at a time polls the bots and delivers
// the outbox: the one holding the pollers' advisory lock. Every channel's poll loop and the
// outbox worker hold it (PollLock; a session lock is re-entrant, so each holder takes it once
// more), on one connection per instance, so PostgreSQL drops it the moment that instance dies
// or loses the connection, and another instance takes over at its next channel sync. One
// instance for all of them, not one per bot: the outbox needs the connector of every channel
// it delivers to, and rows left in flight may only be settled by whoever took over from a dead
// poller. The other instances serve the API and the feed.

// pgPollLockClass and the schema's key (pgState.pollKey) name the pollers' lock. Locks with two
// 32-bit keys never collide with the one-key locks above. Advisory locks are the whole
// database's, so the schema is in the key: two hubs in two schemas of one database (the tests'
// parallel schemas on one cluster) each poll their own bots instead of one waiting for the
// other to stop; the instances of one hub share a DSN, so a schema, so the key.
const pgPollLockClass int32 = 0x5342 // "SB"

// pollLockCheck is how often an instance checks that the connection holding its locks lives.
var pollLockCheck = 2 * time.Second

// pollLocks is a PostgreSQL store's lock connection and what it holds.
type pollLocks struct {
	mu     sync.Mutex
	conn   *sql.Conn
	held   map[int64]func() // channel id -> called when the lock is lost
	stop   chan struct{}
	done   chan struct{}
	closed bool
}

// PollLock takes the right to poll a channel (channelID 0: to deliver the outbox). held is
// false when another instance polls (try again later). onLost is called, once and from another
// goroutine, if the lock is lost while held (the connection holding it broke; another instance
// may poll now). release gives this holder's share back. On SQLite, one process serves the
// database: the lock is always held.
func (s *Store) PollLock(ctx context.Context, channelID int64, onLost func()) (release func(), held bool, err error) {
	if s.pg == nil {
		return func() {}, true, nil
	}
	pl := &s.pg.locks
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.closed {
		return nil, false, fmt.Errorf("store: poll lock of channel %d: the store is closed", channelID)
	}
	if _, ok := pl.held[channelID]; ok {
		return nil, false, nil // held here already: one holder per channel
	}
	if pl.conn == nil {
		conn, err := s.lockDB.Conn(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("store: poll lock connection: %w", err)
		}
		pl.conn, pl.held = conn, map[int64]func(){}
		if pl.stop == nil {
			pl.stop, pl.done = make(chan struct{}), make(chan struct{})
			go s.watchPollLocks()
		}
	}
	if err := pl.conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1::int, $2::int)`, pgPollLockClass, s.pg.pollKey).Scan(&held); err != nil {
		return nil, false, fmt.Errorf("store: poll lock of channel %d: %w", channelID, err)
	}
	if !held {
		return nil, false, nil
	}
	pl.held[channelID] = onLost
	conn := pl.conn
	return func() {
		pl.mu.Lock()
		defer pl.mu.Unlock()
		if _, ok := pl.held[channelID]; !ok || pl.conn != conn {
			return // lost meanwhile: nothing to give back
		}
		delete(pl.held, channelID)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1::int, $2::int)`, pgPollLockClass, s.pg.pollKey); err != nil {
			slog.Warn("store: poll lock release", "channel", channelID, "err", err)
		}
	}, true, nil
}

// watchPollLocks checks the lock connection; when it fails, every lock it held is gone, so
// each holder hears of it and the next PollLock opens a new connection.
func (s *Store) watchPollLocks() {
	pl := &s.pg.locks
	defer close(pl.done)
	tick := time.NewTicker(pollLockCheck)
	defer tick.Stop()
	for {
		select {
		case <-pl.stop:
			return
		case <-tick.C:
		}
		pl.mu.Lock()
		conn := pl.conn
		pl.mu.Unlock()
		if conn == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := conn.PingContext(ctx)
		cancel()
		if err == nil {
			continue
		}
		pl.mu.Lock()
		if pl.conn != conn {
			pl.mu.Unlock()
			continue
		}
		lost := pl.held
		pl.conn, pl.held = nil, nil
		pl.mu.Unlock()
		conn.Close()
		slog.Warn("store: the connection holding the poll locks broke; their channels stop here", "channels", len(lost), "err", err)
		for _, onLost := range lost {
			if onLost != nil {
				go onLost()
			}
		}
	}
}

// closePollLocks stops the watcher and closes the lock connection, which releases every lock.
func (s *Store) closePollLocks() {
	pl := &s.pg.locks
	pl.mu.Lock()
	pl.closed = true
	stop, conn := pl.stop, pl.conn
	pl.conn, pl.held = nil, nil
	pl.mu.Unlock()
	if stop != nil {
		close(stop)
		<-pl.done
	}
	if conn != nil {
		// A graceful stop hands the channels over at once; a dead instance's locks go with its
		// connection when PostgreSQL notices.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`); err != nil {
			slog.Warn("store: poll locks release", "err", err)
		}
		conn.Close()
	}
}
