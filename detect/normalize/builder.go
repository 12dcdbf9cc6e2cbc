package normalize

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// item is one rune of a view under construction with the original byte
// span [a,b) it came from.
type item struct {
	r   rune
	a   int32
	b   int32
	own Transform // transforms that changed this rune
	gap Transform // transforms that removed characters just before it
}

// dropMark marks an item removed by the spacing pass; it never leaves the
// package.
const dropMark Transform = 1 << 15

// Builder builds views with reusable buffers, for hot paths that normalise
// many posts. A Builder is not safe for concurrent use. Views returned by its
// methods are owned by the Builder and valid until its next call; use
// View.Clone to keep one.
type Builder struct {
	items []item
	fin   []item
	seg   []byte
	buf   []byte
	iter  norm.Iter
	// lead and tail collect transforms of characters removed before the first
	// and after the last kept rune; they show only in Applied.
	lead, tail Transform
	sawForeign bool
	// slow is set when a character went through the normaliser; only then
	// can a view fail to be a fixed point.
	slow bool
	// invalid is set when invalid UTF-8 was replaced (a change no
	// Transform bit records).
	invalid bool
	// viaDirect is set when the last build took the one-pass path, so its
	// view holds only characters that path knows.
	viaDirect bool
	// dw is direct's state, kept so that its buffers are reused; after a
	// direct build it still holds what lowerDirect and Views need (folds,
	// leet).
	dw          dwriter
	origLen     int
	main, cased View
	leet        View
	leetPos     []int
	// latinEnds is latinViews' bitmap of one-character word ends.
	latinEnds []uint64
	// lowerMarks holds the main view's marks when lowerDirect adds case
	// folding (otherwise main shares cased's maps).
	lowerMarks []mark
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{} }

// Reset releases the Builder's buffers so a long-lived Builder that saw one
// huge post does not keep its memory.
func (b *Builder) Reset() { *b = Builder{} }

// prepare runs the stages shared by every view: NFKC, invisible removal,
// dash folding, spacing collapse and confusable folding.
func (b *Builder) prepare(s string) {
	b.decompose(s)
	b.collapse()
	if b.sawForeign {
		b.foldConfusables()
	}
}

// decompose turns s into items: NFKC per normalisation segment (so composed
// and expanded characters map to the whole original segment), with
// invisible characters dropped and unusual dashes folded.
func (b *Builder) decompose(s string) {
	b.items = b.items[:0]
	b.lead, b.tail = 0, 0
	b.sawForeign, b.slow, b.invalid = false, false, false
	b.origLen = len(s)
	var gap Transform
	if utf8.ValidString(s) {
		gap = b.decomposeValid(s, 0, gap)
	} else {
		// Invalid bytes become U+FFFD and cut the text into valid chunks, so
		// the normaliser never sees (and never passes through) broken UTF-8.
		base := 0
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				gap = b.decomposeValid(s[base:i], base, gap)
				b.slow, b.invalid = true, true
				b.items = append(b.items, item{r: utf8.RuneError, a: int32(i), b: int32(i + 1), gap: gap})
				gap = 0
				i++
				base = i
				continue
			}
			i += n
		}
		gap = b.decomposeValid(s[base:], base, gap)
	}
	b.tail = gap
}

// decomposeValid appends the items of valid UTF-8 text s found at byte
// offset base of the original and returns the pending gap.
//
// Fast path: ASCII, Latin-1 letters, CJK ideographs and punctuation, Hangul
// syllables and full-width ASCII are handled without the normaliser when
// the next character is of the same kind, because none of them composes
// with a neighbour of that kind. Everything else goes through NFKC one
// normalisation segment at a time.
func (b *Builder) decomposeValid(s string, base int, gap Transform) Transform {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if i+1 == len(s) || s[i+1] < utf8.RuneSelf || stableNext(s[i+1:]) {
				// Runs of ASCII go straight in: grow once, then store by index.
				j := i + 1
				for j+1 < len(s) && s[j] < utf8.RuneSelf && s[j+1] < utf8.RuneSelf {
					j++
				}
				k := len(b.items)
				items := grow(b.items, k+j-i)
				for ; i < j; i++ {
					items[k] = item{r: rune(s[i]), a: int32(base + i), b: int32(base + i + 1), gap: gap}
					gap = 0
					k++
				}
				b.items = items
				continue
			}
		} else {
			r, n := utf8.DecodeRuneInString(s[i:])
			if f, own := stableRune(r); f != 0 && (i+n == len(s) || s[i+n] < utf8.RuneSelf || stableNext(s[i+n:])) {
				gap = b.emit(f, base+i, base+i+n, own, gap)
				i += n
				continue
			}
		}
		b.slow = true
		j := i + norm.NFKC.NextBoundaryInString(s[i:], true)
		if j <= i {
			_, n := utf8.DecodeRuneInString(s[i:])
			j = i + n
		}
		seg := s[i:j]
		// An Iter kept in the Builder normalises without allocating.
		b.seg = b.seg[:0]
		b.iter.InitString(norm.NFKC, seg)
		for !b.iter.Done() {
			b.seg = append(b.seg, b.iter.Next()...)
		}
		if string(b.seg) == seg {
			for k := 0; k < len(seg); {
				r, n := utf8.DecodeRuneInString(seg[k:])
				gap = b.emit(r, base+i+k, base+i+k+n, 0, gap)
				k += n
			}
		} else {
			for k := 0; k < len(b.seg); {
				r, n := utf8.DecodeRune(b.seg[k:])
				k += n
				gap = b.emit(r, base+i, base+j, NFKC, gap)
			}
		}
		i = j
	}
	return gap
}

