package inbox

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

var composeNow = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// composeEnv is a real store in a temp dir with one channel of kind ck and one client chat.
type composeEnv struct {
	dir    string
	st     *store.Store
	c      *Composer
	chatID int64
	person int64
	chExt  string // the client's Telegram chat id / VK peer id
}

func newComposeEnv(t *testing.T, ck core.ChannelKind, clientName string) *composeEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	me, err := st.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := st.AddChannel(ctx, core.Channel{Kind: ck, Name: "Shop", ExternalID: "777", Username: "shopbot"}, composeNow)
	if err != nil {
		t.Fatal(err)
	}
	const ext = "4242"
	if _, err := st.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{{
		Kind: core.UpdMessage, ExternalChatID: ext, ExternalID: "1", Text: "Hello", At: composeNow.UnixMilli(),
		From: core.Sender{ExternalUserID: ext, Name: clientName}, Sender: core.SenderClient,
	}}}, composeNow); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListPeople(ctx, core.ListQuery{Tab: core.TabAll}, me.ID, composeNow)
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("list: %+v %v", page.Rows, err)
	}
	c := NewComposer(st, me.ID)
	c.Now = func() time.Time { return composeNow }
	return &composeEnv{dir: dir, st: st, c: c, chatID: page.Rows[0].ChatID, person: page.Rows[0].PersonID, chExt: ext}
}

func TestFillTemplateKeepsHostileNamesAsText(t *testing.T) {
	p := core.Person{Name: `<img src=x onerror=alert(1)> {phone}`, Phone: "+7 916 000-00-00", Email: "a@b.c"}
	got := FillTemplate("Dear {name} / {first_name}: call {phone}, {email}. {manager}. {unknown} {", p, "Olga")
	want := "Dear <img src=x onerror=alert(1)> {phone} / <img: call +7 916 000-00-00, a@b.c. Olga. {unknown} {"
	if got != want {
		t.Fatalf("FillTemplate =\n%q\nwant\n%q", got, want)
	}
}

