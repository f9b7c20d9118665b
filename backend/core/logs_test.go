package core

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestChatSwitchAndPersonFlagLogs(t *testing.T) {
	cases := []struct {
		got, want LogKind
	}{
		{ChatSwitchLog(false, true), LogTunnelOff},
		{ChatSwitchLog(false, false), LogTunnelOn},
		{ChatSwitchLog(true, true), LogBotOff},
		{ChatSwitchLog(true, false), LogBotOn},
		{PersonFlagLog(FlagArchived, true), LogArchived},
		{PersonFlagLog(FlagArchived, false), LogUnarchived},
		{PersonFlagLog(FlagBlacklisted, true), LogBlacklisted},
		{PersonFlagLog(FlagBlacklisted, false), LogUnblacklisted},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: %s, want %s", i, c.got, c.want)
		}
	}
}

// TestEveryLogKindAndReasonIsWorded reads the UI's words for logs and indicators: every kind the
// backend writes and every reason code must have a phrase in English and in Russian, or the
// card would show a bare kind.
func TestEveryLogKindAndReasonIsWorded(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..", "frontend", "src", "features")
	check := func(file, prefix string, codes []string) {
		src, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		// The file holds an English and a Russian dictionary: each key appears once in each.
		for _, c := range codes {
			key := regexp.QuoteMeta("'" + prefix + c + "'")
			if n := len(regexp.MustCompile(key+`\s*:`).FindAllIndex(src, -1)); n != 2 {
				t.Errorf("%s: %s%s is worded %d times, want 2 (en and ru)", file, prefix, c, n)
			}
		}
	}
	kinds := make([]string, len(LogKinds))
	for i, k := range LogKinds {
		kinds[i] = string(k)
	}
	check(filepath.Join("card", "card-i18n.ts"), "log.", kinds)
	check(filepath.Join("history", "history-i18n.ts"), "ind.reason.", IndicatorReasons)
	if strings.Contains(strings.Join(kinds, ","), " ") {
		t.Error("a log kind has a space: kinds are identifiers")
	}
}
