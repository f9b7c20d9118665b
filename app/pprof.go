//go:build pprof

package app

import "switchboard/backend/profiler"

// A build with the pprof tag (not the released one: net/http/pprof would add to the binary
// every desktop maps) serves Go's profiler at SWITCHBOARD_PPROF=127.0.0.1:PORT, so make bench's
// BENCH_MEM_DUMP can take the heap profile of an app that has opened 100 chats.
func init() { profiler.ServeFromEnv("switchboard") }
