package app

import (
	"os"
	"runtime/debug"
)

// desktopGCPercent is the Go collector's target while the app runs: the desktop's live Go heap
// is a few MB (bindings, the event bridge, pollers), so the default 100 lets as much again of
// garbage sit in memory between collections for nothing a person would notice. At 50 the Go
// process held ~1-2 MB less after 100 chats (make bench's memory step), for collections of a
// heap that small that take well under a millisecond. GOGC set by hand wins. (C's side of the
// process: memory_linux.go.)
const desktopGCPercent = 50

// tuneMemory is called first thing in run, before the store, GTK and WebKit allocate.
func tuneMemory() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(desktopGCPercent)
	}
}
