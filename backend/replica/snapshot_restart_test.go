package replica_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/backend/replica"
	"switchboard/backend/teamwire"
)

// A hub that goes away between two pages of a snapshot (a restart) costs the replica a fresh
// start, never a half copy or a doubled one: it takes the snapshot again from its first page and
// ends with exactly the hub's rows, then follows the feed.
func TestSnapshotSurvivesAHubRestartMidway(t *testing.T) {
	h := startHub(t)
	const people = 450 // three snapshot pages of 200
	for i := range people {
		h.fake.PushText(int64(5000+i), fmt.Sprintf("Client %d", i), fmt.Sprintf("hello %d", i))
	}
	waitFor(t, "the hub's clients", 30*time.Second, func() bool { return len(everything(t, h.st).People) == people })

	// The hub's process dies as the second page is asked for: the connection closes unanswered,
	// and the hub is back for the next request.
	var cuts atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == teamwire.PathSnapshot && r.URL.Query().Get("after") != "" && cuts.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		h.api.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	behind := *h
	behind.url = front.URL
	d := openDesk(t, &behind, "Bob")
	d.start(t)
	waitFor(t, "the replica online after the restart", 30*time.Second, func() bool {
		st, _ := d.eng.ReplicaStatus()
		return st.State == replica.StateOnline
	})
	if cuts.Load() == 0 {
		t.Fatal("the snapshot was never cut")
	}
	// The progress counts the snapshot taken again: the totals come with its first page only.
	if st, _ := d.eng.ReplicaStatus(); st.Done != people || st.Total != people {
		t.Fatalf("progress after the snapshot: %d of %d, want %d of %d", st.Done, st.Total, people, people)
	}
	want, got := everything(t, h.st), everything(t, d.st)
	if len(got.People) != people || len(got.Chats) != people {
		t.Fatalf("replica holds %d people and %d chats, want %d", len(got.People), len(got.Chats), people)
	}
	if diff := sameMessages(want, got); diff != "" {
		t.Fatalf("replica's messages after the restart: %s", diff)
	}
	// And it follows the feed: a client writing now reaches it once.
	h.fake.PushText(5000, "Client 0", "after the restart")
	waitFor(t, "a new message on the replica", 10*time.Second, func() bool {
		return len(withText(everything(t, d.st), "after the restart")) == 1
	})
}
