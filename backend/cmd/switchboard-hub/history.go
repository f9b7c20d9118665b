package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"switchboard/backend/core"
)

func init() { commands["history"] = runHistory }

// runHistory prints a chat's history as plain text, oldest first.
func runHistory(args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	chat := fs.Int64("chat", 0, "chat id")
	limit := fs.Int("limit", 50, "how many of the newest entries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *chat <= 0 {
		return fmt.Errorf("history: --chat is required")
	}
	st, err := openEngineStore(context.Background(), *dir, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Chat(ctx, *chat); err != nil {
		return err
	}
	// Pages come newest-first from Before; gather until the limit, then print oldest first.
	var msgs []core.Message
	before := int64(0)
	for len(msgs) < *limit {
		page, err := st.History(ctx, core.HistoryQuery{ChatID: *chat, Before: before, Limit: min(*limit-len(msgs), core.MaxPageSize)})
		if err != nil {
			return err
		}
		msgs = append(page.Messages, msgs...)
		if !page.HasMore || len(page.Messages) == 0 {
			break
		}
		before = page.Messages[0].ID
	}
	writeHistory(os.Stdout, msgs)
	return nil
}

func writeHistory(w io.Writer, msgs []core.Message) {
	for _, m := range msgs {
		at := time.UnixMilli(m.CreatedAt).UTC().Format("2006-01-02 15:04:05")
		who := string(m.Sender)
		if m.SenderName != "" {
			who += " " + printable(m.SenderName)
		}
		var b strings.Builder
		switch m.Kind {
		case core.KindIndicator:
			b.WriteString("[" + indicatorText(m.Indicator) + "]")
		case core.KindNote:
			b.WriteString("(note) " + printable(m.Text))
		default:
			b.WriteString(printable(m.Text))
			for _, a := range m.Attachments {
				b.WriteString(" [" + string(a.Kind))
				if a.FileName != "" {
					b.WriteString(" " + printable(a.FileName))
				}
				b.WriteString("]")
			}
		}
		var marks []string
		if m.Sender != core.SenderClient && m.Kind == core.KindMessage && m.Status != core.StatusReceived {
			marks = append(marks, string(m.Status))
		}
		if m.Edited {
			marks = append(marks, "edited")
		}
		if m.Deleted {
			marks = append(marks, "deleted")
		}
		if m.Error != "" {
			marks = append(marks, "error: "+printable(m.Error))
		}
		suffix := ""
		if len(marks) > 0 {
			suffix = " (" + strings.Join(marks, ", ") + ")"
		}
		fmt.Fprintf(w, "%s #%d %s: %s%s\n", at, m.ID, who, b.String(), suffix)
	}
}

func indicatorText(ind *core.Indicator) string {
	if ind == nil {
		return "indicator"
	}
	parts := []string{string(ind.Type)}
	for _, kv := range [][2]string{{"tunnel", ind.Tunnel}, {"source", ind.Source}, {"tool", ind.Tool},
		{"block", ind.Block}, {"offer", ind.Offer}, {"amount", ind.Amount}, {"reason", ind.Reason}, {"details", ind.Details}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+printable(kv[1]))
		}
	}
	return strings.Join(parts, " ")
}

// printable keeps client text from driving the terminal: control characters (escape
// sequences included) are shown as \uXXXX, and line breaks as ⏎ so one entry is one line.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString("⏎")
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
