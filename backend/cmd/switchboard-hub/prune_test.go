package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"switchboard/backend/channel/fakeapi"
	"switchboard/backend/store"
)

// serve --keep-events bounds the event log: the real binary prunes it in the background while
// messages arrive, down to the bound, and never below it.
func TestServePrunesTheEventLogToItsBound(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the hub binary")
	}
	bin := buildHub(t)
	fake := fakeapi.NewTelegram(t)
	data := filepath.Join(t.TempDir(), "hub")
	addFakeTelegram(t, bin, fake, data)
	const keep = 30
	h := startServe(t, bin, "--data", data, "--tokens", "file", "--telegram-api", fake.URL(), "--listen", freeLoopbackAddr(t),
		"--keep-events", fmt.Sprint(keep), "--prune-every", "20ms")
	defer h.stop(t)
	for i := 0; i < 200; i++ {
		fake.PushText(int64(5000+i%10), fmt.Sprintf("Client %d", i%10), fmt.Sprintf("message %d", i))
	}
	st, err := store.OpenDir(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var kept, last int64
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		kept, _ = st.KeptSince(ctx)
		last, _ = st.LastSeq(ctx)
		s, _ := st.Stats(ctx)
		if s.Messages == 200 && last-kept+1 == keep {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages, the log holds %d..%d (want the newest %d)\n%s", s.Messages, kept, last, keep, h.logs.String())
		}
	}
	t.Logf("200 messages in; the log keeps %d..%d", kept, last)
}
