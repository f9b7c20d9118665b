package channel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"switchboard/backend/core"
)

// ChannelStore is what the supervisor needs from the store: the channels with their
// acknowledged cursors, and the one-transaction batch apply that also stores the new cursor.
type ChannelStore interface {
	Channels(ctx context.Context) ([]core.Channel, error)
	Channel(ctx context.Context, id int64) (core.Channel, error)
	ApplyBatch(ctx context.Context, channelID int64, b core.Batch, now time.Time) (core.ApplyResult, error)
}

// PollLocker is implemented by a store several hub instances share (the store on PostgreSQL):
// a bot allows one poller, so a channel is polled only by the instance holding its lock, and
// the others take it over when that instance stops or dies (at their next Sync). Without it
// every channel is polled here.
type PollLocker interface {
	PollLock(ctx context.Context, channelID int64, onLost func()) (release func(), held bool, err error)
}

// MediaStore finds attachments and records where their bytes were cached (lazy downloads).
type MediaStore interface {
	AttachmentRef(ctx context.Context, messageID int64, index int) (core.AttachmentRef, error)
	SetAttachmentPath(ctx context.Context, messageID int64, index int, path string) error
}

// TokenSource hands out a channel's token (the OS keyring, or the hub's env/0600 file).
type TokenSource interface {
	Get(channelID int64) (string, error)
}

// Factory builds the connector of a channel from its row and token.
type Factory func(ch core.Channel, token string) (Connector, error)

// WebhookDeleter is implemented by connectors whose messenger can block polling with a webhook
// (Telegram); the UI offers to delete it when a channel reports a webhook conflict.
type WebhookDeleter interface {
	DeleteWebhook(ctx context.Context) error
}

// ErrNotRunning is returned for a channel the supervisor has no connector for.
var ErrNotRunning = errors.New("channel is not connected")

// SupervisorConfig wires a Supervisor.
type SupervisorConfig struct {
	Store   ChannelStore
	Media   MediaStore // optional: needed by Fetch
	Tokens  TokenSource
	Factory Factory
	// OnStatus is called (from poll goroutines, never under a lock) whenever a channel's
	// status changes. It must not block for long.
	OnStatus func(core.ChannelStatus)
	// OnBatch is called after a batch with changes was committed.
	OnBatch func(channelID int64, res core.ApplyResult)
	// OnTyping is called for "client is typing" updates (VK), which are live state and never
	// stored; the app shows them for a few seconds.
	OnTyping func(channelID int64, externalChatID string)
	CacheDir string // where Fetch puts downloaded media
	Logger   *slog.Logger
	Now      func() time.Time
	// MinBackoff and MaxBackoff bound the retry delay after network/5xx errors (1 s and 60 s
	// unless set; tests shorten them).
	MinBackoff, MaxBackoff time.Duration
}

// Supervisor runs one poll loop per enabled channel that has a token and reports each loop's
// status. Its goroutines end on StopChannel, or all of them on Stop, which waits for them.
type Supervisor struct {
	cfg    SupervisorConfig
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	loops   map[int64]*pollLoop
	conns   map[int64]Connector
	status  map[int64]core.ChannelStatus
	stopped bool
	wg      sync.WaitGroup

	fetchMu  sync.Mutex
	fetching map[string]*fetchCall
}

type pollLoop struct {
	ch     core.Channel
	conn   Connector
	cancel context.CancelFunc
	done   chan struct{}
	wake   chan struct{}
}

type fetchCall struct {
	done chan struct{}
	path string
	err  error
}

// NewSupervisor returns a supervisor; nothing runs until Start or StartChannel.
func NewSupervisor(cfg SupervisorConfig) *Supervisor {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 60 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Supervisor{cfg: cfg, ctx: ctx, cancel: cancel, loops: map[int64]*pollLoop{},
		conns: map[int64]Connector{}, status: map[int64]core.ChannelStatus{}, fetching: map[string]*fetchCall{}}
}

