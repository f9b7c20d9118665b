package unusedmem

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A real smaps of the desktop process after make bench's 100 chats (the path renamed): the code
// and constants are chosen; the RELRO part (read-only, but 4 kB of it privately relocated), the
// writable data, the heap and a library are not.
func TestIdleCodeSpansChoosesTheExecutablesReadOnlyUncopiedMappings(t *testing.T) {
	smaps, err := os.ReadFile("testdata/desktop.smaps")
	if err != nil {
		t.Fatal(err)
	}
	got := idleCodeSpans(bytes.NewReader(smaps), "/usr/bin/switchboard")
	want := []span{
		{0x00400000, 0x00419000}, // ELF headers and the first read-only part
		{0x00419000, 0x00b18000}, // code
		{0x00b18000, 0x01210000}, // constants, type data, the function table
	}
	if len(got) != len(want) {
		t.Fatalf("spans %x, want %x", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("span %d = %x, want %x", i, got[i], want[i])
		}
	}
	if spans := idleCodeSpans(bytes.NewReader(smaps), "/usr/bin/other"); len(spans) != 0 {
		t.Fatalf("another file's name chose %x", spans)
	}
	if spans := idleCodeSpans(strings.NewReader("garbage\n\x00\nAnonymous: 0 kB\n"), "/usr/bin/switchboard"); len(spans) != 0 {
		t.Fatalf("garbage chose %x", spans)
	}
}

// residentKB is how much of this process's mapping that starts at addr is in its page tables.
func residentKB(t *testing.T, addr uintptr) int {
	t.Helper()
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	head := strconv.FormatUint(uint64(addr), 16) + "-"
	in := false
	for _, line := range strings.Split(string(smaps), "\n") {
		f := strings.Fields(line)
		if len(f) >= 5 && isRange(f[0]) {
			in = strings.HasPrefix(f[0], head)
			continue
		}
		if in && len(f) >= 2 && f[0] == "Rss:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatalf("no mapping at %x", addr)
	return 0
}

// On real mappings of a file: a read-only one, all of it touched, is unmapped and reads the same
// afterwards; a read-only one with a page privately changed (as the RELRO part is after
// relocation) keeps its pages and the change; a writable one is not touched.
func TestReleaseIdleMappingsOfUnmapsOnlyUncopiedReadOnlyMappings(t *testing.T) {
	const size = 8 << 20
	path := filepath.Join(t.TempDir(), "code")
	content := make([]byte, size)
	for i := range content {
		content[i] = byte(i*7 + i>>12)
	}
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mmap := func(prot int) []byte {
		b, err := unix.Mmap(int(f.Fd()), 0, size, prot, unix.MAP_PRIVATE)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Munmap(b) })
		return b
	}
	code := mmap(unix.PROT_READ)
	relro := mmap(unix.PROT_READ | unix.PROT_WRITE)
	relro[5000] = ^content[5000]
	if err := unix.Mprotect(relro, unix.PROT_READ); err != nil {
		t.Fatal(err)
	}
	data := mmap(unix.PROT_READ | unix.PROT_WRITE)
	var sum int
	for i := 0; i < size; i += 4096 {
		sum += int(code[i]) + int(relro[i]) + int(data[i])
	}
	at := func(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }
	codeBefore, relroBefore, dataBefore := residentKB(t, at(code)), residentKB(t, at(relro)), residentKB(t, at(data))
	if codeBefore < size/1024/2 {
		t.Fatalf("only %d kB of the read-only mapping resident after reading all of it", codeBefore)
	}

	releaseIdleMappingsOf(path)

	if kb := residentKB(t, at(code)); kb > 64 {
		t.Errorf("the read-only mapping still has %d kB mapped (%d before)", kb, codeBefore)
	}
	if kb := residentKB(t, at(relro)); kb != relroBefore {
		t.Errorf("the privately changed read-only mapping went %d -> %d kB", relroBefore, kb)
	}
	if kb := residentKB(t, at(data)); kb != dataBefore {
		t.Errorf("the writable mapping went %d -> %d kB", dataBefore, kb)
	}
	if relro[5000] != ^content[5000] {
		t.Error("the private change was lost")
	}
	if !bytes.Equal(code, content) {
		t.Error("the read-only mapping reads differently after")
	}
	t.Logf("read-only mapping resident: %d kB -> unmapped (checksum %d)", codeBefore, sum)
}

var relocatedData = map[string]int{"kept": 42} // writable data, which Release leaves alone

// Release on this test binary itself: the process runs on (this code, the runtime's, fmt's) with
// its data intact.
func TestReleaseAndRunOn(t *testing.T) {
	Release()
	if got := fmt.Sprintf("%d %s", relocatedData["kept"], strings.Repeat("ok", 2)); got != "42 okok" {
		t.Fatalf("after Release: %q", got)
	}
}
