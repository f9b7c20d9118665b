package hub

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// Presence (who is typing, recording or viewing which chat) rides the state feed's socket when
// the desktop asks for it (presence=1): the desktop sends teamwire.PresenceUpdate messages, and
// the hub keeps each socket's latest in memory with its TTL and passes it on to every other
// presence socket as teamwire.PresenceFrame. Nothing of it is stored or logged in the event log;
// a socket that closes takes its presence with it at once, for everyone.

// Presence tuning.
const (
	// presenceRate and presenceBurst bound the updates one socket may send: a desktop sends one
	// every 2 s while typing and one on every change of chat or state, so 4 a second with a
	// burst of 8 is room for quick chat switching. Updates past it are dropped, not queued.
	presenceRate  = 4.0
	presenceBurst = 8.0
	// knownChatFor is how long a chat id that exists is trusted without asking the store again:
	// a typist refreshes every 2 s, and each refresh should not be a query.
	knownChatFor = time.Minute
	// chatCheckTimeout bounds the store look-up of a chat id an update names.
	chatCheckTimeout = 2 * time.Second
	// presenceFrameGap spaces the frames to one socket: what changes meanwhile goes in the
	// next, so a busy company costs each desktop a few frames a second, not one per change.
	presenceFrameGap = 200 * time.Millisecond
)

// presenceSocket is one feed socket that takes part in presence.
type presenceSocket struct {
	id        int64 // the Conn of its entries
	managerID int64
	wake      chan struct{} // something is pending for it
	// polled: a desktop on the long-poll fallback (one per session), which posts its presence
	// and asks for the others' (postPresence, getPresence) instead of riding a socket.
	polled bool

	mu      sync.Mutex
	full    bool                     // the next frame replaces what the desktop knows
	pending map[int64]presenceRecord // other sockets' presence to send, by socket id

	// the socket's own update budget (a token bucket), under mu
	tokens float64
	last   time.Time
	seen   time.Time // a polled one: when it last asked or told (under presenceBoard.mu)
}

// presenceRecord is a socket's presence as the hub keeps it.
type presenceRecord struct {
	socket    int64
	managerID int64
	chatID    int64
	state     string
	expiresAt time.Time
	sentAt    time.Time // when the others were last sent it
}

func (p presenceRecord) entry(now time.Time) teamwire.PresenceEntry {
	e := teamwire.PresenceEntry{Conn: p.socket, ManagerID: p.managerID, ChatID: p.chatID, State: p.state}
	ttl := p.expiresAt.Sub(now)
	if p.state == teamwire.PresenceIdle || ttl <= 0 {
		e.State, e.ChatID = teamwire.PresenceIdle, 0
		return e
	}
	e.TTLMillis = ttl.Milliseconds()
	return e
}

// presenceBoard is every presence socket of the hub (one company) and their presence.
type presenceBoard struct {
	now func() time.Time

	mu        sync.Mutex
	lastID    int64
	sockets   map[*presenceSocket]presenceRecord // the record is idle when the socket shows nothing
	bySession map[int64]*presenceSocket          // the polled ones, by session
	known     map[int64]time.Time                // chat ids seen to exist, and when
}

func newPresenceBoard(now func() time.Time) *presenceBoard {
	return &presenceBoard{now: now, sockets: map[*presenceSocket]presenceRecord{}, bySession: map[int64]*presenceSocket{},
		known: map[int64]time.Time{}}
}

// newSocketLocked adds a socket showing nothing; the caller holds b.mu.
func (b *presenceBoard) newSocketLocked(managerID int64) *presenceSocket {
	b.lastID++
	ps := &presenceSocket{id: b.lastID, managerID: managerID, wake: make(chan struct{}, 1),
		pending: map[int64]presenceRecord{}, tokens: presenceBurst}
	b.sockets[ps] = presenceRecord{socket: ps.id, managerID: managerID, state: teamwire.PresenceIdle}
	return ps
}

// liveLocked is every socket's live presence but except's; the caller holds b.mu.
func (b *presenceBoard) liveLocked(except *presenceSocket) []presenceRecord {
	now := b.now()
	var out []presenceRecord
	for other, rec := range b.sockets {
		if other != except && rec.state != teamwire.PresenceIdle && rec.expiresAt.After(now) {
			out = append(out, rec)
		}
	}
	return out
}

// join adds a socket; its first frame is everyone else's live presence.
func (b *presenceBoard) join(managerID int64) *presenceSocket {
	b.mu.Lock()
	defer b.mu.Unlock()
	ps := b.newSocketLocked(managerID)
	ps.full = true
	for _, rec := range b.liveLocked(ps) {
		ps.pending[rec.socket] = rec
	}
	wakeUp(ps.wake)
	return ps
}

