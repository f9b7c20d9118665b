package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"switchboard/backend/hub/hubtest"
	"switchboard/backend/hubclient"
)

// Connecting to a hub behind a certificate this machine does not trust, or to a hub of another
// version, fails with the code the UI words (hub_tls, hub_other_version with the hub's version
// for the words' slot), and the desktop stays solo.
func TestConnectingToAnUntrustedOrOtherVersionHubIsTold(t *testing.T) {
	a, _ := teamApp(t)
	tlsHub := hubtest.Start(t, true)
	tlsHub.AddAccount("Anna", "anna@example.com", "admin", teamAdminPassword)
	_, err := a.ConnectHub(tlsHub.URL(), "anna@example.com", teamAdminPassword)
	wantUICode(t, "an untrusted certificate", err, hubclient.CodeTLS)

	newer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"product":"switchboard-hub","api":99,"version":"9.0.0"}`))
	}))
	t.Cleanup(newer.Close)
	_, err = a.ConnectHub(newer.URL, "anna@example.com", teamAdminPassword)
	wantUICode(t, "a hub of another version", err, hubclient.CodeOtherVersion)
	if ui := uiError(err); ui.Message != "9.0.0" {
		t.Fatalf("the words' slot holds %q, want the hub's version", ui.Message)
	}
	if st, err := a.TeamStatus(); err != nil || st.Mode != teamSolo {
		t.Fatalf("a failed connection changed the mode: %+v %v", st, err)
	}
}
