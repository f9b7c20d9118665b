package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"switchboard/backend/core"
	"switchboard/backend/store"
	"switchboard/bench/inbound"
	"switchboard/bench/samples"
)

type benchConfig struct {
	hubBin      string
	fakeBin     string
	desktops    []int
	rate        int
	duration    time.Duration
	backlog     int
	catchup     int
	catchupRuns int
	seed        uint64
	hubProfile  string
	// deliveryOnly skips the write-rate and catch-up rows: a short backlog, then the delivery
	// runs (to iterate on the fan-out without the three minutes of the whole step).
	deliveryOnly bool
	// pgBase, when set, is a PostgreSQL database: the run is the write-rate step alone, with the
	// hub's store (serve --db) and the bare insert each in a fresh schema of it (rows hub_pg_*).
	pgBase string
}

// managers is how many accounts the desktops' sessions are spread over (a department; each
// manager signed in on several desktops).
const managers = 20

const adminEmail, adminPassword = "admin@bench.invalid", "hubbench admin password"

// deliveryRun is one measured stretch of steady traffic at a desktop count.
type deliveryRun struct {
	desktops    []*desktop
	first, last int // message indexes pushed in this run
	rss         []float64
	cpuPercent  float64
	benchCPU    float64 // this process: the desktops and the fake Telegram
	frames      float64 // feed messages a desktop read per second, on average
}

