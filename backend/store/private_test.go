//go:build !windows

package store

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A fresh database and its -wal/-shm are the user's alone, and an existing install (or a --data
// directory made with the default umask) is brought to 0700/0600 at start, media and uploads too.
func TestDataDirIsPrivateToTheUser(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)

	dir := filepath.Join(t.TempDir(), "data")
	for _, d := range []string{dir, filepath.Join(dir, "media"), filepath.Join(dir, "uploads", "x")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(dir, "media", "photo.jpg"), filepath.Join(dir, "uploads", "x", "doc.pdf")} {
		if err := os.WriteFile(f, []byte("private"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.WriteFile(outside, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}

	st, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.write.Exec(`CREATE TABLE IF NOT EXISTS private_probe (x)`); err != nil { // makes the -wal
		t.Fatal(err)
	}
	want := map[string]os.FileMode{
		dir:                                           0o700,
		filepath.Join(dir, "media"):                   0o700,
		filepath.Join(dir, "uploads", "x"):            0o700,
		filepath.Join(dir, "media", "photo.jpg"):      0o600,
		filepath.Join(dir, "uploads", "x", "doc.pdf"): 0o600,
		filepath.Join(dir, DBFile):                    0o600,
		filepath.Join(dir, DBFile+"-wal"):             0o600,
		filepath.Join(dir, DBFile+"-shm"):             0o600,
		outside:                                       0o644, // not followed through the link
	}
	for p, mode := range want {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %o, want %o", p, got, mode)
		}
	}
	st.Close()

	// An existing database left world-readable is fixed at the next start.
	if err := os.Chmod(filepath.Join(dir, DBFile), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if info, _ := os.Stat(filepath.Join(dir, DBFile)); info.Mode().Perm() != 0o600 {
		t.Fatalf("existing database stays %o", info.Mode().Perm())
	}
}
