package hub

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/core"
)

// Close codes the feed ends a socket with (the 4000–4999 range is the application's).
const (
	// closeSessionEnded: the session was revoked, the account disabled or its password reset,
	// or the session expired. The desktop signs in again; reconnecting with the token is futile.
	closeSessionEnded websocket.StatusCode = 4001
	// closeShutdown: the hub is stopping; reconnect later from the last seq.
	closeShutdown websocket.StatusCode = websocket.StatusGoingAway
)

// Feed tuning.
const (
	// feedBatch is the most events per message: about 25 KB of JSON, under the 32 KB a
	// WebSocket client reads by default (coder/websocket's limit), so clients need no tuning.
	feedBatch        = 200
	feedWriteTimeout = 10 * time.Second // a client that does not answer a ping by then is dropped
	feedPingEvery    = 30 * time.Second // keeps proxies from timing out an idle socket
	// batchWriteTimeout drops a client that cannot take a batch in time. It is shorter than
	// feedWriteTimeout because a socket writing holds one of the few fan-out writers
	// (logTail.fanOut) or places (sendNext):
	// a write blocks only once the client's kernel buffer is full, megabytes of batches it has
	// not read, and the dropped desktop reconnects and catches up from its seq.
	batchWriteTimeout = 2 * time.Second
)

// FeedMessage is what the feed sends: the events after the client's seq, in order, and Seq, the
// cursor to resume from (the last event's seq; events addressed to other managers are left
// out, so Seq can be past the last event listed).
type FeedMessage struct {
	Type   string       `json:"type"` // "events"
	Seq    int64        `json:"seq"`
	Events []core.Event `json:"events"`
}

// feed upgrades to a WebSocket and streams the event log from ?seq= (default 0: from the
// start) until the client leaves, the session ends or the hub stops.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	var after int64
	if v := r.URL.Query().Get("seq"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return badRequest("invalid_seq")
		}
		after = n
	}
	state := r.URL.Query().Get("state") == "1"
	if state {
		if _, e := s.syncStore(); e != nil {
			return e
		}
	}
	// Registered before the upgrade answers, so a revocation that races the dial still finds
	// this socket.
	fc := &feedConn{sessionID: c.session.ID, managerID: c.account.ManagerID, expiresAt: c.session.ExpiresAt, ended: make(chan struct{})}
	s.feeds.add(fc)
	s.streams.Add(1)
	defer s.streams.Done()
	defer s.feeds.remove(fc)
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return nil // Accept has answered the client
	}
	defer conn.CloseNow()
	// The read side only answers pings and notices the client leaving (and, on a presence
	// socket, reads the desktop's presence); cancelling its context would drop the socket
	// without a close frame, so an ended session is signalled apart.
	var readCtx context.Context
	if state && r.URL.Query().Get("presence") == "1" {
		var leave func()
		readCtx, leave = s.openPresence(conn, c.account.ManagerID)
		defer leave()
	} else {
		readCtx = conn.CloseRead(context.Background())
	}
	kind := feedKind{name: "events", batch: feedBatch, build: eventsMessage}
	if state {
		kind = feedKind{name: "state", batch: stateFeedBatch, build: s.stateMessage}
		if ok, err := s.cursorKept(readCtx, after); err != nil {
			return s.internal("feed: cursor", err)
		} else if !ok {
			sendBootstrap(readCtx, conn)
			return nil
		}
		conn.SetReadLimit(1 << 10)
	}
	err = s.stream(readCtx, fc.ended, conn, c.account.ManagerID, after, kind)
	if code, ended := fc.endedWith(); ended {
		conn.Close(code, "")
		return nil
	}
	if err != nil && readCtx.Err() == nil {
		s.log.Info("hub: feed ended", "session", c.session.ID, "err", err)
	}
	return nil
}

// stream sends every event after `after`, then follows the head and sends what commits add.
// The store's commit order is its seq order (one writer), so reading seq > cursor never skips.
// While the socket is behind the tail (a catch-up, a slow reader) this goroutine sends its
// batches; at the head the tail writes its frames in each fan-out (logTail.fanOut) and this
// goroutine only pings, and waits for the session's end or the tail handing the socket back.
func (s *Server) stream(ctx context.Context, ended <-chan struct{}, conn *websocket.Conn, managerID, after int64, kind feedKind) error {
	ping := time.NewTicker(feedPingEvery)
	defer ping.Stop()
	// One timer per socket, armed around each frame's write, closes a socket that cannot take
	// it in time. A context with a deadline per write cost a timer, a context and two map
	// entries (the parent's children, the library's AfterFunc) per socket per frame: at 2,000
	// desktops that was a tenth of the hub's CPU in the fan-out.
	stuck := time.AfterFunc(time.Hour, func() { conn.CloseNow() })
	stuck.Stop()
	defer stuck.Stop()
	f := &feedSocket{conn: conn, ctx: ctx, wctx: context.WithoutCancel(ctx), stuck: stuck,
		managerID: managerID, kind: kind, dropped: make(chan error, 1), ended: ended, after: after}
	for {
		// The tail's snapshot is taken before reading, so a commit between the two still wakes.
		snap := s.tail.current()
		select {
		case <-ended:
			return nil
		default:
		}
		n, err := s.sendNext(ctx, f)
		if err != nil {
			return err
		}
		if n == kind.batch {
			continue
		}
		if !snap.failed {
			if done, err := s.followHead(ctx, ended, ping, f); done {
				return err
			}
			continue
		}
		// The tail cannot read the log: this socket reads the store itself when it changes.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ended:
			return nil
		case <-snap.changed:
		case <-ping.C:
			if err := pingClient(ctx, conn); err != nil {
				return err
			}
		}
	}
}