func benchHub(cfg benchConfig, out samples.Sink) error {
	dir, err := os.MkdirTemp("", "sb-hubbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fake, err := startFakeTelegram(cfg.fakeBin, dir)
	if err != nil {
		return err
	}
	defer fake.close()

	var dsn string
	var dbArgs, dbEnv []string
	if cfg.pgBase != "" {
		var drop func() error
		dsn, drop, err = freshSchema(cfg.pgBase, "hubbench")
		if err != nil {
			return err
		}
		defer func() {
			if err := drop(); err != nil {
				slog.Warn("hubbench: drop the hub's schema", "err", err)
			}
		}()
		// The password goes to the hub's commands in PGPASSWORD (which pgx reads), never on
		// their command lines, where every user of the machine could read it.
		bare, password := splitPassword(dsn)
		dbArgs, dbEnv = []string{"--db", bare}, []string{"PGPASSWORD=" + password}
	}

	// Every message the run pushes, made up front: the backlog first, then the steady runs. The
	// index in the text ties a stored message back to the moment it entered the fake.
	steady := cfg.rate * int(cfg.duration.Seconds()) * len(cfg.desktops)
	if cfg.pgBase != "" {
		steady = 0 // the write-rate step alone
	}
	msgs := inbound.Generate(rand.New(rand.NewPCG(cfg.seed, 0x4b)), cfg.backlog+steady)
	for i := range msgs {
		msgs[i].Text += " #" + strconv.Itoa(i)
	}
	pushedAt := make([]time.Duration, len(msgs))

	slog.Info("hubbench: setting up", "dir", dir, "desktops", cfg.desktops)
	if err := hubCommand(cfg.hubBin, "", append([]string{"SB_BENCH_TG_TOKEN=" + fake.token}, dbEnv...), append([]string{"channel", "add", "telegram",
		"--token-env", "SB_BENCH_TG_TOKEN", "--api-url", fake.url, "--data", dir, "--tokens", "file"}, dbArgs...)...); err != nil {
		return err
	}
	if err := hubCommand(cfg.hubBin, adminPassword+"\n", dbEnv, append([]string{"user", "add", "--data", dir, "--email", adminEmail,
		"--name", "Bench admin", "--role", "admin", "--password-file", "-"}, dbArgs...)...); err != nil {
		return err
	}
	maxDesktops := cfg.desktops[len(cfg.desktops)-1]
	tokens, err := desktopSessions(dir, dsn, maxDesktops, managers)
	if err != nil {
		return err
	}

	env := dbEnv
	if cfg.hubProfile != "" {
		env = append(env, "SWITCHBOARD_PPROF=127.0.0.1:0")
	}
	h, err := startHub(cfg.hubBin, dir, fake.url, env, dbArgs)
	if err != nil {
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			h.cmd.Process.Kill()
		}
	}()
	adminToken, err := login(h.url, adminEmail, adminPassword)
	if err != nil {
		return err
	}
	clock := &benchClock{start: time.Now()}

	// 1. Write rate: the backlog, with the first desktop count following from seq 0.
	desks, err := dialDesktops(h.url, tokens[:cfg.desktops[0]], 0, clock)
	if err != nil {
		return err
	}
	slog.Info("hubbench: write rate", "messages", cfg.backlog, "desktops following", len(desks))
	var profDone chan error
	if cfg.hubProfile != "" {
		profDone = make(chan error, 1)
		// The ingestion's length is not known ahead; at the budget's 5,000 events/s it takes this.
		go func() {
			profDone <- h.cpuProfile(cfg.hubProfile+"-write", time.Duration(cfg.backlog/5000+1)*time.Second)
		}()
	}
	before, err := h.sample()
	if err != nil {
		return err
	}
	t0 := clock.now()
	for i := 0; i < cfg.backlog; i++ {
		pushedAt[i] = clock.now()
		if err := fake.push(msgs[i].UserID, msgs[i].Name, msgs[i].Text); err != nil {
			return err
		}
	}
	probe := desks[0]
	if err := waitFor(probe, int64(cfg.backlog), 5*time.Minute); err != nil {
		return fmt.Errorf("write rate: %w\n%s", err, h.logs.String())
	}
	t1 := clock.now() // within waitFor's 2 ms poll of the last message's arrival
	head := probe.seq.Load()
	after, err := h.sample()
	if err != nil {
		return err
	}
	if profDone != nil {
		if err := <-profDone; err != nil {
			slog.Warn("hubbench: hub CPU profile", "err", err)
		}
	}
	hubSecs := (t1 - t0).Seconds()
	if cfg.pgBase != "" {
		stopped = true
		for _, d := range desks {
			d.close()
		}
		if err := h.stop(); err != nil {
			return err
		}
		return putPostgresWriteRate(cfg, out, msgs[:cfg.backlog], len(msgs), len(desks), head, hubSecs, cpuPercent(before, after))
	}
	if cfg.deliveryOnly {
		slog.Info("hubbench: delivery only: no write-rate or catch-up rows")
	} else if err := putWriteRateAndCatchUp(cfg, out, msgs, len(desks), head, hubSecs, cpuPercent(before, after), h.url, adminToken); err != nil {
		return err
	}

	// 3. Delivery at each desktop count, steady traffic.
	// Every desktop has the backlog before a delivery run counts what each receives: one still
	// reading it (a loaded machine) counted backlog messages as the run's and stopped waiting
	// before the run's last message reached it ("never got message #N").
	for _, d := range desks[1:] {
		if err := waitFor(d, int64(cfg.backlog), time.Minute); err != nil {
			return fmt.Errorf("backlog: %w", err)
		}
	}
	next := cfg.backlog
	runs := make([]deliveryRun, len(cfg.desktops))
	for i, n := range cfg.desktops {
		if len(desks) < n {
			more, err := dialDesktops(h.url, tokens[len(desks):n], probe.seq.Load(), clock)
			if err != nil {
				return err
			}
			desks = append(desks, more...)
		}
		perRun := cfg.rate * int(cfg.duration.Seconds())
		slog.Info("hubbench: delivery", "desktops", n, "rate", cfg.rate, "messages", perRun)
		profile := ""
		if cfg.hubProfile != "" {
			profile = fmt.Sprintf("%s-%d", cfg.hubProfile, n)
		}
		run, err := steadyRun(h, fake, desks, msgs, pushedAt, next, next+perRun, cfg.rate, clock, profile)
		if err != nil {
			return err
		}
		runs[i] = run
		next += perRun
	}
	for _, d := range desks {
		if err := d.failure(); err != nil {
			return fmt.Errorf("a desktop's feed failed: %w", err)
		}
	}
	for _, d := range desks {
		d.close()
	}
	stopped = true
	if err := h.stop(); err != nil {
		return err
	}

	// Tie each message.new seq to its message's index, from the store the hub wrote.
	index, applied, err := indexBySeq(dir, len(msgs))
	if err != nil {
		return err
	}
	for i, run := range runs {
		n := cfg.desktops[i]
		all, lastDesk, err := latencies(run, index, pushedAt)
		if err != nil {
			return fmt.Errorf("%d desktops: %w", n, err)
		}
		note := fmt.Sprintf("%d client messages at %d/s; %d deliveries (every desktop, every message), update pushed into the fake -> desktop read the feed batch holding its event; the samples are 1,001 quantiles of them",
			run.last-run.first, cfg.rate, len(all))
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_delivery_%d", n), Unit: "ms", Samples: quantiles(all, 1001), Note: note}); err != nil {
			return err
		}
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_ingest_%d", n), Unit: "ms", Samples: ingestDelays(run, index, applied, pushedAt, clock),
			Note: "per message: pushed into the fake -> its batch began to apply in the hub (the event's at, wall clock, ms resolution); the rest of a delivery is commit and fan-out"}); err != nil {
			return err
		}
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_delivery_last_%d", n), Unit: "ms", Samples: lastDesk,
			Note: "per message: when the last of the desktops had it"}); err != nil {
			return err
		}
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_rss_%d", n), Unit: "MB", Samples: run.rss,
			Note: "the hub process's VmRSS, sampled every 250 ms through the run"}); err != nil {
			return err
		}
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_cpu_%d", n), Unit: "%", Samples: []float64{run.cpuPercent},
			Note: "the hub process's user+system CPU over the run, % of one core (the machine has " + strconv.Itoa(runtime.NumCPU()) + ")"}); err != nil {
			return err
		}
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_frames_%d", n), Unit: "frames/s", Samples: []float64{run.frames},
			Note: "feed messages (WebSocket frames) each desktop read per second, on average over the run: the hub's fan-outs per second"}); err != nil {
			return err
		}
		if err := out.Put(Metric{ID: fmt.Sprintf("hub_bench_cpu_%d", n), Unit: "%", Samples: []float64{run.benchCPU},
			Note: "the bench process's CPU over the run (the desktops' sockets and the fake Telegram), % of one core: it shares the machine with the hub"}); err != nil {
			return err
		}
	}
	return nil
}

