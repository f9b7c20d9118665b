// Command barewails is the baseline for `make bench`'s start-up row: the smallest Wails v2 app
// that opens a window like Switchboard's, loads an embedded page and makes one bound Go call
// once the page's DOM is ready. Switchboard's start-up time is judged against this window's on
// the same machine in the same run, so what is measured is our own cost, not WebKitGTK's.
//
//	Build (no wails CLI needed): go build -tags desktop,production,webkit2_41 -ldflags "-s -w" \
//	  -o build/bin/barewails ./bench/barewails
package main

import (
	"embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"switchboard/app/webview"
)

//go:embed all:frontend
var assets embed.FS

// Bare is bound to the page; Ready is the one call the page makes.
type Bare struct {
	started time.Time
	file    string
	once    sync.Once
	asked   atomic.Int64 // Unix ms of the webview's first request for the page
}

// pageAsked records when the webview first asks for the page, as Switchboard's page middleware
// does, so the bench splits both start-ups at the same point.
func (b *Bare) pageAsked(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" || r.URL.Path == "/index.html" {
			b.asked.CompareAndSwap(0, time.Now().UnixMilli())
		}
		next.ServeHTTP(w, r)
	})
}

// Ready records the moment the page's DOM was ready and a Go call round-tripped, in the same
// {"ms","rows","unixMs","pageRequestedUnixMs"} shape Switchboard's ReportReady writes, so one
// reader serves both.
func (b *Bare) Ready() {
	b.once.Do(func() {
		ms := time.Since(b.started).Milliseconds()
		if b.file == "" {
			slog.Info("bare window ready", "ms", ms)
			return
		}
		raw, _ := json.Marshal(map[string]int64{"ms": ms, "rows": 0, "unixMs": time.Now().UnixMilli(), "pageRequestedUnixMs": b.asked.Load()})
		if err := os.WriteFile(b.file, raw, 0o600); err != nil {
			slog.Warn("write ready file", "err", err)
		}
	})
}

func main() {
	b := &Bare{started: time.Now(), file: os.Getenv("SWITCHBOARD_READY_FILE")}
	// The same WebKit settings as Switchboard's window (GPU policy, JavaScriptCore), so start-up
	// and memory are compared engine for engine.
	webview.ConfigureEngine()
	err := wails.Run(&options.App{
		Title:            "Bare Wails",
		Width:            1280,
		Height:           800,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		AssetServer:      &assetserver.Options{Assets: mustSub(assets, "frontend"), Middleware: b.pageAsked},
		Bind:             []any{b},
		Linux:            &linux.Options{ProgramName: "barewails", WebviewGpuPolicy: webview.GPUPolicy()},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "barewails:", err)
		os.Exit(1)
	}
}