// Start starts a poll loop for every enabled channel. A channel that cannot start (no token,
// bad row) is reported as stopped with the reason; the others still start.
func (s *Supervisor) Start(ctx context.Context) error {
	chans, err := s.cfg.Store.Channels(ctx)
	if err != nil {
		return fmt.Errorf("supervisor: list channels: %w", err)
	}
	for _, ch := range chans {
		if !ch.Enabled {
			continue
		}
		if err := s.StartChannel(ctx, ch.ID); err != nil {
			s.cfg.Logger.Warn("channel not started", "channel", ch.ID, "err", err)
		}
	}
	return nil
}

// StartChannel starts (or, if running, leaves running) the poll loop of one channel.
func (s *Supervisor) StartChannel(ctx context.Context, id int64) error {
	ch, err := s.cfg.Store.Channel(ctx, id)
	if err != nil {
		return fmt.Errorf("supervisor: channel %d: %w", id, err)
	}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return errors.New("supervisor: stopped")
	}
	if _, running := s.loops[id]; running {
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()

	release := func() {}
	if pl, ok := s.cfg.Store.(PollLocker); ok {
		r, held, err := pl.PollLock(ctx, id, func() { s.yield(id) })
		if err != nil {
			return fmt.Errorf("supervisor: lock channel %d: %w", id, err)
		}
		if !held {
			s.cfg.Logger.Debug("channel polled by another hub instance", "channel", id)
			return nil // no status: Sync asks again
		}
		release = r
	}
	token, err := s.cfg.Tokens.Get(id)
	if err != nil {
		release()
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateStopped, LastError: core.FailNoToken})
		return fmt.Errorf("supervisor: token of channel %d: %w", id, err)
	}
	conn, err := s.cfg.Factory(ch, token)
	if err != nil {
		release()
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateStopped, LastError: core.FailRejected})
		return fmt.Errorf("supervisor: connector of channel %d: %w", id, err)
	}
	lctx, cancel := context.WithCancel(s.ctx)
	l := &pollLoop{ch: ch, conn: conn, cancel: cancel, done: make(chan struct{}), wake: make(chan struct{}, 1)}
	s.mu.Lock()
	if s.stopped || s.loops[id] != nil {
		s.mu.Unlock()
		cancel()
		release()
		return nil
	}
	s.loops[id] = l
	s.conns[id] = conn
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer release()
		s.run(lctx, l)
	}()
	return nil
}

// yield stops a channel whose poll lock was lost (another instance may poll it now) and
// forgets its status, so Sync tries to take it again.
func (s *Supervisor) yield(id int64) {
	s.StopChannel(id)
	s.mu.Lock()
	delete(s.status, id)
	s.mu.Unlock()
}

// StopChannel stops one channel's loop and waits for it to end.
func (s *Supervisor) StopChannel(id int64) {
	s.mu.Lock()
	l := s.loops[id]
	delete(s.loops, id)
	delete(s.conns, id)
	s.mu.Unlock()
	if l == nil {
		return
	}
	l.cancel()
	<-l.done
}

// Sync makes the running loops match the store: enabled channels that do not run are started
// (channels added by another process, e.g. the hub's CLI), removed or disabled ones stopped.
// A channel that stopped by itself (revoked, conflict) is left for the user to reconnect.
func (s *Supervisor) Sync(ctx context.Context) error {
	chans, err := s.cfg.Store.Channels(ctx)
	if err != nil {
		return fmt.Errorf("supervisor: list channels: %w", err)
	}
	want := map[int64]bool{}
	for _, ch := range chans {
		if ch.Enabled {
			want[ch.ID] = true
		}
	}
	s.mu.Lock()
	var stop []int64
	for id := range s.loops {
		if !want[id] {
			stop = append(stop, id)
		}
	}
	var start []int64
	for id := range want {
		if _, running := s.loops[id]; !running {
			if _, seen := s.status[id]; !seen {
				start = append(start, id)
			}
		}
	}
	s.mu.Unlock()
	for _, id := range stop {
		s.StopChannel(id)
	}
	for _, id := range start {
		if err := s.StartChannel(ctx, id); err != nil {
			s.cfg.Logger.Warn("channel not started", "channel", id, "err", err)
		}
	}
	return nil
}

