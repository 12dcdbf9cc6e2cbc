package model

// Classes of a non-ASCII rune for extract, in the order extract tests
// them: a word rune, else a Han character, else ignorable, else a symbol.
const (
	rcSymbol = iota // a feature of its own
	rcIgnore        // ends a word, no feature
	rcWord          // belongs inside a word
	rcHan           // a Han character
)

// slowClass is runeClass from the predicates themselves.
func slowClass(r rune) uint8 {
	switch {
	case wordRune(r):
		return rcWord
	case isHan(r):
		return rcHan
	case ignorable(r):
		return rcIgnore
	}
	return rcSymbol
}

// Tables of the blocks a post's non-ASCII runes mostly come from, derived
// at start-up from the predicates (so they cannot disagree with them, see
// TestRuneClass): the two-byte UTF-8 range (Latin accents, Greek,
// Cyrillic, Arabic), General Punctuation, CJK Symbols and Punctuation with
// the kana, and the fullwidth forms. unicode.Is on the ranges tables is a
// binary search; the punctuation that ends every Han run went through it
// up to three times.
var (
	classLow   = classTable(0, 0x800)
	classPunct = classTable(0x2000, 0x70)
	classCJK   = classTable(0x3000, 0x100)
	classFull  = classTable(0xff00, 0x100)
)

func classTable(lo rune, n int) []uint8 {
	t := make([]uint8, n)
	for i := range t {
		t[i] = slowClass(lo + rune(i))
	}
	return t
}

// runeClass classifies a non-ASCII rune (any rune, in fact).
func runeClass(r rune) uint8 {
	switch {
	case r >= 0x4e00 && r <= 0x9fff: // CJK Unified Ideographs
		return rcHan
	case r < 0x800:
		return classLow[r]
	case r>>8 == 0x30:
		return classCJK[r&0xff]
	case r>>8 == 0xff:
		return classFull[r&0xff]
	case r >= 0x2000 && r < 0x2070:
		return classPunct[r-0x2000]
	}
	return slowClass(r)
}
