package hub

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/store"
)

const (
	adminPassword   = "admin password 1"
	managerPassword = "manager password 1"
)

// requestFor turns a route pattern into a request line, with {id} replaced by id.
func requestFor(pattern string, id int64) (method, path string) {
	method, path, found := strings.Cut(pattern, " ")
	if !found { // "/" takes every method
		method, path = "GET", "/api/v1/no-such-thing"
	}
	return method, strings.ReplaceAll(path, "{id}", strconv.FormatInt(id, 10))
}

// TestNothingAnswersWithoutALiveSession walks the route table, so a route added later is checked
// without editing this test: without a token, with a malformed, unknown, revoked or expired one,
// or one of a disabled account, every route but sign-in answers 401 unauthorized and nothing
// else; so do paths and methods no route has.
func TestNothingAnswersWithoutALiveSession(t *testing.T) {
	forEachBook(t, func(t *testing.T, h *testHub) {
		admin := h.addAccount("admin@example.com", store.RoleAdmin, adminPassword)
		h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
		ctx := context.Background()

		revoked, revokedID := h.login("mgr@example.com", managerPassword)
		if _, err := h.accounts.RevokeSession(ctx, revokedID, h.clock.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
		disabledAcc := h.addAccount("gone@example.com", store.RoleAdmin, adminPassword)
		disabled, _ := h.login("gone@example.com", adminPassword)
		if _, err := h.accounts.SetDisabled(ctx, disabledAcc.ManagerID, true, h.clock.Now().UnixMilli()); err != nil {
			t.Fatal(err)
		}
		expired, _ := h.login("admin@example.com", adminPassword)
		unknown, err := newToken()
		if err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{
			"none": "", "malformed": "not-a-token", "unknown": unknown, "revoked": revoked,
			"disabled account": disabled,
		}

		var publicRoutes []string
		check := func(tokens map[string]string, method, path string) {
			t.Helper()
			for name, tok := range tokens {
				a := h.do(method, path, tok, `{}`)
				if a.status != http.StatusUnauthorized || a.code() != CodeUnauthorized {
					t.Errorf("%s %s with %s token: %d %s", method, path, name, a.status, a.body)
				}
				if a.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s %s: 401 without WWW-Authenticate", method, path)
				}
			}
		}
		for _, rt := range h.srv.routes() {
			if rt.access == public {
				publicRoutes = append(publicRoutes, rt.pattern)
				continue
			}
			method, path := requestFor(rt.pattern, admin.ManagerID)
			check(tokens, method, path)
		}
		if !slices.Equal(publicRoutes, []string{"GET /api/v1/version", "POST /api/v1/login"}) {
			t.Errorf("routes without a session check: %v, want only the version and sign-in", publicRoutes)
		}
		for _, r := range [][2]string{
			{"GET", "/api/v1/login"}, {"PATCH", "/api/v1/me"}, {"GET", "/"}, {"GET", "/api/v2/me"},
			{"DELETE", "/api/v1/users"}, {"GET", "/api/v1/users/x/sessions"}, {"POST", "/api/v1/../v1/users"},
		} {
			check(tokens, r[0], r[1])
		}

		// An expired session stops working when its time is up, on every route.
		h.clock.Advance(31 * 24 * time.Hour)
		for _, rt := range h.srv.routes() {
			if rt.access != public {
				method, path := requestFor(rt.pattern, admin.ManagerID)
				check(map[string]string{"expired": expired}, method, path)
			}
		}
	})
}

