package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/core"
)

func newPair(t *testing.T) (*fakeapi.Telegram, *telegram.Client) {
	t.Helper()
	fake := fakeapi.NewTelegram(t)
	c := telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), PollTimeout: time.Second, RequestTimeout: 2 * time.Second})
	return fake, c
}

// noToken fails when err's text contains the token in any form.
func noToken(t *testing.T, err error, token string) {
	t.Helper()
	if err == nil {
		return
	}
	_, secret, _ := strings.Cut(token, ":")
	if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), secret) {
		t.Fatalf("error leaks the token: %v", err)
	}
}

func wantClass(t *testing.T, err error, class error) *channel.APIError {
	t.Helper()
	if !errors.Is(err, class) {
		t.Fatalf("err = %v, want class %v", err, class)
	}
	var ae *channel.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err %v is not an *APIError", err)
	}
	return ae
}

func TestCheckAndWebhook(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	info, err := c.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := core.BotInfo{ExternalID: "123456789", Name: "Switchboard Test Bot", Username: "switchboard_test_bot"}
	if info != want {
		t.Fatalf("info = %+v, want %+v", info, want)
	}
	fake.SetWebhook("https://example.com/hook")
	if info, err = c.Check(ctx); err != nil || !info.Webhook {
		t.Fatalf("webhook not reported: %+v %v", info, err)
	}
	_, err = c.Poll(ctx, "")
	wantClass(t, err, channel.ErrWebhook)
	if err := c.DeleteWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	if fake.Webhook() != "" {
		t.Fatal("webhook still set after DeleteWebhook")
	}
	fake.PushText(5, "Eve", "hi")
	if calls := fake.CallsTo("deleteWebhook"); len(calls) != 1 || calls[0].Params["drop_pending_updates"] != "false" {
		t.Fatalf("deleteWebhook must keep pending updates: %+v", calls)
	}
	if _, err := c.Poll(ctx, ""); err != nil {
		t.Fatalf("poll after deleteWebhook: %v", err)
	}
}

func TestPollAcknowledgesOnlyThroughCursor(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	fake.PushText(111, "Anna", "/start promo_1")
	fake.PushText(111, "Anna", "hello")
	b, err := c.Poll(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Updates) != 2 || b.Updates[0].StartPayload != "promo_1" || b.Updates[1].Text != "hello" {
		t.Fatalf("batch = %+v", b)
	}
	call := fake.CallsTo("getUpdates")[0]
	if call.Params["timeout"] != "1" || call.Params["limit"] != "100" ||
		call.Params["allowed_updates"] != `["message","edited_message","my_chat_member","message_reaction","message_reaction_count","callback_query"]` {
		t.Fatalf("getUpdates params = %+v", call.Params)
	}
	// Not acknowledged yet: polling from the old cursor (a crash before commit) sees them again.
	again, err := c.Poll(ctx, "")
	if err != nil || len(again.Updates) != 2 {
		t.Fatalf("re-poll = %+v, %v", again, err)
	}
	// Polling with the returned cursor confirms them.
	next, err := c.Poll(ctx, b.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Updates) != 0 || next.Cursor != b.Cursor || fake.Pending() != 0 {
		t.Fatalf("after ack: batch %+v, pending %d", next, fake.Pending())
	}
}

func TestPollReturnsEarlyAndGetsReactions(t *testing.T) {
	fake := fakeapi.NewTelegram(t)
	c := telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), PollTimeout: 10 * time.Second})
	go func() {
		time.Sleep(150 * time.Millisecond)
		fake.PushUpdate(`{"message_reaction":{"chat":{"id":111,"type":"private","first_name":"Anna"},"message_id":3,"user":{"id":111,"is_bot":false,"first_name":"Anna"},"date":1763703000,"old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"🔥"}]}}`)
	}()
	start := time.Now()
	b, err := c.Poll(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("long poll did not return early: %v", el)
	}
	// The fake, like Telegram, withholds reactions unless allowed_updates lists them.
	if len(b.Updates) != 1 || b.Updates[0].Kind != core.UpdReaction || b.Updates[0].Reactions[0].Emoji != "🔥" {
		t.Fatalf("batch = %+v", b)
	}
}

func TestPollCancelIsNotAFailure(t *testing.T) {
	_, c := newPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Poll(ctx, "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's context error", err)
	}
	var ae *channel.APIError
	if errors.As(err, &ae) {
		t.Fatalf("caller cancellation classified as %v", ae.Class)
	}
}

