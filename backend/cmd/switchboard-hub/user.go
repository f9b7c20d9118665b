package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"switchboard/backend/hub"
	"switchboard/backend/store"
)

func init() { commands["user"] = runUser }

// runUser manages the hub's accounts: user add|list|passwd|disable|enable|role. Passwords come
// from a file or stdin, never from argv (which every user of the machine can read in ps).
func runUser(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: switchboard-hub user add|list|passwd|disable|enable|role [flags]")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	email := fs.String("email", "", "the account's e-mail")
	var name, role, passwordFile *string
	switch sub {
	case "add":
		name = fs.String("name", "", "the name managers see")
		role = fs.String("role", store.RoleManager, "admin or manager")
		passwordFile = fs.String("password-file", "-", "file holding the password (first line); - reads stdin")
	case "passwd":
		passwordFile = fs.String("password-file", "-", "file holding the password (first line); - reads stdin")
	case "role":
		role = fs.String("role", "", "admin or manager")
	case "list", "disable", "enable":
	default:
		return fmt.Errorf("unknown subcommand %q: add, list, passwd, disable, enable or role", sub)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q (a password never goes on the command line: use --password-file or stdin)", fs.Args())
	}
	ctx := context.Background()
	accounts, closeBook, err := openAccounts(ctx, *dir, *dsn)
	if err != nil {
		return err
	}
	defer closeBook()
	now := time.Now().UnixMilli()

	if sub == "list" {
		return listAccounts(ctx, accounts, os.Stdout)
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	switch sub {
	case "add":
		password, err := readPassword(*passwordFile, os.Stdin)
		if err != nil {
			return err
		}
		if code, params := hub.CheckPassword(password); code != "" {
			return fmt.Errorf("password refused: %s %v", code, params)
		}
		if strings.TrimSpace(*name) == "" {
			return errors.New("--name is required")
		}
		hash, err := hub.HashPassword(password, hub.DefaultPasswordParams)
		if err != nil {
			return err
		}
		acc, err := accounts.Add(ctx, store.NewAccount{Name: strings.TrimSpace(*name), Email: *email, Role: *role, PasswordHash: hash}, now)
		if err != nil {
			return err
		}
		fmt.Printf("added %d %s (%s)\n", acc.ManagerID, acc.Email, acc.Role)
		return nil
	}
	acc, _, err := accounts.PasswordHash(ctx, *email)
	if err != nil {
		return fmt.Errorf("account %s: %w", *email, err)
	}
	switch sub {
	case "passwd":
		password, err := readPassword(*passwordFile, os.Stdin)
		if err != nil {
			return err
		}
		if code, params := hub.CheckPassword(password); code != "" {
			return fmt.Errorf("password refused: %s %v", code, params)
		}
		hash, err := hub.HashPassword(password, hub.DefaultPasswordParams)
		if err != nil {
			return err
		}
		revoked, err := accounts.SetPassword(ctx, acc.ManagerID, hash, now)
		if err != nil {
			return err
		}
		fmt.Printf("password set for %s; %d sessions ended\n", acc.Email, len(revoked))
	case "disable", "enable":
		revoked, err := accounts.SetDisabled(ctx, acc.ManagerID, sub == "disable", now)
		if err != nil {
			return err
		}
		fmt.Printf("%sd %s; %d sessions ended\n", sub, acc.Email, len(revoked))
	case "role":
		if err := accounts.SetRole(ctx, acc.ManagerID, *role, now); err != nil {
			return err
		}
		fmt.Printf("%s is now %s\n", acc.Email, *role)
	}
	return nil
}

// openAccounts opens the account book: PostgreSQL when dsn is given, else the data directory's
// SQLite store.
func openAccounts(ctx context.Context, dir, dsn string) (*store.Accounts, func(), error) {
	if dsn != "" {
		warnPasswordInDSN(dsn)
		a, err := store.OpenAccountsPostgres(ctx, dsn)
		if err != nil {
			return nil, nil, err
		}
		return a, func() { a.Close() }, nil
	}
	st, err := store.OpenDir(dir)
	if err != nil {
		return nil, nil, err
	}
	return st.Accounts(), func() { st.Close() }, nil
}

func listAccounts(ctx context.Context, accounts *store.Accounts, out io.Writer) error {
	accs, err := accounts.List(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tE-MAIL\tNAME\tROLE\tSTATE")
	for _, a := range accs {
		state := "active"
		if a.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", a.ManagerID, a.Email, a.Name, a.Role, state)
	}
	return w.Flush()
}

// readPassword reads the first line of path ("-": stdin), without its line ending.
func readPassword(path string, stdin io.Reader) (string, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, hub.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("no password given (first line of --password-file, or stdin)")
	}
	return line, nil
}
