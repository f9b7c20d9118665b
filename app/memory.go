package app

import (
	"context"
	"os"
	"runtime/debug"
	"time"
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

// heapTrimAfter is how long the store must have been still (no commit: a chat opened, a message
// sent or received, a setting saved) before the app hands the C heap's free pages back to the OS.
// Every chat opened commits (the last chat is remembered), so this is a few seconds after the
// manager stops clicking, the same wait as the store's writer before it unmaps its pages.
const heapTrimAfter = 2 * time.Second

// trimWhenStill calls trim once per still period: stillFor after the last signal on changes, and
// then not again until the next signal. A busy stretch (ingestion, a manager clicking through
// chats) only moves the moment on; an idle app is not woken by it at all.
//
// What it is for: glibc keeps the pages of freed memory inside its heap (SQLite's page caches
// and statements, GTK's and WebKit's allocations in the UI process) unless they happen to be at
// its top, so after a busy stretch the process holds memory nothing uses.
func trimWhenStill(ctx context.Context, changes <-chan struct{}, stillFor time.Duration, trim func()) {
	still := time.NewTimer(stillFor)
	defer still.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changes:
			still.Reset(stillFor)
		case <-still.C:
			trim()
		}
	}
}
