package rulepack

// occurrence is one literal occurrence that satisfies a group; a group's
// occurrences form a list in order of end offset.
type occurrence struct {
	start, end int32
	next       int32 // next occurrence of the same group, or -1
}

// hitRec is one occurrence of a variant, as the scan records it: its
// groups (matcher.vgroups[g0:g0+ng]) and where it is.
type hitRec struct {
	g0, ng, start, end int32
}

// maxOccPerGroup bounds the work on adversarial posts (one literal repeated
// thousands of times); the earliest occurrences are kept.
const maxOccPerGroup = 256

// Scratch is reusable per-scan working memory for MatchInto. A Scratch must
// not be used by two goroutines at once; pool them.
//
// The scan records each variant occurrence once (hits) and counts each
// group the first time one of its occurrences is seen, for its rule. The
// per-group occurrence lists that span choice needs are built from hits
// only when some rule has all of its groups (a few posts in a hundred on
// the bench corpus), in exactly the order the scan found them; before, every
// occurrence went into every group it satisfies (~8 list insertions per
// post) for rules that almost never completed.
type Scratch struct {
	// Per scan, valid where the stamp equals epoch (no clearing per post).
	epoch    uint32
	groupSet []uint32 // by group
	ruleSet  []uint32 // by rule
	ruleHave []uint8  // distinct groups present per rule
	touchedR []int32  // rules with a group present, in order of first evidence
	hits     []hitRec

	// Occurrence lists, built by lists.
	listed   bool
	occ      []occurrence
	groupN   []uint16 // occurrences kept per group
	head     []int32  // first occurrence of a group (valid when groupN > 0)
	tail     []int32  // last occurrence of a group
	touchedG []int32

	spans  []Span
	fires  []Fire
	chosen []Span

	silenced bool // a rule had everything it needs but a suppressor matched
}

// NewScratch returns working memory sized for p.
func (p *Pack) NewScratch() *Scratch {
	n := len(p.m.groupOwner)
	return &Scratch{
		groupSet: make([]uint32, n),
		ruleSet:  make([]uint32, len(p.Rules)), ruleHave: make([]uint8, len(p.Rules)),
		groupN: make([]uint16, n), head: make([]int32, n), tail: make([]int32, n),
	}
}

func (sc *Scratch) reset() {
	sc.epoch++
	if sc.epoch == 0 { // wrapped: stamps from 2^32 scans ago would look current
		clear(sc.groupSet)
		clear(sc.ruleSet)
		sc.epoch = 1
	}
	sc.hits, sc.touchedR, sc.listed = sc.hits[:0], sc.touchedR[:0], false
	sc.spans, sc.fires = sc.spans[:0], sc.fires[:0]
	sc.silenced = false
}

// Silenced reports whether, in the last MatchInto, a rule had all its
// groups and indicators but a suppressor (news, a warning, coursework...)
// cancelled it: the post reads like the category in a benign frame.
func (sc *Scratch) Silenced() bool { return sc.silenced }

// hit records an occurrence at [start,end) of a variant whose groups are
// m.vgroups[g0:g0+ng], marks the groups present and counts each newly
// present group for its rule, which becomes a candidate.
func (sc *Scratch) hit(m *matcher, g0, ng int32, start, end int) {
	sc.hits = append(sc.hits, hitRec{g0, ng, int32(start), int32(end)})
	// A variant seen before finds its groups marked; no stamp per
	// variant (a random load into an array as long as the pack's
	// literals) is needed to skip them.
	ep := sc.epoch
	for _, g := range m.vgroups[g0 : g0+ng] {
		if sc.groupSet[g] == ep {
			continue
		}
		sc.groupSet[g] = ep
		r := m.groupOwner[g]
		if r < 0 {
			continue
		}
		if sc.ruleSet[r] != ep {
			sc.ruleSet[r] = ep
			sc.ruleHave[r] = 0
			sc.touchedR = append(sc.touchedR, r)
		}
		sc.ruleHave[r]++
	}
}

// lists builds the per-group occurrence lists from the recorded hits, once
// per scan: each hit joins each of its variant's groups, in hit order.
func (sc *Scratch) lists(m *matcher) {
	if sc.listed {
		return
	}
	sc.listed = true
	for _, g := range sc.touchedG {
		sc.groupN[g] = 0
	}
	sc.occ, sc.touchedG = sc.occ[:0], sc.touchedG[:0]
	for _, h := range sc.hits {
		for _, g := range m.vgroups[h.g0 : h.g0+h.ng] {
			sc.add(g, h.start, h.end)
		}
	}
}

// add appends an occurrence to group g's list (at most maxOccPerGroup).
func (sc *Scratch) add(g int32, start, end int32) {
	n := sc.groupN[g]
	if n >= maxOccPerGroup {
		return
	}
	sc.groupN[g] = n + 1
	i := int32(len(sc.occ))
	sc.occ = append(sc.occ, occurrence{start: start, end: end, next: -1})
	if n > 0 {
		sc.occ[sc.tail[g]].next = i
		sc.tail[g] = i
		return
	}
	sc.head[g], sc.tail[g] = i, i
	sc.touchedG = append(sc.touchedG, g)
}
