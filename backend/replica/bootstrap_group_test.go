package replica

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"switchboard/backend/core"
	"switchboard/backend/teamwire"
)

// readyPages takes the next page and those already fetched behind it, up to bootstrapGroup,
// never past the last page, without waiting for more; an error among them is the answer.
func TestBootstrapAppliesTheReadyPagesTogether(t *testing.T) {
	ctx := context.Background()
	page := func(after, next int64) snapshotFetch {
		return snapshotFetch{page: teamwire.SnapshotPage{Seq: 9, Next: next, Rows: core.RowSet{People: []core.PersonRow{{ID: after + 1}}}}}
	}
	firsts := func(group []teamwire.SnapshotPage) []int64 {
		var ids []int64
		for _, p := range group {
			ids = append(ids, p.Rows.People[0].ID)
		}
		return ids
	}
	// Eleven pages fetched: a group of bootstrapGroup, then the other three, the last ending it.
	pages := make(chan snapshotFetch, 16)
	for i := int64(0); i < 11; i++ {
		next := i + 1
		if i == 10 {
			next = 0
		}
		pages <- page(i, next)
	}
	for _, want := range [][]int64{{1, 2, 3, 4, 5, 6, 7, 8}, {9, 10, 11}} {
		group, err := readyPages(ctx, pages)
		if err != nil {
			t.Fatal(err)
		}
		if got := firsts(group); !reflect.DeepEqual(got, want) {
			t.Fatalf("group %v, want %v", got, want)
		}
	}
	// Two ready, more to come: the two now, not a wait for a full group.
	pages <- page(0, 1)
	pages <- page(1, 2)
	if group, err := readyPages(ctx, pages); err != nil || !reflect.DeepEqual(firsts(group), []int64{1, 2}) {
		t.Fatalf("group %v (%v), want [1 2]", firsts(group), err)
	}
	// A page that failed behind ready ones: the error, nothing applied.
	failed := errors.New("the hub went away")
	pages <- page(0, 1)
	pages <- snapshotFetch{err: failed}
	if group, err := readyPages(ctx, pages); !errors.Is(err, failed) || group != nil {
		t.Fatalf("got %v, %v; want the fetch's error", group, err)
	}
	// Nothing fetched and the bootstrap called off.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := readyPages(cancelled, pages); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait: %v", err)
	}
}

// appendRows keeps every kind of row of every page: each field of a RowSet, filled on two
// pages, holds both (a field added to RowSet and not to appendRows fails here).
func TestAppendRowsKeepsEveryKindOfRow(t *testing.T) {
	var one core.RowSet
	fill(reflect.ValueOf(&one).Elem())
	var rows core.RowSet
	appendRows(&rows, one)
	appendRows(&rows, one)
	check(t, "RowSet", reflect.ValueOf(rows))
}

// fill puts one zero element in every slice of v and a zero value behind every pointer.
func fill(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Struct:
			fill(f)
		}
	}
}

func check(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	for i := range v.NumField() {
		f, name := v.Field(i), path+"."+v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Slice:
			want := 2
			if name == "RowSet.Managers" || name == "RowSet.Channels" {
				want = 1 // every page repeats them: the same row (id 0 here) is kept once
			}
			if f.Len() != want {
				t.Errorf("%s: %d rows after two pages of one, want %d", name, f.Len(), want)
			}
		case reflect.Pointer:
			if f.IsNil() {
				t.Errorf("%s: dropped", name)
			}
		case reflect.Struct:
			check(t, name, f)
		}
	}
}

// The managers and channels every page repeats are written once per group, the latest copy.
func TestAppendRowsKeepsEachManagerAndChannelOnce(t *testing.T) {
	var rows core.RowSet
	appendRows(&rows, core.RowSet{Managers: []core.Manager{{ID: 1, Name: "Ann"}, {ID: 2, Name: "Bob"}}, Channels: []core.Channel{{ID: 5, Name: "bot"}}})
	appendRows(&rows, core.RowSet{Managers: []core.Manager{{ID: 2, Name: "Bob Lee"}, {ID: 3, Name: "Cid"}}, Channels: []core.Channel{{ID: 5, Name: "bot 2"}}})
	var managers []string
	for _, m := range rows.Managers {
		managers = append(managers, fmt.Sprint(m.ID, m.Name))
	}
	if got := strings.Join(managers, ","); got != "1Ann,2Bob Lee,3Cid" {
		t.Fatalf("managers %s, want each once, the latest copy", got)
	}
	if len(rows.Channels) != 1 || rows.Channels[0].Name != "bot 2" {
		t.Fatalf("channels %+v, want channel 5 once, the latest copy", rows.Channels)
	}
}
