package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
)

// frontendIndex stands for frontend/dist/index.html (or Vite's page under wails dev).
const frontendIndex = `<!doctype html>
<html lang="en">
  <head>
    <title>Switchboard</title>
    <script type="module" crossorigin src="/assets/index.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`

func frontendHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/", "/index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, frontendIndex)
		case "/assets/index.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "console.log(1)")
		default:
			http.NotFound(w, r)
		}
	})
}

func getPage(t *testing.T, h http.Handler, path string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://wails.localhost"+path, nil))
	return rec.Result(), rec.Body.String()
}

// inlineBoot is what the UI's takeInlineBoot reads: the JSON in <script id="sb-boot">.
func inlineBoot(t *testing.T, page string) Bootstrap {
	t.Helper()
	open := `<script id="` + bootElementID + `" type="application/json">`
	i := strings.Index(page, open)
	if i < 0 {
		t.Fatalf("no inline bootstrap in %s", page)
	}
	body := page[i+len(open):]
	body = body[:strings.Index(body, "</script>")]
	var b Bootstrap
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatalf("inline bootstrap %q: %v", body, err)
	}
	return b
}

func TestThePageArrivesWithItsBootstrap(t *testing.T) {
	a, _, _ := newTestApp(t)
	a.prefetchBoot()
	h := a.pageMiddleware(frontendHandler())

	resp, page := getPage(t, h, "/")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, cache %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if !strings.Contains(page, `<html data-platform="`+runtime.GOOS+`" lang="en">`) {
		t.Errorf("no platform on <html>: %s", page)
	}
	// The data sits in the head, before the page's own module script runs.
	if strings.Index(page, bootElementID) > strings.Index(page, "</head>") {
		t.Errorf("bootstrap after the head: %s", page)
	}
	got := inlineBoot(t, page)
	want, err := a.Bootstrap()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("inline bootstrap\n%+v\nwant\n%+v", got, want)
	}
	// The first page is the answer to the list's first query.
	first, err := a.ListPeople(core.ListQuery{Tab: got.DefaultTab, Limit: core.DefaultPageSize})
	if err != nil || len(got.FirstPage.Rows) == 0 || !reflect.DeepEqual(got.FirstPage, first) {
		t.Fatalf("first page %d rows, the list's first query %d rows (%v)", len(got.FirstPage.Rows), len(first.Rows), err)
	}
	if resp, js := getPage(t, h, "/assets/index.js"); resp.StatusCode != http.StatusOK || js != "console.log(1)" {
		t.Errorf("other assets pass through untouched: %d %q", resp.StatusCode, js)
	}
}

// A reload, or a first load after the store changed, never shows the state of the prefetch.
func TestThePageBootstrapIsFresh(t *testing.T) {
	a, _, _ := newTestApp(t)
	a.prefetchBoot()
	<-a.prefetched.ready
	before := a.prefetched.boot
	row := firstUnreadChat(t, a)
	if err := a.MarkRead(row.ChatID); err != nil {
		t.Fatal(err)
	}
	h := a.pageMiddleware(frontendHandler())
	for load := 1; load <= 2; load++ {
		_, page := getPage(t, h, "/")
		got := inlineBoot(t, page)
		if got.Counts.Unread != before.Counts.Unread-1 {
			t.Fatalf("load %d: unread badge %d, the store has %d", load, got.Counts.Unread, before.Counts.Unread-1)
		}
	}
}

// Client text in the inline data is JSON inside a script element: it can never close the element
// and become markup or script of the page, where the bindings are.
func TestThePageBootstrapCannotBreakOut(t *testing.T) {
	a, _, _ := composeApp(t) // its client is called "Anna <b>Bold</b>"
	ctx := context.Background()
	ch, err := a.inbox.Store.Channels(ctx)
	if err != nil || len(ch) == 0 {
		t.Fatalf("channels %v %v", ch, err)
	}
	hostile := `</script><script>alert(1)</script><!--`
	now := time.Now()
	if _, err := a.inbox.Store.ApplyBatch(ctx, ch[0].ID, core.Batch{Cursor: "2", Updates: []core.Update{{
		Kind: core.UpdMessage, ExternalChatID: "66", ExternalID: "1", Text: hostile, At: now.UnixMilli(),
		From: core.Sender{ExternalUserID: "66", Name: hostile}, Sender: core.SenderClient,
	}}}, now); err != nil {
		t.Fatal(err)
	}
	_, page := getPage(t, a.pageMiddleware(frontendHandler()), "/")
	if strings.Count(page, "</script>") != 2 || strings.Contains(page, "<script>alert") || strings.Contains(page, "<!--") {
		t.Fatalf("client text escaped the data element: %s", page)
	}
	got := inlineBoot(t, page)
	names := []string{}
	for _, r := range got.FirstPage.Rows {
		names = append(names, r.Name)
	}
	if !strings.Contains(strings.Join(names, "|"), hostile) {
		t.Fatalf("the hostile name should arrive intact as data, got %q", names)
	}
}

// The page carries a strict Content-Security-Policy: scripts only from the app and its own inline
// scripts by hash (the JSON Bootstrap is data and gets none), nothing remote, no plugins, no
// <base>, no frames.
func TestPageHasAStrictContentSecurityPolicy(t *testing.T) {
	a, _ := newSettingsApp(t)
	resp, page := getPage(t, a.pageMiddleware(frontendHandler()), "/")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-src 'none'",
		"frame-ancestors 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("policy lacks %q: %s", want, csp)
		}
	}
	if !strings.Contains(page, bootElementID) {
		t.Fatal("the page has no inline Bootstrap")
	}
	scriptSrc := ""
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src ") {
			scriptSrc = d
		}
	}
	if scriptSrc != "script-src 'self'" {
		t.Fatalf("script-src of a page without inline scripts: %q", scriptSrc)
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, "*") && devConnect == "" {
		t.Fatalf("policy lets in more than the app: %s", csp)
	}

	// An inline script of the page itself (Vite's preamble under wails dev) is allowed by its hash only.
	withInline := []byte(`<html><head><script type="module">import x from "/@react-refresh"</script></head></html>`)
	if p := pagePolicy(withInline); !strings.Contains(p, "script-src 'self' 'sha256-") || strings.Contains(p, "unsafe-inline' ;") {
		t.Fatalf("inline script not hashed: %s", p)
	}
	if hs := inlineScriptHashes([]byte(`<script id="sb-boot" type="application/json">{"a":1}</script><script src="/x.js"></script>`)); len(hs) != 0 {
		t.Fatalf("data blocks and external scripts hashed: %v", hs)
	}
}
