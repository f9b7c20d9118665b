package replica

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/hubclient"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// The desktop's writes in replica mode (inbox.Remote): each is shown locally at once and queued
// as a pending mutation in the same step; the uplink takes it to the hub.

// SendText queues a text message: a local copy with a negative id shows it as queued until the
// hub's row, which carries the same mutation key, replaces it.
func (r *Replica) SendText(ctx context.Context, chatID int64, text string, replyToID int64) (core.Message, error) {
	body, err := mutationBody(teamwire.Mutation{Kind: teamwire.MutSendText, ChatID: chatID, Text: text, ReplyToID: replyToID})
	if err != nil {
		return core.Message{}, fmt.Errorf("replica: send: %w", err)
	}
	key := func(id int64) string { return teamwire.Key{Client: r.clientID, ID: id}.String() }
	m, _, err := r.st.QueueReplicaSend(ctx, teamwire.MutSendText, chatID, r.Me(), text, replyToID, nil, body, key, r.cfg.Now())
	if err != nil {
		return core.Message{}, err
	}
	r.queued(ctx)
	return m, nil
}

// AddNote queues an internal note: like a send, a local copy with a negative id shows it until
// the hub's note (with the same key, and its mentions) replaces it.
func (r *Replica) AddNote(ctx context.Context, chatID int64, text string, mentions []int64) (core.Message, error) {
	body, err := mutationBody(teamwire.Mutation{Kind: teamwire.MutNote, ChatID: chatID, Text: text, Mentions: mentions})
	if err != nil {
		return core.Message{}, fmt.Errorf("replica: note: %w", err)
	}
	key := func(id int64) string { return teamwire.Key{Client: r.clientID, ID: id}.String() }
	m, _, err := r.st.QueueReplicaSend(ctx, teamwire.MutNote, chatID, r.Me(), text, 0, mentions, body, key, r.cfg.Now())
	if err != nil {
		return core.Message{}, err
	}
	r.queued(ctx)
	return m, nil
}

// MarkRead queues a read mark and marks the chat read locally.
func (r *Replica) MarkRead(ctx context.Context, chatID int64) error {
	body, err := mutationBody(teamwire.Mutation{Kind: teamwire.MutMarkRead, ChatID: chatID})
	if err != nil {
		return fmt.Errorf("replica: mark read: %w", err)
	}
	// Queued first: if the local change were lost in a crash, the hub's answer brings it back.
	if _, err := r.st.QueueMutation(ctx, teamwire.MutMarkRead, chatID, body, true, r.cfg.Now()); err != nil {
		return err
	}
	r.queued(ctx)
	return r.st.MarkRead(ctx, chatID, r.cfg.Now())
}

// SaveDraft queues the manager's draft (replacing an unsent earlier one of the chat) and saves
// it locally, both stamped with the time it was written: the newest write of the manager's
// draft wins at the hub and on each of their desktops (store.SaveManagerDraft).
func (r *Replica) SaveDraft(ctx context.Context, d core.Draft) error {
	now := r.cfg.Now()
	d.UpdatedAt = now.UnixMilli()
	body, err := mutationBody(teamwire.Mutation{Kind: teamwire.MutDraft, ChatID: d.ChatID, Text: d.Text,
		Constructor: d.Constructor, ReplyToID: d.ReplyToID, WrittenAt: d.UpdatedAt})
	if err != nil {
		return fmt.Errorf("replica: draft: %w", err)
	}
	if _, err := r.st.QueueMutation(ctx, teamwire.MutDraft, d.ChatID, body, true, now); err != nil {
		return err
	}
	r.queued(ctx)
	return r.st.SaveOwnDraft(ctx, d, now)
}