// putWriteRateAndCatchUp writes the write-rate rows (with the bare insert of the same rows
// for the ratio) and runs and writes the catch-up.
func putWriteRateAndCatchUp(cfg benchConfig, out samples.Sink, msgs []inbound.Message, desktops int, head int64, hubSecs, hubCPU float64,
	hubURL, adminToken string) error {
	bare, err := inbound.BareInsert(msgs[:cfg.backlog])
	if err != nil {
		return fmt.Errorf("bare insert: %w", err)
	}
	note := fmt.Sprintf("%d client messages from %d clients queued on the fake Telegram at once, %d desktops following the feed from seq 0; events: the store's log (message.new, and person/chat events for new clients)",
		cfg.backlog, max(1, len(msgs)/20), desktops)
	if err := out.Put(Metric{ID: "hub_write_rate", Unit: "events/s", Samples: []float64{float64(head) / hubSecs},
		Note: note + fmt.Sprintf("; %d events in %.2f s, from the first push to the last message delivered to a desktop", head, hubSecs)}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "hub_write_cpu", Unit: "%", Samples: []float64{hubCPU},
		Note: "the hub process's user+system CPU through the write-rate run, % of one core"}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "hub_write_messages", Unit: "messages/s", Samples: []float64{float64(cfg.backlog) / hubSecs}, Note: note}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "hub_bare_insert_rate", Unit: "rows/s", Samples: []float64{float64(cfg.backlog) / bare.Seconds()},
		Note: "the same people/chats/messages as plain prepared INSERTs, one transaction per 100, same schema, no events (bench/inbound)"}); err != nil {
		return err
	}
	if err := out.Put(Metric{ID: "hub_write_ratio", Unit: "x", Samples: []float64{bare.Seconds() / hubSecs},
		Note: "hub's messages/s with fan-out running / bare batched insert of the same rows, same run"}); err != nil {
		return err
	}

	// 2. Catch-up: a client far behind reads up to the head while the desktops stay connected.
	if head < int64(cfg.catchup) {
		return fmt.Errorf("catch-up: the log holds %d events, fewer than %d", head, cfg.catchup)
	}
	var catchup []float64
	for r := 0; r < cfg.catchupRuns; r++ {
		secs, err := catchUp(hubURL, adminToken, head-int64(cfg.catchup), head)
		if err != nil {
			return fmt.Errorf("catch-up: %w", err)
		}
		catchup = append(catchup, secs)
	}
	if err := out.Put(Metric{ID: "hub_catchup", Unit: "s", Samples: catchup,
		Note: fmt.Sprintf("a client %d events behind the head: dial to the head's batch read, %d desktops connected", cfg.catchup, desktops)}); err != nil {
		return err
	}
	return nil
}

