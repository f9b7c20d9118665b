// Package replica is team mode's desktop side: it keeps the local store a live copy of a team
// hub and carries the desktop's writes to it.
//
// The follower signs in (or takes a session token), downloads a snapshot when the store has no
// cursor (or the hub says "bootstrap again"), then follows the hub's state feed over one
// WebSocket from the snapshot's seq, applying each message in one local transaction together
// with the new cursor, and reconnecting with backoff when the socket drops. The uplink posts the
// pending mutations (the desktop's writes, queued in the store) to the hub with their
// Idempotency-Key, oldest first, retrying with backoff until the hub has answered, so writes
// made offline survive restarts and are applied once. The wire is backend/teamwire's.
package replica

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/backend/hubclient"
	"switchboard/backend/store"
)

// Settings this package keeps in the store's settings table. The session token is never among
// them: it lives in the OS keyring (the app's) or in memory (the headless replica).
const (
	keySeq    = "replica.seq"       // the feed cursor, written with the rows it covers
	keyHub    = "replica.hub"       // the hub the local rows came from
	keyClient = "replica.client_id" // this desktop's half of every Idempotency-Key
	keyMe     = "replica.me"        // the signed-in manager's id
)

// States of the replica, for the app.
const (
	StateConnecting    = "connecting"
	StateBootstrapping = "bootstrapping"
	StateOnline        = "online"
	StateOffline       = "offline"    // the hub cannot be reached; retrying
	StateSignedOut     = "signed_out" // the session ended: sign in again
	StateStopped       = "stopped"
)

// Status is what the app shows: "offline — N changes waiting" is State offline with Pending N.
type Status struct {
	State   string `json:"state"`
	Pending int    `json:"pending"`
	Seq     int64  `json:"seq"`
	// Progress of a snapshot download (State bootstrapping): people applied of the total.
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
	// LastError is a code, worded by the UI: the hub's error code, or hubclient's (hub_unreachable,
	// hub_tls, hub_other_version, hub_not_a_hub, hub_server_error).
	LastError string `json:"lastError"`
}

