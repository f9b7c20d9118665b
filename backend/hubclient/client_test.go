package hubclient_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"switchboard/backend/hubclient"
	"testing"
	"time"

	"switchboard/backend/hub"
	"switchboard/backend/hub/hubtest"
)

const (
	adminPassword   = "admin password 1"
	managerPassword = "manager password 1"
)

func client(t *testing.T, url string) *hubclient.Client {
	t.Helper()
	c, err := hubclient.New(url)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantCode fails unless err is an *hubclient.Error with code.
func wantCode(t *testing.T, what string, err error, code string) *hubclient.Error {
	t.Helper()
	var e *hubclient.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: got %v, want code %s", what, err, code)
	}
	return e
}

func signIn(t *testing.T, c *hubclient.Client, email, password string) *hubclient.Client {
	t.Helper()
	s, err := c.Login(context.Background(), email, password)
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return c.WithToken(s.Token)
}

func TestSignInAskWhoAndSignOut(t *testing.T) {
	h := hubtest.Start(t, false)
	h.AddAccount("Анна <b>Admin</b>", "anna@example.com", "admin", adminPassword)
	ctx := context.Background()
	c := client(t, h.URL()+"/")
	if c.URL() != h.URL() {
		t.Fatalf("canonical URL %q, want %q", c.URL(), h.URL())
	}
	v, err := c.Version(ctx)
	if err != nil || v.Product != hubclient.Product || v.API != hubclient.APIVersion {
		t.Fatalf("version %+v %v", v, err)
	}
	s, err := c.Login(ctx, "ANNA@example.com", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Token) < 40 || s.Account.Name != "Анна <b>Admin</b>" || s.Account.Role != hubclient.RoleAdmin || s.Session.ID == 0 {
		t.Fatalf("sign-in %+v", s.Account)
	}
	in := c.WithToken(s.Token)
	if c.Token() != "" || in.Token() != s.Token {
		t.Fatal("WithToken changed the original client or lost the token")
	}
	acc, sess, err := in.Me(ctx)
	if err != nil || acc.Email != "anna@example.com" || sess.ID != s.Session.ID || sess.UserAgent != "Switchboard desktop" {
		t.Fatalf("me: %+v %+v %v", acc, sess, err)
	}
	if err := in.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	_, _, err = in.Me(ctx)
	wantCode(t, "me after logout", err, hubclient.CodeSessionEnded)
	// Without a session at all, the same.
	_, _, err = c.Me(ctx)
	wantCode(t, "me without a session", err, hubclient.CodeSessionEnded)
}

