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
		for _, fire := range p.Match(text, ^IndicatorSet(0)) {
			for _, s := range fire.Spans {
				if s.Start < 0 || s.End > len(text) || s.Start > s.End {
					t.Fatalf("span %v outside text of %d bytes", s, len(text))
				}
			}
		}
	})
}