// putPostgresWriteRate runs the bare insert of the backlog into a fresh schema of the same
// PostgreSQL and writes the hub_pg_ rows: the SQLite rows' twins, measured the same way.
func putPostgresWriteRate(cfg benchConfig, out samples.Sink, backlog []inbound.Message, clients, desktops int, head int64, hubSecs, hubCPU float64) error {
	bareDSN, drop, err := freshSchema(cfg.pgBase, "hubbench_bare")
	if err != nil {
		return err
	}
	defer func() {
		if err := drop(); err != nil {
			slog.Warn("hubbench: drop the bare insert's schema", "err", err)
		}
	}()
	slog.Info("hubbench: bare insert into PostgreSQL", "messages", len(backlog))
	bare, err := inbound.BareInsertPostgres(bareDSN, backlog)
	if err != nil {
		return fmt.Errorf("bare insert into PostgreSQL: %w", err)
	}
	note := fmt.Sprintf("PostgreSQL (serve --db, a fresh schema): %d client messages from %d clients queued on the fake Telegram at once, %d desktops following the feed from seq 0; events: the store's log",
		len(backlog), max(1, clients/20), desktops)
	rows := []Metric{
		{ID: "hub_pg_write_rate", Unit: "events/s", Samples: []float64{float64(head) / hubSecs},
			Note: note + fmt.Sprintf("; %d events in %.2f s, from the first push to the last message delivered to a desktop", head, hubSecs)},
		{ID: "hub_pg_write_messages", Unit: "messages/s", Samples: []float64{float64(len(backlog)) / hubSecs}, Note: note},
		{ID: "hub_pg_bare_insert_rate", Unit: "rows/s", Samples: []float64{float64(len(backlog)) / bare.Seconds()},
			Note: "the same people/chats/messages into PostgreSQL as plain prepared INSERTs, one transaction per 100, one connection, same schema (migrations_pg), no events (bench/inbound)"},
		{ID: "hub_pg_write_ratio", Unit: "x", Samples: []float64{bare.Seconds() / hubSecs},
			Note: "hub's messages/s on PostgreSQL with fan-out running / bare batched insert of the same rows into the same PostgreSQL, same run"},
		{ID: "hub_pg_write_cpu", Unit: "%", Samples: []float64{hubCPU},
			Note: "the hub process's user+system CPU through the PostgreSQL write-rate run, % of one core (the PostgreSQL server's processes not counted)"},
	}
	for _, m := range rows {
		if err := out.Put(m); err != nil {
			return err
		}
	}
	return nil
}

