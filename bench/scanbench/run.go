package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"vigil/detect"
)

// Measure is one timed pass over (part of) the corpus. Rates are given
// per wall-clock second and per CPU second of the process; with
// GOMAXPROCS=1 on a shared machine the CPU-second rate is the per-core
// figure and the wall-clock rate also counts time spent waiting for a core.
type Measure struct {
	Seconds        float64 `json:"seconds"`
	CPUSeconds     float64 `json:"cpu_seconds"`
	Posts          int     `json:"posts"`
	TextBytes      int64   `json:"text_bytes"`
	MBps           float64 `json:"mb_per_s"` // MB = 10^6 bytes of post text, per wall second
	PostsPerSec    float64 `json:"posts_per_s"`
	MBpsCPU        float64 `json:"mb_per_cpu_s"`
	PostsPerCPUSec float64 `json:"posts_per_cpu_s"`
}

// clock marks the start of a timed pass.
type clock struct {
	wall time.Time
	cpu  time.Duration
}

func start() clock { return clock{time.Now(), cpuTime()} }

func (c clock) measure(posts int, bytes int64) Measure {
	s, cs := time.Since(c.wall).Seconds(), (cpuTime() - c.cpu).Seconds()
	m := Measure{Seconds: s, CPUSeconds: cs, Posts: posts, TextBytes: bytes, MBps: float64(bytes) / 1e6 / s, PostsPerSec: float64(posts) / s}
	if cs > 0 {
		m.MBpsCPU, m.PostsPerCPUSec = float64(bytes)/1e6/cs, float64(posts)/cs
	}
	return m
}

