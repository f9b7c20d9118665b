package telegram

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/core"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFile(t *testing.T, name, cursor string) core.Batch {
	t.Helper()
	b, err := ParseUpdates(readTestdata(t, name), cursor)
	if err != nil {
		t.Fatalf("ParseUpdates(%s): %v", name, err)
	}
	return b
}

func TestParseTextMessages(t *testing.T) {
	b := parseFile(t, "updates_text.json", "815305001")
	if b.Cursor != "815305006" {
		t.Fatalf("cursor = %q, want 815305006", b.Cursor)
	}
	if len(b.Updates) != 5 {
		t.Fatalf("got %d updates, want 5", len(b.Updates))
	}
	anna := core.Sender{ExternalUserID: "111222333", Name: "Anna Petrova", Username: "anna_p"}
	want := []core.Update{
		{Kind: core.UpdMessage, ExternalChatID: "111222333", ExternalID: "1", From: anna, Sender: core.SenderClient, Text: "/start promo_autumn-25", StartPayload: "promo_autumn-25", At: 1763700000000},
		// Client text stays as typed: markup in it is text, not HTML.
		{Kind: core.UpdMessage, ExternalChatID: "111222333", ExternalID: "2", From: anna, Sender: core.SenderClient, Text: "Hello! <b>How much</b> is delivery?", At: 1763700010000},
		{Kind: core.UpdMessage, ExternalChatID: "111222333", ExternalID: "5", From: anna, Sender: core.SenderClient, Text: "Great, thanks", ReplyToExtID: "4", At: 1763700100000},
		{Kind: core.UpdMessage, ExternalChatID: "444555666", ExternalID: "6", From: core.Sender{ExternalUserID: "444555666", Name: "Boris"}, Sender: core.SenderClient, Text: "/start", At: 1763700200000},
		// An invalid payload is not a deep link.
		{Kind: core.UpdMessage, ExternalChatID: "444555666", ExternalID: "7", From: core.Sender{ExternalUserID: "444555666", Name: "Boris"}, Sender: core.SenderClient, Text: "/start bad payload with spaces!", At: 1763700201000},
	}
	for i := range want {
		if !reflect.DeepEqual(b.Updates[i], want[i]) {
			t.Errorf("update %d:\n got %+v\nwant %+v", i, b.Updates[i], want[i])
		}
	}
}

func TestParseMedia(t *testing.T) {
	b := parseFile(t, "updates_media.json", "")
	if b.Cursor != "815306013" {
		t.Fatalf("cursor = %q", b.Cursor)
	}
	if len(b.Updates) != 12 {
		t.Fatalf("got %d updates, want 12", len(b.Updates))
	}
	att := func(i int) []core.Attachment { return b.Updates[i].Attachments }
	want := [][]core.Attachment{
		{{Kind: core.AttachPhoto, FileID: "AgACAgIAAxkBAAMUZ-large", Size: 98765, Width: 1280, Height: 960, MIME: "image/jpeg"}},
		{{Kind: core.AttachVideo, FileID: "BAACAgIAAxkBAAMVZ-video", FileName: "unboxing.mp4", MIME: "video/mp4", Size: 4567890, Width: 1920, Height: 1080, Duration: 12}},
		{{Kind: core.AttachDocument, FileID: "BQACAgIAAxkBAAMWZ-doc", FileName: "invoice.pdf", MIME: "application/pdf", Size: 120334}},
		{{Kind: core.AttachAudio, FileID: "CQACAgIAAxkBAAMXZ-audio", FileName: "song.mp3", MIME: "audio/mpeg", Size: 3456789, Duration: 215, Title: "Band – Song"}},
		{{Kind: core.AttachVoice, FileID: "AwACAgIAAxkBAAMYZ-voice", MIME: "audio/ogg", Size: 18345, Duration: 7}},
		{{Kind: core.AttachSticker, FileID: "CAACAgIAAxkBAAMZZ-sticker", Width: 512, Height: 512, Title: "👍", Size: 23456, MIME: "application/x-tgsticker"}},
		{{Kind: core.AttachLocation, Lat: 55.751244, Lon: 37.618423}},
		{{Kind: core.AttachContact, Phone: "+79161234567", Title: "Anna Petrova"}},
		{{Kind: core.AttachContact, Phone: "+79997654321", Title: "Oleg"}},
		{{Kind: core.AttachVideo, FileID: "CgACAgIAAxkBAAMaZ-anim", FileName: "funny.mp4", MIME: "video/mp4", Size: 102400, Width: 320, Height: 240, Duration: 3}},
		{{Kind: core.AttachLocation, Lat: 59.9386, Lon: 30.3141, Title: "Hermitage, Palace Square, 2"}},
		{{Kind: core.AttachVideo, FileID: "DQACAgIAAxkBAAMbZ-note", Size: 456789, Width: 384, Height: 384, Duration: 9}},
	}
	for i := range want {
		if !reflect.DeepEqual(att(i), want[i]) {
			t.Errorf("update %d attachments:\n got %+v\nwant %+v", i, att(i), want[i])
		}
	}
	if b.Updates[0].Text != "My order, see photo" || b.Updates[2].Text != "invoice" {
		t.Errorf("captions not mapped to text: %q, %q", b.Updates[0].Text, b.Updates[2].Text)
	}
	// Own contact sets the phone; someone else's contact does not.
	if b.Updates[7].From.Phone != "+79161234567" {
		t.Errorf("own contact phone = %q", b.Updates[7].From.Phone)
	}
	if b.Updates[8].From.Phone != "" {
		t.Errorf("foreign contact leaked into sender phone: %q", b.Updates[8].From.Phone)
	}
}

