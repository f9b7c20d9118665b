package notify

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

type recordingDesktop struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (r *recordingDesktop) Notify(title, body string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, title+"|"+body)
	return r.err
}

func (r *recordingDesktop) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

func TestPostFillsFeedNewestFirstAndNotifies(t *testing.T) {
	d := &recordingDesktop{}
	var heard []Item
	n := New(d, func(it Item) { heard = append(heard, it) })
	n.Post(Item{Kind: KindMessage, Title: "Anna", Body: "hi", ChatID: 1})
	n.Post(Item{Kind: KindMention, Title: "Oleg tagged you", Body: "look", ChatID: 2})
	n.Close() // waits for the desktop sender
	items := n.Items()
	if len(items) != 2 || items[0].ChatID != 2 || items[1].ChatID != 1 {
		t.Fatalf("feed = %+v", items)
	}
	if items[0].ID == items[1].ID || items[0].At == 0 {
		t.Fatalf("ids/times not set: %+v", items)
	}
	if d.count() != 2 || len(heard) != 2 || d.calls[0] != "Anna|hi" {
		t.Fatalf("desktop calls %v, heard %d", d.calls, len(heard))
	}
	n.Dismiss(items[0].ID)
	if got := n.Items(); len(got) != 1 || got[0].ChatID != 1 {
		t.Fatalf("after dismiss: %+v", got)
	}
	n.Post(Item{Kind: KindMessage, Title: "after close"}) // the feed still fills, nothing panics
	if len(n.Items()) != 2 || d.count() != 2 {
		t.Fatalf("after close: items %d calls %d", len(n.Items()), d.count())
	}
}

func TestMutedKeepsFeedButSkipsDesktop(t *testing.T) {
	d := &recordingDesktop{}
	n := New(d, nil)
	n.SetMuted(true)
	n.Post(Item{Kind: KindMessage, Title: "x"})
	n.Close()
	if d.count() != 0 || len(n.Items()) != 1 {
		t.Fatalf("calls %v items %d", d.calls, len(n.Items()))
	}
}

func TestMissingDaemonIsReportedOnceAndFeedWorks(t *testing.T) {
	d := &recordingDesktop{err: errors.New("org.freedesktop.Notifications was not provided")}
	n := New(d, nil)
	for i := 0; i < 3; i++ {
		n.Post(Item{Kind: KindMessage, Title: fmt.Sprint(i)})
	}
	n.Close()
	if n.Warning() == "" || len(n.Items()) != 3 {
		t.Fatalf("warning %q items %d", n.Warning(), len(n.Items()))
	}
}

func TestFeedIsBounded(t *testing.T) {
	n := New(nil, nil)
	defer n.Close()
	for i := 0; i < feedSize+50; i++ {
		n.Post(Item{Kind: KindMessage})
	}
	items := n.Items()
	if len(items) != feedSize || items[0].ID != feedSize+50 {
		t.Fatalf("len %d newest %d", len(items), items[0].ID)
	}
}

// stuckDesktop is a notification daemon that does not answer until released.
type stuckDesktop struct {
	entered chan struct{}
	release chan struct{}
}

func (s *stuckDesktop) Notify(string, string) error {
	s.entered <- struct{}{}
	<-s.release
	return nil
}

// A slow daemon must never delay the event path: Post returns while the desktop is stuck, and a
// burst beyond the queue is dropped from the desktop, not the feed.
func TestPostNeverWaitsForASlowDesktop(t *testing.T) {
	d := &stuckDesktop{entered: make(chan struct{}, 100), release: make(chan struct{})}
	n := New(d, nil)
	posted := make(chan struct{})
	go func() {
		for i := 0; i < desktopQueue+20; i++ {
			n.Post(Item{Kind: KindMessage, Title: fmt.Sprint(i)})
		}
		close(posted)
	}()
	select {
	case <-posted:
	case <-time.After(5 * time.Second):
		t.Fatal("Post waited for the desktop daemon")
	}
	<-d.entered // the sender is inside Notify, stuck
	if len(n.Items()) != desktopQueue+20 {
		t.Fatalf("feed has %d items", len(n.Items()))
	}
	close(d.release)
	n.Close()
}

// hostile is what a client can choose as a name or a message, aimed at each notifier's syntax.
var hostile = []string{
	`]]><text>pwned</text><![CDATA[`,
	`$(Start-Process calc)`,
	"`whoami` ${env:USERPROFILE}",
	"first line\n\"@\nStart-Process calc\n@\"",
	"'@\nStart-Process calc\n'@",
	`<b>bold</b> <a href="https://evil.example">x</a> <img src=x onerror=alert(1)> &amp;`,
	`" & do shell script "id" & "`,
	`\" with title \"x`,
	"-execute\ncalc",
	"file\u202Etxt.exe\u2066x\u2069",
	"nul\x00bell\x07esc\x1b[31m",
	"<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///c:/\">]>&x;",
	strings.Repeat("long ", 500),
}

