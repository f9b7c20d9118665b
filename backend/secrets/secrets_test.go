package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestKeyringRoundTrip(t *testing.T) {
	keyring.MockInit()
	k := Keyring{}
	if err := k.Available(); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(3); !errors.Is(err, ErrNoToken) {
		t.Fatalf("missing token: %v", err)
	}
	if err := k.Set(3, "123:ABC"); err != nil {
		t.Fatal(err)
	}
	if tok, err := k.Get(3); err != nil || tok != "123:ABC" {
		t.Fatalf("get: %q %v", tok, err)
	}
	if tok, _ := keyring.Get("switchboard", "channel-3"); tok != "123:ABC" {
		t.Fatal("token not filed under service switchboard, user channel-3")
	}
	if err := k.Delete(3); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(3); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := k.Get(3); !errors.Is(err, ErrNoToken) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestNoKeyringIsTypedWithAFix(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	defer keyring.MockInit()
	k := Keyring{}
	err := k.Set(1, "SECRET-777:xyz")
	var ke *KeyringError
	if !errors.Is(err, ErrNoKeyring) || !errors.As(err, &ke) {
		t.Fatalf("set without keyring: %v", err)
	}
	if !strings.Contains(err.Error(), "gnome-keyring") || !strings.Contains(err.Error(), "KeePassXC") {
		t.Fatalf("no fix in %q", err)
	}
	if strings.Contains(err.Error(), "SECRET-777") {
		t.Fatalf("token leaked into %q", err)
	}
	if err := k.Available(); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("available: %v", err)
	}
	if _, err := k.Get(1); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("get: %v", err)
	}
}

func TestEnvOrFile(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{}
	s := EnvOrFile{Dir: dir, Getenv: func(k string) string { return env[k] }}
	if _, err := s.Get(5); !errors.Is(err, ErrNoToken) || !strings.Contains(err.Error(), "SWITCHBOARD_TOKEN_5") {
		t.Fatalf("nothing configured: %v", err)
	}
	if err := s.Set(5, "from-file"); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, "channel-5.token"))
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("written with mode %v", st.Mode().Perm())
	}
	if tok, err := s.Get(5); err != nil || tok != "from-file" {
		t.Fatalf("file: %q %v", tok, err)
	}
	env["SWITCHBOARD_TOKEN_5"] = "from-env"
	if tok, _ := s.Get(5); tok != "from-env" {
		t.Fatalf("env must win, got %q", tok)
	}
	delete(env, "SWITCHBOARD_TOKEN_5")
	os.Chmod(filepath.Join(dir, "channel-5.token"), 0o644)
	if _, err := s.Get(5); runtime.GOOS != "windows" && !errors.Is(err, ErrInsecureFile) {
		t.Fatalf("world-readable file accepted: %v", err)
	}
	if err := s.Delete(5); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "channel-5.token")); !os.IsNotExist(err) {
		t.Fatal("file not deleted")
	}
}

func TestReadTokenFileRefusesGroupReadable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tok")
	os.WriteFile(p, []byte("  abc:def \n"), 0o640)
	if runtime.GOOS == "windows" {
		// Mode bits mean nothing there (every file reads 0666); the data dir's ACL guards it.
		if tok, err := ReadTokenFile(p); err != nil || tok != "abc:def" {
			t.Fatalf("windows: %q %v", tok, err)
		}
		return
	}
	if _, err := ReadTokenFile(p); !errors.Is(err, ErrInsecureFile) {
		t.Fatalf("0640 accepted: %v", err)
	}
	os.Chmod(p, 0o600)
	if tok, err := ReadTokenFile(p); err != nil || tok != "abc:def" {
		t.Fatalf("0600: %q %v", tok, err)
	}
}