// polledFor is the polled socket of a session on the long-poll fallback, made on first use. A
// polled socket has no close to take its presence back: it lapses by its TTL, and the socket
// itself is forgotten once unused for longer than any TTL.
func (b *presenceBoard) polledFor(sessionID, managerID int64) *presenceSocket {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	for sid, ps := range b.bySession {
		if now.Sub(ps.seen) > teamwire.PresenceViewingTTL {
			delete(b.bySession, sid)
			delete(b.sockets, ps)
		}
	}
	ps := b.bySession[sessionID]
	if ps == nil {
		ps = b.newSocketLocked(managerID)
		ps.polled = true
		b.bySession[sessionID] = ps
	}
	ps.seen = now
	return ps
}

// frameFor is the whole picture for a polled socket: everyone else's live presence.
func (b *presenceBoard) frameFor(ps *presenceSocket) teamwire.PresenceFrame {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	f := teamwire.PresenceFrame{Type: teamwire.FeedPresence, Full: true, Entries: []teamwire.PresenceEntry{}}
	for _, rec := range b.liveLocked(ps) {
		f.Entries = append(f.Entries, rec.entry(now))
	}
	return f
}

// leave removes a socket; whatever it showed is gone for everyone at once.
func (b *presenceBoard) leave(ps *presenceSocket) {
	b.mu.Lock()
	defer b.mu.Unlock()
	rec, ok := b.sockets[ps]
	delete(b.sockets, ps)
	if ok && rec.state != teamwire.PresenceIdle {
		rec.state, rec.chatID = teamwire.PresenceIdle, 0
		b.broadcast(ps, rec)
	}
}

// set records a socket's presence and passes it on. A refresh (the same chat and state) is
// passed on too: the other desktops expire presence by its TTL on their own.
func (b *presenceBoard) set(ps *presenceSocket, chatID int64, state string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	prev, ok := b.sockets[ps]
	if !ok {
		return // left meanwhile
	}
	now := b.now()
	rec := presenceRecord{socket: ps.id, managerID: ps.managerID, chatID: chatID, state: state,
		expiresAt: now.Add(teamwire.PresenceTTL(state)), sentAt: now}
	if state == teamwire.PresenceIdle && prev.state == teamwire.PresenceIdle {
		b.sockets[ps] = rec
		return // nothing was shown, nothing to take back
	}
	if state == teamwire.PresenceViewing && prev.state == state && prev.chatID == chatID &&
		now.Sub(prev.sentAt) < teamwire.PresenceViewingTTL/2 {
		// Every open desktop refreshes its viewing: passed on each time, that is every
		// desktop's frame to every other one every 10 s. The others' copy outlives the next
		// refresh (sent at most TTL/2 + one refresh period after this one), so this one waits.
		rec.sentAt = prev.sentAt
		b.sockets[ps] = rec
		return
	}
	b.sockets[ps] = rec
	b.broadcast(ps, rec)
}

// broadcast queues rec for every socket but its own; the caller holds b.mu.
func (b *presenceBoard) broadcast(from *presenceSocket, rec presenceRecord) {
	for ps := range b.sockets {
		if ps == from || ps.polled {
			continue // a polled socket asks for the whole picture instead
		}
		ps.mu.Lock()
		ps.pending[rec.socket] = rec
		ps.mu.Unlock()
		wakeUp(ps.wake)
	}
}

// count is the number of presence sockets (tests).
func (b *presenceBoard) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.sockets)
}

// chatKnown says whether chatID was seen to exist lately; remember records that it was.
func (b *presenceBoard) chatKnown(chatID int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	at, ok := b.known[chatID]
	return ok && b.now().Sub(at) < knownChatFor
}

func (b *presenceBoard) rememberChat(chatID int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.known) > 100_000 { // a bound, not a cache policy: a hub sees far fewer open chats
		clear(b.known)
	}
	b.known[chatID] = b.now()
}

// take empties what is pending for a socket into one frame.
func (ps *presenceSocket) take(now time.Time) (teamwire.PresenceFrame, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if len(ps.pending) == 0 && !ps.full {
		return teamwire.PresenceFrame{}, false
	}
	f := teamwire.PresenceFrame{Type: teamwire.FeedPresence, Full: ps.full, Entries: make([]teamwire.PresenceEntry, 0, len(ps.pending))}
	for _, rec := range ps.pending {
		f.Entries = append(f.Entries, rec.entry(now))
	}
	clear(ps.pending)
	ps.full = false
	return f, true
}