// TestHostileClientTextStaysTextOnEveryDesktop builds what each OS's notifier is given and checks
// that client text is data there: character data in the Windows toast XML (the structure is always
// toast/visual/binding/text/text/audio and the texts decode back to the client's words), escaped
// body markup for freedesktop servers, and arguments (never script source) for macOS's osascript.
func TestHostileClientTextStaysTextOnEveryDesktop(t *testing.T) {
	for _, title := range hostile {
		for _, body := range hostile {
			wantTitle := cleanText(title, false, maxTitleRunes)
			wantBody := cleanText(body, true, maxBodyRunes)
			for _, s := range []string{wantTitle, wantBody} {
				if strings.ContainsAny(s, "\u202E\u2066\u2069\x00\x07\x1b") {
					t.Fatalf("control characters kept: %q", s)
				}
			}
			if strings.Contains(wantTitle, "\n") {
				t.Fatalf("title keeps a line break: %q", wantTitle)
			}

			// Windows.
			doc := toastXML(title, body)
			if strings.Contains(doc, "CDATA") && !strings.Contains(doc, "&lt;![CDATA[") {
				t.Fatalf("toast has a CDATA section: %s", doc)
			}
			path, texts := parseToast(t, doc)
			if path != "toast/visual/binding/text/text/audio" {
				t.Fatalf("client text changed the toast structure to %s:\n%s", path, doc)
			}
			if len(texts) != 2 || texts[0] != wantTitle || texts[1] != wantBody {
				t.Fatalf("toast texts %q, want %q and %q", texts, wantTitle, wantBody)
			}

			// Linux and the BSDs (freedesktop notifications).
			summary, markup := freedesktopText(title, body, true)
			if summary != wantTitle {
				t.Fatalf("summary %q", summary)
			}
			if strings.ContainsAny(markup, "<>\"'") {
				t.Fatalf("body markup not escaped: %q", markup)
			}
			if got := unescapeMarkup(markup); got != wantBody {
				t.Fatalf("escaped body reads %q, want %q", got, wantBody)
			}
			if _, plain := freedesktopText(title, body, false); plain != wantBody {
				t.Fatalf("plain body %q", plain)
			}

			// macOS.
			args := osascriptArgs(title, body)
			if len(args) != 5 || args[0] != "-e" || args[1] != appleScript || args[2] != "--" ||
				args[3] != wantTitle || args[4] != wantBody {
				t.Fatalf("osascript args %q", args)
			}
		}
	}
}

func parseToast(t *testing.T, doc string) (path string, texts []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.Strict = true
	var names []string
	var depth int
	var inText bool
	var cur strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("toast XML does not parse: %v\n%s", err, doc)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			names = append(names, v.Name.Local)
			depth++
			inText = v.Name.Local == "text"
			cur.Reset()
		case xml.EndElement:
			depth--
			if inText {
				texts = append(texts, cur.String())
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(v)
			}
		case xml.Directive, xml.ProcInst, xml.Comment:
			t.Fatalf("client text made a %T in the toast: %s", v, doc)
		}
	}
	return strings.Join(names, "/"), texts
}

func unescapeMarkup(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&").Replace(s)
}

// TestNativeReachesARealDaemon shows a hostile notification through the session's real daemon
// (dunst under scripts/with-desktop.sh) and reads back what it received.
func TestNativeReachesARealDaemon(t *testing.T) {
	if os.Getenv("SB_DESKTOP_SESSION") != "1" {
		t.Skip("needs a desktop session: run through scripts/with-desktop.sh")
	}
	title := "Switchboard test ]]>$(id)"
	body := "<b>hostile</b> & \"@\n`text`"
	if err := (Native{}).Notify(title, body); err != nil {
		t.Fatalf("notify through the session's daemon: %v", err)
	}
	if _, err := exec.LookPath("dunstctl"); err != nil {
		return
	}
	_ = exec.Command("dunstctl", "close-all").Run() // closed notifications move to the history
	var got struct {
		Data [][]struct {
			Summary struct{ Data string } `json:"summary"`
			Body    struct{ Data string } `json:"body"`
			Message struct{ Data string } `json:"message"` // what dunst renders, as Pango markup
		} `json:"data"`
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		out, err := exec.Command("dunstctl", "history").Output()
		if err == nil && json.Unmarshal(out, &got) == nil && len(got.Data) > 0 && len(got.Data[0]) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dunst history stays empty (%v)", err)
		}
		time.Sleep(100 * time.Millisecond)
		_ = exec.Command("dunstctl", "close-all").Run()
	}
	last := got.Data[0][0]
	wantSummary, wantBody := freedesktopText(title, body, true)
	if last.Summary.Data != wantSummary || last.Body.Data != wantBody {
		t.Fatalf("dunst received %q / %q, want %q / %q", last.Summary.Data, last.Body.Data, wantSummary, wantBody)
	}
	if strings.Contains(last.Message.Data, "<b>hostile") {
		t.Fatalf("the client's markup is rendered: %q", last.Message.Data)
	}
}
