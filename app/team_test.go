package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"switchboard/backend/engine"
	"switchboard/backend/hub/hubtest"
	"switchboard/backend/hubclient"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

const (
	teamAdminPassword   = "admin password 1"
	teamManagerPassword = "manager password 1"
)

// inRealKeyringChild runs the calling test again in a child test process, where no MockInit of
// this package has replaced the keyring, and checks that it passed there. It returns true in the
// child, which then does the test's work with the OS keyring itself (Secret Service inside
// scripts/with-desktop.sh, as make test-go runs it), and false in the parent.
func inRealKeyringChild(t *testing.T) bool {
	t.Helper()
	if os.Getenv("SB_DESKTOP_SESSION") != "1" {
		t.Skip("needs the desktop session of scripts/with-desktop.sh (a real Secret Service)")
	}
	if os.Getenv("SB_REAL_KEYRING_CHILD") == "1" {
		if err := (secrets.Keyring{}).Available(); err != nil {
			t.Fatalf("the desktop session has no usable keyring: %v", err)
		}
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v")
	cmd.Env = append(os.Environ(), "SB_REAL_KEYRING_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return false
}

// teamApp is a desktop app over a fresh store in dir, without a window.
func teamApp(t *testing.T) (*App, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := testApp(t, engine.Config{Store: st})
	t.Cleanup(func() { a.hubSession.Delete() })
	return a, dir
}

func wantUICode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if err == nil || uiError(err).Code != code {
		t.Fatalf("%s: %v (code %q), want %s", what, err, uiError(err).Code, code)
	}
}

// Connecting keeps the session in the OS keyring only, admin calls pass through to the hub, and
// leaving signs out at the hub, empties the keyring entry and returns to solo.
func TestConnectManageAndLeaveAHub(t *testing.T) {
	if !inRealKeyringChild(t) {
		return
	}
	h := hubtest.Start(t, false)
	h.AddAccount("Анна Admin", "anna@example.com", "admin", teamAdminPassword)
	a, dir := teamApp(t)
	w := &recWindow{}
	a.win = w
	ctx := context.Background()
	// lastHeard is the last "team:status" the window heard: it says what each binding answered.
	lastHeard := func(what string, want TeamStatus) {
		t.Helper()
		heard := teamStatusEvents(w)
		if len(heard) == 0 || heard[len(heard)-1] != want {
			t.Fatalf("%s: the window last heard %+v, want %+v", what, heard, want)
		}
	}

	st, err := a.TeamStatus()
	if err != nil || st.Mode != teamSolo || st.HubURL != "" {
		t.Fatalf("a new desktop is solo: %+v %v", st, err)
	}
	_, err = a.TeamUsers()
	wantUICode(t, "users while solo", err, hubclient.CodeNotConnected)
	_, err = a.ConnectHub(h.URL(), "anna@example.com", "wrong password 1")
	wantUICode(t, "wrong password", err, hubclient.CodeLoginFailed)
	_, err = a.ConnectHub("http://hub.example.com", "anna@example.com", teamAdminPassword)
	wantUICode(t, "plain http to another machine", err, hubclient.CodeInsecureURL)
	if st, _ := a.TeamStatus(); st.Mode != teamSolo {
		t.Fatalf("a failed sign-in changed the mode: %+v", st)
	}

	st, err = a.ConnectHub(h.URL()+"/", " Anna@Example.com ", teamAdminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode != teamConnected || st.HubURL != h.URL() || st.Email != "anna@example.com" || st.Account.Name != "Анна Admin" || st.Account.Role != "admin" {
		t.Fatalf("connected status %+v", st)
	}
	// This run's engine is the solo one: the team's inbox opens at the next start.
	if !st.RestartNeeded || st.Replica != nil {
		t.Fatalf("connected in a solo run: want a restart asked for and no replica, got %+v", st)
	}
	lastHeard("connected", st)
	token, err := keyring.Get(secrets.Service, "hub-session")
	if err != nil || len(token) < 40 {
		t.Fatalf("session in the Secret Service: %v", err)
	}
	hubURL, got, ok := teamSession(ctx, a.inbox.Store, a.hubSession)
	if !ok || hubURL != h.URL() || got != token {
		t.Fatalf("teamSession: %q ok=%v", hubURL, ok)
	}
	if again, _ := a.TeamStatus(); again != st {
		t.Fatalf("status read back %+v, want %+v", again, st)
	}

	// Admin management through the desktop.
	hostile := `<img src=x onerror=alert(1)>Мария`
	maria, err := a.TeamAddUser(hubclient.NewUser{Email: "maria@example.com", Name: hostile, Role: "manager", Password: teamManagerPassword})
	if err != nil || maria.Name != hostile {
		t.Fatalf("add: %+v %v", maria, err)
	}
	_, err = a.TeamAddUser(hubclient.NewUser{Email: "maria@example.com", Name: "Again", Role: "manager", Password: teamManagerPassword})
	wantUICode(t, "the same e-mail", err, hubclient.CodeEmailTaken)
	_, err = a.TeamAddUser(hubclient.NewUser{Email: "short@example.com", Name: "Short", Role: "manager", Password: "short"})
	if uiError(err).Code != hubclient.CodePasswordShort || uiError(err).Message != "10" {
		t.Fatalf("short password reaches the UI as %+v", uiError(err))
	}
	users, err := a.TeamUsers()
	if err != nil || len(users) != 2 {
		t.Fatalf("users %+v %v", users, err)
	}
	mariaClient, _ := hubclient.New(h.URL())
	mariaIn, err := mariaClient.Login(ctx, "maria@example.com", teamManagerPassword)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := a.TeamUserSessions(maria.ID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions %+v %v", sessions, err)
	}
	if err := a.TeamRevokeSession(sessions[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := mariaClient.WithToken(mariaIn.Token).Me(ctx); hubclient.CodeOf(err) != hubclient.CodeSessionEnded {
		t.Fatalf("revoked session still works: %v", err)
	}
	if acc, err := a.TeamSetDisabled(maria.ID, true); err != nil || !acc.Disabled {
		t.Fatalf("disable %+v %v", acc, err)
	}
	if acc, err := a.TeamSetDisabled(maria.ID, false); err != nil || acc.Disabled {
		t.Fatalf("enable %+v %v", acc, err)
	}
	if _, err := a.TeamSetPassword(maria.ID, "another password 2"); err != nil {
		t.Fatal(err)
	}
	if _, err := mariaClient.Login(ctx, "maria@example.com", "another password 2"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	if acc, err := a.TeamSetRole(maria.ID, "admin"); err != nil || acc.Role != "admin" {
		t.Fatalf("role %+v %v", acc, err)
	}

	// Another admin makes Anna a manager at the hub: CheckTeam brings the new role.
	if err := h.Accounts.SetRole(ctx, st.Account.ID, "manager", time.Now().UnixMilli()); err != nil {
		t.Fatal(err)
	}
	st, err = a.CheckTeam()
	if err != nil || st.Problem != "" || st.Account.Role != "manager" {
		t.Fatalf("check: %+v %v", st, err)
	}
	lastHeard("the new role", st)
	if st, _ := a.TeamStatus(); st.Account.Role != "manager" {
		t.Fatalf("the new role is not kept: %+v", st)
	}
	_, err = a.TeamUsers()
	wantUICode(t, "users as a manager", err, hubclient.CodeForbidden)

	// The token is nowhere in the data directory (the database, its WAL, anything else).
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, _ := os.ReadFile(path)
		if bytes.Contains(raw, []byte(token)) || bytes.Contains(raw, []byte(teamAdminPassword)) {
			t.Errorf("%s holds the session token or the password", path)
		}
		return nil
	})

	if err := a.LeaveHub(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := mariaClient.WithToken(token).Me(ctx); hubclient.CodeOf(err) != hubclient.CodeSessionEnded {
		t.Fatalf("the session still works at the hub after leaving: %v", err)
	}
	if _, err := keyring.Get(secrets.Service, "hub-session"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("session left in the Secret Service: %v", err)
	}
	lastHeard("left", TeamStatus{Mode: teamSolo})
	if st, _ := a.TeamStatus(); st.Mode != teamSolo || st.HubURL != "" || st.Problem != "" {
		t.Fatalf("after leaving: %+v", st)
	}
	if _, _, ok := teamSession(ctx, a.inbox.Store, a.hubSession); ok {
		t.Fatal("teamSession after leaving")
	}
}

// A session ended at the hub shows as the status's problem; leaving works with the hub gone.
func TestASessionEndedElsewhereAndLeavingOffline(t *testing.T) {
	if !inRealKeyringChild(t) {
		return
	}
	h := hubtest.Start(t, false)
	h.AddAccount("Vera", "vera@example.com", "manager", teamManagerPassword)
	a, _ := teamApp(t)
	if _, err := a.ConnectHub(h.URL(), "vera@example.com", teamManagerPassword); err != nil {
		t.Fatal(err)
	}
	_, err := a.TeamUsers()
	wantUICode(t, "a manager lists users", err, hubclient.CodeForbidden)

	ctx := context.Background()
	_, token, _ := teamSession(ctx, a.inbox.Store, a.hubSession)
	c, _ := hubclient.New(h.URL())
	if err := c.WithToken(token).Logout(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := a.CheckTeam()
	if err != nil || st.Mode != teamConnected || st.Problem != hubclient.CodeSessionEnded {
		t.Fatalf("after a sign-out elsewhere: %+v %v", st, err)
	}
	// Signing in again replaces the session.
	if st, err := a.ConnectHub(h.URL(), "vera@example.com", teamManagerPassword); err != nil || st.Problem != "" {
		t.Fatalf("sign in again: %+v %v", st, err)
	}
	if st, _ := a.CheckTeam(); st.Problem != "" {
		t.Fatalf("after signing in again: %+v", st)
	}

	h.HTTP.Close()
	st, _ = a.CheckTeam()
	if st.Mode != teamConnected || st.Problem != hubclient.CodeUnreachable {
		t.Fatalf("with the hub down: %+v", st)
	}
	if err := a.LeaveHub(); err != nil {
		t.Fatalf("leaving offline: %v", err)
	}
	if st, _ := a.TeamStatus(); st.Mode != teamSolo {
		t.Fatalf("after leaving offline: %+v", st)
	}
	if _, err := keyring.Get(secrets.Service, "hub-session"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("session left in the Secret Service: %v", err)
	}
}
