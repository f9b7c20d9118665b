package telegram

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

// FuzzParseUpdates feeds arbitrary bodies to the getUpdates parser: no input may panic, an
// error is always a classified *channel.APIError, a batch never moves the cursor back, and the
// one-pass decoding of the usual answer gives what decoding each level on its own gives.
func FuzzParseUpdates(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "815305001")
	}
	f.Add([]byte(`{"ok":true,"result":[{"update_id":9223372036854775807,"message":{}}]}`), "")
	f.Fuzz(func(t *testing.T, body []byte, cursor string) {
		b, err := ParseUpdates(body, cursor)
		slow, slowErr := parseEachLevel(body, cursor)
		if !reflect.DeepEqual(b, slow) || fmt.Sprint(err) != fmt.Sprint(slowErr) {
			t.Fatalf("ParseUpdates = %+v, %v\nparseEachLevel = %+v, %v", b, err, slow, slowErr)
		}
		if err != nil {
			var ae *channel.APIError
			if !errors.As(err, &ae) || ae.Class == nil {
				t.Fatalf("unclassified error %v", err)
			}
			if b.Cursor != cursor {
				t.Fatalf("cursor moved on error: %q -> %q", cursor, b.Cursor)
			}
			return
		}
		if in, e1 := strconv.ParseInt(cursor, 10, 64); e1 == nil {
			out, e2 := strconv.ParseInt(b.Cursor, 10, 64)
			if e2 != nil || out < in {
				t.Fatalf("cursor went back: %q -> %q", cursor, b.Cursor)
			}
		}
		for _, u := range b.Updates {
			if u.ExternalChatID == "" {
				t.Fatalf("update without chat: %+v", u)
			}
			if u.StartPayload != "" && !core.ValidDeepLinkPayload(u.StartPayload) {
				t.Fatalf("invalid payload passed: %q", u.StartPayload)
			}
		}
	})
}
