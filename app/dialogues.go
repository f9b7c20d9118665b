package app

import "switchboard/backend/core"

// Bindings of dialogues: the chat's dialogue panel (Workspace) and the admin's lists of types,
// reasons and components (Settings). The rules live in inbox (dialogues.go).

// ChatDialogues lists a chat's dialogues, newest first, with their cycles and ratings.
func (a *Workspace) ChatDialogues(chatID int64) ([]core.Dialogue, error) {
	return a.inbox.ChatDialogues(bg(), chatID)
}

// CreateDialogue opens a dialogue in a chat.
func (a *Workspace) CreateDialogue(chatID int64, in core.DialogueInput) (core.Dialogue, error) {
	return a.inbox.CreateDialogue(bg(), chatID, in)
}

// EditDialogue changes a dialogue's type, reasons, components and managers.
func (a *Workspace) EditDialogue(id int64, in core.DialogueInput) (core.Dialogue, error) {
	return a.inbox.EditDialogue(bg(), id, in)
}

// SetDialogueStatus sets a dialogue's status (closing or reopening as needed).
func (a *Workspace) SetDialogueStatus(id int64, status string) (core.Dialogue, error) {
	return a.inbox.SetDialogueStatus(bg(), id, status)
}

// CloseDialogue closes a dialogue; a non-empty ratingText sends the client a 1–5 rating request.
func (a *Workspace) CloseDialogue(id int64, ratingText string) (core.Dialogue, error) {
	return a.inbox.CloseDialogue(bg(), id, ratingText)
}

// ReopenDialogue starts a new cycle of a closed dialogue.
func (a *Workspace) ReopenDialogue(id int64) (core.Dialogue, error) {
	return a.inbox.ReopenDialogue(bg(), id)
}

// RateClient is the manager's 1–5 rating of the client in a dialogue.
func (a *Workspace) RateClient(id int64, score int) (core.Dialogue, error) {
	return a.inbox.RateClient(bg(), id, score)
}

// DialogueOptions lists the dialogue types, reasons and components (Settings → Dialogues).
func (a *Settings) DialogueOptions() ([]core.DialogueOption, error) {
	return a.inbox.DialogueOptions(bg())
}

// SaveDialogueOption adds (id 0) or renames an entry of a dialogue list.
func (a *Settings) SaveDialogueOption(o core.DialogueOption) (core.DialogueOption, error) {
	return a.inbox.SaveDialogueOption(bg(), o)
}

// DeleteDialogueOption removes an entry of a dialogue list.
func (a *Settings) DeleteDialogueOption(id int64) error {
	return a.inbox.DeleteDialogueOption(bg(), id)
}
