package replica_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/engine"
	"switchboard/backend/hubclient"
	"switchboard/backend/replica"
)

// followDesk starts a replica engine of Alice's on url (with client, when not nil) and returns
// it with a reader of its status.
func followDesk(t *testing.T, h *teamHub, url string, client *http.Client) (*desk, func() replica.Status) {
	t.Helper()
	d := openDesk(t, h, "Alice")
	eng, err := engine.New(engine.Config{Store: d.st, MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler), Replica: &replica.Config{HubURL: url, Email: "alice@example.com",
			Password: "correct horse Alice", HTTPClient: client}})
	if err != nil {
		t.Fatal(err)
	}
	d.eng = eng
	d.start(t)
	return d, func() replica.Status { st, _ := d.eng.ReplicaStatus(); return st }
}

func waitStatus(t *testing.T, what string, status func() replica.Status, state, lastError string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		s := status()
		if s.State == state && s.LastError == lastError {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: the status is %+v", what, s)
		}
	}
}

// A hub behind a certificate the desktop does not trust, or an address with http:// where the
// hub speaks https://, leaves the replica offline with hub_tls, which the UI words in both
// languages; with the certificate trusted it follows.
func TestReplicaSaysWhenTheHubsTLSFails(t *testing.T) {
	h := startHub(t)
	tlsHub := httptest.NewTLSServer(h.api)
	t.Cleanup(tlsHub.Close)
	_, untrusted := followDesk(t, h, tlsHub.URL, nil)
	waitStatus(t, "an untrusted certificate told", untrusted, replica.StateOffline, hubclient.CodeTLS)
	_, plain := followDesk(t, h, strings.Replace(tlsHub.URL, "https://", "http://", 1), nil)
	waitStatus(t, "http:// to a TLS hub told", plain, replica.StateOffline, hubclient.CodeTLS)
	_, trusted := followDesk(t, h, tlsHub.URL, tlsHub.Client())
	waitStatus(t, "the trusted hub followed", trusted, replica.StateOnline, "")
}

// A hub of another version is told (hub_other_version) when the replica connects and when it
// follows: a hub upgraded under a running desktop stops it with the code instead of being
// misread, and the desktop follows again once the versions match.
func TestReplicaSaysWhenTheHubIsOfAnotherVersion(t *testing.T) {
	h := startHub(t)
	var newer atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/version" && newer.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"product":"switchboard-hub","api":99,"version":"9.0.0"}`))
			return
		}
		h.api.ServeHTTP(w, r)
	}))
	srv.Start()
	t.Cleanup(srv.Close)

	newer.Store(true)
	h.fake.PushText(1001, "Ann", "hello")
	d, connecting := followDesk(t, h, srv.URL, nil)
	waitStatus(t, "another version told when connecting", connecting, replica.StateOffline, hubclient.CodeOtherVersion)

	newer.Store(false)
	waitStatus(t, "the hub followed once the versions match", connecting, replica.StateOnline, "")
	waitFor(t, "the client's message", 10*time.Second, func() bool { return len(withText(everything(t, d.st), "hello")) == 1 })
	// The hub is upgraded while the desktop sleeps: on waking it connects again and finds the
	// new version.
	newer.Store(true)
	d.eng.Wake()
	waitStatus(t, "another version told while following", connecting, replica.StateOffline, hubclient.CodeOtherVersion)
	if s := connecting(); s.Seq == 0 {
		t.Fatalf("the replica lost its cursor: %+v", s)
	}

	// Not a hub at all: a web page where the version should be.
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>Welcome to nginx!</html>"))
	}))
	t.Cleanup(page.Close)
	_, notAHub := followDesk(t, h, page.URL, nil)
	waitStatus(t, "not a hub told", notAHub, replica.StateOffline, hubclient.CodeNotAHub)
}
