package main

import (
	"fmt"
	"strings"
)

// dbTitle is the table heading for a database label.
func dbTitle(db string) string {
	switch db {
	case "sqlite":
		return "SQLite (the embedded default)"
	case "postgres":
		return "PostgreSQL (`--database-url`)"
	}
	return db
}

// lostOf is the run's lost count: acked items without a row, from the
// database when it was read, else from the server's stored counter.
func lostOf(r *RunResult) (int64, string) {
	if r.DB != nil {
		return Lost(r.Acked, r.DB.Distinct), "db"
	}
	return Lost(r.Acked, r.StoredMetric), "metric"
}

// RenderSection writes the ingest section of docs/BENCHMARKS.md.
func RenderSection(rep *Report) string {
	e := rep.Env
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("%s\n\n", SectionHeading)
	w("Written by `bench/ingest.sh` (do not edit by hand; rerun the script). Run of %s.\n\n", e.get("date", "?"))
	w("- Machine: %s CPUs (%s), %s RAM, %s. Load average: %s at the start, %s at the end of the run.\n",
		e.get("nproc", "?"), e.get("cpu_model", "?"), e.get("mem", "?"), e.get("go_version", "?"), e.get("load_start", "?"), e.get("load_end", "?"))
	w("  **The machine is shared and noisy**: other engineers' builds and tests run on the same two cores, so\n")
	w("  wall-clock rates move by tens of per cent between runs. The load generator also runs on these two\n")
	w("  cores (it encodes every body before the clock starts, but sending and reading answers costs CPU too);\n")
	w("  the server's own CPU time per item is given so that runs can be compared.\n")
	if len(rep.Runs) > 0 {
		r := rep.Runs[len(rep.Runs)-1]
		w("- Load (`ingestbench run`): %s content items per measured run, NDJSON batches of %s items from %d concurrent\n",
			group(float64(r.Items)), group(float64(r.Size)), r.Clients)
		w("  clients with a bearer token, ids unique per run. Texts from `scanbench corpus` (the mixed zh-Hans/zh-Hant/es/en\n")
		w("  corpus of the detection section, ~1.5%% illicit-looking ads): %.0f bytes of text and %.0f bytes of NDJSON per item on\n",
			float64(r.TextBytes)/float64(max(r.Items, 1)), float64(r.BodyBytes)/float64(max(r.Items, 1)))
		w("  average; surfaces mixed (15%% group chat in %d registered public groups), 30%% semi-public, 10%% with a media reference.\n", Groups)
	}
	w("- Server: `vigil serve --data DIR --addr 127.0.0.1:0`, started fresh for each database with an empty data\n")
	w("  directory: embedded NATS JetStream (file storage) and, for SQLite, WAL with `synchronous=NORMAL`. A 2xx\n")
	w("  answer means JetStream has the batch; the consumer commits it to the database, **scans every item with\n")
	w("  the detection engine and saves its verdict**, and only then acknowledges the message. There is no switch\n")
	w("  to turn scanning off, so every stored/s figure below includes detection.\n")
	if v := e["pg_version"]; v != "" {
		w("- PostgreSQL %s: %s\n", v, e.get("pg_setup", ""))
	} else if why := e["pg_skipped"]; why != "" {
		w("- PostgreSQL: **not run**: %s.\n", why)
	}
	w("- Per database: a warm-up run of %s items, then run 1 and run 2 with the same load on the same server (run 2\n",
		group(parseF(e.get("warmup_items", "0"))))
	w("  starts with run 1's items already in the database). After the runs the server gets SIGTERM, and the\n")
	w("  database is read directly: \"lost\" counts acknowledged items with no row there.\n\n")

	w("Columns: **accepted/s** = acknowledged items ÷ time from the first request to the last answer (HTTP intake);\n")
	w("**stored/s** = the same items ÷ time from the first request until `vigil_ingest_content_stored_total` counted\n")
	w("them all (end to end, scanning included); **steady** = the stored rate between 10%% and 90%% of the run's items;\n")
	w("**consumer alone** = the stored rate after the last HTTP answer, when only the queue consumer was working off\n")
	w("the backlog;\n")
	w("**drained/s** = until the queue was empty (the last verdict saved and acknowledged). Batch latency is per POST\n")
	w("of %s items, from sending to the answer read. **vigil CPU** is the server's `process_cpu_seconds_total` over the\n", group(float64(firstSize(rep.Runs))))
	w("run; **postgres CPU** sums the local PostgreSQL processes; **machine busy** is the share of both cores' time\n")
	w("that any process (other engineers' included) kept busy during the run, from `/proc/stat`: well under 100%%\n")
	w("means the pipeline waited on something other than CPU. **Peak backlog** is the largest queue lag seen, in\n")
	w("JetStream messages (each a slice of one accepted batch, at most %s items).\n", group(float64(firstSize(rep.Runs))))

	for _, db := range databases(rep.Runs) {
		w("\n### %s\n\n", dbTitle(db))
		w("| run | items acked | accepted/s | stored/s | steady stored/s | consumer alone | drained/s | batch p50 / p99 / max | failed batches | lost | rows / verdicts in DB | vigil CPU per item | %smachine busy | peak backlog | vigil peak RSS |\n", dbCPUHead(db))
		w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|%s---:|---:|---:|\n", dbCPUSep(db))
		for _, r := range rep.Runs {
			if r.Database != db {
				continue
			}
			lost, _ := lostOf(r)
			inDB := "not read"
			if r.DB != nil {
				inDB = fmt.Sprintf("%s / %s", group(float64(r.DB.Rows)), group(float64(r.DB.Verdicts)))
				if r.DB.Rows != r.DB.Distinct {
					inDB += fmt.Sprintf(" (**%d duplicate rows**)", r.DB.Rows-r.DB.Distinct)
				}
			}
			stored := group(r.StoredPerSec())
			if r.TimedOut {
				stored = "**timed out**"
			}
			dbCPU := ""
			if db == "postgres" {
				dbCPU = fmt.Sprintf(" %.0f µs |", r.DBCPUSeconds/float64(max(r.Acked, 1))*1e6)
			}
			w("| %s | %s | %s | %s | %s | %s | %s | %.0f / %.0f / %.0f ms | %d | %s | %s | %.0f µs |%s %.0f%% | %s msgs | %.0f MB |\n",
				r.Label, group(float64(r.Acked)), group(r.AcceptedPerSec()), stored, orDash(r.SteadyStoredPerSec),
				orDash(r.ConsumerOnlyPerSec()), group(r.DrainedPerSec()), r.LatP50, r.LatP99, r.LatMax, r.FailedBatches, group(float64(lost)), inDB,
				r.ServerCPUSeconds/float64(max(r.Acked, 1))*1e6, dbCPU, 100*r.MachineBusy, group(float64(r.PeakLag)), r.ServerRSSMax/1e6)
		}
		for _, r := range rep.Runs {
			if r.Database == db && len(r.Errors) > 0 {
				w("\n%s: first errors: `%s`\n", r.Label, strings.Join(r.Errors, "`; `"))
			}
		}
	}
	renderTargets(&b, rep)
	renderCost(&b, rep)
	return b.String()
}

