package app

import (
	"context"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/replica"
)

// Bindings: each exported method is callable from the UI as window.go.app.Workspace.<Name>. They stay
// thin: validation and rules live in the inbox, so the headless hub shares them.

// bg is the context of a binding call: Wails gives none, and a call runs to its end.
func bg() context.Context { return context.Background() }

// Bootstrap is everything the UI needs to draw its first frame (inbox.Bootstrap).
type Bootstrap = inbox.Bootstrap

// Bootstrap loads the settings, the default tab and its first page, tab counts and filter facets.
func (a *Workspace) Bootstrap() (Bootstrap, error) { return a.inbox.Bootstrap(bg()) }

// ReplicaStatus is how the replica of a team hub stands ("offline — N changes waiting"); null in
// solo mode. Every change also comes as "replica:status".
func (a *Workspace) ReplicaStatus() *replica.Status {
	if st, ok := a.eng.ReplicaStatus(); ok {
		return &st
	}
	return nil
}

// ListPeople returns one page of the people list.
func (a *Workspace) ListPeople(q core.ListQuery) (core.ListPage, error) {
	return a.inbox.ListPeople(bg(), q)
}

// TabCounts counts the three tabs under q's search and filter.
func (a *Workspace) TabCounts(q core.ListQuery) (core.TabCounts, error) {
	return a.inbox.TabCounts(bg(), q)
}

// History returns one page of a chat's history.
func (a *Workspace) History(q core.HistoryQuery) (core.HistoryPage, error) {
	return a.inbox.History(bg(), q)
}

// ClientCard returns the quick client card of a person.
func (a *Workspace) ClientCard(personID int64) (core.ClientCard, error) {
	return a.inbox.ClientCard(bg(), personID)
}

// MarkRead marks the open chat read (the seed: messages are never read automatically).
func (a *Workspace) MarkRead(chatID int64) error { return a.inbox.MarkRead(bg(), chatID) }

// MarkAllRead (Settings → Company actions) is in settings.go.

// SetTunnelOff is the "turn off chat" switch: no tunnel messages to this chat.
func (a *Workspace) SetTunnelOff(chatID int64, off bool) error {
	return a.inbox.SetTunnelOff(bg(), chatID, off)
}

// SetBotOff is the "turn off bot messages" switch: no AI replies in this chat.
func (a *Workspace) SetBotOff(chatID int64, off bool) error {
	return a.inbox.SetBotOff(bg(), chatID, off)
}

// SetArchived moves a person to or from the archive.
func (a *Workspace) SetArchived(personID int64, on bool) error {
	return a.inbox.SetArchived(bg(), personID, on)
}

// SetBlacklisted moves a person to or from the blacklist.
func (a *Workspace) SetBlacklisted(personID int64, on bool) error {
	return a.inbox.SetBlacklisted(bg(), personID, on)
}

// SaveFilter saves the current filter under a name (replacing one of the same name).
func (a *Workspace) SaveFilter(name string, f core.ListFilter) (core.SavedFilter, error) {
	return a.inbox.SaveFilter(bg(), name, f)
}

// DeleteSavedFilter removes a saved filter.
func (a *Workspace) DeleteSavedFilter(id int64) error { return a.inbox.DeleteSavedFilter(bg(), id) }

// SetSetting stores a UI setting (locale, theme, last_chat).
func (a *Workspace) SetSetting(key, value string) error { return a.inbox.SetSetting(bg(), key, value) }

// AddNote adds an internal comment, optionally tagging managers.
func (a *Workspace) AddNote(chatID int64, text string, mentions []int64) (core.Message, error) {
	return a.inbox.AddNote(bg(), chatID, text, mentions)
}

// SendText queues a text message (optionally a reply); it is on disk as 'queued' on return.
func (a *Workspace) SendText(chatID int64, text string, replyToID int64) (core.Message, error) {
	return a.inbox.SendText(bg(), chatID, text, replyToID)
}

// EditMessage changes a sent message's text, locally at once and then in the messenger.
func (a *Workspace) EditMessage(messageID int64, text string) (core.Message, error) {
	return a.inbox.EditMessage(bg(), messageID, text)
}

// DeleteMessage deletes a sent message for the client too, within the messenger's window.
func (a *Workspace) DeleteMessage(messageID int64) (core.Message, error) {
	return a.inbox.DeleteMessage(bg(), messageID)
}

// RetryMessage queues a failed send again.
func (a *Workspace) RetryMessage(messageID int64) (core.Message, error) {
	return a.inbox.RetryMessage(bg(), messageID)
}

// OpenChatRef resolves a chat id to its person, so the UI can open any chat, not only those on
// the list's current page.
func (a *Workspace) OpenChatRef(chatID int64) (inbox.ChatRef, error) {
	return a.inbox.OpenChatRef(bg(), chatID)
}

// MergePeople makes merge's chats, plans, tags and tasks keep's: the same client who wrote to
// two bots becomes one person with two chats.
func (a *Workspace) MergePeople(keepID, mergeID int64) error {
	return a.inbox.MergePeople(bg(), keepID, mergeID)
}

// Tasks lists a person's tasks, open ones first.
func (a *Workspace) Tasks(personID int64) ([]core.Task, error) { return a.inbox.Tasks(bg(), personID) }

// AddTask creates a task on a person (assignee 0 = me).
func (a *Workspace) AddTask(t core.Task) (core.Task, error) { return a.inbox.AddTask(bg(), t) }

// UpdateTask changes a task's title, due time and assignee.
func (a *Workspace) UpdateTask(t core.Task) (core.Task, error) { return a.inbox.UpdateTask(bg(), t) }

// SetTaskDone completes a task or opens it again.
func (a *Workspace) SetTaskDone(id int64, done bool) (core.Task, error) {
	return a.inbox.SetTaskDone(bg(), id, done)
}

// DeleteTask removes a task.
func (a *Workspace) DeleteTask(id int64) error { return a.inbox.DeleteTask(bg(), id) }

// ClaimChat makes me the chat's owner if its owner is still expected (0 = unassigned).
func (a *Workspace) ClaimChat(chatID, expected int64) error {
	return a.inbox.ClaimChat(bg(), chatID, expected)
}

// ReleaseChat leaves the chat unassigned if its owner is still expected.
func (a *Workspace) ReleaseChat(chatID, expected int64) error {
	return a.inbox.ReleaseChat(bg(), chatID, expected)
}