// TestAManagerCannotDoAdminActions: every admin route answers a manager 403 forbidden, and
// nothing changes.
func TestAManagerCannotDoAdminActions(t *testing.T) {
	forEachBook(t, func(t *testing.T, h *testHub) {
		boss := h.addAccount("admin@example.com", store.RoleAdmin, adminPassword)
		mgr := h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
		adminToken, adminSession := h.login("admin@example.com", adminPassword)
		token, _ := h.login("mgr@example.com", managerPassword)
		bodies := map[string]any{
			"POST /api/v1/users":              map[string]string{"email": "new@example.com", "name": "New", "role": "admin", "password": "long enough password"},
			"PUT /api/v1/users/{id}/role":     map[string]string{"role": "manager"},
			"PUT /api/v1/users/{id}/disabled": map[string]bool{"disabled": true},
			"PUT /api/v1/users/{id}/password": map[string]string{"password": "taken over password"},
			"GET /api/v1/users":               nil,
			"GET /api/v1/users/{id}/sessions": nil,
		}
		admins := 0
		for _, rt := range h.srv.routes() {
			if rt.access != admin {
				continue
			}
			admins++
			body, ok := bodies[rt.pattern]
			if !ok {
				t.Errorf("admin route %s has no request in this test: add one", rt.pattern)
			}
			for _, target := range []int64{boss.ManagerID, mgr.ManagerID} {
				method, path := requestFor(rt.pattern, target)
				if a := h.do(method, path, token, body); a.status != http.StatusForbidden || a.code() != CodeForbidden {
					t.Errorf("manager %s %s: %d %s", method, path, a.status, a.body)
				}
			}
		}
		if admins != len(bodies) {
			t.Errorf("%d admin routes, %d in this test", admins, len(bodies))
		}
		// A manager cannot end someone else's session either; it looks like a missing one.
		if a := h.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", adminSession), token, nil); a.status != http.StatusNotFound {
			t.Errorf("manager revokes the admin's session: %d %s", a.status, a.body)
		}
		// Nothing changed: same accounts, same roles, the admin still signed in.
		accs, _ := h.accounts.List(context.Background())
		if len(accs) != 2 {
			t.Fatalf("accounts after the attempts: %+v", accs)
		}
		for _, a := range accs {
			if a.Disabled || (a.ManagerID == boss.ManagerID) != (a.Role == store.RoleAdmin) {
				t.Errorf("changed: %+v", a)
			}
		}
		if a := h.do("GET", "/api/v1/me", adminToken, nil); a.status != http.StatusOK {
			t.Errorf("admin after the attempts: %d", a.status)
		}
		h.login("admin@example.com", adminPassword) // the password was not reset
		// The manager's own routes work.
		for _, p := range []string{"/api/v1/me", "/api/v1/sessions"} {
			if a := h.do("GET", p, token, nil); a.status != http.StatusOK {
				t.Errorf("manager GET %s: %d %s", p, a.status, a.body)
			}
		}
	})
}

