package secrets

import (
	"errors"
	"testing"

	"github.com/zalando/go-keyring"
)

// The hub session is one keyring entry, apart from the channels' tokens. (The desktop's Team
// tests use the real Secret Service: app/team_test.go.)
func TestHubSessionRoundTrip(t *testing.T) {
	keyring.MockInit()
	var s HubSession = KeyringHubSession{}
	if _, err := s.Get(); !errors.Is(err, ErrNoToken) {
		t.Fatalf("no session yet: %v", err)
	}
	if err := s.Set(""); err == nil {
		t.Fatal("an empty session was stored")
	}
	if err := s.Set("session-token"); err != nil {
		t.Fatal(err)
	}
	if err := (Keyring{}).Set(1, "channel token"); err != nil {
		t.Fatal(err)
	}
	if tok, err := keyring.Get(Service, "hub-session"); err != nil || tok != "session-token" {
		t.Fatalf("filed as switchboard/hub-session: %q %v", tok, err)
	}
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := s.Get(); !errors.Is(err, ErrNoToken) {
		t.Fatalf("after delete: %v", err)
	}
	if tok, _ := (Keyring{}).Get(1); tok != "channel token" {
		t.Fatal("deleting the hub session touched a channel's token")
	}
}
