// Package app is the Wails shell: the window, tray, single instance and lifecycle; the bindings
// that turn UI calls into inbox calls; and the bridge from the store's event log to UI events.
// It is the only package that imports the Wails runtime, and only through runtime.go.
package app

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"

	"switchboard/app/webview"
	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/inbox"
	"switchboard/backend/notify"
	"switchboard/backend/replica"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
	"switchboard/backend/version"
)

// App is the desktop shell: it owns the window's lifecycle and the engine's, and holds the bound
// services. It is not bound itself; the UI calls the services (window.go.app.<Service>.<Method>),
// each a few one-line calls into the inbox. Tests call the services' methods through App.
type App struct {
	*shell
	*Workspace
	*Composer
	*Settings
	*Desktop
	*Team
}

// servicesForBinding are what Wails binds: a short list, one per area of the UI.
func (a *App) servicesForBinding() []any {
	return []any{a.Workspace, a.Composer, a.Settings, a.Desktop, a.Team}
}

// shell is what the services share: the engine, the window and the desktop state. It has no
// exported methods, so binding a service that embeds it exposes only the service's own.
type shell struct {
	eng     *engine.Engine
	inbox   *inbox.Service
	started time.Time

	mu     sync.Mutex
	win    window
	cancel context.CancelFunc // stops everything started in OnStartup
	wg     sync.WaitGroup

	notifier *notify.Notifier
	tray     *tray
	focused  atomic.Bool // the window has focus: no desktop notifications for new messages
	// unreadPending: a tray recount is scheduled (refreshUnread folds bursts into one).
	unreadPending atomic.Bool

	quitting     atomic.Bool // set by Quit so OnBeforeClose lets the window close
	hideOnClose  atomic.Bool // "close hides to the tray" setting
	trayWarning  string      // what is missing for a tray icon, "" when there is one
	readyOnce    sync.Once
	readyFile    string // where ReportReady writes the start-up time (make bench)
	windowLoaded windowState
	pageAskedAt  atomic.Int64    // Unix ms of the webview's first request for the page (start-up trace)
	prefetched   *prefetchedBoot // the first page load's Bootstrap, computed while the window opens
	// hubSession keeps the team hub's session token (the OS keyring; team.go).
	hubSession secrets.HubSession
	// teamFeed is the last status sent as "team:status" (team.go).
	teamFeed teamStatusFeed
	// home is the data directory's own store, where the team membership is kept: the engine's
	// store in solo mode, and beside the team's replica store (<data>/team) in team mode.
	home settingsStore
	// restart: Quit was asked to start the app again (a change between solo and team mode).
	restart atomic.Bool
}

// windowState is the saved size and position of the main window.
type windowState struct {
	Width  int `json:"width"`
	Height int `json:"height"`
	X      int `json:"x"`
	Y      int `json:"y"`
}

// New wraps a composed engine into the desktop shell and its services. The engine's notifier
// (nil when it has none) is the one the shell posts to.
func New(eng *engine.Engine) *App {
	sh := &shell{eng: eng, inbox: eng.Inbox, notifier: eng.Notifier, started: time.Now(), win: noWindow{},
		hubSession: secrets.KeyringHubSession{}, home: eng.Store}
	sh.focused.Store(true)
	if sh.notifier == nil {
		sh.notifier = notify.New(notify.Native{}, sh.emitNotification)
	}
	return &App{shell: sh, Workspace: &Workspace{sh}, Composer: &Composer{sh}, Settings: &Settings{sh}, Desktop: &Desktop{sh},
		Team: &Team{sh}}
}

// newApp composes the desktop's engine over cfg.Store and wraps it: channel statuses and
// notifications go to whatever window the shell has when they happen. Desktop notifications go
// through the OS unless cfg names another Desktop (tests).
func newApp(cfg engine.Config) (*App, error) {
	var sh *shell
	if cfg.Desktop == nil {
		cfg.Desktop = notify.Native{}
	}
	cfg.OnNotification = func(it notify.Item) { sh.emitNotification(it) }
	cfg.OnStatus = func(cs core.ChannelStatus) { sh.publishChannelStatus(cs) }
	if cfg.Replica != nil {
		rc := *cfg.Replica
		rc.OnStatus = func(st replica.Status) { sh.replicaStatusChanged(st) }
		rc.OnPresence = func(ps []replica.Presence) { sh.currentWindow().Emit(EventPresence, ps) }
		cfg.Replica = &rc
	}
	eng, err := engine.New(cfg)
	if err != nil {
		return nil, err
	}
	a := New(eng)
	sh = a.shell
	return a, nil
}