// cpuPercent is the hub's CPU between two samples, in % of one core.
func cpuPercent(a, b procSample) float64 {
	return float64(b.cpuTicks-a.cpuTicks) / clockTicks / b.at.Sub(a.at).Seconds() * 100
}

// waitFor waits until d has received n message.new events.
func waitFor(d *desktop, n int64, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for d.messages.Load() < n {
		if err := d.failure(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("a desktop has %d of %d messages after %s", d.messages.Load(), n, limit)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// steadyRun pushes messages [first, last) at rate per second and waits for every desktop to
// have them, sampling the hub's RSS and CPU meanwhile.
func steadyRun(h *hubProcess, fake *fakeTelegram, desks []*desktop, msgs []inbound.Message, pushedAt []time.Duration,
	first, last, rate int, clock *benchClock, profile string) (deliveryRun, error) {
	run := deliveryRun{desktops: desks, first: first, last: last}
	base := make([]int64, len(desks))
	var framesBefore int64
	for i, d := range desks {
		base[i] = d.messages.Load()
		framesBefore += d.frames.Load()
	}
	began := time.Now()
	startSample, err := h.sample()
	if err != nil {
		return run, err
	}
	benchStart, err := sampleProcess(os.Getpid())
	if err != nil {
		return run, err
	}
	stopSampling := make(chan struct{})
	sampled := make(chan []float64)
	go func() {
		var rss []float64
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopSampling:
				sampled <- rss
				return
			case <-tick.C:
				if s, err := h.sample(); err == nil {
					rss = append(rss, float64(s.rssKB)/1024)
				}
			}
		}
	}()
	var profDone chan error
	if profile != "" {
		profDone = make(chan error, 1)
		go func() { profDone <- h.cpuProfile(profile, time.Duration(last-first)*time.Second/time.Duration(rate)) }()
	}
	clock.recording.Store(true)
	defer clock.recording.Store(false)
	every := time.Second / time.Duration(rate)
	startAt := time.Now()
	for i := first; i < last; i++ {
		// Paced against the start, so a late tick does not shift every later push.
		if wait := time.Until(startAt.Add(time.Duration(i-first) * every)); wait > 0 {
			time.Sleep(wait)
		}
		pushedAt[i] = clock.now()
		if err := fake.push(msgs[i].UserID, msgs[i].Name, msgs[i].Text); err != nil {
			return run, err
		}
	}
	want := int64(last - first)
	for i, d := range desks {
		if err := waitFor(d, base[i]+want, 60*time.Second); err != nil {
			close(stopSampling)
			<-sampled
			return run, fmt.Errorf("desktop %d: %w", i, err)
		}
	}
	endSample, err := h.sample()
	close(stopSampling)
	run.rss = <-sampled
	if err != nil {
		return run, err
	}
	run.rss = append(run.rss, float64(endSample.rssKB)/1024)
	var framesAfter int64
	for _, d := range desks {
		framesAfter += d.frames.Load()
	}
	run.frames = float64(framesAfter-framesBefore) / float64(len(desks)) / time.Since(began).Seconds()
	run.cpuPercent = cpuPercent(startSample, endSample)
	if benchEnd, err := sampleProcess(os.Getpid()); err == nil {
		run.benchCPU = cpuPercent(benchStart, benchEnd)
	}
	if profDone != nil {
		if err := <-profDone; err != nil {
			slog.Warn("hubbench: hub CPU profile", "err", err)
		}
	}
	return run, nil
}

// catchUp times a client dialling the feed from seq from until it has read the batch holding head.
func catchUp(baseURL, token string, from, head int64) (float64, error) {
	clock := &benchClock{start: time.Now()}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	d, err := dialDesktop(ctx, baseURL, token, from, clock)
	if err != nil {
		return 0, err
	}
	defer d.close()
	for d.seq.Load() < head {
		if err := d.failure(); err != nil {
			return 0, err
		}
		if ctx.Err() != nil {
			return 0, fmt.Errorf("at seq %d of %d after 60 s", d.seq.Load(), head)
		}
		time.Sleep(time.Millisecond)
	}
	return clock.now().Seconds(), nil
}

// indexBySeq maps each message.new event's seq to the index of its message in the bench's
// list (the " #i" its text ends with), reading the log and the messages from the data
// directory after the hub stopped.
func indexBySeq(dir string, count int) (map[int64]int, map[int64]int64, error) {
	ctx := context.Background()
	st, err := store.OpenDir(dir)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	out := map[int64]int{}
	applied := map[int64]int64{} // seq -> the event's at: when its batch began to apply (unix ms)
	seen := make([]bool, count)
	var after int64
	for {
		evs, err := st.EventsAfter(ctx, after, 10000)
		if err != nil {
			return nil, nil, err
		}
		if len(evs) == 0 {
			return out, applied, nil
		}
		for _, e := range evs {
			if e.Kind != core.EventMessageNew {
				continue
			}
			m, err := st.Message(ctx, e.MessageID)
			if err != nil {
				return nil, nil, fmt.Errorf("event %d: %w", e.Seq, err)
			}
			_, idx, ok := strings.Cut(m.Text, " #")
			i, err := strconv.Atoi(idx)
			if !ok || err != nil || i < 0 || i >= count {
				return nil, nil, fmt.Errorf("event %d: message %d is not one the bench sent: %q", e.Seq, m.ID, m.Text)
			}
			if seen[i] {
				return nil, nil, fmt.Errorf("message #%d was stored twice", i)
			}
			seen[i] = true
			out[e.Seq] = i
			applied[e.Seq] = e.At
		}
		after = evs[len(evs)-1].Seq
	}
}

// latencies are the run's deliveries in ms (every desktop, every message of the run) and, per
// message, the latency to the last desktop. Every desktop must have had every message of the
// run exactly once.
func latencies(run deliveryRun, index map[int64]int, pushedAt []time.Duration) (all, lastDesk []float64, err error) {
	n := run.last - run.first
	last := make([]time.Duration, n)
	got := make([]bool, n)
	for di, d := range run.desktops {
		clear(got)
		d.mu.Lock()
		for _, dv := range d.deliveries {
			i, ok := index[dv.seq]
			if !ok {
				d.mu.Unlock()
				return nil, nil, fmt.Errorf("desktop %d got seq %d, which is no message.new in the store", di, dv.seq)
			}
			if i < run.first || i >= run.last {
				continue
			}
			if got[i-run.first] {
				d.mu.Unlock()
				return nil, nil, fmt.Errorf("desktop %d got message #%d twice", di, i)
			}
			got[i-run.first] = true
			lat := dv.at - pushedAt[i]
			all = append(all, float64(lat)/float64(time.Millisecond))
			last[i-run.first] = max(last[i-run.first], lat)
		}
		d.mu.Unlock()
		for k, ok := range got {
			if !ok {
				return nil, nil, fmt.Errorf("desktop %d never got message #%d", di, run.first+k)
			}
		}
	}
	for _, l := range last {
		lastDesk = append(lastDesk, float64(l)/float64(time.Millisecond))
	}
	return all, lastDesk, nil
}

// ingestDelays is, per message of the run, the time from its push into the fake to the start of
// the hub's batch that stored it.
func ingestDelays(run deliveryRun, index map[int64]int, applied map[int64]int64, pushedAt []time.Duration, clock *benchClock) []float64 {
	var out []float64
	for seq, i := range index {
		if i < run.first || i >= run.last {
			continue
		}
		pushed := clock.start.Add(pushedAt[i])
		out = append(out, float64(applied[seq]-pushed.UnixMilli()))
	}
	return out
}

func quantiles(xs []float64, n int) []float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	out := make([]float64, n)
	for i := range out {
		q := float64(i) / float64(n-1)
		out[i] = s[int(math.Round(q*float64(len(s)-1)))]
	}
	return out
}
