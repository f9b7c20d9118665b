package unusedmem

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"strconv"

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
// not writable and hold no anonymous (privately copied) pages. It reads as it goes and allocates
// only for the mappings it chooses: smaps is tens of thousands of lines for a process with GTK's
// and WebKit's libraries, and read whole at once, or split into fields line by line, it grew the
// Go heap by megabytes (make bench: +4.7 MB anonymous in the bare window's process).
func idleCodeSpans(smaps io.Reader, path string) []span {
	var spans []span
	var cur span
	chosen, private := false, true
	done := func() {
		if chosen && !private {
			spans = append(spans, cur)
		}
	}
	suffix := []byte(" " + path)
	anonymous := []byte("Anonymous:")
	sc := bufio.NewScanner(smaps)
	for sc.Scan() {
		line := sc.Bytes()
		if head, ok := mappingHead(line); ok {
			done()
			// A mapping's head: range, permissions, offset, device, inode[, path].
			chosen, private = false, true // private until its Anonymous line says none
			if bytes.HasSuffix(line, suffix) && len(head.perms) == 4 && head.perms[1] != 'w' {
				start, err1 := strconv.ParseUint(string(head.start), 16, 64)
				end, err2 := strconv.ParseUint(string(head.end), 16, 64)
				chosen = err1 == nil && err2 == nil && end > start
				cur = span{uintptr(start), uintptr(end)}
			}
			continue
		}
		if chosen && bytes.HasPrefix(line, anonymous) {
			kb := bytes.Fields(line[len(anonymous):])
			private = len(kb) == 0 || !bytes.Equal(kb[0], []byte("0"))
		}
	}
	done()
	return spans
}

// head is the start of a mapping's line in smaps: "start-end perms ...".
type head struct{ start, end, perms []byte }

// mappingHead splits a mapping's first line, or says it is not one ("Rss: ...", "VmFlags: ...").
func mappingHead(line []byte) (head, bool) {
	rng, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || !isRange(rng) {
		return head{}, false
	}
	start, end, _ := bytes.Cut(rng, []byte("-"))
	perms, _, _ := bytes.Cut(rest, []byte(" "))
	return head{start, end, perms}, true
}

// isRange says whether s looks like a mapping's address range, "7f25621e1000-7f258ff00000".
func isRange(s []byte) bool {
	a, b, ok := bytes.Cut(s, []byte("-"))
	if !ok || len(a) == 0 || len(b) == 0 {
		return false
	}
	for _, part := range [][]byte{a, b} {
		for _, c := range part {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}
