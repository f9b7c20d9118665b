package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/channel/telegram"
	"switchboard/backend/channel/vk"
	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
)

// Bindings of the Settings screen: channels, lead-generation links and per-channel
// notifications. Templates are the composer's bindings; MarkAllRead is in bindings.go and the
// desktop preferences in desktop.go. Tokens pass through here on their way to the keyring only:
// they are never logged and never part of a returned value or error (the connectors redact them).

// checkTimeout bounds a token check: long enough for a slow network, short enough that the
// manager is not left staring at "Checking…" when the server is unreachable.
const checkTimeout = 20 * time.Second

// ChannelView is one row of Settings → Channels.
type ChannelView struct {
	Channel core.Channel `json:"channel"`
	// Status is the poller's last report; nil until the first one (or for a removed channel).
	Status *core.ChannelStatus `json:"status"`
	// Link is the bot's or community's chat link (https://t.me/<bot>, https://vk.me/<group>).
	Link string `json:"link"`
	// Notify: desktop notifications for client messages arriving on this channel.
	Notify bool `json:"notify"`
}

// LeadLinkView is a lead link with the deep link a manager hands out.
type LeadLinkView struct {
	Link core.LeadLink `json:"link"`
	URL  string        `json:"url"`
}

// KeyringStatus says whether tokens can be stored: "" when the OS keyring answers, otherwise
// what is wrong and how to fix it (the UI shows it and blocks adding channels).
func (a *App) KeyringStatus() string {
	if err := (secrets.Keyring{}).Available(); err != nil {
		return err.Error()
	}
	return ""
}

// CheckTelegramToken asks Telegram (or the custom Bot API server) who the token belongs to and
// whether a webhook blocks polling. Nothing is stored.
func (a *App) CheckTelegramToken(token, apiURL string) (core.BotInfo, error) {
	token, apiURL, err := telegramArgs(token, apiURL)
	if err != nil {
		return core.BotInfo{}, err
	}
	ctx, cancel := context.WithTimeout(bg(), checkTimeout)
	defer cancel()
	info, err := telegram.New(telegram.Config{Token: token, APIURL: apiURL}).Check(ctx)
	if err != nil {
		return core.BotInfo{}, fmt.Errorf("check telegram token: %w", err)
	}
	return info, nil
}

// DeleteTelegramWebhook removes the webhook of a bot that is not connected yet (the add dialog
// found one), so that polling can work.
func (a *App) DeleteTelegramWebhook(token, apiURL string) error {
	token, apiURL, err := telegramArgs(token, apiURL)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(bg(), checkTimeout)
	defer cancel()
	if err := telegram.New(telegram.Config{Token: token, APIURL: apiURL}).DeleteWebhook(ctx); err != nil {
		return fmt.Errorf("delete telegram webhook: %w", err)
	}
	slog.Info("telegram webhook deleted before connecting a bot")
	return nil
}

// CheckVKToken asks VK which community the token belongs to. Nothing is stored.
func (a *App) CheckVKToken(token, groupID string) (core.BotInfo, error) {
	token, groupID, err := vkArgs(token, groupID)
	if err != nil {
		return core.BotInfo{}, err
	}
	ctx, cancel := context.WithTimeout(bg(), checkTimeout)
	defer cancel()
	info, err := vk.New(vk.Config{Token: token, GroupID: groupID, APIURL: vkAPIURL}).Check(ctx)
	if err != nil {
		return core.BotInfo{}, fmt.Errorf("check vk token: %w", err)
	}
	if info.ExternalID != groupID {
		return core.BotInfo{}, fmt.Errorf("check vk token: %w: the token belongs to community %s, not %s", inbox.ErrInvalid, info.ExternalID, groupID)
	}
	return info, nil
}

// LeadLinks lists a channel's named deep links with their URLs.
func (a *App) LeadLinks(channelID int64) ([]LeadLinkView, error) {
	ctx := bg()
	ch, err := a.inbox.Store.Channel(ctx, channelID)
	if err != nil {
		return nil, err
	}
	links, err := a.inbox.Store.LeadLinks(ctx, channelID)
	if err != nil {
		return nil, err
	}
	out := make([]LeadLinkView, 0, len(links))
	for _, l := range links {
		out = append(out, LeadLinkView{Link: l, URL: DeepLink(ch, l.Code)})
	}
	return out, nil
}

// AddLeadLink creates a named deep link; an empty code gets a generated one.
func (a *App) AddLeadLink(l core.LeadLink) (LeadLinkView, error) {
	ctx := bg()
	l.Plan, l.Source, l.Tool = strings.TrimSpace(l.Plan), strings.TrimSpace(l.Source), strings.TrimSpace(l.Tool)
	if l.Plan == "" && l.Source == "" && l.Tool == "" {
		return LeadLinkView{}, fmt.Errorf("add lead link: %w: name a sales plan, a traffic source or a tool", inbox.ErrInvalid)
	}
	if l.Code = strings.TrimSpace(l.Code); l.Code != "" && !core.ValidDeepLinkPayload(l.Code) {
		return LeadLinkView{}, fmt.Errorf("add lead link: %w: the code may hold only A-Z a-z 0-9 _ - (1-64)", inbox.ErrInvalid)
	}
	ch, err := a.inbox.Store.Channel(ctx, l.ChannelID)
	if err != nil {
		return LeadLinkView{}, err
	}
	saved, err := a.inbox.Store.AddLeadLink(ctx, l)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return LeadLinkView{}, fmt.Errorf("add lead link: %w: the code %q is taken", errDuplicate, l.Code)
		}
		return LeadLinkView{}, err
	}
	return LeadLinkView{Link: saved, URL: DeepLink(ch, saved.Code)}, nil
}

