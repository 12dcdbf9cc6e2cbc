package normalize

import (
	"encoding/binary"
	"math/bits"
)

// Whole-post fast path for Latin text. About half of all posts (English,
// Spanish) hold nothing but ASCII and Latin-1 letters and punctuation. For
// such a post direct changes nothing in the cased view (it is the original
// text, one identity run, no marks) and only case in the main view, unless
// a spacing run may start. latinViews checks that in one pass, eight ASCII
// bytes at a time, and writes the lower-case text on the way, so Views
// needs neither direct's per-character state nor lowerDirect's second pass.
// The pass keeps its branches few: the ends of one-character words (the
// only place a spacing run can start) go into a bitmap that a second, short
// loop checks against direct's trigger, and the main view's case-fold marks
// are left implicit (View.caseOf) instead of being listed.

// latin1Punct marks the second bytes of the Latin-1 punctuation (after the
// lead byte 0xC2) that fastRune passes on unchanged: ¡..§ © « ¬ ® ° ± ¶ · » ¿.
var latin1Punct = func() (t [64]bool) {
	for _, r := range []rune{0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA9, 0xAB, 0xAC, 0xAE, 0xB0, 0xB1, 0xB6, 0xB7, 0xBB, 0xBF} {
		t[r-0x80] = true
	}
	return t
}()

// latinResult says what latinViews did with a post.
type latinResult uint8

const (
	latinBuilt  latinResult = iota // the views are built
	latinOther                     // a character it does not take, or invalid UTF-8: nothing built
	latinSpaced                    // Latin text with a spacing run: direct hands it over too
)

