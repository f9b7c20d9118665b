package app

import (
	"encoding/base64"
	"fmt"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
)

// Bindings of the rich composer: drafts, chat templates, the message constructor, attachments
// and (in voice.go) voice notes. Thin, like the rest: the rules live in inbox.Composer.

// composer is the engine's composer (it keeps the voice session between calls).
func (a *shell) composer() *inbox.Composer { return a.eng.Composer }

// Draft returns a chat's saved draft (text, constructor JSON, reply) to restore the composer.
func (a *Composer) Draft(chatID int64) (core.Draft, error) { return a.composer().Draft(bg(), chatID) }

// SaveDraft stores what the manager is typing; the UI calls it debounced, on chat switch and
// before the window unloads. Empty text and constructor delete the draft.
func (a *Composer) SaveDraft(chatID int64, text, constructor string, replyToID int64) error {
	return a.composer().SaveDraft(bg(), chatID, text, constructor, replyToID)
}

// Templates lists the chat templates ("chat template" variables of Settings).
func (a *Composer) Templates() ([]core.Template, error) { return a.composer().Templates(bg()) }

// SaveTemplate creates (id 0) or changes a chat template.
func (a *Composer) SaveTemplate(t core.Template) (core.Template, error) {
	return a.composer().SaveTemplate(bg(), t)
}

// DeleteTemplate removes a chat template.
func (a *Composer) DeleteTemplate(id int64) error { return a.composer().DeleteTemplate(bg(), id) }

// ExpandTemplate returns a template's text with {name} {first_name} {phone} {email} {manager}
// filled in for the chat's person, ready to insert at the caret.
func (a *Composer) ExpandTemplate(chatID, templateID int64) (string, error) {
	return a.composer().ExpandTemplate(bg(), chatID, templateID)
}

// SendParts queues a constructor message (text, image, link, video, template, file parts).
func (a *Composer) SendParts(chatID int64, parts []inbox.Part, replyToID int64) ([]core.Message, error) {
	return a.composer().SendParts(bg(), chatID, parts, replyToID)
}

// SendAttachments queues the composer's text with the files of the attachment tray, as one
// message where the messenger allows (files with the text as caption).
func (a *Composer) SendAttachments(chatID int64, text string, files []inbox.Staged, replyToID int64) ([]core.Message, error) {
	return a.composer().SendAttachments(bg(), chatID, text, files, replyToID)
}

// StageUpload stores a pasted or dropped file the UI read (base64 bytes) in the uploads
// directory and returns it staged. The name is sanitised; the path is ours.
func (a *Composer) StageUpload(name, mime, dataBase64 string) (inbox.Staged, error) {
	data, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return inbox.Staged{}, fmt.Errorf("stage upload: %w: %v", inbox.ErrBadAttachment, err)
	}
	return a.composer().StageUpload(name, mime, data)
}

// DiscardStaged deletes a staged file removed from the tray or constructor before sending.
func (a *Composer) DiscardStaged(path string) error { return a.composer().DiscardStaged(path) }

// PickFiles opens the native file picker and stages what the manager chose (nothing chosen is
// an empty list, not an error). It is the only way a file on disk reaches the composer: the
// paths come from the dialog Go opened, never from the page, so a script in the page cannot
// name a local file to send. Dropped and pasted files arrive as bytes (StageUpload).
func (a *Composer) PickFiles(title string) ([]inbox.Staged, error) {
	paths, err := a.currentWindow().OpenFiles(title)
	if err != nil {
		return nil, fmt.Errorf("pick files: %w", err)
	}
	if len(paths) == 0 {
		return []inbox.Staged{}, nil
	}
	return a.composer().StageFiles(paths)
}
