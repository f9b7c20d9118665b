package replica

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/coder/websocket"

	"switchboard/backend/teamwire"
)

// Presence on a replica: this desktop's own (the chat open and whether the manager types or
// records there), sent on the feed socket, and the other desktops' as the hub passes it on,
// kept in memory with its TTL and told to the app (Config.OnPresence). Nothing is stored: a
// dropped socket forgets the others' presence at once (stale "Anna is typing…" is worse than
// none), and the hub forgets ours when our socket closes.

// Presence is one manager's presence in one chat, as the app shows it.
type Presence struct {
	ChatID    int64  `json:"chatId"`
	ManagerID int64  `json:"managerId"`
	State     string `json:"state"` // typing, recording or viewing
}

// ErrPresenceState: SetPresence was given a state teamwire does not know.
var ErrPresenceState = errors.New("replica: unknown presence state")

// presenceMinGap spaces the updates a replica sends, under the hub's per-socket rate.
const presenceMinGap = 300 * time.Millisecond

// presenceSweep is how often others' presence is checked for expiry.
const presenceSweep = 500 * time.Millisecond

type otherPresence struct {
	entry     teamwire.PresenceEntry
	expiresAt time.Time
}

// presence is the replica's presence state; its zero value is ready.
type presence struct {
	mu      sync.Mutex
	mine    teamwire.PresenceUpdate
	mineAt  time.Time // when the app last said it
	others  map[int64]otherPresence
	shown   []Presence    // what the app was last told
	kick    chan struct{} // mine changed: the socket's writer sends it
	kickSet sync.Once
	tellMu  sync.Mutex // held while telling the app (tellPresence)
}

func (p *presence) kicked() chan struct{} {
	p.kickSet.Do(func() { p.kick = make(chan struct{}, 1) })
	return p.kick
}

// SetPresence says what this desktop's manager does now: state typing, recording or viewing in
// chatID, or idle. The app calls it on every change and again every teamwire.PresenceRefresh*
// while it lasts; the hub forgets it after its TTL otherwise. Offline it is kept and sent when
// the socket is back, if still fresh.
func (r *Replica) SetPresence(chatID int64, state string) error {
	u, err := teamwire.ParsePresenceUpdate(mustJSON(teamwire.PresenceUpdate{Type: teamwire.FeedPresence, ChatID: chatID, State: state}))
	if err != nil {
		return errors.Join(ErrPresenceState, err)
	}
	r.pres.mu.Lock()
	r.pres.mine, r.pres.mineAt = u, r.cfg.Now()
	r.pres.mu.Unlock()
	signal(r.pres.kicked())
	return nil
}

// Presence is the other managers' presence now, strongest state per manager and chat
// (recording, then typing, then viewing), ordered by chat and manager.
func (r *Replica) Presence() []Presence {
	r.pres.mu.Lock()
	defer r.pres.mu.Unlock()
	return r.presenceLocked()
}

func (r *Replica) presenceLocked() []Presence {
	me := r.Me()
	best := map[[2]int64]string{}
	for _, o := range r.pres.others {
		e := o.entry
		if e.ManagerID == me || e.State == teamwire.PresenceIdle {
			continue // this manager's own other desktops: "You" is this desktop's own business
		}
		k := [2]int64{e.ChatID, e.ManagerID}
		if presenceRank(e.State) > presenceRank(best[k]) {
			best[k] = e.State
		}
	}
	out := make([]Presence, 0, len(best))
	for k, st := range best {
		out = append(out, Presence{ChatID: k[0], ManagerID: k[1], State: st})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ChatID != out[j].ChatID {
			return out[i].ChatID < out[j].ChatID
		}
		return out[i].ManagerID < out[j].ManagerID
	})
	return out
}

func presenceRank(state string) int {
	switch state {
	case teamwire.PresenceRecording:
		return 3
	case teamwire.PresenceTyping:
		return 2
	case teamwire.PresenceViewing:
		return 1
	}
	return 0
}

// applyPresence takes in a presence frame from the hub.
func (r *Replica) applyPresence(data []byte) error {
	f, err := teamwire.ParsePresenceFrame(data)
	if err != nil {
		return err
	}
	now := r.cfg.Now()
	r.pres.mu.Lock()
	if f.Full || r.pres.others == nil {
		r.pres.others = map[int64]otherPresence{}
	}
	for _, e := range f.Entries {
		if e.State == teamwire.PresenceIdle {
			delete(r.pres.others, e.Conn)
			continue
		}
		r.pres.others[e.Conn] = otherPresence{entry: e, expiresAt: now.Add(time.Duration(e.TTLMillis) * time.Millisecond)}
	}
	r.pres.mu.Unlock()
	r.tellPresence()
	return nil
}

