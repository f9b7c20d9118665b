package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/core"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// Engine is the running channel machinery: the poller supervisor, the outbox worker, the
// token store and the connector factory. The app and the hub build one with NewEngine and set
// Service.Engine; without it the inbox still queues sends (they leave once an engine runs).
type Engine struct {
	Supervisor *channel.Supervisor
	Outbox     *channel.OutboxWorker
	Secrets    secrets.Store
	Factory    channel.Factory
}

// EngineConfig wires NewEngine.
type EngineConfig struct {
	Store   *store.Store
	Secrets secrets.Store
	Factory channel.Factory
	// CacheDir holds lazily downloaded media (default <data dir>/media).
	CacheDir string
	// OnStatus gets every channel status change (the app forwards it to the UI).
	OnStatus func(core.ChannelStatus)
	// OnBatch gets every committed batch with changes (the app notifies new messages).
	OnBatch func(channelID int64, res core.ApplyResult)
	// OnTyping gets "client is typing" (VK); never stored.
	OnTyping func(channelID int64, externalChatID string)
	Logger   *slog.Logger
	// MinBackoff/MaxBackoff override the retry delays (tests).
	MinBackoff, MaxBackoff time.Duration
}

// NewEngine builds the supervisor and the outbox worker over one store. A channel that gets
// connected wakes the outbox, so sends queued while it was down leave at once.
func NewEngine(cfg EngineConfig) *Engine {
	if cfg.CacheDir == "" {
		cfg.CacheDir = filepath.Join(filepath.Dir(cfg.Store.Path()), "media")
	}
	e := &Engine{Secrets: cfg.Secrets, Factory: cfg.Factory}
	e.Supervisor = channel.NewSupervisor(channel.SupervisorConfig{
		Store: cfg.Store, Media: cfg.Store, Tokens: cfg.Secrets, Factory: cfg.Factory,
		CacheDir: cfg.CacheDir, Logger: cfg.Logger, OnBatch: cfg.OnBatch, OnTyping: cfg.OnTyping,
		MinBackoff: cfg.MinBackoff, MaxBackoff: cfg.MaxBackoff,
		// Runs only after Start, when e.Outbox is set.
		OnStatus: func(st core.ChannelStatus) {
			if st.State == core.StateConnected {
				e.Outbox.Wake()
			}
			if cfg.OnStatus != nil {
				cfg.OnStatus(st)
			}
		},
	})
	e.Outbox = channel.NewOutboxWorker(channel.OutboxConfig{Store: cfg.Store, Conns: e.Supervisor, Logger: cfg.Logger,
		MinBackoff: cfg.MinBackoff, MaxBackoff: cfg.MaxBackoff})
	return e
}

// Start starts polling every enabled channel and the outbox worker.
func (e *Engine) Start(ctx context.Context) error {
	if err := e.Supervisor.Start(ctx); err != nil {
		return err
	}
	e.Outbox.Start()
	return nil
}

// Stop stops the pollers and the worker and waits for their goroutines.
func (e *Engine) Stop() {
	e.Outbox.Stop()
	e.Supervisor.Stop()
}

// Wake retries everything now: after the machine woke from sleep or the network returned.
func (e *Engine) Wake() {
	e.Supervisor.Wake()
	e.Outbox.Wake()
}

// Errors of the channel use cases; app/errors.go gives them UI codes.
var (
	ErrNoEngine = errors.New("channels are not running")
	ErrNoToken  = errors.New("enter the token")
)

// WebhookError says the bot has a webhook, which blocks polling: the UI asks "remove the
// webhook?" and calls DeleteWebhook, then adds the channel again. It matches channel.ErrWebhook.
type WebhookError struct {
	Bot core.BotInfo
}

func (e *WebhookError) Error() string {
	return fmt.Sprintf("bot @%s has a webhook set, which blocks polling; delete the webhook to connect it", e.Bot.Username)
}
func (e *WebhookError) Unwrap() error { return channel.ErrWebhook }

// ChannelView is a channel with its live status, for Settings → Channels.
type ChannelView struct {
	Channel core.Channel       `json:"channel"`
	Status  core.ChannelStatus `json:"status"`
}

// LeadLinkView is a lead link with the deep link to share.
type LeadLinkView struct {
	core.LeadLink
	URL string `json:"url"`
}

func (s *Service) engine() (*Engine, error) {
	if s.Engine == nil {
		return nil, ErrNoEngine
	}
	return s.Engine, nil
}

