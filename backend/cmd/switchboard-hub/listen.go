package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"switchboard/backend/engine"
	"switchboard/backend/hub"
	"switchboard/backend/store"

	// The PostgreSQL driver for --db (store.OpenPostgres, store.OpenAccountsPostgres); only the hub
	// links it.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// hubAPI is serve's team-mode API: its flags, and starting it beside the engine. It lives apart
// from serve.go so the engine's wiring and this one change in different files.
type hubAPI struct {
	listen, dsn, tlsCert, tlsKey *string
	insecure                     *bool
	keepLog                      *time.Duration
	keepEvents                   *int64
	pruneEvery                   *time.Duration
}

// hubAPIFlags registers serve's API flags.
func hubAPIFlags(fs *flag.FlagSet) *hubAPI {
	return &hubAPI{
		listen:   fs.String("listen", "", "serve the team API (HTTP + WebSocket) on host:port; empty: no API"),
		dsn:      dbFlag(fs),
		tlsCert:  fs.String("tls-cert", "", "TLS certificate (PEM) for --listen"),
		tlsKey:   fs.String("tls-key", "", "TLS private key (PEM) for --listen"),
		insecure: fs.Bool("allow-insecure-listen", false, "allow plain HTTP on a non-loopback address (behind a TLS-terminating reverse proxy)"),
		keepLog: fs.Duration("keep-log", 30*24*time.Hour,
			"keep the event log this long; a desktop away longer downloads a snapshot again (0: no bound by age)"),
		keepEvents: fs.Int64("keep-events", 5_000_000,
			"keep at most this many of the newest events; a desktop further behind downloads a snapshot again (0: no bound by count)"),
		pruneEvery: fs.Duration("prune-every", time.Minute, "how often to prune the event log (in small batches)"),
	}
}

// start opens the listener and serves the API until ctx ends or stop is called; stop also waits
// for it to finish (sockets closed, the PostgreSQL book closed). Without --listen it does nothing.
func (a *hubAPI) start(ctx context.Context, st *store.Store, eng *engine.Engine) (stop func(), err error) {
	if *a.listen == "" {
		return func() {}, nil
	}
	// With --db the store itself is in PostgreSQL and holds the accounts (migrations_pg/0009).
	accounts, closeBook := st.Accounts(), func() {}
	if *a.dsn != "" && !st.Postgres() {
		pg, err := store.OpenAccountsPostgres(ctx, *a.dsn)
		if err != nil {
			return nil, err
		}
		accounts, closeBook = pg, func() { pg.Close() }
	}
	srv, err := hub.New(hub.Config{Accounts: accounts, Events: st, Inbox: eng.Inbox, Composer: eng.Composer,
		Prune: hub.PruneConfig{KeepFor: *a.keepLog, KeepEvents: *a.keepEvents, Every: *a.pruneEvery}})
	if err != nil {
		closeBook()
		return nil, err
	}
	ln, err := hub.Listen(hub.ListenConfig{Addr: *a.listen, TLSCert: *a.tlsCert, TLSKey: *a.tlsKey, AllowInsecure: *a.insecure})
	if err != nil {
		closeBook()
		return nil, err
	}
	scheme := "http"
	if *a.tlsCert != "" {
		scheme = "https"
	}
	slog.Info("team API", "url", fmt.Sprintf("%s://%s", scheme, ln.Addr()), "accounts_in_postgres", *a.dsn != "")
	// Its own context, so stop ends it even when serve returns early (the engine failed to
	// start) before the signal context is cancelled.
	ctx, cancel := context.WithCancel(ctx)
	srv.Start(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ctx, ln); err != nil {
			slog.Error("team API stopped", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
		closeBook()
	}, nil
}
