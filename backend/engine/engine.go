// Package engine builds the Switchboard engine once: the store's use cases (inbox and composer),
// the channel machinery (a poller per connected channel and the outbox worker, over connectors
// built by kind) and the notification feed. The desktop app, the headless hub and the tests all
// get their engine here, as Miniflux's daemon wires its parts in one place; no other package
// builds connectors or wires one part into another's fields.
//
// Team mode adds one more part here: the replica (backend/replica), which replays the hub's feed
// into the local store and turns the desktop's writes into hub mutations. With Config.Replica
// set the engine builds it instead of the channel machinery (no pollers, no channel outbox: the
// hub owns the bots), so the app and the headless tools keep calling New and Start.
package engine

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/connectors"
	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/notify"
	"switchboard/backend/replica"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// Config says what differs between the app, the hub and the tests. Only Store is required.
type Config struct {
	Store *store.Store
	// Secrets keeps channel tokens: the OS keyring when nil.
	Secrets secrets.Store
	// TelegramAPI, when set, is the Bot API server of every Telegram channel (the hub's
	// --telegram-api: a self-hosted telegram-bot-api; a test's fake), whatever its row says.
	TelegramAPI string
	// VKAPI, when set, is the VK API root of every VK channel (a test's fake).
	VKAPI string
	// HTTPClient carries every messenger request (the bench clocks the wire with it).
	HTTPClient *http.Client
	// PollTimeout is Telegram's long-poll timeout; 0 = the client's default.
	PollTimeout time.Duration
	// Ingest is the store as the pollers see it; the store itself when nil (the bench wraps
	// it to time ApplyBatch).
	Ingest channel.ChannelStore
	// CacheDir holds lazily downloaded media (default <data dir>/media).
	CacheDir string
	// OnStatus gets every channel status change (the app forwards it to the UI).
	OnStatus func(core.ChannelStatus)
	// OnBatch gets every committed batch with changes.
	OnBatch func(channelID int64, res core.ApplyResult)
	// OnTyping gets "client is typing" (VK); never stored.
	OnTyping func(channelID int64, externalChatID string)
	// Desktop shows notifications on the desktop; nil means the engine keeps no notification
	// feed (the headless hub).
	Desktop notify.Desktop
	// OnNotification hears every new item of the notification feed (the app sends it to the UI).
	OnNotification func(notify.Item)
	Logger         *slog.Logger
	// MinBackoff/MaxBackoff override the retry delays (tests).
	MinBackoff, MaxBackoff time.Duration
	// SyncEvery is how often the pollers are matched to the channels table, picking up channels
	// another process added or removed (the hub's --sync); 0: never, on SQLite. On PostgreSQL
	// they are matched at least every pollLockRetry whatever it says: that is also how a lost
	// poll lock is taken again.
	SyncEvery time.Duration
	// Replica, when set, makes this engine a replica of a team hub: HubURL and a session Token
	// (or Email and Password), OnStatus for "offline — N changes waiting". Its Store, Logger
	// and backoffs are filled from this Config.
	Replica *replica.Config
}

// Engine is the composed engine. Its parts are for reading; they are wired here only.
type Engine struct {
	Store    *store.Store
	Inbox    *inbox.Service
	Composer *inbox.Composer
	// Notifier is the notification feed; nil when Config.Desktop was nil.
	Notifier *notify.Notifier

	channels *inbox.Channels
	// replica is set in replica mode, where channels is nil.
	replica *replica.Replica
	// stopDue ends the due-task watcher; dueDone closes when it has.
	stopDue context.CancelFunc
	dueDone chan struct{}
	// stopSync ends the channel loop (startSyncing); syncDone closes when it has.
	stopSync context.CancelFunc
	syncDone chan struct{}
	// syncEvery is Config.SyncEvery.
	syncEvery time.Duration
	log       *slog.Logger
}