func TestAdminManagesUsers(t *testing.T) {
	forEachBook(t, func(t *testing.T, h *testHub) {
		admin := h.addAccount("admin@example.com", store.RoleAdmin, adminPassword)
		token, _ := h.login("ADMIN@example.com ", adminPassword)

		var me meResponse
		h.do("GET", "/api/v1/me", token, nil).decode(t, &me)
		if me.Account.ManagerID != admin.ManagerID || me.Account.Role != store.RoleAdmin || me.Session.ID == 0 {
			t.Fatalf("me: %+v", me)
		}

		add := map[string]string{"email": " Vera@Example.com", "name": " Vera ", "role": "manager", "password": "vera's long password"}
		a := h.do("POST", "/api/v1/users", token, add)
		if a.status != http.StatusCreated {
			t.Fatalf("add: %d %s", a.status, a.body)
		}
		var vera store.Account
		a.decode(t, &vera)
		if vera.Email != "vera@example.com" || vera.Name != "Vera" || vera.Role != store.RoleManager || strings.Contains(string(a.body), "password") {
			t.Fatalf("added: %s", a.body)
		}
		for _, c := range []struct {
			body   any
			status int
			code   string
		}{
			{add, http.StatusConflict, CodeEmailTaken},
			{map[string]string{"email": "x", "name": "X", "role": "manager", "password": "long enough password"}, 400, CodeInvalidEmail},
			{map[string]string{"email": "X <x@example.com>", "name": "X", "role": "manager", "password": "long enough password"}, 400, CodeInvalidEmail},
			{map[string]string{"email": "x@example.com", "name": " ", "role": "manager", "password": "long enough password"}, 400, CodeInvalidName},
			{map[string]string{"email": "x@example.com", "name": "X", "role": "owner", "password": "long enough password"}, 400, CodeInvalidRole},
			{map[string]string{"email": "x@example.com", "name": "X", "role": "manager", "password": "short"}, 400, CodePasswordTooShort},
			{map[string]string{"email": "x@example.com", "name": "X", "role": "manager", "password": strings.Repeat("p", 600)}, 400, CodePasswordTooLong},
			{map[string]any{"email": "x@example.com", "name": "X", "role": "manager", "password": "long enough password", "isAdmin": true}, 400, CodeBadRequest},
			{`{"email": "x@example.com"`, 400, CodeBadRequest},
			{`{"email":"x@example.com","name":"X","role":"manager","password":"long enough password"} {}`, 400, CodeBadRequest},
			{strings.Repeat(" ", maxBody+1), http.StatusRequestEntityTooLarge, CodeRequestTooLarge},
		} {
			if a := h.do("POST", "/api/v1/users", token, c.body); a.status != c.status || a.code() != c.code {
				t.Errorf("add %.80v: %d %s, want %d %s", c.body, a.status, a.body, c.status, c.code)
			}
		}

		var list struct{ Users []store.Account }
		h.do("GET", "/api/v1/users", token, nil).decode(t, &list)
		if len(list.Users) != 2 {
			t.Fatalf("users: %+v", list)
		}

		veraToken, veraSession := h.login("vera@example.com", "vera's long password")
		var sessions struct{ Sessions []store.Session }
		h.do("GET", fmt.Sprintf("/api/v1/users/%d/sessions", vera.ManagerID), token, nil).decode(t, &sessions)
		if len(sessions.Sessions) != 1 || sessions.Sessions[0].ID != veraSession {
			t.Fatalf("vera's sessions: %+v", sessions)
		}
		if a := h.do("GET", "/api/v1/users/4242/sessions", token, nil); a.status != http.StatusNotFound {
			t.Errorf("sessions of nobody: %d", a.status)
		}

		// Role: promote, then the last admin cannot be demoted or disabled.
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/role", vera.ManagerID), token, map[string]string{"role": "admin"}); a.status != 200 {
			t.Fatalf("promote: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/role", vera.ManagerID), token, map[string]string{"role": "manager"}); a.status != 200 {
			t.Fatalf("demote: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/role", admin.ManagerID), token, map[string]string{"role": "manager"}); a.status != http.StatusConflict || a.code() != CodeLastAdmin {
			t.Errorf("demote the last admin: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/disabled", admin.ManagerID), token, map[string]bool{"disabled": true}); a.status != http.StatusConflict || a.code() != CodeLastAdmin {
			t.Errorf("disable the last admin: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/role", vera.ManagerID), token, map[string]string{"role": "boss"}); a.code() != CodeInvalidRole {
			t.Errorf("bad role: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", "/api/v1/users/0/role", token, map[string]string{"role": "admin"}); a.status != http.StatusNotFound {
			t.Errorf("user 0: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/disabled", vera.ManagerID), token, `{}`); a.code() != CodeBadRequest {
			t.Errorf("disable without the flag: %d %s", a.status, a.body)
		}

		// Disable: her session stops at once, she cannot sign in; enable: she can again.
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/disabled", vera.ManagerID), token, map[string]bool{"disabled": true}); a.status != 200 {
			t.Fatalf("disable: %d %s", a.status, a.body)
		}
		if a := h.do("GET", "/api/v1/me", veraToken, nil); a.status != http.StatusUnauthorized {
			t.Errorf("disabled manager's session: %d", a.status)
		}
		if a := h.do("POST", "/api/v1/login", "", map[string]string{"email": "vera@example.com", "password": "vera's long password"}); a.status != http.StatusUnauthorized || a.code() != CodeLoginFailed {
			t.Errorf("disabled manager signs in: %d %s", a.status, a.body)
		}
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/disabled", vera.ManagerID), token, map[string]bool{"disabled": false}); a.status != 200 {
			t.Fatalf("enable: %d %s", a.status, a.body)
		}
		veraToken, _ = h.login("vera@example.com", "vera's long password")

		// Password reset: her sessions end, the old password fails, the new one works.
		if a := h.do("PUT", fmt.Sprintf("/api/v1/users/%d/password", vera.ManagerID), token, map[string]string{"password": "a brand new password"}); a.status != 200 {
			t.Fatalf("reset: %d %s", a.status, a.body)
		}
		if a := h.do("GET", "/api/v1/me", veraToken, nil); a.status != http.StatusUnauthorized {
			t.Errorf("session after a reset: %d", a.status)
		}
		if a := h.do("POST", "/api/v1/login", "", map[string]string{"email": "vera@example.com", "password": "vera's long password"}); a.code() != CodeLoginFailed {
			t.Errorf("old password: %d %s", a.status, a.body)
		}
		veraToken, veraSession = h.login("vera@example.com", "a brand new password")

		// Her own sessions: she can end one of hers; logout ends the current one.
		second, _ := h.login("vera@example.com", "a brand new password")
		if a := h.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", veraSession), second, nil); a.status != http.StatusNoContent {
			t.Fatalf("end own session: %d %s", a.status, a.body)
		}
		if a := h.do("GET", "/api/v1/me", veraToken, nil); a.status != http.StatusUnauthorized {
			t.Errorf("ended session: %d", a.status)
		}
		if a := h.do("POST", "/api/v1/logout", second, nil); a.status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", a.status, a.body)
		}
		if a := h.do("GET", "/api/v1/sessions", second, nil); a.status != http.StatusUnauthorized {
			t.Errorf("after logout: %d", a.status)
		}
		// An admin can end anyone's session.
		third, thirdID := h.login("vera@example.com", "a brand new password")
		if a := h.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", thirdID), token, nil); a.status != http.StatusNoContent {
			t.Fatalf("admin ends a session: %d %s", a.status, a.body)
		}
		if a := h.do("GET", "/api/v1/me", third, nil); a.status != http.StatusUnauthorized {
			t.Errorf("session ended by the admin: %d", a.status)
		}
		if a := h.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", thirdID), token, nil); a.status != http.StatusNotFound {
			t.Errorf("ending it twice: %d", a.status)
		}
	}, generousLogins)
}

