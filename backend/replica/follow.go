package replica

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/core"
	"switchboard/backend/hubclient"
	"switchboard/backend/teamwire"
)

// closeSessionEnded is the hub's close code for a session that ended (revoked, disabled,
// expired): reconnecting with the same token is futile.
const closeSessionEnded websocket.StatusCode = 4001

// errBootstrap: the hub cannot resume from our cursor; take a snapshot again.
var errBootstrap = errors.New("replica: the hub asks for a new snapshot")

// follow keeps the store a copy of the hub until ctx ends.
func (r *Replica) follow(ctx context.Context) {
	b := backoff{min: r.cfg.MinBackoff, max: r.cfg.MaxBackoff}
	for ctx.Err() == nil {
		err := r.followOnce(ctx, &b)
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errBootstrap) {
			b.reset()
			continue
		}
		state := StateOffline
		if c := code(err); c == hubclient.CodeSessionEnded || c == hubclient.CodeLoginFailed {
			state = StateSignedOut // the app asks for the password again; retries go on slowly
		}
		r.log.Info("replica: feed interrupted", "err", err)
		r.setStatus(func(s *Status) { s.State, s.LastError = state, code(err) })
		if !sleep(ctx, b.next(), r.wake) {
			return
		}
	}
}

// followOnce signs in if needed, bootstraps if needed, and follows the feed until it drops.
func (r *Replica) followOnce(ctx context.Context, b *backoff) error {
	// The hub's version is asked beside who we are, not before, so a reconnection (after
	// sleep) still takes one round trip before the feed; a hub of another version explains
	// whatever else failed, so its error comes first.
	version := make(chan error, 1)
	go func() {
		_, err := r.hub.Version(ctx)
		version <- err
	}()
	me, err := r.whoAmI(ctx)
	if verr := <-version; verr != nil {
		return verr
	}
	if err != nil {
		return err
	}
	if me != r.Me() {
		if err := r.st.SetSetting(ctx, keyMe, itoa(me)); err != nil {
			return err
		}
		r.mu.Lock()
		r.me = me
		r.mu.Unlock()
	}
	seq, ok, err := r.cursor(ctx)
	if err != nil {
		return err
	}
	if !ok {
		if seq, err = r.bootstrap(ctx); err != nil {
			return err
		}
	}
	return r.stream(ctx, seq, b)
}

// cursor is the stored feed position, when it is one of this hub's.
func (r *Replica) cursor(ctx context.Context) (int64, bool, error) {
	hub, ok, err := r.st.Setting(ctx, keyHub)
	if err != nil || !ok || hub != r.cfg.HubURL {
		return 0, false, err
	}
	v, ok, err := r.st.Setting(ctx, keySeq)
	if err != nil || !ok {
		return 0, false, err
	}
	var seq int64
	if _, err := fmt.Sscan(v, &seq); err != nil {
		return 0, false, nil
	}
	return seq, true, nil
}

// bootstrap replaces the local copy with a snapshot, page by page, and returns its seq. The
// cursor is written only with the last page: a bootstrap cut short starts over.
func (r *Replica) bootstrap(ctx context.Context) (int64, error) {
	r.setStatus(func(s *Status) { s.State, s.Done, s.Total = StateBootstrapping, 0, 0 })
	if err := r.st.SetSetting(ctx, keyHub, ""); err != nil {
		return 0, err
	}
	if err := r.st.ResetReplica(ctx); err != nil {
		return 0, err
	}
	// The next pages are asked for while these are applied: the hub reads and sends them while
	// the replica writes, instead of each waiting for the other.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan snapshotFetch, bootstrapGroup)
	go r.fetchSnapshot(ctx, pages)
	var seq, done, total int64
	me := r.Me()
	for first := true; ; first = false {
		group, err := readyPages(ctx, pages)
		if err != nil {
			return 0, err
		}
		if first {
			seq, total = group[0].Seq, group[0].Totals.People
		}
		last := group[len(group)-1].Next == 0
		cursorKey := ""
		if last {
			cursorKey = keySeq
		}
		var rows core.RowSet
		for _, page := range group {
			appendRows(&rows, page.Rows)
			done += int64(len(page.Rows.People))
		}
		if err := r.st.ApplyRows(ctx, rows, me, cursorKey, seq, r.cfg.Now()); err != nil {
			return 0, err
		}
		r.setStatus(func(s *Status) { s.Done, s.Total = done, total })
		if last {
			break
		}
	}
	if err := r.st.SetSetting(ctx, keyHub, r.cfg.HubURL); err != nil {
		return 0, err
	}
	r.setStatus(func(s *Status) { s.Seq = seq })
	r.log.Info("replica: snapshot applied", "seq", seq, "people", done)
	return seq, nil
}

