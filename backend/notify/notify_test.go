package notify

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"
)

type recordingDesktop struct {
	calls []string
	err   error
}

func (r *recordingDesktop) Notify(title, body string) error {
	r.calls = append(r.calls, title+"|"+body)
	return r.err
}

func TestPostFillsFeedNewestFirstAndNotifies(t *testing.T) {
	d := &recordingDesktop{}
	var heard []Item
	n := New(d, func(it Item) { heard = append(heard, it) })
	n.Post(Item{Kind: KindMessage, Title: "Anna", Body: "hi", ChatID: 1})
	n.Post(Item{Kind: KindMention, Title: "Oleg tagged you", Body: "look", ChatID: 2})
	items := n.Items()
	if len(items) != 2 || items[0].ChatID != 2 || items[1].ChatID != 1 {
		t.Fatalf("feed = %+v", items)
	}
	if items[0].ID == items[1].ID || items[0].At == 0 {
		t.Fatalf("ids/times not set: %+v", items)
	}
	if len(d.calls) != 2 || len(heard) != 2 {
		t.Fatalf("desktop calls %v, heard %d", d.calls, len(heard))
	}
	n.Dismiss(items[0].ID)
	if got := n.Items(); len(got) != 1 || got[0].ChatID != 1 {
		t.Fatalf("after dismiss: %+v", got)
	}
}

func TestMutedKeepsFeedButSkipsDesktop(t *testing.T) {
	d := &recordingDesktop{}
	n := New(d, nil)
	n.SetMuted(true)
	n.Post(Item{Kind: KindMessage, Title: "x"})
	if len(d.calls) != 0 || len(n.Items()) != 1 {
		t.Fatalf("calls %v items %d", d.calls, len(n.Items()))
	}
}

func TestMissingDaemonIsReportedOnceAndFeedWorks(t *testing.T) {
	d := &recordingDesktop{err: errors.New("org.freedesktop.Notifications was not provided")}
	n := New(d, nil)
	for i := 0; i < 3; i++ {
		n.Post(Item{Kind: KindMessage, Title: fmt.Sprint(i)})
	}
	if n.Warning() == "" || len(n.Items()) != 3 {
		t.Fatalf("warning %q items %d", n.Warning(), len(n.Items()))
	}
}

func TestFeedIsBounded(t *testing.T) {
	n := New(nil, nil)
	for i := 0; i < feedSize+50; i++ {
		n.Post(Item{Kind: KindMessage})
	}
	items := n.Items()
	if len(items) != feedSize || items[0].ID != feedSize+50 {
		t.Fatalf("len %d newest %d", len(items), items[0].ID)
	}
}

func TestClientTextIsEscapedForMarkupServers(t *testing.T) {
	got := escapeMarkup(`<b>x</b> & <img src=x onerror=alert(1)>`)
	if runtime.GOOS == "linux" && got != `&lt;b&gt;x&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;` {
		t.Fatalf("escaped = %q", got)
	}
}

// TestBeeepReachesARealDaemon shows a real notification through the session's daemon.
// make test runs the Go tests inside scripts/with-desktop.sh (D-Bus + Xvfb + dunst).
func TestBeeepReachesARealDaemon(t *testing.T) {
	if os.Getenv("SB_DESKTOP_SESSION") != "1" {
		t.Skip("needs a desktop session: run through scripts/with-desktop.sh")
	}
	if err := (Beeep{}).Notify("Switchboard test", "<b>hostile</b> text"); err != nil {
		t.Fatalf("notify through the session's daemon: %v", err)
	}
}
