package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"vigil/bench/internal/benchdoc"
)

// SectionHeading starts this script's section of docs/BENCHMARKS.md.
const SectionHeading = "## Law-enforcement portal"

// Targets from issue 6 ("How fast").
const (
	targetP99     = 50 * time.Millisecond
	targetRate    = 500.0
	targetPackage = 2 * time.Second
)

// wrkResult is what one wrk --latency run printed.
type wrkResult struct {
	Requests      int
	Duration      time.Duration
	RPS           float64
	P50, P90, P99 time.Duration
	Non2xx        int
	Errors        string // socket errors line, if any
}

var (
	distRE     = regexp.MustCompile(`^\s*(50|75|90|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	rpsRE      = regexp.MustCompile(`^Requests/sec:\s+([0-9.]+)`)
	totalRE    = regexp.MustCompile(`^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m)`)
	non2xxRE   = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	sockErrRE  = regexp.MustCompile(`Socket errors:.*`)
	nsPerOpRE  = regexp.MustCompile(`^BenchmarkBuild1000Accounts\S*\s+\d+\s+([0-9.]+) ns/op`)
	unitFactor = map[string]float64{"us": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9}
)

func dur(v, unit string) time.Duration {
	f, _ := strconv.ParseFloat(v, 64)
	return time.Duration(f * unitFactor[unit])
}

// parseWrk reads wrk's --latency output.
func parseWrk(text string) (wrkResult, error) {
	var r wrkResult
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		if m := distRE.FindStringSubmatch(l); m != nil {
			switch m[1] {
			case "50":
				r.P50 = dur(m[2], m[3])
			case "90":
				r.P90 = dur(m[2], m[3])
			case "99":
				r.P99 = dur(m[2], m[3])
			}
		} else if m := rpsRE.FindStringSubmatch(l); m != nil {
			r.RPS, _ = strconv.ParseFloat(m[1], 64)
		} else if m := totalRE.FindStringSubmatch(l); m != nil {
			r.Requests, _ = strconv.Atoi(m[1])
			r.Duration = dur(m[2], m[3])
		} else if m := non2xxRE.FindStringSubmatch(l); m != nil {
			r.Non2xx, _ = strconv.Atoi(m[1])
		} else if m := sockErrRE.FindString(l); m != "" {
			r.Errors = strings.TrimSpace(m)
		}
	}
	if r.Requests == 0 || r.P99 == 0 {
		return r, fmt.Errorf("no request count or latency distribution in the wrk output (was --latency given?)")
	}
	return r, nil
}

// wrkRun is one wrk run named db:what:connections on the command line.
type wrkRun struct {
	db, what, conns string
	res             wrkResult
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

func readEnv(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			env[k] = v
		}
	}
	return env, nil
}

func reportCmd(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	envPath := fs.String("env", "", "key=value facts about the machine and the run")
	wrks := fs.String("wrk", "", "comma-separated db:what:connections=wrk-output-file")
	build := fs.String("build", "", "go test -bench output of BenchmarkBuild1000Accounts")
	doc := fs.String("doc", "docs/BENCHMARKS.md", "document whose section to rewrite")
	if err := fs.Parse(args); err != nil {
		return err
	}
	env, err := readEnv(*envPath)
	if err != nil {
		return err
	}
	var runs []wrkRun
	for _, spec := range strings.Split(*wrks, ",") {
		if spec == "" {
			continue
		}
		name, file, ok := strings.Cut(spec, "=")
		parts := strings.SplitN(name, ":", 3)
		if !ok || len(parts) != 3 {
			return fmt.Errorf("--wrk %q: want db:what:connections=file", spec)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		res, err := parseWrk(string(b))
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		runs = append(runs, wrkRun{db: parts[0], what: parts[1], conns: parts[2], res: res})
	}
	var pkg time.Duration
	if *build != "" {
		b, err := os.ReadFile(*build)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if m := nsPerOpRE.FindStringSubmatch(l); m != nil {
				f, _ := strconv.ParseFloat(m[1], 64)
				pkg = time.Duration(f)
			}
		}
	}
	section := render(env, runs, pkg)
	old, err := os.ReadFile(*doc)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(*doc, []byte(benchdoc.ReplaceSection(string(old), SectionHeading, section)), 0o644)
}

func render(env map[string]string, runs []wrkRun, pkg time.Duration) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("%s\n\n", SectionHeading)
	w("Written by `bench/portal.sh` on %s: %s cores (%s), %s, %s. Load average %s at the start, %s at the end; other engineers share the machine.\n\n",
		env["date"], env["nproc"], env["cpu_model"], env["mem"], env["go_version"], env["load_start"], env["load_end"])
	pg := "then PostgreSQL " + env["pg_version"]
	if env["pg_version"] == "" {
		pg = "PostgreSQL not run"
	}
	w("The real `vigil serve --demo` (SQLite, %s), signed in through the pages as the demo `lecontact` (le_response) and the demo officer (password, then TOTP enrolment), %s requests seeded through the portal's new-request form, then plain `wrk` (%s; it has no fixed-rate mode, so the load is closed-loop: the connections below each send the next request as soon as the last is answered, and the rate is what the server sustains) on loopback, each run %s. The paced run adds a 20 ms pause per connection after each answer, so its connections offer at most connections/(20 ms + latency) requests/s, a rough stand-in for wrk2's fixed rate: the latency is the server's, not the closed loop's queueing. The closed-loop runs saturate two cores that wrk and other engineers' jobs share with the server, so their p99 is mostly queueing. The submission runs POST the portal form (multipart, a one-page PDF) with the officer's session; each one is a new request.\n\n",
		pg, env["seeded"], env["wrk_version"], env["duration"])
	w("| Database | Load | wrk connections | Requests | Requests/s | p50 | p90 | p99 | Non-2xx/3xx |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range runs {
		w("| %s | %s | %s | %d | %.0f | %s | %s | %s | %d |\n", r.db, r.what, r.conns, r.res.Requests, r.res.RPS, ms(r.res.P50), ms(r.res.P90), ms(r.res.P99), r.res.Non2xx)
	}
	for _, r := range runs {
		if r.res.Errors != "" {
			w("\n%s, %s: wrk reported %s.\n", r.db, r.what, r.res.Errors)
		}
	}
	if s := env["pg_skipped"]; s != "" {
		w("\nPostgreSQL was not measured: %s.\n", s)
	}
	w("\n### Targets (issue 6)\n\n")
	for _, r := range runs {
		if !strings.HasPrefix(r.what, "queue API") {
			continue
		}
		verdict := "met"
		if r.res.P99 >= targetP99 || r.res.RPS < targetRate || r.res.Non2xx > 0 {
			verdict = "**not met**"
		}
		w("- Queue API p99 < %s at ≥ %.0f requests/s, %s, %s: p99 %s at %.0f requests/s: %s.\n", ms(targetP99), targetRate, r.db, r.what, ms(r.res.P99), r.res.RPS, verdict)
	}
	if pkg > 0 {
		verdict := "met"
		if pkg >= targetPackage {
			verdict = "**not met**"
		}
		w("- 1,000-account production package (`go test ./production/ -bench BenchmarkBuild1000Accounts`) < %s: %s per package: %s.\n", targetPackage, ms(pkg), verdict)
	} else {
		w("- 1,000-account production package: the benchmark did not run (see the script's log).\n")
	}
	return b.String()
}
