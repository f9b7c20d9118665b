package vk

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// FuzzParseUpdates feeds arbitrary long-poll bodies to the parser: no input may panic, errors
// are classified, and every update names a private chat.
func FuzzParseUpdates(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"ts":1e400,"updates":[{"type":"message_new","object":{"message":{"id":1,"peer_id":1,"attachments":[{"type":"photo","photo":null}]}}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := ParseUpdates(body)
		if err != nil {
			var ae *channel.APIError
			if !errors.As(err, &ae) || ae.Class == nil {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if r.Failed != 0 && len(r.Updates) != 0 {
			t.Fatalf("failed answer with updates")
		}
		for _, u := range r.Updates {
			if u.ExternalChatID == "" || u.ExternalChatID[0] == '-' {
				t.Fatalf("update without a private chat: %+v", u)
			}
			if u.Tap != nil && (u.Kind != core.UpdMessage || u.Sender != core.SenderClient || u.Tap.CycleID <= 0 || !core.ValidRating(u.Tap.Score)) {
				t.Fatalf("invalid tap passed: %+v", u)
			}
			if (u.Kind == core.UpdMessage || u.Kind == core.UpdEdit) && u.ExternalID == "" {
				t.Fatalf("message without id: %+v", u)
			}
		}
	})
}
