package normalize

import (
	"unicode"
)

//go:generate go run gen.go

// t2sBits has one bit per code point below t2sLimit that has a
// Traditional→Simplified entry, so the common case (a character that is
// already Simplified) costs one bit test instead of a search.
var t2sBits [t2sLimit / 64]uint64

const t2sLimit = 0x30000

func init() {
	if len(t2sFrom) != len(t2sTo) || len(confFrom) != len(confTo) {
		panic("normalize: generated tables are inconsistent; run go generate")
	}
	for i, r := range t2sFrom {
		if r >= t2sLimit {
			panic("normalize: t2s key outside bitmap; raise t2sLimit")
		}
		t2sBits[r>>6] |= 1 << (uint(r) & 63)
		if r >= hanLo && r <= hanHi {
			t2sHan[r-hanLo] = uint16(i + 1)
		}
	}
}

// t2sHan indexes t2sTo (plus one) for the CJK Unified Ideographs block,
// where nearly all Chinese text lives, so the lookup there is one load.
var t2sHan [hanHi - hanLo + 1]uint16

const hanLo, hanHi = 0x4E00, 0x9FFF

// isT2S reports whether r (below t2sLimit) has a Traditional→Simplified
// entry; the bitmap is small enough to stay in the L1 cache.
func isT2S(r rune) bool {
	return t2sBits[r>>6]&(1<<(uint(r)&63)) != 0
}

// toSimplified returns the Simplified form of a Traditional character, or r.
func toSimplified(r rune) (rune, bool) {
	if r >= hanLo && r <= hanHi {
		if x := t2sHan[r-hanLo]; x != 0 {
			return t2sTo[x-1], true
		}
		return r, false
	}
	if r < 0x3400 || r >= t2sLimit || t2sBits[r>>6]&(1<<(uint(r)&63)) == 0 {
		return r, false
	}
	if i := search(t2sFrom[:], r); i >= 0 {
		return t2sTo[i], true
	}
	return r, false
}

// lookalike returns the ASCII letter a Cyrillic/Greek/Armenian/Cherokee
// letter folds to.
func lookalike(r rune) (rune, bool) {
	if i := search(confFrom[:], r); i >= 0 {
		return confTo[i], true
	}
	return r, false
}

// search returns the index of r in the sorted keys, or -1.
func search(keys []rune, r rune) int {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(keys) && keys[lo] == r {
		return lo
	}
	return -1
}

// foreign reports whether r is a letter of a script whose letters are used as
// Latin look-alikes (Cyrillic, Greek, Armenian, Cherokee).
func foreign(r rune) bool {
	switch {
	case r < 0x370:
		return false
	case r <= 0x58F, r >= 0x13A0 && r <= 0x13FF, r >= 0x1C80 && r <= 0x1C8F,
		r >= 0x1D00 && r <= 0x1DBF, r >= 0x1F00 && r <= 0x1FFF, r >= 0x2DE0 && r <= 0x2DFF,
		r >= 0xA640 && r <= 0xA69F, r >= 0xAB70 && r <= 0xABBF:
		return unicode.IsLetter(r) && (unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Greek, r) ||
			unicode.Is(unicode.Armenian, r) || unicode.Is(unicode.Cherokee, r))
	}
	return false
}

// invisible reports whether r is removed from views: general category Cf,
// variation selectors and the other default-ignorable code points (Hangul
// fillers, combining grapheme joiner, Mongolian free variation selectors).
func invisible(r rune) bool {
	switch {
	case r < 0xAD:
		return false
	case r == 0xAD:
		return true
	case r < 0x34F:
		return false
	case r >= 0x3400 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3:
		return false // CJK and Hangul syllables: the hot path for Chinese text
	case r >= 0x200B && r <= 0x200F, r >= 0x2060 && r <= 0x2064, r >= 0xFE00 && r <= 0xFE0F, r == 0xFEFF:
		return true // the usual evasion characters, without a table search
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// isDash reports the unusual dashes folded to '-'.
func isDash(r rune) bool {
	return (r >= 0x2010 && r <= 0x2015) || r == 0x2212 || r == 0xFE63 || r == 0xFF0D
}

// isHan reports Han ideographs (CJK unified, extensions and compatibility).
func isHan(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// isAlnum reports letters and digits, with an ASCII fast path.
func isAlnum(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clsAlnum != 0
	}
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isWordPart reports letters, digits and combining marks (parts of a token).
func isWordPart(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clsAlnum != 0
	}
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isLatin reports Latin-script letters.
func isLatin(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clsLetter != 0
	}
	return unicode.Is(unicode.Latin, r)
}

func isSpace(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clsSpace != 0
	}
	return unicode.IsSpace(r)
}

const (
	clsLetter = 1 << iota
	clsDigit
	clsSpace
	clsUpper
	// clsLeet marks the leet characters; it is clsLetter<<4, so a class
	// shifted left by 4 and masked with the next one tests "letter, then
	// leet character" without a branch (direct's leet pre-check).
	clsLeet  = clsLetter << 4
	clsAlnum = clsLetter | clsDigit
)

var asciiClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= clsLetter
		t[c-32] |= clsLetter | clsUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] |= clsDigit
	}
	for _, c := range "\t\n\v\f\r " {
		t[c] |= clsSpace
	}
	for _, c := range "013457@$" {
		t[c] |= clsLeet
	}
	return t
}()