// allow spends one of the socket's update tokens, if it has one.
func (ps *presenceSocket) allow(now time.Time) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if !ps.last.IsZero() {
		ps.tokens = min(presenceBurst, ps.tokens+now.Sub(ps.last).Seconds()*presenceRate)
	}
	ps.last = now
	if ps.tokens < 1 {
		return false
	}
	ps.tokens--
	return true
}

// openPresence makes a feed socket a presence socket: it reads the desktop's updates (in place
// of CloseRead, whose context it stands for: cancelled when the socket is gone) and writes the
// others' presence to it. The returned stop leaves the board and ends the writer; the handler
// calls it before closing the socket.
func (s *Server) openPresence(conn *websocket.Conn, managerID int64) (readCtx context.Context, stop func()) {
	ps := s.presence.join(managerID)
	readCtx, gone := context.WithCancel(context.Background())
	go func() {
		defer gone()
		for {
			typ, b, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			if typ != websocket.MessageText {
				conn.Close(websocket.StatusUnsupportedData, "")
				return
			}
			s.presenceUpdate(ps, b)
		}
	}()
	var writer sync.WaitGroup
	writer.Add(1)
	go func() {
		defer writer.Done()
		s.writePresence(readCtx, conn, ps)
	}()
	return readCtx, func() {
		s.presence.leave(ps)
		gone()
		writer.Wait()
	}
}

// presenceUpdate applies one update a desktop sent. A bad or excess update is dropped: the
// socket's feed goes on, and presence is a hint that the next refresh corrects. The parse error
// is returned for the long-poll's answer.
func (s *Server) presenceUpdate(ps *presenceSocket, b []byte) error {
	if !ps.allow(s.cfg.Now()) {
		return nil
	}
	u, err := teamwire.ParsePresenceUpdate(b)
	if err != nil {
		s.log.Debug("hub: presence update refused", "reason", teamwire.Reason(err))
		return err
	}
	if u.State != teamwire.PresenceIdle && !s.chatExists(u.ChatID) {
		return nil
	}
	s.presence.set(ps, u.ChatID, u.State)
	return nil
}

// postPresence is presence on the long-poll fallback: the desktop's own, as on a socket (the
// same checks and rate); the answer is 204 whether it was taken or dropped, as a socket hears
// nothing either, and bad_request for what does not parse.
func (s *Server) postPresence(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	if _, e := s.syncStore(); e != nil {
		return e
	}
	body, e := readBodyUpTo(w, r, teamwire.MaxPresenceUpdate)
	if e != nil {
		return e
	}
	if err := s.presenceUpdate(s.presence.polledFor(c.session.ID, c.account.ManagerID), body); err != nil {
		return badRequest(teamwire.Reason(err))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// getPresence answers a desktop on the long-poll fallback with everyone else's live presence.
func (s *Server) getPresence(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	if _, e := s.syncStore(); e != nil {
		return e
	}
	writeJSON(w, http.StatusOK, s.presence.frameFor(s.presence.polledFor(c.session.ID, c.account.ManagerID)))
	return nil
}

// chatExists checks a chat id an update names. Every manager of the company may see every chat
// today; a per-manager visibility rule would be checked here too.
func (s *Server) chatExists(chatID int64) bool {
	if s.presence.chatKnown(chatID) {
		return true
	}
	if s.cfg.Inbox == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), chatCheckTimeout)
	defer cancel()
	_, err := s.cfg.Inbox.Store.Chat(ctx, chatID)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("hub: presence chat check", "err", err)
		}
		return false
	}
	s.presence.rememberChat(chatID)
	return true
}

// writePresence sends the socket what is pending, as it comes, until ctx ends. A desktop that
// cannot take a frame in time is dropped like one that cannot take a batch.
func (s *Server) writePresence(ctx context.Context, conn *websocket.Conn, ps *presenceSocket) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ps.wake:
		}
		f, ok := ps.take(s.cfg.Now())
		if !ok {
			continue
		}
		raw, err := json.Marshal(f)
		if err != nil {
			s.log.Error("hub: presence frame", "err", err)
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, batchWriteTimeout)
		err = conn.Write(wctx, websocket.MessageText, raw)
		cancel()
		if err != nil {
			conn.CloseNow()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(presenceFrameGap):
		}
	}
}

// wakeUp signals c without blocking: one pending wake is enough.
func wakeUp(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
