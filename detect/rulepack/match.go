package rulepack

import (
	"slices"
	"unicode/utf8"
)

// Span is a byte range [Start,End) of the text given to Match.
type Span struct{ Start, End int }

// Fire is one rule that fired, with the spans that satisfied it: one literal
// occurrence per `all` group (chosen inside the window) followed by the first
// match of each regular expression.
type Fire struct {
	Rule  *Rule
	Index int // index of Rule in Pack.Rules
	Spans []Span
}

// Match returns the rules that fire on text (a normalised view's text) given
// the valid indicator types present. It allocates; hot paths use MatchInto.
func (p *Pack) Match(text string, ind IndicatorSet) []Fire {
	fires := p.MatchInto(p.NewScratch(), text, ind)
	out := make([]Fire, len(fires))
	for i, f := range fires {
		out[i] = Fire{Rule: f.Rule, Index: f.Index, Spans: slices.Clone(f.Spans)}
	}
	return out
}

// MatchInto is Match using sc's memory: the returned slice and its spans are
// valid until sc is used again. Fires are in order of first evidence in the
// text (rules without literals last).
func (p *Pack) MatchInto(sc *Scratch, text string, ind IndicatorSet) []Fire {
	sc.reset()
	m := &p.m
	if ac := m.ac; ac != nil {
		// The automaton's walk, inlined: no call per occurrence.
		for end, s := 0, ac.root(); ; {
			if end, s = ac.scan(text, end, s); end < 0 {
				break
			}
			for _, o := range ac.outputs(s) {
				start := end - o.bytes()
				// A boundary every variant needs is checked once,
				// before the variants are loaded.
				if (o.need&needLeft != 0 && !boundaryBefore(text, start)) || (o.need&needRight != 0 && !boundaryAfter(text, end)) {
					continue
				}
				if o.nv == 1 {
					// need is exactly the variant's boundaries.
					sc.hit(m, o.v0, int32(o.ng), start, end)
					continue
				}
				for vi := o.v0; vi < o.v0+int32(o.nv); vi++ {
					v := &m.vars[vi]
					if (v.left && !boundaryBefore(text, start)) || (v.right && !boundaryAfter(text, end)) {
						continue
					}
					sc.hit(m, v.g0, v.g1-v.g0, start, end)
				}
			}
		}
	}
	// Candidates: the rules with evidence in order of first evidence,
	// then the rules without literals.
	for _, cands := range [2][]int32{sc.touchedR, m.always} {
		for _, ri := range cands {
			if sc.ruleHave[ri] < m.ruleN[ri] {
				continue
			}
			r := &p.Rules[ri]
			if r.c.indMask != 0 && r.c.indMask&ind == 0 {
				continue
			}
			sc.lists(m)
			if f, ok := p.evaluate(sc, text, ri); ok {
				sc.fires = append(sc.fires, f)
			}
		}
	}
	return sc.fires
}

// evaluate decides rule ri, whose groups are all present and whose
// indicators are, from sc's occurrence lists: a span per group, then its
// suppressors, then its regular expressions.
func (p *Pack) evaluate(sc *Scratch, text string, ri int32) (Fire, bool) {
	r := &p.Rules[ri]
	if !sc.chooseSpans(text, r) {
		return Fire{}, false
	}
	lo, hi := spanOf(sc.chosen)
	if p.suppressed(sc, text, r, lo, hi) {
		sc.silenced = true
		return Fire{}, false
	}
	first := len(sc.spans)
	sc.spans = append(sc.spans, sc.chosen...)
	for _, re := range r.c.regex {
		loc := re.FindStringIndex(text)
		if loc == nil {
			sc.spans = sc.spans[:first]
			return Fire{}, false
		}
		sc.spans = append(sc.spans, Span{loc[0], loc[1]})
	}
	return Fire{Rule: r, Index: int(ri), Spans: sc.spans[first:len(sc.spans):len(sc.spans)]}, true
}

// first returns the index of group g's first occurrence, or -1.
func (sc *Scratch) first(g int32) int32 {
	if sc.groupN[g] == 0 {
		return -1
	}
	return sc.head[g]
}

// assignBudget bounds the backtracking of one rule's span assignment on one
// post (placements tried); ordinary posts need one placement per group.
const assignBudget = 4096

