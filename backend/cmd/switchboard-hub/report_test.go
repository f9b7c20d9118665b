package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
)

// report dialogues over a data directory: a client asks at 10:00 on 2 March (local time), the
// bot answers at once, the manager opens a dialogue, replies at 10:05, closes at 10:30 and
// rates the client 4. The table, the CSV and the period's edges say so.
func TestReportDialogues(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.Local)
	ch, err := st.AddChannel(ctx, core.Channel{Kind: core.VK, Name: "Shop", ExternalID: "9", Username: "shop"}, at)
	if err != nil {
		t.Fatal(err)
	}
	client := core.Sender{ExternalUserID: "77", Name: "+cmd|' /C calc'!A0"}
	if _, err := st.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "1", Updates: []core.Update{
		{Kind: core.UpdMessage, ExternalChatID: "77", ExternalID: "1", Text: "where is my order", At: at.UnixMilli(), From: client, Sender: core.SenderClient},
		{Kind: core.UpdMessage, ExternalChatID: "77", ExternalID: "2", Text: "auto", At: at.Add(time.Second).UnixMilli(), Sender: core.SenderBot},
	}}, at); err != nil {
		t.Fatal(err)
	}
	chat, err := st.ChatByExternal(ctx, ch.ID, "77")
	if err != nil {
		t.Fatal(err)
	}
	me, _ := st.Me(ctx)
	d, err := st.CreateDialogue(ctx, chat.ID, me.ID, core.DialogueInput{Type: "Delivery", Status: core.DialogueOpen, Managers: []int64{me.ID}}, at.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.QueueSend(ctx, chat.ID, me.ID, "on its way", nil, 0, at.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RateClient(ctx, d.ID, 4, at.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CloseDialogue(ctx, d.ID, me.ID, "", at.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	run := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := report(append([]string{"dialogues", "--data", dir}, args...), &out); err != nil {
			t.Fatalf("report %v: %v", args, err)
		}
		return out.String()
	}
	table := run("--from", "2026-03-02", "--to", "2026-03-02", "--by", "type")
	if !strings.Contains(table, "dialogues 2026-03-02..2026-03-02") || !hasLine(table, "Delivery", "1", "1", "5m0s", "(1)", "29m0s", "(1)", "-", "4.00", "(1)") ||
		!hasLine(table, "total", "1", "1", "5m0s", "(1)", "29m0s", "(1)", "-", "4.00", "(1)") {
		t.Fatalf("table:\n%s", table)
	}
	// --to is included; the days around it are not.
	if got := run("--from", "2026-03-01", "--to", "2026-03-01"); !hasLine(got, "total", "0", "0", "-", "-", "-", "-") {
		t.Fatalf("the day before:\n%s", got)
	}
	if got := run("--from", "2026-03-03"); !hasLine(got, "total", "0", "0", "-", "-", "-", "-") {
		t.Fatalf("the day after:\n%s", got)
	}

	text := run("--from", "2026-03-01", "--to", "2026-03-02", "--csv")
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv %q: %v", text, err)
	}
	row := map[string]string{}
	for i, k := range recs[0] {
		row[k] = recs[1][i]
	}
	if row["client"] != "'+cmd|' /C calc'!A0" || row["channel"] != "vk" || row["type"] != "Delivery" || row["first_response_s"] != "300" ||
		row["resolution_s"] != "1740" || row["manager"] != me.Name || row["first_responder"] != me.Name || row["manager_rating"] != "4" ||
		row["opened_at"] != at.Add(time.Minute).Format(time.RFC3339) {
		t.Fatalf("csv row %v", row)
	}

	var sink bytes.Buffer
	for _, args := range [][]string{{"dialogues", "--data", dir, "--from", "2 March"}, {"dialogues", "--data", dir, "--from", "2026-03-02", "--to", "2026-03-01"},
		{"tasks", "--data", dir}, {"dialogues", "--data", t.TempDir(), "--from", "2026-03-02"}} {
		if err := report(args, &sink); err == nil {
			t.Errorf("report %v: no error", args)
		}
	}
}

// hasLine reports whether some line of text holds exactly these fields, in order.
func hasLine(text string, fields ...string) bool {
	for _, l := range strings.Split(text, "\n") {
		if strings.Join(strings.Fields(l), " ") == strings.Join(fields, " ") {
			return true
		}
	}
	return false
}
