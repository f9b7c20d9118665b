package voice

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// oggPage is one parsed page, checked against its CRC by parseOggPages.
type oggPage struct {
	flags   byte
	granule int64
	serial  uint32
	seq     uint32
	lacing  []byte
	packets [][]byte // whole packets ending on this page (we never continue packets)
	size    int
}

// parseOggPages splits an Ogg stream into pages, failing the test on a bad capture pattern,
// a CRC mismatch or a truncated page.
func parseOggPages(t *testing.T, b []byte) []oggPage {
	t.Helper()
	var pages []oggPage
	for len(b) > 0 {
		if len(b) < 27 || string(b[:4]) != "OggS" {
			t.Fatalf("page %d: no capture pattern", len(pages))
		}
		n := int(b[26])
		if len(b) < 27+n {
			t.Fatalf("page %d: truncated lacing table", len(pages))
		}
		p := oggPage{
			flags:   b[5],
			granule: int64(binary.LittleEndian.Uint64(b[6:])),
			serial:  binary.LittleEndian.Uint32(b[14:]),
			seq:     binary.LittleEndian.Uint32(b[18:]),
			lacing:  append([]byte(nil), b[27:27+n]...),
		}
		body := 0
		for _, l := range p.lacing {
			body += int(l)
		}
		p.size = 27 + n + body
		if len(b) < p.size {
			t.Fatalf("page %d: truncated body", len(pages))
		}
		if b[4] != 0 {
			t.Fatalf("page %d: version %d", len(pages), b[4])
		}
		want := binary.LittleEndian.Uint32(b[22:])
		page := append([]byte(nil), b[:p.size]...)
		copy(page[22:26], []byte{0, 0, 0, 0})
		if got := oggCRC(0, page); got != want {
			t.Fatalf("page %d: CRC %08x, stored %08x", len(pages), got, want)
		}
		data := b[27+n : p.size]
		start := 0
		cur := 0
		for _, l := range p.lacing {
			cur += int(l)
			if l < 255 {
				p.packets = append(p.packets, data[start:cur])
				start = cur
			}
		}
		if start != cur {
			t.Fatalf("page %d: a packet continues past the page", len(pages))
		}
		pages = append(pages, p)
		b = b[p.size:]
	}
	return pages
}

func TestOggCRCKnownValues(t *testing.T) {
	// CRC-32 with poly 0x04c11db7, init 0, no reflection, no xorout: the check value of
	// "123456789" is the complement of CRC-32/POSIX's 0x765e7680.
	if got := oggCRC(0, []byte("123456789")); got != 0x89a1897f {
		t.Fatalf("crc(123456789) = %08x, want 89a1897f", got)
	}
	if got := oggCRC(0, nil); got != 0 {
		t.Fatalf("crc(empty) = %08x, want 0", got)
	}
	// Continuing a CRC over split input equals one pass.
	if oggCRC(oggCRC(0, []byte("1234")), []byte("56789")) != 0x89a1897f {
		t.Fatal("split CRC differs from one pass")
	}
}