// bootstrapGroup is how many fetched snapshot pages one transaction applies at most. The
// replica applies more slowly than the hub serves, so pages wait: applying those waiting
// together writes the pages every transaction touches (the search index's segments, the
// counts, the event log's end) once per group rather than once per page: a commit was 28% of
// the apply, and the first 80 pages of the 100k bench dataset applied in 6.2 s one per
// transaction, 4.8 s four, 4.1 s eight. A page is 200 people with their chats and newest
// messages, so the pages held at once stay a few MB.
const bootstrapGroup = 8

// readyPages waits for the next page of a snapshot and takes the pages already fetched behind
// it, up to bootstrapGroup and never past the last page. An error fetching any of them is the
// answer: a bootstrap cut short starts over.
func readyPages(ctx context.Context, pages <-chan snapshotFetch) ([]teamwire.SnapshotPage, error) {
	var f snapshotFetch
	select {
	case f = <-pages:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if f.err != nil {
		return nil, f.err
	}
	group := []teamwire.SnapshotPage{f.page}
	for len(group) < bootstrapGroup && group[len(group)-1].Next != 0 {
		select {
		case f = <-pages:
			if f.err != nil {
				return nil, f.err
			}
			group = append(group, f.page)
		default:
			return group, nil
		}
	}
	return group, nil
}

// appendRows adds a snapshot page's rows to rows. Pages hold other people (and their chats,
// messages, tasks, logs, dialogues); the managers and channels every page repeats are kept
// once each, the latest copy, so a group of pages writes each of them once.
func appendRows(rows *core.RowSet, page core.RowSet) {
	rows.Managers = core.LastByID(append(rows.Managers, page.Managers...), func(m core.Manager) int64 { return m.ID })
	rows.Channels = core.LastByID(append(rows.Channels, page.Channels...), func(c core.Channel) int64 { return c.ID })
	rows.People = append(rows.People, page.People...)
	rows.Chats = append(rows.Chats, page.Chats...)
	rows.Messages = append(rows.Messages, page.Messages...)
	rows.Tasks = append(rows.Tasks, page.Tasks...)
	rows.Logs = append(rows.Logs, page.Logs...)
	rows.Drafts = append(rows.Drafts, page.Drafts...)
	rows.Dialogues = append(rows.Dialogues, page.Dialogues...)
	if page.Settings != nil {
		rows.Settings = page.Settings
	}
	rows.Gone.People = append(rows.Gone.People, page.Gone.People...)
	rows.Gone.Chats = append(rows.Gone.Chats, page.Gone.Chats...)
	rows.Gone.Messages = append(rows.Gone.Messages, page.Gone.Messages...)
}

// snapshotFetch is one page of a snapshot as fetchSnapshot got it, or why it did not.
type snapshotFetch struct {
	page teamwire.SnapshotPage
	err  error
}

// fetchSnapshot asks the hub for a snapshot's pages in order and sends each to pages, until
// the last page, an error (sent too) or ctx ends.
func (r *Replica) fetchSnapshot(ctx context.Context, pages chan<- snapshotFetch) {
	var seq, after int64
	for first := true; ; first = false {
		path := teamwire.PathSnapshot
		if !first {
			path += "?after=" + itoa(after) + "&seq=" + itoa(seq)
		}
		var f snapshotFetch
		_, body, err := r.do(ctx, http.MethodGet, path, nil, nil)
		if err == nil {
			if f.page, err = teamwire.ParseSnapshotPage(body); err != nil {
				err = fmt.Errorf("replica: snapshot page: %w", err)
			}
		}
		if err == nil {
			if first {
				seq = f.page.Seq
			} else if f.page.Seq != seq {
				err = fmt.Errorf("replica: snapshot page of seq %d in a snapshot of %d", f.page.Seq, seq)
			}
		}
		f.err = err
		select {
		case pages <- f:
		case <-ctx.Done():
			return
		}
		if err != nil || f.page.Next == 0 {
			return
		}
		after = f.page.Next
	}
}

// stream follows the state feed from seq over one WebSocket until it drops.
func (r *Replica) stream(ctx context.Context, seq int64, b *backoff) error {
	token, err := r.session(ctx)
	if err != nil {
		return err
	}
	ctx, drop := context.WithCancel(ctx)
	defer drop()
	r.mu.Lock()
	r.dropFeed = drop
	r.mu.Unlock()
	u := "ws" + strings.TrimPrefix(r.cfg.HubURL, "http") + teamwire.PathFeed + "?state=1&presence=1&seq=" + itoa(seq)
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	if r.cfg.LongPoll {
		return r.poll(ctx, seq, b)
	}
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h, HTTPClient: r.cfg.HTTPClient})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			r.dropToken(token)
			return &hubError{Status: resp.StatusCode, Code: "unauthorized"}
		}
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols && resp.StatusCode != http.StatusNotFound {
			// Something between us and the hub (a proxy) answered but refused the upgrade:
			// the same feed over plain HTTP.
			r.log.Info("replica: WebSocket refused; long-polling", "status", resp.StatusCode)
			return r.poll(ctx, seq, b)
		}
		return fmt.Errorf("replica: dial feed: %w", err)
	}
	defer conn.CloseNow()
	defer r.forgetPresence()
	conn.SetReadLimit(teamwire.MaxFeedMessage)
	b.reset()
	r.setStatus(func(s *Status) { s.State, s.LastError = StateOnline, "" })
	signal(r.kickUp) // the hub is back: deliver what waited

	// A silent network (a laptop that slept, a dead NAT) would leave Read blocked: ping.
	pingCtx, stopPing := context.WithCancel(ctx)
	defer stopPing()
	go func() {
		t := time.NewTicker(feedPing)
		defer t.Stop()
		for {
			select {
			case <-pingCtx.Done():
				return
			case <-t.C:
			}
			pctx, cancel := context.WithTimeout(pingCtx, feedPing)
			err := conn.Ping(pctx)
			cancel()
			if err != nil && pingCtx.Err() == nil {
				conn.CloseNow()
				return
			}
		}
	}()
	// Presence goes up only once the hub has shown it speaks it (its first frame comes right
	// after the upgrade): a hub from before presence closes a socket that sends it anything.
	hubSpeaksPresence := make(chan struct{})
	var heardPresence sync.Once
	go r.sendPresence(pingCtx, conn, hubSpeaksPresence)
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == closeSessionEnded {
				r.dropToken(token)
				return &hubError{Status: http.StatusUnauthorized, Code: "unauthorized"}
			}
			return fmt.Errorf("replica: feed: %w", err)
		}
		if teamwire.IsPresenceFrame(data) {
			heardPresence.Do(func() { close(hubSpeaksPresence) })
			if err := r.applyPresence(data); err != nil {
				r.log.Warn("replica: presence frame", "err", err) // a hint, not worth the feed
			}
			continue
		}
		if seq, err = r.apply(ctx, data, seq); err != nil {
			return err
		}
	}
}

