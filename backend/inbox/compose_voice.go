package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"switchboard/backend/core"
	"switchboard/backend/voice"
)

// voiceSession is the one voice note being recorded. Whoever takes it out of Composer.voice
// (StopVoice, CancelVoice, or the watcher when the recording ends by itself) finishes it, so it
// is sent or discarded exactly once.
type voiceSession struct {
	rec     *voice.Recorder
	chatID  int64
	replyTo int64
}

// VoiceOptions are the callbacks of one recording.
type VoiceOptions struct {
	// OnProgress gets elapsed time and level about every 50 ms (from the recording goroutine).
	OnProgress func(voice.Progress)
	// OnAutoSent is called when the recording ended by itself (the 5-minute limit, or the
	// source ran out) and was queued, or failed to; not called after StopVoice/CancelVoice.
	OnAutoSent func(core.Message, error)
}

// StartVoice starts recording a voice note for chatID from src (the microphone in the app, a
// WAV file in tests). Only one note records at a time. A source that cannot start (no
// microphone) returns its error wrapping voice.ErrNoMicrophone.
func (c *Composer) StartVoice(chatID, replyToID int64, src voice.Source, opts VoiceOptions) error {
	if c.Remote != nil {
		return ErrTeamUnsupported
	}
	if _, err := c.Store.Chat(context.Background(), chatID); err != nil {
		return fmt.Errorf("start voice: %w", err)
	}
	c.voiceMu.Lock()
	defer c.voiceMu.Unlock()
	if c.voice != nil {
		return ErrVoiceBusy
	}
	dir := filepath.Join(c.UploadsDir, "voice")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("start voice: %w", err)
	}
	rec := voice.NewRecorder(voice.Options{Dir: dir, MaxDuration: c.VoiceMax, OnProgress: opts.OnProgress})
	// The recording's lifetime is the session's, not a request's: Stop/Cancel end it.
	if err := rec.Start(context.Background(), src); err != nil {
		return fmt.Errorf("start voice: %w", err)
	}
	s := &voiceSession{rec: rec, chatID: chatID, replyTo: replyToID}
	c.voice = s
	c.voiceWG.Add(1)
	go func() {
		defer c.voiceWG.Done()
		<-rec.Done()
		if !c.take(s) {
			return // Stop or Cancel took it and finishes it
		}
		msg, err := c.finishVoice(context.Background(), s)
		if err != nil {
			slog.Warn("voice note ended by itself and was not sent", "chat", s.chatID, "err", err)
		}
		if opts.OnAutoSent != nil {
			opts.OnAutoSent(msg, err)
		}
	}()
	return nil
}

// take removes s from the composer if it is still current; true means the caller owns it.
func (c *Composer) take(s *voiceSession) bool {
	c.voiceMu.Lock()
	defer c.voiceMu.Unlock()
	if c.voice != s {
		return false
	}
	c.voice = nil
	return true
}

// Recording reports whether a voice note is being recorded, and for which chat.
func (c *Composer) Recording() (int64, bool) {
	c.voiceMu.Lock()
	defer c.voiceMu.Unlock()
	if c.voice == nil {
		return 0, false
	}
	return c.voice.chatID, true
}

// StopVoice ends the recording and queues the note through the outbox as a voice attachment
// (Ogg/Opus, audio/ogg, with its duration).
func (c *Composer) StopVoice(ctx context.Context) (core.Message, error) {
	c.voiceMu.Lock()
	s := c.voice
	c.voice = nil
	c.voiceMu.Unlock()
	if s == nil {
		return core.Message{}, ErrNotRecording
	}
	return c.finishVoice(ctx, s)
}

func (c *Composer) finishVoice(ctx context.Context, s *voiceSession) (core.Message, error) {
	res, err := s.rec.Stop()
	if err != nil && res.Path == "" {
		return core.Message{}, fmt.Errorf("voice note: %w", err)
	}
	if err != nil {
		// The microphone went away midway: what was recorded is still worth sending.
		slog.Warn("voice source failed while recording; sending what was recorded", "err", err)
	}
	msg, qerr := c.Store.QueueSend(ctx, s.chatID, c.Me, "", []core.Attachment{res.Attachment()}, s.replyTo, c.now())
	if qerr != nil {
		os.Remove(res.Path)
		return core.Message{}, fmt.Errorf("voice note: %w", qerr)
	}
	c.kick()
	return msg, nil
}

// CancelVoice discards the recording (the manager dragged away or pressed Esc).
func (c *Composer) CancelVoice() error {
	c.voiceMu.Lock()
	s := c.voice
	c.voice = nil
	c.voiceMu.Unlock()
	if s == nil {
		return nil
	}
	if err := s.rec.Cancel(); err != nil && !errors.Is(err, voice.ErrCanceled) {
		return fmt.Errorf("cancel voice: %w", err)
	}
	return nil
}

// Close discards a recording in progress and waits for its goroutine: call it at shutdown.
func (c *Composer) Close() error {
	err := c.CancelVoice()
	c.voiceWG.Wait()
	return err
}
