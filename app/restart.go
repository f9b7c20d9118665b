package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"switchboard/backend/engine"
	"switchboard/backend/replica"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// teamDir is where a member of a team hub keeps the replica of the team's inbox: apart from the
// data directory's own (solo) store, so connecting never overwrites a solo inbox and leaving
// returns to it as it was.
func teamDir(dataDir string) string { return filepath.Join(dataDir, "team") }

// engineConfig is the engine this start runs: solo over home, or, when the desktop is a member
// of a hub with a session in the keyring, a replica of the hub over the team store. A team store
// left behind by a hub this desktop has left is removed: the team's clients are not kept on a
// computer that is no longer a member. closeTeam closes what engineConfig opened.
func engineConfig(dataDir string, home *store.Store, keys secrets.HubSession) (cfg engine.Config, closeTeam func(), err error) {
	hubURL, token, member := teamSession(context.Background(), home, keys)
	if !member {
		if _, err := os.Stat(teamDir(dataDir)); err == nil {
			if err := os.RemoveAll(teamDir(dataDir)); err != nil {
				slog.Warn("team: remove the left hub's replica", "err", err)
			}
		}
		return engine.Config{Store: home}, func() {}, nil
	}
	team, err := store.OpenDir(teamDir(dataDir))
	if err != nil {
		return engine.Config{}, nil, fmt.Errorf("team store: %w", err)
	}
	rc := &replica.Config{HubURL: hubURL, Token: token}
	if m, err := readMembership(context.Background(), home); err == nil {
		rc.Me = m.Account.ID // the manager who signed in: "me" from the first run
	}
	return engine.Config{Store: team, Replica: rc}, func() { team.Close() }, nil
}

// afterPIDEnv names the process a relaunched app waits for: the single-instance lock is the
// old process's until it exits, and a new one started before would only focus the old window.
const afterPIDEnv = "SWITCHBOARD_AFTER_PID"

// restartWait bounds the wait for the previous run to exit.
const restartWait = 15 * time.Second

// Restart quits and starts the app again with the same arguments: a change between solo and team
// mode takes effect (the engine, its store and its pollers or replica are chosen at start).
func (a *Desktop) Restart() {
	a.restart.Store(true)
	a.Quit()
}

// relaunch starts this executable again with args, telling it to wait for this process to end.
func relaunch(args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), afterPIDEnv+"="+strconv.Itoa(os.Getpid()))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return cmd.Process.Release()
}

// waitForPreviousRun waits, when this run was started by Restart, for the run that started it to
// exit (at most restartWait).
func waitForPreviousRun() error {
	raw := os.Getenv(afterPIDEnv)
	if raw == "" {
		return nil
	}
	os.Unsetenv(afterPIDEnv)
	pid, err := strconv.Atoi(raw)
	if err != nil || pid <= 0 {
		return fmt.Errorf("%s=%q is not a process id", afterPIDEnv, raw)
	}
	deadline := time.Now().Add(restartWait)
	for processAlive(pid) {
		if time.Now().After(deadline) {
			return fmt.Errorf("restart: the previous run (process %d) has not exited after %s", pid, restartWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}
