package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"vigil/detect"
)

func TestWriteLiterals(t *testing.T) {
	var b bytes.Buffer
	if err := WriteLiterals(&b, []string{"洗钱", "$1 serial", "huan hui"}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "洗钱\n$1 serial\nhuan hui\n" {
		t.Fatalf("got %q", got)
	}
	for _, bad := range [][]string{{"ok", ""}, {"two\nlines"}} {
		if err := WriteLiterals(&bytes.Buffer{}, bad); err == nil {
			t.Errorf("WriteLiterals(%q) accepted a literal grep would misread", bad)
		}
	}
}

func TestAlternationQuotesLiterals(t *testing.T) {
	re, err := alternation([]string{"$1 serial", "a.b", "usdt", "us"})
	if err != nil {
		t.Fatal(err)
	}
	text := "axb a.b $1 serial usdt us"
	if n := len(re.FindAllStringIndex(text, -1)); n != 4 {
		t.Fatalf("%d matches in %q, want 4 (a.b, $1 serial, usdt, us; not axb)", n, text)
	}
}

func TestReplaceSection(t *testing.T) {
	const h = SectionHeading
	body := h + "\n\nnew numbers\n"
	cases := []struct{ name, doc, want string }{
		{"empty", "", "# Benchmarks\n\n" + body},
		{"append", "# Benchmarks\n\n## Store\n\nx\n", "# Benchmarks\n\n## Store\n\nx\n\n" + body},
		{"middle", "# B\n\n## A\n\na\n\n" + h + "\n\nold\n| t |\n\n## Z\n\nz\n", "# B\n\n## A\n\na\n\n" + body + "\n## Z\n\nz\n"},
		{"last", "# B\n\n" + h + "\n\nold\n", "# B\n\n" + body},
		{"subsections stay inside", "# B\n\n" + h + "\n\nold\n### Sub\n\nold\n\n## Z\n", "# B\n\n" + body + "\n## Z\n"},
		{"fenced heading is not an end", "# B\n\n" + h + "\n\n```\n## not a heading\n```\n\n## Z\n", "# B\n\n" + body + "\n## Z\n"},
	}
	for _, c := range cases {
		got := ReplaceSection(c.doc, h, body)
		if got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		if again := ReplaceSection(got, h, body); again != got {
			t.Errorf("%s: not idempotent:\n%q", c.name, again)
		}
	}
}

func TestRenderSectionJudgesTargets(t *testing.T) {
	r := &Results{Date: "2026-11-24T10:00:00Z", GoVersion: "go1.26.8", RulePack: "rp-x", Model: "m-y", Literals: 2000}
	r.Corpus.Posts, r.Corpus.TextBytes, r.Corpus.FileBytes = 500_000, 50_000_000, 70_000_000
	r.Engine = Measure{MBps: 30, PostsPerSec: 300_000, MBpsCPU: 60, PostsPerCPUSec: 600_000}
	r.EngineJSON = Measure{MBps: 20, PostsPerSec: 200_000, MBpsCPU: 40, PostsPerCPUSec: 400_000}
	r.Regexp = Measure{MBps: 0.5, MBpsCPU: 1, Posts: 5000, TextBytes: 500_000}
	r.RegexpEvery, r.Ratio = 100, 60
	r.Ads, r.FlaggedAds, r.Flagged = 5000, 4500, 4600
	r.ByLength = []LengthMeasure{{Class: "posts under 64 bytes", M: Measure{Posts: 1000, TextBytes: 40_000, MBpsCPU: 20, PostsPerCPUSec: 500_000}}}
	sh := shellTimings{"cli1_seconds": "2", "cli1_cpu_seconds": "1.25", "cli1_rss_kb": "409600", // 40 MB/s per CPU s, 400 MB
		"grep_seconds": "0.5", "grep_cpu_seconds": "0.25", "cliw1_seconds": "4", "cliw1_cpu_seconds": "1.3",
		"cliw2_seconds": "2", "cliw2_cpu_seconds": "1.3", "order_check": "identical", "load_start": "7.0 6.0 5.0"}
	got := RenderSection(r, sh, Machine{CPUs: 2, CPU: "Test CPU", MemGB: 4, LoadNow: "1 1 1"})
	for _, want := range []string{
		SectionHeading + "\n",
		"| `vigil scan --workers 1` end to end (read, JSON decode, scan, JSON encode, write) | 40.0 | 400,000 | 40.0× | 25.0 | 400 MB |",
		"CPU time per post: engine 1.7 µs, plus 0.8 µs for JSON decode and encode with encoding/json, 2.5 µs end to end in `vigil scan` (its own decoder and `Verdict.AppendJSON`, reading and writing: 0.8 µs); the posts/s target leaves 5.0 µs",
		"| ≥ 50 MB/s per core, full pipeline (`vigil scan`, GOMAXPROCS=1) | 40.0 MB/s | **missed**: 80% of the target (1.2× short) |",
		"| ≥ 200,000 posts/s per core, full pipeline (`vigil scan`, GOMAXPROCS=1) | 400,000 posts/s | met |",
		"| ≥ 10× the regexp baseline (engine in process, same run) | 60.0× | met |",
		"| peak RSS < 300 MB (`vigil scan`) | 400.0 MB | **missed**: 33% over |",
		"| 2 | 2.00 | 1.30 | 25.0 | 2.00× | — |",
		"every 100-th post: 5,000 posts, 0.50 MB",
		"4,500 of the 5,000 generated ads (90.0%) and 100 of the 495,000 everyday posts (0.020%)",
		"250 bytes per post (50 MB/s at 200,000 posts/s); this corpus, like the dev set, averages 100.",
		"| posts under 64 bytes | 1,000 | 40 | 20.0 | 500,000 | 2.0 |",
		"7.0 6.0 5.0 at the start", "Test CPU", "rule pack `rp-x`, model `m-y`",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("section lacks %q\n%s", want, got)
		}
	}
	if strings.Contains(got, "\n## ") {
		t.Error("the section contains a second level-2 heading; the next rewrite would cut it off")
	}
}

