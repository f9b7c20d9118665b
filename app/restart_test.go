package app

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"switchboard/backend/hubclient"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

// keptSession is a HubSession held in memory: engineConfig only reads it (the keyring itself
// is exercised by team_test.go against the real Secret Service).
type keptSession struct{ token string }

func (k *keptSession) Get() (string, error) {
	if k.token == "" {
		return "", secrets.ErrNoToken
	}
	return k.token, nil
}
func (k *keptSession) Set(t string) error { k.token = t; return nil }
func (k *keptSession) Delete() error      { k.token = ""; return nil }

func TestEngineConfigPicksSoloOrTheTeamsReplica(t *testing.T) {
	ctx := context.Background()
	// Not t.TempDir: under wine its cleanup fails the test however it ended (see the skip below).
	dir, err := os.MkdirTemp("", "switchboard-engine-config-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	home, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer home.Close()

	// A member with a session: a replica of the hub over <data>/team, not over the solo store.
	keys := &keptSession{token: "session-token"}
	if err := writeMembership(ctx, home, teamMembership{HubURL: "http://127.0.0.1:9", Email: "anna@example.com", Account: hubclient.Account{ID: 7}}); err != nil {
		t.Fatal(err)
	}
	cfg, closeTeam, err := engineConfig(dir, home, keys)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Replica == nil || cfg.Replica.HubURL != "http://127.0.0.1:9" || cfg.Replica.Token != "session-token" || cfg.Replica.Me != 7 {
		t.Fatalf("member: replica config %+v", cfg.Replica)
	}
	if cfg.Store == home {
		t.Fatal("member: the replica runs over the solo store, which its snapshot would overwrite")
	}
	if _, err := os.Stat(filepath.Join(teamDir(dir), store.DBFile)); err != nil {
		t.Fatalf("member: no team store in %s: %v", teamDir(dir), err)
	}
	closeTeam()

	// Remembered hub without a session (the keyring was cleared): solo, and the team's copy stays
	// until the desktop has really left.
	keys.token = ""
	cfg, closeTeam, err = engineConfig(dir, home, keys)
	if err != nil {
		t.Fatal(err)
	}
	closeTeam()
	if cfg.Replica != nil || cfg.Store != home {
		t.Fatalf("no session: want solo over the home store, got %+v", cfg)
	}

	// Left the hub: solo, and the team's chats are removed from this computer.
	if err := home.SetSetting(ctx, settingTeamHub, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := engineConfig(dir, home, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(teamDir(dir)); !os.IsNotExist(err) {
		if runtime.GOOS == "windows" && os.Getenv("WINEPREFIX") != "" {
			// Go 1.26's os.RemoveAll deletes through an NT call wine 8 lacks (the same failure as
			// t.TempDir's cleanup there, scripts/windows-test.sh); real Windows has it.
			t.Skip("wine cannot remove a directory tree; checked on Linux")
		}
		t.Fatalf("left the hub: the team store is still on disk (%v)", err)
	}
}

func TestRelaunchedRunWaitsForThePreviousOne(t *testing.T) {
	prev := exec.Command("sleep", "30")
	if err := prev.Start(); err != nil {
		t.Skip("no sleep(1):", err)
	}
	exited := make(chan struct{})
	go func() { prev.Wait(); close(exited) }()
	time.AfterFunc(300*time.Millisecond, func() { prev.Process.Kill() })

	t.Setenv(afterPIDEnv, strconv.Itoa(prev.Process.Pid))
	if err := waitForPreviousRun(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	default:
		t.Fatal("waitForPreviousRun returned while the previous run was alive")
	}
	if os.Getenv(afterPIDEnv) != "" {
		t.Fatal("the variable is left for this run's own children")
	}

	t.Setenv(afterPIDEnv, "not a pid")
	if err := waitForPreviousRun(); err == nil {
		t.Fatal("a malformed process id was accepted")
	}
}
