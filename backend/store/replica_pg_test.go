package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"switchboard/backend/core"
)

// The hub's side of sync reads the same on PostgreSQL as on SQLite: one scenario (ingestion,
// a manager's keyed send and note, a replayed send, a draft, a read) runs on a fresh store of
// each dialect, and everything the hub serves from it — the event log, the rows for the feed,
// snapshot pages and totals, history pages, a message by id and by key, the applied-mutation
// book — must come out identical, ids included.
func TestHubReadsAreTheSameOnBothDialects(t *testing.T) {
	results := map[string]map[string]string{}
	eachDialect(t, func(t *testing.T, s *Store) {
		results[t.Name()] = hubScenario(t, s)
	})
	lite, pg := results[t.Name()+"/sqlite"], results[t.Name()+"/postgres"]
	if pg == nil {
		return // skipped: no PostgreSQL
	}
	for name, want := range lite {
		if got := pg[name]; got != want {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			from := max(0, i-200)
			t.Errorf("%s differs at byte %d:\nsqlite   …%s\npostgres …%s", name, i, want[from:min(len(want), i+200)], got[from:min(len(got), i+200)])
		}
	}
}

func hubScenario(t *testing.T, s *Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	put := func(name string, v any) {
		switch rs := v.(type) {
		case core.RowSet:
			sortRows(&rs)
			v = rs
		case []core.RowSet:
			for i := range rs {
				sortRows(&rs[i])
			}
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(b)
	}
	acc, err := s.Accounts().Add(ctx, NewAccount{Name: "Ann", Email: "ann@example.com", Role: "manager", PasswordHash: "$argon2id$x"}, t0.UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	ch := addTestChannel(t, s, core.Telegram, "hub")
	var ups []core.Update
	for c := range 3 {
		for m := range 4 {
			ups = append(ups, msgUpd(fmt.Sprint(c+1), fmt.Sprint(c*10+m), fmt.Sprintf("hello %d from %d", m, c), t0.UnixMilli()+int64(c*10+m)))
		}
	}
	edit := msgUpd("1", "0", "hello, edited", t0.UnixMilli()+100)
	edit.Kind = core.UpdEdit
	ups = append(ups, edit)
	if _, err := s.ApplyBatch(ctx, ch.ID, core.Batch{Cursor: "7", Updates: ups}, t0); err != nil {
		t.Fatal(err)
	}
	chats := chatIDsOf(t, s)
	sent, err := s.QueueSendKeyed(ctx, "c1:1", chats[0], acc.ManagerID, "a reply", nil, 0, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNoteKeyed(ctx, "c1:2", chats[1], acc.ManagerID, "call back", []int64{acc.ManagerID}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, core.Draft{ChatID: chats[2], Text: "half"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkRead(ctx, chats[1], t0); err != nil {
		t.Fatal(err)
	}
	// The hub's own kind of draft: one manager's, addressed to that manager.
	if err := s.SaveManagerDraft(ctx, acc.ManagerID, core.Draft{ChatID: chats[2], Text: "half, mine", UpdatedAt: t0.UnixMilli()}, t0); err != nil {
		t.Fatal(err)
	}
	// Last of the writes that make rows: on PostgreSQL the refused insert has used up an id (a
	// sequence never gives one back), so ids made after it would differ from SQLite's.
	if _, err := s.QueueSendKeyed(ctx, "c1:1", chats[0], acc.ManagerID, "a reply", nil, 0, t0); !errors.Is(err, ErrMutationApplied) {
		t.Fatalf("a replayed send: %v", err)
	}
	for _, key := range []string{"c1:1", "c1:1"} { // the second is a replay: the first answer stays
		if err := s.RecordMutation(ctx, acc.ManagerID, key, 200, fmt.Sprintf(`{"id":%d}`, sent.ID), t0); err != nil {
			t.Fatal(err)
		}
	}

	last, err := s.LastSeq(ctx)
	if err != nil || last == 0 {
		t.Fatalf("last seq %d: %v", last, err)
	}
	kept, err := s.KeptSince(ctx)
	if err != nil {
		t.Fatal(err)
	}
	put("seqs", []int64{last, kept})
	evs, err := s.EventsAfter(ctx, 0, 1000)
	if err != nil || len(evs) == 0 {
		t.Fatalf("events %d: %v", len(evs), err)
	}
	for i := range evs {
		evs[i].At = 0 // some events are stamped with the wall clock
	}
	put("events", evs)
	rows, err := s.RowsFor(ctx, evs)
	if err != nil || len(rows.Messages) == 0 || len(rows.Chats) != 3 {
		t.Fatalf("rows for the feed: %+v, %v", rows, err)
	}
	put("rows", rows)
	var pages []core.RowSet
	for after := int64(0); ; {
		rs, next, err := s.SnapshotPage(ctx, after, 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, rs)
		if next == 0 {
			break
		}
		after = next
	}
	if len(pages) != 2 {
		t.Fatalf("%d snapshot pages for 3 people in pages of 2", len(pages))
	}
	put("snapshot", pages)
	p, c, m, err := s.SnapshotTotals(ctx, 3)
	if err != nil || p != 3 || c != 3 || m != 9 {
		t.Fatalf("snapshot totals %d %d %d: %v", p, c, m, err)
	}
	newest, more, err := s.HistoryRows(ctx, chats[0], 0, 2)
	if err != nil || len(newest) != 2 || !more {
		t.Fatalf("history rows: %d, more %v, %v", len(newest), more, err)
	}
	older, more, err := s.HistoryRows(ctx, chats[0], newest[0].ID, 10)
	if err != nil || len(older) != 3 || more {
		t.Fatalf("older history rows: %d, more %v, %v", len(older), more, err)
	}
	put("history", append(newest, older...))
	byID, err := s.MessageRowByID(ctx, sent.ID)
	if err != nil {
		t.Fatal(err)
	}
	byKey, err := s.MessageRowByKey(ctx, "c1:1")
	if err != nil || byKey.ID != byID.ID {
		t.Fatalf("by key %+v: %v", byKey, err)
	}
	put("message", byKey)
	status, result, found, err := s.AppliedMutation(ctx, acc.ManagerID, "c1:1")
	if err != nil || !found || status != 200 || result != fmt.Sprintf(`{"id":%d}`, sent.ID) {
		t.Fatalf("applied mutation: %d %q %v %v", status, result, found, err)
	}
	if _, _, found, _ := s.AppliedMutation(ctx, acc.ManagerID, "c1:9"); found {
		t.Fatal("a mutation never applied was found")
	}
	return out
}

// sortRows orders a row set by id: the rows for the feed are a set, read with IN (…), whose
// order neither dialect promises.
func sortRows(rs *core.RowSet) {
	slices.SortFunc(rs.Managers, func(a, b core.Manager) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(rs.Channels, func(a, b core.Channel) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(rs.People, func(a, b core.PersonRow) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(rs.Chats, func(a, b core.ChatRow) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(rs.Messages, func(a, b core.MessageRow) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(rs.Tasks, func(a, b core.Task) int { return cmp.Compare(a.ID, b.ID) })
}

func chatIDsOf(t *testing.T, s *Store) []int64 {
	t.Helper()
	var ids []int64
	if err := s.read.Select(&ids, `SELECT id FROM chats ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return ids
}
