package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"switchboard/backend/inbox"
)

// Bindings of the dialogues report (Workspace → Reports). The figures come from inbox
// (reports.go); the CSV goes where the person chooses in the native save dialog.

// DialoguesReport is the report of the dialogue cycles opened in [q.From, q.To), grouped by
// manager or by type.
func (a *Workspace) DialoguesReport(q inbox.ReportQuery) (inbox.DialoguesReport, error) {
	return a.inbox.DialoguesReport(bg(), q)
}

// DialoguesReportCSV is the CSV export's text: one row per cycle opened in [from, to) (unix
// ms), times in this computer's time zone.
func (a *Workspace) DialoguesReportCSV(from, to int64) (string, error) {
	return a.inbox.DialoguesReportCSV(bg(), time.UnixMilli(from), time.UnixMilli(to), time.Local)
}

// ExportDialoguesReport asks where to save the CSV of [from, to) (the dialog titled title,
// offering defaultName) and writes it there; it returns the path, or "" when the person
// cancelled. The path comes from the dialog Go opened, never from the page.
func (a *Workspace) ExportDialoguesReport(from, to int64, title, defaultName string) (string, error) {
	text, err := a.DialoguesReportCSV(from, to)
	if err != nil {
		return "", err
	}
	name := filepath.Base(strings.TrimSpace(defaultName))
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = "dialogues.csv"
	}
	path, err := a.currentWindow().SaveFile(title, name)
	if err != nil {
		return "", fmt.Errorf("export dialogues report: %w", err)
	}
	if path == "" {
		return "", nil
	}
	// Client names are personal data: readable by this user only, like the store itself.
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return "", fmt.Errorf("export dialogues report: %w", err)
	}
	return path, nil
}