func renderTargets(b *strings.Builder, rep *Report) {
	w := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	w("\n### Targets (issue 4)\n\n| target | measured (worst measured run) | |\n|---|---:|---|\n")
	for _, db := range databases(rep.Runs) {
		worst, n := 0.0, 0
		for _, r := range rep.Runs {
			if r.Database != db || !measured(r) {
				continue
			}
			if v := r.StoredPerSec(); n == 0 || v < worst || r.TimedOut {
				worst = v
				if r.TimedOut {
					worst = 0
				}
			}
			n++
		}
		if n == 0 {
			continue
		}
		w("| ≥ %s items/s sustained, %s (stored end to end) | %s items/s | %s |\n",
			group(TargetPerSec), db, group(worst), verdict(worst, TargetPerSec))
	}
	var acked, lost, dups int64
	read := true
	for _, r := range rep.Runs {
		l, src := lostOf(r)
		acked += r.Acked
		lost += l
		if src != "db" {
			read = false
		}
		if r.DB != nil {
			dups += r.DB.Rows - r.DB.Distinct
		}
	}
	how := "counted in the database after a clean stop"
	if !read {
		how = "some runs counted by the server's stored counter only"
	}
	status := "met"
	if lost > 0 || dups > 0 {
		status = "**missed**"
	}
	w("| no item lost (every run, warm-up included) | %s lost of %s acknowledged, %s duplicate rows (%s) | %s |\n",
		group(float64(lost)), group(float64(acked)), group(float64(dups)), how, status)
}

// measured says whether r is a measured run, not a warm-up.
func measured(r *RunResult) bool { return !strings.HasPrefix(r.Label, "warm") }

func verdict(got, want float64) string {
	if got >= want {
		return "met"
	}
	return fmt.Sprintf("**missed**: %.0f%% of the target", 100*got/want)
}

