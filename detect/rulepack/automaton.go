package rulepack

import (
	"errors"
	"math/bits"
	"unicode/utf8"
)

// automaton is an Aho-Corasick automaton that reports every occurrence of
// every pattern, overlapping ones included, except occurrences of patterns
// built as needing a word boundary before them where there is none (see
// build.go: the boundary is folded into the states).
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
//     pattern uses is one symbol (its class), any other rune is class 0
//     or 1 (not a word rune, or a word rune).
//     A Han character is one transition instead of three (41% of the bench
//     corpus's bytes are multi-byte runes). Patterns are valid UTF-8, so
//     every occurrence starts and ends on a rune boundary of the text, and
//     an invalid byte, which no pattern contains, is class 0: the
//     occurrences are exactly the byte-level ones (less the boundary
//     rule's).
//   - The whole machine is one []uint32, breadth-first laid out; a state is
//     the offset of its words, its edges follow its header, and a reference
//     to a state carries its kind and "reports" flag, so reading a symbol
//     usually touches one cache line per state visited.
//   - A class-0 or class-1 symbol sends every state to a root without a
//     load, and inside a Latin word the plain root reads the rest of the
//     word without touching the table.
//
// Measured on the bench corpus (round 3): the flat one-array layout alone,
// still byte-level, gave ~1.6× on enumeration; runes instead of bytes
// (with the class-0 shortcut and the output range next to the state) added
// ~10% in isolation once the common three-byte decode was inlined, and
// 10-15% with a cache polluter standing in for the rest of the pipeline.
// Tried without gain: depth-first layout of the deep states, and rows for
// every state within three symbols of the root (equal in the pipeline, 60%
// more table). Round 5 (build.go) folded word boundaries into the states:
// ~100 -> ~91 state loads and ~24 -> ~14 failure hops per post, ~3 -> ~0.9
// occurrences per post thrown away by boundary checks; MatchInto ~14% less
// CPU alone (bench corpus and dev set), the engine 4-10% more posts per
// CPU second. Tried without gain in round 5: a
// separate start-anchored trie walked from word starts (a second pass
// over Latin words, re-decoding, and a sort to merge: 1.2-1.5x slower);
// two interleaved scans over the two halves of a post (state-dependent
// branch misses serialise them: slower); the scan loop inlined into
// MatchInto (register pressure: slower); rows within three symbols (+12%
// table, no clear gain).
type automaton struct {
	ascii  [256]uint32 // ASCII byte -> class (0, 1: no pattern uses it)
	blocks []runeBlock // rune>>6 -> its pattern runes (and word runes)
	narrow uint32      // classes below narrow are 0, 1 and the ASCII classes
	nclass int
	// tab holds every state at its offset, preceded when it reports by
	// the start and end of its outputs in outs (at offset-2 and -1), so
	// that reporting touches the state's cache line. Three kinds:
	//   full: a state reference per class (the two roots, and states
	//     with fullFanout rune edges or more);
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
	// start is the state at the start of a text (the boundary root);
	// roots[c] the state after a symbol of class c < firstClass.
	start uint32
	roots [2]uint32
	// plain marks the ASCII bytes that keep the plain root where it is:
	// letters and digits no literal without a boundary before it starts
	// with. Inside a Latin word the automaton is at the plain root and
	// reads them with no table load (see scan).
	plain [256]bool
}

// runeBlock is the pattern runes among 64 consecutive code points: a rune's
// class is base plus the number of pattern runes below it in the block
// (classes of non-ASCII runes are numbered in rune order).
// word marks the block's runes that are word runes (isWordRune), for the
// runes no pattern uses.
type runeBlock struct {
	bits uint64
	word uint64
	base uint32
}

