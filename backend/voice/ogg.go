package voice

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Ogg page header flags (RFC 3533 section 6).
const (
	oggFlagContinued = 0x01
	oggFlagBOS       = 0x02
	oggFlagEOS       = 0x04
)

// oggCRCTable is the table for the Ogg checksum: CRC-32 with polynomial 0x04c11db7, initial
// value 0, no bit reflection and no final xor. This is NOT hash/crc32's IEEE variant (which
// is reflected), so it is computed here.
var oggCRCTable = func() [256]uint32 {
	var t [256]uint32
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// oggCRC continues an Ogg checksum over b, starting from crc (0 for a new page).
func oggCRC(crc uint32, b []byte) uint32 {
	for _, c := range b {
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^c]
	}
	return crc
}

// maxPageSegments is the most lacing values one Ogg page can carry.
const maxPageSegments = 255

// maxPacketSize is the largest packet this muxer accepts. A packet must fit in one page (we
// never continue a packet across pages); Opus packets are at most 1275 bytes per frame
// times 48 frames, far below 255*255-1, and ours (one 20 ms frame) are under 1500 bytes.
const maxPacketSize = maxPageSegments*255 - 1

// defaultPageDuration is how much audio (in 48 kHz samples) goes in one page before it is
// flushed: one second, so the ~27 bytes of page header cost ~1.5% at 16 kbps instead of the
// ~30% that one page per 20 ms packet would.
const defaultPageDuration = 48000

// OggOpusConfig describes the stream the OggOpusWriter writes (RFC 7845).
type OggOpusConfig struct {
	Serial          uint32   // the logical stream's serial number; pick it at random
	PreSkip         uint16   // encoder lookahead in 48 kHz samples, dropped by players at the start
	InputSampleRate uint32   // the rate the audio was captured at (informational for players)
	Vendor          string   // OpusTags vendor string
	Comments        []string // OpusTags user comments, "KEY=value"; may be empty
	// PageDuration is how much audio (48 kHz samples) a page holds before it is flushed;
	// 0 means one second.
	PageDuration int64
}

// OggOpusWriter muxes Opus packets into an Ogg stream. Packets are gathered into pages of
// about PageDuration; the last page is held back until Close so it can carry the
// end-of-stream flag and the end-trimming granule position.
type OggOpusWriter struct {
	w   io.Writer
	cfg OggOpusConfig
	seq uint32

	pending      [][]byte // packets of the page being built
	pendingSegs  int      // lacing values they need
	pendingEnd   int64    // granule position after the last pending packet
	pendingStart int64    // granule position before the first pending packet
	closed       bool
	bytesWritten int64
	pagesWritten int
}

// NewOggOpusWriter writes the two header pages (OpusHead, OpusTags) to w and returns a writer
// ready for audio packets.
func NewOggOpusWriter(w io.Writer, cfg OggOpusConfig) (*OggOpusWriter, error) {
	if cfg.InputSampleRate == 0 {
		return nil, errors.New("ogg opus: input sample rate must be set")
	}
	if cfg.PageDuration <= 0 {
		cfg.PageDuration = defaultPageDuration
	}
	o := &OggOpusWriter{w: w, cfg: cfg}

	// OpusHead (RFC 7845 section 5.1): magic, version 1, channel count, pre-skip, input rate,
	// output gain (Q7.8 dB), channel mapping family 0 (mono/stereo, no mapping table).
	head := make([]byte, 19)
	copy(head, "OpusHead")
	head[8] = 1
	head[9] = 1
	binary.LittleEndian.PutUint16(head[10:], cfg.PreSkip)
	binary.LittleEndian.PutUint32(head[12:], cfg.InputSampleRate)
	binary.LittleEndian.PutUint16(head[16:], 0)
	head[18] = 0
	if err := o.writePage([][]byte{head}, 0, oggFlagBOS); err != nil {
		return nil, fmt.Errorf("ogg opus: write OpusHead: %w", err)
	}

	// OpusTags (RFC 7845 section 5.2) on its own page; audio starts on a fresh page.
	tags := make([]byte, 0, 16+len(cfg.Vendor))
	tags = append(tags, "OpusTags"...)
	tags = binary.LittleEndian.AppendUint32(tags, uint32(len(cfg.Vendor)))
	tags = append(tags, cfg.Vendor...)
	tags = binary.LittleEndian.AppendUint32(tags, uint32(len(cfg.Comments)))
	for _, c := range cfg.Comments {
		tags = binary.LittleEndian.AppendUint32(tags, uint32(len(c)))
		tags = append(tags, c...)
	}
	if len(tags) > maxPacketSize {
		return nil, errors.New("ogg opus: OpusTags too large for one page")
	}
	if err := o.writePage([][]byte{tags}, 0, 0); err != nil {
		return nil, fmt.Errorf("ogg opus: write OpusTags: %w", err)
	}
	return o, nil
}

