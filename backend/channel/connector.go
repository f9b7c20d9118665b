// Package channel connects Switchboard to messengers: the Connector interface each messenger
// implements, the poller supervisor that runs one poll loop per channel, and the outbox worker
// that delivers queued sends, edits and deletes.
package channel

import (
	"context"
	"errors"
	"time"

	"switchboard/backend/core"
)

// Connector is one messenger account (a Telegram bot or a VK community) with its token.
type Connector interface {
	// Check validates the token and returns what the bot/community is.
	Check(ctx context.Context) (core.BotInfo, error)
	// Poll long-polls once from cursor ("" = start) and returns the normalised batch and the
	// cursor to acknowledge after the batch is committed. It must not acknowledge by itself.
	Poll(ctx context.Context, cursor string) (core.Batch, error)
	// Do performs one outgoing action.
	Do(ctx context.Context, out core.Outgoing) (core.Sent, error)
	// Download fetches an attachment's bytes (Telegram getFile, ≤ 20 MB) into dst.
	Download(ctx context.Context, a core.Attachment, dst string) error
}

// Error classes a connector returns (wrapped) so the supervisor and the outbox worker can
// decide: wait, stop, or back off. Use errors.As with *APIError for the details.
var (
	ErrUnauthorized = errors.New("token rejected")        // 401 / VK 5: stop, ask for a new token
	ErrConflict     = errors.New("another poller active") // 409: stop, show the conflict
	ErrWebhook      = errors.New("webhook is set")        // 409 webhook: offer deleteWebhook
	ErrRateLimited  = errors.New("rate limited")          // 429 / VK 6, 9: wait RetryAfter
	ErrTemporary    = errors.New("temporary failure")     // network, 5xx, timeouts: back off
	ErrPermanent    = errors.New("rejected")              // 400/403 and the like: do not retry
)

// APIError is a messenger's error with its class, code and the messenger's own words.
type APIError struct {
	Class       error // one of the Err* above
	Code        int
	Description string
	RetryAfter  time.Duration
	// Reason is the failure code (core.Fail*) when the connector knows more than the class, such
	// as "the client blocked the bot"; empty means the class says it all.
	Reason string
}

func (e *APIError) Error() string { return e.Description }
func (e *APIError) Unwrap() error { return e.Class }
