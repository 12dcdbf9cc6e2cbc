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
// false, with v in an unspecified state, when it gave up. The view's map is
// compact (runs.go): such text maps almost entirely character for
// character.
func (b *Builder) direct(s string, v *View, m mode) bool {
	w := &b.dw
	w.reset(s, grow(b.buf, 2*len(s)+4), v) // no fast-path character grows more than 2x
	// Spacing trigger: three one-character words linked by gaps of one to
	// three separators ("a b c", "4 7 - 6"). This is a superset of what the
	// spacing pass collapses, so giving up on it never changes the result.
	wordStart, wordLen := -1, 0
	chain, lastEnd := 0, -10
	prevHan, hanSpace := false, false
	caseFold := m != modeCased
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if chain == 0 && w.gap == 0 {
				if k := w.asciiBlock(i, caseFold, &wordLen, &wordStart, &prevHan, &hanSpace); k > 0 {
					i += k
					continue
				}
			}
			// ASCII: one table lookup drives word tracking and case folding.
			cl := asciiClass[c]
			if cl&clsAlnum != 0 {
				// A run of ASCII letters and digits in one tight loop; it
				// maps to itself, so only upper case (in modeLower) and an
				// owed gap leave a trace.
				if wordLen == 0 {
					wordStart = i
				}
				prevHan, hanSpace = false, false
				w.identity(i)
				d := i - w.p // original minus view offset in this run
				j := i
				lat, acc := w.lat, uint8(0)
				for {
					acc |= lat & cl
					lat = cl << 4
					if cl&clsUpper != 0 {
						if caseFold {
							w.replace(j, j-d, c+'a'-'A', CaseFold)
						} else {
							w.folds = append(w.folds, int32(j-d))
							if w.gap != 0 {
								w.mark(j-d, j-d+1, 0)
							}
						}
					} else if w.gap != 0 {
						w.mark(j-d, j-d+1, 0)
					}
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
				w.lat, w.leet = lat&clsLeet, w.leet || acc&clsLeet != 0
				w.p = j - d
				wordLen += j - i
				i = j
				continue
			}
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
			w.leet = w.leet || w.lat&cl != 0 // '@' or '$' after a letter
			w.lat = 0
			w.identity(i)
			if w.gap != 0 {
				w.mark(w.p, w.p+1, 0)
			}
			w.p++
			i++
			continue
		}
		var r rune
		var n int
		if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// Three-byte characters (Han, CJK and full-width punctuation)
			// decoded inline: utf8.DecodeRuneInString's slow path costs
			// more. The lead bytes left out (0xE0, 0xED) are the ones that
			// need more checks (overlong forms, surrogates).
			r, n = rune(c&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F), 3
		} else if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			r, n = rune(c&0x1F)<<6|rune(s[i+1]&0x3F), 2 // Latin-1 and the like
		} else {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if r >= 0xC0 && r <= 0xFF && r != 0xD7 && r != 0xF7 {
			// A Latin-1 letter (Spanish text): what the general branch
			// below does with it, without its table look-ups.
			if wordLen == 0 {
				wordStart = i
			}
			wordLen++
			prevHan, hanSpace = false, false
			w.lat = clsLeet
			if r <= 0xDE { // upper case (U+00D7 is not a letter)
				if caseFold {
					w.put(i, n, r+0x20, CaseFold)
					i += n
					continue
				}
				w.folds = append(w.folds, int32(w.p))
			}
			w.identity(i)
			if w.gap != 0 {
				w.mark(w.p, w.p+n, 0)
			}
			w.p += n
			i += n
			continue
		}
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
			w.lat = 0
			if isT2S(r) {
				w.put(i, n, t2sTo[t2sHan[r-hanLo]-1], TradSimp)
			} else {
				w.identity(i)
				if w.gap != 0 {
					w.mark(w.p, w.p+3, 0)
				}
				w.p += 3
			}
			i += n
			if chain == 0 {
				// Now no word is open, no gap is owed and no spacing chain
				// runs, so the Han characters that follow and need no
				// Traditional→Simplified change nothing but the position.
				j := i
				for j+2 < len(s) {
					c0 := s[j]
					if c0 < 0xE4 || c0 > 0xE9 || s[j+1]&0xC0 != 0x80 || s[j+2]&0xC0 != 0x80 {
						break
					}
					r := rune(c0&0x0F)<<12 | rune(s[j+1]&0x3F)<<6 | rune(s[j+2]&0x3F)
					if r < 0x4E00 || isT2S(r) {
						break
					}
					j += 3
				}
				if j > i {
					w.identity(i)
					w.p += j - i
					i = j
				}
			}
			continue
		}
		f, own := fastRune(r)
		if f == 0 {
			if r == 0x2026 {
				// The ellipsis, NFKC "...": three separators (which never
				// link two one-character words) from one character.
				if wordLen != 0 || chain != 0 {
					if !b.wordEnd(s, '.', i, &wordLen, &chain, &lastEnd, wordStart) {
						return false
					}
				}
				prevHan, hanSpace = false, false
				w.lat = 0
				w.putLonger(i, n, "...", NFKC)
				i += n
				continue
			}
			if !quickInvisible(r) {
				return false
			}
			// Dropped; it neither ends a word nor separates Han.
			w.drop(i + n)
			i += n
			continue
		}
		r = f
		if fastSymbol(r) {
			// Punctuation, arrows, symbols, emoji: no word, space, Latin
			// letter or Traditional character, so only a word ends here.
			if wordLen != 0 || chain != 0 {
				if !b.wordEnd(s, r, i, &wordLen, &chain, &lastEnd, wordStart) {
					return false
				}
			}
			prevHan, hanSpace = false, false
			w.lat = 0
			w.identity(i)
			if w.gap != 0 {
				w.mark(w.p, w.p+n, 0)
			}
			w.p += n
			i += n
			continue
		}
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
			cl := asciiClass[r]
			w.leet = w.leet || w.lat&cl != 0
			w.lat = cl << 4 & clsLeet
			if cl&clsUpper != 0 {
				if caseFold {
					r += 'a' - 'A'
					own |= CaseFold
				} else {
					w.folds = append(w.folds, int32(w.p))
				}
			}
		case r <= 0xFF:
			w.lat = 0
			if latin1Latin(r) {
				w.lat = clsLeet
			}
			if r >= 0xC0 && r <= 0xDE && r != 0xD7 {
				if caseFold {
					r += 0x20
					own |= CaseFold
				} else {
					w.folds = append(w.folds, int32(w.p))
				}
			}
		default:
			w.lat = 0
			if isLatin(r) {
				w.lat = clsLeet
			}
			if sr, ok := toSimplified(r); ok {
				r = sr
				own |= TradSimp
			}
		}
		if own == 0 {
			// Unchanged (every change sets a bit).
			w.identity(i)
			if w.gap != 0 {
				w.mark(w.p, w.p+n, 0)
			}
			w.p += n
		} else {
			w.put(i, n, r, own)
		}
		i += n
	}
	if wordLen == 1 && (b.linked(s, lastEnd, wordStart) && chain >= 2 || hanBefore(s, wordStart)) {
		return false
	}
	w.finish(v)
	b.buf = w.buf
	w.s, w.pieces, w.marks = "", nil, nil // v owns these now
	return true
}

