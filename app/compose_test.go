package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/inbox"
	"switchboard/backend/store"
	"switchboard/backend/voice"
)

// composeWindow records events and answers the file dialog with fixed paths.
type composeWindow struct {
	noWindow
	mu     sync.Mutex
	events map[string][]any
	picked []string
}

func (w *composeWindow) Emit(name string, data any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.events == nil {
		w.events = map[string][]any{}
	}
	w.events[name] = append(w.events[name], data)
}

func (w *composeWindow) OpenFiles(string) ([]string, error) { return w.picked, nil }

func (w *composeWindow) count(name string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.events[name])
}

// composeApp is an App over a real store in a temp dir with one Telegram chat.
func composeApp(t *testing.T) (*App, *composeWindow, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := testApp(t, engine.Config{Store: st})
	now := time.Now()
	ch, err := st.AddChannel(ctx, core.Channel{Kind: core.Telegram, Name: "Shop", ExternalID: "1", Username: "shop"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{{
		Kind: core.UpdMessage, ExternalChatID: "55", ExternalID: "1", Text: "hi", At: now.UnixMilli(),
		From: core.Sender{ExternalUserID: "55", Name: "Anna <b>Bold</b>"}, Sender: core.SenderClient,
	}}}, now); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListPeople(ctx, core.ListQuery{Tab: core.TabAll}, a.inbox.Me, now)
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("list %v %v", page.Rows, err)
	}
	w := &composeWindow{}
	a.win = w
	return a, w, page.Rows[0].ChatID
}

