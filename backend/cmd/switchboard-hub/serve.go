package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/engine"
)

func init() { commands["serve"] = runServe }

// runServe runs the pollers and the outbox worker headless until SIGINT/SIGTERM, then stops
// them and waits: a batch being stored either commits (and is acknowledged on the next start)
// or rolls back (and comes again), so even kill -9 loses and doubles nothing.
func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	tgAPI := fs.String("telegram-api", "", "Bot API server for every Telegram channel (a self-hosted telegram-bot-api; default: each channel's own)")
	tokens := tokensFlag(fs)
	syncEvery := fs.Duration("sync", 10*time.Second, "how often to pick up channels added or removed by `channel add/remove` (with --db: at least every 2 s, which also takes over a bot whose poller died)")
	api := hubAPIFlags(fs)
	maxDBMB := fs.Int64("max-db-mb", 0, "stop taking writes before the database passes this many MB, answering disk_full as on a full disk (0: no cap; for a disk shared with other services)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *maxDBMB < 0 {
		return errors.New("serve: --max-db-mb must be 0 or more")
	}
	st, err := openEngineStore(context.Background(), *dir, *api.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if *maxDBMB > 0 {
		if err := st.LimitSize(*maxDBMB << 20); err != nil {
			return err
		}
	}
	sec, where, err := tokenStore(*tokens, *dir)
	if err != nil {
		return err
	}
	slog.Info("serve", "data", *dir, "tokens", where, "postgres", st.Postgres())

	eng, err := engine.New(engine.Config{
		Store: st, Secrets: sec, TelegramAPI: *tgAPI, SyncEvery: *syncEvery,
		OnStatus: func(s core.ChannelStatus) {
			slog.Info("channel status", "channel", s.ChannelID, "state", s.State, "retry_in", s.RetryIn, "error", s.LastError)
		},
	})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopAPI, err := api.start(ctx, st, eng)
	if err != nil {
		return fmt.Errorf("team API: %w", err)
	}
	defer stopAPI()
	if err := eng.Start(ctx); err != nil {
		return fmt.Errorf("start engine: %w", err)
	}
	<-ctx.Done()
	slog.Info("stopping")
	eng.Stop()
	slog.Info("stopped")
	return nil
}