// Mutate stores any mutation for the hub without a local effect (inbox.Remote: edits, deletes,
// archive and blacklist; the headless tools); the hub's answer comes back through the feed.
func (r *Replica) Mutate(ctx context.Context, m teamwire.Mutation) error {
	if m.Kind == teamwire.MutSendText {
		_, err := r.SendText(ctx, m.ChatID, m.Text, m.ReplyToID)
		return err
	}
	body, err := mutationBody(m)
	if err != nil {
		return err
	}
	if _, err := r.st.QueueMutation(ctx, m.Kind, m.ChatID, body, false, r.cfg.Now()); err != nil {
		return err
	}
	r.queued(ctx)
	return nil
}

func (r *Replica) queued(ctx context.Context) {
	r.refreshPending(ctx)
	signal(r.kickUp)
}

// Enqueue queues a mutation in the data directory of a replica that may not be running (the
// headless `switchboard-hub send`): the replica delivers it when it runs.
func Enqueue(ctx context.Context, st *store.Store, m teamwire.Mutation) error {
	client, ok, err := st.Setting(ctx, keyClient)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotAReplica
	}
	r := &Replica{st: st, clientID: client, kickUp: make(chan struct{}, 1), cfg: Config{Now: time.Now}}
	if v, ok, err := st.Setting(ctx, keyMe); err == nil && ok {
		r.me, _ = strconv.ParseInt(v, 10, 64)
	}
	return r.Mutate(ctx, m)
}

// ErrNotAReplica: the data directory has never followed a hub.
var ErrNotAReplica = errors.New("replica: this data directory is not a hub replica")

// reasonAdminOnly is the inbox's code for a change only an admin may make (inbox.ErrAdminOnly).
const reasonAdminOnly = "admin_only"

// directClient is the suffix of the client id in the keys of mutations posted at once, apart
// from the pending table's numbering.
const directClient = "-direct"

// PostNow has the hub apply a mutation at once and answers its result (inbox.Remote): claims,
// whose compare-and-set needs the hub's answer now, and tasks, whose rows take their ids at the
// hub. The loser of a claim race hears who won (the hub's refusal with the owner's name);
// offline it is refused as unreachable rather than done locally. What changed comes back
// through the feed.
func (r *Replica) PostNow(ctx context.Context, m teamwire.Mutation) (teamwire.MutationResult, error) {
	if !teamwire.Immediate(m.Kind) {
		return teamwire.MutationResult{}, fmt.Errorf("replica: %s is queued, not posted at once", m.Kind)
	}
	if m.Token != "" {
		// A channel's token crosses the network only encrypted, or not at all (loopback).
		if _, err := hubclient.ParseURL(r.cfg.HubURL); err != nil {
			return teamwire.MutationResult{}, err
		}
	}
	body, err := mutationBody(m)
	if err != nil {
		return teamwire.MutationResult{}, err
	}
	h := http.Header{}
	h.Set(teamwire.IdempotencyHeader, teamwire.Key{Client: r.clientID + directClient, ID: r.directKeys.Add(1)}.String())
	_, b, err := r.do(ctx, http.MethodPost, teamwire.PathMutations, h, []byte(body))
	var he *hubError
	switch {
	case err == nil:
		return teamwire.ParseMutationResult(b)
	case errors.As(err, &he) && he.Status == http.StatusUnprocessableEntity && he.Reason != "":
		params := he.Params
		delete(params, "reason")
		return teamwire.MutationResult{}, &teamwire.Refusal{Reason: he.Reason, Params: params}
	case errors.As(err, &he) && he.Status == http.StatusForbidden:
		// A company setting from a manager's session: the hub's own check, in the inbox's words.
		return teamwire.MutationResult{}, &teamwire.Refusal{Reason: reasonAdminOnly}
	case errors.As(err, &he) && he.Status == http.StatusUnauthorized:
		return teamwire.MutationResult{}, &hubclient.Error{Code: hubclient.CodeSessionEnded, Err: err}
	case errors.As(err, &he) || errors.Is(err, errSignedOut):
		return teamwire.MutationResult{}, fmt.Errorf("replica: %s: %w", m.Kind, err)
	default:
		return teamwire.MutationResult{}, &hubclient.Error{Code: hubclient.CodeUnreachable, Err: err}
	}
}
