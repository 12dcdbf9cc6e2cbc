package indicator

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Byte classes for the hot loops.
const (
	clDigit = 1 << iota
	clLetter
	clUnderscore
)

var byteClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = clLetter, clLetter
	}
	t['_'] = clUnderscore
	return t
}()

func isAlnum(c byte) bool { return byteClass[c]&(clDigit|clLetter) != 0 }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// wordByte reports bytes that continue a Latin word; '_' counts so that handles such as
// @houston_cash do not yield keywords from their inside.
func wordByte(c byte) bool { return byteClass[c] != 0 }

// hanNumerals are the Chinese numeral digits and units, those of hanDigit and hanUnit.
const hanNumerals = "零〇一二两兩三四五六七八九十百千万萬亿億"

// scanState holds the per-call results of the pre-scan.
type scanState struct {
	text          string
	opt           Options
	hasDigit      bool
	hasAt         bool
	hasBracket    bool // '(' '[' '{' (for "(at)" e-mail obfuscation)
	hasDotWord    bool // the word "dot" (for "name at example dot com")
	hasHan        bool
	hasHanNumeral bool
	tokens        []span // ASCII alphanumeric runs long enough to be crypto addresses
	hits          []kwHit
	hanNums       []int // start offsets of runs of Chinese numerals
	numStarts     []int // start offsets of runs of ASCII digits
	numEnds       []int // and their ends
	cardChain     []int // digits readNumRun could read from each run for a card (numChains)
	phoneChain    []int // and for a phone
}

func (s *scanState) reset(text string, opt Options) {
	s.text, s.opt = text, opt
	s.hasDigit, s.hasAt, s.hasBracket, s.hasHan, s.hasHanNumeral = false, false, false, false, false
	s.hasDotWord = false
	s.tokens, s.hits, s.hanNums, s.numStarts = s.tokens[:0], s.hits[:0], s.hanNums[:0], s.numStarts[:0]
	s.numEnds = s.numEnds[:0]
}

func isHan(r rune) bool {
	return 0x3400 <= r && r <= 0x9FFF || 0xF900 <= r && r <= 0xFAFF || 0x20000 <= r && r <= 0x3134F
}

func (s *scanState) endRun(start, end int) {
	if start < 0 {
		return
	}
	n := end - start
	if n >= 25 || n >= 14 && n <= 90 && (s.text[start] == 'b' || s.text[start] == 'B') {
		s.tokens = append(s.tokens, span{start, end})
	}
}

// hitBefore returns the last keyword hit of a kind in k that ends within maxGap bytes before
// pos, where the gap holds only separator bytes (spaces, colons, '#', '-').
func (s *scanState) hitBefore(pos int, k kwKind, maxGap int) (kwHit, bool) {
	for j := len(s.hits) - 1; j >= 0; j-- {
		h := s.hits[j]
		if h.end > pos {
			continue
		}
		if pos-h.end > maxGap {
			break
		}
		if h.kind&k == 0 {
			continue
		}
		if onlySeparators(s.text[h.end:pos]) {
			return h, true
		}
	}
	return kwHit{}, false
}

// onlySeparators reports whether s holds only spaces, colons and similar glue between a
// context word and the value it introduces.
func onlySeparators(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', ':', '#', '-', '=', '.', '(', '[', '|', '/', ',':
		default:
			// Common CJK glue: 号 號 是 为 為 (3-byte runes) and the ideographic space.
			if i+3 <= len(s) && isGlueRune(s[i:i+3]) {
				i += 2
				continue
			}
			return false
		}
	}
	return true
}

func isGlueRune(s string) bool {
	switch s {
	case "号", "號", "是", "为", "為", "\u3000", "：", "、":
		return true
	}
	return false
}
