package voice

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// needTool returns the path of an external tool the test checks with, or skips the test
// with the Debian package that provides it (make test installs them).
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		pkg := map[string]string{"opusinfo": "opus-tools", "opusdec": "opus-tools", "opusenc": "opus-tools", "ffprobe": "ffmpeg", "ffmpeg": "ffmpeg", "espeak-ng": "espeak-ng", "sox": "sox"}[name]
		t.Skipf("%s not installed (Debian package %s)", name, pkg)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// speechRaw synthesises text with espeak-ng (voice "en" or "ru") at espeak's own rate
// (22050 Hz).
func speechRaw(t *testing.T, dir, voice, text string) string {
	t.Helper()
	espeak := needTool(t, "espeak-ng")
	out := filepath.Join(dir, "raw-"+voice+".wav")
	run(t, espeak, "-v", voice, "-w", out, text)
	return out
}

// speechWAV is speechRaw resampled by sox to 16 kHz mono 16-bit.
func speechWAV(t *testing.T, dir, voice, text string) string {
	t.Helper()
	raw := speechRaw(t, dir, voice, text)
	sox := needTool(t, "sox")
	out := filepath.Join(dir, "speech-"+voice+".wav")
	run(t, sox, raw, "-r", "16000", "-c", "1", "-b", "16", out)
	return out
}

// readWAV reads all samples of a WAV through WAVSource.
func readWAV(t *testing.T, path string) ([]int16, int) {
	t.Helper()
	src := NewWAVSource(path)
	if err := src.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var all []int16
	buf := make([]int16, 4096)
	for {
		n, err := src.Read(buf)
		all = append(all, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return all, src.SampleRate()
}

// writeWAV writes mono 16-bit PCM.
func writeWAV(t testing.TB, path string, rate int, samples []int16) {
	t.Helper()
	b := make([]byte, 44, 44+2*len(samples))
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*len(samples)))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*len(samples)))
	for _, s := range samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ffprobeInfo returns codec, channels and duration (seconds) of an audio file.
func ffprobeInfo(t *testing.T, path string) (codec string, channels int, dur float64) {
	t.Helper()
	ffprobe := needTool(t, "ffprobe")
	out := run(t, ffprobe, "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=codec_name,channels:format=duration", "-of", "default=noprint_wrappers=1", path)
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		switch k {
		case "codec_name":
			codec = v
		case "channels":
			channels, _ = strconv.Atoi(v)
		case "duration":
			dur, _ = strconv.ParseFloat(v, 64)
		}
	}
	return codec, channels, dur
}
