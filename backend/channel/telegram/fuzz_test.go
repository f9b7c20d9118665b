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
	// Bodies on the edges of JSON (ParseUpdates once decoded with go-json, which parted ways
	// with encoding/json on these): the one-pass and the level-by-level decoding must agree.
	const msg = `{"update_id":5,"message":{"chat":{"id":1,"type":"private"},"message_id":1,`
	for _, body := range []string{
		// Malformed values of unknown fields, numbers, escapes and control characters.
		`{"ok":true,"result":[],"junk":[1,,2]}`,
		`{"ok":true,"result":[],"junk":{"a" 1}}`,
		`{"ok":true,"result":[],"junk":01}`,
		`{"ok":true,"result":[],"junk":"\q"}`,
		`{"ok":true,"result":[],"junk":1.}`,
		`{"ok":true,"result":[` + msg + `"date":-01}}]}`,
		"{\"ok\":true,\"result\":[" + msg + "\"text\":\"a\tb\"}}]}",
		"{\"ok\":true,\"result\":[" + msg + "\"text\":\"a\xffb\"}}]}",    // invalid UTF-8: U+FFFD or not
		`{"ok":true,"result":[` + msg + `"TEXT":"x"}}]}`,                 // field names match case-insensitively
		`{"ok":true,"result":[` + msg + `"date":9223372036854775808}}]}`, // overflow wraps
		// Escapes in keys, lone surrogates, nulls and repeated keys.
		`{"ok":true,"result":[` + msg + `"te\u0078t":"x"}}]}`,
		`{"ok":true,"result":[` + msg + `"text":"\ud800\u0041 \ud83d\ude00"}}]}`,
		`{"ok":true,"result":[` + msg + `"text":null,"from":{"id":2},"from":null}}],"result":[]}`,
	} {
		f.Add([]byte(body), "4")
	}
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
			if u.Tap != nil && (u.Kind != core.UpdTap || u.TapID == "" || u.Tap.CycleID <= 0 || !core.ValidRating(u.Tap.Score)) {
				t.Fatalf("invalid tap passed: %+v", u)
			}
			if u.StartPayload != "" && !core.ValidDeepLinkPayload(u.StartPayload) {
				t.Fatalf("invalid payload passed: %q", u.StartPayload)
			}
		}
	})
}
