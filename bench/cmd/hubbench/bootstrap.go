package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/store"
	"switchboard/bench/samples"
)

// The bootstrap step (-bootstrap DATASET): a new desktop joins a big hub. The hub serves a copy
// of the bench dataset (bench/data, `switchboard-hub demo`: 100,000 people, 1,000,000
// messages); a headless replica (`switchboard-hub replica`, the desktop's engine without a
// window, in a process of its own so its memory is its own) starts with an empty data directory
// and takes the snapshot, page by page, and then the feed to the head. Rows hub_bootstrap_*:
// the wall time from the replica's start to its first "online", the rows it holds then per
// second of that, and its peak RSS (VmHWM).

// bootstrapTimeout bounds the step: the row's budget is about a minute of run time.
const bootstrapTimeout = 5 * time.Minute

var (
	snapshotAppliedLine = regexp.MustCompile(`msg="replica: snapshot applied" seq=(\d+)`)
	replicaOnlineLine   = regexp.MustCompile(`msg="replica status" state=online`)
)

func benchBootstrap(cfg benchConfig, dataset string, out samples.Sink) error {
	work, err := os.MkdirTemp("", "hubbench-bootstrap-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	hubDir, repDir := filepath.Join(work, "hub"), filepath.Join(work, "replica")
	for _, d := range []string{hubDir, repDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	// The hub writes (sessions, its log of events): it gets a copy, and the dataset stays as
	// generated for the other steps.
	if err := copyFile(filepath.Join(dataset, "switchboard.db"), filepath.Join(hubDir, "switchboard.db")); err != nil {
		return fmt.Errorf("copy the dataset: %w", err)
	}
	if _, err := desktopSessions(hubDir, "", 0, 1); err != nil {
		return fmt.Errorf("the desktop's account: %w", err)
	}
	// No bot polls here: the demo's channels have no tokens, and the Bot API address is one
	// nothing listens on.
	h, err := startHub(cfg.hubBin, hubDir, "http://127.0.0.1:9", nil, nil)
	if err != nil {
		return err
	}
	defer h.stop()
	creds := filepath.Join(work, "credentials")
	if err := os.WriteFile(creds, []byte("manager1@bench.invalid\nbench manager password\n"), 0o600); err != nil {
		return err
	}
	slog.Info("hubbench: a new desktop's bootstrap", "dataset", dataset, "hub", h.url)
	rep := exec.Command(cfg.hubBin, "replica", "--data", repDir, "--hub", h.url, "--credentials", creds)
	logs := &lockedBuffer{}
	rep.Stdout, rep.Stderr = logs, logs
	hubBefore, err := h.sample()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := rep.Start(); err != nil {
		return err
	}
	repProc := &hubProcess{cmd: rep, logs: logs, done: make(chan error, 1)}
	go func() { repProc.done <- rep.Wait() }()
	running := true
	defer func() {
		if running {
			repProc.stop()
		}
	}()
	var took time.Duration
	var peakKB int64
	var hubCPU, repCPU float64 // seconds of CPU each spent on the bootstrap
	for took == 0 {
		select {
		case err := <-repProc.done:
			running = false
			return fmt.Errorf("the replica exited during its bootstrap: %v\n%s", err, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
		text := logs.String()
		// Online after the snapshot: the feed has brought it from the snapshot's seq to the head.
		if at := snapshotAppliedLine.FindStringIndex(text); at != nil && replicaOnlineLine.MatchString(text[at[1]:]) {
			took = time.Since(start)
			if peakKB, err = peakRSS(rep.Process.Pid); err != nil {
				return err
			}
			hubAfter, err := h.sample()
			if err != nil {
				return err
			}
			repAt, err := sampleProcess(rep.Process.Pid)
			if err != nil {
				return err
			}
			hubCPU = float64(hubAfter.cpuTicks-hubBefore.cpuTicks) / clockTicks
			repCPU = float64(repAt.cpuTicks) / clockTicks
		}
		if time.Since(start) > bootstrapTimeout {
			return fmt.Errorf("the replica was not online within %s\n%s", bootstrapTimeout, tail(logs.String(), 4000))
		}
	}
	running = false
	if err := repProc.stop(); err != nil {
		return err
	}
	st, err := store.OpenDir(repDir)
	if err != nil {
		return err
	}
	people, chats, messages, err := st.SnapshotTotals(context.Background(), 1<<30)
	st.Close()
	if err != nil {
		return err
	}
	rows := people + chats + messages
	secs := took.Seconds()
	note := fmt.Sprintf("%d people, %d chats, %d messages applied; CPU: hub %.0f s, replica %.0f s; load average %s",
		people, chats, messages, hubCPU, repCPU, loadAverage())
	slog.Info("hubbench: bootstrap", "seconds", secs, "people", people, "chats", chats, "messages", messages, "peak_rss_mb", peakKB/1024,
		"hub_cpu_s", hubCPU, "replica_cpu_s", repCPU)
	for _, m := range []Metric{
		{ID: "hub_bootstrap", Unit: "s", Samples: []float64{secs}, Note: note},
		{ID: "hub_bootstrap_rows", Unit: "rows/s", Samples: []float64{float64(rows) / secs}, Note: note},
		{ID: "hub_bootstrap_rss", Unit: "MB", Samples: []float64{float64(peakKB) / 1024}, Note: note},
	} {
		if err := out.Put(m); err != nil {
			return err
		}
	}
	return nil
}

// peakRSS is a process's peak resident set so far (VmHWM), in kB.
func peakRSS(pid int) (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strconv.ParseInt(strings.Fields(v)[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmHWM for process %d", pid)
}

func loadAverage() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(raw))
	return strings.Join(f[:min(3, len(f))], " ")
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }
