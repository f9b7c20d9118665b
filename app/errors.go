package app

import (
	"errors"
	"log/slog"

	"switchboard/backend/channel"
	"switchboard/backend/hubclient"
	"switchboard/backend/inbox"
)

// UIError is how a failed binding call reaches the UI (Wails' ErrorFormatter): a stable code the
// UI turns into words in the manager's language (inbox/errors.go declares the codes), and the
// original text for the developer console only.
type UIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Params are data the code's words name (inbox.ErrorParams: who owns a chat), never words.
	Params map[string]string `json:"params,omitempty"`
}

// errNoWindow: a binding that needs the native window was called before it opened or after it
// closed.
var errNoWindow = errors.New("no window")

// uiError gives err its code. An error without one is logged without its arguments' values
// (they may hold client text: the wrapped messages name ids, never text).
func uiError(err error) UIError {
	code := inbox.ErrorCode(err)
	if code == inbox.CodeInternal {
		slog.Warn("binding call failed", "err", err)
	}
	// A connector's reason (unreachable, TLS, an error page, not the API) comes with the server's
	// status and its own shortened words: the one message a person is shown beside our words.
	var apiErr *channel.APIError
	if errors.As(err, &apiErr) && apiErr.Reason != "" && apiErr.Reason == code {
		return UIError{Code: code, Message: apiErr.Description}
	}
	// A hub call's detail (seconds to wait, a character limit, the hub's version or HTTP status)
	// fills the slot in the words (frontend/src/lib/errors.ts).
	var hubErr *hubclient.Error
	if errors.As(err, &hubErr) && hubErr.Detail != "" {
		return UIError{Code: code, Message: hubErr.Detail}
	}
	return UIError{Code: code, Message: err.Error(), Params: inbox.ErrorParams(err)}
}

// formatError is the Wails ErrorFormatter.
func formatError(err error) any { return uiError(err) }
