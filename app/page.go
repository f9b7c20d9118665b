package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The first screen arrives with its data. The page the webview loads carries the Bootstrap
// (settings, badges, facets and the default tab's first page of people) as JSON, computed while
// GTK and WebKit start, so the UI draws the people list in its very first render instead of after
// two round trips through the bindings, each followed by a render and a layout of its own.
// Without it (a page served by something else, an error) the UI asks the Bootstrap binding.

// bootElementID is the id of the <script type="application/json"> that holds the Bootstrap;
// frontend/src/lib/inlineBoot.ts reads it.
const bootElementID = "sb-boot"

// prefetchedBoot is the Bootstrap computed at process start for the first page load.
type prefetchedBoot struct {
	ready chan struct{} // closed when boot, seq and err are set
	taken atomic.Bool   // only the first page load may use it; a reload gets a fresh one
	boot  Bootstrap
	seq   int64 // the event log position it was computed at
	err   error
}

// prefetchBoot starts computing the first page load's Bootstrap. It runs once, before the window
// exists, and ends on its own in milliseconds; bootForPage waits for it.
func (a *App) prefetchBoot() {
	p := &prefetchedBoot{ready: make(chan struct{})}
	a.prefetched = p
	go func() {
		defer close(p.ready)
		if p.seq, p.err = a.inbox.Store.LastEventSeq(bg()); p.err == nil {
			p.boot, p.err = a.Bootstrap()
		}
	}()
}

// bootForPage is the Bootstrap to serve with a page load: the prefetched one for the first load
// when nothing changed since it was computed (one query tells), otherwise a fresh one.
func (a *App) bootForPage(ctx context.Context) (Bootstrap, error) {
	if p := a.prefetched; p != nil && p.taken.CompareAndSwap(false, true) {
		select {
		case <-p.ready:
		case <-ctx.Done():
			return Bootstrap{}, ctx.Err()
		}
		if p.err == nil {
			if seq, err := a.inbox.Store.LastEventSeq(ctx); err == nil && seq == p.seq {
				return p.boot, nil
			}
		}
	}
	return a.Bootstrap()
}

// pageMiddleware is the asset server's front door: it serves /media/, and the page itself with
// its Bootstrap and the platform it runs on (styles.css picks the UI font by it); everything else
// is the embedded frontend (or Vite's, under `wails dev`).
func (a *App) pageMiddleware(next http.Handler) http.Handler {
	media := a.MediaMiddleware(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || (r.URL.Path != "/" && r.URL.Path != "/index.html") {
			media.ServeHTTP(w, r)
			return
		}
		a.pageAskedAt.CompareAndSwap(0, time.Now().UnixMilli())
		// The page as the frontend serves it, uncompressed so it can be edited.
		r.Header.Del("Accept-Encoding")
		rec := &pageRecorder{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if rec.code == http.StatusOK && rec.header.Get("Content-Encoding") == "" {
			if boot, err := a.bootForPage(r.Context()); err != nil {
				slog.Warn("page: bootstrap not inlined; the UI will ask for it", "err", err)
			} else if raw, err := json.Marshal(boot); err == nil {
				body = pageWithBoot(body, raw, runtime.GOOS)
				rec.header.Set("Cache-Control", "no-store")
			}
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Security-Policy", pagePolicy(body))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.code)
		w.Write(body)
	})
}

// pageWithBoot puts the platform on <html data-platform> and the Bootstrap JSON in a
// <script type="application/json"> before </head>. bootJSON must come from encoding/json, which
// escapes <, > and & inside strings, so client text in it can never close the script element.
func pageWithBoot(page, bootJSON []byte, platform string) []byte {
	out := make([]byte, 0, len(page)+len(bootJSON)+128)
	if i := bytes.Index(page, []byte("<html")); i >= 0 {
		out = append(out, page[:i+len("<html")]...)
		out = append(out, ` data-platform="`+platform+`"`...)
		page = page[i+len("<html"):]
	}
	script := []byte(`<script id="` + bootElementID + `" type="application/json">`)
	script = append(append(script, bootJSON...), "</script>"...)
	if i := bytes.Index(page, []byte("</head>")); i >= 0 {
		out = append(out, page[:i]...)
		out = append(out, script...)
		return append(out, page[i:]...)
	}
	return append(append(out, page...), script...)
}

// pageRecorder holds the frontend's answer for the page so pageMiddleware can add to it.
type pageRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (p *pageRecorder) Header() http.Header         { return p.header }
func (p *pageRecorder) WriteHeader(code int)        { p.code = code }
func (p *pageRecorder) Write(b []byte) (int, error) { return p.body.Write(b) }

// pagePolicy is the page's Content-Security-Policy: scripts only from the app itself (the built
// bundle, Wails' /wails/ scripts) plus the page's own inline scripts by hash (none in the build;
// Vite's React-refresh preamble under `wails dev`), so text that ever got into the DOM as markup
// could not run; no remote origin for anything; no plugins, no <base>, no frames, no form posts.
// The Bootstrap's <script type="application/json"> is data, not a script, and needs no hash.
// Inline styles stay allowed: the components set style properties, and styles cannot run code.
// devConnect widens connect-src for Vite's HMR socket under `wails dev` (page_dev.go).
func pagePolicy(page []byte) string {
	scripts := "'self'"
	for _, h := range inlineScriptHashes(page) {
		scripts += " '" + h + "'"
	}
	return "default-src 'self'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'" + devConnect + "; " +
		"object-src 'none'; base-uri 'none'; frame-src 'none'; child-src 'none'; worker-src 'self'; frame-ancestors 'none'; form-action 'none'"
}

// inlineScript matches a <script> element and its body; the attributes tell an external or
// data block from an inline script.
var inlineScript = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)

// inlineScriptHashes are the CSP hashes ('sha256-…') of the page's inline executable scripts.
func inlineScriptHashes(page []byte) []string {
	var out []string
	for _, m := range inlineScript.FindAllSubmatch(page, -1) {
		attrs := strings.ToLower(string(m[1]))
		if strings.Contains(attrs, "src=") || strings.Contains(attrs, "application/json") {
			continue
		}
		sum := sha256.Sum256(m[2])
		out = append(out, "sha256-"+base64.StdEncoding.EncodeToString(sum[:]))
	}
	return out
}
