package inbox

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/core"
	"switchboard/backend/voice"
)

// speechWAV synthesises a phrase with espeak-ng and resamples it with sox to 16 kHz mono.
func speechWAV(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian: apt-get install espeak-ng sox)", tool)
		}
	}
	dir := t.TempDir()
	raw, wav := filepath.Join(dir, "raw.wav"), filepath.Join(dir, "speech.wav")
	if out, err := exec.Command("espeak-ng", "-v", "en", "-w", raw, "Hello Anna, your order has shipped today.").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v %s", err, out)
	}
	if out, err := exec.Command("sox", raw, "-r", "16000", "-c", "1", "-b", "16", wav).CombinedOutput(); err != nil {
		t.Fatalf("sox: %v %s", err, out)
	}
	return wav
}

// liveSource plays a WAV file like a microphone: samples arrive at speed× real time, the file
// loops, and it ends only when the recording's context ends (as MicSource does).
type liveSource struct {
	path  string
	speed int
	ctx   context.Context
	buf   []int16
	pos   int
	rate  int
}

func (s *liveSource) Start(ctx context.Context) error {
	w := voice.NewWAVSource(s.path)
	if err := w.Start(ctx); err != nil {
		return err
	}
	defer w.Close()
	s.rate = w.SampleRate()
	chunk := make([]int16, 4096)
	for {
		n, err := w.Read(chunk)
		s.buf = append(s.buf, chunk[:n]...)
		if err != nil {
			break
		}
	}
	if len(s.buf) == 0 {
		return errors.New("empty wav")
	}
	s.ctx = ctx
	return nil
}

func (s *liveSource) Read(buf []int16) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	n := min(len(buf), s.rate/50) // 20 ms per read
	for i := 0; i < n; i++ {
		buf[i] = s.buf[s.pos]
		s.pos = (s.pos + 1) % len(s.buf)
	}
	select {
	case <-s.ctx.Done():
		return n, s.ctx.Err()
	case <-time.After(20 * time.Millisecond / time.Duration(s.speed)):
	}
	return n, nil
}

func (s *liveSource) SampleRate() int { return s.rate }
func (s *liveSource) Close() error    { return nil }

type noMic struct{}

func (noMic) Start(context.Context) error { return voice.ErrNoMicrophone }
func (noMic) Read([]int16) (int, error)   { return 0, errors.New("not started") }
func (noMic) SampleRate() int             { return 0 }
func (noMic) Close() error                { return nil }

// oneConnector hands the worker one connector for every channel.
type oneConnector struct{ c channel.Connector }

func (o oneConnector) Connector(int64) (channel.Connector, bool) { return o.c, true }