// fastSymbol reports the characters fastRune passes on unchanged that are
// neither letters, digits nor spaces (CJK and typographic punctuation,
// arrows, symbols, emoji); TestFastSymbols checks this for every one.
func fastSymbol(r rune) bool {
	return r >= 0x2010 && (r < 0x2E80 || (r >= 0x3000 && r < 0x3040) || r >= 0x1F300)
}

// latin1Latin is isLatin for U+0080..U+00FF without a table search.
func latin1Latin(r rune) bool {
	return (r >= 0xC0 && r != 0xD7 && r != 0xF7) || r == 0xAA || r == 0xBA
}

// wordEnd updates the spacing trigger at a character r (at byte i) that is
// not part of a word, and reports false when the general pipeline must run.
func (b *Builder) wordEnd(s string, r rune, i int, wordLen, chain, lastEnd *int, wordStart int) bool {
	if *wordLen == 0 && *chain > 0 && *lastEnd < i && r >= 0x2E80 && isHan(r) && blanks(s[*lastEnd:i]) &&
		!joinedASCII(s, *lastEnd-1, *lastEnd) {
		// "M 三零": Han after a one-character word and spaces.
		return false
	}
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
		// "收 U": a one-character word after Han and spaces may join the
		// Han (collapse decides).
		if hanBefore(s, wordStart) && !joinedASCII(s, wordStart, i) {
			return false
		}
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
	if start-end <= 3 {
		// The usual gap: one to three ASCII separators.
		ascii := true
		for i := end; i < start; i++ {
			c := s[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if !isSpacedSep(rune(c)) {
				return false
			}
		}
		if ascii {
			return true
		}
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

// hanBefore reports whether s[:i] ends with Han followed by one or more
// characters that the general pipeline turns into plain spaces (invisible
// characters in between are dropped there). It is a superset of the cases
// collapse joins a lone Latin letter or digit to the Han before it.
func hanBefore(s string, i int) bool {
	spaces := false
	for i > 0 {
		c := s[i-1]
		if c < utf8.RuneSelf {
			if c != ' ' {
				return false
			}
			spaces = true
			i--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(s[:i])
		i -= n
		if quickInvisible(r) {
			continue
		}
		if f, _ := fastRune(r); f != 0 {
			r = f
		}
		if r == ' ' {
			spaces = true
			continue
		}
		return spaces && r >= 0x2E80 && isHan(r)
	}
	return false
}

// joinedASCII reports whether the one-character word s[start:end] is tied
// to an ASCII letter or digit by an ASCII '.', '-' or '_' on either side
// ("67-64-1", "1-Boc"); collapse then leaves it alone (see lone). start may
// point inside a multi-byte character: the check then fails, which is safe.
func joinedASCII(s string, start, end int) bool {
	joiner := func(c byte) bool { return c == '.' || c == '-' || c == '_' }
	alnum := func(c byte) bool { return c < utf8.RuneSelf && asciiClass[c]&clsAlnum != 0 }
	if start >= 2 && joiner(s[start-1]) && alnum(s[start-2]) {
		return true
	}
	return end+1 < len(s) && joiner(s[end]) && alnum(s[end+1])
}

// blanks reports whether s holds at least one character the general
// pipeline turns into a plain space and nothing else but invisible
// characters it drops.
func blanks(s string) bool {
	spaces := false
	for _, r := range s {
		if quickInvisible(r) {
			continue
		}
		if f, _ := fastRune(r); f != 0 {
			r = f
		}
		if r != ' ' {
			return false
		}
		spaces = true
	}
	return spaces
}
