package vk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/channel/vk"
	"switchboard/backend/core"
)

func newPair(t *testing.T) (*fakeapi.VK, *vk.Client) {
	t.Helper()
	fake := fakeapi.NewVK(t)
	c := vk.New(vk.Config{Token: fake.Token(), GroupID: strconv.FormatInt(fake.GroupID(), 10), APIURL: fake.URL(), Wait: time.Second, RequestTimeout: 2 * time.Second})
	return fake, c
}

func noToken(t *testing.T, err error, token string) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), token) {
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

func TestCheck(t *testing.T) {
	fake := fakeapi.NewVK(t)
	// Without a group id the token's own community is used.
	c := vk.New(vk.Config{Token: fake.Token(), APIURL: fake.URL(), Wait: time.Second})
	info, err := c.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := core.BotInfo{ExternalID: "218000111", Name: "Switchboard Test Shop", Username: "switchboard_shop", AvatarURL: "https://sun9-1.userapi.com/fake/c200.jpg"}
	if info != want {
		t.Fatalf("info = %+v", info)
	}
	if c.GroupID() != "218000111" {
		t.Fatalf("group id not learnt: %q", c.GroupID())
	}
	call := fake.CallsTo("groups.getById")[0]
	if call.Params["v"] != "5.199" || call.Params["access_token"] != "" {
		t.Fatalf("params = %+v (the fake must not record the token)", call.Params)
	}

	bad := vk.New(vk.Config{Token: "vk1.a.wrong-token-xyz", APIURL: fake.URL()})
	_, err = bad.Check(context.Background())
	ae := wantClass(t, err, channel.ErrUnauthorized)
	if ae.Code != 5 || ae.Description != fakeapi.VKAuthFailed {
		t.Fatalf("auth error = %+v", ae)
	}
	noToken(t, err, "vk1.a.wrong-token-xyz")
}

func TestPollDeliversAndNamesUsers(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	fake.SetUser(5550001, "Ivan", "Petrov")
	b, err := c.Poll(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Updates) != 0 || b.Cursor == "" {
		t.Fatalf("first poll = %+v", b)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		fake.PushText(5550001, "hello from VK")
	}()
	start := time.Now()
	c2 := vk.New(vk.Config{Token: fake.Token(), GroupID: "218000111", APIURL: fake.URL(), Wait: 10 * time.Second})
	b2, err := c2.Poll(ctx, b.Cursor)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("long poll did not return early: %v", el)
	}
	if len(b2.Updates) != 1 {
		t.Fatalf("batch = %+v", b2)
	}
	u := b2.Updates[0]
	if u.Text != "hello from VK" || u.From.Name != "Ivan Petrov" || u.From.Username != "id5550001" || u.ExternalChatID != "5550001" {
		t.Fatalf("update = %+v", u)
	}
	lp := fake.CallsTo("a_check")
	last := lp[len(lp)-1]
	if last.Params["act"] != "a_check" || last.Params["wait"] != "10" || last.Params["key_ok"] != "true" {
		t.Fatalf("a_check params = %+v", last.Params)
	}
	// Not acknowledged by polling: the old cursor sees the event again; the new one does not.
	again, err := c.Poll(ctx, b.Cursor)
	if err != nil || len(again.Updates) != 1 {
		t.Fatalf("re-poll = %+v %v", again, err)
	}
	var cur struct {
		TS string `json:"ts"`
	}
	if err := json.Unmarshal([]byte(b2.Cursor), &cur); err != nil || cur.TS == "" {
		t.Fatalf("cursor %q is not {\"ts\":…}", b2.Cursor)
	}
	// The server is cached: one getLongPollServer for all these polls of c.
	if n := len(fake.CallsTo("groups.getLongPollServer")); n != 2 {
		t.Fatalf("getLongPollServer called %d times, want once per client", n)
	}
}