func TestSignInFailuresAreTold(t *testing.T) {
	h := hubtest.Start(t, false, hubtest.WithLoginLimits(hub.LoginLimits{
		PerAddressEvery: time.Hour, PerAddressBurst: 100, PerAccountEvery: 90 * time.Second, PerAccountBurst: 2,
	}))
	h.AddAccount("Vera", "vera@example.com", "manager", managerPassword)
	gone := h.AddAccount("Gone", "gone@example.com", "manager", managerPassword)
	h.AddAccount("Admin", "admin@example.com", "admin", adminPassword)
	ctx := context.Background()
	c := client(t, h.URL())

	_, err := c.Login(ctx, "vera@example.com", "wrong password 1")
	wantCode(t, "wrong password", err, hubclient.CodeLoginFailed)
	_, err = c.Login(ctx, "nobody@example.com", managerPassword)
	wantCode(t, "unknown e-mail", err, hubclient.CodeLoginFailed)

	// A disabled account cannot sign in, and its open session ends at once.
	goneIn := signIn(t, c, "gone@example.com", managerPassword)
	if _, err := h.Accounts.SetDisabled(ctx, gone.ManagerID, true, time.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(ctx, "gone@example.com", managerPassword)
	wantCode(t, "disabled account", err, hubclient.CodeLoginFailed)
	_, _, err = goneIn.Me(ctx)
	wantCode(t, "disabled account's session", err, hubclient.CodeSessionEnded)

	// The per-account limit: two quick tries, then wait; the wait is told in seconds.
	_, err = c.Login(ctx, "vera@example.com", "wrong password 2")
	wantCode(t, "second wrong password", err, hubclient.CodeLoginFailed)
	_, err = c.Login(ctx, "vera@example.com", managerPassword)
	e := wantCode(t, "third try", err, hubclient.CodeRateLimited)
	if e.RetryAfter < time.Second || e.RetryAfter > 90*time.Second || e.Detail == "" {
		t.Fatalf("retry after %v (%q)", e.RetryAfter, e.Detail)
	}
	h.Advance(95 * time.Second)
	vera := signIn(t, c, "vera@example.com", managerPassword)

	// A manager asking an admin's question.
	_, err = vera.Users(ctx)
	wantCode(t, "manager lists users", err, hubclient.CodeForbidden)
	_, err = vera.AddUser(ctx, hubclient.NewUser{Email: "x@example.com", Name: "X", Role: "admin", Password: "long enough 1"})
	wantCode(t, "manager adds a user", err, hubclient.CodeForbidden)

	// A session past its time.
	h.Advance(31 * 24 * time.Hour)
	_, _, err = vera.Me(ctx)
	wantCode(t, "expired session", err, hubclient.CodeSessionEnded)
}

func TestAnAdminManagesUsersAndSessions(t *testing.T) {
	h := hubtest.Start(t, false)
	h.AddAccount("Admin", "admin@example.com", "admin", adminPassword)
	ctx := context.Background()
	admin := signIn(t, client(t, h.URL()), "admin@example.com", adminPassword)

	hostile := `<img src=x onerror=alert(1)> Мария`
	maria, err := admin.AddUser(ctx, hubclient.NewUser{Email: "Maria@Example.com", Name: hostile, Role: hubclient.RoleManager, Password: managerPassword})
	if err != nil || maria.Email != "maria@example.com" || maria.Name != hostile || maria.Role != hubclient.RoleManager || maria.ID == 0 {
		t.Fatalf("add: %+v %v", maria, err)
	}
	_, err = admin.AddUser(ctx, hubclient.NewUser{Email: "maria@example.com", Name: "Again", Role: hubclient.RoleManager, Password: managerPassword})
	wantCode(t, "same e-mail", err, hubclient.CodeEmailTaken)
	_, err = admin.AddUser(ctx, hubclient.NewUser{Email: "short@example.com", Name: "Short", Role: hubclient.RoleManager, Password: "short"})
	if e := wantCode(t, "short password", err, hubclient.CodePasswordShort); e.Detail != "10" {
		t.Fatalf("short password detail %q", e.Detail)
	}
	_, err = admin.AddUser(ctx, hubclient.NewUser{Email: "not an e-mail", Name: "X", Role: hubclient.RoleManager, Password: managerPassword})
	wantCode(t, "bad e-mail", err, hubclient.CodeInvalidEmail)
	_, err = admin.AddUser(ctx, hubclient.NewUser{Email: "y@example.com", Name: " ", Role: hubclient.RoleManager, Password: managerPassword})
	wantCode(t, "empty name", err, hubclient.CodeInvalidName)
	_, err = admin.AddUser(ctx, hubclient.NewUser{Email: "y@example.com", Name: "Y", Role: "owner", Password: managerPassword})
	wantCode(t, "unknown role", err, hubclient.CodeInvalidRole)

	users, err := admin.Users(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("users %+v %v", users, err)
	}

	mariaIn := signIn(t, client(t, h.URL()), "maria@example.com", managerPassword)
	sessions, err := admin.UserSessions(ctx, maria.ID)
	if err != nil || len(sessions) != 1 || sessions[0].ManagerID != maria.ID {
		t.Fatalf("sessions %+v %v", sessions, err)
	}
	if err := admin.RevokeSession(ctx, sessions[0].ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = mariaIn.Me(ctx)
	wantCode(t, "revoked session", err, hubclient.CodeSessionEnded)
	err = admin.RevokeSession(ctx, sessions[0].ID)
	wantCode(t, "revoked twice", err, hubclient.CodeNotFound)

	if acc, err := admin.SetRole(ctx, maria.ID, hubclient.RoleAdmin); err != nil || acc.Role != hubclient.RoleAdmin {
		t.Fatalf("role: %+v %v", acc, err)
	}
	if acc, err := admin.SetRole(ctx, maria.ID, hubclient.RoleManager); err != nil || acc.Role != hubclient.RoleManager {
		t.Fatalf("role back: %+v %v", acc, err)
	}
	me, _, _ := admin.Me(ctx)
	_, err = admin.SetRole(ctx, me.ID, hubclient.RoleManager)
	wantCode(t, "the last admin", err, hubclient.CodeLastAdmin)
	_, err = admin.SetDisabled(ctx, me.ID, true)
	wantCode(t, "disable the last admin", err, hubclient.CodeLastAdmin)

	if acc, err := admin.SetDisabled(ctx, maria.ID, true); err != nil || !acc.Disabled {
		t.Fatalf("disable: %+v %v", acc, err)
	}
	if acc, err := admin.SetDisabled(ctx, maria.ID, false); err != nil || acc.Disabled {
		t.Fatalf("enable: %+v %v", acc, err)
	}
	mariaIn = signIn(t, client(t, h.URL()), "maria@example.com", managerPassword)
	if _, err := admin.SetPassword(ctx, maria.ID, "a new password 2"); err != nil {
		t.Fatal(err)
	}
	_, _, err = mariaIn.Me(ctx)
	wantCode(t, "session after a password reset", err, hubclient.CodeSessionEnded)
	signIn(t, client(t, h.URL()), "maria@example.com", "a new password 2")
	_, err = admin.SetPassword(ctx, maria.ID, "short")
	wantCode(t, "short new password", err, hubclient.CodePasswordShort)
	_, err = admin.SetRole(ctx, 9999, hubclient.RoleAdmin)
	wantCode(t, "no such user", err, hubclient.CodeNotFound)
	_, err = admin.UserSessions(ctx, 9999)
	wantCode(t, "sessions of no such user", err, hubclient.CodeNotFound)
}

func TestAddressesAreChecked(t *testing.T) {
	for raw, code := range map[string]string{
		"hub.example.com":                 hubclient.CodeBadURL,
		"ftp://hub.example.com":           hubclient.CodeBadURL,
		"https://":                        hubclient.CodeBadURL,
		"https://hub.example.com/api":     hubclient.CodeBadURL,
		"https://hub.example.com/?x=1":    hubclient.CodeBadURL,
		"https://user:pw@hub.example.com": hubclient.CodeBadURL,
		"http://hub.example.com":          hubclient.CodeInsecureURL,
		"http://192.168.1.10:8443":        hubclient.CodeInsecureURL,
	} {
		_, err := hubclient.New(raw)
		wantCode(t, raw, err, code)
	}
	for raw, want := range map[string]string{
		" https://hub.example.com/ ": "https://hub.example.com",
		"http://127.0.0.1:8443":      "http://127.0.0.1:8443",
		"http://localhost:8443/":     "http://localhost:8443",
		"http://[::1]:8443":          "http://[::1]:8443",
	} {
		c, err := hubclient.New(raw)
		if err != nil || c.URL() != want {
			t.Errorf("%q: %v %v", raw, c, err)
		}
	}
}

// Failures on the way to the hub: nobody listening, a certificate nobody trusts, http:// to a
// TLS hub, a server that is not a hub, a hub of another version, a proxy whose hub is down.
func TestTheWayToTheHubFailsWithACode(t *testing.T) {
	ctx := context.Background()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	_, err = client(t, dead).Login(ctx, "a@example.com", adminPassword)
	wantCode(t, "nobody listening", err, hubclient.CodeUnreachable)

	tlsHub := hubtest.Start(t, true)
	tlsHub.AddAccount("Admin", "admin@example.com", "admin", adminPassword)
	_, err = client(t, tlsHub.URL()).Login(ctx, "admin@example.com", adminPassword)
	wantCode(t, "self-signed certificate", err, hubclient.CodeTLS)
	_, err = client(t, strings.Replace(tlsHub.URL(), "https://", "http://", 1)).Login(ctx, "admin@example.com", adminPassword)
	wantCode(t, "http:// to a TLS hub", err, hubclient.CodeTLS)
	plainHub := hubtest.Start(t, false)
	_, err = client(t, strings.Replace(plainHub.URL(), "http://", "https://", 1)).Login(ctx, "admin@example.com", adminPassword)
	wantCode(t, "https:// to a plain hub", err, hubclient.CodeTLS)

	serve := func(h http.HandlerFunc) string {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL
	}
	page := serve(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>Welcome to nginx!</html>"))
	})
	_, err = client(t, page).Login(ctx, "a@example.com", adminPassword)
	wantCode(t, "a web page", err, hubclient.CodeNotAHub)

	otherJSON := serve(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"product":"something-else","api":1}`))
	})
	_, err = client(t, otherJSON).Login(ctx, "a@example.com", adminPassword)
	wantCode(t, "another product's JSON", err, hubclient.CodeNotAHub)

	newer := serve(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"product":"switchboard-hub","api":99,"version":"9.0.0"}`))
	})
	_, err = client(t, newer).Login(ctx, "a@example.com", adminPassword)
	if e := wantCode(t, "a newer hub", err, hubclient.CodeOtherVersion); e.Detail != "9.0.0" {
		t.Fatalf("other version detail %q", e.Detail)
	}
	// A hub from before the version route: every unknown path is 401 unauthorized.
	older := serve(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"code":"unauthorized","params":{}}`))
	})
	_, err = client(t, older).Login(ctx, "a@example.com", adminPassword)
	wantCode(t, "an older hub", err, hubclient.CodeOtherVersion)

	proxy := serve(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html>502 Bad Gateway</html>"))
	})
	_, err = client(t, proxy).Login(ctx, "a@example.com", adminPassword)
	if e := wantCode(t, "a proxy whose hub is down", err, hubclient.CodeServerError); e.Detail != "502" {
		t.Fatalf("server error detail %q", e.Detail)
	}
}

// An error never carries the password or the token, whatever went wrong.
func TestErrorsHoldNoSecrets(t *testing.T) {
	h := hubtest.Start(t, false)
	h.AddAccount("Admin", "admin@example.com", "admin", adminPassword)
	ctx := context.Background()
	c := client(t, h.URL())
	s, err := c.Login(ctx, "admin@example.com", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	in := c.WithToken(s.Token)
	_, errShort := in.SetPassword(ctx, s.Account.ID, "tiny-pw")
	_, errWrong := c.Login(ctx, "admin@example.com", "wrong password 1")
	in.Logout(ctx)
	_, _, errEnded := in.Me(ctx)
	for _, err := range []error{errShort, errWrong, errEnded} {
		if err == nil {
			t.Fatal("expected a failure")
		}
		for _, secret := range []string{adminPassword, "tiny-pw", "wrong password 1", s.Token} {
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error %q holds a secret", err)
			}
		}
	}
}