func TestExpandTemplateFillsPersonAndManager(t *testing.T) {
	ctx := context.Background()
	e := newComposeEnv(t, core.Telegram, "Anna Petrova")
	tpl, err := e.c.SaveTemplate(ctx, core.Template{Name: "Greeting", Value: "Hi {first_name}! I am {manager}, {name} is on file."})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.c.ExpandTemplate(ctx, e.chatID, tpl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != "Hi Anna! I am me, Anna Petrova is on file." {
		t.Fatalf("expanded %q", got)
	}
	if _, err := e.c.ExpandTemplate(ctx, e.chatID, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing template: %v", err)
	}
}

func TestComposerDraftSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	e := newComposeEnv(t, core.Telegram, "Ivan")
	constructor := `{"parts":[{"kind":"text","text":"unfinished"}]}`
	if err := e.c.SaveDraft(ctx, e.chatID, "half a sentence", constructor, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.c.SaveDraft(ctx, e.chatID, "x", "{not json", 0); !errors.Is(err, ErrBadConstructor) {
		t.Fatalf("bad constructor JSON: %v", err)
	}
	e.st.Close()
	st, err := store.OpenDir(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := NewComposer(st, e.c.Me)
	d, err := c.Draft(ctx, e.chatID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != "half a sentence" || d.Constructor != constructor {
		t.Fatalf("draft after restart: %+v", d)
	}
	page, _ := st.ListPeople(ctx, core.ListQuery{Tab: core.TabAll}, c.Me, composeNow)
	if len(page.Rows) != 1 || !page.Rows[0].HasDraft {
		t.Fatalf("draft mark after restart: %+v", page.Rows)
	}
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := 0; i < 8; i++ {
		img.Set(i, i, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func outboxCount(t *testing.T, st *store.Store) int {
	t.Helper()
	jobs, err := st.NextOutbox(context.Background(), composeNow.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return len(jobs)
}

func TestSendPartsQueuesMessagesInOrder(t *testing.T) {
	ctx := context.Background()
	e := newComposeEnv(t, core.Telegram, "Anna")
	img, err := e.c.StageUpload("photo.png", "image/png", pngBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	if img.Kind != core.AttachPhoto || img.MIME != "image/png" {
		t.Fatalf("staged image %+v", img)
	}
	src := filepath.Join(t.TempDir(), "price list.pdf")
	os.WriteFile(src, []byte("%PDF-1.4\n% a price list\n"), 0o600)
	files, err := e.c.StageFiles([]string{src})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.c.SaveDraft(ctx, e.chatID, "typed text stays", `{"parts":[1]}`, 0); err != nil {
		t.Fatal(err)
	}
	parts := []Part{
		{Kind: PartText, Text: "Here is our offer"},
		{Kind: PartTemplate, Text: "Best regards, Olga"},
		{Kind: PartImage, Path: img.Path, Name: img.Name, MIME: img.MIME},
		{Kind: PartLink, URL: "https://example.com/catalog", Name: "Catalog"},
		{Kind: PartFile, Path: files[0].Path, Name: files[0].Name, MIME: "application/x-evil"},
		{Kind: PartVideo, URL: "https://video.example.com/v/1"},
	}
	msgs, err := e.c.SendParts(ctx, e.chatID, parts, 0)
	if err != nil {
		t.Fatal(err)
	}
	// text+template+image -> one message with the text as caption; link then file -> one; the
	// video link is text after a file -> its own.
	if len(msgs) != 3 {
		t.Fatalf("%d messages: %+v", len(msgs), msgs)
	}
	if msgs[0].Text != "Here is our offer\n\nBest regards, Olga" || len(msgs[0].Attachments) != 1 ||
		msgs[0].Attachments[0].Kind != core.AttachPhoto || msgs[0].Attachments[0].LocalPath != img.Path {
		t.Fatalf("message 1: %+v", msgs[0])
	}
	if msgs[1].Text != "Catalog\nhttps://example.com/catalog" || len(msgs[1].Attachments) != 1 ||
		msgs[1].Attachments[0].Kind != core.AttachDocument || msgs[1].Attachments[0].FileName != "price list.pdf" ||
		msgs[1].Attachments[0].MIME != "application/pdf" {
		t.Fatalf("message 2: %+v", msgs[1])
	}
	if msgs[2].Text != "https://video.example.com/v/1" || len(msgs[2].Attachments) != 0 {
		t.Fatalf("message 3: %+v", msgs[2])
	}
	for _, m := range msgs {
		if m.Status != core.StatusQueued || m.Sender != core.SenderManager {
			t.Fatalf("not queued: %+v", m)
		}
	}
	// One chat's rows leave in order: the first is due, the rest wait behind it.
	jobs, _ := e.st.NextOutbox(ctx, composeNow.Add(time.Hour))
	if len(jobs) != 1 || jobs[0].Item.MessageID != msgs[0].ID || len(jobs[0].Out.Attachments) != 1 {
		t.Fatalf("outbox jobs: %+v", jobs)
	}
	d, _ := e.c.Draft(ctx, e.chatID)
	if d.Text != "typed text stays" || d.Constructor != "" {
		t.Fatalf("draft after constructor send: %+v", d)
	}
}

func TestSendPartsRejectsBeforeQueueingAnything(t *testing.T) {
	ctx := context.Background()
	e := newComposeEnv(t, core.Telegram, "Anna")
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o600)
	big := filepath.Join(e.c.UploadsDir, "0123456789abcdef-big.bin")
	os.MkdirAll(e.c.UploadsDir, 0o700)
	f, _ := os.Create(big)
	f.Truncate(core.TelegramUploadLimit + 1) // sparse: no 50 MB written
	f.Close()
	cases := []struct {
		name  string
		parts []Part
		want  error
	}{
		{"outside uploads", []Part{{Kind: PartText, Text: "x"}, {Kind: PartFile, Path: outside}}, ErrBadAttachment},
		{"traversal", []Part{{Kind: PartFile, Path: filepath.Join(e.c.UploadsDir, "..", "switchboard.db")}}, ErrBadAttachment},
		{"javascript link", []Part{{Kind: PartLink, URL: "javascript:alert(1)"}}, ErrBadPart},
		{"unknown kind", []Part{{Kind: "html", Text: "<b>"}}, ErrBadPart},
		{"too long", []Part{{Kind: PartText, Text: strings.Repeat("я", core.TelegramTextLimit+1)}}, core.ErrTextTooLong},
		{"too large", []Part{{Kind: PartFile, Path: big}}, ErrFileTooLarge},
		{"empty", []Part{{Kind: PartText, Text: "  "}}, core.ErrEmptyMessage},
	}
	for _, tc := range cases {
		_, err := e.c.SendParts(ctx, e.chatID, tc.parts, 0)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if n := outboxCount(t, e.st); n != 0 {
		t.Fatalf("%d outbox rows after rejected sends", n)
	}
}

func TestVKAllowsLargerDocumentsThanTelegram(t *testing.T) {
	ctx := context.Background()
	e := newComposeEnv(t, core.VK, "Petr")
	os.MkdirAll(e.c.UploadsDir, 0o700)
	big := filepath.Join(e.c.UploadsDir, "0123456789abcdef-report.bin")
	f, _ := os.Create(big)
	f.Truncate(60 << 20)
	f.Close()
	msgs, err := e.c.SendParts(ctx, e.chatID, []Part{{Kind: PartFile, Path: big}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Attachments[0].FileName != "report.bin" || msgs[0].Attachments[0].Size != 60<<20 {
		t.Fatalf("vk document: %+v", msgs)
	}
}

func TestStageUploadSanitizesNames(t *testing.T) {
	e := newComposeEnv(t, core.Telegram, "Anna")
	names := map[string]string{
		"../../etc/passwd":                "passwd",
		`..\..\Windows\win.ini`:           "win.ini",
		"a/b/c.png":                       "c.png",
		"CON.txt":                         "_CON.txt",
		"bad\x00name\n.txt":               "bad_name_.txt",
		"..":                              "file",
		"":                                "file",
		"what?<>.jpg":                     "what___.jpg",
		strings.Repeat("ж", 100) + ".pdf": strings.Repeat("ж", 58) + ".pdf",
	}
	for in, want := range names {
		s, err := e.c.StageUpload(in, "application/octet-stream", []byte("data"))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if s.Name != want {
			t.Errorf("%q staged as %q, want %q", in, s.Name, want)
		}
		if filepath.Dir(s.Path) != e.c.UploadsDir {
			t.Errorf("%q staged outside uploads: %s", in, s.Path)
		}
		if b, err := os.ReadFile(s.Path); err != nil || string(b) != "data" {
			t.Errorf("%q: content %q %v", in, b, err)
		}
	}
	if _, err := e.c.StageUpload("x.bin", "", make([]byte, maxPaste+1)); !errors.Is(err, ErrFileTooLarge) {
		t.Fatalf("oversized paste: %v", err)
	}
	if err := e.c.DiscardStaged("/etc/hostname"); !errors.Is(err, ErrBadAttachment) {
		t.Fatalf("discard outside uploads: %v", err)
	}
}

// A staged file's name loses bidirectional controls: "invoice\u202Efdp.exe" would read as a PDF.
func TestSanitizeFileNameDropsBidiControls(t *testing.T) {
	for in, want := range map[string]string{
		"invoice\u202Efdp.exe":     "invoicefdp.exe",
		"a\u2066b\u2069\u200F.pdf": "ab.pdf",
		"отчёт.pdf":                "отчёт.pdf",
		"../../x\u202E.sh":         "x.sh",
	} {
		if got := SanitizeFileName(in); got != want {
			t.Errorf("SanitizeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
