// Package hubclient is the desktop's side of team mode's accounts: a small client of the hub's
// HTTP API (backend/hub) for signing in and out, asking who a session is, and an admin's user
// management. Every failure is an *Error with a stable code the UI words for a person.
//
// It keeps no state but the hub's address and a session token, and writes neither anywhere:
// where the token lives (the OS keyring) is the caller's business.
package hubclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/loopback"
)

// APIVersion is the hub API this client speaks; the hub's GET /api/v1/version must answer it.
// 2: drafts are each manager's own (teamwire: RowSet.Drafts, Mutation.WrittenAt).
const APIVersion = 2

// Product is what a Switchboard hub names itself in GET /api/v1/version.
const Product = "switchboard-hub"

// Timeouts: a hub on the company's network answers in milliseconds; these bound a hung one.
const (
	dialTimeout    = 5 * time.Second
	requestTimeout = 20 * time.Second
	// maxAnswer bounds what is read of an answer: the users list of a big company is well under it.
	maxAnswer = 4 << 20
)

// Account is a manager's account at the hub.
type Account struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatarUrl"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	Disabled  bool   `json:"disabled"`
	CreatedAt int64  `json:"createdAt"`
	UpdatedAt int64  `json:"updatedAt"`
}

// Roles.
const (
	RoleAdmin   = "admin"
	RoleManager = "manager"
)

// Session is one signed-in device of an account.
type Session struct {
	ID         int64  `json:"id"`
	ManagerID  int64  `json:"managerId"`
	CreatedAt  int64  `json:"createdAt"`
	LastSeenAt int64  `json:"lastSeenAt"`
	ExpiresAt  int64  `json:"expiresAt"`
	Address    string `json:"address"`
	UserAgent  string `json:"userAgent"`
}

// SignIn is a successful login: the session token (a secret: keep it in the keyring only), the
// session and the account.
type SignIn struct {
	Token   string  `json:"token"`
	Session Session `json:"session"`
	Account Account `json:"account"`
}

// HubVersion is what GET /api/v1/version answers.
type HubVersion struct {
	Product string `json:"product"`
	API     int    `json:"api"`
	Version string `json:"version"`
}

// NewUser is an account an admin adds.
type NewUser struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatarUrl"`
	Role      string `json:"role"`
	Password  string `json:"password"`
}

// Client talks to one hub, signed in or not.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
	// UserAgent names this desktop in the hub's sessions list.
	UserAgent string
}

// New checks a hub address and returns a client of it without a session. An address must be
// https://, or http:// to this machine only (a hub for local use or tests): over plain HTTP to
// another machine the password and the token would cross the network readable.
func New(rawURL string) (*Client, error) {
	base, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout = dialTimeout
	return &Client{
		base: base,
		http: &http.Client{
			Transport: transport,
			Timeout:   requestTimeout,
			// A redirect is not followed: it would drop the session (another host) or the body
			// (a POST), and a hub never redirects its API.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		UserAgent: "Switchboard desktop",
	}, nil
}

// Over is a client of a hub address the caller has checked itself, through the caller's HTTP
// client (its TLS roots and timeouts): the replica asks the hub's version with it, so a hub is
// judged by the same rules whoever asks.
func Over(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, &Error{Code: CodeBadURL, Err: err}
	}
	return &Client{base: u, http: hc, UserAgent: "Switchboard desktop"}, nil
}

// ParseURL checks a hub address typed by a person and returns it in canonical form (no path,
// query or fragment; a trailing slash dropped).
func ParseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return nil, &Error{Code: CodeBadURL}
	}
	if u.Scheme == "http" && !loopback.Host(u.Hostname()) {
		return nil, &Error{Code: CodeInsecureURL}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// URL is the hub's address in canonical form.
func (c *Client) URL() string { return c.base.String() }

// WithToken is a client of the same hub signed in with token.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// Token is the session token, "" before Login.
func (c *Client) Token() string { return c.token }

// Version asks the hub what it is. An answer that is not a Switchboard hub's is CodeNotAHub; a
// hub of another API version (or one too old to have the route) is CodeOtherVersion.
func (c *Client) Version(ctx context.Context) (HubVersion, error) {
	var v HubVersion
	err := c.do(ctx, http.MethodGet, "/api/v1/version", nil, &v)
	if e, ok := err.(*Error); ok && e.Code == CodeSessionEnded {
		// A hub from before the version route answers every unknown path with 401.
		return v, &Error{Code: CodeOtherVersion, Err: err}
	}
	if err != nil {
		return v, err
	}
	return v, CheckVersion(v)
}

// CheckVersion says whether a version answer is a Switchboard hub's of this API: CodeNotAHub or
// CodeOtherVersion (Detail: the hub's version) when not. The replica asks it on every
// connection, so a hub upgraded under a running desktop is told, not misread.
func CheckVersion(v HubVersion) error {
	if v.Product != Product {
		return &Error{Code: CodeNotAHub, Err: fmt.Errorf("product %q", v.Product)}
	}
	if v.API != APIVersion {
		return &Error{Code: CodeOtherVersion, Detail: v.Version, Err: fmt.Errorf("hub API %d, client %d", v.API, APIVersion)}
	}
	return nil
}

// Login checks that the address is a hub of this version, signs in and returns the session.
// The returned client's Token is the new session's.
func (c *Client) Login(ctx context.Context, email, password string) (SignIn, error) {
	if _, err := c.Version(ctx); err != nil {
		return SignIn{}, err
	}
	var s SignIn
	if err := c.do(ctx, http.MethodPost, "/api/v1/login", map[string]string{"email": email, "password": password}, &s); err != nil {
		return SignIn{}, err
	}
	if s.Token == "" {
		return SignIn{}, &Error{Code: CodeNotAHub, Err: fmt.Errorf("login answer without a token")}
	}
	return s, nil
}

// Logout ends this client's session at the hub.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, http.MethodPost, "/api/v1/logout", nil, nil)
}

