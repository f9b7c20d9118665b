package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"switchboard/backend/core"
	"switchboard/backend/engine"
	"switchboard/backend/inbox"
	"switchboard/backend/secrets"
	"switchboard/backend/store"
)

func init() { commands["channel"] = runChannel }

const channelUsage = `usage:
  switchboard-hub channel add telegram (--token-file F | --token-env V) [--api-url U] [--data DIR]
  switchboard-hub channel add vk --group G (--token-file F | --token-env V) [--data DIR]
  switchboard-hub channel list [--data DIR]
  switchboard-hub channel remove ID [--data DIR]`

func runChannel(args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, channelUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "add":
		if len(args) < 2 || (args[1] != "telegram" && args[1] != "vk") {
			return fmt.Errorf("channel add: say telegram or vk\n%s", channelUsage)
		}
		return channelAdd(core.ChannelKind(args[1]), args[2:])
	case "list":
		return channelList(args[1:])
	case "remove":
		return channelRemove(args[1:])
	default:
		return fmt.Errorf("channel: unknown action %q\n%s", args[0], channelUsage)
	}
}

// readToken takes the token from a 0600 file or an environment variable, never from the
// command line (which other users can read in the process list).
func readToken(file, env string) (string, error) {
	switch {
	case file != "" && env != "":
		return "", errors.New("give --token-file or --token-env, not both")
	case file != "":
		return secrets.ReadTokenFile(file)
	case env != "":
		tok := strings.TrimSpace(os.Getenv(env))
		if tok == "" {
			return "", fmt.Errorf("environment variable %s is empty", env)
		}
		return tok, nil
	default:
		return "", errors.New("give --token-file F (mode 600) or --token-env VAR")
	}
}

// openInbox opens the data directory's store and composes the engine over it with the token
// store the flags chose; nothing polls (a running `serve` picks the change up).
func openInbox(dir, tokens, dsn string) (*store.Store, *inbox.Service, string, error) {
	sec, where, err := tokenStore(tokens, dir)
	if err != nil {
		return nil, nil, "", err
	}
	st, err := openEngineStore(context.Background(), dir, dsn)
	if err != nil {
		return nil, nil, "", err
	}
	eng, err := engine.New(engine.Config{Store: st, Secrets: sec})
	if err != nil {
		st.Close()
		return nil, nil, "", err
	}
	return st, eng.Inbox, where, nil
}

func channelAdd(kind core.ChannelKind, args []string) error {
	fs := flag.NewFlagSet("channel add "+string(kind), flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	tokens := tokensFlag(fs)
	tokenFile := fs.String("token-file", "", "file holding the token (mode 600)")
	tokenEnv := fs.String("token-env", "", "environment variable holding the token")
	apiURL := fs.String("api-url", "", "Telegram: Bot API server (default api.telegram.org)")
	group := fs.String("group", "", "VK: community id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	token, err := readToken(*tokenFile, *tokenEnv)
	if err != nil {
		return err
	}
	st, svc, where, err := openInbox(*dir, *tokens, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ch := core.Channel{Kind: kind, APIURL: strings.TrimSpace(*apiURL)}
	if kind == core.VK {
		ch.ExternalID = strings.TrimPrefix(strings.TrimSpace(*group), "-")
		if ch.ExternalID == "" {
			return errors.New("channel add vk: --group is required")
		}
	}
	saved, err := svc.RegisterChannel(context.Background(), ch, token)
	var wh *inbox.WebhookError
	if errors.As(err, &wh) {
		return fmt.Errorf("%w\n(remove it with the Bot API's deleteWebhook, then add the channel again)", err)
	}
	if err != nil {
		return err
	}
	fmt.Printf("added channel %d: %s %s (@%s); token kept in %s\n", saved.ID, saved.Kind, saved.Name, saved.Username, where)
	return nil
}

func channelList(args []string) error {
	fs := flag.NewFlagSet("channel list", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	tokens := tokensFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := openEngineStore(context.Background(), *dir, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	sec, _, err := tokenStore(*tokens, *dir)
	if err != nil {
		return err
	}
	chans, err := st.Channels(context.Background())
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tKIND\tNAME\tUSERNAME\tENABLED\tTOKEN")
	for _, ch := range chans {
		tok := "present"
		if _, err := sec.Get(ch.ID); err != nil {
			tok = "missing"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%v\t%s\n", ch.ID, ch.Kind, printable(ch.Name), printable(ch.Username), ch.Enabled, tok)
	}
	return w.Flush()
}

func channelRemove(args []string) error {
	fs := flag.NewFlagSet("channel remove", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	tokens := tokensFlag(fs)
	// The id may come before or after the flags.
	var idArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idArg, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if idArg == "" && fs.NArg() > 0 {
		idArg = fs.Arg(0)
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("channel remove: %q is not a channel id", idArg)
	}
	st, svc, _, err := openInbox(*dir, *tokens, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := svc.RemoveChannel(context.Background(), id); err != nil {
		return err
	}
	fmt.Printf("removed channel %d\n", id)
	return nil
}