// pollLockRetry is how often a hub on PostgreSQL asks again for the poll locks of channels
// nobody here polls (as the outbox does, every outboxLockRetry): a channel whose lock was lost
// (PostgreSQL restarted, or the polling instance died) is polled again within it, by whichever
// instance asks first, in an engine with or without a SyncEvery.
var pollLockRetry = 2 * time.Second

// New composes the engine over cfg.Store. Nothing runs until Start.
func New(cfg Config) (*Engine, error) {
	if cfg.Store == nil {
		return nil, errors.New("engine: no store")
	}
	ib, err := inbox.New(cfg.Store)
	if err != nil {
		return nil, err
	}
	if cfg.Secrets == nil {
		cfg.Secrets = secrets.Keyring{}
	}
	factory := connectors.Options{TelegramAPI: cfg.TelegramAPI, VKAPI: cfg.VKAPI, HTTPClient: cfg.HTTPClient,
		PollTimeout: cfg.PollTimeout}.New
	if cfg.Ingest == nil {
		cfg.Ingest = cfg.Store
	}
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(filepath.Dir(cfg.Store.Path()), "media")
	}
	e := &Engine{Store: cfg.Store, Inbox: ib, syncEvery: cfg.SyncEvery, log: cfg.Logger}
	if e.log == nil {
		e.log = slog.Default()
	}
	ib.Checks = factory // a replica checks a bot's token itself before handing it to the hub
	if cfg.Replica != nil {
		return e.asReplica(cfg)
	}
	ch := &inbox.Channels{Secrets: cfg.Secrets, Factory: factory}
	ch.Supervisor = channel.NewSupervisor(channel.SupervisorConfig{
		Store: cfg.Ingest, Media: cfg.Store, Tokens: cfg.Secrets, Factory: factory,
		CacheDir: cfg.CacheDir, Logger: cfg.Logger, OnBatch: cfg.OnBatch, OnTyping: cfg.OnTyping,
		MinBackoff: cfg.MinBackoff, MaxBackoff: cfg.MaxBackoff,
		OnStatus: func(st core.ChannelStatus) {
			// A channel that connects wakes the outbox, so sends queued while it was down
			// leave at once. Runs only after Start, when ch.Outbox is set.
			if st.State == core.StateConnected {
				ch.Outbox.Wake()
			}
			if cfg.OnStatus != nil {
				cfg.OnStatus(st)
			}
		},
	})
	ch.Outbox = channel.NewOutboxWorker(channel.OutboxConfig{Store: cfg.Store, Conns: ch.Supervisor, Logger: cfg.Logger,
		MinBackoff: cfg.MinBackoff, MaxBackoff: cfg.MaxBackoff})
	ib.Channels = ch
	e.channels = ch
	e.Composer = inbox.ComposerFor(ib)
	if cfg.Desktop != nil {
		e.Notifier = notify.New(cfg.Desktop, cfg.OnNotification)
	}
	return e, nil
}

// asReplica composes the replica-mode engine: the inbox's sends, read marks and drafts go to
// the replica's pending mutations, and nothing talks to a messenger.
func (e *Engine) asReplica(cfg Config) (*Engine, error) {
	rc := *cfg.Replica
	rc.Store, rc.Logger = cfg.Store, cfg.Logger
	cfg.Store.SetReplica(true)
	if rc.MinBackoff == 0 {
		rc.MinBackoff, rc.MaxBackoff = cfg.MinBackoff, cfg.MaxBackoff
	}
	rep, err := replica.New(rc)
	if err != nil {
		return nil, err
	}
	e.replica = rep
	e.Inbox.Remote = rep
	if me := rep.Me(); me > 0 {
		// The signed-in manager of the last run (the first run learns it only after signing
		// in, and the store's is_me follows with the snapshot).
		e.Inbox.Me = me
	}
	e.Composer = inbox.ComposerFor(e.Inbox)
	e.Composer.Remote = rep
	if cfg.Desktop != nil {
		e.Notifier = notify.New(cfg.Desktop, cfg.OnNotification)
	}
	return e, nil
}

