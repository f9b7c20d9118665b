package vk

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

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

func parseFile(t *testing.T, name string) PollResult {
	t.Helper()
	r, err := ParseUpdates(readTestdata(t, name))
	if err != nil {
		t.Fatalf("ParseUpdates(%s): %v", name, err)
	}
	return r
}

func TestParseMessageNew(t *testing.T) {
	r := parseFile(t, "message_new.json")
	if r.TS != "1843" || r.Failed != 0 {
		t.Fatalf("ts/failed = %q/%d", r.TS, r.Failed)
	}
	if len(r.Updates) != 2 {
		t.Fatalf("got %d updates (group chat must be skipped): %+v", len(r.Updates), r.Updates)
	}
	first := core.Update{Kind: core.UpdMessage, ExternalChatID: "5550001", ExternalID: "4321", From: core.Sender{ExternalUserID: "5550001"},
		Sender: core.SenderClient, Text: "Hi! I came from the ad", StartPayload: "autumn_promo", RefSource: "vk_ads", At: 1763700000000}
	if !reflect.DeepEqual(r.Updates[0], first) {
		t.Fatalf("first:\n got %+v\nwant %+v", r.Updates[0], first)
	}
	u := r.Updates[1]
	if u.Text != "<script>alert(1)</script> see files" || u.ReplyToExtID != "4324" || u.ExternalID != "4325" || u.StartPayload != "" {
		t.Fatalf("second = %+v", u)
	}
	want := []core.Attachment{
		{Kind: core.AttachPhoto, FileID: "photo5550001_457239017_a1b2c3d4e5", URL: "https://sun9-12.userapi.com/impg/z.jpg", Width: 960, Height: 1280, MIME: "image/jpeg"},
		{Kind: core.AttachVideo, FileID: "video5550001_456239100_vk9876", URL: "https://vk.com/video5550001_456239100", Title: "How it broke", Duration: 47, Width: 1280, Height: 720},
		{Kind: core.AttachDocument, FileID: "doc5550001_661234567_dockey1", URL: "https://vk.com/doc5550001_661234567?hash=abc&dl=xyz", FileName: "contract.pdf", Size: 345678, MIME: "application/pdf"},
		{Kind: core.AttachAudio, FileID: "audio5550001_456239200", URL: "https://cs1-66v4.vkuseraudio.net/s/v1/a.mp3", Title: "Band – Song", Duration: 200, MIME: "audio/mpeg"},
		{Kind: core.AttachVoice, FileID: "doc5550001_662000111_amkey", URL: "https://psv4.userapi.com/c1/u5550001/audiomsg/d4/a.ogg", Duration: 6, MIME: "audio/ogg"},
		{Kind: core.AttachSticker, FileID: "9014", URL: "https://vk.com/sticker/1-9014-512b", Width: 512, Height: 512, MIME: "image/png"},
		{Kind: core.AttachLink, URL: "https://shop.example/item/42", Title: "Item 42"},
		{Kind: core.AttachLocation, Lat: 55.7558, Lon: 37.6173, Title: "Red Square"},
	}
	if len(u.Attachments) != len(want) {
		t.Fatalf("attachments = %+v", u.Attachments)
	}
	for i := range want {
		if !reflect.DeepEqual(u.Attachments[i], want[i]) {
			t.Errorf("attachment %d:\n got %+v\nwant %+v", i, u.Attachments[i], want[i])
		}
	}
}

func TestParseReplyEditAllowDenyTyping(t *testing.T) {
	r := parseFile(t, "message_reply_edit.json")
	if len(r.Updates) != 6 {
		t.Fatalf("got %d updates (read and wall events must be skipped): %+v", len(r.Updates), r.Updates)
	}
	want := []core.Update{
		{Kind: core.UpdMessage, ExternalChatID: "5550001", ExternalID: "4330", From: core.Sender{ExternalUserID: "5550001"}, Sender: core.SenderAdmin, Text: "Thanks, we are on it", At: 1763700300000},
		{Kind: core.UpdMessage, ExternalChatID: "5550001", ExternalID: "4331", From: core.Sender{ExternalUserID: "5550001"}, Sender: core.SenderBot, Text: "Sent by the API", At: 1763700301000},
		{Kind: core.UpdEdit, ExternalChatID: "5550001", ExternalID: "4321", From: core.Sender{ExternalUserID: "5550001"}, Sender: core.SenderClient, Text: "Hi! I came from the ad (edited)", At: 1763700400000},
		{Kind: core.UpdAllowed, ExternalChatID: "5550003", From: core.Sender{ExternalUserID: "5550003"}, Sender: core.SenderClient},
		{Kind: core.UpdBlocked, ExternalChatID: "5550004", From: core.Sender{ExternalUserID: "5550004"}, Sender: core.SenderClient},
		{Kind: core.UpdTyping, ExternalChatID: "5550001", From: core.Sender{ExternalUserID: "5550001"}, Sender: core.SenderClient},
	}
	for i := range want {
		if !reflect.DeepEqual(r.Updates[i], want[i]) {
			t.Errorf("update %d:\n got %+v\nwant %+v", i, r.Updates[i], want[i])
		}
	}
}

