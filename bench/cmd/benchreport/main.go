// Command benchreport turns the measurements `make bench` collected (JSON lines of raw
// samples, from storebench, the browser script and scripts/bench.sh) into the budget table on
// stdout and one results file. The budgets live here, in one place.
//
//	benchreport -in DIR -out bench/results/FILE.json [-meta k=v ...]
//	benchreport -curve -out bench/results/scale-STAMP.json RESULTS.json... (smallest dataset first)
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"switchboard/bench/samples"
	"time"
)

// Metric is one measurement's raw samples, as the collectors write them.
type Metric = samples.Metric

// Budget is one row of the table. Stat says which statistic is held to Limit; Min means the
// figure must be at least Limit (throughput) instead of at most. A zero Limit is an
// informational row without a budget.
type Budget struct {
	ID    string
	What  string
	Stat  string // median, p95, p99, max
	Limit float64
	Min   bool
}

var budgets = []Budget{
	{"startup_app", "start to interactive people list (production binary, Xvfb)", "median", 1500, false},
	{"startup_bare", "  bare Wails window, same machine, same run", "median", 0, false},
	{"startup_app_self", "  the same start-ups as the app counts them (from app.New)", "median", 0, false},
	{"startup_app_to_page", "    of which exec to the webview asking for the page", "median", 0, false},
	{"startup_bare_to_page", "      the bare window's exec to its page request", "median", 0, false},
	{"startup_app_page_ready", "    of which the page's request to ready", "median", 0, false},
	{"startup_page_painted", "      in the page: navigation start to the first people painted", "median", 0, false},
	{"startup_bare_page_ready", "      the bare window's page request to ready", "median", 0, false},
	{"startup_ratio", "  Switchboard / bare Wails start-up", "median", 1.3, false},
	{"search_people", "quick search by name/phone/email (store)", "p95", 15, false},
	{"search_counts", "  tab counts under the same search (store)", "p95", 15, false},
	{"search_keypress", "keypress in search box to rendered result (browser)", "p95", 100, false},
	{"search_after_debounce", "  same, from the end of the UI's search debounce", "p95", 0, false},
	{"history_query", "open a chat: first page of 50 (store)", "p95", 10, false},
	{"history_render", "open a chat: click to first page rendered (browser)", "p95", 100, false},
	{"filter_list", "switch tab / apply a filter: list page (store)", "p95", 50, false},
	{"filter_counts", "switch tab / apply a filter: tab counts (store)", "p95", 50, false},
	{"fts_messages", "full-text search over the messages (store)", "p95", 50, false},
	{"dialogue_report", "dialogues report: a period's figures per manager and type (store)", "p95", 200, false},
	{"dialogue_report_cycle", "  the same, per dialogue cycle, over all of the dataset's cycles", "median", 0, false},
	{"ingest_ratio", "ingestion / bare batched insert of the same rows, same run", "median", 0.9, true},
	{"ingest_rate", "  ingestion: fake Telegram -> SQLite, batches of 100", "median", 0, true},
	{"bare_insert_rate", "  bare batched INSERT of the same rows", "median", 0, true},
	{"ingest_apply_share", "  share of ingestion time inside store.ApplyBatch", "median", 0, false},
	{"update_to_event", "update off the wire to UI event (inbox.Follow)", "p99", 50, false},
	{"hub_delivery_200", "team: client update -> each of 200 desktops (hub feed)", "p99", 50, false},
	{"hub_delivery_last_200", "  per message, the last of the 200 desktops", "p99", 0, false},
	{"hub_ingest_200", "  of which update -> its batch applied in the hub", "p99", 0, false},
	{"hub_cpu_200", "  hub CPU, % of one core", "median", 0, false},
	{"hub_bench_cpu_200", "  bench process CPU (desktops), % of one core", "median", 0, false},
	{"hub_frames_200", "  feed messages each desktop read per second (the hub's fan-outs)", "median", 0, true},
	{"hub_rss_200", "  hub RSS", "max", 0, false},
	{"hub_delivery_2000", "team: client update -> each of 2,000 desktops", "p99", 100, false},
	{"hub_delivery_last_2000", "  per message, the last of the 2,000 desktops", "p99", 0, false},
	{"hub_ingest_2000", "  of which update -> its batch applied in the hub", "p99", 0, false},
	{"hub_cpu_2000", "  hub CPU, % of one core", "median", 0, false},
	{"hub_bench_cpu_2000", "  bench process CPU (desktops), % of one core", "median", 0, false},
	{"hub_frames_2000", "  feed messages each desktop read per second (the hub's fan-outs)", "median", 0, true},
	{"hub_rss_2000", "  hub RSS with 2,000 desktops", "max", 300, false},
	{"hub_catchup", "team: a client 100,000 events behind reaches the head", "max", 5, false},
	{"hub_bootstrap", "team: a new desktop's snapshot of 100,000 people, to the head", "max", 0, false},
	{"hub_bootstrap_rows", "  people, chats and messages applied per second", "median", 0, true},
	{"hub_bootstrap_rss", "  the replica's peak RSS", "max", 0, false},
	{"hub_write_rate", "team: hub write rate, SQLite, 200 desktops following", "median", 5000, true},
	{"hub_write_ratio", "  hub messages/s / bare batched insert, same rows, same run", "median", 0, true},
	{"hub_write_messages", "  the same run in client messages/s", "median", 0, true},
	{"hub_bare_insert_rate", "  bare batched INSERT of the same rows", "median", 0, true},
	{"hub_write_cpu", "  hub CPU through the run, % of one core", "median", 0, false},
	{"hub_pg_write_rate", "team: hub write rate, PostgreSQL, 200 desktops following", "median", 2500, true},
	{"hub_pg_write_ratio", "  hub messages/s / bare batched insert, same rows, same run", "median", 0, true},
	{"hub_pg_write_messages", "  the same run in client messages/s", "median", 0, true},
	{"hub_pg_bare_insert_rate", "  bare batched INSERT of the same rows, PostgreSQL", "median", 0, true},
	{"hub_pg_write_cpu", "  hub CPU through the run, % of one core (not PostgreSQL's)", "median", 0, false},
	{"memory_total", "memory after opening 100 chats: app + WebKit (PSS)", "median", 250, false},
	{"memory_total_anon", "  of which anonymous (heaps; the rest is library and file pages)", "median", 0, false},
	{"memory_own", "  the app's own cost: app + WebKit - bare window, same run (PSS)", "median", 45, false},
	{"memory_own_anon", "    of which anonymous", "median", 0, false},
	{"memory_start", "  the same app at start, before opening chats (PSS)", "median", 0, false},
	{"memory_app", "  Go process (PSS)", "median", 0, false},
	{"memory_app_anon", "    of which anonymous", "median", 0, false},
	{"memory_db_mmap", "    of which database pages mapped by SQLite (PSS)", "median", 0, false},
	{"memory_webkit", "  WebKit processes (PSS)", "median", 0, false},
	{"memory_webkit_anon", "    of which anonymous", "median", 0, false},
	{"memory_bare", "  idle bare Wails window + WebKit, same run (PSS)", "median", 0, false},
	{"memory_bare_anon", "    of which anonymous", "median", 0, false},
	{"binary_size", "stripped Linux binary", "median", 25, false},
}