func TestPollErrors(t *testing.T) {
	cases := []struct {
		name  string
		fail  fakeapi.Failure
		class error
		check func(t *testing.T, ae *channel.APIError)
	}{
		{"429", fakeapi.Failure{Kind: fakeapi.FailRateLimit, RetryAfter: 7}, channel.ErrRateLimited, func(t *testing.T, ae *channel.APIError) {
			if ae.RetryAfter != 7*time.Second || ae.Description != "Too Many Requests: retry after 7" {
				t.Errorf("429 = %+v", ae)
			}
		}},
		{"409 conflict", fakeapi.Failure{Kind: fakeapi.FailConflict}, channel.ErrConflict, nil},
		{"409 webhook", fakeapi.Failure{Kind: fakeapi.FailWebhook}, channel.ErrWebhook, nil},
		{"401", fakeapi.Failure{Kind: fakeapi.FailUnauthorized}, channel.ErrUnauthorized, nil},
		{"500", fakeapi.Failure{Kind: fakeapi.FailServerError}, channel.ErrTemporary, func(t *testing.T, ae *channel.APIError) {
			if ae.Code != 500 {
				t.Errorf("500 = %+v", ae)
			}
		}},
		{"502 html", fakeapi.Failure{Kind: fakeapi.FailBadGateway}, channel.ErrTemporary, func(t *testing.T, ae *channel.APIError) {
			if ae.Code != 502 {
				t.Errorf("502 = %+v", ae)
			}
		}},
		{"malformed", fakeapi.Failure{Kind: fakeapi.FailMalformed}, channel.ErrTemporary, nil},
		{"timeout", fakeapi.Failure{Kind: fakeapi.FailDelay, Delay: 10 * time.Second}, channel.ErrTemporary, func(t *testing.T, ae *channel.APIError) {
			if !strings.Contains(ae.Description, "timeout") {
				t.Errorf("timeout = %+v", ae)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := fakeapi.NewTelegram(t)
			c := telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), PollTimeout: time.Second, RequestTimeout: 300 * time.Millisecond})
			fake.Fail("getUpdates", 1, tc.fail)
			b, err := c.Poll(context.Background(), "77")
			ae := wantClass(t, err, tc.class)
			noToken(t, err, fake.Token())
			if b.Cursor != "77" {
				t.Errorf("cursor moved on error: %q", b.Cursor)
			}
			if tc.check != nil {
				tc.check(t, ae)
			}
			// The failure was one call; the next poll works.
			fake.PushText(5, "Eve", "after the failure")
			if b, err := c.Poll(context.Background(), "77"); err != nil || len(b.Updates) != 1 {
				t.Errorf("poll after failure: %v", err)
			}
		})
	}
}

func TestSecondPollerConflict(t *testing.T) {
	fake := fakeapi.NewTelegram(t)
	a := telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), PollTimeout: 5 * time.Second})
	b := telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), PollTimeout: time.Second})
	var wg sync.WaitGroup
	var errA error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, errA = a.Poll(context.Background(), "")
	}()
	// Let the first long poll start waiting, then a second program polls the same bot.
	for len(fake.CallsTo("getUpdates")) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if _, err := b.Poll(context.Background(), ""); err != nil {
		t.Fatalf("second poller: %v", err)
	}
	wg.Wait()
	ae := wantClass(t, errA, channel.ErrConflict)
	if ae.Code != 409 || !strings.Contains(ae.Description, "terminated by other getUpdates") {
		t.Fatalf("conflict = %+v", ae)
	}
}

func TestWrongTokenAndNetworkErrorsHideToken(t *testing.T) {
	fake := fakeapi.NewTelegram(t)
	bad := "987654321:AAWrongSecretWrongSecretWrongSecret1"
	c := telegram.New(telegram.Config{Token: bad, APIURL: fake.URL(), RequestTimeout: time.Second})
	_, err := c.Check(context.Background())
	wantClass(t, err, channel.ErrUnauthorized)
	noToken(t, err, bad)

	// A closed server: the transport error names the URL, which holds the token.
	fake2 := fakeapi.NewTelegram(nil)
	url := fake2.URL()
	fake2.Close()
	c = telegram.New(telegram.Config{Token: fake.Token(), APIURL: url, RequestTimeout: time.Second})
	for _, call := range []func() error{
		func() error { _, err := c.Check(context.Background()); return err },
		func() error { _, err := c.Poll(context.Background(), ""); return err },
		func() error {
			_, err := c.Do(context.Background(), core.Outgoing{Action: core.ActionSend, ExternalChatID: "1", Text: "hi"})
			return err
		},
		func() error {
			return c.Download(context.Background(), core.Attachment{Kind: core.AttachPhoto, FileID: "x"}, filepath.Join(t.TempDir(), "x"))
		},
	} {
		err := call()
		wantClass(t, err, channel.ErrTemporary)
		noToken(t, err, fake.Token())
		if strings.Contains(err.Error(), "/bot") {
			t.Fatalf("error names the bot URL: %v", err)
		}
	}
}

