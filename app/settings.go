package app

import (
	"switchboard/backend/core"
	"switchboard/backend/inbox"
)

// Bindings of the Settings screen: channels, lead-generation links, per-channel notifications
// and company actions; the rules live in inbox (channels.go). Templates are the composer's
// bindings and the desktop preferences are in desktop.go. Tokens pass through here on their way
// to the keyring only: they are never logged and never part of a returned value or error.

// KeyringStatus says whether tokens can be stored: "" when the OS keyring answers, otherwise the
// error code the UI words (no_keyring), and the UI blocks adding channels.
func (a *Settings) KeyringStatus() string {
	if err := a.inbox.SecretsAvailable(); err != nil {
		return uiError(err).Code
	}
	return ""
}

// CheckTelegramToken asks Telegram (or the custom Bot API server) who the token belongs to and
// whether a webhook blocks polling. Nothing is stored.
func (a *Settings) CheckTelegramToken(token, apiURL string) (core.BotInfo, error) {
	return a.inbox.CheckTelegramToken(bg(), token, apiURL)
}

// DeleteTelegramWebhook removes the webhook of a bot that is not connected yet (the add dialog
// found one), so that polling can work.
func (a *Settings) DeleteTelegramWebhook(token, apiURL string) error {
	return a.inbox.DeleteWebhookForToken(bg(), token, apiURL)
}

// CheckVKToken asks VK which community the token belongs to. Nothing is stored.
func (a *Settings) CheckVKToken(token, groupID string) (core.BotInfo, error) {
	return a.inbox.CheckVKToken(bg(), token, groupID)
}

// SettingsChannels lists every channel with its poller's last status, its chat link and its
// notification switch.
func (a *Settings) SettingsChannels() ([]inbox.ChannelView, error) { return a.inbox.ChannelViews(bg()) }

// AddTelegramChannel connects a bot: the token is checked first (a bad one stores nothing), kept
// in the OS keyring, then the channel is stored and polling starts. apiURL is an optional
// self-hosted Bot API server.
func (a *Settings) AddTelegramChannel(token, apiURL string) (core.Channel, error) {
	return a.inbox.AddTelegramChannel(bg(), token, apiURL)
}

// AddVKChannel connects a VK community by its id and a community token.
func (a *Settings) AddVKChannel(token, groupID string) (core.Channel, error) {
	return a.inbox.AddVKChannel(bg(), token, groupID)
}

// RemoveChannel stops polling a channel, deletes its token from the keyring and removes it
// (a channel with chats stays, disabled, so its history reads).
func (a *Settings) RemoveChannel(channelID int64) error {
	return a.inbox.RemoveChannel(bg(), channelID)
}

// DeleteChannelWebhook removes the webhook of a connected bot whose poller reports one, and
// polling resumes.
func (a *Settings) DeleteChannelWebhook(channelID int64) error {
	return a.inbox.DeleteWebhook(bg(), channelID)
}

// ReconnectChannel starts a stopped channel's polling again.
func (a *Settings) ReconnectChannel(channelID int64) error {
	return a.inbox.ReconnectChannel(bg(), channelID)
}

// SetChannelNotify turns desktop notifications for one channel's messages on or off.
func (a *Settings) SetChannelNotify(channelID int64, on bool) error {
	return a.inbox.SetChannelNotify(bg(), channelID, on)
}

// LeadLinks lists a channel's named deep links with their URLs.
func (a *Settings) LeadLinks(channelID int64) ([]inbox.LeadLinkView, error) {
	return a.inbox.LeadLinks(bg(), channelID)
}

// AddLeadLink creates a named deep link; an empty code gets a generated one.
func (a *Settings) AddLeadLink(l core.LeadLink) (inbox.LeadLinkView, error) {
	return a.inbox.AddLeadLink(bg(), l)
}

// DeleteLeadLink removes a lead link.
func (a *Settings) DeleteLeadLink(id int64) error { return a.inbox.DeleteLeadLink(bg(), id) }

// MarkAllRead marks every chat read (Settings → Company → Company actions → Read all messages)
// and returns how many chats had unread messages. It cannot be undone; the UI confirms first.
func (a *Settings) MarkAllRead() (int, error) { return a.inbox.MarkAllRead(bg()) }
