// Package channel connects Switchboard to messengers: the Connector interface each messenger
// implements, the poller supervisor that runs one poll loop per channel, and the outbox worker
// that delivers queued sends, edits and deletes.
package channel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"switchboard/backend/core"
	"switchboard/backend/loopback"
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

// TapAnswerer is a connector whose button taps must be answered: Telegram shows a spinner on
// the client's button until the bot answers the callback query. The supervisor calls it after
// the batch with the taps is stored (an unstored batch comes again, and is answered then); the
// answer carries no words, so it is the same for a first, a repeated and a refused tap.
type TapAnswerer interface {
	AnswerTaps(ctx context.Context, tapIDs []string)
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

// Reasons tell a person apart what ErrTemporary lumps together (they all mean "try again
// later" to the supervisor). They are failure codes like any other (core/failure.go).
const (
	ReasonUnreachable = core.FailUnreachable
	ReasonTLS         = core.FailTLS
	ReasonServerError = core.FailServerError
	ReasonNotBotAPI   = core.FailNotBotAPI
)

// MaxRetryAfter bounds how long a server's retry_after (or a rate limit) can stop a channel or
// hold a message: a broken or hostile server cannot park the inbox for days.
const MaxRetryAfter = 15 * time.Minute

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

// RetryDelay is how long to wait before retrying after err: the server's RetryAfter within
// (0, MaxRetryAfter], or fallback.
func RetryDelay(apiErr *APIError, fallback time.Duration) time.Duration {
	if apiErr == nil || apiErr.RetryAfter <= 0 {
		return fallback
	}
	return min(apiErr.RetryAfter, MaxRetryAfter)
}

// maxServerWords is how much of a server's own error page a person is shown.
const maxServerWords = 160

// ServerWords shortens an error page to one line of its text: tags dropped, space folded.
func ServerWords(body []byte) string {
	var b strings.Builder
	inTag := false
	for _, r := range string(body) {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
			b.WriteByte(' ')
		case inTag:
		case unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	words := strings.Join(strings.Fields(b.String()), " ")
	if r := []rune(words); len(r) > maxServerWords {
		words = string(r[:maxServerWords]) + "…"
	}
	return words
}

func (e *APIError) Error() string { return e.Description }
func (e *APIError) Unwrap() error { return e.Class }

// NoRedirects is a copy of hc (or a new client) that never follows a redirect: request URLs and
// bodies carry tokens, and following a redirect would send them (and a Referer with the
// token-bearing URL) wherever the server points. A redirect comes back as the answer, which the
// connector reports as "not the messenger's API".
func NoRedirects(hc *http.Client) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// CheckAPIURL accepts a Bot API server address: https://, or plain http:// only to this machine
// (a local telegram-bot-api server). Every request URL carries the bot's token, so anything
// else would send it readable over the network.
func CheckAPIURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("Bot API server address %q is not an http(s) URL", raw)
	}
	if u.Scheme == "http" && !loopback.Host(u.Hostname()) {
		return fmt.Errorf("Bot API server address %q is plain http:// to another machine, which would send the bot's token unencrypted; use https://", raw)
	}
	return nil
}