func TestLoginIsRateLimitedPerAccountAndPerAddress(t *testing.T) {
	forEachBook(t, func(t *testing.T, h *testHub) {
		h.addAccount("mgr@example.com", store.RoleManager, managerPassword)
		wrong := map[string]string{"email": "mgr@example.com", "password": "wrong password!"}
		right := map[string]string{"email": "Mgr@example.com", "password": managerPassword}
		for i := 0; i < DefaultLoginLimits.PerAccountBurst; i++ {
			if a := h.do("POST", "/api/v1/login", "", wrong); a.status != http.StatusUnauthorized || a.code() != CodeLoginFailed {
				t.Fatalf("attempt %d: %d %s", i, a.status, a.body)
			}
		}
		// The bucket is empty: even the right password waits, and is told how long.
		a := h.do("POST", "/api/v1/login", "", right)
		if a.status != http.StatusTooManyRequests || a.code() != CodeLoginRateLimited || a.header.Get("Retry-After") != "20" {
			t.Fatalf("after %d wrong: %d %s Retry-After=%q", DefaultLoginLimits.PerAccountBurst, a.status, a.body, a.header.Get("Retry-After"))
		}
		h.clock.Advance(DefaultLoginLimits.PerAccountEvery)
		h.login("mgr@example.com", managerPassword)
		if a := h.do("POST", "/api/v1/login", "", right); a.status != http.StatusTooManyRequests {
			t.Fatalf("second right attempt within the interval: %d", a.status)
		}

		// Per address: many different e-mails from one address.
		h.clock.Advance(time.Hour)
		n := 0
		for ; n < 100; n++ {
			a := h.do("POST", "/api/v1/login", "", map[string]string{"email": fmt.Sprintf("guess%d@example.com", n), "password": "whatever it is"})
			if a.status == http.StatusTooManyRequests {
				break
			}
			if a.code() != CodeLoginFailed {
				t.Fatalf("guess %d: %d %s", n, a.status, a.body)
			}
		}
		if n != DefaultLoginLimits.PerAddressBurst {
			t.Fatalf("address stopped after %d attempts, want %d", n, DefaultLoginLimits.PerAddressBurst)
		}
		// A limited address is limited for a real account too (it cannot be used to probe).
		if a := h.do("POST", "/api/v1/login", "", right); a.status != http.StatusTooManyRequests {
			t.Fatalf("right password from a limited address: %d", a.status)
		}
		h.clock.Advance(DefaultLoginLimits.PerAddressEvery)
		h.login("mgr@example.com", managerPassword)
	})
}