// Restart stops and starts one channel: after a new token, or to retry after a conflict.
func (s *Supervisor) Restart(ctx context.Context, id int64) error {
	s.StopChannel(id)
	return s.StartChannel(ctx, id)
}

// Stop stops every loop and waits for all of them; the supervisor cannot start again.
func (s *Supervisor) Stop() {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

// Wake makes every loop that waits out a network back-off retry now (after sleep, or when the
// network returns). Rate-limit waits are kept: the messenger asked for them.
func (s *Supervisor) Wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.loops {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

// Connector returns the connector of a started channel (for the outbox worker). It stays
// available after the loop ended on a conflict, since sending still works then.
func (s *Supervisor) Connector(channelID int64) (Connector, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.conns[channelID]
	return c, ok
}

// Status returns the last status of one channel.
func (s *Supervisor) Status(channelID int64) (core.ChannelStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.status[channelID]
	return st, ok
}

// Statuses returns the last status of every channel the supervisor has seen, by channel id.
func (s *Supervisor) Statuses() []core.ChannelStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]core.ChannelStatus, 0, len(s.status))
	for _, st := range s.status {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ChannelID < out[j].ChannelID })
	return out
}

// publish records st and reports it if it differs from the last status of the channel.
func (s *Supervisor) publish(st core.ChannelStatus) {
	st.At = s.cfg.Now().UnixMilli()
	s.mu.Lock()
	prev, ok := s.status[st.ChannelID]
	same := ok && prev.State == st.State && prev.RetryIn == st.RetryIn && prev.LastError == st.LastError && prev.Webhook == st.Webhook
	if !same {
		s.status[st.ChannelID] = st
	}
	s.mu.Unlock()
	if !same && s.cfg.OnStatus != nil {
		s.cfg.OnStatus(st)
	}
}

// backoff is the delay before retry number attempt (1, 2, …): exponential, capped, with
// jitter in [d/2, d] so many clients coming back online do not retry in lockstep.
func backoff(attempt int, min, max time.Duration) time.Duration {
	d := min
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

func retrySeconds(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}

// run is one channel's poll loop: poll from the stored cursor, commit the batch with its new
// cursor, and only then poll again with that cursor (which acknowledges upstream). Before the
// first poll, and after any error, it checks the token with a short call, so "connected" is
// reported at once rather than after a long poll returns.
func (s *Supervisor) run(ctx context.Context, l *pollLoop) {
	defer close(l.done)
	id := l.ch.ID
	log := s.cfg.Logger.With("channel", id, "kind", l.ch.Kind)
	cursor := l.ch.Cursor
	attempt := 0
	live := false
	s.publish(core.ChannelStatus{ChannelID: id, State: core.StatePolling})
	for ctx.Err() == nil {
		if !live {
			info, err := l.conn.Check(ctx)
			if err == nil && info.Webhook {
				err = &APIError{Class: ErrWebhook, Code: 409, Description: "a webhook is set for this bot"}
			}
			if err != nil {
				if ctx.Err() != nil || s.pollFailed(ctx, l, log, err, &attempt) {
					break
				}
				continue
			}
			live = true
			s.publish(core.ChannelStatus{ChannelID: id, State: core.StateConnected})
		}
		b, err := l.conn.Poll(ctx, cursor)
		if err != nil {
			live = false
			if ctx.Err() != nil || s.pollFailed(ctx, l, log, err, &attempt) {
				break
			}
			continue
		}
		if s.cfg.OnTyping != nil {
			for _, u := range b.Updates {
				if u.Kind == core.UpdTyping {
					s.cfg.OnTyping(id, u.ExternalChatID)
				}
			}
		}
		if len(b.Updates) > 0 || (b.Cursor != "" && b.Cursor != cursor) {
			b.ChannelID = id
			res, aerr := s.apply(ctx, id, b)
			if aerr != nil {
				if ctx.Err() != nil {
					break
				}
				// Not stored, so not acknowledged: the same updates come again next poll.
				attempt++
				live = false
				d := backoff(attempt, s.cfg.MinBackoff, s.cfg.MaxBackoff)
				log.Error("batch not stored", "err", aerr, "retry_in", d)
				s.publish(core.ChannelStatus{ChannelID: id, State: core.StateOffline, RetryIn: retrySeconds(d),
					LastError: core.FailStoreFailed})
				s.sleep(ctx, l, d, true)
				continue
			}
			if b.Cursor != "" {
				cursor = b.Cursor
			}
			answerTaps(ctx, l.conn, b.Updates)
			if s.cfg.OnBatch != nil && len(b.Updates) > 0 {
				s.cfg.OnBatch(id, res)
			}
		}
		attempt = 0
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateConnected})
	}
	if st, _ := s.Status(id); ctx.Err() != nil || st.State == core.StateConnected || st.State == core.StatePolling {
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateStopped})
	}
}