// Row is one line of the table and of the results file.
type Row struct {
	ID      string    `json:"id"`
	What    string    `json:"what"`
	Unit    string    `json:"unit"`
	N       int       `json:"n"`
	Median  float64   `json:"median"`
	P95     float64   `json:"p95"`
	P99     float64   `json:"p99"`
	Max     float64   `json:"max"`
	Stat    string    `json:"stat,omitempty"`
	Budget  string    `json:"budget,omitempty"`
	Limit   float64   `json:"limit,omitempty"`
	Status  string    `json:"status"` // pass, FAIL, info, MISSING
	Note    string    `json:"note,omitempty"`
	Samples []float64 `json:"samples,omitempty"`
}

// Results is the results file.
type Results struct {
	When    string            `json:"when"`
	Machine map[string]string `json:"machine"`
	Meta    map[string]string `json:"meta"`
	Rows    []Row             `json:"rows"`
	Passed  int               `json:"passed"`
	Failed  int               `json:"failed"`
	Missing int               `json:"missing"`
}

type metaFlags map[string]string

func (m metaFlags) String() string { return fmt.Sprint(map[string]string(m)) }
func (m metaFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want key=value")
	}
	m[k] = val
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(2)
	}
}

func run() error {
	in := flag.String("in", "", "directory of *.jsonl measurement files")
	out := flag.String("out", "", "results file to write")
	meta := metaFlags{}
	flag.Var(meta, "meta", "key=value recorded in the results (repeatable)")
	only := flag.String("only", "", "report only the rows whose id starts with this, or with one of these comma-separated prefixes (make bench-hub: hub_)")
	curveMode := flag.Bool("curve", false, "the cost curve: read the results files given as arguments (smallest dataset first) and print how each figure grows")
	flag.Parse()
	if *curveMode {
		if *out == "" {
			return errors.New("-out is required")
		}
		missed, err := curve(flag.Args(), *out)
		if err == nil && missed > 0 {
			os.Exit(1) // as a missed budget of make bench does
		}
		return err
	}
	if *in == "" || *out == "" {
		return errors.New("-in and -out are required")
	}
	metrics, err := load(*in)
	if err != nil {
		return err
	}
	derive(metrics)
	res := Results{When: time.Now().UTC().Format(time.RFC3339), Machine: machine(), Meta: meta}
	for _, b := range budgets {
		if !hasAnyPrefix(b.ID, strings.Split(*only, ",")) {
			continue
		}
		row := Row{ID: b.ID, What: b.What, Stat: b.Stat, Status: "info"}
		m, ok := metrics[b.ID]
		if b.Limit != 0 {
			row.Limit = b.Limit
			op := "≤"
			if b.Min {
				op = "≥"
			}
			row.Budget = fmt.Sprintf("%s %s %s", b.Stat, op, num(b.Limit))
		}
		if !ok || len(m.Samples) == 0 {
			row.Status = "MISSING"
			if b.Limit == 0 {
				row.Status = "info"
			}
			if row.Status == "MISSING" {
				res.Missing++
			}
			res.Rows = append(res.Rows, row)
			continue
		}
		row.Unit, row.Note, row.N = m.Unit, m.Note, len(m.Samples)
		row.Median, row.P95, row.P99, row.Max = pct(m.Samples, 50), pct(m.Samples, 95), pct(m.Samples, 99), pct(m.Samples, 100)
		row.Samples = m.Samples
		if b.Limit != 0 {
			v := map[string]float64{"median": row.Median, "p95": row.P95, "p99": row.P99, "max": row.Max}[b.Stat]
			if (b.Min && v >= b.Limit) || (!b.Min && v <= b.Limit) {
				row.Status = "pass"
				res.Passed++
			} else {
				row.Status = "FAIL"
				res.Failed++
			}
		}
		res.Rows = append(res.Rows, row)
	}
	printTable(res)
	raw, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(*out, append(raw, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("\n%d budgets met, %d missed, %d not measured. Results: %s\n", res.Passed, res.Failed, res.Missing, *out)
	if res.Failed > 0 || res.Missing > 0 {
		os.Exit(1)
	}
	return nil
}

// load reads every *.jsonl in dir; a metric id seen twice has its samples appended.
func load(dir string) (map[string]*Metric, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	out := map[string]*Metric{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" {
				continue
			}
			var m Metric
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				fh.Close()
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if have, ok := out[m.ID]; ok {
				have.Samples = append(have.Samples, m.Samples...)
				continue
			}
			out[m.ID] = &m
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return out, nil
}

// derive adds figures computed from others, each pairing the medians of the app and the bare
// window measured in the same run: what the machine moves, both sides move with.
func derive(ms map[string]*Metric) {
	pair := func(id, unit, appID, bareID, note string, f func(app, bare float64) float64) {
		app, bare := ms[appID], ms[bareID]
		if app != nil && bare != nil && len(app.Samples) > 0 && len(bare.Samples) > 0 {
			ms[id] = &Metric{ID: id, Unit: unit, Note: note,
				Samples: []float64{f(pct(app.Samples, 50), pct(bare.Samples, 50))}}
		}
	}
	ratio := func(app, bare float64) float64 { return app / bare }
	diff := func(app, bare float64) float64 { return app - bare }
	pair("startup_ratio", "x", "startup_app", "startup_bare",
		"median Switchboard start-up / median bare Wails start-up, runs interleaved", ratio)
	pair("memory_own", "MB", "memory_total", "memory_bare",
		"median PSS of the app and its WebKit processes after 100 chats - median PSS of the idle bare window, runs interleaved", diff)
	pair("memory_own_anon", "MB", "memory_total_anon", "memory_bare_anon",
		"the same difference over anonymous pages only", diff)
}

var nan = math.NaN()

// pct is the nearest-rank percentile.
func pct(xs []float64, p float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	k := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(k, len(s)-1))]
}