func TestPollFailed(t *testing.T) {
	t.Run("1 takes the new ts", func(t *testing.T) {
		fake, c := newPair(t)
		fake.PushText(1, "a")
		fake.DropHistory()
		b, err := c.Poll(context.Background(), `{"ts":"1"}`)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Updates) != 0 || b.Cursor != `{"ts":"2"}` {
			t.Fatalf("batch = %+v", b)
		}
		fake.PushText(1, "after")
		b, err = c.Poll(context.Background(), b.Cursor)
		if err != nil || len(b.Updates) != 1 || b.Updates[0].Text != "after" {
			t.Fatalf("after failed 1: %+v %v", b, err)
		}
	})
	t.Run("1 injected with numeric ts", func(t *testing.T) {
		fake, c := newPair(t)
		fake.PushText(1, "a")
		fake.PushText(1, "b")
		fake.Fail("a_check", 1, fakeapi.Failure{Kind: fakeapi.FailLongPoll, Code: 1})
		b, err := c.Poll(context.Background(), `{"ts":"1"}`)
		if err != nil || b.Cursor != `{"ts":"3"}` || len(b.Updates) != 0 {
			t.Fatalf("batch = %+v, %v", b, err)
		}
	})
	t.Run("2 gets a new key and keeps ts", func(t *testing.T) {
		fake, c := newPair(t)
		b, err := c.Poll(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		fake.PushText(1, "while the key expired")
		fake.ExpireKey()
		b, err = c.Poll(context.Background(), b.Cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Updates) != 1 || b.Updates[0].Text != "while the key expired" {
			t.Fatalf("event lost across failed 2: %+v", b)
		}
		if n := len(fake.CallsTo("groups.getLongPollServer")); n != 2 {
			t.Fatalf("getLongPollServer calls = %d, want 2", n)
		}
	})
	t.Run("3 gets a new key and ts", func(t *testing.T) {
		fake, c := newPair(t)
		fake.PushText(1, "x")
		fake.PushText(1, "y")
		fake.Fail("a_check", 1, fakeapi.Failure{Kind: fakeapi.FailLongPoll, Code: 3})
		b, err := c.Poll(context.Background(), `{"ts":"1"}`)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Updates) != 0 || b.Cursor != `{"ts":"3"}` {
			t.Fatalf("batch = %+v", b)
		}
		if n := len(fake.CallsTo("groups.getLongPollServer")); n != 2 {
			t.Fatalf("getLongPollServer calls = %d, want 2", n)
		}
	})
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name   string
		method string
		fail   fakeapi.Failure
		class  error
		code   int
		retry  time.Duration
	}{
		{"5", "messages.send", fakeapi.Failure{Kind: fakeapi.FailUnauthorized}, channel.ErrUnauthorized, 5, 0},
		{"6", "messages.send", fakeapi.Failure{Kind: fakeapi.FailRateLimit}, channel.ErrRateLimited, 6, time.Second},
		{"9", "messages.send", fakeapi.Failure{Kind: fakeapi.FailVKError, Code: 9}, channel.ErrRateLimited, 9, 30 * time.Second},
		{"29", "messages.send", fakeapi.Failure{Kind: fakeapi.FailVKError, Code: 29}, channel.ErrRateLimited, 29, 10 * time.Minute},
		{"10", "messages.send", fakeapi.Failure{Kind: fakeapi.FailVKError, Code: 10}, channel.ErrTemporary, 10, 0},
		{"901", "messages.send", fakeapi.Failure{Kind: fakeapi.FailVKError, Code: 901}, channel.ErrPermanent, 901, 0},
		{"502", "messages.send", fakeapi.Failure{Kind: fakeapi.FailBadGateway}, channel.ErrTemporary, 502, 0},
		{"malformed", "messages.send", fakeapi.Failure{Kind: fakeapi.FailMalformed}, channel.ErrTemporary, 200, 0},
		{"timeout", "messages.send", fakeapi.Failure{Kind: fakeapi.FailDelay, Delay: 5 * time.Second}, channel.ErrTemporary, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := fakeapi.NewVK(t)
			c := vk.New(vk.Config{Token: fake.Token(), GroupID: "218000111", APIURL: fake.URL(), Wait: time.Second, RequestTimeout: 300 * time.Millisecond})
			fake.Fail(tc.method, 1, tc.fail)
			_, err := c.Do(context.Background(), core.Outgoing{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "5550001", Text: "hi"})
			ae := wantClass(t, err, tc.class)
			noToken(t, err, fake.Token())
			if ae.Code != tc.code || ae.RetryAfter != tc.retry || ae.Description == "" {
				t.Fatalf("APIError = %+v", ae)
			}
		})
	}
	t.Run("long poll 502 and network", func(t *testing.T) {
		fake, c := newPair(t)
		fake.Fail("a_check", 1, fakeapi.Failure{Kind: fakeapi.FailServerError})
		_, err := c.Poll(context.Background(), "")
		wantClass(t, err, channel.ErrTemporary)
		fake.Close()
		_, err = c.Poll(context.Background(), "")
		wantClass(t, err, channel.ErrTemporary)
		noToken(t, err, fake.Token())
		if strings.Contains(err.Error(), "lpkey") {
			t.Fatalf("error leaks the long-poll key: %v", err)
		}
	})
}

