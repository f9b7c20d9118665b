package channel

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type failingReader struct{ after int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.after <= 0 {
		return 0, errors.New("connection reset by peer")
	}
	n := min(len(p), r.after)
	r.after -= n
	return n, nil
}

func TestSaveDownloadKeepsOnlyWholeFilesWithinTheLimit(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "media", "a.jpg")
	if n, err := SaveDownload(dst, strings.NewReader("12345"), 5); err != nil || n != 5 {
		t.Fatalf("within the limit: %d, %v", n, err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "12345" {
		t.Fatalf("kept %q", b)
	}

	big := filepath.Join(dir, "big.bin")
	if _, err := SaveDownload(big, strings.NewReader("123456"), 5); !errors.Is(err, ErrDownloadTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	cut := filepath.Join(dir, "cut.bin")
	_, err := SaveDownload(cut, &failingReader{after: 3}, 100)
	var re *DownloadReadError
	if !errors.As(err, &re) || !strings.Contains(re.Error(), "reset") {
		t.Fatalf("a broken body: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "media" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