// latinViews builds b.cased and b.main for a post of ASCII and Latin-1
// letters and punctuation. The views are exactly those direct and
// lowerDirect make (the tests compare them); leet is direct's leet
// pre-check, leetCandidate of the main text.
func (b *Builder) latinViews(s string) (leet bool, res latinResult) {
	n := len(s)
	buf := grow(b.buf, n)
	// ends has bit e set when a one-character word ends at byte e (e == n:
	// at the end of the text).
	ends := grow(b.latinEnds, n/64+2)
	clear(ends)
	// Kept even when the text is handed over; stored only when grown, since
	// a pointer store costs a write barrier while the collector runs.
	if cap(buf) != cap(b.buf) {
		b.buf = buf
	}
	if cap(ends) != cap(b.latinEnds) {
		b.latinEnds = ends
	}
	// prev: bit 1, the last character is a letter or digit; bit 0, so is
	// the one before it, in the same word.
	var prev uint16
	// lat is 1 when the last character is a Latin letter; maybeLeet
	// collects the lanes holding a digit, '@' or '$' right after one
	// (leetCandidate settles the rare post that has one); folded collects
	// the upper-case letters.
	var lat, maybeLeet, folded uint64
	for i := 0; i < n; {
		if i+8 <= n {
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			// k ASCII lanes: all eight, or those before the first
			// non-ASCII byte (Spanish text has one every few words), where
			// the arithmetic is exact; the byte loop takes the character
			// after them. The usual whole block keeps k and the step
			// constant, off the loop's chain of dependent operations.
			k, valid := 8, ^uint64(0)
			if h := x & lanesHigh; h != 0 {
				k = bits.TrailingZeros64(h) >> 3
				valid = ^uint64(0) >> (64 - 8*k) // 0 when k == 0
			}
			if k > 0 {
				// Letters are the lanes in 'a'..'z' once bit 5 is set (no other
				// byte gets there); upper case ones had bit 5 clear.
				y := x | 0x20*lanesOne
				letter := atLeast(y, 'a') &^ atLeast(y, 'z'+1) & valid
				upper := letter &^ (x << 2)
				digit := atLeast(x, '0') &^ atLeast(x, '9'+1) & valid
				// Bytes past lane k are rewritten when their turn comes.
				binary.LittleEndian.PutUint64(buf[i:], x|upper>>2) // 'A'..'Z' + 0x20
				folded |= upper
				maybeLeet |= (letter<<8 | lat<<7) & (digit | equal(x, '@') | equal(x, '$')) & valid
				// h: the lanes from bit 2 up, prev below them. A lane ends a
				// one-character word when it is no letter or digit, after one
				// that follows none.
				alnum := packHigh(letter | digit)
				h := uint16(alnum)<<2 | prev
				single := uint64(uint8((h>>1)&^(h>>2)&^h) &^ alnum)
				if k == 8 {
					lat = letter >> 63
					prev = h>>8&(h>>9)&1 | h>>8&2 // lanes 6 and 7 (6 only with 7)
				} else {
					single &= 1<<k - 1
					lat = letter >> (8*k - 1) & 1
					in := h >> (k + 1) & 1
					prev = in<<1 | h>>k&in
				}
				if single != 0 { // a few per post
					ends[i>>6] |= single << (i & 63)
					ends[i>>6+1] |= single >> (64 - i&63)
				}
				i += k
				continue
			}
		}
		c := s[i]
		if c < 0x80 {
			cl := asciiClass[c]
			if cl&clsAlnum != 0 {
				prev = prev>>1&1 | 2
			} else {
				if prev == 2 {
					ends[i>>6] |= 1 << (i & 63)
				}
				prev = 0
			}
			if cl&clsUpper != 0 {
				c += 'a' - 'A'
				folded = 1
			}
			buf[i] = c
			if lat != 0 && leetByte[c] {
				maybeLeet = 1
			}
			lat = uint64(cl & clsLetter)
			i++
			continue
		}
		if i+1 >= n || s[i+1]&0xC0 != 0x80 {
			return false, latinOther
		}
		c1 := s[i+1]
		switch {
		case c == 0xC3 && c1 != 0x97 && c1 != 0xB7: // U+00C0..U+00FF letters (not × ÷)
			prev = prev>>1&1 | 2
			lat = 1
			if c1 <= 0x9E { // upper case U+00C0..U+00DE
				c1 += 0x20
				folded = 1
			}
		case c == 0xC3 || c == 0xC2 && latin1Punct[c1-0x80]:
			if prev == 2 {
				ends[i>>6] |= 1 << (i & 63)
			}
			prev, lat = 0, 0
		default:
			return false, latinOther
		}
		buf[i], buf[i+1] = c, c1
		i += 2
	}
	if prev == 2 {
		ends[n>>6] |= 1 << (n & 63)
	}
	if !b.latinChains(s, ends) {
		return false, latinSpaced
	}
	cased, main := &b.cased, &b.main
	cased.pieces = cased.pieces[:0]
	if n > 0 {
		cased.pieces = append(cased.pieces, piece{})
	}
	cased.Text, cased.marks, cased.caseOf = s, cased.marks[:0], ""
	cased.start, cased.end, cased.tr = cased.start[:0], cased.end[:0], cased.tr[:0]
	cased.compact, cased.origLen, cased.applied = true, n, 0
	main.Text, main.marks, main.applied, main.caseOf = s, main.marks[:0], 0, ""
	if folded != 0 {
		main.Text, main.applied, main.caseOf = string(buf), CaseFold, s
	}
	main.pieces = cased.pieces // shared, as in lowerDirect
	main.start, main.end, main.tr = main.start[:0], main.end[:0], main.tr[:0]
	main.compact, main.origLen = true, n
	return maybeLeet != 0 && leetCandidate(main.Text), latinBuilt
}

// latinChains reports false where direct's spacing trigger fires on s: a
// third one-character word in a row, each linked to the one before by one
// to three separators. ends marks where the one-character words end; such
// a word is one ASCII character or one two-byte Latin-1 letter. (direct
// also resets its count after longer words and other characters, but
// those sit between two one-character words only when linked fails
// anyway.)
func (b *Builder) latinChains(s string, ends []uint64) bool {
	lastEnd, chain := -10, 0
	for w, m := range ends {
		for ; m != 0; m &= m - 1 {
			e := w<<6 | bits.TrailingZeros64(m)
			start := e - 1
			if s[start] >= 0x80 {
				start--
			}
			if b.linked(s, lastEnd, start) {
				chain++
			} else {
				chain = 1
			}
			if chain >= 3 {
				return false
			}
			lastEnd = e
		}
	}
	return true
}
