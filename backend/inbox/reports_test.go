package inbox

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// A client with a formula for a name writes, the manager opens a dialogue, answers four minutes
// later, rates the client and closes it ten minutes after opening: the report by type and by
// manager says so, and the CSV row carries the same figures with the name kept as text.
func TestDialoguesReportAndCSV(t *testing.T) {
	ctx := context.Background()
	e := newComposeEnv(t, core.Telegram, "=HYPERLINK(\"http://evil\")\x1b[2J\nBob")
	s, err := New(e.st)
	if err != nil {
		t.Fatal(err)
	}
	clock := composeNow
	s.Now = func() time.Time { return clock }
	if _, err := s.SaveDialogueOption(ctx, core.DialogueOption{Kind: core.OptionType, Name: "Billing"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.CreateDialogue(ctx, e.chatID, core.DialogueInput{Type: "Billing"})
	if err != nil {
		t.Fatal(err)
	}
	clock = composeNow.Add(4 * time.Minute)
	if _, err := s.SendText(ctx, e.chatID, "Looking into it", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RateClient(ctx, d.ID, 4); err != nil {
		t.Fatal(err)
	}
	clock = composeNow.Add(10 * time.Minute)
	if _, err := s.CloseDialogue(ctx, d.ID, ""); err != nil {
		t.Fatal(err)
	}

	day := ReportQuery{From: composeNow.Truncate(24 * time.Hour).UnixMilli(), To: composeNow.Truncate(24 * time.Hour).Add(24 * time.Hour).UnixMilli()}
	for _, by := range []string{ReportByType, ReportByManager} {
		q := day
		q.GroupBy = by
		r, err := s.DialoguesReport(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want := "Billing"
		if by == ReportByManager {
			me, _ := e.st.Me(ctx)
			want = me.Name
		}
		if len(r.Lines) != 1 || r.Lines[0].Name != want || r.Total.Cycles != 1 || r.Total.Closed != 1 ||
			r.Total.FirstResponseMs != (4*time.Minute).Milliseconds() || r.Total.ResolutionMs != (10*time.Minute).Milliseconds() ||
			r.Total.ManagerRating != 4 || r.Total.ManagerRatingN != 1 || r.Total.ClientRatingN != 0 || r.Lines[0].Cycles != 1 {
			t.Errorf("by %s: %+v", by, r)
		}
	}

	text, err := s.DialoguesReportCSV(ctx, time.UnixMilli(day.From), time.UnixMilli(day.To), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv = %q, %v", text, err)
	}
	row := map[string]string{}
	for i, k := range recs[0] {
		row[k] = recs[1][i]
	}
	if row["client"] != "'=HYPERLINK(\"http://evil\")\uFFFD[2J Bob" || row["type"] != "Billing" || row["status"] != "closed" ||
		row["first_response_s"] != "240" || row["resolution_s"] != "600" || row["manager_rating"] != "4" || row["client_rating"] != "" ||
		row["opened_at"] != composeNow.Format(time.RFC3339) || row["client_first_message_at"] != composeNow.Format(time.RFC3339) || row["cycle"] != "1" {
		t.Errorf("csv row = %v", row)
	}

	// A period the wrong way round, a year too long, an unknown grouping: refused with a code.
	for _, q := range []ReportQuery{{From: day.To, To: day.From, GroupBy: ReportByType},
		{From: day.From, To: day.From + (4 * 366 * 24 * time.Hour).Milliseconds(), GroupBy: ReportByType},
		{From: day.From, To: day.To, GroupBy: "channel"}} {
		if _, err := s.DialoguesReport(ctx, q); ErrorCode(err) != "invalid" {
			t.Errorf("%+v: %v", q, err)
		}
	}
}

// Lines merge exactly: two managers' sums of one type make one line whose averages are over
// all their cycles, not an average of averages; the busiest line comes first.
func TestGroupReportMergesSums(t *testing.T) {
	r := groupReport(ReportQuery{GroupBy: ReportByType}, []store.ReportGroup{
		{ManagerID: 1, Manager: "Anna", Type: "Refund", Cycles: 1, Closed: 1, FirstResponseSum: 60_000, FirstResponseN: 1, ResolutionSum: 600_000,
			ClientRatingSum: 5, ClientRatingN: 1},
		{ManagerID: 2, Manager: "Boris", Type: "Refund", Cycles: 3, Closed: 2, FirstResponseSum: 540_000, FirstResponseN: 3, ResolutionSum: 600_000,
			ClientRatingSum: 2, ClientRatingN: 1, ManagerRatingSum: 3, ManagerRatingN: 1},
		{ManagerID: 2, Manager: "Boris", Type: "Billing", Cycles: 5},
	})
	if len(r.Lines) != 2 || r.Lines[0].Name != "Billing" || r.Lines[1].Name != "Refund" {
		t.Fatalf("lines = %+v", r.Lines)
	}
	refund := r.Lines[1]
	if refund.Cycles != 4 || refund.Closed != 3 || refund.FirstResponseMs != 150_000 || refund.FirstResponseN != 4 ||
		refund.ResolutionMs != 400_000 || refund.ClientRating != 3.5 || refund.ManagerRating != 3 || refund.ManagerRatingN != 1 {
		t.Errorf("refund = %+v", refund)
	}
	if r.Total.Cycles != 9 || r.Total.FirstResponseMs != 150_000 || r.Lines[0].FirstResponseN != 0 || r.Lines[0].FirstResponseMs != 0 {
		t.Errorf("total = %+v, billing = %+v", r.Total, r.Lines[0])
	}
}
