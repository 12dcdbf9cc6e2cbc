package rulepack

import "slices"

// automaton is a byte-level Aho-Corasick automaton that reports every
// occurrence of every pattern, overlapping ones included.
//
// DESIGN.md names github.com/petar-dambovaliev/aho-corasick. Its DFA finds
// the same occurrences (IterOverlapping; the tests use it as an oracle), but
// every match is a heap-allocated *Match and every byte goes through an
// interface call: on the dev set with the production pack it took ~2 µs and
// 25 allocations per post for enumeration alone (BenchmarkAutomatonLibrary).
// A complete DFA table of our own (15k states × 117 byte classes, 3.5 MB)
// was allocation-free and 3× faster in isolation, but inside the pipeline,
// next to the model's weight table, nearly every byte missed the cache and
// it became 40% of the scan time. So this is the classic compact form:
// goto edges stored sparsely (dense rows only for the root and wide states)
// plus failure links, ~0.2 MB, breadth-first numbered so the hot states near
// the root share cache lines.
type automaton struct {
	classes [256]uint8 // byte -> class; class 0 is every byte no pattern uses
	nclass  int
	fail    []int32
	// dense[s] is the offset of state s's row in denseNext, or -1 when its
	// edges are sparse: kidClass/kidNext[kidStart[s]:kidStart[s+1]].
	dense     []int32
	denseNext []int32 // complete rows: failure transitions filled in
	kidStart  []int32
	kidClass  []uint8
	kidNext   []int32
	hasOut    []bool // state reports at least one pattern
	own       [][]int32
	dictLink  []int32 // nearest proper suffix state with own patterns, or -1
	patLen    []int32
}

// A state gets a dense row when it has denseFanout edges or more, or more
// than one edge within denseDepth bytes of the root (where most bytes of
// ordinary text are read).
const (
	denseFanout = 8
	denseDepth  = 2
)

