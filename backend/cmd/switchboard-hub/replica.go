package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"switchboard/backend/engine"
	"switchboard/backend/replica"
	"switchboard/backend/store"
	"switchboard/backend/teamwire"
)

func init() {
	commands["replica"] = runReplica
	commands["send"] = runSend
}

// runReplica runs a desktop's engine without a window as a replica of a team hub: it keeps the
// data directory a copy of the hub and delivers the writes queued in it (`send`), until
// SIGINT/SIGTERM.
func runReplica(args []string) error {
	fs := flag.NewFlagSet("replica", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	hubURL := fs.String("hub", "", "the hub's URL (http://host:port, or https://)")
	creds := fs.String("credentials", "", "a file of two lines: the e-mail and the password to sign in with (never on the command line)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *hubURL == "" || *creds == "" {
		return errors.New("replica: --hub and --credentials are required")
	}
	email, password, err := readCredentials(*creds)
	if err != nil {
		return err
	}
	st, err := store.OpenDir(*dir)
	if err != nil {
		return err
	}
	defer st.Close()
	eng, err := engine.New(engine.Config{Store: st, Replica: &replica.Config{HubURL: *hubURL, Email: email, Password: password,
		OnStatus: func(s replica.Status) {
			slog.Info("replica status", "state", s.State, "pending", s.Pending, "seq", s.Seq, "done", s.Done, "total", s.Total, "error", s.LastError)
		}}})
	if err != nil {
		return err
	}
	defer eng.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.Info("replica", "data", *dir, "hub", *hubURL)
	if err := eng.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	slog.Info("stopping")
	eng.Stop()
	return nil
}

// readCredentials reads an e-mail and a password, one a line.
func readCredentials(path string) (email, password string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("credentials: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []string
	for sc.Scan() && len(lines) < 2 {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return "", "", fmt.Errorf("credentials: %w", err)
	}
	if len(lines) < 2 || strings.TrimSpace(lines[0]) == "" || lines[1] == "" {
		return "", "", errors.New("credentials: want the e-mail on the first line and the password on the second")
	}
	return strings.TrimSpace(lines[0]), lines[1], nil
}

// runSend queues a text message in a replica's data directory; the replica (running now or
// started later) delivers it to the hub, which sends it.
func runSend(args []string) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	chat := fs.Int64("chat", 0, "chat id (the hub's, as `history` and `stats` show)")
	text := fs.String("text", "", "the message")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *chat <= 0 || strings.TrimSpace(*text) == "" {
		return errors.New("send: --chat and --text are required")
	}
	st, err := store.OpenDir(*dir)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := replica.Enqueue(context.Background(), st, teamwire.Mutation{Kind: teamwire.MutSendText, ChatID: *chat, Text: *text}); err != nil {
		return err
	}
	n, _ := st.PendingCount(context.Background())
	fmt.Printf("queued; %d change(s) waiting for the hub\n", n)
	return nil
}