// chooseSpans picks one occurrence per group of r such that no two chosen
// occurrences overlap (one span of text never satisfies two groups: "bill
// counter" listed in two groups is one piece of evidence, not two) and, when
// r.Window > 0, all of them lie within r.Window runes (first start to last
// end). It fills sc.chosen, in group order, and reports success.
func (sc *Scratch) chooseSpans(text string, r *Rule) bool {
	sc.chosen = sc.chosen[:0]
	gs := r.c.groups
	if len(gs) == 1 {
		o := sc.occ[sc.first(gs[0])]
		sc.chosen = append(sc.chosen, Span{int(o.start), int(o.end)})
		return true
	}
	budget := assignBudget
	if r.Window <= 0 {
		return sc.assign(text, gs, 0, 0, 0, &budget)
	}
	// Try every occurrence start as the left edge; the window then bounds
	// the last end. The leftmost feasible edge wins (earliest evidence).
	bestLeft := int32(-1)
	for _, g0 := range gs {
		for i := sc.first(g0); i >= 0; i = sc.occ[i].next {
			left := sc.occ[i].start
			if bestLeft >= 0 && left >= bestLeft {
				continue
			}
			sc.chosen = sc.chosen[:0]
			if sc.assign(text, gs, 0, left, r.Window, &budget) {
				bestLeft = left
			}
			if budget <= 0 {
				break
			}
		}
	}
	sc.chosen = sc.chosen[:0]
	if bestLeft < 0 {
		return false
	}
	budget = assignBudget
	return sc.assign(text, gs, 0, bestLeft, r.Window, &budget)
}

// assign extends sc.chosen with an occurrence of each of gs[d:] that starts
// at or after left, overlaps nothing chosen so far and, when window > 0,
// ends within window runes of left. It tries each group's occurrences in
// list order (earliest end first) and backtracks on conflict. budget counts
// placements across calls.
func (sc *Scratch) assign(text string, gs []int32, d int, left int32, window int, budget *int) bool {
	if d == len(gs) {
		return true
	}
	for i := sc.first(gs[d]); i >= 0; i = sc.occ[i].next {
		o := sc.occ[i]
		if o.start < left || sc.overlapsChosen(o) || (window > 0 && !inWindow(text, left, o.end, window)) {
			continue
		}
		if *budget <= 0 {
			return false
		}
		*budget--
		sc.chosen = append(sc.chosen, Span{int(o.start), int(o.end)})
		if sc.assign(text, gs, d+1, left, window, budget) {
			return true
		}
		sc.chosen = sc.chosen[:len(sc.chosen)-1]
	}
	return false
}

// overlapsChosen reports whether o shares at least one byte with a span
// already chosen.
func (sc *Scratch) overlapsChosen(o occurrence) bool {
	for _, c := range sc.chosen {
		if int(o.start) < c.End && c.Start < int(o.end) {
			return true
		}
	}
	return false
}

// inWindow reports whether text[left:end] is at most window runes. A rune
// is 1 to 4 bytes, so the byte length decides most cases without counting.
func inWindow(text string, left, end int32, window int) bool {
	n := int(end - left)
	switch {
	case n <= window:
		return true
	case n > 4*window:
		return false
	}
	return runeLen(text, int(left), int(end)) <= window
}

// suppressed reports whether any of r's suppressors matches: anywhere in the
// post, or, when the suppressor has a window, within that many runes of the
// rule's matched span [lo,hi).
func (p *Pack) suppressed(sc *Scratch, text string, r *Rule, lo, hi int) bool {
	for _, si := range r.c.unless {
		s := &p.Suppressors[si]
		if sc.groupN[s.group] == 0 {
			continue
		}
		if s.Window <= 0 || hi <= lo {
			return true
		}
		for i := sc.first(s.group); i >= 0; i = sc.occ[i].next {
			o := sc.occ[i]
			gap := 0
			switch {
			case int(o.end) <= lo:
				gap = runeLen(text, int(o.end), lo)
			case int(o.start) >= hi:
				gap = runeLen(text, hi, int(o.start))
			}
			if gap <= s.Window {
				return true
			}
		}
	}
	return false
}

func spanOf(spans []Span) (lo, hi int) {
	if len(spans) == 0 {
		return 0, 0
	}
	lo, hi = spans[0].Start, spans[0].End
	for _, s := range spans[1:] {
		lo, hi = min(lo, s.Start), max(hi, s.End)
	}
	return lo, hi
}

// runeLen counts the runes of text[a:b]; byte length bounds it cheaply.
func runeLen(text string, a, b int) int {
	if b <= a {
		return 0
	}
	return utf8.RuneCountInString(text[a:b])
}

// boundaryBefore reports whether the text before byte i does not continue a
// word (start of text, or a rune that is not a spaced-script letter/digit).
func boundaryBefore(text string, i int) bool {
	if i == 0 {
		return true
	}
	if c := text[i-1]; c < utf8.RuneSelf {
		return !asciiWord(c)
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// boundaryAfter is boundaryBefore for the text from byte i on.
func boundaryAfter(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	if c := text[i]; c < utf8.RuneSelf {
		return !asciiWord(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return !isWordRune(r)
}

// asciiWord is isWordRune for an ASCII byte: a letter or a digit.
func asciiWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