// forgetPresence drops the others' presence (the socket is gone: nothing tells us it lasts).
func (r *Replica) forgetPresence() {
	r.pres.mu.Lock()
	r.pres.others = nil
	r.pres.mu.Unlock()
	r.tellPresence()
}

// expirePresence drops the others' presence whose TTL ran out, then tells the app if it changed.
func (r *Replica) expirePresence() {
	now := r.cfg.Now()
	expired := false
	r.pres.mu.Lock()
	for k, o := range r.pres.others {
		if !o.expiresAt.After(now) {
			delete(r.pres.others, k)
			expired = true
		}
	}
	r.pres.mu.Unlock()
	if expired { // the sweep runs twice a second: most of them change nothing to tell
		r.tellPresence()
	}
}

// tellPresence calls OnPresence when what the app shows would change. The feed's reader and
// the sweeper both tell; one at a time, so the app never hears an older list after a newer.
func (r *Replica) tellPresence() {
	r.pres.tellMu.Lock()
	defer r.pres.tellMu.Unlock()
	r.pres.mu.Lock()
	now := r.presenceLocked()
	same := len(now) == len(r.pres.shown)
	for i := 0; same && i < len(now); i++ {
		same = now[i] == r.pres.shown[i]
	}
	if !same {
		r.pres.shown = now
	}
	r.pres.mu.Unlock()
	if !same && r.cfg.OnPresence != nil {
		r.cfg.OnPresence(now)
	}
}

// sweepPresence expires the others' presence until ctx ends (started with the follower).
func (r *Replica) sweepPresence(ctx context.Context) {
	t := time.NewTicker(presenceSweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.expirePresence()
		}
	}
}

// sendPresence writes this desktop's presence on the feed socket: once the hub has sent its
// first presence frame (hubSpeaks closed), the app's latest if it said it lately, then on every
// change the app makes, until ctx ends.
func (r *Replica) sendPresence(ctx context.Context, conn *websocket.Conn, hubSpeaks <-chan struct{}) {
	select {
	case <-ctx.Done():
		return
	case <-hubSpeaks:
	}
	kick := r.pres.kicked()
	first := true
	for {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-kick:
			}
		}
		r.pres.mu.Lock()
		u, at := r.pres.mine, r.pres.mineAt
		r.pres.mu.Unlock()
		fresh := !at.IsZero() && r.cfg.Now().Sub(at) < teamwire.PresenceTTL(u.State)
		if fresh || (!first && u.State == teamwire.PresenceIdle) {
			wctx, cancel := context.WithTimeout(ctx, feedPing)
			err := conn.Write(wctx, websocket.MessageText, mustJSON(u))
			cancel()
			if err != nil {
				return // the reader notices the socket is gone
			}
		}
		first = false
		select { // space the updates: a burst of changes goes as its last one
		case <-ctx.Done():
			return
		case <-time.After(presenceMinGap):
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only this package's plain structs come here
	}
	return b
}

// presencePollWait bounds one presence request on the long-poll fallback.
const presencePollWait = 5 * time.Second

// pollPresence is presence on the long-poll fallback (no socket to ride): this desktop's own
// goes up when the app says it (teamwire.PathPresence, POST), and the others' whole picture
// comes down every teamwire.PresenceRefreshActive and after each update (GET), until ctx ends.
// Nothing closes here when the app dies: the hub lets a polled desktop's presence lapse by its TTL.
func (r *Replica) pollPresence(ctx context.Context) {
	tick := time.NewTicker(teamwire.PresenceRefreshActive)
	defer tick.Stop()
	kick := r.pres.kicked()
	var sentAt time.Time
	for {
		r.pres.mu.Lock()
		u, at := r.pres.mine, r.pres.mineAt
		r.pres.mu.Unlock()
		if at.After(sentAt) {
			sentAt = at
			rctx, cancel := context.WithTimeout(ctx, presencePollWait)
			_, _, err := r.do(rctx, http.MethodPost, teamwire.PathPresence, nil, mustJSON(u))
			cancel()
			if err != nil && ctx.Err() == nil {
				r.log.Debug("replica: presence post", "err", err)
			}
		}
		rctx, cancel := context.WithTimeout(ctx, presencePollWait)
		_, body, err := r.do(rctx, http.MethodGet, teamwire.PathPresence, nil, nil)
		cancel()
		if err == nil {
			err = r.applyPresence(body)
		}
		if err != nil && ctx.Err() == nil {
			r.log.Debug("replica: presence poll", "err", err)
			r.forgetPresence() // nothing tells us what we showed still holds
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-kick:
		}
		select { // space the requests: a burst of changes goes as its last one
		case <-ctx.Done():
			return
		case <-time.After(presenceMinGap):
		}
	}
}