func TestSendRetryNeverDuplicates(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	out := core.Outgoing{Action: core.ActionSend, OutboxID: 42, ExternalChatID: "5550001", Text: "<b>your order</b>", ReplyToExtID: "4321"}
	// The first attempt reaches VK but the answer is lost (timeout): VK has the message.
	first, err := c.Do(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	// The outbox worker retries the same row.
	second, err := c.Do(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if first.ExternalID != second.ExternalID {
		t.Fatalf("retry got another id: %s vs %s", first.ExternalID, second.ExternalID)
	}
	msgs := fake.Messages(5550001)
	if len(msgs) != 1 {
		t.Fatalf("retry duplicated the message: %+v", msgs)
	}
	sends := fake.CallsTo("messages.send")
	if sends[0].Params["random_id"] != "42" || sends[1].Params["random_id"] != "42" {
		t.Fatalf("random_id not stable: %q, %q", sends[0].Params["random_id"], sends[1].Params["random_id"])
	}
	if sends[0].Params["reply_to"] != "4321" || sends[0].Params["message"] != "<b>your order</b>" || sends[0].Params["peer_id"] != "5550001" {
		t.Fatalf("send params = %+v", sends[0].Params)
	}
	// Another outbox row is another message.
	other, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 43, ExternalChatID: "5550001", Text: "<b>your order</b>"})
	if err != nil || other.ExternalID == first.ExternalID {
		t.Fatalf("second row: %+v %v", other, err)
	}
}

func TestSendRejectsBeforeCalling(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	for _, out := range []core.Outgoing{
		{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "1", Text: strings.Repeat("щ", 9001)},
		{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "1"},
		{Action: core.ActionSend, ExternalChatID: "1", Text: "no outbox id"},
		{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "abc", Text: "x"},
		{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "1", Attachments: []core.Attachment{{Kind: core.AttachPhoto, LocalPath: "/nonexistent/x.jpg"}}},
	} {
		_, err := c.Do(ctx, out)
		wantClass(t, err, channel.ErrPermanent)
	}
	if n := len(fake.Calls()); n != 0 {
		t.Fatalf("%d calls for invalid sends", n)
	}
	fake.Deny(7, true)
	_, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 2, ExternalChatID: "7", Text: "hi"})
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Code != 901 || ae.Description != fakeapi.VKCantSend {
		t.Fatalf("901 = %+v", ae)
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

func TestSendUploads(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	photo := writeFile(t, "cat.jpg", []byte("\xff\xd8\xff jpeg"))
	voice := writeFile(t, "voice.ogg", []byte("OggS opus"))
	pdf := writeFile(t, "price.pdf", []byte("%PDF-1.7"))
	out := core.Outgoing{Action: core.ActionSend, OutboxID: 9, ExternalChatID: "5550001", Text: "files", Attachments: []core.Attachment{
		{Kind: core.AttachPhoto, LocalPath: photo, MIME: "image/jpeg"},
		{Kind: core.AttachVoice, LocalPath: voice, MIME: "audio/ogg", Duration: 3},
		{Kind: core.AttachDocument, LocalPath: pdf, FileName: "Price list.pdf"},
	}}
	if _, err := c.Do(ctx, out); err != nil {
		t.Fatal(err)
	}
	up := fake.CallsTo("upload.photo")
	if len(up) != 1 || len(up[0].Files) != 1 || up[0].Files[0].Field != "photo" || !bytes.Equal(up[0].Files[0].Data, []byte("\xff\xd8\xff jpeg")) {
		t.Fatalf("photo upload = %+v", up)
	}
	docsUp := fake.CallsTo("upload.doc")
	if len(docsUp) != 2 || docsUp[0].Files[0].Field != "file" || docsUp[1].Files[0].Field != "file" || docsUp[1].Files[0].Name != "Price list.pdf" {
		t.Fatalf("doc uploads = %+v", docsUp)
	}
	servers := fake.CallsTo("docs.getMessagesUploadServer")
	if servers[0].Params["type"] != "audio_message" || servers[1].Params["type"] != "doc" || servers[0].Params["peer_id"] != "5550001" {
		t.Fatalf("upload server params = %+v, %+v", servers[0].Params, servers[1].Params)
	}
	if ph := fake.CallsTo("photos.getMessagesUploadServer"); ph[0].Params["peer_id"] != "5550001" {
		t.Fatalf("photo server params = %+v", ph[0].Params)
	}
	if s := fake.CallsTo("photos.saveMessagesPhoto"); len(s) != 1 || s[0].Params["hash"] == "" || s[0].Params["server"] != "854321" {
		t.Fatalf("saveMessagesPhoto = %+v", s)
	}
	if s := fake.CallsTo("docs.save"); len(s) != 2 || s[1].Params["title"] != "Price list.pdf" {
		t.Fatalf("docs.save = %+v", s)
	}
	msgs := fake.Messages(5550001)
	if len(msgs) != 1 {
		t.Fatalf("messages = %+v", msgs)
	}
	atts := msgs[0].Attachments
	if len(atts) != 3 || !strings.HasPrefix(atts[0], "photo-218000111_") || !strings.HasPrefix(atts[1], "doc-218000111_") || !strings.HasPrefix(atts[2], "doc-218000111_") {
		t.Fatalf("attachment handles = %v", atts)
	}
	// A retry of the same row re-uses the uploads and VK's random_id check drops the resend.
	if _, err := c.Do(ctx, out); err != nil {
		t.Fatal(err)
	}
	if len(fake.CallsTo("upload.photo")) != 1 || len(fake.CallsTo("upload.doc")) != 2 || len(fake.Messages(5550001)) != 1 {
		t.Fatal("retry uploaded again or sent twice")
	}
}

func TestUploadFailures(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	photo := writeFile(t, "cat.jpg", []byte("jpeg"))
	fake.Fail("upload.photo", 1, fakeapi.Failure{Kind: fakeapi.FailServerError})
	_, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "1", Attachments: []core.Attachment{{Kind: core.AttachPhoto, LocalPath: photo}}})
	wantClass(t, err, channel.ErrTemporary)
	if len(fake.CallsTo("messages.send")) != 0 {
		t.Fatal("sent without the attachment")
	}
	// Next attempt succeeds.
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "1", Attachments: []core.Attachment{{Kind: core.AttachPhoto, LocalPath: photo}}}); err != nil {
		t.Fatal(err)
	}
}