// answerTaps answers the stored batch's button taps, if the connector needs that.
func answerTaps(ctx context.Context, conn Connector, updates []core.Update) {
	a, ok := conn.(TapAnswerer)
	if !ok {
		return
	}
	var ids []string
	for _, u := range updates {
		if u.TapID != "" {
			ids = append(ids, u.TapID)
		}
	}
	if len(ids) > 0 {
		a.AnswerTaps(ctx, ids)
	}
}

// MaxBatch is the most updates stored in one transaction. A longer poll answer (VK's long poll
// has no limit) is stored in several; only the last carries the cursor, so a crash between them
// re-applies the earlier ones, which changes nothing.
const MaxBatch = 100

func (s *Supervisor) apply(ctx context.Context, id int64, b core.Batch) (core.ApplyResult, error) {
	var total core.ApplyResult
	for len(b.Updates) > MaxBatch {
		part := core.Batch{ChannelID: id, Updates: b.Updates[:MaxBatch]}
		res, err := s.cfg.Store.ApplyBatch(ctx, id, part, s.cfg.Now())
		if err != nil {
			return total, err
		}
		total = total.Plus(res)
		b.Updates = b.Updates[MaxBatch:]
	}
	res, err := s.cfg.Store.ApplyBatch(ctx, id, b, s.cfg.Now())
	if err != nil {
		return total, err
	}
	return total.Plus(res), nil
}

// pollFailed reports err and waits as its class demands. It returns true when the loop must
// end (token rejected, conflict, webhook): retrying those cannot succeed without the user.
func (s *Supervisor) pollFailed(ctx context.Context, l *pollLoop, log *slog.Logger, err error, attempt *int) bool {
	id := l.ch.ID
	var apiErr *APIError
	errors.As(err, &apiErr)
	switch {
	case errors.Is(err, ErrUnauthorized):
		log.Warn("token rejected; polling stopped", "err", err)
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateRevoked, LastError: core.FailTokenRejected})
		return true
	case errors.Is(err, ErrWebhook):
		log.Warn("webhook blocks polling; polling stopped", "err", err)
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateConflict, Webhook: true, LastError: core.FailWebhook})
		return true
	case errors.Is(err, ErrConflict):
		log.Warn("another poller is active; polling stopped", "err", err)
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateConflict, LastError: core.FailConflict})
		return true
	case errors.Is(err, ErrRateLimited):
		d := RetryDelay(apiErr, 5*time.Second)
		log.Info("rate limited", "retry_in", d)
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateRateLimited, RetryIn: retrySeconds(d),
			LastError: core.FailRateLimited})
		s.sleep(ctx, l, d, false)
	default:
		*attempt++
		d := backoff(*attempt, s.cfg.MinBackoff, s.cfg.MaxBackoff)
		log.Info("poll failed; backing off", "err", err, "retry_in", d)
		s.publish(core.ChannelStatus{ChannelID: id, State: core.StateOffline, RetryIn: retrySeconds(d),
			LastError: FailureReason(err)})
		s.sleep(ctx, l, d, true)
	}
	return false
}

