package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/core"
)

// A photo a client sends is stored with its Telegram file_id only; the first time the history
// shows it, /media/ fetches it (getFile + download) into the data directory and serves it.
func TestIncomingPhotoIsFetchedLazilyThroughMedia(t *testing.T) {
	a, _ := newSettingsApp(t)
	withEngine(t, a)
	tg := fakeapi.NewTelegram(t)
	tg.SetBot(6160, "Shop Bot", "shop_bot")
	ch, err := a.AddTelegramChannel(tg.Token(), tg.URL())
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 2048)...)
	tg.AddFile("photo-big", png, 0)
	tg.PushUpdate(fmt.Sprintf(`{"message":{"message_id":11,"date":%d,
	  "from":{"id":901,"is_bot":false,"first_name":"Vera"},
	  "chat":{"id":901,"first_name":"Vera","type":"private"},
	  "photo":[{"file_id":"photo-small","file_unique_id":"s","width":90,"height":90,"file_size":100},
	           {"file_id":"photo-big","file_unique_id":"b","width":800,"height":600,"file_size":%d}],
	  "caption":"my receipt"}}`, time.Now().Unix(), len(png)))

	// Wait for the poller to store the message.
	var msg core.Message
	deadline := time.Now().Add(10 * time.Second)
	for msg.ID == 0 && time.Now().Before(deadline) {
		page, _ := a.inbox.Store.SearchMessages(context.Background(), "receipt", 5)
		for _, m := range page {
			if len(m.Attachments) == 1 {
				msg = m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if msg.ID == 0 {
		t.Fatal("the photo message was not ingested")
	}
	if a0 := msg.Attachments[0]; a0.Kind != core.AttachPhoto || a0.FileID != "photo-big" || a0.LocalPath != "" {
		t.Fatalf("stored attachment %+v (channel %d)", a0, ch.ID)
	}

	srv := httptest.NewServer(a.MediaMiddleware(http.NotFoundHandler()))
	defer srv.Close()
	url := fmt.Sprintf("%s/media/%d/0", srv.URL, msg.ID)
	for i := 0; i < 2; i++ { // the second request is served from the cache
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(body, png) {
			t.Fatalf("request %d: %d, %d bytes", i, resp.StatusCode, len(body))
		}
	}
	if n := len(tg.CallsTo("getFile")); n != 1 {
		t.Fatalf("getFile called %d times; the cache should make it once", n)
	}
}

// Only exact types from a fixed list render inline from /media/; a client's SVG (with or without
// parameters), HTML or anything unknown is a download.
func TestMediaRendersOnlyListedTypesInline(t *testing.T) {
	for mime, inline := range map[string]bool{
		"image/png": true, "image/jpeg": true, "audio/ogg": true, "video/mp4": true,
		"image/svg+xml": false, "image/svg+xml; charset=utf-8": false, "IMAGE/SVG+XML": false,
		"image/png; charset=utf-8": false, "text/html": false, "text/html; charset=utf-8": false,
		"application/xhtml+xml": false, "image/x-icon": false, "video/x-anything": false, "": false,
	} {
		if inlineMedia[mime] != inline {
			t.Errorf("%q inline = %v, want %v", mime, inlineMedia[mime], inline)
		}
	}
}