func TestParseEdited(t *testing.T) {
	b := parseFile(t, "updates_edited.json", "")
	if len(b.Updates) != 2 {
		t.Fatalf("got %d updates", len(b.Updates))
	}
	u := b.Updates[0]
	if u.Kind != core.UpdEdit || u.ExternalID != "2" || u.Text != "Hello! How much is delivery to Kazan?" || u.At != 1763700090000 {
		t.Errorf("edit = %+v", u)
	}
	u = b.Updates[1]
	if u.Kind != core.UpdEdit || u.ExternalID != "20" || u.Text != "My order (corrected)" || len(u.Attachments) != 1 || u.Attachments[0].FileID != "AgACAgIAAxkBAAMUZ-large" {
		t.Errorf("media edit = %+v", u)
	}
	if u.StartPayload != "" {
		t.Errorf("edit carries a start payload")
	}
}

func TestParseMyChatMember(t *testing.T) {
	b := parseFile(t, "updates_my_chat_member.json", "")
	if b.Cursor != "815308004" {
		t.Fatalf("cursor = %q", b.Cursor)
	}
	if len(b.Updates) != 2 {
		t.Fatalf("got %d updates (group membership must be skipped): %+v", len(b.Updates), b.Updates)
	}
	if u := b.Updates[0]; u.Kind != core.UpdBlocked || u.ExternalChatID != "111222333" || u.From.Name != "Anna Petrova" || u.At != 1763702000000 {
		t.Errorf("blocked = %+v", u)
	}
	if u := b.Updates[1]; u.Kind != core.UpdAllowed || u.ExternalChatID != "111222333" || u.At != 1763702600000 {
		t.Errorf("allowed = %+v", u)
	}
}

func TestParseReactions(t *testing.T) {
	b := parseFile(t, "updates_reaction.json", "")
	if len(b.Updates) != 3 {
		t.Fatalf("got %d updates", len(b.Updates))
	}
	u := b.Updates[0]
	want := []core.Reaction{{Emoji: "👍", Count: 1}, {Emoji: "custom:5368324170671202286", Count: 1}}
	if u.Kind != core.UpdReaction || u.ExternalID != "4" || u.From.ExternalUserID != "111222333" || !reflect.DeepEqual(u.Reactions, want) {
		t.Errorf("reaction = %+v", u)
	}
	// Removing every reaction is an empty (not nil) set: "the full new set" is empty.
	if u := b.Updates[1]; u.Reactions == nil || len(u.Reactions) != 0 {
		t.Errorf("cleared reaction = %+v", u)
	}
	if u := b.Updates[2]; !reflect.DeepEqual(u.Reactions, []core.Reaction{{Emoji: "❤", Count: 2}, {Emoji: "⭐", Count: 1}}) {
		t.Errorf("reaction count = %+v", u)
	}
}

func TestParseSkipsButAdvances(t *testing.T) {
	b := parseFile(t, "updates_skipped.json", "815310001")
	if len(b.Updates) != 0 {
		t.Fatalf("groups, channels, callbacks and broken updates must be skipped, got %+v", b.Updates)
	}
	if b.Cursor != "815310006" {
		t.Fatalf("cursor = %q, want 815310006 (skipped updates still confirmed)", b.Cursor)
	}
}

func TestParseEmptyKeepsCursor(t *testing.T) {
	b := parseFile(t, "updates_empty.json", "815310006")
	if b.Cursor != "815310006" || len(b.Updates) != 0 {
		t.Fatalf("empty batch = %+v", b)
	}
	b = parseFile(t, "updates_empty.json", "")
	if b.Cursor != "" {
		t.Fatalf("empty batch from start: cursor %q", b.Cursor)
	}
}

