package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Scale is one dataset size of the cost curve.
type Scale struct {
	People      int    `json:"people"`
	Messages    int    `json:"messages"`
	File        string `json:"file"`
	GeneratedS  string `json:"dataset_generated_s,omitempty"`
	DiskMB      string `json:"dataset_disk_mb,omitempty"`
	Passed      int    `json:"passed"`
	Failed      int    `json:"failed"`
	LoadAtStart string `json:"loadavg_at_start,omitempty"`
}

// CurveRow is one figure across the sizes: its budgeted statistic (p95 for the store rows) at
// each size, and the budget judged at the largest.
type CurveRow struct {
	ID     string    `json:"id"`
	What   string    `json:"what"`
	Stat   string    `json:"stat"`
	Unit   string    `json:"unit"`
	Values []float64 `json:"values"` // one per scale; NaN is written as null (not measured)
	Budget string    `json:"budget,omitempty"`
	Status string    `json:"status"` // of the largest size: pass, FAIL, info, MISSING
}

// Curve is the cost curve's results file.
type Curve struct {
	When    string            `json:"when"`
	Machine map[string]string `json:"machine"`
	Scales  []Scale           `json:"scales"`
	Rows    []CurveRow        `json:"rows"`
}

// curve reads the results of one `make bench` per size (smallest first) and prints how each
// figure grows from size to size, with the budgets held at the largest. It returns how many
// budgets the largest size missed or did not measure.
func curve(files []string, out string) (int, error) {
	if len(files) == 0 {
		return 0, errors.New("-curve: no results files (every size failed?)")
	}
	var runs []Results
	c := Curve{When: time.Now().UTC().Format(time.RFC3339), Machine: machine()}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		var r Results
		if err := json.Unmarshal(raw, &r); err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		people, _ := strconv.Atoi(r.Meta["people"])
		messages, _ := strconv.Atoi(r.Meta["messages"])
		c.Scales = append(c.Scales, Scale{People: people, Messages: messages, File: f,
			GeneratedS: r.Meta["dataset_generated_s"], DiskMB: r.Meta["dataset_disk_mb"],
			Passed: r.Passed, Failed: r.Failed, LoadAtStart: r.Meta["loadavg_at_start"]})
		runs = append(runs, r)
	}
	last := runs[len(runs)-1]
	for _, b := range budgets {
		row := CurveRow{ID: b.ID, What: strings.TrimSpace(b.What), Stat: b.Stat, Status: "MISSING"}
		seen := false
		for _, r := range runs {
			v := nan
			for _, x := range r.Rows {
				if x.ID == b.ID && x.N > 0 {
					v = map[string]float64{"median": x.Median, "p95": x.P95, "p99": x.P99}[b.Stat]
					row.Unit, seen = x.Unit, true
				}
			}
			row.Values = append(row.Values, v)
		}
		if !seen {
			continue // a step the curve did not run (ingestion, the browser, ...)
		}
		for _, x := range last.Rows {
			if x.ID == b.ID {
				row.Budget, row.Status = x.Budget, x.Status
			}
		}
		c.Rows = append(c.Rows, row)
	}
	printCurve(c)
	raw, err := json.MarshalIndent(curveJSON(c), "", " ")
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return 0, err
	}
	if err := os.WriteFile(out, append(raw, '\n'), 0o644); err != nil {
		return 0, err
	}
	missed := 0
	for _, r := range c.Rows {
		if r.Status == "FAIL" || r.Status == "MISSING" {
			missed++
		}
	}
	fmt.Printf("\nAt the largest size %d budgets missed or not measured. Results: %s\n", missed, out)
	return missed, nil
}

// curveJSON turns the NaNs of sizes that measured nothing into nulls (JSON has no NaN).
func curveJSON(c Curve) any {
	type row struct {
		CurveRow
		Values []*float64 `json:"values"`
	}
	rows := make([]row, len(c.Rows))
	for i, r := range c.Rows {
		rows[i].CurveRow = r
		for _, v := range r.Values {
			if v != v {
				rows[i].Values = append(rows[i].Values, nil)
				continue
			}
			rows[i].Values = append(rows[i].Values, &v)
		}
	}
	return struct {
		Curve
		Rows []row `json:"rows"`
	}{c, rows}
}

// printCurve prints one column per size and, between neighbours, how many times the figure grew.
func printCurve(c Curve) {
	head := fmt.Sprintf("%-58s %-6s", "what", "stat")
	for i, s := range c.Scales {
		if i > 0 {
			head += fmt.Sprintf(" %7s", "×")
		}
		head += fmt.Sprintf(" %12s", short(s.People)+"/"+short(s.Messages))
	}
	fmt.Printf("%s  %-10s %-14s %s\n", head, "unit", "budget (largest)", "")
	fmt.Println(strings.Repeat("-", len(head)+40))
	for _, r := range c.Rows {
		line := fmt.Sprintf("%-58s %-6s", r.What, r.Stat)
		for i, v := range r.Values {
			if i > 0 {
				g := "-"
				if p := r.Values[i-1]; v == v && p == p && p != 0 {
					g = fmt.Sprintf("%.2f", v/p)
				}
				line += fmt.Sprintf(" %7s", g)
			}
			cell := "-"
			if v == v {
				cell = num(v)
			}
			line += fmt.Sprintf(" %12s", cell)
		}
		fmt.Printf("%s  %-10s %-14s %s\n", line, r.Unit, r.Budget, r.Status)
	}
	fmt.Println()
	for _, s := range c.Scales {
		fmt.Printf("%s people / %s messages: dataset generated in %s s, %s MB on disk; %d budgets met, %d missed; load average at start %s\n",
			short(s.People), short(s.Messages), orQ(s.GeneratedS), orQ(s.DiskMB), s.Passed, s.Failed, orQ(s.LoadAtStart))
	}
}

func short(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

func orQ(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
