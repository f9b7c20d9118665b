package hubclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Codes of every failure a person can meet when the desktop talks to a hub. They are data: the
// UI words each in the manager's language (frontend/src/lib/errors.ts). They carry the "hub_"
// prefix because the messengers' codes (unreachable, tls, …) are worded about a Bot API server.
const (
	CodeBadURL        = "hub_bad_url"            // not an http(s) address
	CodeInsecureURL   = "hub_insecure_url"       // plain http:// to another machine: the password would cross the network readable
	CodeUnreachable   = "hub_unreachable"        // no answer: refused, no route, DNS, timeout
	CodeTLS           = "hub_tls"                // the secure connection failed: certificate, or http/https mixed up
	CodeNotAHub       = "hub_not_a_hub"          // something answered, but not a Switchboard hub
	CodeOtherVersion  = "hub_other_version"      // a Switchboard hub speaking another API version; Detail: its version
	CodeServerError   = "hub_server_error"       // the hub failed (5xx); Detail: the HTTP status
	CodeLoginFailed   = "hub_login_failed"       // wrong e-mail or password, or a disabled account (the hub does not tell which)
	CodeRateLimited   = "hub_rate_limited"       // too many sign-in attempts; Detail: seconds to wait
	CodeSessionEnded  = "hub_session_ended"      // signed out elsewhere, expired, password changed, account disabled
	CodeForbidden     = "hub_forbidden"          // an admin's action asked by a manager
	CodeNotFound      = "hub_not_found"          // no such user or session
	CodeNotConnected  = "hub_not_connected"      // a team call while this desktop is solo
	CodeInvalidEmail  = "hub_invalid_email"      //
	CodeInvalidName   = "hub_invalid_name"       // Detail: the most characters
	CodeInvalidRole   = "hub_invalid_role"       //
	CodePasswordShort = "hub_password_too_short" // Detail: the fewest characters
	CodePasswordLong  = "hub_password_too_long"  //
	CodeEmailTaken    = "hub_email_taken"        //
	CodeLastAdmin     = "hub_last_admin"         // the company would have no active admin left
	CodeBadRequest    = "hub_bad_request"        // the hub refused the request's form (a bug on one side)
	CodeDiskFull      = "hub_disk_full"          // the hub's disk is full: writes wait and go later
)

// ErrorCodes lists every code, for the UI's table of words (backend/inbox.ErrorCodes adds them).
var ErrorCodes = []string{
	CodeBadURL, CodeInsecureURL, CodeUnreachable, CodeTLS, CodeNotAHub, CodeOtherVersion, CodeServerError,
	CodeLoginFailed, CodeRateLimited, CodeSessionEnded, CodeForbidden, CodeNotFound, CodeNotConnected,
	CodeInvalidEmail, CodeInvalidName, CodeInvalidRole, CodePasswordShort, CodePasswordLong, CodeEmailTaken,
	CodeLastAdmin, CodeBadRequest, CodeDiskFull,
}

// apiCodes maps the hub's own answer codes (backend/hub/errors.go) to the client's.
var apiCodes = map[string]string{
	"unauthorized":       CodeSessionEnded,
	"forbidden":          CodeForbidden,
	"not_found":          CodeNotFound,
	"bad_request":        CodeBadRequest,
	"request_too_large":  CodeBadRequest,
	"invalid_email":      CodeInvalidEmail,
	"invalid_role":       CodeInvalidRole,
	"invalid_name":       CodeInvalidName,
	"password_too_short": CodePasswordShort,
	"password_too_long":  CodePasswordLong,
	"login_failed":       CodeLoginFailed,
	"login_rate_limited": CodeRateLimited,
	"email_taken":        CodeEmailTaken,
	"last_admin":         CodeLastAdmin,
	"internal":           CodeServerError,
	"disk_full":          CodeDiskFull,
}

// Error is a failed hub call: a stable Code for the person, an optional Detail for the words'
// slot (seconds to wait, a character limit, the other hub's version, an HTTP status), and the
// cause for the log. It never holds a password or a token.
type Error struct {
	Code   string
	Detail string
	// RetryAfter is how long to wait before signing in again (CodeRateLimited).
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	s := "hub: " + e.Code
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, &Error{Code: c}) match any Error with code c.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrNotConnected: a team call on a desktop that is not signed in to a hub.
var ErrNotConnected = &Error{Code: CodeNotConnected}

// CodeOf is err's code, "" when err is not a hub call's failure.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// TransportError classifies a failure to get any HTTP answer: a TLS problem, or unreachable.
// The replica words its feed's failures with it too, so a certificate problem while following
// reads the same as when connecting.
func TransportError(err error) *Error {
	var (
		verify    *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
		alert     tls.AlertError
	)
	if errors.As(err, &verify) || errors.As(err, &unknownCA) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &record) || errors.As(err, &alert) {
		return &Error{Code: CodeTLS, Err: err}
	}
	// net/http's words for an https:// address answered in plain HTTP; it has no error type.
	if strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return &Error{Code: CodeTLS, Err: err}
	}
	return &Error{Code: CodeUnreachable, Err: err}
}

// AnswerCode is the client's code for a hub's error answer (its HTTP status and its own code):
// the code the account calls word, CodeServerError for any other failure of the hub, and "" for
// a refusal this package does not word (the sync API's own codes, which the caller keeps).
func AnswerCode(status int, code string) string {
	if c, ok := apiCodes[code]; ok {
		return c
	}
	if status >= 500 {
		return CodeServerError
	}
	return ""
}

// answerError turns a hub's error answer into an Error. status is the HTTP status; code and
// params are the hub's {code, params} (code "" when the body was not one).
func answerError(status int, code string, params map[string]any, retryHeader string) *Error {
	mapped := AnswerCode(status, code)
	if mapped == "" {
		return &Error{Code: CodeNotAHub, Detail: strconv.Itoa(status), Err: fmt.Errorf("HTTP %d without a hub error code", status)}
	}
	e := &Error{Code: mapped, Err: fmt.Errorf("HTTP %d %s", status, code)}
	switch mapped {
	case CodeServerError:
		e.Detail = strconv.Itoa(status)
	case CodeRateLimited:
		secs := intParam(params, "retryAfterSeconds")
		if secs <= 0 {
			secs, _ = strconv.Atoi(retryHeader)
		}
		if secs <= 0 {
			secs = 60
		}
		e.RetryAfter = time.Duration(secs) * time.Second
		e.Detail = strconv.Itoa(secs)
	case CodePasswordShort:
		e.Detail = strconv.Itoa(intParam(params, "min"))
	case CodeInvalidName:
		e.Detail = strconv.Itoa(intParam(params, "max"))
	}
	return e
}

func intParam(params map[string]any, key string) int {
	if f, ok := params[key].(float64); ok {
		return int(f)
	}
	return 0
}