// segmentsFor is the number of lacing values a packet of n bytes needs: one 255 per full
// 255 bytes and a final value below 255 (0 when n is a multiple of 255) that ends it.
func segmentsFor(n int) int { return n/255 + 1 }

// WritePacket queues one Opus packet that decodes to samples48 samples at 48 kHz (960 for a
// 20 ms frame). Full pages are written as they fill.
func (o *OggOpusWriter) WritePacket(packet []byte, samples48 int) error {
	if o.closed {
		return errors.New("ogg opus: write after close")
	}
	if len(packet) > maxPacketSize {
		return fmt.Errorf("ogg opus: packet of %d bytes does not fit in one page", len(packet))
	}
	if samples48 <= 0 {
		return fmt.Errorf("ogg opus: packet duration %d must be positive", samples48)
	}
	segs := segmentsFor(len(packet))
	// Flush the page being built when this packet would overflow its lacing table, or when it
	// already holds a page's worth of audio.
	if len(o.pending) > 0 && (o.pendingSegs+segs > maxPageSegments || o.pendingEnd-o.pendingStart >= o.cfg.PageDuration) {
		if err := o.flush(o.pendingEnd, 0); err != nil {
			return err
		}
	}
	if len(o.pending) == 0 {
		o.pendingStart = o.pendingEnd
	}
	o.pending = append(o.pending, append([]byte(nil), packet...))
	o.pendingSegs += segs
	o.pendingEnd += int64(samples48)
	return nil
}

// Close writes the last page with the end-of-stream flag. finalGranule is pre-skip plus the
// exact number of input samples (in 48 kHz units): when it is below the decoded length of the
// packets, players trim the padding of the last frame (RFC 7845 section 4.5).
func (o *OggOpusWriter) Close(finalGranule int64) error {
	if o.closed {
		return errors.New("ogg opus: already closed")
	}
	if len(o.pending) == 0 {
		return errors.New("ogg opus: no audio packets to end the stream with")
	}
	// The end-trimmed granule must stay within the last page's packets: not before the
	// previous page's position, not after what the packets decode to.
	if finalGranule <= o.pendingStart || finalGranule > o.pendingEnd {
		return fmt.Errorf("ogg opus: final granule %d outside the last page's range (%d, %d]", finalGranule, o.pendingStart, o.pendingEnd)
	}
	o.closed = true
	return o.flush(finalGranule, oggFlagEOS)
}

// BytesWritten is the size of the stream written so far.
func (o *OggOpusWriter) BytesWritten() int64 { return o.bytesWritten }

// Pages is the number of pages written so far, headers included.
func (o *OggOpusWriter) Pages() int { return o.pagesWritten }

func (o *OggOpusWriter) flush(granule int64, flags byte) error {
	if err := o.writePage(o.pending, granule, flags); err != nil {
		return fmt.Errorf("ogg opus: write audio page: %w", err)
	}
	o.pending = o.pending[:0]
	o.pendingSegs = 0
	o.pendingStart = o.pendingEnd
	return nil
}

// writePage writes one page holding whole packets.
func (o *OggOpusWriter) writePage(packets [][]byte, granule int64, flags byte) error {
	var lacing []byte
	size := 0
	for _, p := range packets {
		for n := len(p); ; n -= 255 {
			if n >= 255 {
				lacing = append(lacing, 255)
				continue
			}
			lacing = append(lacing, byte(n))
			break
		}
		size += len(p)
	}
	if len(lacing) > maxPageSegments {
		return fmt.Errorf("page needs %d lacing values", len(lacing))
	}
	page := make([]byte, 27, 27+len(lacing)+size)
	copy(page, "OggS")
	page[4] = 0 // stream structure version
	page[5] = flags
	binary.LittleEndian.PutUint64(page[6:], uint64(granule))
	binary.LittleEndian.PutUint32(page[14:], o.cfg.Serial)
	binary.LittleEndian.PutUint32(page[18:], o.seq)
	// page[22:26] is the CRC, zero while it is computed.
	page[26] = byte(len(lacing))
	page = append(page, lacing...)
	for _, p := range packets {
		page = append(page, p...)
	}
	binary.LittleEndian.PutUint32(page[22:], oggCRC(0, page))
	if _, err := o.w.Write(page); err != nil {
		return err
	}
	o.seq++
	o.pagesWritten++
	o.bytesWritten += int64(len(page))
	return nil
}
