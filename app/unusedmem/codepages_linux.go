package unusedmem

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// span is one mapping's address range, [start, end).
type span struct{ start, end uintptr }

// releaseIdleCodePages drops the page-table entries of the executable's read-only mappings, so
// the process maps again only the pages it goes on to use.
//
// Why: the kernel maps a file's pages in 64 KB runs around each page a process touches, from
// whatever its read-ahead brought into the page cache, so a Go binary ends up with nearly all of
// its code and constants mapped (make bench: 13.6 of the desktop binary's 15.5 MB after 100
// chats), though a still app runs a small part of them. Those pages count in the process's memory
// (RSS, PSS) and are kept on the kernel's active list while mapped. Unmapped, they stay in the
// page cache, shared and reclaimable; a page used again is mapped back by a minor fault, without
// reading the disk unless the kernel has reclaimed it meanwhile.
//
// Only mappings that cannot hold a private copy of a page are touched: not writable, and with
// no anonymous pages (the relocated, then write-protected RELRO part has some). For those,
// MADV_DONTNEED only unmaps; the contents come back from the file unchanged.
func releaseIdleCodePages() {
	if exe, err := os.Readlink("/proc/self/exe"); err == nil {
		releaseIdleMappingsOf(exe)
	}
}

// releaseIdleMappingsOf unmaps the pages of this process's mappings of the file path that are
// read-only and hold no private copy (see idleCodeSpans).
func releaseIdleMappingsOf(path string) {
	smaps, err := os.Open("/proc/self/smaps")
	if err != nil {
		return
	}
	spans := idleCodeSpans(smaps, path)
	smaps.Close()
	for _, s := range spans {
		// An error (a mapping gone meanwhile) leaves the pages mapped: nothing to handle.
		_, _, _ = unix.Syscall(unix.SYS_MADVISE, s.start, s.end-s.start, unix.MADV_DONTNEED)
	}
}

// idleCodeSpans reads /proc/PID/smaps text and returns the mappings of the file path that are
// not writable and hold no anonymous (privately copied) pages. It reads as it goes: smaps is
// megabytes for a process with GTK's and WebKit's libraries, and read whole at once its buffer
// alone grew the Go heap by ~4 MB.
func idleCodeSpans(smaps io.Reader, path string) []span {
	var spans []span
	var cur span
	chosen, private := false, true
	done := func() {
		if chosen && !private {
			spans = append(spans, cur)
		}
	}
	sc := bufio.NewScanner(smaps)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 5 && isRange(f[0]) {
			done()
			// A mapping's head: range, permissions, offset, device, inode[, path]. A path with
			// spaces has more fields.
			chosen = len(f) >= 6 && strings.Join(f[5:], " ") == path && !strings.Contains(f[1], "w")
			private = true // until its Anonymous line says none
			if chosen {
				a, b, _ := strings.Cut(f[0], "-")
				start, err1 := strconv.ParseUint(a, 16, 64)
				end, err2 := strconv.ParseUint(b, 16, 64)
				chosen = err1 == nil && err2 == nil && end > start
				cur = span{uintptr(start), uintptr(end)}
			}
			continue
		}
		if chosen && len(f) >= 2 && f[0] == "Anonymous:" {
			private = f[1] != "0"
		}
	}
	done()
	return spans
}

// isRange says whether s looks like a mapping's address range, "7f25621e1000-7f258ff00000".
func isRange(s string) bool {
	a, b, ok := strings.Cut(s, "-")
	if !ok || a == "" || b == "" {
		return false
	}
	for _, c := range a + b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
