package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/backend/store"
	"switchboard/backend/store/testpg"
)

// testParams keep argon2id cheap in tests that sign in many times; the hash format and the
// defaults are checked separately (TestStoredSecretsAreArgon2idAndHashesOnly).
var testParams = PasswordParams{Memory: 1024, Time: 1, Threads: 1}

// clock is a settable time source shared by the server and the test.
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

// testHub is a real hub over httptest: its store (the event log and the account book) in
// SQLite, or in the "postgres" variant in PostgreSQL.
type testHub struct {
	t        *testing.T
	st       *store.Store
	accounts *store.Accounts
	srv      *Server
	ts       *httptest.Server
	clock    *clock
}

type hubOption func(*Config)

func newTestHub(t *testing.T, book string, opts ...hubOption) *testHub {
	t.Helper()
	var st *store.Store
	var err error
	if book == "postgres" {
		st, err = store.OpenPostgres(context.Background(), testpg.DSN(t), t.TempDir())
	} else {
		st, err = store.Open(filepath.Join(t.TempDir(), store.DBFile))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	accounts := st.Accounts()
	clk := &clock{t: time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)}
	cfg := Config{Accounts: accounts, Events: st, Password: testParams, Now: clk.Now, RevocationPoll: 50 * time.Millisecond,
		Log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start(context.Background())
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &testHub{t: t, st: st, accounts: accounts, srv: srv, ts: ts, clock: clk}
}

// forEachBook runs fn with a hub whose accounts live in SQLite and one whose accounts live in
// PostgreSQL (skipped without SWITCHBOARD_TEST_PG, failed in CI without it).
func forEachBook(t *testing.T, fn func(t *testing.T, h *testHub), opts ...hubOption) {
	for _, book := range []string{"sqlite", "postgres"} {
		t.Run(book, func(t *testing.T) { fn(t, newTestHub(t, book, opts...)) })
	}
}

func (h *testHub) addAccount(email, role, password string) store.Account {
	h.t.Helper()
	hash, err := HashPassword(password, testParams)
	if err != nil {
		h.t.Fatal(err)
	}
	acc, err := h.accounts.Add(context.Background(), store.NewAccount{Name: "Name of " + email, Email: email, Role: role, PasswordHash: hash}, h.clock.Now().UnixMilli())
	if err != nil {
		h.t.Fatal(err)
	}
	return acc
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) code() string {
	var e struct {
		Code   string         `json:"code"`
		Params map[string]any `json:"params"`
	}
	json.Unmarshal(a.body, &e)
	return e.Code
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(a.body, v); err != nil {
		t.Fatalf("decode %s: %v", a.body, err)
	}
}

// do sends one request; body is JSON-encoded unless it is a string (sent as is) or nil.
func (h *testHub) do(method, path, token string, body any) answer {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, header: res.Header, body: raw}
}

// login signs in and returns the token and session id, failing the test otherwise.
func (h *testHub) login(email, password string) (string, int64) {
	h.t.Helper()
	a := h.do("POST", "/api/v1/login", "", map[string]string{"email": email, "password": password})
	if a.status != http.StatusOK {
		h.t.Fatalf("login %s: %d %s", email, a.status, a.body)
	}
	var res loginResponse
	a.decode(h.t, &res)
	if res.Token == "" || res.Session.ID == 0 {
		h.t.Fatalf("login %s: %s", email, a.body)
	}
	return res.Token, res.Session.ID
}

// generousLogins lifts the sign-in limits for tests about something else.
func generousLogins(c *Config) {
	c.LoginLimits = LoginLimits{PerAddressEvery: time.Millisecond, PerAddressBurst: 1000, PerAccountEvery: time.Millisecond, PerAccountBurst: 1000}
}
