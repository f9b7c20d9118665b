package telegram_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/telegram"
)

const hardenToken = "123456:AAHardenTokenHardenTokenHardenToken0"

func checkAgainst(t *testing.T, apiURL string, hc *http.Client) *channel.APIError {
	t.Helper()
	c := telegram.New(telegram.Config{Token: hardenToken, APIURL: apiURL, HTTPClient: hc, RequestTimeout: 3 * time.Second})
	_, err := c.Check(context.Background())
	if err == nil {
		t.Fatal("Check succeeded against a broken server")
	}
	if strings.Contains(err.Error(), hardenToken) {
		t.Fatalf("error leaks the token: %v", err)
	}
	var ae *channel.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err %v is not an *APIError", err)
	}
	return ae
}

// A custom Bot API server that is reachable but wrong is not "cannot reach the server": an error
// page, something that is not a Bot API server, a TLS failure and no answer at all each have
// their own reason, and the first two carry the status and the server's own words, shortened.
func TestServerFailuresAreToldApart(t *testing.T) {
	errorPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("<html><body><h1>Internal failure</h1>\n<p>database " + strings.Repeat("down ", 100) + "</p></body></html>"))
	}))
	defer errorPage.Close()
	ae := checkAgainst(t, errorPage.URL, nil)
	if ae.Reason != channel.ReasonServerError || ae.Code != 500 || !strings.HasPrefix(ae.Description, "HTTP 500: Internal failure database down") ||
		len([]rune(ae.Description)) > 200 || strings.Contains(ae.Description, "<") {
		t.Fatalf("error page: reason %q code %d %q", ae.Reason, ae.Code, ae.Description)
	}

	notAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><title>Welcome to nginx!</title></html>"))
	}))
	defer notAPI.Close()
	ae = checkAgainst(t, notAPI.URL, nil)
	if ae.Reason != channel.ReasonNotBotAPI || !strings.Contains(ae.Description, "HTTP 200") || !strings.Contains(ae.Description, "Welcome to nginx!") {
		t.Fatalf("not a Bot API server: reason %q %q", ae.Reason, ae.Description)
	}
	jsonButNotAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"message":"no such route"}`))
	}))
	defer jsonButNotAPI.Close()
	if ae = checkAgainst(t, jsonButNotAPI.URL, nil); ae.Reason != channel.ReasonNotBotAPI {
		t.Fatalf("JSON that is not an envelope: reason %q %q", ae.Reason, ae.Description)
	}

	tlsServer := httptest.NewTLSServer(http.NotFoundHandler()) // a certificate nobody trusts
	defer tlsServer.Close()
	if ae = checkAgainst(t, tlsServer.URL, nil); ae.Reason != channel.ReasonTLS {
		t.Fatalf("TLS failure: reason %q %q", ae.Reason, ae.Description)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	if ae = checkAgainst(t, closed, nil); ae.Reason != channel.ReasonUnreachable || !errors.Is(ae, channel.ErrTemporary) {
		t.Fatalf("nothing listening: reason %q %q", ae.Reason, ae.Description)
	}
}

// Every Bot API URL holds the token: a redirect is never followed (the new host would get the
// request, its body and a Referer with the token).
func TestRedirectsAreNeverFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(`{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"x"}}`))
	}))
	defer other.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer redirecting.Close()
	ae := checkAgainst(t, redirecting.URL, &http.Client{})
	if elsewhere.Load() != 0 {
		t.Fatal("the redirect was followed")
	}
	if ae.Reason != channel.ReasonNotBotAPI || ae.Code != http.StatusTemporaryRedirect {
		t.Fatalf("redirect: reason %q code %d", ae.Reason, ae.Code)
	}
}

// A server's retry_after cannot park a channel or the outbox for longer than MaxRetryAfter.
func TestRetryAfterIsBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
		w.Write([]byte(`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 9999999999","parameters":{"retry_after":9999999999}}`))
	}))
	defer srv.Close()
	ae := checkAgainst(t, srv.URL, nil)
	if !errors.Is(ae, channel.ErrRateLimited) || ae.RetryAfter <= 0 || ae.RetryAfter > channel.MaxRetryAfter {
		t.Fatalf("retry after %v (class %v)", ae.RetryAfter, ae.Class)
	}
	if d := channel.RetryDelay(&channel.APIError{RetryAfter: 1000 * time.Hour}, time.Second); d != channel.MaxRetryAfter {
		t.Fatalf("RetryDelay = %v", d)
	}
}

// The token is in every request URL: plain http:// is accepted only to this machine.
func TestPlainHTTPOnlyForLoopback(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://bot.example.com": true, "https://10.0.0.5:8081": true,
		"http://127.0.0.1:8081": true, "http://localhost:8081": true, "http://[::1]:8081": true,
		"http://bot.example.com": false, "http://10.0.0.5:8081": false, "http://localhost.evil.example": false,
		"http://user:pw@127.0.0.1": false, "ftp://127.0.0.1": false, "127.0.0.1:8081": false,
	} {
		if err := channel.CheckAPIURL(raw); (err == nil) != ok {
			t.Errorf("CheckAPIURL(%q) = %v, want ok=%v", raw, err, ok)
		}
	}
}
