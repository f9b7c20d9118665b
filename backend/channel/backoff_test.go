package channel

import (
	"testing"
	"time"

	"switchboard/backend/core"
)

func TestBackoffGrowsWithJitterAndIsCapped(t *testing.T) {
	min, max := time.Second, 60*time.Second
	for attempt := 1; attempt <= 12; attempt++ {
		full := min << (attempt - 1)
		if full > max || full <= 0 {
			full = max
		}
		seen := map[time.Duration]bool{}
		for i := 0; i < 50; i++ {
			d := backoff(attempt, min, max)
			if d < full/2 || d > full {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, full/2, full)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Fatalf("attempt %d: only %d distinct delays: no jitter", attempt, len(seen))
		}
	}
	if retrySeconds(1500*time.Millisecond) != 2 || retrySeconds(time.Second) != 1 {
		t.Fatal("retry seconds must round up")
	}
}

// The client's file name never chooses the cached file's extension: only the kind and a MIME type
// on a fixed list do.
func TestSafeExtNeverKeepsTheClientsExtension(t *testing.T) {
	cases := []struct {
		a    core.Attachment
		want string
	}{
		{core.Attachment{Kind: core.AttachDocument, FileName: "report.PDF"}, ".bin"},
		{core.Attachment{Kind: core.AttachDocument, FileName: "report.pdf", MIME: "application/pdf"}, ".pdf"},
		{core.Attachment{Kind: core.AttachDocument, FileName: "page.html", MIME: "text/html"}, ".bin"},
		{core.Attachment{Kind: core.AttachDocument, FileName: "logo.svg", MIME: "image/svg+xml"}, ".bin"},
		{core.Attachment{Kind: core.AttachDocument, FileName: "run.desktop"}, ".bin"},
		{core.Attachment{Kind: core.AttachDocument, FileName: "../../etc/passwd"}, ".bin"},
		{core.Attachment{Kind: core.AttachDocument, FileName: "x.sh; rm -rf ~"}, ".bin"},
		{core.Attachment{Kind: core.AttachPhoto, FileName: "x.exe", MIME: "image/png"}, ".png"},
		{core.Attachment{Kind: core.AttachPhoto}, ".jpg"},
		{core.Attachment{Kind: core.AttachVoice, FileName: "voice.verylongext"}, ".ogg"},
	}
	for _, c := range cases {
		if got := safeExt(c.a); got != c.want {
			t.Errorf("safeExt(%q) = %q, want %q", c.a.FileName, got, c.want)
		}
	}
}
