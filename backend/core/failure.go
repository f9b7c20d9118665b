package core

import "strings"

// Why a send, an edit, a delete or a channel's polling did not go through, as data: a code the
// UI words in the person's language (frontend/src/lib/errors.ts), never a sentence. Codes shared
// with the errors a call can return (rejected, offline, token_rejected…) mean the same there.
const (
	FailRejected      = "rejected"       // the messenger refused, for no reason we single out
	FailBlocked       = "blocked"        // the client blocked the bot or does not accept its messages
	FailTooLong       = "text_too_long"  // the messenger found the text too long
	FailNotEditable   = "not_editable"   // the messenger will not edit this message
	FailDeleteWindow  = "delete_window"  // the messenger will not delete this message any more
	FailOffline       = "offline"        // the network or the messenger's servers did not answer
	FailUnreachable   = "unreachable"    // no HTTP answer at all: DNS, refused, timeout
	FailTLS           = "tls"            // the TLS handshake or the certificate failed
	FailServerError   = "server_error"   // an HTTP answer, but an error page (status and its words)
	FailNotBotAPI     = "not_bot_api"    // an HTTP answer that is not the messenger's API at all
	FailRateLimited   = "rate_limited"   // the messenger asked to slow down
	FailTokenRejected = "token_rejected" // the channel's token was rejected
	FailWebhook       = "webhook"        // a webhook blocks polling
	FailConflict      = "conflict"       // another program polls the bot
	FailNotConnected  = "not_connected"  // the channel is not connected; the row waits for it
	FailNotConfirmed  = "not_confirmed"  // the app stopped while sending: it may or may not have arrived
	FailNoToken       = "no_channel_token"
	FailStoreFailed   = "store_failed" // incoming messages could not be saved; they come again
	FailInFlight      = "in_flight"    // an outbox row handed to the messenger, outcome not yet known
	// Why the desktop has no tray icon (closing the window then quits).
	FailNoSessionBus = "no_session_bus"
	FailNoTrayHost   = "no_tray_host"
)

// FailureCodes lists the codes above that a person can see (in_flight is the outbox's own mark).
func FailureCodes() []string {
	return []string{FailRejected, FailBlocked, FailTooLong, FailNotEditable, FailDeleteWindow, FailOffline,
		FailUnreachable, FailTLS, FailServerError, FailNotBotAPI,
		FailRateLimited, FailTokenRejected, FailWebhook, FailConflict, FailNotConnected, FailNotConfirmed,
		FailNoToken, FailStoreFailed, FailNoSessionBus, FailNoTrayHost}
}

// MessageFailure is what a message's error column holds: the reason of a failed send, or
// "edit:<reason>" / "delete:<reason>" for an edit or a delete the messenger refused (the message
// then shows its old text, or is back from deleted).
func MessageFailure(action OutboxAction, reason string) string {
	if action == ActionSend || action == "" {
		return reason
	}
	return string(action) + ":" + reason
}

// ParseMessageFailure splits a message's error into the action that failed and its reason.
func ParseMessageFailure(s string) (OutboxAction, string) {
	if a, r, ok := strings.Cut(s, ":"); ok && (a == string(ActionEdit) || a == string(ActionDelete)) {
		return OutboxAction(a), r
	}
	return ActionSend, s
}