// apply writes one feed message with its cursor and returns the new cursor.
func (r *Replica) apply(ctx context.Context, data []byte, seq int64) (int64, error) {
	msg, err := teamwire.ParseFeedMessage(data)
	if err != nil {
		return seq, fmt.Errorf("replica: feed message: %w", err)
	}
	if msg.Type == teamwire.FeedBootstrap {
		r.log.Info("replica: the hub asks for a new snapshot", "seq", seq)
		if err := r.st.SetSetting(ctx, keyHub, ""); err != nil {
			return seq, err
		}
		return seq, errBootstrap
	}
	if msg.Seq < seq {
		return seq, fmt.Errorf("replica: feed went back from %d to %d", seq, msg.Seq)
	}
	if msg.Seq == seq && msg.Rows.Empty() {
		return seq, nil // a long-poll that waited in vain
	}
	if err := r.st.ApplyRows(ctx, msg.Rows, r.Me(), keySeq, msg.Seq, r.cfg.Now()); err != nil {
		return seq, err
	}
	r.setStatus(func(s *Status) { s.Seq = msg.Seq })
	return msg.Seq, nil
}

// poll follows the state feed over plain HTTP (teamwire.PathFeedPoll), one long-poll after
// another, until a request fails.
func (r *Replica) poll(ctx context.Context, seq int64, b *backoff) error {
	presCtx, stopPresence := context.WithCancel(ctx)
	presDone := make(chan struct{})
	go func() {
		defer close(presDone)
		r.pollPresence(presCtx)
	}()
	defer func() {
		stopPresence()
		<-presDone
		r.forgetPresence()
	}()
	for first := true; ; first = false {
		wait := "25"
		if first {
			wait = "0" // the first answers at once: the hub is there, the replica online
		}
		_, body, err := r.do(ctx, http.MethodGet, teamwire.PathFeedPoll+"?wait="+wait+"&seq="+itoa(seq), nil, nil)
		if err != nil {
			return err
		}
		if first {
			b.reset()
			r.setStatus(func(s *Status) { s.State, s.LastError = StateOnline, "" })
			signal(r.kickUp)
		}
		if seq, err = r.apply(ctx, body, seq); err != nil {
			return err
		}
	}
}