// Replica is the replica in replica mode (status, older history on demand), nil in solo mode
// and on the hub.
func (e *Engine) Replica() *replica.Replica { return e.replica }

// ReplicaStatus is the replica's status ("offline — N changes waiting"); false in solo mode.
func (e *Engine) ReplicaStatus() (replica.Status, bool) {
	if e.replica == nil {
		return replica.Status{}, false
	}
	return e.replica.Status(), true
}

// Start starts polling every enabled channel and the outbox worker (in replica mode: following
// the hub and posting mutations).
func (e *Engine) Start(ctx context.Context) error {
	if e.replica != nil {
		e.replica.Start(ctx)
	} else {
		if err := e.channels.Supervisor.Start(ctx); err != nil {
			return err
		}
		e.channels.Outbox.Start()
		e.startSyncing(ctx)
	}
	if e.Notifier != nil {
		// A task of this desktop's manager that becomes due raises one notification.
		w := &notify.DueWatcher{Source: e.Store, Notifier: e.Notifier, Assignee: e.Inbox.Me, Now: e.Inbox.Now}
		dueCtx, cancel := context.WithCancel(ctx)
		e.stopDue, e.dueDone = cancel, make(chan struct{})
		go func() {
			defer close(e.dueDone)
			w.Run(dueCtx)
		}()
	}
	return nil
}

// startSyncing runs the engine's one channel loop, when it has one (see Config.SyncEvery): it
// matches the pollers to the channels table every SyncEvery, at least every pollLockRetry on
// PostgreSQL, and there also kicks the outbox whenever the event log grows: several hub instances
// on one PostgreSQL, and a send through another instance's API queues an outbox row this one may
// have to deliver, which nothing here kicked.
func (e *Engine) startSyncing(ctx context.Context) {
	every, grew := e.syncEvery, e.Store.LogGrew() // grew: nil on SQLite, where nothing else writes
	if grew != nil && (every <= 0 || every > pollLockRetry) {
		every = pollLockRetry
	}
	if every <= 0 {
		return
	}
	syncCtx, cancel := context.WithCancel(ctx)
	e.stopSync, e.syncDone = cancel, make(chan struct{})
	go func() {
		defer close(e.syncDone)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-syncCtx.Done():
				return
			case <-grew:
				e.channels.Outbox.Kick()
			case <-tick.C:
				if err := e.channels.Supervisor.Sync(syncCtx); err != nil && syncCtx.Err() == nil {
					e.log.Warn("channel sync", "err", err)
				}
			}
		}
	}()
}

// Stop stops the pollers and the outbox worker and waits for their goroutines.
func (e *Engine) Stop() {
	if e.stopDue != nil {
		e.stopDue()
		<-e.dueDone
		e.stopDue = nil
	}
	if e.replica != nil {
		e.replica.Stop()
		return
	}
	if e.stopSync != nil {
		e.stopSync()
		<-e.syncDone
		e.stopSync = nil
	}
	e.channels.Outbox.Stop()
	e.channels.Supervisor.Stop()
}

// Wake retries everything now: after the machine woke from sleep or the network returned.
func (e *Engine) Wake() {
	if e.replica != nil {
		e.replica.Wake()
		return
	}
	e.channels.Supervisor.Wake()
	e.channels.Outbox.Wake()
}

// SyncChannels starts and stops pollers to match the channels table (the hub picks up channels
// that `channel add/remove` changed while it runs).
func (e *Engine) SyncChannels(ctx context.Context) error {
	if e.replica != nil {
		return nil // the hub runs the channels
	}
	return e.channels.Supervisor.Sync(ctx)
}

// Close discards a voice note still recording and waits for its goroutine. The store stays
// open: whoever opened it closes it.
func (e *Engine) Close() error {
	return e.Composer.Close()
}
