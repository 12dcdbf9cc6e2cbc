package rulepack

import (
	"testing"
	"testing/fstest"
)

// FuzzLoad: any file content must load or fail with an error, never panic,
// and a pack that loads must match any text without panicking.
func FuzzLoad(f *testing.F) {
	f.Add("rules:"+minimalRule, "fent")
	f.Add("terms:\n  a: [$a]\nrules:"+minimalRule, "x")
	f.Add("rules:\n  - id: ml_broker.x\n    category: ml_broker\n    weight: 1\n    window: 3\n    pinyin: initials\n    all: [[换汇, \"*u\"], [\"a*\"]]\n    regex: ['\\d+']\n    examples: {match: [x]}\n", "hh 换汇a 12")
	f.Add("suppressors:\n  - id: s\n    any: [x]\n    window: 2\n", "")
	f.Fuzz(func(t *testing.T, yml, text string) {
		p, err := Load(fstest.MapFS{"a.yaml": &fstest.MapFile{Data: []byte(yml)}})
		if err != nil {
			return
		}
		fires := p.Match(text, ^IndicatorSet(0))
		for _, fire := range fires {
			for _, s := range fire.Spans {
				if s.Start < 0 || s.End > len(text) || s.Start > s.End {
					t.Fatalf("span %v outside text of %d bytes", s, len(text))
				}
			}
		}
		if want := newReferenceMatcher(p).match(text, ^IndicatorSet(0)); !sameFires(fires, want) {
			t.Fatalf("text %q:\n got %v\nwant %v (reference)", text, fires, want)
		}
	})
}

// FuzzMatchProduction holds MatchInto with the production pack, one Scratch
// reused across inputs (as the engine pools them), to the reference on
// arbitrary text, under no indicators and under all of them.
func FuzzMatchProduction(f *testing.F) {
	p, err := LoadDir("../rules")
	if err != nil {
		f.Fatalf("production pack: %v", err)
	}
	sc, rm := p.NewScratch(), newReferenceMatcher(p)
	f.Add("cash pickup tonight, no questions. 代收代付 usdt 换汇 telegram")
	f.Add("bitcoin bitcoins bitcoin* launder laundering $1 serial 100% el 10%")
	f.Add("fentanyl precursor 4-anpp 21409-26-7 w/ hx huanhui huan hui")
	f.Fuzz(func(t *testing.T, text string) {
		for _, ind := range []IndicatorSet{0, ^IndicatorSet(0)} {
			got, want := p.MatchInto(sc, text, ind), rm.match(text, ind)
			if !sameFires(got, want) {
				t.Fatalf("text %q ind %x:\n got %v\nwant %v", text, ind, got, want)
			}
		}
	})
}