func TestParseFailed(t *testing.T) {
	for name, want := range map[string]PollResult{
		"failed1.json": {TS: "1863", Failed: 1},
		"failed2.json": {Failed: 2},
		"failed3.json": {Failed: 3},
		"empty.json":   {TS: "1863"},
	} {
		if got := parseFile(t, name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, want %+v", name, got, want)
		}
	}
	for _, body := range []string{"", "<html>502</html>", `{"ts":`, `{"ts":{}}`} {
		if _, err := ParseUpdates([]byte(body)); !errors.Is(err, channel.ErrTemporary) {
			t.Errorf("ParseUpdates(%q) = %v, want ErrTemporary", body, err)
		}
	}
}

func TestRandomIDStableAndDistinct(t *testing.T) {
	seen := map[int64]int64{}
	for id := int64(1); id <= 100000; id++ {
		r := RandomID(id)
		if r != RandomID(id) || r <= 0 || r > 1<<31-1 {
			t.Fatalf("RandomID(%d) = %d", id, r)
		}
		if prev, ok := seen[r]; ok {
			t.Fatalf("RandomID(%d) == RandomID(%d)", id, prev)
		}
		seen[r] = id
	}
}

func TestCursorRoundTrip(t *testing.T) {
	if got := decodeCursor(encodeCursor("1843")); got != "1843" {
		t.Fatalf("round trip = %q", got)
	}
	if got := decodeCursor("1843"); got != "1843" {
		t.Fatalf("bare ts = %q", got)
	}
	if got := decodeCursor(""); got != "" {
		t.Fatalf("empty = %q", got)
	}
}

func TestIsAttachmentID(t *testing.T) {
	for s, want := range map[string]bool{
		"photo-218000111_457239017_ak1": true, "doc5550001_661234567": true, "video1_2": true,
		"9014": false, "": false, "photo": false, "https://vk.com/doc1_2": false, "photo_x": false,
	} {
		if got := isAttachmentID(s); got != want {
			t.Errorf("isAttachmentID(%q) = %v", s, got)
		}
	}
}

// A tap on a keyboard button is the client's message with the button's payload: only our
// rating payload carries a tap; any other payload leaves a plain message.
func TestParseRatingPayload(t *testing.T) {
	r := parseFile(t, "message_new_payload.json")
	if len(r.Updates) != 6 {
		t.Fatalf("got %d updates: %+v", len(r.Updates), r.Updates)
	}
	wantTaps := []*core.RatingTap{{CycleID: 7, Score: 5}, {CycleID: 7, Score: 2}, nil, nil, nil, nil}
	for i, u := range r.Updates {
		if u.Kind != core.UpdMessage || u.ExternalChatID != "5550001" || u.Sender != core.SenderClient {
			t.Errorf("update %d = %+v", i, u)
		}
		if !reflect.DeepEqual(u.Tap, wantTaps[i]) {
			t.Errorf("update %d tap = %+v, want %+v", i, u.Tap, wantTaps[i])
		}
	}
	if r.Updates[0].Text != "5" || r.Updates[2].Text != "Start" {
		t.Errorf("the tapped label is the message's text: %+v", r.Updates)
	}
}

func TestRatingKeyboard(t *testing.T) {
	var kb struct {
		Inline  bool `json:"inline"`
		Buttons [][]struct {
			Action struct{ Type, Label, Payload string } `json:"action"`
		} `json:"buttons"`
	}
	if err := json.Unmarshal([]byte(RatingKeyboard(7)), &kb); err != nil {
		t.Fatal(err)
	}
	if !kb.Inline || len(kb.Buttons) != 1 || len(kb.Buttons[0]) != 5 {
		t.Fatalf("keyboard = %+v", kb)
	}
	for i, b := range kb.Buttons[0] {
		tap, ok := core.ParseRatingPayload(b.Action.Payload)
		if b.Action.Type != "text" || b.Action.Label != strconv.Itoa(i+1) || !ok || tap != (core.RatingTap{CycleID: 7, Score: i + 1}) {
			t.Errorf("button %d = %+v (tap %+v)", i, b, tap)
		}
	}
}
