package rulepack

import (
	"errors"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// automaton is an Aho-Corasick automaton that reports every occurrence of
// every pattern, overlapping ones included.
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
// goto edges stored sparsely plus failure links, with complete rows only for
// the root and the busy states near it.
//
// Scanning is a chain of dependent loads (state, then its edges, then the
// next state), so the cost is the number of states visited times the cache
// latency. Three things keep both low:
//   - The alphabet is runes, not bytes: an ASCII byte or a rune that some
//     pattern uses is one symbol (its class), any other rune is class 0.
//     A Han character is one transition instead of three (41% of the bench
//     corpus's bytes are multi-byte runes). Patterns are valid UTF-8, so
//     every occurrence starts and ends on a rune boundary of the text, and
//     an invalid byte, which no pattern contains, is class 0: the
//     occurrences are exactly the byte-level ones.
//   - The whole machine is one []uint32, breadth-first laid out; a state is
//     the offset of its words, its edges follow its header, and a reference
//     to a state carries its kind and "reports" flag, so reading a symbol
//     usually touches one cache line per state visited.
//   - A class-0 symbol sends every state to the root without a load.
//
// Measured on the bench corpus (round 3): the flat one-array layout alone,
// still byte-level, gave ~1.6× on enumeration; runes instead of bytes
// (with the class-0 shortcut and the output range next to the state) added
// ~10% in isolation once the common three-byte decode was inlined, and
// 10-15% with a cache polluter standing in for the rest of the pipeline.
// Tried without gain: depth-first layout of the deep states, and rows for
// every state within three symbols of the root (equal in the pipeline, 60%
// more table).
type automaton struct {
	ascii  [256]uint32 // ASCII byte -> class (0: no pattern uses it)
	blocks []runeBlock // rune>>6 -> its pattern runes
	narrow uint32      // classes below narrow are 0 and the ASCII classes
	nclass int
	// tab holds every state at its offset, preceded when it reports by
	// the start and end of its outputs in outs (at offset-2 and -1), so
	// that reporting touches the state's cache line. Three kinds:
	//   full: a state reference per class (the root, and states with
	//     fullFanout rune edges or more);
	//   dense: a state reference per class below narrow, then a sparse
	//     part for its rune edges;
	//   sparse: a header word (edge count << countShift | failure state
	//     reference), then its edges as (class, state reference) word
	//     pairs, sorted by class.
	tab []uint32
	// outs holds, per reporting state, its own patterns and then those of
	// its dictionary suffixes (the order the classic dictionary-link walk
	// reports them in).
	outs   []output
	outPat []int32 // the pattern of each output
}

// runeBlock is the pattern runes among 64 consecutive code points: a rune's
// class is base plus the number of pattern runes below it in the block
// (classes of non-ASCII runes are numbered in rune order).
type runeBlock struct {
	bits uint64
	base uint32
}

// output is one pattern a state reports, with its length in bytes (so that
// the occurrence's start needs no further lookup), the word boundaries that
// all of its variants need and its variants' range in matcher.vars (set by
// the compiler; MatchInto checks need before loading the variants, and a
// pattern with one variant needs no other check).
// The pattern index itself is in outPat, off the scan's path (12 bytes an
// output instead of 16).
type output struct {
	len  int32
	v0   int32 // first variant in matcher.vars
	nv   uint8 // number of variants
	need uint8 // needLeft | needRight
}

const (
	needLeft = 1 << iota
	needRight
)

// bytes returns the pattern's length in bytes.
func (o output) bytes() int { return int(o.len) }

// State references and header words.
const (
	outBit     = 1 << 31 // the state reports patterns
	denseBit   = 1 << 30 // the state starts with a row (dense or full)
	fullBit    = 1 << 29 // the row covers every class
	countShift = 21      // header: edge count in bits 21..28
	offMask    = 1<<countShift - 1
	refMask    = outBit | denseBit | fullBit | offMask
)

// Kinds: a state is full when it has fullFanout rune edges or more; dense
// when it has denseFanout ASCII edges or more, or more than one within
// denseDepth symbols of the root (where most bytes of ordinary text are
// read); sparse otherwise. fullFanout stays below 256 so that an edge
// count fits its header field.
const (
	denseFanout = 8
	denseDepth  = 2
	fullFanout  = 16
)

// errTooLarge is returned for a pattern set whose automaton does not fit
// the 21-bit state offsets (hundreds of thousands of literals).
var errTooLarge = errors.New("the pack's literals are too many for one automaton (over 2M table words); split the pack")

// newAutomaton builds the automaton for patterns (non-empty, distinct,
// valid UTF-8 as normalize.Fold returns them).
func newAutomaton(patterns []string) (*automaton, error) {
	a := &automaton{}
	var runes []rune
	for _, p := range patterns {
		if !utf8.ValidString(p) {
			return nil, errors.New("a literal is not valid UTF-8 after normalisation")
		}
		for _, r := range p {
			if r >= utf8.RuneSelf {
				runes = append(runes, r)
			} else if a.ascii[r] == 0 {
				a.nclass++
				a.ascii[r] = uint32(a.nclass)
			}
		}
	}
	a.nclass++ // class 0
	a.narrow = uint32(a.nclass)
	slices.Sort(runes)
	runes = slices.Compact(runes)
	if len(runes) > 0 {
		a.blocks = make([]runeBlock, runes[len(runes)-1]>>6+1)
	}
	for _, r := range runes {
		b := &a.blocks[r>>6]
		if b.bits == 0 {
			b.base = uint32(a.nclass)
		}
		b.bits |= 1 << (r & 63)
		a.nclass++
	}
	t := a.buildTrie(patterns)
	if err := a.layout(t, patterns); err != nil {
		return nil, err
	}
	return a, nil
}

// runeClass returns the class and width of the rune text starts with (a
// non-ASCII byte); an invalid byte is class 0, width 1.
func (a *automaton) runeClass(text string) (uint32, int) {
	var r rune
	var w int
	// Three-byte runes (Han, kana, most symbols) decoded inline; the
	// checks are utf8's: no overlong forms, no surrogates.
	if b := text[0]; b&0xF0 == 0xE0 && len(text) >= 3 {
		lo, hi := byte(0x80), byte(0xBF)
		switch b {
		case 0xE0:
			lo = 0xA0
		case 0xED:
			hi = 0x9F
		}
		if b1, b2 := text[1], text[2]; b1 >= lo && b1 <= hi && b2&0xC0 == 0x80 {
			r, w = rune(b&0x0F)<<12|rune(b1&0x3F)<<6|rune(b2&0x3F), 3
		} else {
			r, w = utf8.DecodeRuneInString(text)
		}
	} else {
		r, w = utf8.DecodeRuneInString(text)
	}
	if k := int(r >> 6); w > 1 && k < len(a.blocks) {
		b := a.blocks[k]
		bit := uint64(1) << (r & 63)
		if b.bits&bit != 0 {
			return b.base + uint32(bits.OnesCount64(b.bits&(bit-1))), w
		}
	}
	return 0, w
}

// trie is the automaton under construction, numbered breadth-first.
type trie struct {
	kids  [][]edge // per state, sorted by class
	fail  []int32
	depth []int32
	own   [][]int32
}

// edge is a trie edge: class c leads to state to.
type edge struct {
	to int32
	c  uint32
}

func (a *automaton) buildTrie(patterns []string) *trie {
	// Build with map edges, then renumber breadth-first so the states near
	// the root (where most bytes are read) share cache lines.
	type key struct {
		from int32
		c    uint32
	}
	next := map[key]int32{}
	own := [][]int32{nil}
	for pi, p := range patterns {
		s := int32(0)
		for i := 0; i < len(p); {
			c, w := a.ascii[p[i]], 1
			if p[i] >= utf8.RuneSelf {
				c, w = a.runeClass(p[i:])
			}
			i += w
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
	order := []int32{0}
	renum := make([]int32, n)
	for q := 0; q < len(order); q++ {
		s := order[q]
		renum[s] = int32(q)
		slices.SortFunc(kidsOld[s], func(x, y edge) int { return int(x.c) - int(y.c) })
		for _, k := range kidsOld[s] {
			order = append(order, k.to)
		}
	}
	t := &trie{kids: make([][]edge, n), fail: make([]int32, n), depth: make([]int32, n), own: make([][]int32, n)}
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
			t.depth[k.to] = t.depth[q] + 1
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

// layout writes the trie into a.tab and the output lists.
func (a *automaton) layout(t *trie, patterns []string) error {
	n := len(t.kids)
	// Dictionary links: nearest proper suffix state with own patterns.
	dict := make([]int32, n)
	dict[0] = -1
	reports := make([]bool, n)
	for q := 1; q < n; q++ {
		f := t.fail[q]
		if len(t.own[f]) > 0 {
			dict[q] = f
		} else {
			dict[q] = dict[f]
		}
		reports[q] = len(t.own[q]) > 0 || dict[q] >= 0
	}
	kind := make([]uint32, n) // 0, denseBit or denseBit|fullBit
	wide := make([]int, n)    // the first edge with a rune class
	off := make([]uint32, n)
	size := 0
	for q := range n {
		k := t.kids[q]
		wide[q], _ = slices.BinarySearchFunc(k, a.narrow, func(e edge, c uint32) int { return int(e.c) - int(c) })
		switch nASCII := wide[q]; {
		case q == 0 || len(k)-nASCII >= fullFanout:
			kind[q] = denseBit | fullBit
		case nASCII >= denseFanout || (t.depth[q] <= denseDepth && nASCII > 1):
			kind[q] = denseBit
		}
		if reports[q] {
			size += 2
		}
		off[q] = uint32(size)
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
		r := off[q] | kind[q]
		if reports[q] {
			r |= outBit
		}
		return r
	}
	a.tab = make([]uint32, size)
	for q := range n {
		o := int(off[q])
		if reports[q] {
			a.tab[o-2] = uint32(len(a.outs))
			for s := int32(q); s >= 0; s = dict[s] {
				for _, p := range t.own[s] {
					a.outs = append(a.outs, output{len: int32(len(patterns[p]))})
					a.outPat = append(a.outPat, p)
				}
			}
			a.tab[o-1] = uint32(len(a.outs))
		}
		sparse := t.kids[q]
		switch kind[q] {
		case denseBit | fullBit:
			for c := range a.nclass {
				a.tab[o+c] = ref(t.delta(int32(q), uint32(c)))
			}
			continue
		case denseBit:
			for c := range int(a.narrow) {
				a.tab[o+c] = ref(t.delta(int32(q), uint32(c)))
			}
			o += int(a.narrow)
			sparse = sparse[wide[q]:]
		}
		a.tab[o] = uint32(len(sparse))<<countShift | ref(t.fail[q])
		for i, k := range sparse {
			a.tab[o+1+2*i] = k.c
			a.tab[o+2+2*i] = ref(k.to)
		}
	}
	return nil
}

// scan reads text from byte i in state s (a state reference; root() to
// start) until it enters a state that reports. It returns the offset just
// past the symbol that did so and that state, or -1 at the end of text.
func (a *automaton) scan(text string, i int, s uint32) (int, uint32) {
	tab, narrow := a.tab, a.narrow
	for i < len(text) {
		var c uint32
		if b := text[i]; b < utf8.RuneSelf {
			c = a.ascii[b]
			i++
		} else {
			var w int
			c, w = a.runeClass(text[i:])
			i += w
		}
		if c == 0 {
			// No pattern has this symbol: every state goes to the root
			// (which reports nothing), with no load at all.
			s = rootRef
			continue
		}
		for {
			o := s & offMask
			if s&denseBit != 0 {
				if c < narrow || s&fullBit != 0 {
					// One dependent load per symbol in the states
					// where most symbols are read.
					s = tab[o+c]
					break
				}
				o += narrow // the rune edges
			}
			h := tab[o]
			j, end := o+1, o+1+2*(h>>countShift&0xFF)
			for j < end && tab[j] != c {
				j += 2
			}
			if j < end {
				s = tab[j+1]
				break
			}
			s = h & refMask // the root's row is full, so this ends there
		}
		if s&outBit != 0 {
			return i, s
		}
	}
	return -1, 0
}

// root is the reference of the start state (offset 0, full row).
func (a *automaton) root() uint32 { return rootRef }

const rootRef = denseBit | fullBit

// outputs returns the patterns a reporting state s (from scan) reports.
func (a *automaton) outputs(s uint32) []output {
	o := s & offMask
	return a.outs[a.tab[o-2]:a.tab[o-1]]
}

// each calls fn for every occurrence of every pattern in text, in order of
// end offset (the tests and benchmarks use it; MatchInto inlines the loop).
func (a *automaton) each(text string, fn func(pat int, start, end int)) {
	for i, s := 0, a.root(); ; {
		if i, s = a.scan(text, i, s); i < 0 {
			return
		}
		o := s & offMask
		for k := a.tab[o-2]; k < a.tab[o-1]; k++ {
			fn(int(a.outPat[k]), i-a.outs[k].bytes(), i)
		}
	}
}
