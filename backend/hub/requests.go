package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchboard/backend/store"
)

// maxBody bounds every request body: the largest legitimate one (a new user) is well under 2 KB.
const maxBody = 16 << 10

// Field limits.
const (
	maxEmailBytes = 254
	maxNameChars  = 100
	maxURLBytes   = 2048
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type addUserRequest struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatarUrl"`
	Role      string `json:"role"`
	Password  string `json:"password"`
}

type roleRequest struct {
	Role string `json:"role"`
}

type disabledRequest struct {
	Disabled *bool `json:"disabled"`
}

type passwordRequest struct {
	Password string `json:"password"`
}

// readBody reads at most maxBody bytes of the request.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	return readBodyUpTo(w, r, maxBody)
}

// readBodyUpTo reads at most max bytes of the request (a mutation may carry a draft).
func readBodyUpTo(w http.ResponseWriter, r *http.Request, max int64) ([]byte, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, newError(http.StatusRequestEntityTooLarge, CodeRequestTooLarge, map[string]any{"max": max})
	}
	if err != nil {
		return nil, badRequest("unreadable_body")
	}
	return body, nil
}

// decodeStrict fills v from exactly one JSON object with no unknown fields and nothing after it.
func decodeStrict(body []byte, v any) *apiError {
	if len(body) > maxBody {
		return newError(http.StatusRequestEntityTooLarge, CodeRequestTooLarge, map[string]any{"max": maxBody})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if strings.HasPrefix(err.Error(), "json: unknown field") {
			return badRequest("unknown_field")
		}
		return badRequest("invalid_json")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("invalid_json")
	}
	return nil
}

func parseLogin(body []byte) (loginRequest, *apiError) {
	var req loginRequest
	if e := decodeStrict(body, &req); e != nil {
		return loginRequest{}, e
	}
	// A login with an oversized field is answered like a wrong password: it cannot be right.
	if req.Email == "" || req.Password == "" || len(req.Email) > maxEmailBytes || len(req.Password) > MaxPasswordBytes {
		return loginRequest{}, newError(http.StatusUnauthorized, CodeLoginFailed, nil)
	}
	return req, nil
}

func parseAddUser(body []byte) (addUserRequest, *apiError) {
	var req addUserRequest
	if e := decodeStrict(body, &req); e != nil {
		return addUserRequest{}, e
	}
	email, e := checkEmail(req.Email)
	if e != nil {
		return addUserRequest{}, e
	}
	req.Email = email
	if req.Name, e = checkName(req.Name); e != nil {
		return addUserRequest{}, e
	}
	if e := checkAvatarURL(req.AvatarURL); e != nil {
		return addUserRequest{}, e
	}
	if !store.ValidRole(req.Role) {
		return addUserRequest{}, newError(http.StatusBadRequest, CodeInvalidRole, nil)
	}
	if code, params := CheckPassword(req.Password); code != "" {
		return addUserRequest{}, newError(http.StatusBadRequest, code, params)
	}
	return req, nil
}

func parseRole(body []byte) (roleRequest, *apiError) {
	var req roleRequest
	if e := decodeStrict(body, &req); e != nil {
		return roleRequest{}, e
	}
	if !store.ValidRole(req.Role) {
		return roleRequest{}, newError(http.StatusBadRequest, CodeInvalidRole, nil)
	}
	return req, nil
}

func parseDisabled(body []byte) (bool, *apiError) {
	var req disabledRequest
	if e := decodeStrict(body, &req); e != nil {
		return false, e
	}
	if req.Disabled == nil {
		return false, badRequest("missing_field")
	}
	return *req.Disabled, nil
}

func parsePassword(body []byte) (passwordRequest, *apiError) {
	var req passwordRequest
	if e := decodeStrict(body, &req); e != nil {
		return passwordRequest{}, e
	}
	if code, params := CheckPassword(req.Password); code != "" {
		return passwordRequest{}, newError(http.StatusBadRequest, code, params)
	}
	return req, nil
}

// CheckEmail returns the address in its stored form, or the invalid_email error. Only a bare
// address is accepted (no display name, no comments), so what is stored is what signs in.
func checkEmail(raw string) (string, *apiError) {
	email := store.NormalizeEmail(raw)
	if email == "" || len(email) > maxEmailBytes || !utf8.ValidString(email) {
		return "", newError(http.StatusBadRequest, CodeInvalidEmail, nil)
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email {
		return "", newError(http.StatusBadRequest, CodeInvalidEmail, nil)
	}
	return email, nil
}

// checkName trims a display name and refuses an empty, overlong or control-character one.
func checkName(raw string) (string, *apiError) {
	name := strings.TrimSpace(raw)
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameChars ||
		strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", newError(http.StatusBadRequest, CodeInvalidName, map[string]any{"max": maxNameChars})
	}
	return name, nil
}

// checkAvatarURL accepts "" or an https:// URL (the desktop loads it as an image, nothing else).
func checkAvatarURL(raw string) *apiError {
	if raw == "" {
		return nil
	}
	if len(raw) > maxURLBytes || !strings.HasPrefix(raw, "https://") || strings.IndexFunc(raw, unicode.IsSpace) >= 0 ||
		strings.IndexFunc(raw, unicode.IsControl) >= 0 {
		return badRequest("invalid_avatar_url")
	}
	return nil
}