func TestEditAndDelete(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	sent, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 1, ExternalChatID: "5550001", Text: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionEdit, ExternalChatID: "5550001", ExternalID: sent.ExternalID, Text: "v2",
		Attachments: []core.Attachment{{Kind: core.AttachPhoto, FileID: "photo-218000111_1_ak"}, {Kind: core.AttachSticker, FileID: "9014"}}})
	if err != nil {
		t.Fatal(err)
	}
	m := fake.Messages(5550001)[0]
	if m.Text != "v2" || len(m.Attachments) != 1 || m.Attachments[0] != "photo-218000111_1_ak" {
		t.Fatalf("edited = %+v", m)
	}
	e := fake.CallsTo("messages.edit")[0]
	if e.Params["keep_forward_messages"] != "1" || e.Params["message_id"] != sent.ExternalID || e.Params["peer_id"] != "5550001" {
		t.Fatalf("edit params = %+v", e.Params)
	}
	id, _ := strconv.ParseInt(sent.ExternalID, 10, 64)
	fake.AgeMessage(id, 25*time.Hour)
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionEdit, ExternalChatID: "5550001", ExternalID: sent.ExternalID, Text: "v3"})
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Code != 909 || ae.Description != fakeapi.VKEditTooOld {
		t.Fatalf("909 = %+v", ae)
	}
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionDelete, ExternalChatID: "5550001", ExternalID: sent.ExternalID})
	if ae := wantClass(t, err, channel.ErrPermanent); ae.Code != 924 {
		t.Fatalf("924 = %+v", ae)
	}
	fresh, err := c.Do(ctx, core.Outgoing{Action: core.ActionSend, OutboxID: 2, ExternalChatID: "5550001", Text: "fresh"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, core.Outgoing{Action: core.ActionDelete, ExternalChatID: "5550001", ExternalID: fresh.ExternalID}); err != nil {
		t.Fatal(err)
	}
	d := fake.CallsTo("messages.delete")
	if last := d[len(d)-1]; last.Params["delete_for_all"] != "1" || last.Params["message_ids"] != fresh.ExternalID {
		t.Fatalf("delete params = %+v", last.Params)
	}
	if !fake.Messages(5550001)[1].Deleted {
		t.Fatal("not deleted")
	}
	// 924 as a top-level error (older API behaviour) is classified the same.
	fake.Fail("messages.delete", 1, fakeapi.Failure{Kind: fakeapi.FailVKError, Code: 924})
	_, err = c.Do(ctx, core.Outgoing{Action: core.ActionDelete, ExternalChatID: "5550001", ExternalID: "1"})
	wantClass(t, err, channel.ErrPermanent)
}