// AddTelegramChannel connects a bot: the token is checked first (a bad token stores nothing),
// then kept in the keyring, then the channel row is stored and polling starts. apiURL is a
// self-hosted Bot API server, empty for api.telegram.org.
func (s *Service) AddTelegramChannel(ctx context.Context, token, apiURL string) (core.Channel, error) {
	apiURL = strings.TrimSpace(apiURL)
	if apiURL != "" {
		if err := channel.CheckAPIURL(apiURL); err != nil {
			return core.Channel{}, invalid("%v", err)
		}
	}
	return s.addChannel(ctx, core.Channel{Kind: core.Telegram, APIURL: apiURL}, token, true)
}

// AddVKChannel connects a VK community by its id and a community token.
func (s *Service) AddVKChannel(ctx context.Context, token, groupID string) (core.Channel, error) {
	groupID = strings.TrimPrefix(strings.TrimSpace(groupID), "-")
	if groupID == "" || strings.Trim(groupID, "0123456789") != "" {
		return core.Channel{}, invalid("community id %q must be a number", groupID)
	}
	return s.addChannel(ctx, core.Channel{Kind: core.VK, ExternalID: groupID}, token, true)
}

// RegisterChannel checks the token and stores the channel and its token like the Add use
// cases, without starting a poller here: the hub's CLI registers channels and a running
// `serve` picks them up (two pollers of one bot would conflict). ch needs Kind, and
// ExternalID (the group id) for VK, APIURL optionally for Telegram.
func (s *Service) RegisterChannel(ctx context.Context, ch core.Channel, token string) (core.Channel, error) {
	return s.addChannel(ctx, ch, token, false)
}

// keyringProbe is implemented by token stores that can say in advance they will not work.
type keyringProbe interface{ Available() error }

func (s *Service) addChannel(ctx context.Context, ch core.Channel, token string, start bool) (core.Channel, error) {
	e, err := s.engine()
	if err != nil {
		return core.Channel{}, err
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return core.Channel{}, ErrNoToken
	}
	conn, err := e.Factory(ch, token)
	if err != nil {
		return core.Channel{}, fmt.Errorf("inbox: add %s channel: %w", ch.Kind, err)
	}
	info, err := conn.Check(ctx)
	if err != nil {
		return core.Channel{}, fmt.Errorf("inbox: check %s token: %w", ch.Kind, err)
	}
	if info.Webhook {
		return core.Channel{}, &WebhookError{Bot: info}
	}
	if p, ok := e.Secrets.(keyringProbe); ok {
		if err := p.Available(); err != nil {
			return core.Channel{}, fmt.Errorf("inbox: add channel: %w", err)
		}
	}
	ch.ExternalID, ch.Name, ch.Username, ch.AvatarURL = info.ExternalID, info.Name, info.Username, info.AvatarURL
	existing, _ := s.Store.Channels(ctx)
	isNew := true
	for _, c := range existing {
		if c.Kind == ch.Kind && c.ExternalID == ch.ExternalID {
			isNew = false
		}
	}
	saved, err := s.Store.AddChannel(ctx, ch, s.now())
	if err != nil {
		return core.Channel{}, fmt.Errorf("inbox: add channel: %w", err)
	}
	if err := e.Secrets.Set(saved.ID, token); err != nil {
		if isNew {
			if rmErr := s.Store.RemoveChannel(ctx, saved.ID); rmErr != nil {
				slog.Warn("channel row left after the token could not be stored", "channel", saved.ID, "err", rmErr)
			}
		}
		return core.Channel{}, fmt.Errorf("inbox: store token: %w", err)
	}
	if !start {
		return saved, nil
	}
	if err := e.Supervisor.Restart(ctx, saved.ID); err != nil {
		return saved, fmt.Errorf("inbox: start channel %d: %w", saved.ID, err)
	}
	return saved, nil
}

// DeleteWebhook removes the webhook of a stored channel and restarts its polling.
func (s *Service) DeleteWebhook(ctx context.Context, channelID int64) error {
	e, err := s.engine()
	if err != nil {
		return err
	}
	return e.Supervisor.DeleteWebhook(ctx, channelID)
}

