package rulepack

import (
	"fmt"
	"strings"
)

// Failure is one rule example that did not behave as written.
type Failure struct {
	Rule      string   // rule id
	File      string   // pack file of the rule
	Example   string   // the example text
	WantMatch bool     // true for a `match` example, false for `no_match`
	Fired     []string // ids of all rules that fired on the example
}

func (f Failure) String() string {
	want, got := "fire", "did not fire"
	if !f.WantMatch {
		want, got = "not fire", "fired"
	}
	fired := "none"
	if len(f.Fired) > 0 {
		fired = strings.Join(f.Fired, ", ")
	}
	return fmt.Sprintf("%s (%s): expected to %s but %s on %q; fired: %s", f.Rule, f.File, want, got, f.Example, fired)
}

// TestExamples runs every rule's examples through scan, which returns the ids
// of the rules that fire on a text (the whole pipeline: normalisation,
// indicators, matching), and returns the examples that misbehave, in pack
// order.
func (p *Pack) TestExamples(scan func(text string) []string) []Failure {
	var out []Failure
	for i := range p.Rules {
		r := &p.Rules[i]
		check := func(text string, want bool) {
			fired := scan(text)
			got := false
			for _, id := range fired {
				if id == r.ID {
					got = true
					break
				}
			}
			if got != want {
				out = append(out, Failure{Rule: r.ID, File: r.File, Example: text, WantMatch: want, Fired: fired})
			}
		}
		for _, t := range r.Examples.Match {
			check(t, true)
		}
		for _, t := range r.Examples.NoMatch {
			check(t, false)
		}
	}
	return out
}
