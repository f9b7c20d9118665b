// Package hub is team mode's server side: the HTTP API a desktop signs in to, accounts and
// sessions, the feed, a WebSocket that streams the store's event log from a seq (with the state
// of what changed, for replicas), and the sync API replicas live on (sync.go: snapshot, history,
// mutations applied once through the inbox; the wire is backend/teamwire's).
//
// Every route is declared once in routes() with the access it needs; ServeHTTP checks the
// session (and the role) before routing, so a route cannot be added without a check, and a
// request without a valid session gets nothing but 401, whatever its path.
package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// EventLog is the part of the store the feed follows (store.Store implements it).
type EventLog interface {
	EventsAfter(ctx context.Context, after int64, limit int) ([]core.Event, error)
	Subscribe() (<-chan struct{}, func())
}

// Config is what a Server needs. Accounts and Events are required; the rest have defaults.
type Config struct {
	Accounts *store.Accounts
	Events   EventLog
	// SessionTTL is how long a session lives after sign-in (default 30 days).
	SessionTTL time.Duration
	// LoginLimits bound sign-in attempts (default DefaultLoginLimits).
	LoginLimits LoginLimits
	// Password is the argon2id cost of hashes the API writes (default DefaultPasswordParams).
	Password PasswordParams
	// RevocationPoll is how often the hub looks for sessions revoked by another process (the
	// CLI, another hub instance) to close their sockets (default 1 s). Revocations through this
	// hub's API close sockets at once, without waiting for it.
	RevocationPoll time.Duration
	// Inbox and Composer apply mutations and their Store serves snapshots, history and the
	// state feed (sync.go). Without them the sync routes answer sync_unavailable.
	Inbox    *inbox.Service
	Composer *inbox.Composer
	// Prune bounds the event log the feed serves from (prune.go); Events must then be an
	// EventPruner. Zero: the log is kept whole.
	Prune PruneConfig
	// Now is the clock (tests move it); default time.Now.
	Now func() time.Time
	Log *slog.Logger
}

// Server is the hub's HTTP API. Start its background work with Start, stop it with Close.
type Server struct {
	cfg      Config
	accounts *store.Accounts
	mux      *http.ServeMux
	access   map[string]access // by mux pattern
	limiter  *loginLimiter
	feeds    *feedRegistry
	presence *presenceBoard // who is typing or viewing (presence.go): memory only
	tail     *logTail       // the event log near its head, read once for every socket
	fanout   chan struct{}  // places for sockets sending a batch (sendNext)
	log      *slog.Logger
	// dummyHash is verified against when an e-mail is unknown, so the answer takes as long as
	// for a wrong password and does not tell which e-mails have accounts.
	dummyHash string

	stop    context.CancelFunc
	stopped sync.WaitGroup
	streams sync.WaitGroup // open feed handlers
	// stopping is closed when the hub begins to stop, so waiting long-polls answer at once
	// instead of holding up the shutdown.
	stopping     chan struct{}
	stoppingOnce sync.Once
}

type access int

const (
	public access = iota // no session (sign-in and the version only)
	member               // any live session
	admin                // a live session of an admin
)

func (a access) String() string { return [...]string{"public", "member", "admin"}[a] }

type route struct {
	pattern string
	access  access
	handle  func(w http.ResponseWriter, r *http.Request, c *caller) *apiError
}

// routes is the API, in one table: pattern, who may call it, handler.
func (s *Server) routes() []route {
	return []route{
		{"GET /api/v1/version", public, s.version},
		{"POST /api/v1/login", public, s.login},
		{"POST /api/v1/logout", member, s.logout},
		{"GET /api/v1/me", member, s.me},
		{"GET /api/v1/sessions", member, s.ownSessions},
		{"DELETE /api/v1/sessions/{id}", member, s.revokeSession},
		{"GET /api/v1/feed", member, s.feed},
		{"GET " + teamwire.PathFeedPoll, member, s.feedPoll},
		{"GET " + teamwire.PathSnapshot, member, s.snapshot},
		{"GET /api/v1/chats/{id}/history", member, s.history},
		{"POST " + teamwire.PathMutations, member, s.mutate},
		{"POST " + teamwire.PathPresence, member, s.postPresence},
		{"GET " + teamwire.PathPresence, member, s.getPresence},
		{"GET /api/v1/users", admin, s.listUsers},
		{"POST /api/v1/users", admin, s.addUser},
		{"GET /api/v1/users/{id}/sessions", admin, s.userSessions},
		{"PUT /api/v1/users/{id}/role", admin, s.setRole},
		{"PUT /api/v1/users/{id}/disabled", admin, s.setDisabled},
		{"PUT /api/v1/users/{id}/password", admin, s.setPassword},
		// Everything else, after the session check: not_found.
		{"/", member, func(http.ResponseWriter, *http.Request, *caller) *apiError {
			return newError(http.StatusNotFound, CodeNotFound, nil)
		}},
	}
}