func renderCost(b *strings.Builder, rep *Report) {
	w := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	w("\n### Where the time goes\n\n")
	for _, db := range databases(rep.Runs) {
		var acc, alone []float64
		for _, r := range rep.Runs {
			if r.Database == db && measured(r) {
				acc = append(acc, r.AcceptedPerSec())
				alone = append(alone, r.ConsumerOnlyPerSec())
			}
		}
		if len(acc) > 0 {
			w("%s: the HTTP intake accepted %s items/s, the queue consumer working off the backlog alone stored %s items/s.\n",
				dbTitle(db), span(acc), span(alone))
		}
	}
	w("When accepted/s is well above stored/s the queue consumer (store one batch while the previous one is\n")
	w("scanned, its verdicts saved and its messages acknowledged) is what limits the end-to-end rate, not HTTP.\n\n")
	budget := 2 / float64(TargetPerSec) * 1e6 // two cores' worth of µs per item at the target
	w("At %s items/s two cores have %.0f µs of CPU per item, for the server, its database *and* the load generator.\n",
		group(TargetPerSec), budget)
	w("What the measured runs used per item, and the rate that CPU alone would allow on two otherwise idle cores\n")
	w("(a perfectly parallel pipeline and a load generator that costs nothing: an upper bound, not a forecast):\n\n")
	w("| database | vigil CPU per item | database CPU per item | total | CPU-bound ceiling on 2 cores |\n|---|---:|---:|---:|---:|\n")
	for _, db := range databases(rep.Runs) {
		var vig, dbc, items float64
		for _, r := range rep.Runs {
			if r.Database == db && measured(r) {
				vig += r.ServerCPUSeconds
				if db != "sqlite" { // SQLite's work is in vigil's own CPU time
					dbc += r.DBCPUSeconds
				}
				items += float64(r.Acked)
			}
		}
		if items == 0 {
			continue
		}
		per := (vig + dbc) / items * 1e6
		dbCol := fmt.Sprintf("%.0f µs", dbc/items*1e6)
		if db == "sqlite" {
			dbCol = "(inside vigil)"
		}
		w("| %s | %.0f µs | %s | %.0f µs | %s items/s |\n", db, vig/items*1e6, dbCol, per, group(2e6/per))
	}
	if sc := rep.ScanCost; sc != nil {
		w("\nThe detection stage's own work, measured in process on the same texts (`Engine.Scan` and the verdict's\n")
		w("JSON, the calls the server's stage makes, single-threaded, %s items, rule pack `%s`), is **%.1f µs per item**;\n",
			group(float64(sc.Items)), sc.RulePack, sc.MicrosPerItem)
		w("saving the verdict row is a second database write per item on top of it. The rest is intake: HTTP, token\n")
		w("check, NDJSON parsing, validation of every field, the duplicate look-up, JetStream publish and consume\n")
		w("(file storage in the same process: every batch is written to disk and read back before it reaches the\n")
		w("database), validation again in the consumer, and the content insert.\n")
	}
	if rep.Stages != "" {
		w("\nThe consumer's stages one at a time, in process, on batches of 1,000 of the same items into a fresh SQLite\n")
		w("database (`stages_bench_test.go`, build tag `stagebench`; CPU µs per item of the whole test process):\n\n")
		w("```\n%s\n```\n", rep.Stages)
	}
	if rep.Profile != "" {
		w("\nIntake without detection: the in-process `BenchmarkIngestHTTP` in `web/` (HTTP, token auth, JSON-array\n")
		w("parsing, validation, JetStream publish and consume, SQLite commit; its stage is a no-op, its items are short\n")
		w("one-line posts of its own, and its four clients share the process), with `-cpuprofile`:\n\n")
		if rep.BenchOut != "" {
			w("```\n%s\n```\n\n", rep.BenchOut)
		}
		w("```\n%s\n```\n", rep.Profile)
	}
}

func databases(runs []*RunResult) []string {
	var dbs []string
	seen := map[string]bool{}
	for _, r := range runs {
		if !seen[r.Database] {
			seen[r.Database] = true
			dbs = append(dbs, r.Database)
		}
	}
	return dbs
}

func firstSize(runs []*RunResult) int {
	if len(runs) == 0 {
		return 0
	}
	return runs[0].Size
}

// span formats the lowest and highest of vs as "a–b" (or one value).
func span(vs []float64) string {
	lo, hi := vs[0], vs[0]
	for _, v := range vs {
		lo, hi = min(lo, v), max(hi, v)
	}
	if group(lo) == group(hi) {
		return group(lo)
	}
	return group(lo) + "–" + group(hi)
}

// orDash formats a rate, or "—" when it could not be measured.
func orDash(v float64) string {
	if v <= 0 {
		return "—"
	}
	return group(v)
}

func parseF(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

// dbCPUHead adds a column for the database server's own CPU when it is a
// separate local process (PostgreSQL); SQLite runs inside vigil.
func dbCPUHead(db string) string {
	if db == "postgres" {
		return "postgres CPU per item | "
	}
	return ""
}

func dbCPUSep(db string) string {
	if db == "postgres" {
		return "---:|"
	}
	return ""
}
