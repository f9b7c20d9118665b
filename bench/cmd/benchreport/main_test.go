package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestDeriveSameRunBudgets(t *testing.T) {
	ms := map[string]*Metric{
		"startup_app":       {ID: "startup_app", Samples: []float64{300, 280, 320}},
		"startup_bare":      {ID: "startup_bare", Samples: []float64{200, 210, 190}},
		"memory_total":      {ID: "memory_total", Samples: []float64{246.4, 245.7, 247.7}},
		"memory_bare":       {ID: "memory_bare", Samples: []float64{188.8, 188.9, 188.7}},
		"memory_total_anon": {ID: "memory_total_anon", Samples: []float64{89.2}},
	}
	derive(ms)
	if got := ms["startup_ratio"].Samples[0]; math.Abs(got-1.5) > 1e-9 {
		t.Errorf("startup_ratio = %v, want 300/200", got)
	}
	if got := ms["memory_own"].Samples[0]; math.Abs(got-(246.4-188.8)) > 1e-9 {
		t.Errorf("memory_own = %v, want median total - median bare = 57.6", got)
	}
	if _, ok := ms["memory_own_anon"]; ok {
		t.Error("memory_own_anon derived without the bare window's anonymous figure")
	}
}

// writeResults writes a results file as run() does, for the curve to read.
func writeResults(t *testing.T, dir string, people int, rows ...Row) string {
	t.Helper()
	r := Results{Meta: map[string]string{"people": itoa(people), "messages": itoa(people * 10)}, Rows: rows}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "p"+itoa(people)+".json")
	if err := os.WriteFile(f, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestCurveGrowthAndBudgetAtTheLargest(t *testing.T) {
	dir := t.TempDir()
	small := writeResults(t, dir, 10000,
		Row{ID: "search_people", N: 300, P95: 2, Unit: "ms", Budget: "p95 ≤ 15.0", Status: "pass"},
		Row{ID: "memory_total", N: 3, Median: 240, Unit: "MB", Budget: "median ≤ 250.0", Status: "pass"})
	large := writeResults(t, dir, 1000000,
		Row{ID: "search_people", N: 300, P95: 37.3, Unit: "ms", Budget: "p95 ≤ 15.0", Status: "FAIL"})
	out := filepath.Join(dir, "curve.json")
	missed, err := curve([]string{small, large}, out)
	if err != nil {
		t.Fatal(err)
	}
	if missed != 2 { // search_people FAIL, memory_total MISSING
		t.Errorf("missed = %d, want 2", missed)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Scales []Scale `json:"scales"`
		Rows   []struct {
			ID     string     `json:"id"`
			Values []*float64 `json:"values"`
			Status string     `json:"status"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("curve JSON: %v\n%s", err, raw)
	}
	if len(got.Scales) != 2 || got.Scales[1].People != 1000000 || got.Scales[1].Messages != 10000000 {
		t.Fatalf("scales = %+v", got.Scales)
	}
	byID := map[string]int{}
	for i, r := range got.Rows {
		byID[r.ID] = i
	}
	s := got.Rows[byID["search_people"]]
	if s.Status != "FAIL" || *s.Values[0] != 2 || *s.Values[1] != 37.3 {
		t.Errorf("search_people = %+v (values %v, %v), want 2 -> 37.3 and the largest's FAIL", s, *s.Values[0], *s.Values[1])
	}
	m := got.Rows[byID["memory_total"]]
	if m.Values[1] != nil || m.Status != "MISSING" {
		t.Errorf("memory_total at the largest size: value %v, status %s; want null and MISSING", m.Values[1], m.Status)
	}
	if _, ok := byID["ingest_ratio"]; ok {
		t.Error("a row no size measured is in the curve")
	}
}
