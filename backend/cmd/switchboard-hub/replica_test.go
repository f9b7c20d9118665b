package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
)

// TestReplicaAndSendHeadless is the README's walkthrough with the real binary: a hub with a bot
// (a fake Telegram), two headless replicas, a client message in, and a reply queued with `send`
// in one replica's data directory going out once and showing in the other's `history`.
func TestReplicaAndSendHeadless(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	fake.PushText(7001, "Client 1", "hello <b>hub</b>")
	dir := t.TempDir()
	hubDir, vera, ivan := filepath.Join(dir, "hub"), filepath.Join(dir, "vera"), filepath.Join(dir, "ivan")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tokenEnv := "SB_TEST_TG_TOKEN=" + fake.Token()
	if out, err := hubCmd(bin, []string{tokenEnv}, "channel", "add", "telegram", "--token-env", "SB_TEST_TG_TOKEN",
		"--api-url", fake.URL(), "--data", hubDir, "--tokens", "file").CombinedOutput(); err != nil {
		t.Fatalf("channel add: %v\n%s", err, out)
	}
	for _, u := range []struct{ name, role string }{{"Vera", "manager"}, {"Ivan", "manager"}} {
		email := strings.ToLower(u.name) + "@example.com"
		if out, err := runHub(t, bin, "", "user", "add", "--data", hubDir, "--email", email, "--name", u.name, "--role", u.role,
			"--password-file", write(u.name+".password", u.name+"-password-1\n")); err != nil {
			t.Fatalf("user add: %v\n%s", err, out)
		}
		write(u.name+".cred", email+"\n"+u.name+"-password-1\n")
	}
	addr := freeLoopbackAddr(t)
	start := func(args ...string) *syncBuffer {
		cmd := hubCmd(bin, nil, args...)
		logs := &syncBuffer{}
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			if strings.Contains(logs.String(), "password-1") || strings.Contains(logs.String(), fake.Token()) {
				t.Errorf("a secret in the logs of %v", args)
			}
		})
		return logs
	}
	start("serve", "--data", hubDir, "--tokens", "file", "--telegram-api", fake.URL(), "--listen", addr)
	hubURL := "http://" + addr
	veraLogs := start("replica", "--hub", hubURL, "--data", vera, "--credentials", filepath.Join(dir, "Vera.cred"))
	start("replica", "--hub", hubURL, "--data", ivan, "--credentials", filepath.Join(dir, "Ivan.cred"))

	history := func(data string) string {
		out, _ := runHub(t, bin, "", "history", "--data", data, "--chat", "1")
		return out
	}
	eventually := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\nvera: %s", what, veraLogs.String())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	for _, d := range []string{vera, ivan} {
		eventually("the client's message in "+d, func() bool { return strings.Contains(history(d), "client Client 1: hello <b>hub</b>") })
	}
	if out, err := runHub(t, bin, "", "send", "--data", vera, "--chat", "1", "--text", "Hello from Vera"); err != nil ||
		!strings.Contains(out, "queued; 1 change(s) waiting") {
		t.Fatalf("send: %v\n%s", err, out)
	}
	eventually("the reply on Ivan's replica", func() bool { return strings.Contains(history(ivan), "manager Vera: Hello from Vera (sent)") })
	n := 0
	for _, m := range fake.Messages(7001) {
		if m.Text == "Hello from Vera" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the reply reached Telegram %d times", n)
	}
	if out, err := runHub(t, bin, "", "send", "--data", filepath.Join(dir, "nobody"), "--chat", "1", "--text", "x"); err == nil ||
		!strings.Contains(out, "not a hub replica") {
		t.Fatalf("send from a data directory that is no replica: %v\n%s", err, out)
	}
}
