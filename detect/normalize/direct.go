package normalize

import "unicode/utf8"

// direct builds a cased or lower-case view in one pass for the common post
// made only of characters the fast path knows (ASCII, Latin-1 letters, CJK
// ideographs and punctuation, Hangul syllables, full-width ASCII). Such
// text needs no normaliser (none of these characters compose), has no
// invisible characters, dashes or look-alike scripts, so only full-width
// folding, Traditional→Simplified and case folding remain. Spacing collapse
// is rare: when the text might contain a spaced run or whitespace between
// Han characters, direct gives up and the general pipeline runs. It reports
// false, with v in an unspecified state, when it gave up.
func (b *Builder) direct(s string, v *View, m mode) bool {
	max := 2*len(s) + 4 // no fast-path character grows more than 2x
	buf := grow(b.buf, max)
	start, end, tr := grow(v.start, max), grow(v.end, max), grow(v.tr, max)
	var applied Transform
	p := 0
	// Spacing trigger: three one-character words linked by gaps of one to
	// three separators ("a b c", "4 7 - 6"). This is a superset of what the
	// spacing pass collapses, so giving up on it never changes the result.
	wordStart, wordLen := -1, 0
	chain, lastEnd := 0, -10
	prevHan, hanSpace := false, false
	caseFold := m != modeCased
	// gap is the Invisible bit owed to the next written character;
	// invisibles before the first or after the last show only in applied.
	var gap Transform
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// ASCII: one table lookup drives word tracking and case folding.
			cl := asciiClass[c]
			if cl&clsAlnum != 0 {
				// A run of ASCII letters and digits in one tight loop.
				if wordLen == 0 {
					wordStart = i
				}
				prevHan, hanSpace = false, false
				j := i
				for {
					if caseFold && cl&clsUpper != 0 {
						c += 'a' - 'A'
						tr[p] = uint16(CaseFold) | uint16(gap)<<8
						applied |= CaseFold
					} else {
						tr[p] = uint16(gap) << 8
					}
					gap = 0
					buf[p], start[p], end[p] = c, int32(j), int32(j+1)
					p++
					j++
					if j == len(s) {
						break
					}
					if c = s[j]; c >= utf8.RuneSelf {
						break
					}
					if cl = asciiClass[c]; cl&clsAlnum == 0 {
						break
					}
				}
				wordLen += j - i
				i = j
				continue
			} else {
				if wordLen != 0 || chain != 0 {
					if !b.wordEnd(s, rune(c), i, &wordLen, &chain, &lastEnd, wordStart) {
						return false
					}
				}
				if cl&clsSpace != 0 {
					hanSpace = hanSpace || prevHan
				} else {
					hanSpace = false
				}
				prevHan = false
			}
			if caseFold && cl&clsUpper != 0 {
				c += 'a' - 'A'
				tr[p] = uint16(CaseFold) | uint16(gap)<<8
				applied |= CaseFold
			} else {
				tr[p] = uint16(gap) << 8
			}
			gap = 0
			buf[p], start[p], end[p] = c, int32(i), int32(i+1)
			p++
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x4E00 && r <= 0x9FFF {
			// Han ideograph, the bulk of Chinese text: a word character that
			// is never a spaced single; copied unless Traditional.
			if wordLen != 0 || chain != 0 {
				if !b.wordEnd(s, r, i, &wordLen, &chain, &lastEnd, wordStart) {
					return false
				}
			}
			if hanSpace {
				return false
			}
			prevHan = true
			first := p
			if sr, ok := toSimplified(r); ok {
				applied |= TradSimp
				k := p + utf8.EncodeRune(buf[p:], sr)
				for ; p < k; p++ {
					start[p], end[p], tr[p] = int32(i), int32(i+n), uint16(TradSimp)
				}
			} else {
				copy(buf[p:p+3], s[i:i+3])
				for k := p + 3; p < k; p++ {
					start[p], end[p], tr[p] = int32(i), int32(i+3), 0
				}
			}
			tr[first] |= uint16(gap) << 8
			gap = 0
			i += n
			continue
		}
		f, own := fastRune(r)
		if f == 0 {
			if !quickInvisible(r) {
				return false
			}
			// Dropped; it neither ends a word nor separates Han.
			applied |= Invisible
			if p > 0 {
				gap = Invisible
			}
			i += n
			continue
		}
		r = f
		// Spacing detection on the NFKC character (before case/script maps).
		word := isAlnum(r)
		han := word && r >= 0x2E80 && isHan(r)
		if word && !han {
			if wordLen == 0 {
				wordStart = i
			}
			wordLen++
		} else if wordLen != 0 || chain != 0 {
			if !b.wordEnd(s, r, i, &wordLen, &chain, &lastEnd, wordStart) {
				return false
			}
		}
		if han {
			if hanSpace {
				return false
			}
			prevHan = true
		} else if isSpace(r) {
			hanSpace = hanSpace || prevHan
			prevHan = false
		} else {
			prevHan, hanSpace = false, false
		}
		switch {
		case r < utf8.RuneSelf:
			if caseFold && r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
				own |= CaseFold
			}
		case r <= 0xFF:
			if caseFold && r >= 0xC0 && r <= 0xDE && r != 0xD7 {
				r += 0x20
				own |= CaseFold
			}
		default:
			if sr, ok := toSimplified(r); ok {
				r = sr
				own |= TradSimp
			}
		}
		applied |= own
		if r < utf8.RuneSelf {
			buf[p], start[p], end[p], tr[p] = byte(r), int32(i), int32(i+n), uint16(own)|uint16(gap)<<8
			p++
		} else {
			first := p
			k := p + utf8.EncodeRune(buf[p:], r)
			for ; p < k; p++ {
				start[p], end[p], tr[p] = int32(i), int32(i+n), uint16(own)
			}
			tr[first] |= uint16(gap) << 8
		}
		gap = 0
		i += n
	}
	if wordLen == 1 && b.linked(s, lastEnd, wordStart) && chain >= 2 {
		return false
	}
	b.buf = buf
	v.start, v.end, v.tr = start[:p], end[:p], tr[:p]
	if applied == 0 { // every change sets a bit, so the text is unchanged
		v.Text = s
	} else {
		v.Text = string(buf[:p])
	}
	v.origLen = len(s)
	v.applied = applied
	return true
}

// wordEnd updates the spacing trigger at a character r (at byte i) that is
// not part of a word, and reports false when the general pipeline must run.
func (b *Builder) wordEnd(s string, r rune, i int, wordLen, chain, lastEnd *int, wordStart int) bool {
	switch {
	case *wordLen == 1 && b.linked(s, *lastEnd, wordStart):
		*chain++
	case *wordLen == 1:
		*chain = 1
	case *wordLen > 1 || !isSpacedSep(r):
		*chain = 0
	}
	if *chain >= 3 {
		return false
	}
	if *wordLen == 1 {
		*lastEnd = i
	}
	*wordLen = 0
	return true
}

// linked reports whether s[end:start] (between two one-character words) is
// one to three spacing separators, after full-width folding.
func (b *Builder) linked(s string, end, start int) bool {
	if end < 0 || start <= end {
		return false
	}
	n := 0
	for _, r := range s[end:start] {
		if quickInvisible(r) {
			continue // removed before spacing is looked at
		}
		if f, _ := fastRune(r); f != 0 {
			r = f
		}
		n++
		if n > 3 || !isSpacedSep(r) {
			return false
		}
	}
	return true
}
