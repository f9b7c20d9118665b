package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"time"

	"switchboard/backend/hubclient"
	"switchboard/backend/replica"
	"switchboard/backend/secrets"
)

// Bindings of Settings → Team: whether this desktop is solo or a member of a team hub, signing
// in and leaving, and an admin's management of the company's accounts. The session token goes
// to the OS keyring and nowhere else (not SQLite, not the settings, not a log, not a returned
// value); the hub's address, the e-mail and who signed in are kept in the settings.

// settingTeamHub is the settings row of the hub this desktop is a member of (teamMembership as
// JSON); absent or empty when solo. The UI's SetSetting cannot write it.
const settingTeamHub = "team_hub"

// teamCallTimeout bounds one call to the hub made for the person waiting on the screen.
const teamCallTimeout = 20 * time.Second

// logoutTimeout bounds the sign-out at the hub when leaving: leaving works offline too.
const logoutTimeout = 5 * time.Second

// teamMembership is what the settings keep of a membership: no secret.
type teamMembership struct {
	HubURL  string            `json:"hubUrl"`
	Email   string            `json:"email"`
	Account hubclient.Account `json:"account"`
}

// TeamStatus is what Settings → Team shows.
type TeamStatus struct {
	// Mode is "solo" or "connected".
	Mode    string            `json:"mode"`
	HubURL  string            `json:"hubUrl"`
	Email   string            `json:"email"`
	Account hubclient.Account `json:"account"`
	// Problem is the code of why the connection does not work ("" when it does, or when not
	// checked): hub_session_ended (sign in again), hub_unreachable (offline), …
	Problem string `json:"problem"`
	// RestartNeeded: the running engine is not the one Mode asks for (connected, but still
	// solo, or the reverse) until the app starts again (Desktop.Restart).
	RestartNeeded bool `json:"restartNeeded"`
	// Replica is how the replica stands when the running engine is one (null when solo).
	Replica *replica.Status `json:"replica"`
}

const (
	teamSolo      = "solo"
	teamConnected = "connected"
)

// teamSession is what the replica engine needs at start-up: the hub this desktop is a member
// of and its session token, ok=false when solo (no hub remembered, or no token in the keyring).
// It reads the settings row and the keyring only; nothing goes over the network.
func teamSession(ctx context.Context, settings settingsStore, keys secrets.HubSession) (hubURL, token string, ok bool) {
	m, err := readMembership(ctx, settings)
	if err != nil || m.HubURL == "" {
		return "", "", false
	}
	token, err = keys.Get()
	if err != nil {
		if !errors.Is(err, secrets.ErrNoToken) {
			slog.Warn("team: read the hub session from the keyring", "err", err)
		}
		return "", "", false
	}
	return m.HubURL, token, true
}

// settingsStore is the part of the store the membership lives in (store.Store).
type settingsStore interface {
	Setting(ctx context.Context, key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error
}

func readMembership(ctx context.Context, settings settingsStore) (teamMembership, error) {
	var m teamMembership
	raw, _, err := settings.Setting(ctx, settingTeamHub)
	if err != nil || raw == "" {
		return m, err
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return teamMembership{}, fmt.Errorf("team: settings row: %w", err)
	}
	return m, nil
}

func writeMembership(ctx context.Context, settings settingsStore, m teamMembership) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return settings.SetSetting(ctx, settingTeamHub, string(raw))
}

func (a *shell) teamStatus(ctx context.Context) (TeamStatus, error) {
	m, err := readMembership(ctx, a.home)
	if err != nil {
		return TeamStatus{}, err
	}
	st := TeamStatus{Mode: teamSolo, HubURL: m.HubURL, Email: m.Email, Account: m.Account}
	if rs, ok := a.eng.ReplicaStatus(); ok {
		st.Replica = &rs
	}
	if _, _, ok := teamSession(ctx, a.home, a.hubSession); ok {
		st.Mode = teamConnected
	} else if m.HubURL != "" {
		// Remembered, but the keyring has no session (cleared, or another OS user's keyring):
		// the form comes back filled in.
		st.Problem = hubclient.CodeSessionEnded
	}
	st.RestartNeeded = st.restartNeeded()
	return st, nil
}

// restartNeeded: the running engine (a replica or not) is not the one the mode asks for.
func (st TeamStatus) restartNeeded() bool {
	return (st.Mode == teamConnected) != (st.Replica != nil)
}

// teamStatusFeed is what "team:status" (EventTeamStatus) last carried: the UI hears what
// Team.TeamStatus returns whenever it changes (signing in, leaving, a role CheckTeam brought, the
// replica's state: connected, offline, the session ended, progress), so Settings holds the status
// without reading it again.
type teamStatusFeed struct {
	mu   sync.Mutex
	last *TeamStatus
}