func TestComposeBindingsDraftTemplateStageSend(t *testing.T) {
	a, w, chatID := composeApp(t)
	if err := a.SaveDraft(chatID, "draft text", "", 0); err != nil {
		t.Fatal(err)
	}
	if d, err := a.Draft(chatID); err != nil || d.Text != "draft text" {
		t.Fatalf("draft %+v %v", d, err)
	}
	tpl, err := a.SaveTemplate(core.Template{Name: "Hello", Value: "Hello, {first_name}!"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveTemplate(core.Template{Name: "Hello", Value: "again"}); err == nil ||
		uiError(err).Code != "template_exists" {
		t.Fatalf("duplicate template: %v", err)
	}
	text, err := a.ExpandTemplate(chatID, tpl.ID)
	if err != nil || text != "Hello, Anna!" {
		t.Fatalf("expand = %q, %v", text, err)
	}
	// Paste: base64 bytes with a hostile name.
	st, err := a.StageUpload("../../x.txt", "text/plain", base64.StdEncoding.EncodeToString([]byte("note")))
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != "x.txt" || filepath.Dir(filepath.Dir(st.Path)) != filepath.Dir(a.inbox.Store.Path()) {
		t.Fatalf("staged %+v", st)
	}
	// Picked through the (recorded) native dialog.
	src := filepath.Join(t.TempDir(), "menu.txt")
	os.WriteFile(src, []byte("menu"), 0o600)
	w.picked = []string{src}
	picked, err := a.PickFiles("Attach")
	if err != nil || len(picked) != 1 || picked[0].Path == src {
		t.Fatalf("picked %+v %v", picked, err)
	}
	msgs, err := a.SendAttachments(chatID, "see files", []inbox.Staged{st, picked[0]}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Text != "see files" || len(msgs[0].Attachments) != 2 {
		t.Fatalf("sent %+v", msgs)
	}
	_, err = a.SendParts(chatID, []inbox.Part{{Kind: inbox.PartFile, Path: "/etc/passwd"}}, 0)
	if code := uiError(err).Code; code != "bad_attachment" {
		t.Fatalf("file outside uploads: code %q (%v)", code, err)
	}
}

func TestComposeErrorCodes(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("start voice: voice recorder: %w (pulseaudio: no device)", voice.ErrNoMicrophone): "no_microphone",
		fmt.Errorf("part 2: x is 60 MB: %w", inbox.ErrFileTooLarge):                                  "file_too_large",
		fmt.Errorf("x: %w", inbox.ErrVoiceBusy):                                                      "voice_busy",
		fmt.Errorf("x: %w", core.ErrTextTooLong):                                                     "text_too_long",
	} {
		if got := uiError(err).Code; got != want {
			t.Errorf("%v -> %q, want %q", err, got, want)
		}
	}
}

// pacedWAV is a microphone stand-in: a WAV file delivered at 4× real time, looping until the
// recording's context ends.
type pacedWAV struct {
	path    string
	ctx     context.Context
	samples []int16
	pos     int
}

func (p *pacedWAV) Start(ctx context.Context) error {
	src := voice.NewWAVSource(p.path)
	if err := src.Start(ctx); err != nil {
		return err
	}
	defer src.Close()
	buf := make([]int16, 4096)
	for {
		n, err := src.Read(buf)
		p.samples = append(p.samples, buf[:n]...)
		if err != nil {
			break
		}
	}
	if len(p.samples) == 0 {
		return errors.New("empty")
	}
	p.ctx = ctx
	return nil
}

func (p *pacedWAV) Read(buf []int16) (int, error) {
	select {
	case <-p.ctx.Done():
		return 0, p.ctx.Err()
	case <-time.After(5 * time.Millisecond):
	}
	n := min(len(buf), 320)
	for i := range n {
		buf[i] = p.samples[p.pos]
		p.pos = (p.pos + 1) % len(p.samples)
	}
	return n, nil
}
func (p *pacedWAV) SampleRate() int { return voice.SampleRate }
func (p *pacedWAV) Close() error    { return nil }

// tone writes one second of a 440 Hz tone as a 16 kHz mono WAV.
func toneWAV(t *testing.T) string {
	t.Helper()
	n := voice.SampleRate
	var pcm bytes.Buffer
	for i := 0; i < n; i++ {
		v := int16(8000 * sin440(i))
		pcm.WriteByte(byte(v))
		pcm.WriteByte(byte(uint16(v) >> 8))
	}
	var b bytes.Buffer
	le := func(v uint32, size int) {
		for i := 0; i < size; i++ {
			b.WriteByte(byte(v >> (8 * i)))
		}
	}
	b.WriteString("RIFF")
	le(uint32(36+pcm.Len()), 4)
	b.WriteString("WAVEfmt ")
	le(16, 4)
	le(1, 2)
	le(1, 2)
	le(uint32(n), 4)
	le(uint32(n*2), 4)
	le(2, 2)
	le(16, 2)
	b.WriteString("data")
	le(uint32(pcm.Len()), 4)
	b.Write(pcm.Bytes())
	path := filepath.Join(t.TempDir(), "tone.wav")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVoiceBindingsEmitLevelsAndQueueTheNote(t *testing.T) {
	a, w, chatID := composeApp(t)
	wav := toneWAV(t)
	old := newVoiceSource
	newVoiceSource = func() voice.Source { return &pacedWAV{path: wav} }
	t.Cleanup(func() { newVoiceSource = old })

	if err := a.StartVoice(chatID, 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for w.count(EventVoiceLevel) < 10 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := w.count(EventVoiceLevel); n < 10 {
		t.Fatalf("%d level events", n)
	}
	w.mu.Lock()
	lv := w.events[EventVoiceLevel][len(w.events[EventVoiceLevel])-1].(VoiceLevel)
	w.mu.Unlock()
	if lv.ChatID != chatID || lv.Level <= 0.5 || lv.ElapsedMs <= 0 || lv.MaxMs != voice.MaxDuration.Milliseconds() {
		t.Fatalf("level event %+v", lv)
	}
	m, err := a.StopVoice()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Kind != core.AttachVoice || m.Attachments[0].MIME != "audio/ogg" {
		t.Fatalf("voice message %+v", m)
	}

	// Played back through /media/: the Ogg file, with Range support for the progress bar.
	srv := httptest.NewServer(a.MediaMiddleware(http.NotFoundHandler()))
	defer srv.Close()
	url := fmt.Sprintf("%s/media/%d/0", srv.URL, m.ID)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/ogg" || !bytes.HasPrefix(body, []byte("OggS")) {
		t.Fatalf("media: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body[:min(8, len(body))])
	}
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Range", "bytes=4-7")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, body[4:8]) {
		t.Fatalf("range: %d %q", resp.StatusCode, part)
	}
	if resp, _ := http.Get(srv.URL + "/media/999/0"); resp.StatusCode != 404 {
		t.Fatalf("missing media: %d", resp.StatusCode)
	}
	if resp, _ := http.Get(srv.URL + "/index.html"); resp.StatusCode != 404 {
		t.Fatalf("non-media path not passed on: %d", resp.StatusCode)
	}
}

func TestMediaServesOnlyDataDirAndNeverHTMLInline(t *testing.T) {
	a, _, chatID := composeApp(t)
	ctx := context.Background()
	html, err := a.StageUpload("page.html", "text/html", base64.StdEncoding.EncodeToString([]byte("<script>alert(1)</script>")))
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside.ogg")
	os.WriteFile(outside, []byte("OggS outside"), 0o600)
	st := a.inbox.Store
	m1, err := st.QueueSend(ctx, chatID, a.inbox.Me, "", []core.Attachment{{Kind: core.AttachDocument, MIME: "text/html", LocalPath: html.Path}}, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	m2, err := st.QueueSend(ctx, chatID, a.inbox.Me, "", []core.Attachment{{Kind: core.AttachVoice, MIME: "audio/ogg", LocalPath: outside}}, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.MediaMiddleware(http.NotFoundHandler()))
	defer srv.Close()
	resp, err := http.Get(fmt.Sprintf("%s/media/%d/0", srv.URL, m1.ID))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		resp.Header.Get("Content-Disposition") != "attachment" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("html attachment served as %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = http.Get(fmt.Sprintf("%s/media/%d/0", srv.URL, m2.ID))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("file outside the data dir served: %d", resp.StatusCode)
	}
}

func sin440(i int) float64 {
	return math.Sin(2 * math.Pi * 440 * float64(i) / float64(voice.SampleRate))
}

func TestVoiceThroughTheNullCaptureDevice(t *testing.T) {
	t.Setenv("SWITCHBOARD_AUDIO_BACKEND", "null")
	a, w, chatID := composeApp(t)
	if err := a.StartVoice(chatID, 0); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for w.count(EventVoiceLevel) < 10 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := w.count(EventVoiceLevel); n < 10 {
		t.Fatalf("%d level events from the null device in real time", n)
	}
	m, err := a.StopVoice()
	if err != nil {
		t.Fatal(err)
	}
	att := m.Attachments[0]
	data, err := os.ReadFile(att.LocalPath)
	if err != nil || !bytes.HasPrefix(data, []byte("OggS")) || att.Duration < 1 {
		t.Fatalf("voice note from the null device: %+v %v", att, err)
	}
}

// A script in the page must not be able to name a local file to send: no binding takes a path to
// stage (files on disk come only from the native dialog Go opens, PickFiles; dropped and pasted
// files come as bytes, StageUpload).
func TestNoBindingStagesAPathFromThePage(t *testing.T) {
	for _, svc := range (&App{}).servicesForBinding() {
		typ := reflect.TypeOf(svc)
		if _, ok := typ.MethodByName("StageFiles"); ok {
			t.Fatalf("%s.StageFiles is bound: any page script could stage any local file", typ)
		}
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i)
			if !strings.Contains(m.Name, "Stage") {
				continue
			}
			for j := 1; j < m.Type.NumIn(); j++ {
				if m.Type.In(j) == reflect.TypeOf([]string(nil)) {
					t.Fatalf("%s.%s takes a list of strings (paths?)", typ, m.Name)
				}
			}
		}
	}
}
