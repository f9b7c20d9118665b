package hub

import (
	"net/http"
	"testing"

	"switchboard/backend/version"
)

// The version route answers without a session, names the product and the API version, and
// tells nothing about the company.
func TestVersionNamesTheHubWithoutASession(t *testing.T) {
	h := newTestHub(t, "sqlite")
	a := h.do("GET", "/api/v1/version", "", nil)
	if a.status != http.StatusOK {
		t.Fatalf("version: %d %s", a.status, a.body)
	}
	var v versionResponse
	a.decode(t, &v)
	if v != (versionResponse{Product: "switchboard-hub", API: APIVersion, Version: version.String()}) {
		t.Fatalf("version answer %+v", v)
	}
	if a := h.do("POST", "/api/v1/version", "", nil); a.status != http.StatusUnauthorized {
		t.Fatalf("POST version without a session: %d", a.status)
	}
}
