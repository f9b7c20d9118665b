package app

import (
	"encoding/base64"
	"fmt"
	"sync"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/store"
	"switchboard/backend/voice"
)

// Bindings of the rich composer: drafts, chat templates, the message constructor, attachments
// and (in voice.go) voice notes. Thin, like the rest: the rules live in inbox.Composer.

// The composer's UI error codes, next to the errors they name (see errors.go). Appended at
// init so this file owns them.
func init() {
	errorCodes = append(errorCodes, []struct {
		err  error
		code string
	}{
		{voice.ErrNoMicrophone, "no_microphone"},
		{voice.ErrMicrophoneLost, "microphone_lost"},
		{voice.ErrEmpty, "voice_empty"},
		{inbox.ErrVoiceBusy, "voice_busy"},
		{inbox.ErrNotRecording, "not_recording"},
		{inbox.ErrFileTooLarge, "file_too_large"},
		{inbox.ErrBadAttachment, "bad_attachment"},
		{inbox.ErrBadPart, "bad_part"},
		{inbox.ErrDraftTooLarge, "draft_too_large"},
		{inbox.ErrBadConstructor, "bad_constructor"},
		{store.ErrTemplateExists, "template_exists"},
		{store.ErrTemplateName, "template_name"},
	}...)
}

// composers holds each App's composer (it keeps the voice session between calls). A side
// table rather than a field so the composer needs no change to App's own file.
var composers sync.Map // *App -> *inbox.Composer

func (a *App) composer() *inbox.Composer {
	if c, ok := composers.Load(a); ok {
		return c.(*inbox.Composer)
	}
	c, _ := composers.LoadOrStore(a, inbox.ComposerFor(a.inbox))
	return c.(*inbox.Composer)
}

// closeComposer discards a voice note still recording and waits for its goroutine; the app's
// shutdown calls it.
func (a *App) closeComposer() error {
	c, ok := composers.LoadAndDelete(a)
	if !ok {
		return nil
	}
	return c.(*inbox.Composer).Close()
}

// Draft returns a chat's saved draft (text, constructor JSON, reply) to restore the composer.
func (a *App) Draft(chatID int64) (core.Draft, error) { return a.composer().Draft(bg(), chatID) }

// SaveDraft stores what the manager is typing; the UI calls it debounced, on chat switch and
// before the window unloads. Empty text and constructor delete the draft.
func (a *App) SaveDraft(chatID int64, text, constructor string, replyToID int64) error {
	return a.composer().SaveDraft(bg(), chatID, text, constructor, replyToID)
}

// Templates lists the chat templates ("chat template" variables of Settings).
func (a *App) Templates() ([]core.Template, error) { return a.composer().Templates(bg()) }

// SaveTemplate creates (id 0) or changes a chat template.
func (a *App) SaveTemplate(t core.Template) (core.Template, error) {
	return a.composer().SaveTemplate(bg(), t)
}

// DeleteTemplate removes a chat template.
func (a *App) DeleteTemplate(id int64) error { return a.composer().DeleteTemplate(bg(), id) }

// ExpandTemplate returns a template's text with {name} {first_name} {phone} {email} {manager}
// filled in for the chat's person, ready to insert at the caret.
func (a *App) ExpandTemplate(chatID, templateID int64) (string, error) {
	return a.composer().ExpandTemplate(bg(), chatID, templateID)
}

// SendParts queues a constructor message (text, image, link, video, template, file parts).
func (a *App) SendParts(chatID int64, parts []inbox.Part, replyToID int64) ([]core.Message, error) {
	return a.composer().SendParts(bg(), chatID, parts, replyToID)
}

// SendAttachments queues the composer's text with the files of the attachment tray, as one
// message where the messenger allows (files with the text as caption).
func (a *App) SendAttachments(chatID int64, text string, files []inbox.Staged, replyToID int64) ([]core.Message, error) {
	parts := make([]inbox.Part, 0, len(files)+1)
	parts = append(parts, inbox.Part{Kind: inbox.PartText, Text: text})
	for _, f := range files {
		k := inbox.PartFile
		switch f.Kind {
		case core.AttachPhoto:
			k = inbox.PartImage
		case core.AttachVideo:
			k = inbox.PartVideo
		}
		parts = append(parts, inbox.Part{Kind: k, Path: f.Path, Name: f.Name, MIME: f.MIME})
	}
	return a.composer().SendParts(bg(), chatID, parts, replyToID)
}

// StageUpload stores a pasted or dropped file the UI read (base64 bytes) in the uploads
// directory and returns it staged. The name is sanitised; the path is ours.
func (a *App) StageUpload(name, mime, dataBase64 string) (inbox.Staged, error) {
	data, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return inbox.Staged{}, fmt.Errorf("stage upload: %w: %v", inbox.ErrBadAttachment, err)
	}
	return a.composer().StageUpload(name, mime, data)
}

// DiscardStaged deletes a staged file removed from the tray or constructor before sending.
func (a *App) DiscardStaged(path string) error { return a.composer().DiscardStaged(path) }

// fileDialog is the window's native "open files" dialog. Kept apart from the window interface
// so test windows need not implement it; without it PickFiles says so.
type fileDialog interface {
	OpenFiles(title string) ([]string, error)
}

// OpenFiles shows the native multi-file picker.
func (w wailsWindow) OpenFiles(title string) ([]string, error) {
	return wruntime.OpenMultipleFilesDialog(w.ctx, wruntime.OpenDialogOptions{Title: title})
}

// PickFiles opens the native file picker and stages what the manager chose (nothing chosen is
// an empty list, not an error). It is the only way a file on disk reaches the composer: the
// paths come from the dialog Go opened, never from the page, so a script in the page cannot
// name a local file to send. Dropped and pasted files arrive as bytes (StageUpload).
func (a *App) PickFiles(title string) ([]inbox.Staged, error) {
	d, ok := a.currentWindow().(fileDialog)
	if !ok {
		return nil, fmt.Errorf("pick files: no window")
	}
	paths, err := d.OpenFiles(title)
	if err != nil {
		return nil, fmt.Errorf("pick files: %w", err)
	}
	if len(paths) == 0 {
		return []inbox.Staged{}, nil
	}
	return a.composer().StageFiles(paths)
}