func TestSendTextAndReply(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	fake.PushText(111, "Anna", "question") // message 1 in chat 111
	sent, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "111", Text: "<b>answer</b>", ReplyToExtID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ExternalID != "2" || sent.At == 0 {
		t.Fatalf("sent = %+v", sent)
	}
	call := fake.CallsTo("sendMessage")[0]
	if call.Params["text"] != "<b>answer</b>" || call.Params["parse_mode"] != "" {
		t.Fatalf("text must go out as plain text: %+v", call.Params)
	}
	if call.Params["reply_parameters"] != `{"message_id":1,"allow_sending_without_reply":true}` {
		t.Fatalf("reply_parameters = %q", call.Params["reply_parameters"])
	}
	msgs := fake.Messages(111)
	if len(msgs) != 1 || msgs[0].ReplyTo != 1 {
		t.Fatalf("messages = %+v", msgs)
	}
}

func TestSendRejectsBeforeCalling(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	big := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(core.TelegramUploadLimit + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cases := []core.Outgoing{
		{Action: core.ActionSend, ExternalChatID: "111", Text: strings.Repeat("я", 4097)},
		{Action: core.ActionSend, ExternalChatID: "111"},
		{Action: core.ActionSend, ExternalChatID: "111", Attachments: []core.Attachment{{Kind: core.AttachDocument, LocalPath: big}}},
		{Action: core.ActionSend, ExternalChatID: "111", Attachments: []core.Attachment{{Kind: core.AttachPhoto, LocalPath: filepath.Join(t.TempDir(), "missing.jpg")}}},
		{Action: core.ActionSend, ExternalChatID: "not-a-chat", Text: "hi"},
	}
	for i, out := range cases {
		_, err := c.Do(ctx, out)
		wantClass(t, err, channel.ErrPermanent)
		if i == 0 && !strings.Contains(err.Error(), "4096") {
			t.Errorf("too long text error does not say the limit: %v", err)
		}
		if i == 2 && !strings.Contains(err.Error(), "50 MB") {
			t.Errorf("too big file error does not say the limit: %v", err)
		}
	}
	if n := len(fake.Calls()); n != 0 {
		t.Fatalf("%d calls made for invalid sends", n)
	}
	// 4096 characters (multi-byte) is still fine.
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: strings.Repeat("я", 4096)}); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSendAttachmentsMultipart(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	photo := writeFile(t, "cat.jpg", []byte("\xff\xd8\xff fake jpeg"))
	voice := writeFile(t, "note.ogg", []byte("OggS fake opus"))
	sent, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: "see attached", ReplyToExtID: "9",
		Attachments: []core.Attachment{
			{Kind: core.AttachPhoto, LocalPath: photo, MIME: "image/jpeg"},
			{Kind: core.AttachVoice, LocalPath: voice, MIME: "audio/ogg", Duration: 4},
		}})
	if err != nil {
		t.Fatal(err)
	}
	ph := fake.CallsTo("sendPhoto")
	vo := fake.CallsTo("sendVoice")
	if len(ph) != 1 || len(vo) != 1 || len(fake.CallsTo("sendMessage")) != 0 {
		t.Fatalf("calls = %+v", fake.Calls())
	}
	if len(ph[0].Files) != 1 || ph[0].Files[0].Field != "photo" || ph[0].Files[0].Name != "cat.jpg" || !bytes.Equal(ph[0].Files[0].Data, []byte("\xff\xd8\xff fake jpeg")) {
		t.Fatalf("photo upload = %+v", ph[0].Files)
	}
	if ph[0].Params["caption"] != "see attached" || ph[0].Params["chat_id"] != "111" || !strings.Contains(ph[0].Params["reply_parameters"], `"message_id":9`) {
		t.Fatalf("photo params = %+v", ph[0].Params)
	}
	if vo[0].Files[0].Field != "voice" || vo[0].Params["duration"] != "4" || vo[0].Params["caption"] != "" || vo[0].Files[0].ContentType != "audio/ogg" {
		t.Fatalf("voice upload = %+v %+v", vo[0].Params, vo[0].Files)
	}
	if sent.ExternalID != "1" {
		t.Fatalf("sent id = %q, want the captioned photo", sent.ExternalID)
	}

	// A text longer than a caption goes first as its own message.
	long := strings.Repeat("x", 1500)
	sent, err = c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: long, Attachments: []core.Attachment{{Kind: core.AttachDocument, LocalPath: photo}}})
	if err != nil {
		t.Fatal(err)
	}
	if sm := fake.CallsTo("sendMessage"); len(sm) != 1 || sm[0].Params["text"] != long {
		t.Fatal("long text not sent as a message")
	}
	if sd := fake.CallsTo("sendDocument"); len(sd) != 1 || sd[0].Params["caption"] != "" || sd[0].Files[0].Field != "document" {
		t.Fatalf("document = %+v", sd)
	}
	if sent.ExternalID != "3" {
		t.Fatalf("sent id = %q, want the text message 3", sent.ExternalID)
	}
}