// Results is what `scanbench run` measures in one process.
type Results struct {
	Date       string `json:"date"`
	GoVersion  string `json:"go_version"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	RulePack   string `json:"rulepack"`
	Model      string `json:"model"`
	Literals   int    `json:"literals"`
	Corpus     struct {
		File      string `json:"file"`
		Posts     int    `json:"posts"`
		TextBytes int64  `json:"text_bytes"`
		FileBytes int64  `json:"file_bytes"`
	} `json:"corpus"`
	// Engine is detect.Engine.Scan on pre-decoded posts.
	Engine Measure `json:"engine"`
	// EngineJSON adds what `vigil scan` does per line: JSON decode of the
	// input line and JSON encode of the verdict.
	EngineJSON Measure `json:"engine_json"`
	// Regexp is the Go regexp baseline; RegexpEvery > 1 means it ran on
	// every k-th post only (its MB/s and posts/s are per its own sample).
	Regexp      Measure `json:"regexp"`
	RegexpEvery int     `json:"regexp_every"`
	Flagged     int     `json:"flagged"`
	// Ads and FlaggedAds count the corpus's illicit-looking posts and how
	// many of them the engine flagged: a sanity check that the engine did
	// its real work on this corpus, not a quality measure.
	Ads        int     `json:"ads"`
	FlaggedAds int     `json:"flagged_ads"`
	Hits       int     `json:"hits"`
	RegexpHits int     `json:"regexp_matches"`
	Ratio      float64 `json:"pipeline_over_regexp"` // Engine over Regexp, per CPU second
	// ByLength is the engine pass again over the posts of each length
	// class, and over the same text joined into ~2 KB articles: how much
	// of the cost is per post and how much per byte.
	ByLength  []LengthMeasure `json:"by_length,omitempty"`
	PeakRSSKB int64           `json:"peak_rss_kb"` // of this process (it holds the corpus)
}

// LengthMeasure is an engine pass over one length class of the corpus.
type LengthMeasure struct {
	Class string  `json:"class"`
	M     Measure `json:"measure"`
}

// lengthClasses split the corpus by post length in bytes ([lo, hi)).
var lengthClasses = []struct {
	name   string
	lo, hi int
}{{"posts under 64 bytes", 0, 64}, {"posts of 64-255 bytes", 64, 256}, {"posts of 256 bytes or more", 256, 1 << 30}}

// articleBytes is the length the corpus text is joined to for the
// long-text pass (official-account articles run to a few KB).
const articleBytes = 2000

// byLength times the engine on each length class and on the corpus text
// joined into articles of about articleBytes.
func byLength(e *detect.Engine, posts []detect.Post) []LengthMeasure {
	var out []LengthMeasure
	pass := func(name string, ps []detect.Post) {
		if len(ps) == 0 {
			return
		}
		var n int64
		for _, p := range ps {
			n += int64(len(p.Text))
		}
		runtime.GC()
		var v detect.Verdict
		t0 := start()
		for _, p := range ps {
			e.ScanInto(p, &v)
		}
		out = append(out, LengthMeasure{Class: name, M: t0.measure(len(ps), n)})
	}
	for _, c := range lengthClasses {
		var ps []detect.Post
		for _, p := range posts {
			if len(p.Text) >= c.lo && len(p.Text) < c.hi {
				ps = append(ps, p)
			}
		}
		pass(c.name, ps)
	}
	var arts []detect.Post
	var b strings.Builder
	for i, p := range posts {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Text)
		if b.Len() >= articleBytes || i == len(posts)-1 {
			arts = append(arts, detect.Post{ID: fmt.Sprint("a", len(arts)), Text: b.String()})
			b.Reset()
		}
	}
	pass(fmt.Sprintf("the same text joined into ~%d-byte articles", articleBytes), arts)
	return out
}

type runOpts struct {
	corpus, cpuprofile string
	regexpEvery        int
}

// loadCorpus reads the JSON Lines corpus, keeping each raw line for the
// JSON pass and the decoded post for the engine pass.
func loadCorpus(path string) (lines [][]byte, posts []detect.Post, ads []bool, fileBytes int64, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	for n := 1; len(data) > 0; n++ {
		i := bytes.IndexByte(data, '\n')
		line := data
		if i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		fileBytes += int64(len(line))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var p Post
		if err := json.Unmarshal(line, &p); err != nil {
			return nil, nil, nil, 0, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		lines = append(lines, line)
		posts = append(posts, detect.Post{ID: p.ID, Text: p.Text, Lang: p.Lang})
		ads = append(ads, p.Illicit)
	}
	if len(posts) == 0 {
		return nil, nil, nil, 0, fmt.Errorf("%s: no posts", path)
	}
	return lines, posts, ads, fileBytes, nil
}

// Run measures the pipeline and the regexp baseline on the corpus. It
// logs progress to log and returns the results.
func Run(o runOpts, log io.Writer) (*Results, error) {
	e, err := detect.Default()
	if err != nil {
		return nil, err
	}
	lines, posts, ads, fileBytes, err := loadCorpus(o.corpus)
	if err != nil {
		return nil, err
	}
	res := &Results{Date: time.Now().UTC().Format(time.RFC3339), GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		RulePack: e.Pack().Version(), Model: e.ModelVersion(), RegexpEvery: max(o.regexpEvery, 1)}
	lits := e.Pack().Literals()
	res.Literals = len(lits)
	res.Corpus.File, res.Corpus.Posts, res.Corpus.FileBytes = o.corpus, len(posts), fileBytes
	for _, p := range posts {
		res.Corpus.TextBytes += int64(len(p.Text))
	}
	fmt.Fprintf(log, "corpus: %d posts, %.1f MB text, rule pack %s, model %s, %d literals, GOMAXPROCS=%d\n",
		len(posts), float64(res.Corpus.TextBytes)/1e6, res.RulePack, res.Model, res.Literals, res.GOMAXPROCS)

	// Warm up: the first scans fault in the tables and the pools.
	for i := 0; i < len(posts) && i < 2000; i++ {
		e.Scan(posts[i])
	}
	runtime.GC()

	// (a) the engine alone, optionally profiled.
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	t0 := start()
	for i := range posts {
		v := e.Scan(posts[i])
		if v.Flagged {
			res.Flagged++
			if ads[i] {
				res.FlaggedAds++
			}
		}
		if ads[i] {
			res.Ads++
		}
		res.Hits += len(v.Hits)
	}
	res.Engine = t0.measure(len(posts), res.Corpus.TextBytes)
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	fmt.Fprintf(log, "engine:      %s (%d flagged, %d of %d ads, %d hits)\n", res.Engine, res.Flagged, res.FlaggedAds, res.Ads, res.Hits)
	runtime.GC()

	// (a') decode + scan + encode per line, as `vigil scan` does.
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	t0 = start()
	for _, line := range lines {
		var p detect.Post
		if err := json.Unmarshal(line, &p); err != nil {
			return nil, err
		}
		out.Reset()
		if err := enc.Encode(e.Scan(p)); err != nil {
			return nil, err
		}
	}
	res.EngineJSON = t0.measure(len(posts), res.Corpus.TextBytes)
	fmt.Fprintf(log, "engine+json: %s\n", res.EngineJSON)
	runtime.GC()

	// (b) Go regexp baseline over the lower-cased original texts. Lower-
	// casing happens before the clock starts, which flatters the baseline.
	re, err := alternation(lits)
	if err != nil {
		return nil, err
	}
	var lower []string
	var lowerBytes int64
	for i := 0; i < len(posts); i += res.RegexpEvery {
		l := strings.ToLower(posts[i].Text)
		lower = append(lower, l)
		lowerBytes += int64(len(posts[i].Text))
	}
	t0 = start()
	for _, s := range lower {
		res.RegexpHits += len(re.FindAllStringIndex(s, -1))
	}
	res.Regexp = t0.measure(len(lower), lowerBytes)
	res.Ratio = res.Engine.MBpsCPU / res.Regexp.MBpsCPU
	fmt.Fprintf(log, "regexp:      %s (%d matches, every %d-th post) → pipeline/regexp %.1f× per CPU second\n",
		res.Regexp, res.RegexpHits, res.RegexpEvery, res.Ratio)
	res.ByLength = byLength(e, posts)
	for _, l := range res.ByLength {
		fmt.Fprintf(log, "engine, %s: %s\n", l.Class, l.M)
	}
	res.PeakRSSKB = peakRSSKB()
	return res, nil
}

func (m Measure) String() string {
	return fmt.Sprintf("%7.2f MB/s %9.0f posts/s wall, %7.2f MB/s %9.0f posts/s per CPU second", m.MBps, m.PostsPerSec, m.MBpsCPU, m.PostsPerCPUSec)
}

// peakRSSKB reads this process's peak resident set size (VmHWM) on Linux;
// 0 elsewhere.
func peakRSSKB() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if _, err := fmt.Sscanf(sc.Text(), "VmHWM: %d kB", &kb); err == nil {
			return kb
		}
	}
	return 0
}
