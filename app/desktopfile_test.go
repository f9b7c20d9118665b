package app

import (
	"os"
	"strings"
	"testing"
)

// A file or URL handed to the launcher (%U) is an argument, never an option: "--data=…" dropped
// on the icon must not choose the data directory.
func TestDesktopEntryEndsOptionsBeforeFiles(t *testing.T) {
	raw, err := os.ReadFile("../build/linux/switchboard.desktop")
	if err != nil {
		t.Fatal(err)
	}
	var exec []string
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "Exec="); ok {
			exec = strings.Fields(v)
		}
	}
	dashes, files := -1, -1
	for i, f := range exec {
		switch f {
		case "--":
			dashes = i
		case "%U", "%u", "%F", "%f":
			files = i
		}
	}
	if files >= 0 && (dashes < 0 || dashes > files) {
		t.Fatalf("Exec=%s passes files without -- before them", strings.Join(exec, " "))
	}
}