func TestEditAndDelete(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	photo := writeFile(t, "a.jpg", []byte("jpeg"))
	text, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: "first"})
	if err != nil {
		t.Fatal(err)
	}
	media, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: "cap", Attachments: []core.Attachment{{Kind: core.AttachPhoto, LocalPath: photo}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionEdit, ExternalChatID: "111", ExternalID: text.ExternalID, Text: "first, edited"}); err != nil {
		t.Fatal(err)
	}
	// Media edit without knowing it is media (no attachments given): falls back to the caption.
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionEdit, ExternalChatID: "111", ExternalID: media.ExternalID, Text: "new cap"}); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages(111)
	if msgs[0].Text != "first, edited" || msgs[1].Text != "new cap" {
		t.Fatalf("messages = %+v", msgs)
	}
	if len(fake.CallsTo("editMessageCaption")) != 1 || len(fake.CallsTo("editMessageText")) != 2 {
		t.Fatalf("edit calls = %d text, %d caption", len(fake.CallsTo("editMessageText")), len(fake.CallsTo("editMessageCaption")))
	}
	// Re-applying the same edit (a retry after a lost answer) is success, not an error.
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionEdit, ExternalChatID: "111", ExternalID: text.ExternalID, Text: "first, edited"}); err != nil {
		t.Fatalf("idempotent edit: %v", err)
	}
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionEdit, ExternalChatID: "111", ExternalID: "999", Text: "x"})
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Description != fakeapi.TGEditNotFound {
		t.Fatalf("edit missing = %+v", ae)
	}

	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionDelete, ExternalChatID: "111", ExternalID: text.ExternalID}); err != nil {
		t.Fatal(err)
	}
	if !fake.Messages(111)[0].Deleted {
		t.Fatal("not deleted")
	}
	fake.AgeMessage(111, 2, 49*time.Hour)
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionDelete, ExternalChatID: "111", ExternalID: media.ExternalID})
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Code != 400 || ae.Description != fakeapi.TGCantDelete {
		t.Fatalf("old delete = %+v", ae)
	}
}

func TestSendToBlockedAndRateLimited(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	fake.Block(111, true)
	_, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: "hi"})
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Code != 403 || ae.Description != fakeapi.TGBlocked {
		t.Fatalf("blocked = %+v", ae)
	}
	fake.Fail("sendMessage", 1, fakeapi.Failure{Kind: fakeapi.FailRateLimit, RetryAfter: 3})
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "222", Text: "hi"})
	if ae := wantClass(t, err, channel.ErrRateLimited); ae.RetryAfter != 3*time.Second {
		t.Fatalf("429 = %+v", ae)
	}
	noToken(t, err, fake.Token())
}

