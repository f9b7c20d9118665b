package app

import (
	"context"
	"fmt"
	"log/slog"

	"switchboard/backend/channel/connectors"
	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
)

// Bindings of Settings → Channels that go through the channel engine (inbox.Engine): connect,
// remove, webhook removal for a connected bot, and the list with live statuses.

// addTimeout bounds connecting a channel: the token check, the keyring write and the first
// start of the poller.
const addTimeout = 30 * checkTimeout / 20

// SettingsChannels lists every channel with its poller's last status, its chat link and its
// notification switch.
func (a *App) SettingsChannels() ([]ChannelView, error) {
	ctx := bg()
	return a.channelViews(ctx, a.liveStatuses())
}

// liveStatuses are the last statuses the supervisor reported, by channel id (none when the
// engine is not running).
func (a *App) liveStatuses() map[int64]core.ChannelStatus {
	out := map[int64]core.ChannelStatus{}
	if a.inbox.Engine == nil {
		// Nothing polls: say so rather than leave connected channels "starting" for ever.
		chans, _ := a.inbox.Store.Channels(bg())
		for _, ch := range chans {
			out[ch.ID] = core.ChannelStatus{ChannelID: ch.ID, State: core.StateStopped, LastError: inbox.ErrNoEngine.Error()}
		}
		return out
	}
	for _, st := range a.inbox.Engine.Supervisor.Statuses() {
		out[st.ChannelID] = st
	}
	return out
}

// AddTelegramChannel connects a bot: the token is checked first (a bad one stores nothing), kept
// in the OS keyring, then the channel is stored and polling starts. apiURL is an optional
// self-hosted Bot API server.
func (a *App) AddTelegramChannel(token, apiURL string) (core.Channel, error) {
	token, apiURL, err := telegramArgs(token, apiURL)
	if err != nil {
		return core.Channel{}, err
	}
	ctx, cancel := context.WithTimeout(bg(), addTimeout)
	defer cancel()
	ch, err := a.inbox.AddTelegramChannel(ctx, token, apiURL)
	if err != nil {
		return core.Channel{}, fmt.Errorf("add telegram bot: %w", err)
	}
	slog.Info("telegram bot connected", "channel", ch.ID, "bot", ch.Username)
	return ch, nil
}

// AddVKChannel connects a VK community by its id and a community token.
func (a *App) AddVKChannel(token, groupID string) (core.Channel, error) {
	token, groupID, err := vkArgs(token, groupID)
	if err != nil {
		return core.Channel{}, err
	}
	ctx, cancel := context.WithTimeout(bg(), addTimeout)
	defer cancel()
	ch, err := a.inbox.AddVKChannel(ctx, token, groupID)
	if err != nil {
		return core.Channel{}, fmt.Errorf("add vk community: %w", err)
	}
	slog.Info("vk community connected", "channel", ch.ID, "group", ch.ExternalID)
	return ch, nil
}

// RemoveChannel stops polling a channel, deletes its token from the keyring and removes it
// (a channel with chats stays, disabled, so its history reads).
func (a *App) RemoveChannel(channelID int64) error {
	if err := a.inbox.RemoveChannel(bg(), channelID); err != nil {
		return fmt.Errorf("remove channel %d: %w", channelID, err)
	}
	slog.Info("channel removed", "channel", channelID)
	return nil
}

// DeleteChannelWebhook removes the webhook of a connected bot whose poller reports one, and
// polling resumes.
func (a *App) DeleteChannelWebhook(channelID int64) error {
	ctx, cancel := context.WithTimeout(bg(), checkTimeout)
	defer cancel()
	if err := a.inbox.DeleteWebhook(ctx, channelID); err != nil {
		return fmt.Errorf("delete webhook of channel %d: %w", channelID, err)
	}
	return nil
}

// startEngine runs the channel engine for as long as ctx lives: a poller per connected channel
// and the outbox worker, with every status change going to the UI as "channel:status". The app
// calls it from startBackground; it stops the engine (and waits for it) when ctx ends.
func (a *App) startEngine(ctx context.Context) {
	if a.inbox.Engine == nil {
		a.inbox.Engine = inbox.NewEngine(inbox.EngineConfig{Store: a.inbox.Store, Secrets: secrets.Keyring{},
			Factory: connectors.New, OnStatus: a.publishChannelStatus})
	}
	e := a.inbox.Engine
	if err := e.Start(ctx); err != nil {
		slog.Error("channel engine: start", "err", err)
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		<-ctx.Done()
		e.Stop()
	}()
}

// ReconnectChannel starts a stopped channel's polling again: after the other program that was
// polling the bot has been stopped, or a "stopped" channel should retry now.
func (a *App) ReconnectChannel(channelID int64) error {
	ctx, cancel := context.WithTimeout(bg(), addTimeout)
	defer cancel()
	if err := a.inbox.ReconnectChannel(ctx, channelID); err != nil {
		return fmt.Errorf("reconnect channel %d: %w", channelID, err)
	}
	return nil
}
