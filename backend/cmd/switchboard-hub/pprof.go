package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"

	"switchboard/backend/hub"
)

// SWITCHBOARD_PPROF=127.0.0.1:PORT serves Go's profiler (net/http/pprof) for this process on a
// loopback address, so the hub bench (bench/cmd/hubbench -hub-cpuprofile) can see where a
// running hub spends its time. Loopback only: a profile shows memory contents' shapes and
// timings nobody outside the machine should read. An environment variable rather than a flag,
// so every subcommand has it and no command's flags change.
func init() {
	addr := os.Getenv("SWITCHBOARD_PPROF")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !hub.IsLoopback(host) {
		fmt.Fprintf(os.Stderr, "switchboard-hub: SWITCHBOARD_PPROF=%q is not a loopback host:port; no profiler\n", addr)
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "switchboard-hub: profiler: %v\n", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// The same line shape slog writes, so the bench finds the address in the log.
	fmt.Fprintf(os.Stderr, "level=INFO msg=pprof url=http://%s\n", ln.Addr())
	go http.Serve(ln, mux)
}
