package notify

import (
	"encoding/xml"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Client text reaches three notification systems, and each reads some of it as structure:
// Windows parses the toast as XML, freedesktop servers read body markup, macOS runs AppleScript.
// The builders below keep client text as data in each one; they are pure so that one test covers
// all three on any OS.

// maxTitleRunes and maxBodyRunes bound what a client can put on the manager's screen.
const (
	maxTitleRunes = 120
	maxBodyRunes  = 400
)

// cleanText drops control characters (all of them in a title, all but line breaks in a body) and
// bidirectional controls (a notification cannot isolate them, so U+202E could reverse what
// follows), then shortens to max runes.
func cleanText(s string, multiline bool, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case r == '\n' && multiline:
		case r == '\r' || r == '\t' || r == '\n':
			r = ' '
		case unicode.Is(unicode.Bidi_Control, r), unicode.IsControl(r),
			r == '\u2028', r == '\u2029', r == '\ufeff':
			continue
		}
		if n == max {
			b.WriteRune('…')
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// toastXML is the Windows toast: client text only ever inside escaped character data
// (never CDATA, whose "]]>" would end it early).
func toastXML(title, body string) string {
	var b strings.Builder
	b.WriteString(`<toast duration="short"><visual><binding template="ToastGeneric">`)
	b.WriteString(`<text hint-maxLines="1">`)
	escapeXML(&b, cleanText(title, false, maxTitleRunes))
	b.WriteString(`</text><text>`)
	escapeXML(&b, cleanText(body, true, maxBodyRunes))
	b.WriteString(`</text></binding></visual><audio silent="true"/></toast>`)
	return b.String()
}

func escapeXML(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder never fails a write
}

// freedesktopText is the summary and body sent over D-Bus. The summary is plain text by the
// specification; the body is markup on servers that announce "body-markup", so there it is escaped.
func freedesktopText(title, body string, bodyMarkup bool) (summary, text string) {
	summary = cleanText(title, false, maxTitleRunes)
	text = cleanText(body, true, maxBodyRunes)
	if bodyMarkup {
		text = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(text)
	}
	return summary, text
}

// appleScript is a fixed script: the title and body arrive as its last two arguments (argv),
// never as part of the source, so no quote or backslash in them can change what runs.
const appleScript = "on run argv\n" +
	"display notification (item -1 of argv) with title (item -2 of argv)\n" +
	"end run"

// osascriptArgs is the command line for /usr/bin/osascript. "--" ends its options so a title
// starting with "-" is not read as one.
func osascriptArgs(title, body string) []string {
	return []string{"-e", appleScript, "--", cleanText(title, false, maxTitleRunes), cleanText(body, true, maxBodyRunes)}
}
