package app

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/inbox"
)

// saveWindow answers the save dialog with a chosen path ("" = cancelled) and records what the
// dialog offered.
type saveWindow struct {
	noWindow
	chosen       string
	title, offer string
}

func (w *saveWindow) SaveFile(title, defaultName string) (string, error) {
	w.title, w.offer = title, defaultName
	return w.chosen, nil
}

// The report's bindings: the figures of a closed dialogue, and the CSV written where the save
// dialog said, with the client's name as the text it is; a cancelled dialog writes nothing.
func TestDialoguesReportBindingsAndExport(t *testing.T) {
	a, _, chatID := composeApp(t)
	d, err := a.CreateDialogue(chatID, core.DialogueInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CloseDialogue(d.ID, ""); err != nil {
		t.Fatal(err)
	}
	from, to := time.Now().Add(-time.Hour).UnixMilli(), time.Now().Add(time.Hour).UnixMilli()
	r, err := a.DialoguesReport(inbox.ReportQuery{From: from, To: to, GroupBy: inbox.ReportByManager})
	if err != nil || r.Total.Cycles != 1 || r.Total.Closed != 1 || len(r.Lines) != 1 || r.Lines[0].ManagerID != a.inbox.Me {
		t.Fatalf("report = %+v, %v", r, err)
	}
	if _, err := a.DialoguesReport(inbox.ReportQuery{From: to, To: from, GroupBy: inbox.ReportByManager}); uiError(err).Code != "invalid" {
		t.Fatalf("reversed period: %v", err)
	}

	path := filepath.Join(t.TempDir(), "chosen.csv")
	w := &saveWindow{chosen: path}
	a.win = w
	got, err := a.ExportDialoguesReport(from, to, "Save the report", "../../etc/dialogues-2026.csv")
	if err != nil || got != path || w.title != "Save the report" || w.offer != "dialogues-2026.csv" {
		t.Fatalf("export = %q, %v (offered %q)", got, err, w.offer)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil || len(recs) != 2 || recs[0][0] != "dialogue_id" || recs[1][3] != "Anna <b>Bold</b>" || recs[1][6] != "closed" {
		t.Fatalf("csv = %q, %v", raw, err)
	}
	// Windows has no Unix modes (Go reports 0666 for a writable file): there the folder the
	// person chose keeps the file to its owner.
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v", st.Mode())
	}

	cancelled := &saveWindow{}
	a.win = cancelled
	if got, err := a.ExportDialoguesReport(from, to, "Save", "x.csv"); got != "" || err != nil {
		t.Fatalf("cancelled = %q, %v", got, err)
	}
}
