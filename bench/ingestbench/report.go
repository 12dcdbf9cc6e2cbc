package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// TargetPerSec is issue 4's sustained ingest target, per database.
const TargetPerSec = 20_000

// Env holds the key=value facts bench/ingest.sh records about the run
// (machine, load average, PostgreSQL set-up, profile).
type Env map[string]string

// ParseEnv reads key=value lines; blank lines and # comments are skipped.
func ParseEnv(s string) Env {
	e := Env{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok && !strings.HasPrefix(strings.TrimSpace(k), "#") {
			e[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return e
}

func (e Env) get(k, def string) string {
	if v := e[k]; v != "" {
		return v
	}
	return def
}

// Report is everything the section shows.
type Report struct {
	Env      Env
	Runs     []*RunResult
	ScanCost *ScanCost
	Profile  string // go tool pprof -top of the in-process benchmark
	BenchOut string // its `go test -bench` result line(s)
	Stages   string // `go test -tags stagebench -bench Stage` result lines
}

func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	results := fs.String("results", "", "comma-separated run result files, in table order")
	shell := fs.String("shell", "", "key=value facts written by bench/ingest.sh")
	scan := fs.String("scancost", "", "result of `ingestbench scancost` (optional)")
	profile := fs.String("profile", "", "pprof -top text of the in-process benchmark (optional)")
	bench := fs.String("bench", "", "go test -bench output of that benchmark (optional)")
	stages := fs.String("stages", "", "go test -tags stagebench -bench Stage output (optional)")
	doc := fs.String("doc", "docs/BENCHMARKS.md", "document whose ingest section is rewritten")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *results == "" {
		return errors.New("report needs --results")
	}
	var rep Report
	for _, p := range strings.Split(*results, ",") {
		r, err := readResult(strings.TrimSpace(p))
		if err != nil {
			return err
		}
		rep.Runs = append(rep.Runs, r)
	}
	if *shell != "" {
		b, err := os.ReadFile(*shell)
		if err != nil {
			return err
		}
		rep.Env = ParseEnv(string(b))
	}
	if *scan != "" {
		if b, err := os.ReadFile(*scan); err == nil {
			var sc ScanCost
			if err := json.Unmarshal(b, &sc); err != nil {
				return fmt.Errorf("%s: %v", *scan, err)
			}
			rep.ScanCost = &sc
		}
	}
	rep.Profile = readOptional(*profile)
	rep.BenchOut = readOptional(*bench)
	rep.Stages = readOptional(*stages)
	old, err := os.ReadFile(*doc)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(*doc, []byte(ReplaceSection(string(old), SectionHeading, RenderSection(&rep))), 0o644)
}

func readOptional(path string) string {
	if path == "" {
		return ""
	}
	b, _ := os.ReadFile(path) // optional input: absent means not measured
	return strings.TrimSpace(string(b))
}

// group formats n with thousands separators.
func group(n float64) string {
	s := strconv.FormatInt(int64(math.Round(n)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
