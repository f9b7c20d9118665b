package hub

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Error codes the API answers with, as {"code": …, "params": {…}}. They are data for the desktop,
// which words each in the manager's language; the hub never sends a sentence.
const (
	CodeUnauthorized     = "unauthorized"       // no session, or not a live one: sign in again
	CodeForbidden        = "forbidden"          // the session's role may not do this
	CodeNotFound         = "not_found"          // no such route, user or session
	CodeBadRequest       = "bad_request"        // params.reason: invalid_json, unknown_field, …
	CodeRequestTooLarge  = "request_too_large"  // params.max: bytes
	CodeInvalidEmail     = "invalid_email"      //
	CodeInvalidRole      = "invalid_role"       //
	CodeInvalidName      = "invalid_name"       // params.max: characters
	CodePasswordTooShort = "password_too_short" // params.min: characters
	CodePasswordTooLong  = "password_too_long"  // params.max: bytes
	CodeLoginFailed      = "login_failed"       // wrong e-mail or password, or a disabled account
	CodeLoginRateLimited = "login_rate_limited" // params.retryAfterSeconds
	CodeEmailTaken       = "email_taken"        //
	CodeLastAdmin        = "last_admin"         // the company would have no active admin left
	CodeInternal         = "internal"           // the hub failed; the log says why
	CodeInvalidMutation  = "invalid_mutation"   // params.reason: teamwire's (unknown_kind, missing_chat, …)
	CodeMutationRefused  = "mutation_refused"   // params.reason: the inbox's error code (text_too_long, …)
	CodeNoSync           = "sync_unavailable"   // this hub serves accounts only (no engine behind it)
	CodeDiskFull         = "disk_full"          // the hub's disk (or its --max-db-mb) is full: retry later, nothing was changed
)

// ErrorCodes lists every code, for the desktop's table of words (a test there can enumerate it).
var ErrorCodes = []string{
	CodeUnauthorized, CodeForbidden, CodeNotFound, CodeBadRequest, CodeRequestTooLarge,
	CodeInvalidEmail, CodeInvalidRole, CodeInvalidName, CodePasswordTooShort, CodePasswordTooLong,
	CodeLoginFailed, CodeLoginRateLimited, CodeEmailTaken, CodeLastAdmin, CodeInternal,
	CodeInvalidMutation, CodeMutationRefused, CodeNoSync, CodeDiskFull,
}

// apiError is an answer that is not a success: an HTTP status and a code with parameters.
type apiError struct {
	Status int            `json:"-"`
	Code   string         `json:"code"`
	Params map[string]any `json:"params"`
}

func (e *apiError) Error() string { return e.Code }

func newError(status int, code string, params map[string]any) *apiError {
	if params == nil {
		params = map[string]any{}
	}
	return &apiError{Status: status, Code: code, Params: params}
}

func badRequest(reason string) *apiError {
	return newError(http.StatusBadRequest, CodeBadRequest, map[string]any{"reason": reason})
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.Code == CodeLoginRateLimited {
		if s, ok := e.Params["retryAfterSeconds"].(int); ok {
			w.Header().Set("Retry-After", strconv.Itoa(s))
		}
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="switchboard-hub"`)
	}
	writeJSON(w, e.Status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