func TestDownload(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("ogg"), 5000)
	url := fake.AddDoc("a.ogg", data)
	dst := filepath.Join(t.TempDir(), "sub", "a.ogg")
	if err := c.Download(ctx, core.Attachment{Kind: core.AttachVoice, URL: url}, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
		t.Fatal("content differs")
	}
	small := vk.New(vk.Config{Token: fake.Token(), GroupID: "218000111", APIURL: fake.URL(), DownloadLimit: 1000})
	dst2 := filepath.Join(t.TempDir(), "big.ogg")
	err := small.Download(ctx, core.Attachment{Kind: core.AttachVoice, URL: url}, dst2)
	if ae := wantClass(t, err, channel.ErrPermanent); !strings.Contains(ae.Description, "limit") {
		t.Fatalf("limit = %+v", ae)
	}
	if entries, _ := os.ReadDir(filepath.Dir(dst2)); len(entries) != 0 {
		t.Fatalf("partial files left: %v", entries)
	}
	err = c.Download(ctx, core.Attachment{Kind: core.AttachVideo, URL: "https://vk.com/video1_2"}, dst2)
	wantClass(t, err, channel.ErrPermanent)
	err = c.Download(ctx, core.Attachment{Kind: core.AttachLocation}, dst2)
	wantClass(t, err, channel.ErrPermanent)
	fake.Fail("doc", 1, fakeapi.Failure{Kind: fakeapi.FailBadGateway})
	err = c.Download(ctx, core.Attachment{Kind: core.AttachVoice, URL: url}, dst2)
	wantClass(t, err, channel.ErrTemporary)
}

// A VK attachment's URL comes from the client's message: /media/ fetches only files on VK's hosts
// (or the configured API server), never a link or another site, which must not even be contacted.
func TestDownloadFetchesOnlyVKFileHosts(t *testing.T) {
	fake, c := newPair(t)
	ctx := context.Background()
	var visits atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		visits.Add(1)
		w.Write([]byte("<html>tracking you</html>"))
	}))
	defer site.Close()
	dst := filepath.Join(t.TempDir(), "x")
	for _, a := range []core.Attachment{
		{Kind: core.AttachLink, URL: site.URL + "/item/42"},
		{Kind: core.AttachLink, URL: fake.AddDoc("a.html", []byte("on the api host, but a link"))},
		{Kind: core.AttachDocument, URL: site.URL + "/doc.pdf"},
		{Kind: core.AttachPhoto, URL: "http://sun9-1.userapi.com/x.jpg"},        // not https
		{Kind: core.AttachPhoto, URL: "https://userapi.com.evil.example/x.jpg"}, // suffix trick
		{Kind: core.AttachPhoto, URL: "https://evil.example#.userapi.com/x.jpg"},
		{Kind: core.AttachPhoto, URL: "https://user@sun9-1.userapi.com:8443/x.jpg"},
	} {
		err := c.Download(ctx, a, dst)
		wantClass(t, err, channel.ErrPermanent)
	}
	// A file on VK that redirects elsewhere is not followed there either.
	redirecting := httptest.NewServer(http.RedirectHandler(site.URL+"/steal", http.StatusFound))
	defer redirecting.Close()
	viaAPIHost := vk.New(vk.Config{Token: fake.Token(), GroupID: "218000111", APIURL: redirecting.URL + "/method"})
	if err := viaAPIHost.Download(ctx, core.Attachment{Kind: core.AttachDocument, URL: redirecting.URL + "/doc/1"}, dst); err == nil {
		t.Fatal("a redirect to another site was followed")
	}
	if n := visits.Load(); n != 0 {
		t.Fatalf("the client's site was contacted %d times", n)
	}
	if err := c.Download(ctx, core.Attachment{Kind: core.AttachDocument, URL: fake.AddDoc("a.pdf", []byte("a real doc"))}, dst); err != nil {
		t.Fatalf("a file on the API host: %v", err)
	}
}