// New builds a Server; it serves requests at once, and needs Start for revocations made
// elsewhere and Close to end its sockets.
func New(cfg Config) (*Server, error) {
	if cfg.Accounts == nil || cfg.Events == nil {
		return nil, errors.New("hub: Accounts and Events are required")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.LoginLimits == (LoginLimits{}) {
		cfg.LoginLimits = DefaultLoginLimits
	}
	if cfg.Password == (PasswordParams{}) {
		cfg.Password = DefaultPasswordParams
	}
	if cfg.RevocationPoll <= 0 {
		cfg.RevocationPoll = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if _, ok := cfg.Events.(EventPruner); cfg.Prune.Enabled() && !ok {
		return nil, errors.New("hub: pruning needs an event log that can prune")
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	dummy, err := HashPassword("not a password: equalises sign-in timing", cfg.Password)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, accounts: cfg.Accounts, mux: http.NewServeMux(), access: map[string]access{},
		limiter: newLoginLimiter(cfg.LoginLimits), feeds: newFeedRegistry(), presence: newPresenceBoard(cfg.Now), log: cfg.Log, dummyHash: dummy,
		stop: func() {}, stopping: make(chan struct{}), fanout: make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
	}
	s.tail = newLogTail(cfg.Events)
	for _, rt := range s.routes() {
		s.access[rt.pattern] = rt.access
		s.mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			c, _ := r.Context().Value(callerKey{}).(*caller)
			if e := rt.handle(w, r, c); e != nil {
				writeError(w, e)
			}
		})
	}
	return s, nil
}

// Start runs the revocation watcher (and the log's pruning, when configured) until Close.
func (s *Server) Start(ctx context.Context) {
	ctx, s.stop = context.WithCancel(ctx)
	s.stopped.Add(1)
	go func() {
		defer s.stopped.Done()
		s.watchRevocations(ctx)
	}()
	if s.cfg.Prune.Enabled() {
		s.stopped.Add(1)
		go func() {
			defer s.stopped.Done()
			s.pruneLog(ctx, s.cfg.Events.(EventPruner), s.cfg.Prune)
		}()
	}
}

// Close stops the watcher, closes every open feed socket (http.Server.Shutdown does not touch
// hijacked connections) and waits for their handlers. Stop accepting requests first.
func (s *Server) Close() {
	s.beginStopping()
	s.stop()
	s.stopped.Wait()
	s.feeds.closeAll(closeShutdown)
	s.streams.Wait()
	s.tail.close()
}

type callerKey struct{}

// caller is who a request comes from: a live session and its account.
type caller struct {
	session store.Session
	account store.Account
}

func (s *Server) now() int64 { return s.cfg.Now().UnixMilli() }

// ServeHTTP checks the session and the role for every route but sign-in, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, pattern := s.mux.Handler(r)
	need, known := s.access[pattern]
	if !known {
		need = member // a method the route does not take, a malformed path: still a session first
	}
	if need != public {
		c, e := s.authenticate(r)
		if e != nil {
			writeError(w, e)
			return
		}
		if need == admin && c.account.Role != store.RoleAdmin {
			writeError(w, newError(http.StatusForbidden, CodeForbidden, nil))
			return
		}
		if !known {
			writeError(w, newError(http.StatusNotFound, CodeNotFound, nil))
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
	}
	s.mux.ServeHTTP(w, r)
}

// touchEvery is how stale last_seen_at may get before a request refreshes it: a write per
// request would queue every read behind SQLite's one writer.
const touchEvery = time.Minute

// authenticate finds the live session of the request's bearer token.
func (s *Server) authenticate(r *http.Request) (*caller, *apiError) {
	token, ok := bearerToken(r)
	if !ok {
		return nil, newError(http.StatusUnauthorized, CodeUnauthorized, nil)
	}
	now := s.now()
	sess, acc, err := s.accounts.SessionByTokenHash(r.Context(), hashToken(token), now)
	if errors.Is(err, store.ErrNotFound) {
		return nil, newError(http.StatusUnauthorized, CodeUnauthorized, nil)
	}
	if err != nil {
		s.log.Error("hub: authenticate", "err", err)
		return nil, newError(http.StatusInternalServerError, CodeInternal, nil)
	}
	if now-sess.LastSeenAt >= touchEvery.Milliseconds() {
		if err := s.accounts.TouchSession(r.Context(), sess.ID, now); err != nil {
			s.log.Warn("hub: touch session", "session", sess.ID, "err", err)
		}
		sess.LastSeenAt = now
	}
	return &caller{session: sess, account: acc}, nil
}

// tokenBytes is a session token's entropy: 256 bits, so guessing is not an attack worth
// rate-limiting.
const tokenBytes = 32

func newToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashToken is what the store keeps of a token: its SHA-256, hex. A token is random, so a fast
// hash is enough (nothing to brute-force), and lookups stay one indexed equality.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	token := strings.TrimSpace(h[len(prefix):])
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return "", false
	}
	return token, true
}

// clientAddress is the address sign-in attempts are counted by: the peer's IP. Behind a
// reverse proxy that is the proxy's, so every client shares one per-address bucket (the
// per-account bucket still holds); trusting a forwarded header is left to a later flag.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
