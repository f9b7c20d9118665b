package inbox

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/channel/vk"
	"switchboard/backend/core"
)

// deliverAll runs the real outbox worker over conn until every message in ids is sent.
func deliverAll(t *testing.T, e *composeEnv, conn channel.Connector, ids []int64) {
	t.Helper()
	w := channel.NewOutboxWorker(channel.OutboxConfig{Store: e.st, Conns: oneConnector{conn}, Idle: 50 * time.Millisecond})
	w.Start()
	defer w.Stop()
	w.Kick()
	deadline := time.Now().Add(15 * time.Second)
	for _, id := range ids {
		for {
			m, err := e.st.Message(context.Background(), id)
			if err == nil && m.Status == core.StatusSent {
				break
			}
			if err == nil && m.Status == core.StatusFailed {
				t.Fatalf("message %d failed: %s", id, m.Error)
			}
			if time.Now().After(deadline) {
				t.Fatalf("message %d not sent (status %v, %v)", id, m.Status, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func ids(msgs []core.Message) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.ID
	}
	return out
}

// stagedParts stages a PNG and a PDF and returns constructor parts: text, image, text, file.
func stagedParts(t *testing.T, c *Composer) (png, pdf Staged, parts []Part) {
	t.Helper()
	png, err := c.StageUpload("photo.png", "image/png", pngBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "offer.pdf")
	os.WriteFile(src, []byte("%PDF-1.4\n% offer\n"), 0o600)
	st, err := c.StageFiles([]string{src})
	if err != nil {
		t.Fatal(err)
	}
	pdf = st[0]
	parts = []Part{
		{Kind: PartText, Text: "Our new collection"},
		{Kind: PartImage, Path: png.Path, Name: png.Name},
		{Kind: PartTemplate, Text: "Terms attached, Anna"},
		{Kind: PartFile, Path: pdf.Path, Name: pdf.Name},
	}
	return png, pdf, parts
}

func TestConstructorPartsReachTelegramAsPhotoAndDocumentWithCaptions(t *testing.T) {
	e := newComposeEnv(t, core.Telegram, "Anna")
	png, pdf, parts := stagedParts(t, e.c)
	msgs, err := e.c.SendParts(context.Background(), e.chatID, parts, 0)
	if err != nil {
		t.Fatal(err)
	}
	fake := fakeapi.NewTelegram(t)
	deliverAll(t, e, telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), HTTPClient: &http.Client{}}), ids(msgs))

	photos, docs := fake.CallsTo("sendPhoto"), fake.CallsTo("sendDocument")
	if len(photos) != 1 || len(docs) != 1 || len(fake.CallsTo("sendMessage")) != 0 {
		t.Fatalf("calls: %d sendPhoto, %d sendDocument, %d sendMessage", len(photos), len(docs), len(fake.CallsTo("sendMessage")))
	}
	pngData, _ := os.ReadFile(png.Path)
	if photos[0].Params["caption"] != "Our new collection" || photos[0].Params["chat_id"] != e.chExt ||
		len(photos[0].Files) != 1 || photos[0].Files[0].Field != "photo" || !bytes.Equal(photos[0].Files[0].Data, pngData) {
		t.Fatalf("sendPhoto %+v", photos[0].Params)
	}
	if docs[0].Params["caption"] != "Terms attached, Anna" || len(docs[0].Files) != 1 ||
		docs[0].Files[0].Field != "document" || docs[0].Files[0].Name != pdf.Name || docs[0].Files[0].ContentType != "application/pdf" {
		t.Fatalf("sendDocument %+v %+v", docs[0].Params, docs[0].Files)
	}
	// The photo left before the document: the client reads the parts in order.
	if !photos[0].At.Before(docs[0].At) && !photos[0].At.Equal(docs[0].At) {
		t.Fatal("document sent before the photo")
	}
}

func TestConstructorPartsAndVoiceReachVKAsUploadsAndAttachments(t *testing.T) {
	wav := speechWAV(t)
	e := newComposeEnv(t, core.VK, "Anna")
	_, pdf, parts := stagedParts(t, e.c)
	msgs, err := e.c.SendParts(context.Background(), e.chatID, parts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.c.StartVoice(e.chatID, 0, &liveSource{path: wav, speed: 8}, VoiceOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	note, err := e.c.StopVoice(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fake := fakeapi.NewVK(t)
	client := vk.New(vk.Config{Token: fake.Token(), GroupID: strconv.FormatInt(fake.GroupID(), 10), APIURL: fake.URL(), HTTPClient: &http.Client{}})
	deliverAll(t, e, client, append(ids(msgs), note.ID))

	sends := fake.CallsTo("messages.send")
	if len(sends) != 3 {
		t.Fatalf("%d messages.send, want 3 (photo+text, file+text, voice)", len(sends))
	}
	if sends[0].Params["message"] != "Our new collection" || !strings.HasPrefix(sends[0].Params["attachment"], "photo-") ||
		sends[0].Params["peer_id"] != e.chExt || sends[0].Params["random_id"] == "" {
		t.Fatalf("first send %+v", sends[0].Params)
	}
	if sends[1].Params["message"] != "Terms attached, Anna" || !strings.HasPrefix(sends[1].Params["attachment"], "doc-") {
		t.Fatalf("second send %+v", sends[1].Params)
	}
	if sends[2].Params["message"] != "" || !strings.HasPrefix(sends[2].Params["attachment"], "doc-") {
		t.Fatalf("voice send %+v", sends[2].Params)
	}
	var types []string
	for _, c := range fake.CallsTo("docs.getMessagesUploadServer") {
		types = append(types, c.Params["type"])
	}
	if strings.Join(types, ",") != "doc,audio_message" {
		t.Fatalf("document upload types %v", types)
	}
	// Files go to the document upload server (field "file"); photos to their own.
	var ups []fakeapi.Call
	for _, c := range fake.Calls() {
		if strings.HasPrefix(c.Method, "upload.") && c.Method != "upload.photo" {
			ups = append(ups, c)
		}
	}
	if len(ups) != 2 || ups[0].Files[0].Name != pdf.Name || !bytes.HasPrefix(ups[1].Files[0].Data, []byte("OggS")) {
		t.Fatalf("document uploads: %+v", ups)
	}
}