// sendTeamStatusLocked emits st as "team:status" unless it is what was sent last. The caller
// holds teamFeed.mu, so the events go out in the order the statuses were made.
func (a *shell) sendTeamStatusLocked(st TeamStatus) {
	if a.teamFeed.last != nil && reflect.DeepEqual(*a.teamFeed.last, st) {
		return
	}
	kept := st
	if st.Replica != nil {
		rs := *st.Replica
		kept.Replica = &rs
	}
	a.teamFeed.last = &kept
	a.currentWindow().Emit(EventTeamStatus, st)
}

// teamStatusNow reads the status (teamStatus) and sends it to the UI when it changed: the
// bindings that change the membership end with it.
func (a *shell) teamStatusNow(ctx context.Context) (TeamStatus, error) {
	a.teamFeed.mu.Lock()
	defer a.teamFeed.mu.Unlock()
	st, err := a.teamStatus(ctx)
	if err != nil {
		return st, err
	}
	a.sendTeamStatusLocked(st)
	return st, nil
}

// replicaStatusChanged passes a change of the replica's status on as "replica:status" and as the
// "team:status" it makes. The membership is the one last read (the settings and the keyring are
// read again only when nothing was read yet): it changes through the bindings, which send it.
func (a *shell) replicaStatusChanged(rs replica.Status) {
	a.currentWindow().Emit(EventReplicaStatus, rs)
	a.teamFeed.mu.Lock()
	defer a.teamFeed.mu.Unlock()
	var st TeamStatus
	if a.teamFeed.last != nil {
		st = *a.teamFeed.last
	} else {
		var err error
		if st, err = a.teamStatus(bg()); err != nil {
			slog.Warn("team: status", "err", err)
			return
		}
	}
	st.Replica = &rs
	st.RestartNeeded = st.restartNeeded()
	a.sendTeamStatusLocked(st)
}

// TeamStatus says whether this desktop is solo or connected, to which hub and as whom, from what
// this desktop keeps (no network): the screen shows it at once, then CheckTeam asks the hub.
// Every change comes as "team:status" too.
func (a *Team) TeamStatus() (TeamStatus, error) { return a.teamStatusNow(bg()) }

// CheckTeam asks the hub who this desktop's session is: the account's name and role may have
// changed since sign-in. A failure is not an error of the call but the status's Problem (offline,
// the session ended), so the screen keeps showing the membership.
func (a *Team) CheckTeam() (TeamStatus, error) {
	ctx, cancel := context.WithTimeout(bg(), teamCallTimeout)
	defer cancel()
	st, err := a.teamStatus(ctx)
	if err != nil || st.Mode != teamConnected {
		return st, err
	}
	c, err := a.teamClient()
	if err != nil {
		return st, err
	}
	acc, _, err := c.Me(ctx)
	if err != nil {
		st.Problem = hubclient.CodeOf(err)
		if st.Problem == "" {
			st.Problem = hubclient.CodeUnreachable
		}
		return st, nil
	}
	st.Account = acc
	if err := writeMembership(ctx, a.home, teamMembership{HubURL: st.HubURL, Email: st.Email, Account: acc}); err != nil {
		return st, err
	}
	// The account as the hub has it now (a new name or role) is the status's: the UI hears it.
	return a.teamStatusNow(ctx)
}

// ConnectHub signs in to a hub: the address is checked (https://, or http:// on this machine
// only), the hub must be a Switchboard hub of this version, and the session token goes to the
// OS keyring. Signing in again (after the session ended) replaces the old session.
func (a *Team) ConnectHub(hubURL, email, password string) (TeamStatus, error) {
	ctx, cancel := context.WithTimeout(bg(), teamCallTimeout)
	defer cancel()
	c, err := hubclient.New(hubURL)
	if err != nil {
		return TeamStatus{}, err
	}
	in, err := c.Login(ctx, email, password)
	if err != nil {
		return TeamStatus{}, err
	}
	signedIn := c.WithToken(in.Token)
	// The session that this one replaces, if any, ends at its hub (best effort: it may be gone).
	if oldURL, oldToken, ok := teamSession(ctx, a.home, a.hubSession); ok && oldToken != in.Token {
		a.logoutAt(oldURL, oldToken)
	}
	if err := a.hubSession.Set(in.Token); err != nil {
		// Not kept, so not left alive at the hub either.
		a.logoutAt(signedIn.URL(), in.Token)
		return TeamStatus{}, err
	}
	m := teamMembership{HubURL: c.URL(), Email: in.Account.Email, Account: in.Account}
	if err := writeMembership(ctx, a.home, m); err != nil {
		a.logoutAt(signedIn.URL(), in.Token)
		if derr := a.hubSession.Delete(); derr != nil {
			slog.Warn("team: remove the hub session after a failed save", "err", derr)
		}
		return TeamStatus{}, err
	}
	slog.Info("team: signed in to a hub", "manager", in.Account.ID, "session", in.Session.ID)
	return a.teamStatusNow(ctx)
}

