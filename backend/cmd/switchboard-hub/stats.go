package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"switchboard/backend/store"
)

func runStats(args []string) error {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		path := filepath.Join(*dir, store.DBFile)
		if _, err := os.Stat(path); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("no store at %s", path)
			}
			return err
		}
	}
	st, err := openEngineStore(context.Background(), *dir, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		return err
	}
	fmt.Printf("people\t%d\nchats\t%d\nmessages\t%d\nchannels\t%d\n", s.People, s.Chats, s.Messages, s.Channels)
	return nil
}
