// Command storebench measures Switchboard's engine in-process for `make bench`: the store
// queries a manager waits on (quick search, open a chat, switch tab / apply a filter, full-text
// search) on the big demo dataset, ingestion throughput from a fake Telegram server against a
// bare batched insert of the same rows, and the delay from an update leaving the wire to its
// event reaching a follower of the event log.
//
// Every measurement writes one JSON line {"id","unit","samples",...} to -out; bench/cmd/benchreport
// turns the lines into the table and the results file, with the budgets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"switchboard/backend/store"
	"switchboard/bench/samples"
)

// Metric is one measurement's raw samples; the report computes median/p95/p99 from them.
type Metric = samples.Metric

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "storebench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: storebench queries|ingest|latency|setting [flags]")
	}
	fl := flag.NewFlagSet(args[0], flag.ContinueOnError)
	out := fl.String("out", "", "append JSON lines here (required)")
	db := fl.String("db", "", "queries: the demo database to query (opened as is, only read)")
	n := fl.Int("n", 300, "queries: distinct inputs per query kind; latency: updates")
	runs := fl.Int("runs", 5, "ingest: runs of each side")
	updates := fl.Int("updates", 20000, "ingest: updates per run (batches of 100)")
	rate := fl.Float64("rate", 200, "latency: updates per second, Poisson arrivals")
	seed := fl.Uint64("seed", 1, "input sampling seed")
	cpuProfile := fl.String("cpuprofile", "", "write a CPU profile of the run here (go tool pprof)")
	if err := fl.Parse(args[1:]); err != nil {
		return err
	}
	if args[0] == "setting" {
		// Prints one setting of a store (the memory run checks that chats really were opened by
		// reading last_chat before and after). Only reads.
		if *db == "" || fl.NArg() != 1 {
			return errors.New("usage: storebench setting -db FILE KEY")
		}
		return printSetting(*db, fl.Arg(0))
	}
	if *out == "" {
		return errors.New("-out is required")
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", *out, err)
	}
	defer f.Close()
	s := samples.Sink{W: f}
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	switch args[0] {
	case "queries":
		if *db == "" {
			return errors.New("queries: -db is required")
		}
		return benchQueries(*db, *n, *seed, s)
	case "ingest":
		return benchIngest(*runs, *updates, *seed, s)
	case "latency":
		return benchLatency(*n, *rate, *seed, s)
	default:
		return fmt.Errorf("unknown mode %q", args[0])
	}
}

func printSetting(dbPath, key string) error {
	st, err := store.Open(dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	v, _, err := st.Setting(context.Background(), key)
	if err != nil {
		return err
	}
	fmt.Println(v)
	return nil
}