// fastRune returns the NFKC form of r when r is a character the fast path
// handles on its own (0 otherwise) and the transforms that changed it. Every
// such character is NFKC-stable (or maps to one ASCII character) and never
// combines with what precedes it; TestFastRunesAreStable checks this
// against the normaliser for every code point.
func fastRune(r rune) (rune, Transform) {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xC0 && r <= 0xFF, r >= 0xAC00 && r <= 0xD7A3,
		r >= 0x3001 && r <= 0x3002, r >= 0x300A && r <= 0x3011,
		r >= 0x2018 && r <= 0x2019, r >= 0x201C && r <= 0x201D,
		r >= 0xA1 && r <= 0xA7, r == 0xA9, r == 0xAB, r == 0xAC, r == 0xAE, r == 0xB0, r == 0xB1,
		r == 0xB6, r == 0xB7, r == 0xBB, r == 0xBF, // Latin-1 punctuation (¿ ¡ « » °)
		r >= 0x2190 && r <= 0x21FF,                             // arrows
		r >= 0x2600 && r <= 0x2767, r >= 0x2794 && r <= 0x27BF, // symbols, dingbats (❄ ⚡)
		r >= 0x1F300 && r <= 0x1F64F, r >= 0x1F680 && r <= 0x1F6FF, r >= 0x1F900 && r <= 0x1F9FF,
		r >= 0x1FA70 && r <= 0x1FAFF: // emoji
		return r, 0
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0, NFKC
	case r == 0x3000: // ideographic space
		return ' ', NFKC
	case r == 0x2010 || (r >= 0x2012 && r <= 0x2015) || r == 0x2212:
		return '-', Dash
	case r == 0x2011: // NFKC maps the non-breaking hyphen to U+2010
		return '-', NFKC | Dash
	}
	return 0, 0
}

// stableRune extends fastRune for the general pipeline with characters that
// are NFKC-stable and never combine with what precedes them: invisible
// characters (dropped later) and the basic Cyrillic and Greek letters.
func stableRune(r rune) (rune, Transform) {
	if f, own := fastRune(r); f != 0 {
		return f, own
	}
	switch {
	case r >= 0x400 && r <= 0x45F, r >= 0x391 && r <= 0x3A9, r >= 0x3B1 && r <= 0x3C9, quickInvisible(r):
		return r, 0
	}
	return 0, 0
}

// quickInvisible reports the invisible characters evasion uses most (zero
// width space/joiners, directional marks, soft hyphen, word joiner and
// invisible operators, BOM, variation selectors, tag characters). All are
// NFKC-stable and start a normalisation segment, so the fast paths may drop
// them without the normaliser.
func quickInvisible(r rune) bool {
	return (r >= 0x200B && r <= 0x200F) || (r >= 0x2060 && r <= 0x2064) || r == 0xAD || r == 0xFEFF ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0xE0020 && r <= 0xE007F)
}

// stableNext reports whether s (non-empty, starting with a non-ASCII byte)
// begins with a character stableRune accepts, which never combines with
// what precedes it.
func stableNext(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	f, _ := stableRune(r)
	return f != 0
}

// emit appends one NFKC rune, or folds it into the pending gap if it is
// invisible. It returns the new pending gap.
func (b *Builder) emit(r rune, a, e int, own, gap Transform) Transform {
	if r >= utf8.RuneSelf {
		switch {
		case invisible(r):
			if len(b.items) == 0 {
				b.lead |= own | Invisible
				return 0
			}
			return gap | own | Invisible
		case isDash(r):
			r = '-'
			own |= Dash
		case !b.sawForeign && foreign(r):
			b.sawForeign = true
		}
	}
	b.items = append(b.items, item{r: r, a: int32(a), b: int32(e), own: own, gap: gap})
	return 0
}
