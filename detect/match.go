package detect

import (
	"cmp"
	"slices"

	"vigil/detect/normalize"
	"vigil/detect/rulepack"
)

// strongEvasion are the transforms whose presence inside a matched span is
// evidence of intent. Full-width forms, Traditional characters, dashes and
// case are routine typing and do not count (brief.md §4: obfuscation is not
// a label); they are still listed in Hit.Evasion.
const strongEvasion = normalize.Invisible | normalize.Confusable | normalize.Spaced | normalize.Leet

// match runs the pack over the main view and, when there is one, the leet
// view;
// it fills sc.hits (original offsets), sc.fired, and per category the
// noisy-or rule score and whether a span needed a strong evasion undone.
func (e *Engine) match(sc *scratch, original string, view, leet *normalize.View, set rulepack.IndicatorSet, inds []Indicator) {
	sc.hits = sc.hits[:0]
	clear(sc.fired)
	sc.ruleS = [5]float64{}
	sc.evaded = [5]bool{}
	sc.silenced = false
	miss := [5]float64{1, 1, 1, 1, 1} // Π(1 − w) per category

	apply := func(v *normalize.View) {
		fires := e.pack.MatchInto(sc.rs, v.Text, set)
		sc.silenced = sc.silenced || sc.rs.Silenced()
		for _, f := range fires {
			if sc.fired[f.Index] {
				continue // already explained by the main view
			}
			sc.fired[f.Index] = true
			r := f.Rule
			ci := r.CategoryIndex()
			miss[ci] *= 1 - r.W()
			if len(f.Spans) == 0 {
				sc.hits = append(sc.hits, indicatorHit(r, original, inds))
				continue
			}
			for _, s := range f.Spans {
				os, oe := v.Orig(s.Start, s.End)
				tr := v.Transforms(s.Start, s.End)
				if tr&strongEvasion != 0 {
					sc.evaded[ci] = true
				}
				sc.hits = append(sc.hits, Hit{Rule: r.ID, Category: r.Category, Start: os, End: oe, Match: original[os:oe], Evasion: evasionNames(tr)})
			}
		}
	}
	apply(view)
	if leet != nil {
		apply(leet)
	}
	for ci := range miss {
		sc.ruleS[ci] = 1 - miss[ci]
	}
	slices.SortStableFunc(sc.hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Rule, b.Rule))
	})
	// The same literal can satisfy two groups of a rule: report it once.
	sc.hits = slices.CompactFunc(sc.hits, func(a, b Hit) bool {
		return a.Rule == b.Rule && a.Start == b.Start && a.End == b.End
	})
}

// indicatorHit explains a rule without literal spans (an indicator-only
// rule) by the first indicator of a type it requires.
func indicatorHit(r *rulepack.Rule, original string, inds []Indicator) Hit {
	h := Hit{Rule: r.ID, Category: r.Category}
	var want rulepack.IndicatorSet
	for _, t := range r.Indicators {
		want |= rulepack.IndicatorBit(t)
	}
	for _, in := range inds {
		if indicatorBits(in)&want != 0 {
			h.Start, h.End, h.Match = in.Start, in.End, original[in.Start:in.End]
			break
		}
	}
	return h
}

// evasionNames lists the transforms undone in a span, without case folding
// (upper case is not an evasion).
func evasionNames(t normalize.Transform) []string {
	t &^= normalize.CaseFold
	if t == 0 {
		return nil
	}
	return t.Names()
}
