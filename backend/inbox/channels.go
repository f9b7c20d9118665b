package inbox

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
	"switchboard/backend/core"
	"switchboard/backend/secrets"
	"switchboard/backend/teamwire"
)

// The channel use cases of Settings → Channels and the hub's `channel` command: check a token,
// connect, remove, reconnect, webhooks, live statuses, lead links and the per-channel
// notification switch. Tokens pass through here on their way to the secrets store only: they are
// never logged and never part of a returned value or error (the connectors redact them).

// Channels is the running channel machinery the use cases drive: the poller supervisor, the
// outbox worker, the token store and the connector factory. backend/engine builds it; without
// it (Service.Channels nil) the inbox still queues sends, and they leave once an engine runs.
type Channels struct {
	Supervisor *channel.Supervisor
	Outbox     *channel.OutboxWorker
	Secrets    secrets.Store
	Factory    channel.Factory
}

// Errors of the channel use cases; each has a code in errors.go.
var (
	ErrNoEngine       = errors.New("channels are not running")
	ErrNoToken        = errors.New("enter the token")
	ErrAPIURL         = errors.New("the Bot API server is not an http(s) address")
	ErrInsecureAPIURL = errors.New("the Bot API server is plain http:// to another machine")
	ErrGroupID        = errors.New("the community id is not a number")
	// ErrOtherCommunity: the VK token belongs to another community than the one named.
	ErrOtherCommunity = errors.New("the token belongs to another community")
	ErrLeadLinkEmpty  = errors.New("a lead link needs a sales plan, a traffic source or a tool")
	ErrLeadLinkCode   = errors.New("a lead link code may hold only A-Z a-z 0-9 _ - (1-64)")
	// ErrDuplicate marks a value that must be unique and is taken.
	ErrDuplicate = errors.New("already exists")
)

// CheckTimeout bounds a token check: long enough for a slow network, short enough that the
// manager is not left staring at "Checking…" when the server is unreachable.
const CheckTimeout = 20 * time.Second

// ConnectTimeout bounds connecting a channel: the token check, the keyring write and the first
// start of the poller.
const ConnectTimeout = 30 * time.Second

// WebhookError says the bot has a webhook, which blocks polling: the UI asks "remove the
// webhook?" and calls DeleteWebhook, then adds the channel again. It matches channel.ErrWebhook.
type WebhookError struct {
	Bot core.BotInfo
}

func (e *WebhookError) Error() string {
	return fmt.Sprintf("bot @%s has a webhook set, which blocks polling; delete the webhook to connect it", e.Bot.Username)
}
func (e *WebhookError) Unwrap() error { return channel.ErrWebhook }

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

// connectorFactory makes connectors for checking a token before it is stored: the running
// channels' factory, or on a replica (which runs none) Checks, so the add dialog still says
// whose bot a token is, and can delete a webhook, before the token goes to the hub.
func (s *Service) connectorFactory() (channel.Factory, error) {
	if s.Channels != nil {
		return s.Channels.Factory, nil
	}
	if s.Checks != nil {
		return s.Checks, nil
	}
	return nil, ErrNoEngine
}

func (s *Service) channels() (*Channels, error) {
	if s.Channels == nil {
		return nil, ErrNoEngine
	}
	return s.Channels, nil
}

// keyringProbe is implemented by token stores that can say in advance they will not work.
type keyringProbe interface{ Available() error }

// SecretsAvailable says whether tokens can be stored: nil when the token store answers,
// otherwise why not (secrets.ErrNoKeyring; the UI blocks adding channels).
func (s *Service) SecretsAvailable() error {
	if s.Remote != nil {
		return nil // a replica's channel tokens go to the hub, which keeps them in its own store
	}
	c, err := s.channels()
	if err != nil {
		return err
	}
	if p, ok := c.Secrets.(keyringProbe); ok {
		return p.Available()
	}
	return nil
}

// TelegramArgs trims and checks what the add dialog sent: a token, and an optional http(s)
// Bot API server.
func TelegramArgs(token, apiURL string) (string, string, error) {
	token, apiURL = strings.TrimSpace(token), strings.TrimRight(strings.TrimSpace(apiURL), "/")
	if token == "" {
		return "", "", ErrNoToken
	}
	if strings.ContainsAny(token, "/?# \t\r\n") {
		// These would change the Bot API URL the token is placed in.
		return "", "", fmt.Errorf("telegram token: %w: it holds characters a bot token never has", channel.ErrUnauthorized)
	}
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", "", fmt.Errorf("bot api server: %w", ErrAPIURL)
		}
		if err := channel.CheckAPIURL(apiURL); err != nil {
			// Plain http:// to another machine would carry the bot's token unencrypted.
			return "", "", fmt.Errorf("bot api server: %w: %v", ErrInsecureAPIURL, err)
		}
	}
	return token, apiURL, nil
}

// VKArgs trims and checks a community token and group id (digits; "club123", "public123" and
// "-123" accepted).
func VKArgs(token, groupID string) (string, string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", "", ErrNoToken
	}
	g := strings.TrimSpace(groupID)
	for _, p := range []string{"club", "public", "-"} {
		g = strings.TrimPrefix(g, p)
	}
	if _, err := strconv.ParseUint(g, 10, 63); err != nil || g == "" {
		return "", "", fmt.Errorf("vk group id: %w", ErrGroupID)
	}
	return token, g, nil
}

// CheckTelegramToken asks Telegram (or the custom Bot API server) who the token belongs to and
// whether a webhook blocks polling. Nothing is stored.
func (s *Service) CheckTelegramToken(ctx context.Context, token, apiURL string) (core.BotInfo, error) {
	token, apiURL, err := TelegramArgs(token, apiURL)
	if err != nil {
		return core.BotInfo{}, err
	}
	return s.checkToken(ctx, core.Channel{Kind: core.Telegram, APIURL: apiURL}, token)
}

// CheckVKToken asks VK which community the token belongs to, and that it is the one named.
// Nothing is stored.
func (s *Service) CheckVKToken(ctx context.Context, token, groupID string) (core.BotInfo, error) {
	token, groupID, err := VKArgs(token, groupID)
	if err != nil {
		return core.BotInfo{}, err
	}
	info, err := s.checkToken(ctx, core.Channel{Kind: core.VK, ExternalID: groupID}, token)
	if err != nil {
		return core.BotInfo{}, err
	}
	if info.ExternalID != groupID {
		return core.BotInfo{}, fmt.Errorf("check vk token: %w: %s, not %s", ErrOtherCommunity, info.ExternalID, groupID)
	}
	return info, nil
}