// sleep waits d, or until the loop stops, or (if wakeable) until Wake.
func (s *Supervisor) sleep(ctx context.Context, l *pollLoop, d time.Duration, wakeable bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	var wake <-chan struct{}
	if wakeable {
		wake = l.wake
	}
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-wake:
	}
}

// DeleteWebhook removes a channel's webhook (with its running connector) and restarts polling.
func (s *Supervisor) DeleteWebhook(ctx context.Context, channelID int64) error {
	conn, ok := s.Connector(channelID)
	if !ok {
		return fmt.Errorf("supervisor: channel %d: %w", channelID, ErrNotRunning)
	}
	wd, ok := conn.(WebhookDeleter)
	if !ok {
		return fmt.Errorf("supervisor: channel %d has no webhooks", channelID)
	}
	if err := wd.DeleteWebhook(ctx); err != nil {
		return fmt.Errorf("supervisor: delete webhook of channel %d: %w", channelID, err)
	}
	return s.Restart(ctx, channelID)
}

// Fetch downloads attachment index of a message into the cache dir (once; concurrent calls
// for the same attachment share one download) and records the path. It returns the path.
func (s *Supervisor) Fetch(ctx context.Context, messageID int64, index int) (string, error) {
	if s.cfg.Media == nil || s.cfg.CacheDir == "" {
		return "", errors.New("supervisor: media cache is not configured")
	}
	ref, err := s.cfg.Media.AttachmentRef(ctx, messageID, index)
	if err != nil {
		return "", fmt.Errorf("fetch attachment: %w", err)
	}
	if p := ref.Attachment.LocalPath; p != "" {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	key := fmt.Sprintf("%d-%d", messageID, index)
	s.fetchMu.Lock()
	if c, ok := s.fetching[key]; ok {
		s.fetchMu.Unlock()
		select {
		case <-c.done:
			return c.path, c.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	c := &fetchCall{done: make(chan struct{})}
	s.fetching[key] = c
	s.fetchMu.Unlock()
	defer func() {
		s.fetchMu.Lock()
		delete(s.fetching, key)
		s.fetchMu.Unlock()
		close(c.done)
	}()
	c.path, c.err = s.download(ctx, ref, key)
	return c.path, c.err
}

func (s *Supervisor) download(ctx context.Context, ref core.AttachmentRef, key string) (string, error) {
	conn, ok := s.Connector(ref.ChannelID)
	if !ok {
		return "", fmt.Errorf("fetch attachment: channel %d: %w", ref.ChannelID, ErrNotRunning)
	}
	if err := os.MkdirAll(s.cfg.CacheDir, 0o700); err != nil {
		return "", fmt.Errorf("fetch attachment: cache dir: %w", err)
	}
	dst := filepath.Join(s.cfg.CacheDir, key+safeExt(ref.Attachment))
	if err := conn.Download(ctx, ref.Attachment, dst); err != nil {
		return "", fmt.Errorf("fetch attachment %s: %w", key, err)
	}
	if err := s.cfg.Media.SetAttachmentPath(ctx, ref.MessageID, ref.Index, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// safeExt is the cached file's extension, from the kind and the MIME type on our fixed list only:
// the client's file name (and so its extension: .html, .svg, .desktop, .exe) never reaches the
// cache, where a file manager or the webview could act on it.
func safeExt(a core.Attachment) string {
	if ext, ok := cacheExtByMIME[strings.ToLower(a.MIME)]; ok {
		return ext
	}
	switch a.Kind {
	case core.AttachPhoto:
		return ".jpg"
	case core.AttachVoice:
		return ".ogg"
	case core.AttachVideo:
		return ".mp4"
	case core.AttachSticker:
		return ".webp"
	}
	return ".bin"
}

var cacheExtByMIME = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
	"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "video/mp4": ".mp4",
	"video/webm": ".webm", "application/pdf": ".pdf",
}