func (a *shell) emitNotification(it notify.Item) { a.currentWindow().Emit(EventNotification, it) }

// publishChannelStatus is the supervisor's OnStatus: each change of a poller's state goes to the
// UI at once as "channel:status".
func (a *shell) publishChannelStatus(st core.ChannelStatus) {
	a.currentWindow().Emit(EventChannelStatus, st)
}

// Run parses the command line, opens the store and runs the window until it closes.
// assets is the built frontend (frontend/dist), embedded by the root main package.
func Run(assets fs.FS) {
	if err := run(assets, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "switchboard:", err)
		os.Exit(1)
	}
}

func run(assets fs.FS, args []string) error {
	tuneMemory()
	fl := flag.NewFlagSet("switchboard", flag.ContinueOnError)
	dataDir := fl.String("data", "", "data directory (default: the per-user data directory)")
	showVersion := fl.Bool("version", false, "print the version and exit")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Println("switchboard", version.String())
		return nil
	}
	if err := preflight(); err != nil {
		return err
	}
	dir := *dataDir
	if dir == "" && generatingBindings {
		// Writing the bindings runs this program once at build time: it must not open (and
		// migrate) the developer's own data with whatever branch is being built.
		tmp, err := os.MkdirTemp("", "switchboard-bindings-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	if dir == "" {
		d, err := store.DefaultDataDir()
		if err != nil {
			return err
		}
		dir = d
	}
	if err := waitForPreviousRun(); err != nil {
		return err
	}
	home, err := store.OpenDir(dir)
	if err != nil {
		return err
	}
	defer home.Close()
	cfg, closeTeam, err := engineConfig(dir, home, secrets.KeyringHubSession{})
	if err != nil {
		return err
	}
	defer closeTeam()
	a, err := newApp(cfg)
	if err != nil {
		return err
	}
	a.home = home
	a.readyFile = os.Getenv("SWITCHBOARD_READY_FILE")
	a.windowLoaded = a.loadWindowState()
	a.prefetchBoot()
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		return fmt.Errorf("frontend assets: %w", err)
	}
	abs, _ := filepath.Abs(dir)
	webview.ConfigureEngine()
	err = wails.Run(&options.App{
		Title:            "Switchboard",
		Width:            a.windowLoaded.Width,
		Height:           a.windowLoaded.Height,
		MinWidth:         960,
		MinHeight:        600,
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		// The middleware serves /media/ (attachments on disk, voice playback) before the assets.
		AssetServer:    &assetserver.Options{Assets: dist, Middleware: a.pageMiddleware},
		OnStartup:      a.startup,
		OnDomReady:     a.domReady,
		OnBeforeClose:  a.beforeClose,
		OnShutdown:     a.shutdown,
		Bind:           a.servicesForBinding(),
		ErrorFormatter: formatError,
		// One instance per data directory: launching again focuses the running window.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "switchboard-" + instanceID(abs),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) { a.currentWindow().Show() },
		},
		Linux: &linux.Options{ProgramName: "switchboard", WebviewGpuPolicy: webview.GPUPolicy()},
		Mac:   &mac.Options{About: &mac.AboutInfo{Title: "Switchboard", Message: "One inbox for your messengers"}},
	})
	if err == nil && a.restart.Load() {
		return relaunch(args)
	}
	return err
}

func (a *shell) currentWindow() window {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.win
}

// startup runs once the native window exists: it owns every goroutine of the app's lifetime.
func (a *App) startup(wctx context.Context) {
	a.mu.Lock()
	a.win = wailsWindow{ctx: wctx}
	a.mu.Unlock()
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	a.trayWarning = trayHostMissing()
	if a.trayWarning != "" {
		slog.Warn("no tray icon; closing the window quits", "why", a.trayWarning)
	}
	a.loadDesktopSettings(ctx)
	locale, _ := a.inbox.Setting(ctx, "locale")
	a.tray = startTray(a, locale)
	a.startBackground(ctx)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.quitOnSignal(ctx)
	}()
}