// DeleteLeadLink removes a lead link.
func (a *App) DeleteLeadLink(id int64) error { return a.inbox.Store.DeleteLeadLink(bg(), id) }

// MarkAllRead marks every chat read (Settings → Company → Company actions → Read all messages)
// and returns how many chats had unread messages. It cannot be undone; the UI confirms first.
func (a *App) MarkAllRead() (int, error) {
	n, err := a.inbox.MarkAllRead(bg())
	if err != nil {
		return 0, fmt.Errorf("read all messages: %w", err)
	}
	slog.Info("all chats marked read", "chats", n)
	return n, nil
}

// SetChannelNotify turns desktop notifications for one channel's messages on or off.
func (a *App) SetChannelNotify(channelID int64, on bool) error {
	v := "1"
	if !on {
		v = "0"
	}
	// The store directly: the inbox's SetSetting takes only the keys the UI may write freely,
	// while this key is built here from a channel id.
	return a.inbox.Store.SetSetting(bg(), notifyKey(channelID), v)
}

// channelNotifies says whether client messages in this chat may raise a desktop notification
// (the per-channel switch; on unless turned off). Errors count as "yes": a lost notification
// is worse than an unwanted one.
func (a *App) channelNotifies(ctx context.Context, chatID int64) bool {
	chat, err := a.inbox.Store.Chat(ctx, chatID)
	if err != nil {
		return true
	}
	v, _, _ := a.inbox.Store.Setting(ctx, notifyKey(chat.ChannelID))
	return v != "0"
}

func notifyKey(channelID int64) string { return "notify_channel_" + strconv.FormatInt(channelID, 10) }

// publishChannelStatus is the supervisor's OnStatus: each change of a poller's state goes to the
// UI at once as "channel:status".
func (a *App) publishChannelStatus(st core.ChannelStatus) {
	a.currentWindow().Emit(EventChannelStatus, st)
}

// channelViews builds the Settings rows from the channels and the last statuses by channel id.
func (a *App) channelViews(ctx context.Context, statuses map[int64]core.ChannelStatus) ([]ChannelView, error) {
	chans, err := a.inbox.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelView, 0, len(chans))
	for _, ch := range chans {
		v := ChannelView{Channel: ch, Link: DeepLink(ch, ""), Notify: true}
		if st, ok := statuses[ch.ID]; ok && ch.Enabled {
			v.Status = &st
		}
		if s, _, _ := a.inbox.Store.Setting(ctx, notifyKey(ch.ID)); s == "0" {
			v.Notify = false
		}
		out = append(out, v)
	}
	return out, nil
}

// DeepLink is a channel's chat link, with a lead code when code is not empty:
// https://t.me/<bot>?start=<code> or https://vk.me/<group>?ref=<code>.
func DeepLink(ch core.Channel, code string) string {
	var base, param string
	switch ch.Kind {
	case core.Telegram:
		if ch.Username == "" {
			return ""
		}
		base, param = "https://t.me/"+ch.Username, "start"
	case core.VK:
		name := ch.Username
		if name == "" {
			name = "club" + strings.TrimPrefix(ch.ExternalID, "-")
		}
		base, param = "https://vk.me/"+name, "ref"
	default:
		return ""
	}
	if code == "" {
		return base
	}
	return base + "?" + param + "=" + url.QueryEscape(code)
}

// vkAPIURL is the VK API root for token checks: empty for api.vk.com; tests point it at
// fakeapi's VK server. (A community token always belongs to the real VK, so the UI has no field.)
var vkAPIURL = ""

// errDuplicate marks a value that must be unique and is taken (UI code "duplicate").
var errDuplicate = errors.New("already exists")

// telegramArgs trims and checks what the add dialog sent: a token, and an optional http(s)
// Bot API server.
func telegramArgs(token, apiURL string) (string, string, error) {
	token, apiURL = strings.TrimSpace(token), strings.TrimRight(strings.TrimSpace(apiURL), "/")
	if token == "" {
		return "", "", fmt.Errorf("telegram token: %w: empty", inbox.ErrInvalid)
	}
	if strings.ContainsAny(token, "/?# \t\r\n") {
		// These would change the Bot API URL the token is placed in.
		return "", "", fmt.Errorf("telegram token: %w: it holds characters a Bot API token never has", channel.ErrUnauthorized)
	}
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", "", fmt.Errorf("bot api server: %w: use an http:// or https:// address", inbox.ErrInvalid)
		}
	}
	return token, apiURL, nil
}

// vkArgs trims and checks a community token and group id (digits; "club123" and "-123" accepted).
func vkArgs(token, groupID string) (string, string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", "", fmt.Errorf("vk token: %w: empty", inbox.ErrInvalid)
	}
	g := strings.TrimSpace(groupID)
	for _, p := range []string{"club", "public", "-"} {
		g = strings.TrimPrefix(g, p)
	}
	if _, err := strconv.ParseUint(g, 10, 63); err != nil || g == "" {
		return "", "", fmt.Errorf("vk group id: %w: digits expected", inbox.ErrInvalid)
	}
	return token, g, nil
}