// followHead hands f, caught up, to the tail until the stream ends (done) or the tail hands it
// back (not done: it fell behind what the tail holds, and its goroutine catches up again).
func (s *Server) followHead(ctx context.Context, ended <-chan struct{}, ping *time.Ticker, f *feedSocket) (done bool, _ error) {
	s.tail.adopt(f)
	defer func() {
		s.tail.release(f)
		// A hand-back racing the release is stale now: the next adoption starts without it (a
		// failed write fails this socket's next write too).
		select {
		case <-f.dropped:
		default:
		}
	}()
	if s.tail.current().failed {
		return false, nil // the tail failed meanwhile and let go of its sockets: read the store
	}
	// A publish before the adoption did not include f: it sends up to the head itself, the
	// way a fan-out does (kick), so a fan-out finding it busy meanwhile is not lost either.
	f.kick(s.tail)
	for {
		select {
		case <-ctx.Done():
			return true, ctx.Err()
		case <-ended:
			return true, nil
		case err := <-f.dropped:
			return err != nil, err
		case <-ping.C:
			if err := pingClient(ctx, f.conn); err != nil {
				return true, err
			}
		}
	}
}

func pingClient(ctx context.Context, conn *websocket.Conn) error {
	pctx, cancel := context.WithTimeout(ctx, feedWriteTimeout)
	defer cancel()
	return conn.Ping(pctx)
}

// feedSocket is one feed socket's sending state, shared by its stream goroutine and the tail's
// fan-out writers; mu serialises them, so frames go out in seq order and none twice.
type feedSocket struct {
	conn      *websocket.Conn
	ctx       context.Context // the read side's: ends when the client leaves
	wctx      context.Context // for writes: no deadline for the library to arm per write (stuck times them)
	stuck     *time.Timer     // closes the socket when a write takes longer than batchWriteTimeout
	managerID int64
	kind      feedKind
	dropped   chan error // the tail handing the socket back (nil: it is behind the tail); buffered

	ended <-chan struct{} // the session ended: nothing more is sent

	pending atomic.Bool // the tail has more for it than a write under way sends (kick)

	mu       sync.Mutex
	after    int64 // seq of the last event sent (or skipped as another manager's)
	released bool  // taken back from the tail: its fan-outs skip the socket
}

