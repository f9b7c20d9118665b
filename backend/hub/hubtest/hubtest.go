// Package hubtest runs a real hub for other packages' tests: backend/hub's Server over a real
// SQLite store in a temp directory, served on a loopback listener (httptest). Clients of the hub
// (backend/hubclient, the desktop's Team service) test against it instead of a double.
package hubtest

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchboard/backend/hub"
	"switchboard/backend/store"
)

// FastPasswords keep argon2id cheap in tests that sign in many times.
var FastPasswords = hub.PasswordParams{Memory: 1024, Time: 1, Threads: 1}

// Hub is a running hub and what a test needs to arrange its accounts and its clock.
type Hub struct {
	t        testing.TB
	Store    *store.Store
	Accounts *store.Accounts
	Server   *hub.Server
	HTTP     *httptest.Server
	clock    *clock
}

// Option changes the hub's Config before it starts.
type Option func(*hub.Config)

// WithLoginLimits sets the sign-in rate limits.
func WithLoginLimits(l hub.LoginLimits) Option { return func(c *hub.Config) { c.LoginLimits = l } }

// Start runs a hub over plain HTTP on loopback (TLS when tls is true: httptest's self-signed
// certificate, which no client trusts unless told to) until the test ends.
func Start(t testing.TB, tls bool, opts ...Option) *Hub {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), store.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Now()}
	cfg := hub.Config{Accounts: st.Accounts(), Events: st, Password: FastPasswords, Now: clk.Now,
		RevocationPoll: 50 * time.Millisecond, Log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := hub.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start(context.Background())
	ts := httptest.NewUnstartedServer(srv)
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are what some tests are about
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &Hub{t: t, Store: st, Accounts: st.Accounts(), Server: srv, HTTP: ts, clock: clk}
}

// URL is the hub's address.
func (h *Hub) URL() string { return h.HTTP.URL }

// AddAccount adds an account as `switchboard-hub user add` would.
func (h *Hub) AddAccount(name, email, role, password string) store.Account {
	h.t.Helper()
	hash, err := hub.HashPassword(password, FastPasswords)
	if err != nil {
		h.t.Fatal(err)
	}
	acc, err := h.Accounts.Add(context.Background(), store.NewAccount{Name: name, Email: email, Role: role, PasswordHash: hash},
		h.clock.Now().UnixMilli())
	if err != nil {
		h.t.Fatal(err)
	}
	return acc
}

// Advance moves the hub's clock (sessions expire, rate limits refill).
func (h *Hub) Advance(d time.Duration) { h.clock.Advance(d) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