// LeaveHub returns this desktop to solo: it signs out at the hub when the hub answers (leaving
// works offline too), deletes the session from the keyring and forgets the hub.
func (a *Team) LeaveHub() error {
	ctx := bg()
	if hubURL, token, ok := teamSession(ctx, a.home, a.hubSession); ok {
		a.logoutAt(hubURL, token)
	}
	if err := a.hubSession.Delete(); err != nil {
		return err
	}
	if err := a.home.SetSetting(ctx, settingTeamHub, ""); err != nil {
		return err
	}
	slog.Info("team: left the hub; this desktop is solo")
	_, err := a.teamStatusNow(ctx)
	return err
}

// logoutAt ends a session at a hub, best effort within logoutTimeout: a failure is logged by its
// code only.
func (a *shell) logoutAt(hubURL, token string) {
	c, err := hubclient.New(hubURL)
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(bg(), logoutTimeout)
	defer cancel()
	if err := c.WithToken(token).Logout(ctx); err != nil && hubclient.CodeOf(err) != hubclient.CodeSessionEnded {
		slog.Warn("team: sign out at the hub", "code", hubclient.CodeOf(err))
	}
}

// teamClient is a client of this desktop's hub with its session, or ErrNotConnected.
func (a *shell) teamClient() (*hubclient.Client, error) {
	hubURL, token, ok := teamSession(bg(), a.home, a.hubSession)
	if !ok {
		return nil, hubclient.ErrNotConnected
	}
	c, err := hubclient.New(hubURL)
	if err != nil {
		return nil, err
	}
	return c.WithToken(token), nil
}

// onHub runs one call to this desktop's hub for the person waiting on the screen.
func onHub[T any](a *shell, call func(ctx context.Context, c *hubclient.Client) (T, error)) (T, error) {
	var zero T
	c, err := a.teamClient()
	if err != nil {
		return zero, err
	}
	ctx, cancel := context.WithTimeout(bg(), teamCallTimeout)
	defer cancel()
	return call(ctx, c)
}

// TeamUsers lists the company's accounts (admins).
func (a *Team) TeamUsers() ([]hubclient.Account, error) {
	return onHub(a.shell, func(ctx context.Context, c *hubclient.Client) ([]hubclient.Account, error) { return c.Users(ctx) })
}

// TeamAddUser adds an account (admins). The password is passed on to the hub, never kept.
func (a *Team) TeamAddUser(u hubclient.NewUser) (hubclient.Account, error) {
	return onHub(a.shell, func(ctx context.Context, c *hubclient.Client) (hubclient.Account, error) { return c.AddUser(ctx, u) })
}

// TeamSetRole makes an account an admin or a manager (admins).
func (a *Team) TeamSetRole(id int64, role string) (hubclient.Account, error) {
	return onHub(a.shell, func(ctx context.Context, c *hubclient.Client) (hubclient.Account, error) {
		return c.SetRole(ctx, id, role)
	})
}

// TeamSetDisabled disables an account, ending its sessions at once, or enables it (admins).
func (a *Team) TeamSetDisabled(id int64, disabled bool) (hubclient.Account, error) {
	return onHub(a.shell, func(ctx context.Context, c *hubclient.Client) (hubclient.Account, error) {
		return c.SetDisabled(ctx, id, disabled)
	})
}

// TeamSetPassword gives an account a new password, ending its sessions (admins).
func (a *Team) TeamSetPassword(id int64, password string) (hubclient.Account, error) {
	return onHub(a.shell, func(ctx context.Context, c *hubclient.Client) (hubclient.Account, error) {
		return c.SetPassword(ctx, id, password)
	})
}

// TeamUserSessions lists an account's signed-in devices (admins).
func (a *Team) TeamUserSessions(id int64) ([]hubclient.Session, error) {
	return onHub(a.shell, func(ctx context.Context, c *hubclient.Client) ([]hubclient.Session, error) {
		return c.UserSessions(ctx, id)
	})
}

// TeamRevokeSession ends a session at once (admins: anyone's).
func (a *Team) TeamRevokeSession(id int64) error {
	_, err := onHub(a.shell, func(ctx context.Context, c *hubclient.Client) (struct{}, error) {
		return struct{}{}, c.RevokeSession(ctx, id)
	})
	return err
}
