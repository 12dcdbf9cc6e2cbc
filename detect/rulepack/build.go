package rulepack

import (
	"errors"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Building the automaton with word boundaries folded in.
//
// Most literals are Latin words that need a word boundary before them. A
// plain Aho-Corasick automaton over all literals follows every suffix of
// every word that starts some literal ("u" in "bus", "er" in "better"),
// only for MatchInto to throw those occurrences away. Instead the
// automaton works on the text with a virtual boundary symbol ⊢ after every
// non-word symbol and at the start (exactly the places where the boundary
// check passes), and a literal that needs a boundary before it starts with
// ⊢. Any other literal gets ⊢ after each of its inner non-word symbols, so
// that it still matches wherever it occurs. The ⊢ steps are folded into
// the rows: a state whose last symbol is not a word symbol already moves
// as its ⊢-successor would. So inside a word the automaton sits at a plain
// root (its row hot, no deep states), literals needing a boundary are
// entered only at word starts and never reported elsewhere, and the
// reports keep the single automaton's order.

// Classes 0 and 1 are the symbols no literal uses, split by whether they
// are word symbols (the boundary check's letters and digits): after one,
// every state goes to the boundary root or the plain root.
const (
	classNonWord = 0
	classWord    = 1
	firstClass   = 2
)

// newAutomaton builds the automaton for patterns (non-empty, distinct,
// valid UTF-8 as normalize.Fold returns them). The patterns marked in
// leftBound (nil: none) are reported only where a word boundary precedes
// them (as boundaryBefore decides).
func newAutomaton(patterns []string, leftBound []bool) (*automaton, error) {
	a := &automaton{}
	var runes []rune
	a.nclass = firstClass
	var wordClass []bool // by class
	wordClass = append(wordClass, false, true)
	for _, p := range patterns {
		if !utf8.ValidString(p) {
			return nil, errors.New("a literal is not valid UTF-8 after normalisation")
		}
		for _, r := range p {
			if r >= utf8.RuneSelf {
				runes = append(runes, r)
			} else if a.ascii[r] == 0 {
				a.ascii[r] = uint32(a.nclass)
				a.nclass++
				wordClass = append(wordClass, asciiWord(byte(r)))
			}
		}
	}
	for b := range utf8.RuneSelf {
		if a.ascii[b] == 0 && asciiWord(byte(b)) {
			a.ascii[b] = classWord
		}
	}
	a.narrow = uint32(a.nclass)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	// Blocks cover the pattern runes and at least the BMP, where most
	// text is, so that classOf seldom asks isWordRune.
	{
		top := rune(0xFFFF)
		if len(runes) > 0 {
			top = max(top, runes[len(runes)-1])
		}
		a.blocks = make([]runeBlock, top>>6+1)
		a.markWordRunes()
	}
	for _, r := range runes {
		b := &a.blocks[r>>6]
		if b.bits == 0 {
			b.base = uint32(a.nclass)
		}
		b.bits |= 1 << (r & 63)
		a.nclass++
		wordClass = append(wordClass, isWordRune(r))
	}
	// The symbol sequences, ⊢ (class bnd) included.
	bnd := uint32(a.nclass)
	seqs := make([][]uint32, len(patterns))
	for pi, p := range patterns {
		var seq []uint32
		if pi < len(leftBound) && leftBound[pi] {
			seq = append(seq, bnd)
		}
		for i := 0; i < len(p); {
			c, w := a.ascii[p[i]], 1
			if p[i] >= utf8.RuneSelf {
				c, w = a.runeClass(p[i:])
			}
			i += w
			seq = append(seq, c)
			if !wordClass[c] && i < len(p) {
				seq = append(seq, bnd)
			}
		}
		seqs[pi] = seq
	}
	t := buildTrie(seqs, bnd)
	if err := a.layout(t, patterns, wordClass, bnd); err != nil {
		return nil, err
	}
	return a, nil
}

// markWordRunes sets the blocks' word bitmaps: isWordRune's runes, letters
// and digits less the scripts written without spaces, from the Unicode
// tables, a block's worth of runes at a time where a range allows.
func (a *automaton) markWordRunes() {
	top := rune(len(a.blocks)<<6 - 1)
	mark := func(t *unicode.RangeTable, on bool) {
		each := func(lo, hi, stride rune) {
			lo, hi = max(lo, utf8.RuneSelf), min(hi, top) // ASCII has its own table
			for r := lo; r <= hi; {
				w := &a.blocks[r>>6].word
				var m uint64
				if stride == 1 {
					// The rest of the range within r's block.
					n := min(hi, r|63) - r + 1
					m = (1<<n - 1) << (r & 63)
					r += n
				} else {
					m = 1 << (r & 63)
					r += stride
				}
				if on {
					*w |= m
				} else {
					*w &^= m
				}
			}
		}
		for _, r := range t.R16 {
			lo := rune(r.Lo)
			if s := rune(r.Stride); lo < utf8.RuneSelf && s > 1 {
				lo += (utf8.RuneSelf - lo + s - 1) / s * s // stay on the stride
			}
			each(lo, rune(r.Hi), rune(r.Stride))
		}
		for _, r := range t.R32 {
			each(rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
	}
	mark(unicode.Letter, true)
	mark(unicode.Digit, true)
	for _, t := range []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai} {
		mark(t, false)
	}
}

// trie is the automaton under construction, numbered breadth-first. State
// 0 is the plain root and state 1 the boundary root ⊢.
type trie struct {
	kids   [][]edge // per state, sorted by class
	fail   []int32
	parent []int32
	last   []uint32 // the class that leads into the state
	rdepth []int32  // symbols other than ⊢ from the root
	own    [][]int32
}

// edge is a trie edge: class c leads to state to.
type edge struct {
	to int32
	c  uint32
}

func buildTrie(seqs [][]uint32, bnd uint32) *trie {
	// Build with map edges, then renumber breadth-first so the states near
	// the root (where most bytes are read) share cache lines. The boundary
	// root is created first, so that it is state 1.
	type key struct {
		from int32
		c    uint32
	}
	next := map[key]int32{{0, bnd}: 1}
	own := [][]int32{nil, nil}
	for pi, seq := range seqs {
		s := int32(0)
		for _, c := range seq {
			k := key{s, c}
			t, ok := next[k]
			if !ok {
				own = append(own, nil)
				t = int32(len(own) - 1)
				next[k] = t
			}
			s = t
		}
		own[s] = append(own[s], int32(pi))
	}
	n := len(own)
	kidsOld := make([][]edge, n)
	for k, t := range next {
		kidsOld[k.from] = append(kidsOld[k.from], edge{t, k.c})
	}
	for s := range kidsOld {
		slices.SortFunc(kidsOld[s], func(x, y edge) int { return int(x.c) - int(y.c) })
	}
	// Breadth-first from the root, the boundary root first after it.
	order := []int32{0, 1}
	renum := make([]int32, n)
	for q := 0; q < len(order); q++ {
		s := order[q]
		renum[s] = int32(q)
		for _, k := range kidsOld[s] {
			if k.to != 1 {
				order = append(order, k.to)
			}
		}
	}
	t := &trie{kids: make([][]edge, n), fail: make([]int32, n), parent: make([]int32, n), last: make([]uint32, n), rdepth: make([]int32, n), own: make([][]int32, n)}
	for q, old := range order {
		t.own[q] = own[old]
		for _, k := range kidsOld[old] {
			t.kids[q] = append(t.kids[q], edge{renum[k.to], k.c})
		}
	}
	// Failure links in breadth-first order: a failure target is shallower,
	// so its own link is final when a deeper state needs it.
	for q := range n {
		for _, k := range t.kids[q] {
			t.parent[k.to], t.last[k.to] = int32(q), k.c
			t.rdepth[k.to] = t.rdepth[q]
			if k.c != bnd {
				t.rdepth[k.to]++
			}
			if q > 0 {
				t.fail[k.to] = t.delta(t.fail[q], k.c)
			}
		}
	}
	return t
}

// delta is the complete transition: the trie edge, else the failure
// state's transition.
func (t *trie) delta(s int32, c uint32) int32 {
	for {
		for _, k := range t.kids[s] {
			if k.c == c {
				return k.to
			}
		}
		if s == 0 {
			return 0
		}
		s = t.fail[s]
	}
}

// gotoEdge is the trie edge from s on class c, or -1.
func (t *trie) gotoEdge(s int32, c uint32) int32 {
	for _, k := range t.kids[s] {
		if k.c == c {
			return k.to
		}
	}
	return -1
}

// layout writes the automaton over the real symbols into a.tab and the
// output lists. Its states are the trie's states that a real symbol leads
// into, and the two roots; a ⊢-state shares the table entry of its parent
// (the state that, having read a non-word symbol, moves as the ⊢-state
// does), and its parent's outputs.
func (a *automaton) layout(t *trie, patterns []string, wordClass []bool, bnd uint32) error {
	n := len(t.kids)
	isBnd := func(q int32) bool { return q > 0 && t.last[q] == bnd }
	pending := func(q int32) bool { return q > 1 && !isBnd(q) && !wordClass[t.last[q]] }
	// eff is the state whose moves a state makes: its ⊢-successor when
	// it has read a non-word symbol (-1 when there is none: then it moves
	// as delta(q, ⊢) does, with no edges of its own).
	eff := func(q int32) int32 {
		if pending(q) {
			return t.gotoEdge(q, bnd)
		}
		return q
	}
	// entry is the state whose table entry holds q's moves.
	entry := func(q int32) int32 {
		if q > 1 && isBnd(q) {
			return t.parent[q]
		}
		return q
	}
	// move is the complete transition of state q on a real class c.
	move := func(q int32, c uint32) int32 {
		if pending(q) {
			q = t.delta(q, bnd)
		}
		v := t.delta(q, c)
		if v == 0 && !wordClass[c] {
			v = 1 // after a non-word symbol: the boundary root
		}
		return v
	}
	// Dictionary links: nearest proper suffix state with own patterns.
	dict := make([]int32, n)
	dict[0] = -1
	for q := 1; q < n; q++ {
		f := t.fail[q]
		if len(t.own[f]) > 0 {
			dict[q] = f
		} else {
			dict[q] = dict[f]
		}
	}
	kind := make([]uint32, n) // 0, denseBit or denseBit|fullBit
	wide := make([]int, n)    // the first edge of eff's with a rune class
	off := make([]int32, n)   // -1: no entry of its own
	reports := make([]bool, n)
	size := 0
	for q := range int32(n) {
		off[q] = -1
		if q > 1 && isBnd(q) {
			continue
		}
		var k []edge
		if e := eff(q); e >= 0 {
			k = t.kids[e]
		}
		wide[q], _ = slices.BinarySearchFunc(k, a.narrow, func(e edge, c uint32) int { return int(e.c) - int(c) })
		switch nASCII := wide[q]; {
		case q <= 1 || len(k)-nASCII >= fullFanout:
			kind[q] = denseBit | fullBit
		case nASCII >= denseFanout || (t.rdepth[q] <= denseDepth && nASCII > 1):
			kind[q] = denseBit
		}
		reports[q] = len(t.own[q]) > 0 || dict[q] >= 0
		if reports[q] {
			size += 2
		}
		off[q] = int32(size)
		switch kind[q] {
		case denseBit | fullBit:
			size += a.nclass
		case denseBit:
			size += int(a.narrow) + 1 + 2*(len(k)-wide[q])
		default:
			size += 1 + 2*len(k)
		}
	}
	if size > offMask {
		return errTooLarge
	}
	ref := func(q int32) uint32 {
		q = entry(q)
		r := uint32(off[q]) | kind[q]
		if reports[q] {
			r |= outBit
		}
		return r
	}
	a.tab = make([]uint32, size)
	for q := range int32(n) {
		if off[q] < 0 {
			continue
		}
		o := int(off[q])
		if reports[q] {
			a.tab[o-2] = uint32(len(a.outs))
			for s := q; s >= 0; s = dict[s] {
				for _, p := range t.own[s] {
					a.outs = append(a.outs, output{len: int32(len(patterns[p]))})
					a.outPat = append(a.outPat, p)
				}
			}
			a.tab[o-1] = uint32(len(a.outs))
		}
		var sparse []edge
		var fail int32
		switch e := eff(q); {
		case e >= 0:
			sparse, fail = t.kids[e], t.fail[e]
			if e == 0 {
				sparse = nil // the root's edges are its full row
			}
		default:
			fail = t.delta(q, bnd)
		}
		switch kind[q] {
		case denseBit | fullBit:
			for c := range a.nclass {
				a.tab[o+c] = ref(move(q, uint32(c)))
			}
			continue
		case denseBit:
			for c := range int(a.narrow) {
				a.tab[o+c] = ref(move(q, uint32(c)))
			}
			o += int(a.narrow)
			sparse = sparse[wide[q]:]
		}
		a.tab[o] = uint32(len(sparse))<<countShift | ref(fail)
		for i, k := range sparse {
			a.tab[o+1+2*i] = k.c
			a.tab[o+2+2*i] = ref(k.to)
		}
	}
	a.start = ref(1)
	a.roots = [2]uint32{ref(1), ref(0)}
	for b := range utf8.RuneSelf {
		a.plain[b] = asciiWord(byte(b)) && a.tab[off[0]+int32(a.ascii[b])] == ref(0)
	}
	return nil
}