// Config is what a Replica needs. Store and HubURL are required, and either Token or Email and
// Password.
type Config struct {
	Store  *store.Store
	HubURL string // http(s)://host:port
	// Token is a session token (the app reads it from the keyring). When empty, or when the
	// hub ends that session, the replica signs in with Email and Password if it has them.
	Token           string
	Email, Password string
	// Me is the signed-in manager's id when the caller knows it (the app, from signing in); the
	// replica asks the hub otherwise, and the engine's "me" is right only from the next start.
	Me         int64
	HTTPClient *http.Client
	Logger     *slog.Logger
	// MinBackoff/MaxBackoff bound the retry delays (default 500 ms and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// LongPoll follows the feed over plain HTTP long-polls instead of a WebSocket (a network
	// whose proxy refuses WebSockets; the replica also falls back by itself when the upgrade
	// is refused).
	LongPoll bool
	// OnStatus hears every change of Status (the app forwards it to the UI).
	OnStatus func(Status)
	// OnPresence hears every change of the other managers' presence (presence.go): the whole
	// list, which the app forwards to the UI.
	OnPresence func([]Presence)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Replica follows a hub into the local store and carries local writes to it.
type Replica struct {
	cfg Config
	st  *store.Store
	log *slog.Logger
	// hub asks the hub's version as the desktop's sign-in does (hubclient's rules and codes).
	hub *hubclient.Client
	// directKeys numbers the mutations posted at once (PostNow): seeded with the start time in
	// ns so a later run's keys are new to the hub too, then counted, so two posts on one clock
	// reading never share a key (the hub would answer the second with the first's result).
	directKeys atomic.Int64
	clientID   string

	mu     sync.Mutex
	token  string
	me     int64
	status Status
	// dropFeed ends the open feed socket (Wake: after sleep a socket may be dead without
	// knowing it; a new one resumes from the cursor in one round trip).
	dropFeed context.CancelFunc

	// fromStart holds the chats (id → true) whose history this replica holds from the
	// beginning: LoadOlder has nothing more to ask the hub for.
	fromStart sync.Map
	wake      chan struct{} // Wake: retry now
	kickUp    chan struct{} // a mutation was queued
	stop      context.CancelFunc
	running   sync.WaitGroup
	signInMu  sync.Mutex
	pres      presence // who types or views where (presence.go): memory only
}

// New builds a replica over cfg.Store; nothing runs until Start.
func New(cfg Config) (*Replica, error) {
	if cfg.Store == nil || cfg.HubURL == "" {
		return nil, errors.New("replica: Store and HubURL are required")
	}
	if cfg.Token == "" && (cfg.Email == "" || cfg.Password == "") {
		return nil, errors.New("replica: a session token or an e-mail and password are required")
	}
	cfg.HubURL = strings.TrimRight(cfg.HubURL, "/")
	if !strings.HasPrefix(cfg.HubURL, "http://") && !strings.HasPrefix(cfg.HubURL, "https://") {
		return nil, fmt.Errorf("replica: hub URL %q: want http:// or https://", cfg.HubURL)
	}
	if cfg.HTTPClient == nil {
		// Its own connection pool: Wake closes it, which must not touch anyone else's.
		cfg.HTTPClient = &http.Client{Timeout: 60 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	hub, err := hubclient.Over(cfg.HubURL, cfg.HTTPClient)
	if err != nil {
		return nil, fmt.Errorf("replica: hub URL %q: %w", cfg.HubURL, err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 500 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ctx := context.Background()
	client, ok, err := cfg.Store.Setting(ctx, keyClient)
	if err != nil {
		return nil, err
	}
	if !ok {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		client = hex.EncodeToString(b)
		if err := cfg.Store.SetSetting(ctx, keyClient, client); err != nil {
			return nil, err
		}
	}
	r := &Replica{cfg: cfg, st: cfg.Store, log: cfg.Logger, hub: hub, clientID: client, token: cfg.Token,
		wake: make(chan struct{}, 1), kickUp: make(chan struct{}, 1), stop: func() {}}
	r.directKeys.Store(time.Now().UnixNano())
	if v, ok, err := cfg.Store.Setting(ctx, keyMe); err == nil && ok {
		r.me, _ = strconv.ParseInt(v, 10, 64)
	}
	if r.me == 0 && cfg.Me > 0 {
		// Known from signing in (the app's membership): right from the first run, before the
		// replica has asked the hub.
		r.me = cfg.Me
	}
	if v, ok, err := cfg.Store.Setting(ctx, keySeq); err == nil && ok {
		r.status.Seq, _ = strconv.ParseInt(v, 10, 64)
	}
	r.status.State = StateStopped
	r.status.Pending, _ = cfg.Store.PendingCount(ctx)
	return r, nil
}

// Start runs the follower and the uplink until Stop.
func (r *Replica) Start(ctx context.Context) {
	ctx, r.stop = context.WithCancel(ctx)
	r.setStatus(func(s *Status) { s.State = StateConnecting })
	r.running.Add(3)
	go func() {
		defer r.running.Done()
		r.follow(ctx)
	}()
	go func() {
		defer r.running.Done()
		r.sweepPresence(ctx)
	}()
	go func() {
		defer r.running.Done()
		r.uplink(ctx)
	}()
}

// Stop ends both loops and waits for them. A feed message being applied either commits with
// its cursor or rolls back and comes again.
func (r *Replica) Stop() {
	r.stop()
	r.running.Wait()
	r.setStatus(func(s *Status) { s.State = StateStopped })
}

// Wake retries at once whatever waits for a backoff (after sleep, or when the network returns).
func (r *Replica) Wake() {
	r.mu.Lock()
	if r.dropFeed != nil {
		r.dropFeed()
	}
	r.mu.Unlock()
	// Kept-alive connections to the hub died with the sleep as the socket did: a request sent on
	// one would wait out the client's timeout.
	r.cfg.HTTPClient.CloseIdleConnections()
	signal(r.wake)
	signal(r.kickUp)
}

// Status returns the current status.
func (r *Replica) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Me is the signed-in manager's id (0 before the first sign-in).
func (r *Replica) Me() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.me
}

func (r *Replica) setStatus(change func(*Status)) {
	r.mu.Lock()
	before := r.status
	change(&r.status)
	after := r.status
	r.mu.Unlock()
	if after != before && r.cfg.OnStatus != nil {
		r.cfg.OnStatus(after)
	}
}

func (r *Replica) refreshPending(ctx context.Context) {
	n, err := r.st.PendingCount(ctx)
	if err != nil {
		return
	}
	r.setStatus(func(s *Status) { s.Pending = n })
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// backoff doubles a delay up to the maximum.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	} else {
		b.cur = min(b.cur*2, b.max)
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits d, or less if woken; false when ctx ended.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-wake:
	}
	return true
}
