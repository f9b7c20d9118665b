package app

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gen2brain/malgo"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/voice"
)

// Voice notes: recorded natively (backend/voice) because the webview cannot open the microphone
// on Linux; the UI holds a button and listens to "voice:level".

// Voice events.
const (
	// EventVoiceLevel is {level 0..1, elapsedMs, maxMs} about 20 times a second while recording.
	EventVoiceLevel = "voice:level"
	// EventVoiceAuto is {message, error}: the note reached its limit and was sent by itself.
	EventVoiceAuto = "voice:auto"
)

// VoiceLevel is the payload of "voice:level".
type VoiceLevel struct {
	ChatID    int64   `json:"chatId"`
	Level     float64 `json:"level"`
	ElapsedMs int64   `json:"elapsedMs"`
	MaxMs     int64   `json:"maxMs"`
}

// VoiceAuto is the payload of "voice:auto".
type VoiceAuto struct {
	ChatID  int64        `json:"chatId"`
	Message core.Message `json:"message"`
	Error   *UIError     `json:"error,omitempty"`
}

// newVoiceSource is the microphone; tests replace it with a file. SWITCHBOARD_AUDIO_BACKEND=null
// selects miniaudio's null capture device (real-time silence through the real capture path), for
// headless machines such as CI's browser tests, which have no sound card.
var newVoiceSource = func() voice.Source {
	opts := voice.MicOptions{}
	if os.Getenv("SWITCHBOARD_AUDIO_BACKEND") == "null" {
		opts.Backends = []malgo.Backend{voice.NullBackend}
	}
	return voice.NewMicSource(opts)
}

// StartVoice starts recording a voice note for chatID (replying to replyToID when not 0).
// Without a microphone it fails with the UI code no_microphone.
func (a *Composer) StartVoice(chatID, replyToID int64) error {
	c := a.composer()
	maxDur := c.VoiceMax
	if maxDur <= 0 {
		maxDur = voice.MaxDuration
	}
	win := a.currentWindow()
	return c.StartVoice(chatID, replyToID, newVoiceSource(), inbox.VoiceOptions{
		OnProgress: func(p voice.Progress) {
			win.Emit(EventVoiceLevel, VoiceLevel{ChatID: chatID, Level: p.Level, ElapsedMs: p.Elapsed.Milliseconds(), MaxMs: maxDur.Milliseconds()})
		},
		OnAutoSent: func(m core.Message, err error) {
			ev := VoiceAuto{ChatID: chatID, Message: m}
			if err != nil {
				ue := uiError(err)
				ev.Error = &ue
			}
			win.Emit(EventVoiceAuto, ev)
		},
	})
}

// StopVoice ends the recording and queues the note through the outbox.
func (a *Composer) StopVoice() (core.Message, error) { return a.composer().StopVoice(bg()) }

// CancelVoice discards the recording.
func (a *Composer) CancelVoice() error { return a.composer().CancelVoice() }

// MediaPrefix is the URL path under which the UI plays and shows attachments that are on disk:
// /media/<message id>/<attachment index>.
const MediaPrefix = "/media/"

// MediaMiddleware serves /media/ from the data directory and passes every other request on.
// It is a middleware rather than the AssetServer's fallback Handler because under `wails dev`
// the Vite server answers unknown paths itself, so a fallback would never be asked.
func (a *App) MediaMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, MediaPrefix) {
			next.ServeHTTP(w, r)
			return
		}
		a.serveMedia(w, r)
	})
}

// inlineMedia are the only types the webview may render from /media/, compared exactly (a type
// with parameters, like "image/svg+xml; charset=utf-8", is not on the list). Anything else (an
// HTML or SVG file a client sent) is served as a download, so it can never run in the app's
// origin, where the bindings are.
var inlineMedia = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"audio/ogg": true, "audio/mpeg": true, "audio/mp4": true, "audio/webm": true, "audio/wav": true,
	"video/mp4": true, "video/webm": true,
}

func (a *App) serveMedia(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rest := strings.Split(strings.TrimPrefix(r.URL.Path, MediaPrefix), "/")
	if len(rest) != 2 {
		http.NotFound(w, r)
		return
	}
	msgID, err1 := strconv.ParseInt(rest[0], 10, 64)
	index, err2 := strconv.Atoi(rest[1])
	if err1 != nil || err2 != nil {
		http.NotFound(w, r)
		return
	}
	ref, err := a.inbox.Store.AttachmentRef(r.Context(), msgID, index)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if ref.Attachment.LocalPath == "" {
		// Media of incoming messages is fetched lazily, the first time the history shows it.
		if ref.Attachment.FileID == "" && ref.Attachment.URL == "" {
			http.NotFound(w, r)
			return
		}
		local, err := a.inbox.FetchAttachment(r.Context(), msgID, index)
		if err != nil {
			slog.Warn("media fetch failed", "message", msgID, "index", index, "err", err)
			http.Error(w, "media unavailable", http.StatusBadGateway)
			return
		}
		ref.Attachment.LocalPath = local
	}
	path, err := insideDir(filepath.Dir(a.inbox.Store.Path()), ref.Attachment.LocalPath)
	if err != nil {
		slog.Warn("media outside the data directory refused", "message", msgID)
		http.NotFound(w, r)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, max-age=3600")
	mime := ref.Attachment.MIME
	if inlineMedia[mime] {
		h.Set("Content-Type", mime)
	} else {
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", "attachment")
	}
	// ServeContent answers Range requests: the audio element seeks and shows progress with them.
	http.ServeContent(w, r, "", st.ModTime(), f)
}

// insideDir resolves p and refuses anything outside root.
func insideDir(root, p string) (string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") || filepath.IsAbs(rel) {
		return "", errors.New("outside the data directory")
	}
	return abs, nil
}

// stopVoiceOnShutdown is for the app's shutdown: a note still recording is discarded, within
// a bound so a stuck audio device cannot hold the exit.
func (a *App) stopVoiceOnShutdown() {
	done := make(chan error, 1)
	go func() { done <- a.eng.Close() }()
	select {
	case err := <-done:
		if err != nil {
			slog.Warn("discard voice note at shutdown", "err", err)
		}
	case <-time.After(3 * time.Second):
		slog.Warn("voice recorder did not stop within 3 s at shutdown")
	}
}
