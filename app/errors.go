package app

import (
	"errors"
	"log/slog"

	"switchboard/backend/channel"
	"switchboard/backend/core"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// UIError is how a failed binding call reaches the UI (Wails' ErrorFormatter): a stable code the
// UI turns into words in the manager's language, and the original text for details.
type UIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorCodes maps the errors a manager can meet to codes the UI translates. Order matters only
// for errors that wrap more than one of these.
var errorCodes = []struct {
	err  error
	code string
}{
	{core.ErrDeleteWindowPassed, "delete_window"},
	{core.ErrNotEditable, "not_editable"},
	{core.ErrTextTooLong, "text_too_long"},
	{core.ErrEmptyMessage, "empty_message"},
	{channel.ErrUnauthorized, "token_rejected"},
	{channel.ErrWebhook, "webhook"},
	{channel.ErrConflict, "conflict"},
	{channel.ErrRateLimited, "rate_limited"},
	{channel.ErrTemporary, "offline"},
	{channel.ErrPermanent, "rejected"},
	{secrets.ErrNoKeyring, "no_keyring"},
	{errDuplicate, "duplicate"},
	{inbox.ErrNoEngine, "no_engine"},
	{inbox.ErrNoToken, "invalid"},
	{inbox.ErrInvalid, "invalid"},
	{store.ErrNotFound, "not_found"},
}

// formatError is the Wails ErrorFormatter: known errors get a code, the rest "internal". Every
// error is logged without its arguments (they may hold client text).
func formatError(err error) any {
	// A connector's reason (unreachable, TLS, an error page, not the API) names the problem more
	// exactly than its class; the message is then the server's status and words alone.
	var apiErr *channel.APIError
	if errors.As(err, &apiErr) && apiErr.Reason != "" {
		return UIError{Code: apiErr.Reason, Message: apiErr.Description}
	}
	for _, c := range errorCodes {
		if errors.Is(err, c.err) {
			return UIError{Code: c.code, Message: err.Error()}
		}
	}
	slog.Warn("binding call failed", "err", err)
	return UIError{Code: "internal", Message: err.Error()}
}
