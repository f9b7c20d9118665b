// Package voice records voice notes natively: a Source of mono 16-bit PCM (the microphone
// through miniaudio, or a WAV file), an Opus encoder (libopus through hraban/opus) and an
// Ogg/Opus muxer written here, tied together by a Recorder that produces one .ogg file.
//
// The output is mono Opus at 16 kHz input, ~16 kbps, 20 ms frames, in Ogg pages of about one
// second each: a file that Telegram accepts for sendVoice and VK for audio_message as is.
//
// Use (hold-to-record in the composer):
//
//	rec := voice.NewRecorder(voice.Options{Dir: cacheDir, OnProgress: emitLevel})
//	err := rec.Start(ctx, voice.NewMicSource(voice.MicOptions{})) // errors.Is(err, voice.ErrNoMicrophone)
//	...                                   // release: res, err := rec.Stop(); slide away: rec.Cancel()
//	<-rec.Done()                          // also closes by itself at 5 minutes (res.Limited)
//	att := res.Attachment()               // Kind voice, MIME audio/ogg, Duration s, LocalPath
//
// Recording happens in Go rather than in the webview because Wails v2 on Linux never answers
// WebKit's microphone permission request (see shared/notes/platform-facts.md).
package voice
