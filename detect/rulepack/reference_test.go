package rulepack

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"vigil/detect/normalize"
)

// referenceMatcher is MatchInto as it was before occurrences were recorded
// lazily (round 4): every occurrence goes straight into its groups' lists
// as the scan finds it, through the pattern's variant slices. The
// equivalence tests hold the optimised MatchInto to it, fires, their order
// and their spans included. Rule evaluation (span choice, suppressors,
// regular expressions) is shared; only occurrence recording differs. Its
// automaton is built without the pack's boundary knowledge, so it reports
// every occurrence (the pack's drops the ones a state already rules out).
type referenceMatcher struct {
	p  *Pack
	ac *automaton
	sc *Scratch
}

func newReferenceMatcher(p *Pack) *referenceMatcher {
	rm := &referenceMatcher{p: p, sc: p.NewScratch()}
	if len(p.m.texts) > 0 {
		ac, err := newAutomaton(p.m.texts, nil)
		if err != nil {
			panic(err) // the pack's own automaton was built from the same texts
		}
		rm.ac = ac
	}
	return rm
}

func (rm *referenceMatcher) match(text string, ind IndicatorSet) []Fire {
	p, m := rm.p, &rm.p.m
	ref := &refScratch{groupN: make([]uint16, len(m.groupOwner)), head: make([]int32, len(m.groupOwner)), tail: make([]int32, len(m.groupOwner)), ruleHave: make([]uint8, len(p.Rules))}
	if ac := rm.ac; ac != nil {
		ac.each(text, func(pat, start, end int) {
			for _, v := range m.pats[pat].variants {
				if (v.left && !boundaryBefore(text, start)) || (v.right && !boundaryAfter(text, end)) {
					continue
				}
				for _, g := range v.groups {
					ref.add(m, g, start, end)
				}
			}
		})
	}
	s := rm.sc
	s.reset()
	s.occ, s.groupN, s.head, s.tail, s.touchedG, s.listed = ref.occ, ref.groupN, ref.head, ref.tail, ref.touchedG, true
	var fires []Fire
	for _, ri := range append(slices.Clone(ref.touchedR), m.always...) {
		r := &p.Rules[ri]
		if int(ref.ruleHave[ri]) < len(r.c.groups) || (r.c.indMask != 0 && r.c.indMask&ind == 0) {
			continue
		}
		if f, ok := p.evaluate(s, text, ri); ok {
			fires = append(fires, Fire{Rule: f.Rule, Index: f.Index, Spans: slices.Clone(f.Spans)})
		}
	}
	return fires
}

type refScratch struct {
	occ      []occurrence
	groupN   []uint16
	head     []int32
	tail     []int32
	touchedG []int32
	ruleHave []uint8
	touchedR []int32
}

func (sc *refScratch) add(m *matcher, g int32, start, end int) {
	n := sc.groupN[g]
	if n >= maxOccPerGroup {
		return
	}
	sc.groupN[g] = n + 1
	i := int32(len(sc.occ))
	sc.occ = append(sc.occ, occurrence{start: int32(start), end: int32(end), next: -1})
	if n > 0 {
		sc.occ[sc.tail[g]].next = i
		sc.tail[g] = i
		return
	}
	sc.head[g], sc.tail[g] = i, i
	sc.touchedG = append(sc.touchedG, g)
	r := m.groupOwner[g]
	if r < 0 {
		return
	}
	if sc.ruleHave[r] == 0 {
		sc.touchedR = append(sc.touchedR, r)
	}
	sc.ruleHave[r]++
}

// sameFires compares fires by rule, index and spans, in order.
func sameFires(a, b []Fire) bool {
	return slices.EqualFunc(a, b, func(x, y Fire) bool {
		return x.Rule == y.Rule && x.Index == y.Index && slices.Equal(x.Spans, y.Spans)
	})
}

// checkAgainstReference runs MatchInto (one reused Scratch) and the
// reference on the main and leet views of every text, under no indicators
// and under all of them.
func checkAgainstReference(t *testing.T, p *Pack, texts []string) (fires int) {
	t.Helper()
	rm, sc := newReferenceMatcher(p), p.NewScratch()
	nb := normalize.NewBuilder()
	for _, raw := range texts {
		main, _, leet := nb.Views(raw)
		views := []string{main.Text}
		if leet != nil {
			views = append(views, leet.Text)
		}
		for _, v := range views {
			for _, ind := range []IndicatorSet{0, ^IndicatorSet(0)} {
				want := rm.match(v, ind)
				got := p.MatchInto(sc, v, ind)
				if !sameFires(got, want) {
					t.Fatalf("text %q ind %x:\n got %v\nwant %v", v, ind, got, want)
				}
				fires += len(got)
			}
		}
	}
	return fires
}

// jsonlTexts reads the "text" field of every line of a JSON Lines file,
// at most limit lines (0: all).
func jsonlTexts(t *testing.T, path string, limit int) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("%s not available: %v", path, err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && (limit == 0 || len(out) < limit) {
		var row struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		out = append(out, row.Text)
	}
	return out
}

// TestMatchIntoEqualsReferenceOnData holds MatchInto to the reference with
// the production pack on the dev set, the quality sets and (when present)
// a slice of the bench corpus.
func TestMatchIntoEqualsReferenceOnData(t *testing.T) {
	p, err := LoadDir("../rules")
	if err != nil {
		t.Fatalf("production pack: %v", err)
	}
	files, _ := filepath.Glob("../testdata/quality/*.jsonl")
	files = append([]string{"../../../shared/datasets/dev/labelled.jsonl"}, files...)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			n := checkAgainstReference(t, p, jsonlTexts(t, f, 0))
			t.Logf("%d fires equal", n)
		})
	}
	t.Run("bench corpus", func(t *testing.T) {
		// VIGIL_BENCH_CORPUS names a corpus file to check whole (the
		// benchmarks' JSON Lines); else a slice of a generated one.
		path, limit := os.Getenv("VIGIL_BENCH_CORPUS"), 0
		if path == "" {
			corpus, _ := filepath.Glob("../../bench/out/corpus-*.jsonl")
			if len(corpus) == 0 {
				t.Skip("no bench corpus under bench/out and VIGIL_BENCH_CORPUS unset")
			}
			path, limit = corpus[0], 20000
		}
		n := checkAgainstReference(t, p, jsonlTexts(t, path, limit))
		t.Logf("%d fires equal", n)
	})
}

// TestScratchEpochWraps: when the per-scan stamp wraps around, stamps left
// by earlier scans, and the zero of entries never stamped, must not read as
// current.
func TestScratchEpochWraps(t *testing.T) {
	p := testPack(t)
	rm := newReferenceMatcher(p)
	texts := []string{"cash pickup", "代收 telegram", "nothing here", "plug cash pickup", "据报道 代收 telegram", "hit the plug"}
	for skip := range texts {
		// A fresh Scratch whose stamp wraps at text skip: the texts
		// after it meet variants stamped before the wrap and some
		// never stamped at all.
		sc := p.NewScratch()
		sc.epoch = ^uint32(0) - uint32(skip)
		for _, s := range texts {
			v := normalize.Build(s).Text
			if got, want := p.MatchInto(sc, v, 0), rm.match(v, 0); !sameFires(got, want) {
				t.Fatalf("wrap at %d, %q (epoch %d): got %v want %v", skip, s, sc.epoch, got, want)
			}
		}
	}
}
