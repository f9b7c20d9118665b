package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"switchboard/backend/inbox"
	"switchboard/backend/store"
)

func init() { commands["report"] = runReport }

// runReport prints a report of the data directory's store. One report so far:
//
//	switchboard-hub report dialogues --from 2026-12-01 --to 2026-12-06 [--by manager|type] [--csv] [--data DIR]
//
// The period is whole days in this machine's time zone, both ends included: the dialogue cycles
// opened from the start of --from to the end of --to. The table has one line per manager (or
// type) and the total; --csv prints one row per cycle instead, the app's export.
func runReport(args []string) error {
	return report(args, os.Stdout)
}

func report(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "dialogues" {
		return errors.New("report: usage: report dialogues --from YYYY-MM-DD --to YYYY-MM-DD [--by manager|type] [--csv] [--data DIR] [--db DSN]")
	}
	fs := flag.NewFlagSet("report dialogues", flag.ContinueOnError)
	dir := dataDirFlag(fs)
	dsn := dbFlag(fs)
	fromFlag := fs.String("from", "", "first day of the period, YYYY-MM-DD (local time)")
	toFlag := fs.String("to", "", "last day of the period, YYYY-MM-DD, included (default: --from)")
	by := fs.String("by", inbox.ReportByManager, "group the table by manager or type")
	asCSV := fs.Bool("csv", false, "print one CSV row per dialogue cycle instead of the table")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	from, err := time.ParseInLocation(time.DateOnly, *fromFlag, time.Local)
	if err != nil {
		return fmt.Errorf("report: --from %q: want YYYY-MM-DD", *fromFlag)
	}
	lastDay := from
	if *toFlag != "" {
		if lastDay, err = time.ParseInLocation(time.DateOnly, *toFlag, time.Local); err != nil {
			return fmt.Errorf("report: --to %q: want YYYY-MM-DD", *toFlag)
		}
	}
	to := lastDay.AddDate(0, 0, 1) // the start of the day after: whole days, DST included
	// A hub on PostgreSQL keeps no database file to look for.
	if *dsn == "" {
		if _, err := os.Stat(filepath.Join(*dir, store.DBFile)); err != nil {
			return fmt.Errorf("report: no store at %s: %w", *dir, err)
		}
	}
	st, err := openEngineStore(context.Background(), *dir, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := inbox.New(st)
	if err != nil {
		return err
	}
	ctx := context.Background()
	if *asCSV {
		return svc.WriteDialoguesReportCSV(ctx, from, to, time.Local, out)
	}
	r, err := svc.DialoguesReport(ctx, inbox.ReportQuery{From: from.UnixMilli(), To: to.UnixMilli(), GroupBy: *by})
	if err != nil {
		return err
	}
	writeReport(out, r, from, lastDay)
	return nil
}

// writeReport prints the table: averages with how many cycles each is over, "-" for none.
func writeReport(out io.Writer, r inbox.DialoguesReport, from, lastDay time.Time) {
	fmt.Fprintf(out, "dialogues %s..%s (%s), cycles opened in the period\n", from.Format(time.DateOnly), lastDay.Format(time.DateOnly), from.Format("MST"))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tcycles\tclosed\tfirst response\tresolution\tclient rating\tmanager rating\n", r.GroupBy)
	line := func(name string, l inbox.ReportLine) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", name, l.Cycles, l.Closed,
			avgDuration(l.FirstResponseMs, l.FirstResponseN), avgDuration(l.ResolutionMs, l.Closed),
			avgRating(l.ClientRating, l.ClientRatingN), avgRating(l.ManagerRating, l.ManagerRatingN))
	}
	for _, l := range r.Lines {
		name := printable(l.Name)
		if name == "" && r.GroupBy == inbox.ReportByManager {
			name = "(nobody)"
		} else if name == "" {
			name = "(no type)"
		}
		line(name, l)
	}
	line("total", r.Total)
	tw.Flush()
}

func avgDuration(ms int64, n int) string {
	if n == 0 {
		return "-"
	}
	return (time.Duration(ms) * time.Millisecond).Round(time.Second).String() + " (" + strconv.Itoa(n) + ")"
}

func avgRating(v float64, n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + " (" + strconv.Itoa(n) + ")"
}
