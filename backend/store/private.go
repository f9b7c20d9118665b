package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The data directory holds every client's name, phone and messages (the database) and their files
// (media/, uploads/): only the manager's account may read it. On Unix that is 0700 for directories
// and 0600 for files; on Windows a protected ACL for the user (private_windows.go). Existing
// installs, and a directory passed with --data, are brought to that at every start.

// makePrivate restricts dir and everything under it to the current user (restrictTree: a walk
// on Unix; on Windows the directory's inheritable ACL, which Windows passes down itself).
func makePrivate(dir string) error { return restrictTree(dir) }

// walkRestricting restricts dir and everything under it, one entry at a time. Symbolic links are
// not followed: what they point to is not ours to change.
func walkRestricting(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while we walked
			}
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		return restrictToUser(path, d.IsDir())
	})
}

// createPrivateFile creates path (empty) for the user alone if it does not exist, and restricts
// it and SQLite's companions (-wal, -shm: SQLite gives them the database file's mode) if it does.
func createPrivateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := restrictToUser(p, false); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("store: restrict %s: %w", p, err)
		}
	}
	return nil
}
