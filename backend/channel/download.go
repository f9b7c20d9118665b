package channel

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ErrDownloadTooLarge: the body went past the limit; nothing was kept.
var ErrDownloadTooLarge = errors.New("download over the size limit")

// DownloadReadError wraps a failure to read the body (the network, not the disk), so the
// connector can classify it like its other transport errors.
type DownloadReadError struct{ Err error }

func (e *DownloadReadError) Error() string { return e.Err.Error() }
func (e *DownloadReadError) Unwrap() error { return e.Err }

// SaveDownload copies at most limit bytes of r to dst through a temporary file in dst's folder,
// synced and renamed into place, so a failed, partial or oversized download leaves nothing at
// dst. It returns how many bytes it read (limit+1 when the body was too large).
func SaveDownload(dst string, r io.Reader, limit int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".part-*")
	if err != nil {
		return 0, err
	}
	kept := false
	defer func() {
		if !kept {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, io.LimitReader(r, limit+1))
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return n, err
		}
		return n, &DownloadReadError{Err: err}
	}
	if n > limit {
		return n, fmt.Errorf("%w (%d bytes)", ErrDownloadTooLarge, limit)
	}
	if err := tmp.Sync(); err != nil {
		return n, err
	}
	if err := tmp.Close(); err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return n, err
	}
	kept = true
	return n, nil
}
