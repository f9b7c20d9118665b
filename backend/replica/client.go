package replica

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"switchboard/backend/hubclient"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

// hubError is an answer of the hub that is not a success: its status and error code.
type hubError struct {
	Status int
	Code   string
	Reason string            // params.reason, when the code has one
	Params map[string]string // every params entry that is a string (a refusal's data)
}

func (e *hubError) Error() string {
	return fmt.Sprintf("hub answered %d %s %s", e.Status, e.Code, e.Reason)
}

// errSignedOut: no session and no credentials to get one.
var errSignedOut = errors.New("replica: signed out")

// codeDiskFull: this computer's disk is full (the inbox's code for store.ErrDiskFull).
const codeDiskFull = "disk_full"

// code is what the status shows for err: hubclient's code for the hub's answer (its own codes
// for the sync API's refusals), a full disk here, or why the hub could not be reached: hub_tls
// for a certificate or an http/https mix-up, hub_unreachable for the rest. The UI words
// hubclient's codes.
func code(err error) string {
	var ce *hubclient.Error
	if errors.As(err, &ce) { // first: it may wrap the hub's answer it explains
		return ce.Code
	}
	var he *hubError
	if errors.As(err, &he) {
		// A full disk at the hub is hub_disk_full, worded apart from this computer's; a hub that
		// failed (its PostgreSQL restarting, say) is the hub's error, not this app's ("restart
		// Switchboard" would be the wrong advice).
		if c := hubclient.AnswerCode(he.Status, he.Code); c != "" {
			return c
		}
		return he.Code
	}
	if errors.Is(err, store.ErrDiskFull) {
		return codeDiskFull
	}
	if errors.Is(err, errSignedOut) {
		return hubclient.CodeSessionEnded
	}
	return hubclient.TransportError(err).Code
}

// unauthorized says whether err means the session is not (or no longer) valid.
func unauthorized(err error) bool {
	var he *hubError
	return errors.As(err, &he) && he.Status == http.StatusUnauthorized
}

// do sends one request to the hub with the session and reads the answer's body. A non-2xx
// answer becomes a *hubError.
func (r *Replica) do(ctx context.Context, method, path string, header http.Header, body []byte) (int, []byte, error) {
	token, err := r.session(ctx)
	if err != nil {
		return 0, nil, err
	}
	status, b, err := r.send(ctx, method, path, token, header, body)
	if unauthorized(err) {
		r.dropToken(token)
	}
	return status, b, err
}

func (r *Replica) send(ctx context.Context, method, path, token string, header http.Header, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.cfg.HubURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := r.cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("replica: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, teamwire.MaxFeedMessage))
	if err != nil {
		return 0, nil, fmt.Errorf("replica: %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var e struct {
			Code   string         `json:"code"`
			Params map[string]any `json:"params"`
		}
		json.Unmarshal(b, &e)
		he := &hubError{Status: resp.StatusCode, Code: e.Code, Params: map[string]string{}}
		for k, v := range e.Params {
			if s, ok := v.(string); ok {
				he.Params[k] = s
			}
		}
		he.Reason = he.Params["reason"]
		return resp.StatusCode, b, he
	}
	return resp.StatusCode, b, nil
}

// session returns the session token, signing in with the credentials when there is none.
func (r *Replica) session(ctx context.Context) (string, error) {
	r.signInMu.Lock()
	defer r.signInMu.Unlock()
	r.mu.Lock()
	token := r.token
	r.mu.Unlock()
	if token != "" {
		return token, nil
	}
	if r.cfg.Email == "" || r.cfg.Password == "" {
		return "", errSignedOut
	}
	body, _ := json.Marshal(map[string]string{"email": r.cfg.Email, "password": r.cfg.Password})
	_, b, err := r.send(ctx, http.MethodPost, "/api/v1/login", "", nil, body)
	if err != nil {
		return "", err
	}
	var ans struct {
		Token   string `json:"token"`
		Account struct {
			ID int64 `json:"id"`
		} `json:"account"`
	}
	if err := json.Unmarshal(b, &ans); err != nil || ans.Token == "" {
		return "", fmt.Errorf("replica: sign-in answer: %w", errors.Join(err, errors.New("no token")))
	}
	r.mu.Lock()
	r.token = ans.Token
	r.mu.Unlock()
	r.log.Info("replica: signed in", "manager", ans.Account.ID)
	return ans.Token, nil
}

// dropToken forgets a token the hub refused (unless another was taken meanwhile).
func (r *Replica) dropToken(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.token == token {
		r.token = ""
	}
}

// whoAmI learns the signed-in manager's id.
func (r *Replica) whoAmI(ctx context.Context) (int64, error) {
	_, b, err := r.do(ctx, http.MethodGet, "/api/v1/me", nil, nil)
	if err != nil {
		return 0, err
	}
	var ans struct {
		Account struct {
			ID int64 `json:"id"`
		} `json:"account"`
	}
	if err := json.Unmarshal(b, &ans); err != nil || ans.Account.ID <= 0 {
		return 0, fmt.Errorf("replica: /me answer: %w", errors.Join(err, errors.New("no account")))
	}
	return ans.Account.ID, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
