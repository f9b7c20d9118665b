// Command hubbench measures team mode: a real `switchboard-hub serve` process on loopback over
// SQLite, a fake Telegram Bot API in this process feeding it client messages, and simulated
// desktops (real WebSocket clients of the feed, each with its own session) in this process too.
//
//	hubbench -hub build/bin/switchboard-hub -out metrics.jsonl [-desktops 200,2000] [-rate 100] [-duration 20s]
//	hubbench -db-env -desktops 200 -backlog 30000 -out metrics.jsonl   (under scripts/with-postgres.sh)
//
// It writes JSON lines of raw samples for benchreport (rows hub_*):
//   - write rate: a backlog of -backlog client messages ingested while -desktops' first figure
//     of desktops follow the feed from seq 0, as events/s and as a ratio to a bare batched
//     insert of the same rows (bench/inbound) in the same run;
//   - catch-up: a client -catchup events behind the head reading up to it;
//   - delivery: -rate client messages per second for -duration, from the update entering the
//     fake to each desktop receiving its event, at each desktop count, with the hub's RSS and CPU.
//
// With -bootstrap DATASET the run is the bootstrap step alone (rows hub_bootstrap_*): a headless
// replica takes a snapshot of the bench dataset from a hub to the head (bootstrap.go).
//
// With -db (or -db-env) the run is the write-rate step alone on PostgreSQL (rows hub_pg_*): the
// hub runs `serve --db` on a fresh schema of that database, and the bare batched insert goes into
// another fresh schema of it in the same run; both schemas are dropped at the end.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"switchboard/bench/samples"
	"syscall"
	"time"
)

// Metric is one measurement's raw samples, as benchreport reads them.
type Metric = samples.Metric

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "hubbench:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg := benchConfig{}
	flag.StringVar(&cfg.hubBin, "hub", "build/bin/switchboard-hub", "the switchboard-hub binary to run")
	flag.StringVar(&cfg.fakeBin, "faketelegram", "build/bin/faketelegram", "the fake Bot API binary (backend/channel/fakeapi/faketelegram)")
	out := flag.String("out", "", "JSON lines of samples to append to (required)")
	desktops := flag.String("desktops", "200,2000", "desktop counts to measure delivery at, ascending")
	flag.IntVar(&cfg.rate, "rate", 100, "inbound client messages per second during the delivery runs")
	flag.DurationVar(&cfg.duration, "duration", 20*time.Second, "length of each delivery run")
	flag.IntVar(&cfg.backlog, "backlog", 110_000, "client messages in the write-rate backlog (it also fills the log the catch-up reads)")
	flag.IntVar(&cfg.catchup, "catchup", 100_000, "how far behind the head the catch-up client starts, in events")
	flag.IntVar(&cfg.catchupRuns, "catchup-runs", 3, "catch-up runs")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated messages")
	flag.StringVar(&cfg.hubProfile, "hub-cpuprofile", "", "ask the hub for CPU profiles of the write-rate run and each delivery run, into FILE-write and FILE-N (through SWITCHBOARD_PPROF)")
	benchProfile := flag.String("cpuprofile", "", "write a CPU profile of this process (the desktops and the fake Telegram's feeding) to FILE")
	flag.BoolVar(&cfg.deliveryOnly, "delivery-only", false, "measure only delivery (the backlog, -backlog messages, is then only what the desktops follow first; no write-rate or catch-up rows)")
	flag.StringVar(&cfg.pgBase, "db", "", "PostgreSQL DSN (postgres://…): measure the write rate with the hub's store there (serve --db) instead of the whole SQLite run")
	bootstrap := flag.String("bootstrap", "", "a bench dataset directory (bench/data/…, holding switchboard.db): measure a new desktop's bootstrap from a hub serving it (bootstrap.go) instead of the other steps")
	dbEnv := flag.Bool("db-env", false, "take -db from "+pgEnvDSN+" (scripts/with-postgres.sh exports it), keeping the password off this command line")
	flag.Parse()
	if *out == "" {
		return fmt.Errorf("-out is required")
	}
	if *dbEnv {
		if cfg.pgBase = os.Getenv(pgEnvDSN); cfg.pgBase == "" {
			return fmt.Errorf("-db-env: %s is not set (run under scripts/with-postgres.sh)", pgEnvDSN)
		}
	}
	for _, f := range strings.Split(*desktops, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("-desktops: %q is not a count", f)
		}
		cfg.desktops = append(cfg.desktops, n)
	}
	if err := raiseOpenFiles(cfg.desktops[len(cfg.desktops)-1]*2 + 512); err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if *benchProfile != "" {
		pf, err := os.Create(*benchProfile)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *bootstrap != "" {
		return benchBootstrap(cfg, *bootstrap, samples.Sink{W: f})
	}
	return benchHub(cfg, samples.Sink{W: f})
}

// raiseOpenFiles lifts the soft open-files limit to the hard one (the hub, started from here,
// inherits it): each desktop is a socket on both sides.
func raiseOpenFiles(need int) error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return err
	}
	if lim.Cur < uint64(need) {
		return fmt.Errorf("open-files limit %d is below the %d this run needs (raise the hard limit: ulimit -Hn)", lim.Cur, need)
	}
	return nil
}