// DeleteWebhookForToken removes the webhook of a bot that is not stored yet (the "remove
// webhook?" answer during AddTelegramChannel); the UI then adds the channel again.
func (s *Service) DeleteWebhookForToken(ctx context.Context, token, apiURL string) error {
	e, err := s.engine()
	if err != nil {
		return err
	}
	conn, err := e.Factory(core.Channel{Kind: core.Telegram, APIURL: strings.TrimSpace(apiURL)}, strings.TrimSpace(token))
	if err != nil {
		return fmt.Errorf("inbox: delete webhook: %w", err)
	}
	wd, ok := conn.(channel.WebhookDeleter)
	if !ok {
		return errors.New("inbox: delete webhook: this messenger has no webhooks")
	}
	if err := wd.DeleteWebhook(ctx); err != nil {
		return fmt.Errorf("inbox: delete webhook: %w", err)
	}
	return nil
}

// RemoveChannel stops polling, forgets the token and removes the channel (its chats stay
// readable if it had any).
func (s *Service) RemoveChannel(ctx context.Context, channelID int64) error {
	e, err := s.engine()
	if err != nil {
		return err
	}
	if e.Supervisor != nil {
		e.Supervisor.StopChannel(channelID)
	}
	if err := e.Secrets.Delete(channelID); err != nil {
		return fmt.Errorf("inbox: remove channel %d: %w", channelID, err)
	}
	if err := s.Store.RemoveChannel(ctx, channelID); err != nil {
		return fmt.Errorf("inbox: remove channel %d: %w", channelID, err)
	}
	return nil
}

// ReconnectChannel restarts a channel's polling (after a conflict was resolved elsewhere).
func (s *Service) ReconnectChannel(ctx context.Context, channelID int64) error {
	e, err := s.engine()
	if err != nil {
		return err
	}
	return e.Supervisor.Restart(ctx, channelID)
}

// ChannelStatuses lists the channels with their live status.
func (s *Service) ChannelStatuses(ctx context.Context) ([]ChannelView, error) {
	chans, err := s.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ChannelView, 0, len(chans))
	for _, ch := range chans {
		v := ChannelView{Channel: ch, Status: core.ChannelStatus{ChannelID: ch.ID, State: core.StateStopped}}
		if s.Engine != nil {
			if st, ok := s.Engine.Supervisor.Status(ch.ID); ok {
				v.Status = st
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// DeepLink is the link a lead link shares: t.me/<bot>?start=<code> or vk.me/<screen>?ref=<code>.
func DeepLink(ch core.Channel, code string) string {
	if ch.Kind == core.VK {
		name := ch.Username
		if name == "" {
			name = "club" + ch.ExternalID
		}
		return "https://vk.me/" + name + "?ref=" + url.QueryEscape(code)
	}
	return "https://t.me/" + ch.Username + "?start=" + url.QueryEscape(code)
}

// LeadLinks lists a channel's lead links with their deep links.
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
		out = append(out, LeadLinkView{LeadLink: l, URL: DeepLink(ch, l.Code)})
	}
	return out, nil
}

// AddLeadLink stores a lead link (an empty code is generated) and returns its deep link.
func (s *Service) AddLeadLink(ctx context.Context, l core.LeadLink) (LeadLinkView, error) {
	ch, err := s.Store.Channel(ctx, l.ChannelID)
	if err != nil {
		return LeadLinkView{}, err
	}
	l.Plan, l.Source, l.Tool = strings.TrimSpace(l.Plan), strings.TrimSpace(l.Source), strings.TrimSpace(l.Tool)
	if l.Code != "" && !core.ValidDeepLinkPayload(l.Code) {
		return LeadLinkView{}, invalid("link code %q: use up to 64 of A-Z a-z 0-9 _ -", l.Code)
	}
	saved, err := s.Store.AddLeadLink(ctx, l)
	if err != nil {
		return LeadLinkView{}, err
	}
	return LeadLinkView{LeadLink: saved, URL: DeepLink(ch, saved.Code)}, nil
}

// DeleteLeadLink removes a lead link.
func (s *Service) DeleteLeadLink(ctx context.Context, id int64) error {
	return s.Store.DeleteLeadLink(ctx, id)
}

// MergePeople joins two records of one client: merge's chats, plans, tags and tasks move to keep.
func (s *Service) MergePeople(ctx context.Context, keep, merge int64) error {
	if keep <= 0 || merge <= 0 || keep == merge {
		return invalid("merge needs two different people")
	}
	return s.Store.MergePeople(ctx, keep, merge, s.now())
}

// FetchAttachment downloads (once) attachment index of a message and returns the local path.
func (s *Service) FetchAttachment(ctx context.Context, messageID int64, index int) (string, error) {
	e, err := s.engine()
	if err != nil {
		return "", err
	}
	return e.Supervisor.Fetch(ctx, messageID, index)
}
