package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// Team mode's use cases, both sides: the hub applies a desktop's mutations as the manager who
// sent them (the *As methods), and a desktop in replica mode hands its writes to a Remote
// instead of the local outbox.

// Remote takes a replica's writes: each becomes a pending mutation for the hub (backend/replica
// implements it). The local store shows the write at once; the hub's rows replace it.
type Remote interface {
	SendText(ctx context.Context, chatID int64, text string, replyToID int64) (core.Message, error)
	MarkRead(ctx context.Context, chatID int64) error
	SaveDraft(ctx context.Context, d core.Draft) error
	AddNote(ctx context.Context, chatID int64, text string, mentions []int64) (core.Message, error)
	// Mutate queues any other mutation with no local effect; its result comes back through the
	// hub's feed.
	Mutate(ctx context.Context, m teamwire.Mutation) error
	// LoadOlder fetches and keeps a page of a chat's history older than what the replica
	// holds: how many messages came and whether older ones remain at the hub.
	LoadOlder(ctx context.Context, chatID int64) (int, bool, error)
	// PostNow has the hub apply a mutation now and answers its result (teamwire.Immediate:
	// claims, tasks); refused with the hub's reason (claimed, admin_only, …) or as unreachable.
	PostNow(ctx context.Context, m teamwire.Mutation) (teamwire.MutationResult, error)
}

// ErrTeamUnsupported: a write a replica of a team hub cannot make yet (attachments, voice,
// retries, "read all", dialogues, merging people): refused rather than made in the local
// copy only, where nothing sends it and the hub's next state would undo it.
var ErrTeamUnsupported = errors.New("not available on a replica of a team hub yet")

// remoteOnly refuses, in replica mode, a write that has no mutation yet.
func (s *Service) remoteOnly() error {
	if s.Remote != nil {
		return ErrTeamUnsupported
	}
	return nil
}

// SendTextAs queues a text message written by a manager of the team, carrying the key of the
// mutation that asked for it. Errors: as SendText, and store.ErrMutationApplied for a key
// already used.
func (s *Service) SendTextAs(ctx context.Context, managerID int64, key string, chatID int64, text string, replyToID int64) (core.Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return core.Message{}, fmt.Errorf("inbox: send: %w", core.ErrEmptyMessage)
	}
	if chatID <= 0 || replyToID < 0 || managerID <= 0 {
		return core.Message{}, invalid("chat %d / reply %d / manager %d", chatID, replyToID, managerID)
	}
	m, err := s.Store.QueueSendKeyed(ctx, key, chatID, managerID, text, nil, replyToID, s.now())
	if err != nil {
		return core.Message{}, fmt.Errorf("inbox: send: %w", err)
	}
	s.kick()
	return m, nil
}

// AddNoteAs adds an internal note by a manager of the team, carrying its mutation's key.
// Errors: as AddNote, and store.ErrMutationApplied for a key already used.
func (s *Service) AddNoteAs(ctx context.Context, managerID int64, key string, chatID int64, text string, mentions []int64) (core.Message, error) {
	if chatID <= 0 || managerID <= 0 {
		return core.Message{}, invalid("no chat / manager")
	}
	text = strings.TrimSpace(text)
	if text == "" && len(mentions) == 0 {
		return core.Message{}, core.ErrEmptyMessage
	}
	if utf8.RuneCountInString(text) > maxNoteLen {
		return core.Message{}, core.ErrTextTooLong
	}
	return s.Store.AddNoteKeyed(ctx, key, chatID, managerID, text, mentions, s.now())
}