// sendNext sends the batch after the socket's cursor, if there is one, from the tail's memory
// or the store, and returns how many events the batch held. Only as many sockets as the hub
// has cores do this at once (Server.fanout): sockets catching up together (a hub restart
// reconnects every desktop) wait parked instead of taking every core in turn and keeping the
// poller and the store waiting.
func (s *Server) sendNext(ctx context.Context, f *feedSocket) (int, error) {
	select {
	case s.fanout <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	defer func() { <-s.fanout }()
	f.mu.Lock()
	defer f.mu.Unlock()
	evs, err := s.tail.eventsAfter(ctx, f.after, f.kind.batch)
	if err != nil || len(evs) == 0 {
		return 0, err
	}
	if err := f.send(s.tail, evs); err != nil {
		return 0, err
	}
	return len(evs), nil
}

// kick sends the socket what the tail holds after its cursor, unless a write to it is under
// way: then that writer, done, sends it (pending), so a fan-out never waits on a socket that
// cannot take its frame yet. A socket behind the tail or failing is handed back to its goroutine.
func (f *feedSocket) kick(t *logTail) {
	f.pending.Store(true)
	for f.pending.Load() && f.mu.TryLock() {
		for f.pending.Swap(false) {
			if behind, err := f.sendFromTail(t, t.current()); err != nil || behind {
				t.unfollow(f, err)
			}
		}
		f.mu.Unlock()
	}
}

// sendFromTail sends what snap holds after the socket's cursor, a frame per batch; behind when
// snap does not hold it (the socket fell further behind than the tail keeps, or the tail
// failed). f.mu is held.
func (f *feedSocket) sendFromTail(t *logTail, snap *tailSnapshot) (behind bool, _ error) {
	for {
		if f.released {
			return false, nil
		}
		select {
		case <-f.ended:
			return false, nil
		default:
		}
		evs, ok := snap.after(f.after, f.kind.batch)
		if !ok {
			return true, nil
		}
		if len(evs) == 0 {
			return false, nil
		}
		if err := f.send(t, evs); err != nil {
			return false, err
		}
	}
}

// send writes evs, the events after the cursor, as one frame (its encoding shared with every
// socket sending the same batch) and moves the cursor past them; f.mu is held.
func (f *feedSocket) send(t *logTail, evs []core.Event) error {
	next := evs[len(evs)-1].Seq
	raw, err := t.encode(f.ctx, f.kind.name, f.after, f.managerID, evs, func() (any, error) {
		return f.kind.build(f.ctx, next, forManager(evs, f.managerID))
	})
	if err != nil {
		return err
	}
	f.stuck.Reset(batchWriteTimeout)
	err = f.conn.Write(f.wctx, websocket.MessageText, raw)
	f.stuck.Stop()
	if err != nil {
		return err
	}
	f.after = next
	return nil
}

// eventsMessage is the reference feed's message: the events themselves.
func eventsMessage(_ context.Context, seq int64, evs []core.Event) (any, error) {
	return FeedMessage{Type: "events", Seq: seq, Events: evs}, nil
}

// feedKind is what a feed socket sends for each batch: the events themselves (the reference
// feed) or the current rows they touched (the state feed a replica follows). Its name keys the
// tail's shared encodings, so the two never hand each other a batch.
type feedKind struct {
	name  string
	batch int
	build func(ctx context.Context, seq int64, evs []core.Event) (any, error)
}

// forManager drops the events addressed to another manager (a mention of someone else).
func forManager(evs []core.Event, managerID int64) []core.Event {
	out := evs[:0:0]
	for _, e := range evs {
		if e.ManagerID == 0 || e.ManagerID == managerID {
			out = append(out, e)
		}
	}
	return out
}

// watchRevocations closes the sockets of sessions that ended outside this hub's API (the CLI,
// another instance on the same PostgreSQL) and of sessions that expired while connected.
func (s *Server) watchRevocations(ctx context.Context) {
	tick := time.NewTicker(s.cfg.RevocationPoll)
	defer tick.Stop()
	// Clocks of several instances differ a little; looking a few seconds further back costs a
	// few repeated ids, which closing ignores.
	const slack = 5 * time.Second
	since := s.cfg.Now().Add(-slack).UnixMilli()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := s.cfg.Now()
		ids, err := s.accounts.RevokedSince(ctx, since)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("hub: revocation watch", "err", err)
			}
			continue
		}
		since = now.Add(-slack).UnixMilli()
		s.feeds.closeSessions(ids, closeSessionEnded)
		s.feeds.closeExpired(now.UnixMilli())
	}
}

// feedRegistry is the open feed sockets by session, so ending a session closes them at once.
type feedRegistry struct {
	mu        sync.Mutex
	bySession map[int64]map[*feedConn]struct{}
}

func newFeedRegistry() *feedRegistry {
	return &feedRegistry{bySession: map[int64]map[*feedConn]struct{}{}}
}

type feedConn struct {
	sessionID, managerID, expiresAt int64
	ended                           chan struct{} // closed by end

	mu     sync.Mutex
	status websocket.StatusCode // set by end
}

// end tells the socket's stream to stop; its handler then closes the socket with code.
func (f *feedConn) end(code websocket.StatusCode) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status != 0 {
		return
	}
	f.status = code
	close(f.ended)
}

func (f *feedConn) endedWith() (websocket.StatusCode, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.status, f.status != 0
}

func (g *feedRegistry) add(f *feedConn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.bySession[f.sessionID]
	if m == nil {
		m = map[*feedConn]struct{}{}
		g.bySession[f.sessionID] = m
	}
	m[f] = struct{}{}
}

func (g *feedRegistry) remove(f *feedConn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m := g.bySession[f.sessionID]; m != nil {
		delete(m, f)
		if len(m) == 0 {
			delete(g.bySession, f.sessionID)
		}
	}
}

func (g *feedRegistry) closeSessions(ids []int64, code websocket.StatusCode) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range ids {
		for f := range g.bySession[id] {
			f.end(code)
		}
	}
}

func (g *feedRegistry) closeExpired(now int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.bySession {
		for f := range m {
			if f.expiresAt <= now {
				f.end(closeSessionEnded)
			}
		}
	}
}

func (g *feedRegistry) closeAll(code websocket.StatusCode) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.bySession {
		for f := range m {
			f.end(code)
		}
	}
}

// count is the number of open feed sockets (tests, stats).
func (g *feedRegistry) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for _, m := range g.bySession {
		n += len(m)
	}
	return n
}
