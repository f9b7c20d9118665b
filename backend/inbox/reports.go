package inbox

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"switchboard/backend/store"
)

// The dialogues report (README "The dialogues report"): a period's dialogue cycles measured per
// manager or per dialogue type, and one CSV row per cycle. The store decides every figure
// (store/reports.go); this file only groups, averages and writes CSV, so the app and
// `switchboard-hub report dialogues` say the same.

// Report groupings.
const (
	ReportByManager = "manager"
	ReportByType    = "type"
)

// MaxReportPeriod bounds a report's period: a longer one is a mistake in the dates, not a use.
const MaxReportPeriod = 3 * 366 * 24 * time.Hour

// ReportQuery asks for the report of the cycles opened in [From, To) (unix ms), grouped by
// manager or by type.
type ReportQuery struct {
	From    int64  `json:"from"`
	To      int64  `json:"to"`
	GroupBy string `json:"groupBy"`
}

// ReportLine is one line of the report: a manager's or a type's figures, or the total.
// Averages are 0 when their count is 0 (nothing to average: the UI shows a dash).
type ReportLine struct {
	ManagerID int64  `json:"managerId"` // by manager: 0 = cycles nobody owned
	Name      string `json:"name"`      // the manager's name or the dialogue type, as stored
	Cycles    int    `json:"cycles"`
	Closed    int    `json:"closed"`
	// FirstResponseMs is the average wait for a manager's first reply over FirstResponseN cycles.
	FirstResponseMs int64 `json:"firstResponseMs"`
	FirstResponseN  int   `json:"firstResponseN"`
	// ResolutionMs is the average open-to-close time of the Closed cycles.
	ResolutionMs   int64   `json:"resolutionMs"`
	ClientRating   float64 `json:"clientRating"`
	ClientRatingN  int     `json:"clientRatingN"`
	ManagerRating  float64 `json:"managerRating"`
	ManagerRatingN int     `json:"managerRatingN"`
	sums           store.ReportGroup
	sortName       string
}

// DialoguesReport is the report of one period.
type DialoguesReport struct {
	From    int64        `json:"from"`
	To      int64        `json:"to"`
	GroupBy string       `json:"groupBy"`
	Lines   []ReportLine `json:"lines"`
	Total   ReportLine   `json:"total"`
}

