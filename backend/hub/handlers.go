package hub

import (
	"errors"
	"net/http"
	"strconv"

	"switchboard/backend/store"
)

// maxUserAgent bounds what is kept of a client's User-Agent for the sessions list.
const maxUserAgent = 200

type loginResponse struct {
	Token   string        `json:"token"`
	Session store.Session `json:"session"`
	Account store.Account `json:"account"`
}

type meResponse struct {
	Account store.Account `json:"account"`
	Session store.Session `json:"session"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	body, e := readBody(w, r)
	if e != nil {
		return e
	}
	req, e := parseLogin(body)
	if e != nil {
		return e
	}
	if ok, wait := s.limiter.allow(clientAddress(r), store.NormalizeEmail(req.Email), s.cfg.Now()); !ok {
		return newError(http.StatusTooManyRequests, CodeLoginRateLimited, map[string]any{"retryAfterSeconds": retrySeconds(wait)})
	}
	ctx := r.Context()
	acc, hash, err := s.accounts.PasswordHash(ctx, req.Email)
	if errors.Is(err, store.ErrNotFound) {
		VerifyPassword(req.Password, s.dummyHash) // the same work as a wrong password
		return newError(http.StatusUnauthorized, CodeLoginFailed, nil)
	}
	if err != nil {
		return s.internal("login", err)
	}
	ok, err := VerifyPassword(req.Password, hash)
	if err != nil {
		return s.internal("login: stored hash", err)
	}
	if !ok || acc.Disabled {
		return newError(http.StatusUnauthorized, CodeLoginFailed, nil)
	}
	token, err := newToken()
	if err != nil {
		return s.internal("login: token", err)
	}
	ua := r.UserAgent()
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	now := s.cfg.Now()
	sess, err := s.accounts.CreateSession(ctx, store.NewSession{
		ManagerID: acc.ManagerID, TokenHash: hashToken(token), Address: clientAddress(r), UserAgent: ua,
		ExpiresAt: now.Add(s.cfg.SessionTTL).UnixMilli(),
	}, now.UnixMilli())
	if errors.Is(err, store.ErrNotFound) { // disabled between the check and now
		return newError(http.StatusUnauthorized, CodeLoginFailed, nil)
	}
	if err != nil {
		return s.internal("login: session", err)
	}
	s.log.Info("hub: signed in", "manager", acc.ManagerID, "session", sess.ID)
	writeJSON(w, http.StatusOK, loginResponse{Token: token, Session: sess, Account: acc})
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	if _, err := s.accounts.RevokeSession(r.Context(), c.session.ID, s.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
		return s.internal("logout", err)
	}
	s.feeds.closeSessions([]int64{c.session.ID}, closeSessionEnded)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, _ *http.Request, c *caller) *apiError {
	writeJSON(w, http.StatusOK, meResponse{Account: c.account, Session: c.session})
	return nil
}

func (s *Server) ownSessions(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	ss, err := s.accounts.Sessions(r.Context(), c.account.ManagerID, s.now())
	if err != nil {
		return s.internal("sessions", err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": ss})
	return nil
}

// revokeSession ends one of the caller's sessions, or anyone's for an admin. A manager asking
// for someone else's session gets not_found, as for one that does not exist.
func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request, c *caller) *apiError {
	id, e := pathID(r)
	if e != nil {
		return e
	}
	ctx := r.Context()
	if c.account.Role != store.RoleAdmin {
		own, err := s.accounts.Sessions(ctx, c.account.ManagerID, s.now())
		if err != nil {
			return s.internal("revoke session", err)
		}
		if !containsSession(own, id) {
			return newError(http.StatusNotFound, CodeNotFound, nil)
		}
	}
	if _, err := s.accounts.RevokeSession(ctx, id, s.now()); errors.Is(err, store.ErrNotFound) {
		return newError(http.StatusNotFound, CodeNotFound, nil)
	} else if err != nil {
		return s.internal("revoke session", err)
	}
	s.feeds.closeSessions([]int64{id}, closeSessionEnded)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func containsSession(ss []store.Session, id int64) bool {
	for _, x := range ss {
		if x.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	accs, err := s.accounts.List(r.Context())
	if err != nil {
		return s.internal("list users", err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": accs})
	return nil
}

func (s *Server) addUser(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	body, e := readBody(w, r)
	if e != nil {
		return e
	}
	req, e := parseAddUser(body)
	if e != nil {
		return e
	}
	hash, err := HashPassword(req.Password, s.cfg.Password)
	if err != nil {
		return s.internal("add user: hash", err)
	}
	acc, err := s.accounts.Add(r.Context(), store.NewAccount{
		Name: req.Name, AvatarURL: req.AvatarURL, Email: req.Email, Role: req.Role, PasswordHash: hash,
	}, s.now())
	if errors.Is(err, store.ErrEmailTaken) {
		return newError(http.StatusConflict, CodeEmailTaken, nil)
	}
	if err != nil {
		return s.internal("add user", err)
	}
	writeJSON(w, http.StatusCreated, acc)
	return nil
}

func (s *Server) userSessions(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	id, e := s.existingUser(r)
	if e != nil {
		return e
	}
	ss, err := s.accounts.Sessions(r.Context(), id, s.now())
	if err != nil {
		return s.internal("user sessions", err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": ss})
	return nil
}

// userChange reads the {id} of a user route and its JSON body through parse.
func userChange[T any](w http.ResponseWriter, r *http.Request, parse func([]byte) (T, *apiError)) (int64, T, *apiError) {
	var zero T
	id, e := pathID(r)
	if e != nil {
		return 0, zero, e
	}
	body, e := readBody(w, r)
	if e != nil {
		return 0, zero, e
	}
	req, e := parse(body)
	if e != nil {
		return 0, zero, e
	}
	return id, req, nil
}

func (s *Server) setRole(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	id, req, e := userChange(w, r, parseRole)
	if e != nil {
		return e
	}
	if e := s.accountError("set role", s.accounts.SetRole(r.Context(), id, req.Role, s.now())); e != nil {
		return e
	}
	return s.answerUser(w, r, id)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	id, disabled, e := userChange(w, r, parseDisabled)
	if e != nil {
		return e
	}
	revoked, err := s.accounts.SetDisabled(r.Context(), id, disabled, s.now())
	if e := s.accountError("set disabled", err); e != nil {
		return e
	}
	s.feeds.closeSessions(revoked, closeSessionEnded)
	if disabled {
		s.log.Info("hub: account disabled", "manager", id, "sessions_revoked", len(revoked))
	}
	return s.answerUser(w, r, id)
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request, _ *caller) *apiError {
	id, req, e := userChange(w, r, parsePassword)
	if e != nil {
		return e
	}
	hash, err := HashPassword(req.Password, s.cfg.Password)
	if err != nil {
		return s.internal("set password: hash", err)
	}
	revoked, err := s.accounts.SetPassword(r.Context(), id, hash, s.now())
	if e := s.accountError("set password", err); e != nil {
		return e
	}
	s.feeds.closeSessions(revoked, closeSessionEnded)
	return s.answerUser(w, r, id)
}

func (s *Server) answerUser(w http.ResponseWriter, r *http.Request, id int64) *apiError {
	acc, err := s.accounts.Get(r.Context(), id)
	if e := s.accountError("user", err); e != nil {
		return e
	}
	writeJSON(w, http.StatusOK, acc)
	return nil
}

func (s *Server) existingUser(r *http.Request) (int64, *apiError) {
	id, e := pathID(r)
	if e != nil {
		return 0, e
	}
	if _, err := s.accounts.Get(r.Context(), id); err != nil {
		return 0, s.accountError("user", err)
	}
	return id, nil
}

// accountError maps the store's account errors to API errors.
func (s *Server) accountError(what string, err error) *apiError {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return newError(http.StatusNotFound, CodeNotFound, nil)
	case errors.Is(err, store.ErrLastAdmin):
		return newError(http.StatusConflict, CodeLastAdmin, nil)
	case errors.Is(err, store.ErrBadRole):
		return newError(http.StatusBadRequest, CodeInvalidRole, nil)
	}
	return s.internal(what, err)
}

func (s *Server) internal(what string, err error) *apiError {
	if errors.Is(err, store.ErrDiskFull) {
		// Not a refusal: the same request succeeds once there is room, so a desktop keeps it.
		s.log.Error("hub: "+what+": the disk is full", "err", err)
		return newError(http.StatusInsufficientStorage, CodeDiskFull, nil)
	}
	s.log.Error("hub: "+what, "err", err)
	return newError(http.StatusInternalServerError, CodeInternal, nil)
}

func pathID(r *http.Request) (int64, *apiError) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, newError(http.StatusNotFound, CodeNotFound, nil)
	}
	return id, nil
}
