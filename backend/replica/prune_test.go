package replica_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/backend/hub"
	"switchboard/backend/replica"
)

// The hub prunes its log in the background to its bounds; a replica away while its cursor
// fell out of the kept log takes a snapshot again by itself, and the writes it queued while
// away are delivered once.
func TestReplicaBehindThePrunedLogBootstrapsAgain(t *testing.T) {
	const keep = 40
	h := startHubWith(t, nil, func(c *hub.Config) {
		c.Prune = hub.PruneConfig{KeepEvents: keep, Every: 20 * time.Millisecond, Batch: 7}
	})
	ctx := context.Background()
	h.fake.PushText(1001, "Ann", "before")
	a := openDesk(t, h, "Alice")
	a.start(t)
	waitFor(t, "the first snapshot", 10*time.Second, func() bool { return len(withText(everything(t, a.st), "before")) == 1 })
	chat := withText(everything(t, a.st), "before")[0].ChatID
	a.eng.Stop()
	cursor, _ := a.eng.ReplicaStatus()

	for i := 0; i < 150; i++ {
		h.fake.PushText(int64(2001+i%10), fmt.Sprintf("Client %d", i%10), fmt.Sprintf("while away %d", i))
	}
	for i := 0; i < 3; i++ {
		if _, err := a.eng.Inbox.SendText(ctx, chat, fmt.Sprintf("queued away %d", i), 0); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the hub to take the messages and prune its log to its bound", 30*time.Second, func() bool {
		kept, _ := h.st.KeptSince(ctx)
		last, _ := h.st.LastSeq(ctx)
		return h.fake.Pending() == 0 && messages(t, h.st) == 151 && last-kept+1 <= keep && kept > cursor.Seq+1
	})

	states := a.startRecordingStates(t)
	waitFor(t, "Alice to equal the hub with her writes delivered", 30*time.Second, func() bool {
		st, _ := a.eng.ReplicaStatus()
		return st.Pending == 0 && found(t, a.st, "queued", 10, true) == 3 && sameMessages(everything(t, h.st), everything(t, a.st)) == ""
	})
	for i := 0; i < 3; i++ {
		if n := sentToTelegram(h.fake, 1001, fmt.Sprintf("queued away %d", i)); n != 1 {
			t.Fatalf("queued reply %d reached Telegram %d times", i, n)
		}
	}
	if !strings.Contains(strings.Join(states(), ","), replica.StateBootstrapping) {
		t.Fatalf("states %v: no new snapshot", states())
	}
}