func (s *Service) checkToken(ctx context.Context, ch core.Channel, token string) (core.BotInfo, error) {
	factory, err := s.connectorFactory()
	if err != nil {
		return core.BotInfo{}, err
	}
	conn, err := factory(ch, token)
	if err != nil {
		return core.BotInfo{}, fmt.Errorf("check %s token: %w", ch.Kind, err)
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	info, err := conn.Check(ctx)
	if err != nil {
		return core.BotInfo{}, fmt.Errorf("check %s token: %w", ch.Kind, err)
	}
	return info, nil
}

// AddTelegramChannel connects a bot: the token is checked first (a bad token stores nothing),
// then kept in the keyring, then the channel row is stored and polling starts. apiURL is a
// self-hosted Bot API server, empty for api.telegram.org.
func (s *Service) AddTelegramChannel(ctx context.Context, token, apiURL string) (core.Channel, error) {
	token, apiURL, err := TelegramArgs(token, apiURL)
	if err != nil {
		return core.Channel{}, err
	}
	if s.Remote != nil {
		return s.remoteChannel(ctx, teamwire.CompanyFields{ChannelKind: string(core.Telegram), Token: token, APIURL: apiURL})
	}
	ch, err := s.addChannel(ctx, core.Channel{Kind: core.Telegram, APIURL: apiURL}, token, true)
	if err != nil {
		return core.Channel{}, fmt.Errorf("add telegram bot: %w", err)
	}
	slog.Info("telegram bot connected", "channel", ch.ID, "bot", ch.Username)
	return ch, nil
}

// AddVKChannel connects a VK community by its id and a community token.
func (s *Service) AddVKChannel(ctx context.Context, token, groupID string) (core.Channel, error) {
	token, groupID, err := VKArgs(token, groupID)
	if err != nil {
		return core.Channel{}, err
	}
	if s.Remote != nil {
		return s.remoteChannel(ctx, teamwire.CompanyFields{ChannelKind: string(core.VK), Token: token, GroupID: groupID})
	}
	ch, err := s.addChannel(ctx, core.Channel{Kind: core.VK, ExternalID: groupID}, token, true)
	if err != nil {
		return core.Channel{}, fmt.Errorf("add vk community: %w", err)
	}
	slog.Info("vk community connected", "channel", ch.ID, "group", ch.ExternalID)
	return ch, nil
}

// RegisterChannel checks the token and stores the channel and its token like the Add use
// cases, without starting a poller here: the hub's CLI registers channels and a running
// `serve` picks them up (two pollers of one bot would conflict). ch needs Kind, and
// ExternalID (the group id) for VK, APIURL optionally for Telegram.
func (s *Service) RegisterChannel(ctx context.Context, ch core.Channel, token string) (core.Channel, error) {
	return s.addChannel(ctx, ch, token, false)
}

func (s *Service) addChannel(ctx context.Context, ch core.Channel, token string, start bool) (core.Channel, error) {
	c, err := s.channels()
	if err != nil {
		return core.Channel{}, err
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return core.Channel{}, ErrNoToken
	}
	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	info, err := s.checkToken(ctx, ch, token)
	if err != nil {
		return core.Channel{}, err
	}
	if info.Webhook {
		return core.Channel{}, &WebhookError{Bot: info}
	}
	if err := s.SecretsAvailable(); err != nil {
		return core.Channel{}, fmt.Errorf("add channel: %w", err)
	}
	ch.ExternalID, ch.Name, ch.Username, ch.AvatarURL = info.ExternalID, info.Name, info.Username, info.AvatarURL
	existing, _ := s.Store.Channels(ctx)
	isNew := true
	for _, e := range existing {
		if e.Kind == ch.Kind && e.ExternalID == ch.ExternalID {
			isNew = false
		}
	}
	saved, err := s.Store.AddChannel(ctx, ch, s.now())
	if err != nil {
		return core.Channel{}, fmt.Errorf("add channel: %w", err)
	}
	if err := c.Secrets.Set(saved.ID, token); err != nil {
		if isNew {
			if rmErr := s.Store.RemoveChannel(ctx, saved.ID); rmErr != nil {
				slog.Warn("channel row left after the token could not be stored", "channel", saved.ID, "err", rmErr)
			}
		}
		return core.Channel{}, fmt.Errorf("store token: %w", err)
	}
	if !start {
		return saved, nil
	}
	if err := c.Supervisor.Restart(ctx, saved.ID); err != nil {
		return saved, fmt.Errorf("start channel %d: %w", saved.ID, err)
	}
	return saved, nil
}

// DeleteWebhook removes the webhook of a connected bot whose poller reports one, and polling
// resumes.
func (s *Service) DeleteWebhook(ctx context.Context, channelID int64) error {
	c, err := s.channels()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	if err := c.Supervisor.DeleteWebhook(ctx, channelID); err != nil {
		return fmt.Errorf("delete webhook of channel %d: %w", channelID, err)
	}
	return nil
}

// DeleteWebhookForToken removes the webhook of a bot that is not stored yet (the "remove
// webhook?" answer while adding a bot); the UI then adds the channel again.
func (s *Service) DeleteWebhookForToken(ctx context.Context, token, apiURL string) error {
	factory, err := s.connectorFactory()
	if err != nil {
		return err
	}
	token, apiURL, err = TelegramArgs(token, apiURL)
	if err != nil {
		return err
	}
	conn, err := factory(core.Channel{Kind: core.Telegram, APIURL: apiURL}, token)
	if err != nil {
		return fmt.Errorf("delete telegram webhook: %w", err)
	}
	wd, ok := conn.(channel.WebhookDeleter)
	if !ok {
		return fmt.Errorf("delete webhook: %w: this messenger has no webhooks", ErrInvalid)
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	if err := wd.DeleteWebhook(ctx); err != nil {
		return fmt.Errorf("delete telegram webhook: %w", err)
	}
	slog.Info("telegram webhook deleted before connecting a bot")
	return nil
}

// RemoveChannel stops polling, forgets the token and removes the channel (a channel with chats
// stays, disabled, so its history reads).
func (s *Service) RemoveChannel(ctx context.Context, channelID int64) error {
	if s.Remote != nil {
		return s.remoteRemoveChannel(ctx, channelID)
	}
	c, err := s.channels()
	if err != nil {
		return err
	}
	c.Supervisor.StopChannel(channelID)
	if err := c.Secrets.Delete(channelID); err != nil {
		return fmt.Errorf("remove channel %d: %w", channelID, err)
	}
	if err := s.Store.RemoveChannel(ctx, channelID); err != nil {
		return fmt.Errorf("remove channel %d: %w", channelID, err)
	}
	slog.Info("channel removed", "channel", channelID)
	return nil
}

// ReconnectChannel starts a stopped channel's polling again: after the other program that was
// polling the bot has been stopped, or a "stopped" channel should retry now.
func (s *Service) ReconnectChannel(ctx context.Context, channelID int64) error {
	c, err := s.channels()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	if err := c.Supervisor.Restart(ctx, channelID); err != nil {
		return fmt.Errorf("reconnect channel %d: %w", channelID, err)
	}
	return nil
}

// ChannelViews lists every channel with its poller's last status, its chat link and its
// notification switch.
func (s *Service) ChannelViews(ctx context.Context) ([]ChannelView, error) {
	statuses := map[int64]core.ChannelStatus{}
	if s.Channels != nil {
		for _, st := range s.Channels.Supervisor.Statuses() {
			statuses[st.ChannelID] = st
		}
	}
	chans, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelView, 0, len(chans))
	for _, ch := range chans {
		v := ChannelView{Channel: ch, Link: DeepLink(ch, ""), Notify: true}
		if st, ok := statuses[ch.ID]; ok && ch.Enabled {
			v.Status = &st
		}
		if s, _, _ := s.Store.Setting(ctx, notifyKey(ch.ID)); s == "0" {
			v.Notify = false
		}
		out = append(out, v)
	}
	return out, nil
}

// SetChannelNotify turns desktop notifications for one channel's messages on or off.
func (s *Service) SetChannelNotify(ctx context.Context, channelID int64, on bool) error {
	v := "1"
	if !on {
		v = "0"
	}
	// The store directly: SetSetting takes only the keys the UI may write freely, while this
	// key is built here from a channel id.
	return s.Store.SetSetting(ctx, notifyKey(channelID), v)
}

// ChannelNotifies says whether client messages in this chat may raise a desktop notification
// (the per-channel switch; on unless turned off). Errors count as "yes": a lost notification
// is worse than an unwanted one.
func (s *Service) ChannelNotifies(ctx context.Context, chatID int64) bool {
	chat, err := s.Store.Chat(ctx, chatID)
	if err != nil {
		return true
	}
	v, _, _ := s.Store.Setting(ctx, notifyKey(chat.ChannelID))
	return v != "0"
}

func notifyKey(channelID int64) string { return "notify_channel_" + strconv.FormatInt(channelID, 10) }

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

// LeadLinks lists a channel's named deep links with their URLs.
func (s *Service) LeadLinks(ctx context.Context, channelID int64) ([]LeadLinkView, error) {
	ch, err := s.Store.Channel(ctx, channelID)
	if err != nil {
		return nil, err
	}
	links, err := s.Store.LeadLinks(ctx, channelID)
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
func (s *Service) AddLeadLink(ctx context.Context, l core.LeadLink) (LeadLinkView, error) {
	l.Plan, l.Source, l.Tool = strings.TrimSpace(l.Plan), strings.TrimSpace(l.Source), strings.TrimSpace(l.Tool)
	if l.Plan == "" && l.Source == "" && l.Tool == "" {
		return LeadLinkView{}, fmt.Errorf("add lead link: %w", ErrLeadLinkEmpty)
	}
	if l.Code = strings.TrimSpace(l.Code); l.Code != "" && !core.ValidDeepLinkPayload(l.Code) {
		return LeadLinkView{}, fmt.Errorf("add lead link: %w", ErrLeadLinkCode)
	}
	ch, err := s.Store.Channel(ctx, l.ChannelID)
	if err != nil {
		return LeadLinkView{}, err
	}
	if s.Remote != nil { // the hub's pollers read the codes: the link lives there (admins only)
		return s.remoteLeadLink(ctx, ch, l)
	}
	saved, err := s.Store.AddLeadLink(ctx, l)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return LeadLinkView{}, fmt.Errorf("add lead link %q: %w", l.Code, ErrDuplicate)
		}
		return LeadLinkView{}, err
	}
	return LeadLinkView{Link: saved, URL: DeepLink(ch, saved.Code)}, nil
}

// DeleteLeadLink removes a lead link.
func (s *Service) DeleteLeadLink(ctx context.Context, id int64) error {
	if s.Remote != nil {
		return s.remoteDeleteLeadLink(ctx, id)
	}
	return s.Store.DeleteLeadLink(ctx, id)
}

// MergePeople joins two records of one client: merge's chats, plans, tags and tasks move to keep.
func (s *Service) MergePeople(ctx context.Context, keep, merge int64) error {
	if err := s.remoteOnly(); err != nil {
		return err
	}
	if keep <= 0 || merge <= 0 || keep == merge {
		return invalid("merge needs two different people")
	}
	return s.Store.MergePeople(ctx, keep, merge, s.now())
}

// FetchAttachment downloads (once) attachment index of a message and returns the local path.
func (s *Service) FetchAttachment(ctx context.Context, messageID int64, index int) (string, error) {
	c, err := s.channels()
	if err != nil {
		return "", err
	}
	return c.Supervisor.Fetch(ctx, messageID, index)
}

// Wake retries polling and sending now (after sleep, or when the UI sees the network return).
func (s *Service) Wake() {
	if s.Channels != nil {
		s.Channels.Supervisor.Wake()
		s.Channels.Outbox.Wake()
	}
}
