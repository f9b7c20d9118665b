package channel

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/core"
)

// OutboxStore is what the worker needs from the store.
type OutboxStore interface {
	// NextOutbox returns rows due by dueBy, at most one per chat (the chat's oldest undone row).
	NextOutbox(ctx context.Context, dueBy time.Time) ([]core.OutboxJob, error)
	// NextOutboxDue says when the earliest row that may leave is due.
	NextOutboxDue(ctx context.Context) (time.Time, bool, error)
	OutboxDone(ctx context.Context, id int64, sent core.Sent, now time.Time) error
	OutboxFailed(ctx context.Context, id int64, reason string, permanent bool, retryAt, now time.Time) error
	// OutboxSending marks a row as handed to the messenger (before the attempt).
	OutboxSending(ctx context.Context, id int64) error
	// RecoverOutbox settles rows a crashed run left in flight (called once at start).
	RecoverOutbox(ctx context.Context, now time.Time) (int, error)
}

// Connectors hands out the connector of a channel (the Supervisor does).
type Connectors interface {
	Connector(channelID int64) (Connector, bool)
}

// OutboxConfig wires an OutboxWorker.
type OutboxConfig struct {
	Store  OutboxStore
	Conns  Connectors
	Logger *slog.Logger
	Now    func() time.Time
	// MinBackoff/MaxBackoff bound retry delays of temporary failures (2 s, 60 s by default).
	MinBackoff, MaxBackoff time.Duration
	// Idle is the longest the worker sleeps with nothing due (30 s by default); Kick and
	// Wake cut it short.
	Idle time.Duration
	// SendTimeout bounds one delivery (2 min by default: uploads of up to 50 MB).
	SendTimeout time.Duration
}

// OutboxWorker delivers outbox rows through the channels' connectors, one chat's rows strictly
// in order, retrying temporary failures with back-off and closing permanent ones as failed.
type OutboxWorker struct {
	cfg     OutboxConfig
	kick    chan struct{}
	wakeAll atomic.Bool

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// NewOutboxWorker returns a worker; it runs after Start.
func NewOutboxWorker(cfg OutboxConfig) *OutboxWorker {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 2 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 60 * time.Second
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 30 * time.Second
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 2 * time.Minute
	}
	return &OutboxWorker{cfg: cfg, kick: make(chan struct{}, 1)}
}

// Start runs the worker in its own goroutine until Stop.
func (w *OutboxWorker) Start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go func() {
		defer close(w.done)
		w.run(ctx)
	}()
}

// Stop ends the worker and waits for it. A delivery in flight is cancelled; its row stays
// queued and leaves on the next start.
func (w *OutboxWorker) Stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

// Kick tells the worker a row was queued: look now.
func (w *OutboxWorker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Wake tells the worker the network (or a channel) is back: rows waiting out a back-off are
// retried at once.
func (w *OutboxWorker) Wake() {
	w.wakeAll.Store(true)
	w.Kick()
}

// outboxLockRetry is how often a hub instance that does not poll asks again whether it should
// (the polling one may have died).
var outboxLockRetry = 2 * time.Second

func (w *OutboxWorker) run(ctx context.Context) {
	pl, shared := w.cfg.Store.(PollLocker)
	if !shared {
		w.deliverAll(ctx, nil)
		return
	}
	// A store shared by several hub instances: the outbox is delivered by the instance that
	// polls (PollLocker; channel 0 is the outbox), which has every channel's connector. Rows
	// another instance left in flight are settled only after taking over from it.
	for ctx.Err() == nil {
		var lost atomic.Bool
		release, held, err := pl.PollLock(ctx, 0, func() { lost.Store(true); w.Kick() })
		if err != nil {
			w.cfg.Logger.Warn("outbox: poll lock", "err", err)
		}
		if !held {
			w.wait(ctx, outboxLockRetry)
			continue
		}
		w.deliverAll(ctx, &lost)
		release()
	}
}

// deliverAll recovers the rows a crashed run left in flight, then delivers rows as they come
// due until ctx ends or lost (when given) is set.
func (w *OutboxWorker) deliverAll(ctx context.Context, lost *atomic.Bool) {
	if n, err := w.cfg.Store.RecoverOutbox(ctx, w.cfg.Now()); err != nil {
		w.cfg.Logger.Error("outbox: recover rows left in flight", "err", err)
	} else if n > 0 {
		w.cfg.Logger.Warn("outbox: rows were in flight when the last run stopped", "rows", n)
	}
	for ctx.Err() == nil && (lost == nil || !lost.Load()) {
		now := w.cfg.Now()
		dueBy := now
		if w.wakeAll.Swap(false) {
			dueBy = now.Add(24 * time.Hour)
		}
		jobs, err := w.cfg.Store.NextOutbox(ctx, dueBy)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			w.cfg.Logger.Error("outbox: read due rows", "err", err)
			w.wait(ctx, 5*time.Second)
			continue
		}
		storeFailed := false
		for _, j := range jobs {
			if ctx.Err() != nil {
				return
			}
			if err := w.deliver(ctx, j); err != nil {
				w.cfg.Logger.Error("outbox: record result", "outbox", j.Item.ID, "err", err)
				storeFailed = true
			}
		}
		if storeFailed {
			w.wait(ctx, 5*time.Second) // do not spin on a failing store
			continue
		}
		if len(jobs) > 0 {
			continue // the next row of each chat may be due now
		}
		sleep := w.cfg.Idle
		if at, ok, err := w.cfg.Store.NextOutboxDue(ctx); err == nil && ok {
			if d := at.Sub(w.cfg.Now()); d < sleep {
				sleep = max(d, 10*time.Millisecond)
			}
		}
		w.wait(ctx, sleep)
	}
}

