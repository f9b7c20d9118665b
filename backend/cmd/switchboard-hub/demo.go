package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"switchboard/backend/demo"
	"switchboard/backend/store"
)

// dataDirFlag adds --data with the per-user default the desktop app uses too.
func dataDirFlag(fs *flag.FlagSet) *string {
	def, err := store.DefaultDataDir()
	if err != nil {
		def = ""
	}
	return fs.String("data", def, "data directory (holds "+store.DBFile+")")
}

func runDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	people := fs.Int("people", 2000, "how many people")
	messages := fs.Int("messages", 20000, "how many messages in all")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same workspace")
	force := fs.Bool("force", false, "delete an existing store in --data first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("no --data directory and no per-user config dir")
	}
	path := filepath.Join(*dir, store.DBFile)
	if _, err := os.Stat(path); err == nil {
		if !*force {
			return fmt.Errorf("%s already exists: pass --force to replace it with a demo workspace", path)
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove old store: %w", err)
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := store.OpenDir(*dir)
	if err != nil {
		return err
	}
	defer st.Close()
	// A store created by another program (or an older run without --force) must not be mixed
	// with demo rows.
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	if stats.People+stats.Channels+stats.Messages > 0 {
		return fmt.Errorf("%s is not empty: pass --force to replace it", path)
	}
	began := time.Now()
	if err := demo.Generate(ctx, st, demo.Options{People: *people, Messages: *messages, Seed: *seed, Now: time.Now()}); err != nil {
		return err
	}
	stats, err = st.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("demo workspace in %s: %d people, %d chats, %d messages, %d channels (%s)\n",
		path, stats.People, stats.Chats, stats.Messages, stats.Channels, time.Since(began).Round(time.Millisecond))
	return nil
}