func TestParseErrorEnvelopes(t *testing.T) {
	cases := []struct {
		file  string
		class error
		code  int
		retry time.Duration
	}{
		{"error_conflict.json", channel.ErrConflict, 409, 0},
		{"error_webhook.json", channel.ErrWebhook, 409, 0},
		{"error_ratelimit.json", channel.ErrRateLimited, 429, 35 * time.Second},
		{"error_unauthorized.json", channel.ErrUnauthorized, 401, 0},
	}
	for _, tc := range cases {
		b, err := ParseUpdates(readTestdata(t, tc.file), "42")
		if !errors.Is(err, tc.class) {
			t.Errorf("%s: err = %v, want class %v", tc.file, err, tc.class)
			continue
		}
		var ae *channel.APIError
		if !errors.As(err, &ae) || ae.Code != tc.code || ae.RetryAfter != tc.retry || ae.Description == "" {
			t.Errorf("%s: APIError = %+v", tc.file, ae)
		}
		if b.Cursor != "42" {
			t.Errorf("%s: cursor moved on error: %q", tc.file, b.Cursor)
		}
	}
	for _, body := range []string{"", "<html>502 Bad Gateway</html>", `{"ok":true,"result":[{"update_id":1,`, `{"ok":true,"result":{"x":1}}`} {
		if _, err := ParseUpdates([]byte(body), "42"); !errors.Is(err, channel.ErrTemporary) {
			t.Errorf("ParseUpdates(%q) = %v, want ErrTemporary", body, err)
		}
	}
}

func TestStartPayload(t *testing.T) {
	cases := map[string]string{
		"/start abc":                         "abc",
		"/start@shop_bot abc-1_Z":            "abc-1_Z",
		"/start":                             "",
		"/starting abc":                      "",
		"/start a b":                         "",
		"hello /start abc":                   "",
		"/start " + string(make([]byte, 65)): "",
	}
	for in, want := range cases {
		if got := startPayload(in); got != want {
			t.Errorf("startPayload(%q) = %q, want %q", in, got, want)
		}
	}
}

// Rating taps arrive as callback queries. Every one in a private chat becomes an update with its
// query id, so the supervisor answers it; only data that parses as our rating carries a tap. A
// tap in inline mode (no message) or in a group is not on a keyboard of ours: skipped.
func TestParseCallbackQueries(t *testing.T) {
	b := parseFile(t, "updates_callback_query.json", "")
	if b.Cursor != "815310009" {
		t.Fatalf("cursor = %q, want 815310009", b.Cursor)
	}
	anna := core.Sender{ExternalUserID: "111222333", Name: "Anna Petrova", Username: "anna_p"}
	tap := func(cycle int64, score int) *core.RatingTap { return &core.RatingTap{CycleID: cycle, Score: score} }
	want := []core.Update{
		{Kind: core.UpdTap, ExternalChatID: "111222333", ExternalID: "12", From: anna, Tap: tap(7, 5), TapID: "4382961540012345678"},
		{Kind: core.UpdTap, ExternalChatID: "111222333", ExternalID: "12", From: anna, Tap: tap(7, 2), TapID: "4382961540012345679"},
		{Kind: core.UpdTap, ExternalChatID: "111222333", ExternalID: "3", From: anna, Tap: tap(4, 3), TapID: "4382961540012345680"},
		{Kind: core.UpdTap, ExternalChatID: "111222333", ExternalID: "12", From: anna, TapID: "4382961540012345681"},
		{Kind: core.UpdTap, ExternalChatID: "111222333", ExternalID: "12", From: anna, TapID: "4382961540012345682"},
		{Kind: core.UpdTap, ExternalChatID: "111222333", ExternalID: "12", From: anna, TapID: "4382961540012345683"},
	}
	if len(b.Updates) != len(want) {
		t.Fatalf("got %d updates, want %d: %+v", len(b.Updates), len(want), b.Updates)
	}
	for i := range want {
		if !reflect.DeepEqual(b.Updates[i], want[i]) {
			t.Errorf("update %d:\n got %+v\nwant %+v", i, b.Updates[i], want[i])
		}
	}
}

func TestRatingKeyboard(t *testing.T) {
	got := RatingKeyboard(7)
	want := `{"inline_keyboard":[[{"text":"1","callback_data":"sbr1:7:1"},{"text":"2","callback_data":"sbr1:7:2"},` +
		`{"text":"3","callback_data":"sbr1:7:3"},{"text":"4","callback_data":"sbr1:7:4"},{"text":"5","callback_data":"sbr1:7:5"}]]}`
	if got != want {
		t.Fatalf("RatingKeyboard(7) =\n%s\nwant\n%s", got, want)
	}
	if long := RatingKeyboard(1<<53 - 1); len(core.RatingData(1<<53-1, 5)) > 64 {
		t.Fatalf("callback_data over Telegram's 64 bytes: %s", long)
	}
}