// Me is the session's account and the session itself.
func (c *Client) Me(ctx context.Context) (Account, Session, error) {
	var me struct {
		Account Account `json:"account"`
		Session Session `json:"session"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/me", nil, &me)
	return me.Account, me.Session, err
}

// Users lists the company's accounts (admins only).
func (c *Client) Users(ctx context.Context) ([]Account, error) {
	var out struct {
		Users []Account `json:"users"`
	}
	err := c.do(ctx, http.MethodGet, "/api/v1/users", nil, &out)
	return out.Users, err
}

// AddUser adds an account (admins only).
func (c *Client) AddUser(ctx context.Context, u NewUser) (Account, error) {
	var acc Account
	err := c.do(ctx, http.MethodPost, "/api/v1/users", u, &acc)
	return acc, err
}

// SetRole makes an account an admin or a manager (admins only).
func (c *Client) SetRole(ctx context.Context, id int64, role string) (Account, error) {
	var acc Account
	err := c.do(ctx, http.MethodPut, userPath(id, "role"), map[string]string{"role": role}, &acc)
	return acc, err
}

// SetDisabled disables an account, ending its sessions at once, or enables it (admins only).
func (c *Client) SetDisabled(ctx context.Context, id int64, disabled bool) (Account, error) {
	var acc Account
	err := c.do(ctx, http.MethodPut, userPath(id, "disabled"), map[string]bool{"disabled": disabled}, &acc)
	return acc, err
}

// SetPassword gives an account a new password, ending its sessions (admins only).
func (c *Client) SetPassword(ctx context.Context, id int64, password string) (Account, error) {
	var acc Account
	err := c.do(ctx, http.MethodPut, userPath(id, "password"), map[string]string{"password": password}, &acc)
	return acc, err
}

// UserSessions lists an account's live sessions (admins only).
func (c *Client) UserSessions(ctx context.Context, id int64) ([]Session, error) {
	var out struct {
		Sessions []Session `json:"sessions"`
	}
	err := c.do(ctx, http.MethodGet, userPath(id, "sessions"), nil, &out)
	return out.Sessions, err
}

// RevokeSession ends a session: one's own, or anyone's for an admin.
func (c *Client) RevokeSession(ctx context.Context, id int64) error {
	return c.do(ctx, http.MethodDelete, "/api/v1/sessions/"+strconv.FormatInt(id, 10), nil, nil)
}

func userPath(id int64, what string) string {
	return "/api/v1/users/" + strconv.FormatInt(id, 10) + "/" + what
}

// do sends one request and decodes a success into out (nil: no body expected). Every failure
// is an *Error.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("hub request: %w", err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, body)
	if err != nil {
		return &Error{Code: CodeBadURL, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return TransportError(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return &Error{Code: CodeUnreachable, Err: fmt.Errorf("read answer: %w", err)}
	}
	isJSON := jsonAnswer(resp.Header.Get("Content-Type"))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil {
			return nil
		}
		if !isJSON || json.Unmarshal(raw, out) != nil {
			return &Error{Code: CodeNotAHub, Err: fmt.Errorf("%s %s: HTTP %d, not the hub's JSON", method, path, resp.StatusCode)}
		}
		return nil
	}
	// Go's HTTPS server answers a plain HTTP request with this 400: the address says http://
	// where the hub speaks https://.
	if resp.StatusCode == http.StatusBadRequest && bytes.Contains(raw, []byte("HTTP request to an HTTPS server")) {
		return &Error{Code: CodeTLS, Err: fmt.Errorf("the hub speaks HTTPS: use https://")}
	}
	var answer struct {
		Code   string         `json:"code"`
		Params map[string]any `json:"params"`
	}
	if isJSON {
		_ = json.Unmarshal(raw, &answer)
	}
	return answerError(resp.StatusCode, answer.Code, answer.Params, resp.Header.Get("Retry-After"))
}

func jsonAnswer(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}
