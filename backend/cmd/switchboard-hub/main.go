// Command switchboard-hub is Switchboard's engine without a window: it runs the channel pollers
// and the shared state for a team (serve), manages channels, and fills demo workspaces.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
)

// commands maps a subcommand to its entry point. Each lives in its own file and registers here,
// so engineers adding subcommands do not edit each other's code.
var commands = map[string]func(args []string) error{
	"demo":  runDemo,
	"stats": runStats,
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	if os.Args[1] == "--version" || os.Args[1] == "-version" {
		os.Args[1] = "version"
	}
	run, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "switchboard-hub: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := run(os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintf(os.Stderr, "switchboard-hub %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: switchboard-hub <command> [flags]")
	fmt.Fprintln(os.Stderr, "commands:")
	for _, n := range names {
		fmt.Fprintln(os.Stderr, "  "+n)
	}
	fmt.Fprintln(os.Stderr, "run 'switchboard-hub <command> -h' for a command's flags")
}
