package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"switchboard/backend/hub"
	"switchboard/backend/store"
)

// hubProcess is a running `switchboard-hub serve` and what the bench knows about it.
type hubProcess struct {
	cmd  *exec.Cmd
	url  string // http://127.0.0.1:PORT
	logs *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hubCommand runs one switchboard-hub subcommand to its end with stdin and extra environment.
func hubCommand(bin string, stdin string, env []string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("switchboard-hub %s: %v\n%s", strings.Join(args[:min(2, len(args))], " "), err, out)
	}
	return nil
}

var apiURLLine = regexp.MustCompile(`msg="team API" url=(http://[^\s]+)`)

// startHub runs serve on a free loopback port and waits for its API to listen.
// dbArgs are extra arguments (--db DSN for a store in PostgreSQL).
func startHub(bin, dir, telegramAPI string, env, dbArgs []string) (*hubProcess, error) {
	cmd := exec.Command(bin, append([]string{"serve", "--data", dir, "--tokens", "file", "--telegram-api", telegramAPI,
		"--listen", "127.0.0.1:0", "--sync", "1h"}, dbArgs...)...)
	cmd.Env = append(os.Environ(), env...)
	logs := &lockedBuffer{}
	cmd.Stderr = logs
	cmd.Stdout = logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	h := &hubProcess{cmd: cmd, logs: logs, done: make(chan error, 1)}
	go func() { h.done <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := apiURLLine.FindStringSubmatch(logs.String()); m != nil {
			h.url = m[1]
			return h, nil
		}
		select {
		case err := <-h.done:
			return nil, fmt.Errorf("serve exited before listening: %v\n%s", err, logs.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			h.cmd.Process.Kill()
			return nil, fmt.Errorf("serve did not listen within 30 s\n%s", logs.String())
		}
	}
}

// stop ends the process (serve, or bootstrap.go's replica) with SIGTERM, as an operator would,
// and waits for a clean exit.
func (h *hubProcess) stop() error {
	what := h.cmd.Args[1]
	h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-h.done:
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", what, err, h.logs.String())
		}
		return nil
	case <-time.After(30 * time.Second):
		h.cmd.Process.Kill()
		return fmt.Errorf("%s did not stop within 30 s of SIGTERM", what)
	}
}

// procSample is what /proc says about the hub at one moment.
type procSample struct {
	rssKB    int64
	cpuTicks int64 // user + system, in clock ticks
	at       time.Time
}

// clockTicks is USER_HZ, 100 on every Linux the bench runs on.
const clockTicks = 100

func (h *hubProcess) sample() (procSample, error) { return sampleProcess(h.cmd.Process.Pid) }

func sampleProcess(pid int) (procSample, error) {
	s := procSample{at: time.Now()}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			s.rssKB, _ = strconv.ParseInt(strings.Fields(v)[0], 10, 64)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis are
	// fixed: utime and stime are the 12th and 13th of them.
	rest := string(stat[bytes.LastIndexByte(stat, ')')+2:])
	f := strings.Fields(rest)
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	s.cpuTicks = ut + st
	return s, nil
}

// newToken makes a session token as the hub does (32 random bytes, base64url) and the hash the
// store keeps of it.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	return token, hex.EncodeToString(sum[:])
}

// desktopSessions writes n sessions, spread over managers accounts, into the hub's store (the
// data directory's SQLite, or PostgreSQL at dsn) before serve starts, as a sign-in would after checking the password: 2,000 sign-ins through
// the API would wait out its rate limits (per address and per account) and cost 2,000 argon2id
// hashes, which measure nothing the feed does. Each desktop still has its own session, checked
// by the hub on connect like any other.
func desktopSessions(dir, dsn string, n, managers int) ([]string, error) {
	ctx := context.Background()
	var st *store.Store
	var err error
	if dsn != "" {
		st, err = store.OpenPostgres(ctx, dsn, dir)
	} else {
		st, err = store.OpenDir(dir)
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	acc := st.Accounts()
	hash, err := hub.HashPassword("bench manager password", hub.DefaultPasswordParams)
	if err != nil {
		return nil, err
	}
	now := time.Now().UnixMilli()
	ids := make([]int64, managers)
	for i := range ids {
		a, err := acc.Add(ctx, store.NewAccount{Name: fmt.Sprintf("Manager %d", i+1), Email: fmt.Sprintf("manager%d@bench.invalid", i+1),
			Role: store.RoleManager, PasswordHash: hash}, now)
		if err != nil {
			return nil, err
		}
		ids[i] = a.ManagerID
	}
	tokens := make([]string, n)
	for i := range tokens {
		tok, th := newToken()
		if _, err := acc.CreateSession(ctx, store.NewSession{ManagerID: ids[i%managers], TokenHash: th, Address: "127.0.0.1",
			UserAgent: "hubbench desktop", ExpiresAt: now + int64(24*time.Hour/time.Millisecond)}, now); err != nil {
			return nil, err
		}
		tokens[i] = tok
	}
	return tokens, nil
}

// login signs in through the API, the path a real desktop takes.
func login(baseURL, email, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(baseURL+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login: %s %s", resp.Status, raw)
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.Token == "" {
		return "", fmt.Errorf("login: no token in %s", raw)
	}
	return out.Token, nil
}

// pprofLine finds the hub's profiling address (SWITCHBOARD_PPROF), from its log; empty without one.
var pprofLine = regexp.MustCompile(`msg=pprof url=(http://[^\s]+)`)

// cpuProfile fetches a CPU profile of the next d from the hub into file.
func (h *hubProcess) cpuProfile(file string, d time.Duration) error {
	m := pprofLine.FindStringSubmatch(h.logs.String())
	if m == nil {
		return fmt.Errorf("the hub logged no pprof address (SWITCHBOARD_PPROF)")
	}
	resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", m[1], max(1, int(d.Seconds()))))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// fakeTelegram is the fake Bot API (backend/channel/fakeapi/faketelegram) in a process of its
// own: in this one, the fake's answers to the hub's polls queued behind thousands of desktop
// sockets, and the bench measured its own scheduler instead of the hub.
type fakeTelegram struct {
	cmd        *exec.Cmd
	stdin      io.WriteCloser
	url, token string
	logs       *lockedBuffer
}

func startFakeTelegram(bin, dir string) (*fakeTelegram, error) {
	addrFile := dir + "/faketelegram.addr"
	cmd := exec.Command(bin, "--stdin", "--addr-file", addrFile)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for start := time.Now(); ; time.Sleep(5 * time.Millisecond) {
		raw, err := os.ReadFile(addrFile)
		if f := strings.Fields(string(raw)); err == nil && len(f) == 2 && strings.HasSuffix(string(raw), "\n") {
			return &fakeTelegram{cmd: cmd, stdin: stdin, url: f[0], token: f[1], logs: logs}, nil
		}
		if time.Since(start) > 20*time.Second {
			cmd.Process.Kill()
			return nil, fmt.Errorf("faketelegram did not start\n%s", logs.String())
		}
	}
}

// push queues one client message; the line reaches the fake at once (one write).
func (f *fakeTelegram) push(userID int64, name, text string) error {
	_, err := fmt.Fprintf(f.stdin, "%d\t%s\t%s\n", userID, name, text)
	return err
}

func (f *fakeTelegram) close() error {
	f.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- f.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("faketelegram: %v\n%s", err, f.logs.String())
		}
		return nil
	case <-time.After(10 * time.Second):
		f.cmd.Process.Kill()
		return fmt.Errorf("faketelegram did not exit when its input ended")
	}
}
