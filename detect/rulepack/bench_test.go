package rulepack

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	ac "github.com/petar-dambovaliev/aho-corasick"

	"vigil/detect/normalize"
)

// benchTexts returns the dev set's texts in normalised form.
func benchTexts(b *testing.B) []string {
	f, err := os.Open("../../../shared/datasets/dev/labelled.jsonl")
	if err != nil {
		b.Skipf("dev set not available: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var row struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			b.Fatal(err)
		}
		out = append(out, normalize.Build(row.Text).Text)
	}
	return out
}

func benchPack(b *testing.B) *Pack {
	p, err := LoadDir("../rules")
	if err != nil {
		b.Skipf("production pack does not load: %v", err)
	}
	return p
}

// BenchmarkMatch is the automaton plus rule evaluation on normalised text.
func BenchmarkMatch(b *testing.B) {
	p, texts := benchPack(b), benchTexts(b)
	sc := p.NewScratch()
	run(b, texts, func(s string) { p.MatchInto(sc, s, 0) })
}

// BenchmarkRegexpBaseline matches the same literal set as one Go regexp
// alternation (leftmost-first, non-overlapping): the baseline the automaton
// must beat.
func BenchmarkRegexpBaseline(b *testing.B) {
	p, texts := benchPack(b), benchTexts(b)
	quoted := make([]string, len(p.m.texts))
	for i, t := range p.m.texts {
		quoted[i] = regexp.QuoteMeta(t)
	}
	re := regexp.MustCompile(strings.Join(quoted, "|"))
	run(b, texts, func(s string) { re.FindAllStringIndex(s, -1) })
}

func run(b *testing.B, texts []string, f func(string)) {
	total := 0
	for _, t := range texts {
		total += len(t)
	}
	b.SetBytes(int64(total / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f(texts[i%len(texts)])
	}
}

// BenchmarkAutomatonOwn and BenchmarkAutomatonLibrary compare the pack's DFA
// with github.com/petar-dambovaliev/aho-corasick's overlapping DFA iterator
// on the same patterns and texts (occurrence enumeration only).
func BenchmarkAutomatonOwn(b *testing.B) {
	p, texts := benchPack(b), benchTexts(b)
	n := 0
	run(b, texts, func(s string) { p.m.ac.each(s, func(int, int, int) { n++ }) })
}

func BenchmarkAutomatonLibrary(b *testing.B) {
	p, texts := benchPack(b), benchTexts(b)
	lib := libBuilder().Build(p.m.texts)
	n := 0
	run(b, texts, func(s string) {
		it := lib.IterOverlapping(s)
		for m := it.Next(); m != nil; m = it.Next() {
			n++
		}
	})
}

func libBuilder() *ac.AhoCorasickBuilder {
	b := ac.NewAhoCorasickBuilder(ac.Opts{MatchKind: ac.StandardMatch, DFA: true})
	return &b
}

// BenchmarkMatchCorpus is BenchmarkMatch on the main views of the first
// 20,000 posts of the bench corpus named by VIGIL_BENCH_CORPUS (ordinary
// posts: few literals, rules rarely complete), the mix vigil scan sees.
func BenchmarkMatchCorpus(b *testing.B) {
	path := os.Getenv("VIGIL_BENCH_CORPUS")
	if path == "" {
		b.Skip("VIGIL_BENCH_CORPUS unset")
	}
	f, err := os.Open(path)
	if err != nil {
		b.Skipf("bench corpus: %v", err)
	}
	defer f.Close()
	var texts []string
	nb := normalize.NewBuilder()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(texts) < 20000 {
		var row struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			b.Fatal(err)
		}
		v, _, _ := nb.Views(row.Text)
		texts = append(texts, v.Text)
	}
	p := benchPack(b)
	s := p.NewScratch()
	run(b, texts, func(t string) { p.MatchInto(s, t, 0) })
}