func (w *OutboxWorker) wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-w.kick:
	}
}

// deliver performs one row and records the outcome; the error returned is the store's only.
func (w *OutboxWorker) deliver(ctx context.Context, j core.OutboxJob) error {
	log := w.cfg.Logger.With("outbox", j.Item.ID, "channel", j.ChannelID, "action", j.Item.Action)
	conn, ok := w.cfg.Conns.Connector(j.ChannelID)
	if !ok {
		now := w.cfg.Now()
		return w.cfg.Store.OutboxFailed(ctx, j.Item.ID, core.FailNotConnected, false,
			now.Add(w.cfg.MaxBackoff), now)
	}
	if err := w.cfg.Store.OutboxSending(ctx, j.Item.ID); err != nil {
		return err
	}
	// A delivery in flight when the worker stops gets a short grace period to finish, so a
	// normal quit rarely leaves a send whose outcome is unknown.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.SendTimeout)
	release := context.AfterFunc(ctx, func() { time.AfterFunc(stopGrace, cancel) })
	sent, err := conn.Do(dctx, j.Out)
	cutOff := dctx.Err() == context.Canceled // only the stop cancels; a timeout is a failure
	release()
	cancel()
	// The outcome is recorded even while stopping: it is what happened upstream.
	ctx = context.WithoutCancel(ctx)
	now := w.cfg.Now()
	if err == nil {
		log.Debug("delivered")
		return w.cfg.Store.OutboxDone(ctx, j.Item.ID, sent, now)
	}
	if cutOff {
		// Cut off by the stop: the outcome is unknown, the row stays in flight for RecoverOutbox.
		return nil
	}
	var apiErr *APIError
	errors.As(err, &apiErr)
	switch {
	case errors.Is(err, ErrPermanent):
		log.Info("refused by the messenger", "err", err)
		return w.cfg.Store.OutboxFailed(ctx, j.Item.ID, FailureReason(err), true, time.Time{}, now)
	case errors.Is(err, ErrRateLimited):
		d := RetryDelay(apiErr, 5*time.Second)
		log.Info("rate limited", "retry_in", d)
		return w.cfg.Store.OutboxFailed(ctx, j.Item.ID, core.FailRateLimited, false, now.Add(d), now)
	case errors.Is(err, ErrUnauthorized):
		log.Warn("token rejected", "err", err)
		return w.cfg.Store.OutboxFailed(ctx, j.Item.ID, core.FailTokenRejected, false,
			now.Add(w.cfg.MaxBackoff), now)
	default:
		d := backoff(j.Item.Attempts+1, w.cfg.MinBackoff, w.cfg.MaxBackoff)
		log.Info("temporary failure", "err", err, "retry_in", d)
		return w.cfg.Store.OutboxFailed(ctx, j.Item.ID, core.FailOffline, false, now.Add(d), now)
	}
}

// stopGrace is how long a delivery in flight may finish after Stop.
const stopGrace = 5 * time.Second

// FailureReason is the code kept on a refused row and its message (core.Fail*): what the
// connector singled out, else what the error's class says. The messenger's own words go to the
// log only: they are English, and the person reads the UI's words in their language.
func FailureReason(err error) string {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Reason != "" {
		return apiErr.Reason
	}
	switch {
	case errors.Is(err, ErrUnauthorized):
		return core.FailTokenRejected
	case errors.Is(err, ErrRateLimited):
		return core.FailRateLimited
	case errors.Is(err, ErrWebhook):
		return core.FailWebhook
	case errors.Is(err, ErrConflict):
		return core.FailConflict
	case errors.Is(err, ErrPermanent):
		return core.FailRejected
	}
	return core.FailOffline
}
