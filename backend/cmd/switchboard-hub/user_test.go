package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"switchboard/backend/store/testpg"
)

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// runHub runs the binary to completion with stdin and returns its combined output.
func runHub(t *testing.T, bin, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := hubCmd(bin, nil, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// login signs in over HTTP, retrying while the hub starts; it returns the token.
func loginHTTP(t *testing.T, base, email, password string) string {
	t.Helper()
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Post(base+"/api/v1/login", "application/json", strings.NewReader(body))
		if err == nil {
			var lr struct{ Token string }
			json.NewDecoder(res.Body).Decode(&lr)
			res.Body.Close()
			if res.StatusCode != 200 || lr.Token == "" {
				t.Fatalf("login %s: %d", email, res.StatusCode)
			}
			return lr.Token
		}
		if time.Now().After(deadline) {
			t.Fatalf("the hub never answered: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestUserCommandsAndServeWithTheAPI drives the real binary: accounts through `user`, passwords
// through stdin and files only; `serve --listen` answers the API; a manager disabled by the CLI
// (another process) loses their feed socket within the hub's revocation poll.
func TestUserCommandsAndServeWithTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	books := map[string][]string{"sqlite": nil}
	if os.Getenv(testpg.EnvDSN) != "" || os.Getenv("CI") != "" {
		books["postgres"] = []string{"--db", testpg.DSN(t)}
	}
	for book, dbFlag := range books {
		t.Run(book, func(t *testing.T) {
			data := t.TempDir()
			with := func(args ...string) []string { return append(append(args, "--data", data), dbFlag...) }

			out, err := runHub(t, bin, "admin password one\n", with("user", "add", "--email", "Boss@Example.com", "--name", "Boss", "--role", "admin")...)
			if err != nil {
				t.Fatalf("user add: %v\n%s", err, out)
			}
			pwFile := filepath.Join(t.TempDir(), "pw")
			os.WriteFile(pwFile, []byte("manager password one\r\nsecond line ignored\n"), 0o600)
			if out, err := runHub(t, bin, "", with("user", "add", "--email", "mgr@example.com", "--name", "Vera", "--password-file", pwFile)...); err != nil {
				t.Fatalf("user add from a file: %v\n%s", err, out)
			}
			// A password on the command line is refused, and so is a short one.
			if out, err := runHub(t, bin, "", with("user", "add", "--email", "x@example.com", "--name", "X", "hunter2hunter2")...); err == nil || !strings.Contains(out, "never goes on the command line") {
				t.Fatalf("password in argv: %v\n%s", err, out)
			}
			if out, err := runHub(t, bin, "short\n", with("user", "add", "--email", "x@example.com", "--name", "X")...); err == nil || !strings.Contains(out, "password_too_short") {
				t.Fatalf("short password: %v\n%s", err, out)
			}
			if out, err := runHub(t, bin, "", with("user", "disable", "--email", "boss@example.com")...); err == nil || !strings.Contains(out, "last active admin") {
				t.Fatalf("disable the last admin: %v\n%s", err, out)
			}
			out, err = runHub(t, bin, "", with("user", "list")...)
			if err != nil || !strings.Contains(out, "boss@example.com") || !strings.Contains(out, "admin") || !strings.Contains(out, "mgr@example.com") ||
				strings.Contains(out, "x@example.com") || strings.Contains(out, "argon2") {
				t.Fatalf("user list: %v\n%s", err, out)
			}

			// serve refuses plain HTTP on every interface, then serves on loopback.
			if out, err := runHub(t, bin, "", with("serve", "--tokens", "file", "--listen", "0.0.0.0:0")...); err == nil || !strings.Contains(out, "loopback") {
				t.Fatalf("serve on 0.0.0.0 without TLS: %v\n%s", err, out)
			}
			addr := freeLoopbackAddr(t)
			serve := hubCmd(bin, nil, with("serve", "--tokens", "file", "--listen", addr)...)
			logs := &syncBuffer{}
			serve.Stderr = logs
			if err := serve.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() {
				serve.Process.Signal(syscall.SIGTERM)
				serve.Wait()
				if strings.Contains(logs.String(), "manager password one") || strings.Contains(logs.String(), "admin password one") {
					t.Error("a password reached the log")
				}
			}()
			base := "http://" + addr
			loginHTTP(t, base, "boss@example.com", "admin password one")
			token := loginHTTP(t, base, "mgr@example.com", "manager password one")
			ctx := context.Background()
			conn, _, err := websocket.Dial(ctx, "ws://"+addr+"/api/v1/feed?seq=0", &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
			if err != nil {
				t.Fatal(err)
			}
			defer conn.CloseNow()

			if out, err := runHub(t, bin, "", with("user", "disable", "--email", "mgr@example.com")...); err != nil || !strings.Contains(out, "1 sessions ended") {
				t.Fatalf("user disable: %v\n%s", err, out)
			}
			start := time.Now()
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			for {
				var msg json.RawMessage
				err := wsjson.Read(rctx, conn, &msg)
				if err == nil {
					continue
				}
				if websocket.CloseStatus(err) != 4001 {
					t.Fatalf("feed after the CLI disabled the manager: %v", err)
				}
				break
			}
			t.Logf("socket closed %v after `user disable` returned", time.Since(start))

			// passwd and role work on the running hub's accounts.
			if out, err := runHub(t, bin, "new manager password\n", with("user", "passwd", "--email", "mgr@example.com")...); err != nil {
				t.Fatalf("passwd: %v\n%s", err, out)
			}
			if out, err := runHub(t, bin, "", with("user", "enable", "--email", "mgr@example.com")...); err != nil {
				t.Fatalf("enable: %v\n%s", err, out)
			}
			if out, err := runHub(t, bin, "", with("user", "role", "--email", "mgr@example.com", "--role", "admin")...); err != nil {
				t.Fatalf("role: %v\n%s", err, out)
			}
			mgrToken := loginHTTP(t, base, "mgr@example.com", "new manager password")
			req, _ := http.NewRequest("GET", base+"/api/v1/users", nil)
			req.Header.Set("Authorization", "Bearer "+mgrToken)
			res, err := http.DefaultClient.Do(req)
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("the promoted manager lists users: %v %v", res, err)
			}
			res.Body.Close()
		})
	}
}