func checkPeriod(from, to time.Time) error {
	if !from.Before(to) {
		return invalid("report period %s..%s is empty", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	if to.Sub(from) > MaxReportPeriod {
		return invalid("report period of %d days", int(to.Sub(from).Hours()/24))
	}
	return nil
}

// DialoguesReport measures the dialogue cycles opened in the period, per manager or per type.
// Errors: ErrInvalid for an empty or over-long period or an unknown grouping.
func (s *Service) DialoguesReport(ctx context.Context, q ReportQuery) (DialoguesReport, error) {
	from, to := time.UnixMilli(q.From), time.UnixMilli(q.To)
	if err := checkPeriod(from, to); err != nil {
		return DialoguesReport{}, err
	}
	if q.GroupBy != ReportByManager && q.GroupBy != ReportByType {
		return DialoguesReport{}, invalid("report grouping %q", q.GroupBy)
	}
	groups, err := s.Store.ReportGroups(ctx, from, to)
	if err != nil {
		return DialoguesReport{}, err
	}
	return groupReport(q, groups), nil
}

// groupReport merges the store's manager×type sums into the lines of q's grouping and the total.
func groupReport(q ReportQuery, groups []store.ReportGroup) DialoguesReport {
	out := DialoguesReport{From: q.From, To: q.To, GroupBy: q.GroupBy, Lines: []ReportLine{}}
	byKey := map[string]*ReportLine{}
	var keys []string
	for _, g := range groups {
		key, line := g.Type, ReportLine{Name: g.Type}
		if q.GroupBy == ReportByManager {
			key, line = strconv.FormatInt(g.ManagerID, 10), ReportLine{ManagerID: g.ManagerID, Name: g.Manager}
		}
		l, ok := byKey[key]
		if !ok {
			line.sortName = strings.ToLower(line.Name)
			l = &line
			byKey[key] = l
			keys = append(keys, key)
		}
		addSums(&l.sums, g)
		addSums(&out.Total.sums, g)
	}
	for _, k := range keys {
		l := byKey[k]
		l.average()
		out.Lines = append(out.Lines, *l)
	}
	// The busiest first; equal counts by name, so the order is stable between refreshes.
	sort.SliceStable(out.Lines, func(i, j int) bool {
		a, b := out.Lines[i], out.Lines[j]
		if a.Cycles != b.Cycles {
			return a.Cycles > b.Cycles
		}
		return a.sortName < b.sortName
	})
	out.Total.average()
	return out
}

func addSums(dst *store.ReportGroup, g store.ReportGroup) {
	dst.Cycles += g.Cycles
	dst.Closed += g.Closed
	dst.FirstResponseSum += g.FirstResponseSum
	dst.FirstResponseN += g.FirstResponseN
	dst.ResolutionSum += g.ResolutionSum
	dst.ClientRatingSum += g.ClientRatingSum
	dst.ClientRatingN += g.ClientRatingN
	dst.ManagerRatingSum += g.ManagerRatingSum
	dst.ManagerRatingN += g.ManagerRatingN
}

// average turns the line's sums into its figures; ratings keep two decimals.
func (l *ReportLine) average() {
	s := l.sums
	l.Cycles, l.Closed = s.Cycles, s.Closed
	l.FirstResponseN, l.ClientRatingN, l.ManagerRatingN = s.FirstResponseN, s.ClientRatingN, s.ManagerRatingN
	if s.FirstResponseN > 0 {
		l.FirstResponseMs = s.FirstResponseSum / int64(s.FirstResponseN)
	}
	if s.Closed > 0 {
		l.ResolutionMs = s.ResolutionSum / int64(s.Closed)
	}
	round := func(sum, n int) float64 {
		if n == 0 {
			return 0
		}
		return float64(sum*100/n) / 100
	}
	l.ClientRating, l.ManagerRating = round(s.ClientRatingSum, s.ClientRatingN), round(s.ManagerRatingSum, s.ManagerRatingN)
}

// reportCSVHeader names the CSV's columns: stable keys for spreadsheets and scripts, the same in
// every language (the file is data, not a screen).
var reportCSVHeader = []string{"dialogue_id", "cycle", "chat_id", "client", "channel", "type", "status", "manager_id", "manager",
	"first_responder", "opened_at", "closed_at", "client_first_message_at", "first_reply_at", "first_response_s", "resolution_s",
	"client_rating", "manager_rating"}

// WriteDialoguesReportCSV writes one CSV row per dialogue cycle opened in [from, to), oldest
// first, times in loc. Empty cells are what did not happen (no reply, not closed, not rated).
func (s *Service) WriteDialoguesReportCSV(ctx context.Context, from, to time.Time, loc *time.Location, w io.Writer) error {
	if err := checkPeriod(from, to); err != nil {
		return err
	}
	rows, err := s.Store.ReportCycles(ctx, from, to)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(reportCSVHeader); err != nil {
		return fmt.Errorf("inbox: report csv: %w", err)
	}
	at := func(ms int64) string {
		if ms == 0 {
			return ""
		}
		return time.UnixMilli(ms).In(loc).Format(time.RFC3339)
	}
	seconds := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	rating := func(r int) string {
		if r == 0 {
			return ""
		}
		return strconv.Itoa(r)
	}
	for _, r := range rows {
		first := seconds(r.FirstResponse())
		if r.RepliedAt != 0 && first == "" {
			first = "0" // answered within the second the client wrote
		}
		rec := []string{strconv.FormatInt(r.DialogueID, 10), strconv.Itoa(r.Cycle), strconv.FormatInt(r.ChatID, 10),
			cell(r.Client), r.Channel, cell(r.Type), r.Status, strconv.FormatInt(r.ManagerID, 10), cell(r.Manager), cell(r.Responder),
			at(r.OpenedAt), at(r.ClosedAt), at(r.AskedAt), at(r.RepliedAt), first, seconds(r.Resolution()),
			rating(r.ClientRating), rating(r.ManagerRating)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("inbox: report csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("inbox: report csv: %w", err)
	}
	return nil
}

// DialoguesReportCSV is WriteDialoguesReportCSV into a string, for the app's export.
func (s *Service) DialoguesReportCSV(ctx context.Context, from, to time.Time, loc *time.Location) (string, error) {
	var b strings.Builder
	if err := s.WriteDialoguesReportCSV(ctx, from, to, loc, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// cell keeps a name a client (or anyone) chose from acting on what reads the file: a cell
// starting with = + - @ gets a leading apostrophe, which spreadsheets show as text and do not
// evaluate as a formula; line breaks and tabs become spaces (one cycle, one line) and other
// control characters (a terminal's escape sequences, when the CSV is printed) become U+FFFD.
func cell(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return '\uFFFD'
		}
		return r
	}, s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