// feedPing is how often the replica pings the hub over the feed, and how long a pong may take.
const feedPing = 20 * time.Second

// olderWait bounds a request for older history, which a chat's opening waits for.
const olderWait = 3 * time.Second

// errNotOnline: older history is asked for only while the replica follows the hub.
var errNotOnline = errors.New("replica: not online")

// LoadOlder fetches a page of a chat's history older than the oldest message held locally, and
// keeps it; it returns how many messages came and whether older ones remain.
//
// A chat whose beginning has come is remembered for this run, so opening it again asks the hub
// nothing.
func (r *Replica) LoadOlder(ctx context.Context, chatID int64) (int, bool, error) {
	if _, complete := r.fromStart.Load(chatID); complete {
		return 0, false, nil
	}
	// Opening a chat waits for this: offline it asks nothing (the held page is shown), and
	// online it waits olderWait at most, not the client's minute for a hub gone silent.
	if r.Status().State != StateOnline {
		return 0, true, errNotOnline
	}
	ctx, cancel := context.WithTimeout(ctx, olderWait)
	defer cancel()
	before, err := r.st.OldestHubMessage(ctx, chatID)
	if err != nil {
		return 0, false, err
	}
	path := teamwire.HistoryPath(chatID) + "?before=" + itoa(before)
	_, body, err := r.do(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return 0, false, err
	}
	page, err := teamwire.ParseHistoryPage(body)
	if err != nil {
		return 0, false, err
	}
	if err := r.st.ApplyRows(ctx, core.RowSet{Messages: page.Messages}, r.Me(), "", 0, r.cfg.Now()); err != nil {
		return 0, false, err
	}
	if !page.More {
		r.fromStart.Store(chatID, true)
	}
	return len(page.Messages), page.More, nil
}
