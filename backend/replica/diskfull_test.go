package replica_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/backend/replica"
	"switchboard/backend/store"
)

// fill leaves a store no room, as a full disk: held at the size it has (a cap below it does),
// then filled until a write fails.
func fill(t *testing.T, st *store.Store) {
	t.Helper()
	if err := st.LimitSize(1); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		err := st.SetSetting(context.Background(), fmt.Sprintf("filler-%d", i), strings.Repeat("x", 1500))
		if errors.Is(err, store.ErrDiskFull) {
			return
		}
		if err != nil || i > 10000 {
			t.Fatalf("filling the store: %v after %d", err, i)
		}
	}
}

// The hub's disk is full: a desktop's write is not refused but waits, the status says why, and
// it reaches the client once when the hub has room again.
func TestHubDiskFullKeepsWritesWaiting(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	b := onlineWith(t, h, "Bob", "hi")
	ctx := context.Background()
	chat := withText(everything(t, b.st), "hi")[0].ChatID
	fill(t, h.st)
	text := "a long answer" + strings.Repeat(" with details", 300)
	texts := []string{text + " 1", text + " 2", text + " 3"} // more than the room a page may still hold
	for _, x := range texts {
		if _, err := b.eng.Inbox.SendText(ctx, chat, x, 0); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the status naming the hub's full disk", 10*time.Second, func() bool {
		st, _ := b.eng.ReplicaStatus()
		return st.LastError == "hub_disk_full" && st.Pending >= 1
	})
	if err := h.st.LimitSize(0); err != nil {
		t.Fatal(err)
	}
	b.eng.Wake() // as the backoff would, later
	waitFor(t, "every write delivered once there is room", 15*time.Second, func() bool {
		st, _ := b.eng.ReplicaStatus()
		for _, x := range texts {
			if sentToTelegram(h.fake, 1001, x) != 1 {
				return false
			}
		}
		return st.Pending == 0 && st.LastError == ""
	})
	// None is sent twice, even a moment later. (Whether the hub ever made a write and then lacked
	// the room to record its answer depends on which page filled first; the key replay that
	// covers that case is crash_test's and TestMutationsAreAppliedOnceAndChecked's.)
	time.Sleep(200 * time.Millisecond)
	for _, x := range texts {
		if n := sentToTelegram(h.fake, 1001, x); n != 1 {
			t.Fatalf("%q sent %d times", x[len(x)-2:], n)
		}
	}
}

// This computer's disk is full: the feed cannot be kept, the status says so, and once there is
// room the replica catches up with what came meanwhile, once.
func TestReplicaDiskFullCatchesUpOnceThereIsRoom(t *testing.T) {
	h := startHub(t)
	h.fake.PushText(1001, "Ann", "hi")
	b := onlineWith(t, h, "Bob", "hi")
	fill(t, b.st)
	long := "a long question" + strings.Repeat(" with details", 300)
	for i := range 3 { // more than the free room a page or two may still hold
		h.fake.PushText(1001, "Ann", fmt.Sprint(long, " ", i))
	}
	waitFor(t, "the status naming this computer's full disk", 10*time.Second, func() bool {
		st, _ := b.eng.ReplicaStatus()
		return st.LastError == "disk_full" && st.State == replica.StateOffline
	})
	if err := b.st.LimitSize(0); err != nil {
		t.Fatal(err)
	}
	b.eng.Wake()
	waitFor(t, "the message once there is room", 10*time.Second, func() bool {
		st, _ := b.eng.ReplicaStatus()
		got := everything(t, b.st)
		return st.State == replica.StateOnline && len(withText(got, long+" 0"))+len(withText(got, long+" 1"))+len(withText(got, long+" 2")) == 3
	})
	if diff := sameMessages(everything(t, h.st), everything(t, b.st)); diff != "" {
		t.Fatal(diff)
	}
}
