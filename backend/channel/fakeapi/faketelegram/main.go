// Command faketelegram serves the fake Telegram Bot API (backend/channel/fakeapi) on loopback
// for smoke tests of a built binary in another process, e.g. switchboard-hub.exe under wine
// (scripts/release-check.sh). It queues client messages, writes "URL TOKEN" to --addr-file,
// and exits 0 once the client has confirmed every update with an offset (the hub confirms only
// what it has committed), or 1 after --timeout.
//
// With --stdin it queues a client message for every line read from stdin instead
// (USER_ID<TAB>NAME<TAB>TEXT, text without tabs or newlines) as soon as the line arrives, until
// stdin ends: the hub bench (bench/cmd/hubbench) feeds it so, and keeps it in a process of its
// own, apart from the thousands of simulated desktops whose sockets would otherwise delay it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/channel/fakeapi"
)

func main() {
	addrFile := flag.String("addr-file", "", "where to write the API URL and the token (required)")
	texts := flag.Int("messages", 3, "how many client text messages to queue")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up when the updates are not all confirmed by then")
	fromStdin := flag.Bool("stdin", false, "queue a message per stdin line (USER_ID<TAB>NAME<TAB>TEXT) until stdin ends, instead of --messages")
	keep := flag.Bool("keep", false, "after the updates are confirmed, keep serving and print what the bot sends (a walkthrough's client side) until killed")
	flag.Parse()
	if *addrFile == "" {
		fmt.Fprintln(os.Stderr, "faketelegram: --addr-file is required")
		os.Exit(2)
	}
	tg := fakeapi.NewTelegram(nil)
	defer tg.Close()
	if *fromStdin {
		if err := os.WriteFile(*addrFile, []byte(tg.URL()+" "+tg.Token()+"\n"), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "faketelegram:", err)
			os.Exit(1)
		}
		if err := pushLines(tg, os.Stdin); err != nil {
			fmt.Fprintln(os.Stderr, "faketelegram:", err)
			os.Exit(1)
		}
		return
	}
	for i := 1; i <= *texts; i++ {
		tg.PushText(7000+int64(i), fmt.Sprintf("Client %d", i), fmt.Sprintf("smoke message %d", i))
	}
	if err := os.WriteFile(*addrFile, []byte(tg.URL()+" "+tg.Token()+"\n"), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "faketelegram:", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(*timeout)
	for tg.Pending() > 0 {
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "faketelegram: %d of %d updates still unconfirmed after %s\n", tg.Pending(), *texts, *timeout)
			os.Exit(1)
		}
		time.Sleep(200 * time.Millisecond)
	}
	fmt.Printf("faketelegram: all %d updates confirmed\n", *texts)
	for seen := map[int64]int{}; *keep; time.Sleep(200 * time.Millisecond) {
		for i := 1; i <= *texts; i++ {
			chat := 7000 + int64(i)
			sent := tg.Messages(chat)
			for _, m := range sent[seen[chat]:] {
				fmt.Printf("faketelegram: the bot sent to chat %d: %q\n", chat, m.Text)
			}
			seen[chat] = len(sent)
		}
	}
}

// pushLines queues a private text message for every USER_ID<TAB>NAME<TAB>TEXT line of r.
func pushLines(tg *fakeapi.Telegram, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			return fmt.Errorf("stdin: want USER_ID<TAB>NAME<TAB>TEXT, got %q", sc.Text())
		}
		id, err := strconv.ParseInt(parts[0], 10, 64)
		if err != nil {
			return fmt.Errorf("stdin: user id %q: %w", parts[0], err)
		}
		tg.PushText(id, parts[1], parts[2])
	}
	return sc.Err()
}
