// Package inbox holds every use case, once, for the desktop's bindings and the hub's API alike:
// the first screen (bootstrap.go); list, search, filter, history, read, notes, switches, saved
// filters, settings and merges (read.go); sending, editing, deleting and retrying (send.go); the
// composer's drafts, templates, constructor, attachments and voice notes (compose*.go); channels,
// tokens, webhooks, statuses, lead links and per-channel notifications (channels.go). The codes
// of every error a person can meet are declared in errors.go. Methods validate and clamp what
// they are given before it reaches the store. backend/engine composes a Service with the running
// channel machinery.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchboard/backend/channel"
	"switchboard/backend/store"
)

// Service is the inbox. Fields are exported and plain so the app and the hub can wire it and
// other files of this package can add what they need.
type Service struct {
	Store *store.Store
	// Me is the id of the manager using this machine (managers.is_me).
	Me int64
	// Now is the clock; tests replace it.
	Now func() time.Time
	// SafetyTick bounds how long Follow can miss a change if a commit signal were lost
	// (for example a write made by another process on the same file).
	SafetyTick time.Duration
	// Admin says whether Me is an admin (may take over others' chats). nil = solo mode, where
	// the one manager is.
	Admin func(ctx context.Context) bool
	// Channels runs the channels (pollers, outbox worker, tokens); backend/engine sets it.
	// Without it sends only queue.
	Channels *Channels
	// Remote, in replica mode (team), takes the writes it covers instead of the local outbox
	// (team.go); nil in solo mode and on the hub.
	Remote Remote
	// Checks makes connectors that only check a token (who the bot is, a webhook) where no
	// channels run: a replica, whose hub runs them (channels.go).
	Checks channel.Factory
}

// ErrInvalid marks input the UI should not have sent; the message says what was wrong.
var ErrInvalid = errors.New("invalid input")

// New builds the inbox over st, loading (or creating) the current manager.
func New(st *store.Store) (*Service, error) {
	if st == nil {
		return nil, errors.New("inbox: no store")
	}
	me, err := st.Me(context.Background())
	if err != nil {
		return nil, fmt.Errorf("inbox: load current manager: %w", err)
	}
	return &Service{Store: st, Me: me.ID, Now: time.Now, SafetyTick: 5 * time.Second}, nil
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("inbox: %w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