func TestVoiceNoteReachesTelegramAsOggOpus(t *testing.T) {
	wav := speechWAV(t)
	e := newComposeEnv(t, core.Telegram, "Anna")
	var mu sync.Mutex
	var levels []voice.Progress
	src := &liveSource{path: wav, speed: 4}
	err := e.c.StartVoice(e.chatID, 0, src, VoiceOptions{OnProgress: func(p voice.Progress) {
		mu.Lock()
		levels = append(levels, p)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.c.StartVoice(e.chatID, 0, src, VoiceOptions{}); !errors.Is(err, ErrVoiceBusy) {
		t.Fatalf("second recording: %v", err)
	}
	if chat, ok := e.c.Recording(); !ok || chat != e.chatID {
		t.Fatalf("Recording() = %d, %v", chat, ok)
	}
	// ~2.8 s of audio at 4×: waited for by what was recorded, not by the clock, so a busy
	// machine (CI) records as much as an idle one.
	recorded := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		var got time.Duration
		if len(levels) > 0 {
			got = levels[len(levels)-1].Elapsed
		}
		mu.Unlock()
		if got >= 2800*time.Millisecond || time.Now().After(recorded) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	msg, err := e.c.StopVoice(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := e.c.Recording(); ok {
		t.Fatal("still recording after StopVoice")
	}
	mu.Lock()
	n := len(levels)
	loud := 0.0
	for _, p := range levels {
		loud = max(loud, p.Level)
	}
	mu.Unlock()
	if n < 20 || loud < 0.3 {
		t.Fatalf("progress: %d reports, loudest %.2f; want ~20/s of audio with speech showing", n, loud)
	}
	if len(msg.Attachments) != 1 {
		t.Fatalf("voice message %+v", msg)
	}
	a := msg.Attachments[0]
	if a.Kind != core.AttachVoice || a.MIME != "audio/ogg" || a.Duration < 2 || a.Duration > 4 || msg.Status != core.StatusQueued {
		t.Fatalf("voice attachment %+v (status %s)", a, msg.Status)
	}
	data, err := os.ReadFile(a.LocalPath)
	if err != nil || !bytes.HasPrefix(data, []byte("OggS")) || !bytes.Contains(data[:200], []byte("OpusHead")) {
		t.Fatalf("recorded file is not Ogg/Opus: %v %q", err, data[:min(len(data), 40)])
	}
	if _, err := e.c.StopVoice(context.Background()); !errors.Is(err, ErrNotRecording) {
		t.Fatalf("second stop: %v", err)
	}

	// The outbox worker delivers it to a Bot API that answers like Telegram's.
	fake := fakeapi.NewTelegram(t)
	client := telegram.New(telegram.Config{Token: fake.Token(), APIURL: fake.URL(), HTTPClient: &http.Client{}})
	w := channel.NewOutboxWorker(channel.OutboxConfig{Store: e.st, Conns: oneConnector{client}, Idle: 50 * time.Millisecond})
	w.Start()
	defer w.Stop()
	w.Kick()
	deadline := time.Now().Add(10 * time.Second)
	var calls []fakeapi.Call
	for time.Now().Before(deadline) {
		if calls = fake.CallsTo("sendVoice"); len(calls) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(calls) != 1 {
		t.Fatalf("sendVoice calls: %d (all calls: %+v)", len(calls), fake.Calls())
	}
	call := calls[0]
	if call.Params["chat_id"] != e.chExt || call.Params["duration"] == "" || len(call.Files) != 1 {
		t.Fatalf("sendVoice params %+v files %d", call.Params, len(call.Files))
	}
	f := call.Files[0]
	if f.Field != "voice" || f.ContentType != "audio/ogg" || !bytes.HasPrefix(f.Data, []byte("OggS")) || !bytes.Equal(f.Data, data) {
		t.Fatalf("uploaded %s %q %q (%d bytes, want %d)", f.Field, f.Name, f.ContentType, len(f.Data), len(data))
	}
	// The message becomes sent with Telegram's id.
	for time.Now().Before(deadline) {
		m, err := e.st.Message(context.Background(), msg.ID)
		if err == nil && m.Status == core.StatusSent && m.ExternalID != "" {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("voice message never became sent")
}

func TestVoiceLimitSendsByItselfAndCancelDiscards(t *testing.T) {
	wav := speechWAV(t)
	e := newComposeEnv(t, core.Telegram, "Anna")
	e.c.VoiceMax = time.Second
	got := make(chan core.Message, 1)
	err := e.c.StartVoice(e.chatID, 0, &liveSource{path: wav, speed: 10}, VoiceOptions{OnAutoSent: func(m core.Message, err error) {
		if err != nil {
			t.Errorf("auto send: %v", err)
		}
		got <- m
	}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if len(m.Attachments) != 1 || m.Attachments[0].Duration != 1 {
			t.Fatalf("limited note %+v", m.Attachments)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the limit did not stop and send the note")
	}
	if _, ok := e.c.Recording(); ok {
		t.Fatal("still recording after the limit")
	}

	// Cancel: nothing queued, no file left.
	e.c.VoiceMax = 0
	if err := e.c.StartVoice(e.chatID, 0, &liveSource{path: wav, speed: 4}, VoiceOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := e.c.CancelVoice(); err != nil {
		t.Fatal(err)
	}
	if err := e.c.Close(); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(e.c.UploadsDir, "voice", "*.ogg"))
	if len(left) != 1 { // only the auto-sent note
		t.Fatalf("voice files after cancel: %v", left)
	}
	if n := outboxCount(t, e.st); n != 1 {
		t.Fatalf("outbox rows: %d, want 1 (the auto-sent note)", n)
	}
}

func TestVoiceWithoutMicrophoneSaysSo(t *testing.T) {
	e := newComposeEnv(t, core.Telegram, "Anna")
	err := e.c.StartVoice(e.chatID, 0, noMic{}, VoiceOptions{})
	if !errors.Is(err, voice.ErrNoMicrophone) {
		t.Fatalf("StartVoice without a microphone: %v", err)
	}
	if _, ok := e.c.Recording(); ok {
		t.Fatal("recording after a failed start")
	}
	left, _ := filepath.Glob(filepath.Join(e.c.UploadsDir, "voice", "*"))
	if len(left) != 0 {
		t.Fatalf("files left: %v", left)
	}
}