// startBackground starts what runs while the app lives: the event bridge, and whatever later
// parts (pollers, outbox, tray) register. Split from startup so tests run it without Wails.
func (a *App) startBackground(ctx context.Context) {
	// The log position is taken before anything else can write, so no change is missed.
	from, err := a.inbox.Store.LastEventSeq(ctx)
	if err != nil {
		slog.Error("event bridge: read the event log position", "err", err)
	}
	a.startEngine(ctx)
	a.wg.Add(2)
	go func() {
		defer a.wg.Done()
		a.bridgeEvents(ctx, from)
	}()
	go func() {
		defer a.wg.Done()
		watchWakeups(ctx, wakeCheckEvery, a.wakeEngine)
	}()
	if returnFreedCHeap != nil {
		changes, release := a.inbox.Store.Subscribe()
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			defer release()
			trimWhenStill(ctx, changes, heapTrimAfter, returnFreedCHeap)
		}()
	}
}

// startEngine runs the engine for as long as ctx lives: a poller per connected channel and the
// outbox worker, with every status change going to the UI as "channel:status". It stops the
// engine (and waits for it) when ctx ends.
func (a *App) startEngine(ctx context.Context) {
	if err := a.eng.Start(ctx); err != nil {
		slog.Error("engine: start", "err", err)
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		<-ctx.Done()
		a.eng.Stop()
	}()
}

// quitOnSignal makes SIGINT/SIGTERM (logout, kill, Ctrl+C) really quit. Wails handles them too,
// but through OnBeforeClose, which would only hide the window to the tray.
func (a *App) quitOnSignal(ctx context.Context) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sig)
	select {
	case <-sig:
		a.Quit()
	case <-ctx.Done():
	}
}

func (a *App) domReady(context.Context) {
	if a.windowLoaded.X != 0 || a.windowLoaded.Y != 0 {
		a.currentWindow().SetPosition(a.windowLoaded.X, a.windowLoaded.Y)
	}
}

// beforeClose hides to the tray when that is on; Quit sets quitting first so it still quits.
func (a *App) beforeClose(context.Context) bool {
	a.saveWindowState()
	if a.hideOnClose.Load() && !a.quitting.Load() {
		a.currentWindow().Hide()
		return true
	}
	return false
}

func (a *App) shutdown(context.Context) {
	a.stopVoiceOnShutdown()
	if a.cancel != nil {
		a.cancel()
	}
	a.wg.Wait()
	a.notifier.Close()
	if a.tray != nil {
		a.tray.close()
	}
	a.mu.Lock()
	a.win = noWindow{}
	a.mu.Unlock()
}

// Quit really quits, even when closing the window only hides it.
func (a *Desktop) Quit() {
	a.quitting.Store(true)
	a.currentWindow().Quit()
}

const defaultWidth, defaultHeight = 1280, 800

func (a *App) loadWindowState() windowState {
	ws := windowState{Width: defaultWidth, Height: defaultHeight}
	raw, err := a.inbox.Setting(context.Background(), "window")
	if err == nil && raw != "" {
		var saved windowState
		if json.Unmarshal([]byte(raw), &saved) == nil && saved.Width >= 640 && saved.Height >= 480 {
			ws = saved
		}
	}
	return ws
}

func (a *App) saveWindowState() {
	w := a.currentWindow()
	width, height := w.Size()
	if width == 0 || height == 0 {
		return
	}
	x, y := w.Position()
	raw, _ := json.Marshal(windowState{Width: width, Height: height, X: x, Y: y})
	if err := a.inbox.SetSetting(context.Background(), "window", string(raw)); err != nil {
		slog.Warn("save window state", "err", err)
	}
}

// ReportReady is called by the UI once the first page of the people list is on screen, with the
// start-up phases it passed (ms since the page's navigation start). It logs the time from process
// start, and writes it to $SWITCHBOARD_READY_FILE for `make bench` and the smoke test (which also
// learns how many rows rendered), with the phases and when the webview asked for the page.
func (a *Desktop) ReportReady(rows int, marks map[string]float64) {
	a.readyOnce.Do(func() {
		ms := time.Since(a.started).Milliseconds()
		slog.Info("people list ready", "ms", ms, "rows", rows)
		if a.readyFile == "" {
			return
		}
		raw, _ := json.Marshal(struct {
			MS          int64              `json:"ms"`
			Rows        int                `json:"rows"`
			UnixMS      int64              `json:"unixMs"`
			PageAskUnix int64              `json:"pageRequestedUnixMs"` // the webview's request for index.html (0 under wails dev)
			Marks       map[string]float64 `json:"marks,omitempty"`
		}{ms, rows, time.Now().UnixMilli(), a.pageAskedAt.Load(), marks})
		if err := os.WriteFile(a.readyFile, raw, 0o600); err != nil {
			slog.Warn("write ready file", "err", err)
		}
	})
}