// TestOggCRCMatchesOpusenc checks our CRC against pages written by libogg (opusenc): an
// independent implementation of the same checksum.
func TestOggCRCMatchesOpusenc(t *testing.T) {
	opusenc := needTool(t, "opusenc")
	dir := t.TempDir()
	wav := speechWAV(t, dir, "en", "Checking the Ogg checksum.")
	out := filepath.Join(dir, "ref.opus")
	if b, err := exec.Command(opusenc, "--quiet", wav, out).CombinedOutput(); err != nil {
		t.Fatalf("opusenc: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	pages := parseOggPages(t, b) // fails on any CRC mismatch
	if len(pages) < 3 {
		t.Fatalf("opusenc wrote %d pages", len(pages))
	}
}

func TestOggHeaders(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewOggOpusWriter(&buf, OggOpusConfig{Serial: 0xdeadbeef, PreSkip: 312, InputSampleRate: 16000, Vendor: "test vendor", Comments: []string{"TITLE=Привет"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket([]byte{0xf8, 1, 2}, 960); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(312 + 100); err != nil {
		t.Fatal(err)
	}
	pages := parseOggPages(t, buf.Bytes())
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	head := pages[0].packets[0]
	wantHead := []byte{'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 1, 0x38, 0x01, 0x80, 0x3e, 0, 0, 0, 0, 0}
	if !bytes.Equal(head, wantHead) {
		t.Fatalf("OpusHead % x\nwant     % x", head, wantHead)
	}
	if pages[0].flags != oggFlagBOS || pages[0].granule != 0 || pages[0].seq != 0 {
		t.Fatalf("head page flags %x granule %d seq %d", pages[0].flags, pages[0].granule, pages[0].seq)
	}
	tags := pages[1].packets[0]
	vendor := "test vendor"
	comment := "TITLE=Привет"
	var want []byte
	want = append(want, "OpusTags"...)
	want = binary.LittleEndian.AppendUint32(want, uint32(len(vendor)))
	want = append(want, vendor...)
	want = binary.LittleEndian.AppendUint32(want, 1)
	want = binary.LittleEndian.AppendUint32(want, uint32(len(comment)))
	want = append(want, comment...)
	if !bytes.Equal(tags, want) {
		t.Fatalf("OpusTags % x\nwant     % x", tags, want)
	}
	if pages[1].flags != 0 || pages[1].granule != 0 || pages[1].seq != 1 {
		t.Fatalf("tags page flags %x granule %d seq %d", pages[1].flags, pages[1].granule, pages[1].seq)
	}
	for i, p := range pages {
		if p.serial != 0xdeadbeef {
			t.Fatalf("page %d serial %x", i, p.serial)
		}
	}
	if pages[2].flags != oggFlagEOS || pages[2].granule != 412 || pages[2].seq != 2 {
		t.Fatalf("audio page flags %x granule %d seq %d", pages[2].flags, pages[2].granule, pages[2].seq)
	}
	if w.BytesWritten() != int64(buf.Len()) {
		t.Fatalf("BytesWritten %d, wrote %d", w.BytesWritten(), buf.Len())
	}
}

func TestOggLacingValues(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewOggOpusWriter(&buf, OggOpusConfig{Serial: 7, PreSkip: 312, InputSampleRate: 16000, Vendor: "v"})
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{10, 254, 255, 300, 510, 1275}
	for i, n := range sizes {
		if err := w.WritePacket(bytes.Repeat([]byte{byte(i + 1)}, n), 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(int64(len(sizes)) * 960); err != nil {
		t.Fatal(err)
	}
	pages := parseOggPages(t, buf.Bytes())
	audio := pages[2]
	want := []byte{10, 254, 255, 0, 255, 45, 255, 255, 0, 255, 255, 255, 255, 255, 0}
	if !bytes.Equal(audio.lacing, want) {
		t.Fatalf("lacing %v\nwant   %v", audio.lacing, want)
	}
	if len(audio.packets) != len(sizes) {
		t.Fatalf("%d packets on the page, want %d", len(audio.packets), len(sizes))
	}
	for i, p := range audio.packets {
		if len(p) != sizes[i] || !bytes.Equal(p, bytes.Repeat([]byte{byte(i + 1)}, sizes[i])) {
			t.Fatalf("packet %d: %d bytes, want %d of %d", i, len(p), sizes[i], i+1)
		}
	}
	if err := w.WritePacket(make([]byte, 10), 960); err == nil {
		t.Fatal("write after close accepted")
	}
}

// TestOggPageSplitsOnSegments: packets needing 3 lacing values each fill 85 per page; no page
// exceeds 255 lacing values and no packet is split.
func TestOggPageSplitsOnSegments(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewOggOpusWriter(&buf, OggOpusConfig{Serial: 7, PreSkip: 312, InputSampleRate: 16000, Vendor: "v", PageDuration: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	for i := range n {
		if err := w.WritePacket(bytes.Repeat([]byte{byte(i)}, 600), 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(n*960 - 500); err != nil {
		t.Fatal(err)
	}
	pages := parseOggPages(t, buf.Bytes())[2:]
	got := []int{}
	for _, p := range pages {
		if len(p.lacing) > 255 {
			t.Fatalf("page with %d lacing values", len(p.lacing))
		}
		if p.flags&oggFlagContinued != 0 {
			t.Fatal("continued page")
		}
		got = append(got, len(p.packets))
	}
	if fmt.Sprint(got) != "[85 85 30]" {
		t.Fatalf("packets per page %v, want [85 85 30]", got)
	}
}

// TestOggGranulePositions: one-second pages, granule = 48 kHz samples of the packets ended so
// far, increasing sequence numbers, EOS only on the last page, whose granule is end-trimmed.
func TestOggGranulePositions(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewOggOpusWriter(&buf, OggOpusConfig{Serial: 42, PreSkip: 312, InputSampleRate: 16000, Vendor: "v"})
	if err != nil {
		t.Fatal(err)
	}
	const packets = 123 // 2.46 s of 20 ms packets
	for i := range packets {
		if err := w.WritePacket([]byte{0xf8, byte(i)}, 960); err != nil {
			t.Fatal(err)
		}
	}
	// Claim fewer samples than the packets decode to, as the recorder does for end trim.
	final := int64(packets*960 - 700)
	if err := w.Close(final); err != nil {
		t.Fatal(err)
	}
	pages := parseOggPages(t, buf.Bytes())
	audio := pages[2:]
	if len(audio) != 3 {
		t.Fatalf("%d audio pages, want 3 (50+50+23 packets)", len(audio))
	}
	seen := 0
	for i, p := range audio {
		if int(p.seq) != i+2 {
			t.Fatalf("page %d: seq %d", i, p.seq)
		}
		seen += len(p.packets)
		last := i == len(audio)-1
		wantGranule := int64(seen * 960)
		wantFlags := byte(0)
		if last {
			wantGranule, wantFlags = final, oggFlagEOS
		}
		if p.granule != wantGranule || p.flags != wantFlags {
			t.Fatalf("page %d: granule %d flags %x, want %d %x", i, p.granule, p.flags, wantGranule, wantFlags)
		}
	}
	if seen != packets {
		t.Fatalf("%d packets in pages, wrote %d", seen, packets)
	}
}

func TestOggCloseRejectsBadGranule(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewOggOpusWriter(&buf, OggOpusConfig{Serial: 1, PreSkip: 312, InputSampleRate: 16000, Vendor: "v"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(100); err == nil {
		t.Fatal("closed a stream with no audio")
	}
	for range 60 { // one full page of 50 and 10 pending
		if err := w.WritePacket([]byte{1}, 960); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(50 * 960); err == nil {
		t.Fatal("accepted a final granule that trims the whole last page")
	}
	if err := w.Close(60*960 + 1); err == nil {
		t.Fatal("accepted a final granule beyond the packets")
	}
	if err := w.Close(60 * 960); err != nil {
		t.Fatal(err)
	}
}
