package secrets

import (
	"errors"

	"github.com/zalando/go-keyring"
)

// hubSessionUser is the keyring entry of the desktop's session at its team hub. One desktop
// signs in to one hub at a time, so one entry; the hub's address is not a secret and lives in
// the app's settings.
const hubSessionUser = "hub-session"

// HubSession keeps the desktop's hub session token in the OS keyring, never anywhere else: a
// token is as good as the password for as long as it lives.
type HubSession interface {
	Get() (string, error) // ErrNoToken when there is none
	Set(token string) error
	Delete() error // deleting a missing token is not an error
}

// KeyringHubSession is the HubSession in the OS keyring (service "switchboard", user
// "hub-session").
type KeyringHubSession struct{}

// Get returns the stored session token.
func (KeyringHubSession) Get() (string, error) {
	tok, err := keyring.Get(Service, hubSessionUser)
	if err != nil {
		return "", keyringErr("read", err)
	}
	return tok, nil
}

// Set stores the session token, replacing any earlier one.
func (KeyringHubSession) Set(token string) error {
	if token == "" {
		return errors.New("keyring: empty hub session")
	}
	if err := keyring.Set(Service, hubSessionUser, token); err != nil {
		return keyringErr("write", err)
	}
	return nil
}

// Delete removes the session token.
func (KeyringHubSession) Delete() error {
	err := keyring.Delete(Service, hubSessionUser)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return keyringErr("delete", err)
	}
	return nil
}
