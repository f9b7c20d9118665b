// Package profiler serves Go's profiler (net/http/pprof) for a running process on a loopback
// address named by SWITCHBOARD_PPROF=127.0.0.1:PORT, so a bench can see where a running hub
// spends its time (bench/cmd/hubbench -hub-cpuprofile) or what a desktop holds after 100 chats
// (a build of the app with the pprof tag, make bench's BENCH_MEM_DUMP). Loopback only: a profile
// shows memory contents' shapes and timings nobody outside the machine should read. An
// environment variable rather than a flag, so every subcommand has it and no command's flags
// change. Of ours it imports only backend/loopback, a leaf of the standard library, so a
// pprof-tag desktop build links nothing of the hub for it.
package profiler

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"

	"switchboard/backend/loopback"
)

// EnvVar names the address to serve on.
const EnvVar = "SWITCHBOARD_PPROF"

// ServeFromEnv starts the profiler when SWITCHBOARD_PPROF is set, and logs its address on
// stderr in the line shape slog writes ("level=INFO msg=pprof url=http://…"), so a bench finds
// it in the log (port 0 picks a free one). program prefixes what it says about a bad address.
func ServeFromEnv(program string) {
	addr := os.Getenv(EnvVar)
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !loopback.Host(host) {
		fmt.Fprintf(os.Stderr, "%s: %s=%q is not a loopback host:port; no profiler\n", program, EnvVar, addr)
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: profiler: %v\n", program, err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	fmt.Fprintf(os.Stderr, "level=INFO msg=pprof url=http://%s\n", ln.Addr())
	go http.Serve(ln, mux)
}
