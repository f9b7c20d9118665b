// Package samples is the line the bench collectors (storebench, hubbench) write and benchreport
// reads: one JSON object per measurement holding its raw samples; the report computes the
// statistics and holds them to the budgets.
package samples

import (
	"encoding/json"
	"io"
	"log/slog"
	"sort"
)

// Metric is one measurement's raw samples.
type Metric struct {
	ID      string    `json:"id"`
	Unit    string    `json:"unit"`
	Samples []float64 `json:"samples"`
	Note    string    `json:"note,omitempty"`
}

// Sink appends metrics to W, one JSON line each, and logs a summary of each as it goes.
type Sink struct{ W io.Writer }

// Put writes m.
func (s Sink) Put(m Metric) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := s.W.Write(append(raw, '\n')); err != nil {
		return err
	}
	sorted := append([]float64(nil), m.Samples...)
	sort.Float64s(sorted)
	if n := len(sorted); n > 0 {
		slog.Info("measured", "id", m.ID, "n", n, "median", sorted[n/2], "p95", sorted[min(n-1, n*95/100)],
			"p99", sorted[min(n-1, n*99/100)], "max", sorted[n-1], "unit", m.Unit)
	}
	return nil
}