func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.Abs(v) >= 1000:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func printTable(r Results) {
	fmt.Printf("%-58s %5s %10s %10s %10s %10s  %-10s %-14s %s\n", "what", "n", "median", "p95", "p99", "max", "unit", "budget", "")
	fmt.Println(strings.Repeat("-", 137))
	for _, row := range r.Rows {
		if row.N == 0 {
			fmt.Printf("%-58s %5s %10s %10s %10s %10s  %-10s %-14s %s\n", row.What, "-", "-", "-", "-", "-", "", row.Budget, row.Status)
			continue
		}
		fmt.Printf("%-58s %5d %10s %10s %10s %10s  %-10s %-14s %s\n", row.What, row.N, num(row.Median), num(row.P95), num(row.P99), num(row.Max), row.Unit, row.Budget, row.Status)
	}
}

func machine() map[string]string {
	m := map[string]string{"goos": runtime.GOOS, "goarch": runtime.GOARCH, "cpus": fmt.Sprint(runtime.NumCPU())}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		line, _, _ := strings.Cut(string(raw), "\n")
		m["memory"] = strings.Join(strings.Fields(line)[1:], " ")
	}
	if raw, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m["kernel"] = strings.TrimSpace(string(raw))
	}
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		m["loadavg_at_report"] = strings.TrimSpace(string(raw))
	}
	return m
}

// hasAnyPrefix says whether id starts with one of prefixes (an empty one takes every id).
func hasAnyPrefix(id string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}
