package main

import "switchboard/backend/profiler"

// SWITCHBOARD_PPROF=127.0.0.1:PORT serves Go's profiler for this process (backend/profiler).
func init() { profiler.ServeFromEnv("switchboard-hub") }