func TestThousands(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 999.6: "1,000", 1234567: "1,234,567", 200000: "200,000"} {
		if got := thousands(x); got != want {
			t.Errorf("thousands(%v) = %q, want %q", x, got, want)
		}
	}
}

// TestCommandsEndToEnd drives the subcommands as bench/scan.sh does on a
// small corpus, against the real embedded engine.
func TestCommandsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("scans a small corpus with the real engine")
	}
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	doc := "# Benchmarks\n\n## Store\n\nkept\n"
	if err := os.WriteFile(p("B.md"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, log bytes.Buffer
	for _, args := range [][]string{
		{"corpus", "--mb", "0.05", "--seed", "2", "--out", p("c.jsonl"), "--text", p("c.txt")},
		{"literals", "--out", p("lits.txt")},
		{"run", "--corpus", p("c.jsonl"), "--json", p("run.json"), "--regexp-every", "10"},
		{"report", "--results", p("run.json"), "--doc", p("B.md")},
	} {
		if err := run(args, &out, &log); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, log.String())
		}
	}
	lits, err := os.ReadFile(p("lits.txt"))
	if err != nil || bytes.Count(lits, []byte("\n")) < 100 {
		t.Fatalf("literals file: %v, %d lines", err, bytes.Count(lits, []byte("\n")))
	}
	got, err := os.ReadFile(p("B.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), doc) || !strings.Contains(string(got), SectionHeading) || !strings.Contains(string(got), "| engine in process: `Engine.Scan` on decoded posts |") {
		t.Fatalf("report did not keep the other section or add ours:\n%s", got)
	}
	if err := run([]string{"nope"}, &out, &log); err == nil {
		t.Error("an unknown command was accepted")
	}
}

// TestPackLiterals checks what the baselines rely on: the embedded pack's
// literal list is non-empty, folded (lower-case), free of line breaks and a
// copy that callers may modify.
func TestPackLiterals(t *testing.T) {
	e, err := detect.Default()
	if err != nil {
		t.Fatal(err)
	}
	lits := e.Pack().Literals()
	if len(lits) < 100 {
		t.Fatalf("%d literals; the embedded pack has hundreds", len(lits))
	}
	if err := WriteLiterals(&bytes.Buffer{}, lits); err != nil {
		t.Fatal(err)
	}
	for _, l := range lits {
		if l != strings.ToLower(l) {
			t.Errorf("literal %q is not case-folded", l)
		}
	}
	first := lits[0]
	lits[0] = "changed"
	if e.Pack().Literals()[0] != first {
		t.Error("Literals returned the pack's own slice")
	}
}

func TestRenderProfile(t *testing.T) {
	flat := "File: scanbench\nType: cpu\n      flat  flat%\n     520ms 12.65%  step\n"
	got := RenderProfile(flat, "")
	if strings.Contains(got, "File: scanbench") || !strings.Contains(got, "```\n      flat  flat%\n     520ms 12.65%  step\n```\n") {
		t.Errorf("flat table not quoted cleanly:\n%s", got)
	}
	if strings.Contains(got, "By stage") {
		t.Error("a stage table without a cumulative profile")
	}
	if got := RenderProfile(flat, "      flat  cum\n  4.03s Scan\n"); !strings.Contains(got, "By stage") || strings.Count(got, "```") != 4 {
		t.Errorf("cumulative table missing:\n%s", got)
	}
}
