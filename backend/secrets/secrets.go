// Package secrets keeps channel tokens out of the database, the logs and the UI: in the OS
// keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows) for the
// desktop app, and — only for the headless hub on a machine without a keyring — in an
// environment variable or a file readable by its owner alone.
package secrets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name tokens are filed under.
const Service = "switchboard"

var (
	// ErrNoToken: no token is stored for the channel.
	ErrNoToken = errors.New("no token stored for this channel")
	// ErrNoKeyring: the OS keyring cannot be used. The desktop app never falls back to a file.
	ErrNoKeyring = errors.New("no usable OS keyring")
	// ErrInsecureFile: a token file others can read or write is refused.
	ErrInsecureFile = errors.New("token file must be readable by its owner only (chmod 600)")
)

// KeyringFix says how to get a keyring on Linux; shown with ErrNoKeyring.
const KeyringFix = "Install and unlock a Secret Service keyring: GNOME Keyring (gnome-keyring, unlocked at login) " +
	"or KeePassXC with Secret Service integration enabled, then try again."

// KeyringError is ErrNoKeyring with the operation and the keyring's own error.
type KeyringError struct {
	Op  string
	Err error
}

func (e *KeyringError) Error() string {
	return fmt.Sprintf("keyring %s: %v: %s", e.Op, e.Err, KeyringFix)
}

// Is makes errors.Is(err, ErrNoKeyring) true.
func (e *KeyringError) Is(target error) bool { return target == ErrNoKeyring }
func (e *KeyringError) Unwrap() error        { return e.Err }

// Store is a place tokens are kept, by channel id.
type Store interface {
	Get(channelID int64) (string, error)
	Set(channelID int64, token string) error
	Delete(channelID int64) error
}

// Keyring keeps tokens in the OS keyring under service "switchboard", user "channel-<id>".
type Keyring struct{}

func user(channelID int64) string { return "channel-" + strconv.FormatInt(channelID, 10) }

func keyringErr(op string, err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNoToken
	}
	return &KeyringError{Op: op, Err: err}
}

// Get returns the channel's token.
func (Keyring) Get(channelID int64) (string, error) {
	tok, err := keyring.Get(Service, user(channelID))
	if err != nil {
		return "", keyringErr("read", err)
	}
	return tok, nil
}

// Set stores the channel's token.
func (Keyring) Set(channelID int64, token string) error {
	if token == "" {
		return errors.New("keyring: empty token")
	}
	if err := keyring.Set(Service, user(channelID), token); err != nil {
		return keyringErr("write", err)
	}
	return nil
}

// Delete removes the channel's token; deleting a missing token is not an error.
func (Keyring) Delete(channelID int64) error {
	err := keyring.Delete(Service, user(channelID))
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return keyringErr("delete", err)
	}
	return nil
}

// Available says whether the keyring answers: nil, or a *KeyringError (ErrNoKeyring).
func (Keyring) Available() error {
	_, err := keyring.Get(Service, "probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return &KeyringError{Op: "open", Err: err}
}

// EnvOrFile is the headless hub's token source when there is no keyring: the environment
// variable SWITCHBOARD_TOKEN_<id> first, then Dir/channel-<id>.token, which must be 0600.
type EnvOrFile struct {
	Dir string
	// Getenv reads the environment (os.Getenv when nil).
	Getenv func(string) string
}

// EnvName is the variable holding channel id's token.
func EnvName(channelID int64) string { return "SWITCHBOARD_TOKEN_" + strconv.FormatInt(channelID, 10) }

func (e EnvOrFile) path(channelID int64) string {
	return filepath.Join(e.Dir, user(channelID)+".token")
}

// Get returns the token from the environment or the channel's token file.
func (e EnvOrFile) Get(channelID int64) (string, error) {
	getenv := e.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if tok := strings.TrimSpace(getenv(EnvName(channelID))); tok != "" {
		return tok, nil
	}
	tok, err := ReadTokenFile(e.path(channelID))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("%w: set %s or create %s (mode 600)", ErrNoToken, EnvName(channelID), e.path(channelID))
	}
	return tok, err
}

// Set writes the channel's token file with mode 0600 (atomically: a crash leaves the old file).
func (e EnvOrFile) Set(channelID int64, token string) error {
	if token == "" {
		return errors.New("token file: empty token")
	}
	if err := os.MkdirAll(e.Dir, 0o700); err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	tmp, err := os.CreateTemp(e.Dir, ".token-*")
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("token file: %w", err)
	}
	if _, err := tmp.WriteString(token + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("token file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	if err := os.Rename(tmp.Name(), e.path(channelID)); err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	return nil
}

// Delete removes the channel's token file.
func (e EnvOrFile) Delete(channelID int64) error {
	if err := os.Remove(e.path(channelID)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("token file: %w", err)
	}
	return nil
}

// ReadTokenFile reads a token from a file that only its owner may read or write.
func ReadTokenFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("token file %s: %w", path, err)
	}
	// Unix mode bits say who else may read the file. Windows reports every writable file as 0666
	// whatever its ACL: there the data directory's protected ACL (store.OpenDir) guards it.
	if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("token file %s has mode %v: %w", path, st.Mode().Perm(), ErrInsecureFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("token file %s: %w", path, err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("token file %s is empty", path)
	}
	return tok, nil
}

// Headless picks the hub's token store: the keyring when one answers, otherwise env/0600 files
// in dir. The second value names the choice for the log.
func Headless(dir string) (Store, string) {
	if (Keyring{}).Available() == nil {
		return Keyring{}, "OS keyring"
	}
	return EnvOrFile{Dir: dir}, "environment / 0600 token files in " + dir
}