// newAutomaton builds the automaton for patterns (non-empty, distinct).
func newAutomaton(patterns []string) *automaton {
	a := &automaton{patLen: make([]int32, len(patterns))}
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if a.classes[p[i]] == 0 {
				a.nclass++
				a.classes[p[i]] = uint8(a.nclass)
			}
		}
	}
	a.nclass++ // class 0
	// Build the trie with map edges, then renumber breadth-first.
	next := map[edge]int32{}
	var own [][]int32
	own = append(own, nil)
	for pi, p := range patterns {
		a.patLen[pi] = int32(len(p))
		s := int32(0)
		for i := 0; i < len(p); i++ {
			e := edge{s, a.classes[p[i]]}
			t, ok := next[e]
			if !ok {
				own = append(own, nil)
				t = int32(len(own) - 1)
				next[e] = t
			}
			s = t
		}
		own[s] = append(own[s], int32(pi))
	}
	n := len(own)
	kids := make([][]edge, n) // per state: (target, class) pairs, reusing edge
	for e, t := range next {
		kids[e.from] = append(kids[e.from], edge{t, e.c})
	}
	for _, k := range kids {
		slices.SortFunc(k, func(x, y edge) int { return int(x.c) - int(y.c) })
	}
	// Breadth-first numbering and failure links.
	renum := make([]int32, n)
	depth := make([]int32, n)
	order := []int32{0}
	failOld := make([]int32, n)
	for q := 0; q < len(order); q++ {
		s := order[q]
		renum[s] = int32(q)
		for _, k := range kids[s] {
			order = append(order, k.from)
			depth[k.from] = depth[s] + 1
		}
	}
	// goto on the old numbering, for computing failure links.
	gotoOld := func(s int32, c uint8) int32 {
		for _, k := range kids[s] {
			if k.c == c {
				return k.from
			}
		}
		return -1
	}
	for _, s := range order {
		for _, k := range kids[s] {
			t := k.from
			if s == 0 {
				failOld[t] = 0
				continue
			}
			f := failOld[s]
			for {
				if g := gotoOld(f, k.c); g >= 0 {
					failOld[t] = g
					break
				}
				if f == 0 {
					failOld[t] = 0
					break
				}
				f = failOld[f]
			}
		}
	}
	a.fail = make([]int32, n)
	a.own = make([][]int32, n)
	a.dictLink = make([]int32, n)
	a.hasOut = make([]bool, n)
	a.dense = make([]int32, n)
	a.kidStart = make([]int32, n+1)
	for q, old := range order {
		a.fail[q] = renum[failOld[old]]
		a.own[q] = own[old]
	}
	// Dictionary links follow failure links to the nearest state with
	// patterns; failure targets are shallower, so BFS order suffices.
	a.dictLink[0] = -1
	for q := 1; q < n; q++ {
		f := a.fail[q]
		if len(a.own[f]) > 0 {
			a.dictLink[q] = f
		} else {
			a.dictLink[q] = a.dictLink[f]
		}
		a.hasOut[q] = len(a.own[q]) > 0 || a.dictLink[q] >= 0
	}
	nc := a.nclass
	for q, old := range order {
		a.kidStart[q] = int32(len(a.kidClass))
		a.dense[q] = -1
		if q == 0 || len(kids[old]) >= denseFanout || (depth[old] <= denseDepth && len(kids[old]) > 1) {
			a.dense[q] = int32(len(a.denseNext))
			for range nc {
				a.denseNext = append(a.denseNext, -1)
			}
			for _, k := range kids[old] {
				a.denseNext[int(a.dense[q])+int(k.c)] = renum[k.from]
			}
			if q == 0 {
				for c := 0; c < nc; c++ {
					if a.denseNext[c] < 0 {
						a.denseNext[c] = 0
					}
				}
			}
			continue
		}
		for _, k := range kids[old] {
			a.kidClass = append(a.kidClass, k.c)
			a.kidNext = append(a.kidNext, renum[k.from])
		}
	}
	a.kidStart[n] = int32(len(a.kidClass))
	// Complete the dense rows with the failure transitions, so that a dense
	// state (the root, its busy children, wide states: where most bytes are
	// read) moves in one lookup. BFS order: a failure target is shallower,
	// so its transitions are final when a deeper state copies them.
	for q := 1; q < n; q++ {
		d := a.dense[q]
		if d < 0 {
			continue
		}
		for c := 0; c < nc; c++ {
			if a.denseNext[int(d)+c] < 0 {
				a.denseNext[int(d)+c] = a.step(a.fail[q], uint8(c))
			}
		}
	}
	return a
}

// edge is a trie edge while building: from a state on a class (in kids,
// from holds the target instead).
type edge struct {
	from int32
	c    uint8
}

// step returns the state after reading class c in state s.
func (a *automaton) step(s int32, c uint8) int32 {
	for {
		if d := a.dense[s]; d >= 0 {
			if t := a.denseNext[int(d)+int(c)]; t >= 0 {
				return t // always, once newAutomaton has completed the rows
			}
		} else {
			for i := a.kidStart[s]; i < a.kidStart[s+1]; i++ {
				if a.kidClass[i] == c {
					return a.kidNext[i]
				}
			}
		}
		s = a.fail[s] // the root's row is complete, so this ends there
	}
}

// each calls fn for every occurrence of every pattern in text, in order of
// end offset.
func (a *automaton) each(text string, fn func(pat int, start, end int)) {
	cls := &a.classes
	s := int32(0)
	for i := 0; i < len(text); i++ {
		c := cls[text[i]]
		if s == 0 {
			// Fast path: most bytes of ordinary text leave the root
			// straight back to it or to a depth-one state.
			s = a.denseNext[c]
		} else {
			s = a.step(s, c)
		}
		if a.hasOut[s] {
			a.report(s, i+1, fn)
		}
	}
}

// report emits the patterns ending at end in state s and its dictionary
// suffixes.
func (a *automaton) report(s int32, end int, fn func(pat int, start, end int)) {
	for o := s; o >= 0; o = a.dictLink[o] {
		for _, p := range a.own[o] {
			fn(int(p), end-int(a.patLen[p]), end)
		}
	}
}
