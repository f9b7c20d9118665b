package replica

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"switchboard/backend/hubclient"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// uplinkBatch is how many pending mutations one look at the table takes.
const uplinkBatch = 50

// pendingPoll is how often an idle uplink looks at the table anyway.
const pendingPoll = 2 * time.Second

// uplink posts pending mutations to the hub, oldest first, one at a time (a send before the
// edit of it), until ctx ends. A mutation leaves the table only when the hub has answered it:
// applied (2xx) or refused for good (4xx); anything else is retried with backoff, with the same
// key, so the hub applies it once however often it is posted.
func (r *Replica) uplink(ctx context.Context) {
	b := backoff{min: r.cfg.MinBackoff, max: r.cfg.MaxBackoff}
	for ctx.Err() == nil {
		r.refreshPending(ctx)
		pending, err := r.st.PendingMutations(ctx, uplinkBatch)
		if err != nil {
			r.log.Warn("replica: read pending mutations", "err", err)
		}
		if len(pending) == 0 || err != nil {
			select {
			case <-ctx.Done():
				return
			case <-r.kickUp:
			case <-time.After(pendingPoll): // writes queued by another process (switchboard-hub send)
			}
			continue
		}
		failed := false
		for _, p := range pending {
			if err := r.post(ctx, p); err != nil {
				if ctx.Err() != nil {
					return
				}
				r.log.Info("replica: mutation not delivered yet", "id", p.ID, "kind", p.Kind, "err", err)
				c := code(err)
				r.st.PendingRetry(ctx, p.ID, c)
				r.noteUplink(c)
				failed = true
				break
			}
			r.noteUplink("")
			b.reset()
		}
		r.refreshPending(ctx)
		if failed && !sleep(ctx, b.next(), r.kickUp) {
			return
		}
	}
}

// noteUplink shows in the status why writes wait when the person can act on it (a full disk, on
// this computer or at the hub); a delivery clears it.
func (r *Replica) noteUplink(c string) {
	full := func(c string) bool { return c == codeDiskFull || c == hubclient.CodeDiskFull }
	r.setStatus(func(s *Status) {
		if full(c) || (c == "" && full(s.LastError)) {
			s.LastError = c
		}
	})
}

// post delivers one mutation. It returns an error only when the mutation should be tried again.
func (r *Replica) post(ctx context.Context, p store.PendingMutation) error {
	key := teamwire.Key{Client: r.clientID, ID: p.ID}.String()
	h := http.Header{}
	h.Set(teamwire.IdempotencyHeader, key)
	_, body, err := r.do(ctx, http.MethodPost, teamwire.PathMutations, h, []byte(p.Body))
	if he, ok := err.(*hubError); ok && permanent(he.Status) {
		reason := he.Code
		if he.Reason != "" {
			reason = he.Reason
		}
		r.log.Warn("replica: the hub refused a mutation", "id", p.ID, "kind", p.Kind, "code", he.Code, "reason", he.Reason)
		return r.st.PendingRefused(ctx, p, reason, r.cfg.Now())
	}
	if err != nil {
		return err
	}
	res, err := teamwire.ParseMutationResult(body)
	if err == nil && res.Message != nil {
		// The hub's row replaces the local copy now, unless the feed was first.
		if err := r.st.ApplyMutationAnswer(ctx, *res.Message); err != nil {
			r.log.Warn("replica: apply a mutation's message", "err", err)
		}
	}
	return r.st.PendingDelivered(ctx, p.ID)
}

// permanent says whether an answer refuses a mutation for good: malformed (400), not allowed
// (403), too large (413) or refused by the inbox (422). Anything else is waited out: 401 renews
// the session, 404 is a hub without the sync API (an older version), 5xx and 429 come back later.
func permanent(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// mutationBody encodes a mutation for the pending table.
func mutationBody(m teamwire.Mutation) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	b, err := json.Marshal(m)
	return string(b), err
}