func TestDownload(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("voice-bytes"), 1000)
	fake.AddFile("AwACvoice", data, 0)
	dst := filepath.Join(t.TempDir(), "media", "voice.ogg")
	if err := c.Download(ctx, core.Attachment{Kind: core.AttachVoice, FileID: "AwACvoice"}, dst); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("downloaded %d bytes, %v", len(got), err)
	}

	// getFile says the file is over 20 MB: refused, nothing written.
	fake.AddFile("BIG", []byte("x"), 21<<20)
	dst2 := filepath.Join(t.TempDir(), "big.mp4")
	err = c.Download(ctx, core.Attachment{Kind: core.AttachVideo, FileID: "BIG"}, dst2)
	if ae := wantClass(t, err, channel.ErrPermanent); !strings.Contains(ae.Description, "20 MB") {
		t.Fatalf("big = %+v", ae)
	}
	// Known size from the update: refused without any call.
	before := len(fake.Calls())
	err = c.Download(ctx, core.Attachment{Kind: core.AttachVideo, FileID: "BIG2", Size: 25 << 20}, dst2)
	wantClass(t, err, channel.ErrPermanent)
	if len(fake.Calls()) != before {
		t.Fatal("oversized download made a call")
	}

	// The file server fails mid-way: no partial file left at dst.
	fake.Fail("file", 1, fakeapi.Failure{Kind: fakeapi.FailServerError})
	dst3 := filepath.Join(t.TempDir(), "v.ogg")
	err = c.Download(ctx, core.Attachment{Kind: core.AttachVoice, FileID: "AwACvoice"}, dst3)
	wantClass(t, err, channel.ErrTemporary)
	noToken(t, err, fake.Token())
	if _, statErr := os.Stat(dst3); !os.IsNotExist(statErr) {
		t.Fatal("failed download left a file")
	}
	entries, _ := os.ReadDir(filepath.Dir(dst3))
	if len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}

	_, err = c.Do(ctx, core.Outgoing{})
	wantClass(t, err, channel.ErrPermanent)
	err = c.Download(ctx, core.Attachment{Kind: core.AttachPhoto, FileID: "nope"}, dst3)
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Description != fakeapi.TGInvalidFileID {
		t.Fatalf("invalid file = %+v", ae)
	}
}

func TestUploadedFileDownloadsBack(t *testing.T) {
	// The fake registers uploads as files, as Telegram does: a sent photo's file_id downloads.
	fake, c := newPair(t)
	ctx := context.Background()
	p := writeFile(t, "doc.pdf", []byte("%PDF-1.4 test"))
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, ExternalChatID: "5", Attachments: []core.Attachment{{Kind: core.AttachDocument, LocalPath: p}}}); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "back.pdf")
	if err := c.Download(ctx, core.Attachment{Kind: core.AttachDocument, FileID: "FAKE-document-5-1"}, dst); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "%PDF-1.4 test" {
		t.Fatalf("round trip = %q", b)
	}
	_ = fake
}

func TestDownloadAvatar(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	dst := filepath.Join(t.TempDir(), "avatar.jpg")
	ok, err := c.DownloadAvatar(ctx, dst)
	if err != nil || ok {
		t.Fatalf("no photo: ok=%v err=%v", ok, err)
	}
	fake.SetBotPhoto([]byte("jpeg avatar bytes"))
	ok, err = c.DownloadAvatar(ctx, dst)
	if err != nil || !ok {
		t.Fatalf("avatar: ok=%v err=%v", ok, err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "jpeg avatar bytes" {
		t.Fatalf("avatar = %q", b)
	}
	if gf := fake.CallsTo("getFile"); gf[len(gf)-1].Params["file_id"] != "FAKE-avatar-640" {
		t.Fatal("did not take the largest size")
	}
}

func TestPartialSendIsPermanent(t *testing.T) {
	fake, c := newPair(t)
	photo := writeFile(t, "a.jpg", []byte("jpeg"))
	fake.Fail("sendPhoto", 1, fakeapi.Failure{Kind: fakeapi.FailServerError})
	_, err := c.Do(context.Background(), core.Outgoing{Action: core.ActionSend, ExternalChatID: "111", Text: strings.Repeat("t", 2000),
		Attachments: []core.Attachment{{Kind: core.AttachPhoto, LocalPath: photo}}})
	// The text is out; retrying automatically would send it twice.
	ae := wantClass(t, err, channel.ErrPermanent)
	if !strings.Contains(ae.Description, "was delivered") || !strings.Contains(ae.Description, "a.jpg") {
		t.Fatalf("partial = %+v", ae)
	}
	if len(fake.Messages(111)) != 1 {
		t.Fatalf("messages = %+v", fake.Messages(111))
	}
}
