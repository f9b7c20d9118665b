//go:build !windows

package store

import "os"

func restrictTree(dir string) error { return walkRestricting(dir) }

func restrictToUser(path string, dir bool) error {
	want := os.FileMode(0o600)
	if dir {
		want = 0o700
	}
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if info.Mode().Perm() == want {
		return nil
	}
	return os.Chmod(path, want)
}