// output is one pattern a state reports, with its length in bytes (so that
// the occurrence's start needs no further lookup), the word boundaries that
// all of its variants need and its variants (set by the compiler; MatchInto
// checks need before loading the variants, and a pattern with one variant
// needs no other check). A pattern with one variant (nearly all) carries
// that variant's groups, so that recording an occurrence does not load the
// variant: v0 is then the first group in matcher.vgroups and ng their
// number. The pattern index itself is in outPat, off the scan's path (12
// bytes an output instead of 16).
type output struct {
	len  int32
	v0   int32  // nv > 1: first variant in matcher.vars; nv == 1: first group in matcher.vgroups
	ng   uint16 // nv == 1: number of groups
	nv   uint8  // number of variants
	need uint8  // needLeft | needRight
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

// runeClass returns the class and width of the rune text starts with (a
// non-ASCII byte); an invalid byte is class 0, width 1.
func (a *automaton) runeClass(text string) (uint32, int) {
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
			return a.classOf(rune(b&0x0F)<<12 | rune(b1&0x3F)<<6 | rune(b2&0x3F)), 3
		}
	}
	r, w := utf8.DecodeRuneInString(text)
	if w == 1 {
		return classNonWord, 1 // an invalid byte (no ASCII reaches here)
	}
	return a.classOf(r), w
}

// classOf is the class of a valid non-ASCII rune. It has no branch on
// whether the rune is a pattern rune: in Chinese text about a quarter of
// the runes are not, in no predictable order.
func (a *automaton) classOf(r rune) uint32 {
	k := int(r >> 6)
	if k >= len(a.blocks) {
		return farClass(r)
	}
	b := &a.blocks[k]
	sh := uint(r & 63)
	in := uint32(b.bits>>sh) & 1
	word := uint32(b.word>>sh) & 1
	return in*(b.base+uint32(bits.OnesCount64(b.bits&(1<<sh-1)))) | (1-in)*word
}

// farClass is the class of a rune beyond the blocks (no pattern uses it).
func farClass(r rune) uint32 {
	if isWordRune(r) {
		return classWord
	}
	return classNonWord
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
		} else if b >= 0xE1 && b != 0xED && b <= 0xEF && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			// A three-byte rune (Han, kana, most symbols) whose
			// lead byte allows any continuation bytes: runeClass's
			// decode, without the call.
			// The blocks cover the BMP, so r has one; classOf's
			// lookup, written out (too large to be inlined).
			r := rune(b&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			blk := &a.blocks[r>>6]
			sh := uint(r & 63)
			in := uint32(blk.bits>>sh) & 1
			c = in*(blk.base+uint32(bits.OnesCount64(blk.bits&(1<<sh-1)))) | (1-in)*(uint32(blk.word>>sh)&1)
			i += 3
		} else {
			var w int
			c, w = a.runeClass(text[i:])
			i += w
		}
		if c < firstClass {
			// No pattern has this symbol: every state goes to a root
			// (which reports nothing), with no load at all.
			if s = a.roots[c]; c == classWord {
				i = a.skipPlain(text, i)
			}
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
			s = h & refMask // the roots' rows are full, so this ends there
		}
		if s&outBit != 0 {
			return i, s
		}
		if s == a.roots[classWord] {
			i = a.skipPlain(text, i)
		}
	}
	return -1, 0
}

// skipPlain returns the offset of the first byte from i on that is not
// plain: at the plain root, the rest of a Latin word costs a byte load and
// a table lookup a byte, off the chain of dependent state loads.
func (a *automaton) skipPlain(text string, i int) int {
	for i < len(text) && a.plain[text[i]] {
		i++
	}
	return i
}

// root is the reference of the start state.
func (a *automaton) root() uint32 { return a.start }

// outputs returns the patterns a reporting state s (from scan) reports.
func (a *automaton) outputs(s uint32) []output {
	o := s & offMask
	return a.outs[a.tab[o-2]:a.tab[o-1]]
}

// each calls fn for every occurrence the automaton reports in text (all of
// them, less those of left-bound patterns without a boundary before them),
// in order of end offset and, at one end, longest first (the tests and
// benchmarks use it; MatchInto inlines the loop).
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
