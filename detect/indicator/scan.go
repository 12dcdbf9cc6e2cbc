package indicator

import (
	"strings"
	"unicode/utf8"
)

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

// hanNumeralBits marks the Chinese numeral digits and units.
var hanNumeralBits = func() (b [1 << 16 / 64]uint64) {
	for _, r := range "零〇一二两兩三四五六七八九十百千万萬亿億" {
		setBit(&b, uint32(r))
	}
	return b
}()

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
}

func (s *scanState) reset(text string, opt Options) {
	s.text, s.opt = text, opt
	s.hasDigit, s.hasAt, s.hasBracket, s.hasHan, s.hasHanNumeral = false, false, false, false, false
	s.hasDotWord = false
	s.tokens, s.hits, s.hanNums, s.numStarts = s.tokens[:0], s.hits[:0], s.hanNums[:0], s.numStarts[:0]
}

func isHan(r rune) bool {
	return 0x3400 <= r && r <= 0x9FFF || 0xF900 <= r && r <= 0xFAFF || 0x20000 <= r && r <= 0x3134F
}

// prescan walks the text once: it notes which extractors can possibly fire, collects
// address-length tokens and finds dictionary keywords.
func (s *scanState) prescan() {
	t := s.text
	d := kwDict
	runStart := -1    // start of the current ASCII alphanumeric run
	kwUntil := 0      // inside a keyword match: do not start another one
	prevNum := false  // previous rune was a Chinese numeral
	prevWord := false // previous byte continues a Latin word
	prevDigit := false
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			prevNum = false
			cls := byteClass[c]
			if cls&(clDigit|clLetter) != 0 {
				if runStart < 0 {
					runStart = i
				}
				if cls == clDigit {
					if !prevDigit {
						s.numStarts = append(s.numStarts, i)
					}
				} else if !prevWord && i >= kwUntil && i+1 < len(t) {
					// The bit-set probe is inlined here: most words start no keyword, and a
					// call per word would cost more than the probe.
					var c2 byte
					if i+2 < len(t) {
						c2 = t[i+2]
					}
					if hasBit(&d.latinBits, latinKey(c, t[i+1], c2)) {
						s.keywordAt(d, i, &kwUntil)
					}
				}
				prevWord, prevDigit = true, cls == clDigit
				i++
				continue
			}
			prevWord, prevDigit = cls != 0, false
			if runStart >= 0 {
				if i-runStart >= 14 {
					s.endRun(runStart, i)
				}
				runStart = -1
			}
			switch c {
			case '@':
				s.hasAt = true
			case '(', '[', '{':
				s.hasBracket = true
			case '+':
				if i >= kwUntil {
					s.keywordAt(d, i, &kwUntil)
				}
			}
			i++
			continue
		}
		prevWord, prevDigit = false, false
		if runStart >= 0 && i-runStart < 14 {
			runStart = -1
		}
		if c == 0xEF && strings.HasPrefix(t[i:], "＠") {
			s.hasAt = true // full-width at sign, if the caller did not fold it
		}
		if runStart >= 0 {
			s.endRun(runStart, i)
			runStart = -1
		}
		var r rune
		var size int
		if c&0xF0 == 0xE0 && i+2 < len(t) && t[i+1]&0xC0 == 0x80 && t[i+2]&0xC0 == 0x80 {
			// Inline decode of the 3-byte sequences that make up CJK text.
			r, size = rune(c&0x0F)<<12|rune(t[i+1]&0x3F)<<6|rune(t[i+2]&0x3F), 3
		} else {
			r, size = utf8.DecodeRuneInString(t[i:])
		}
		if !s.hasHan && isHan(r) {
			s.hasHan = true
		}
		// One probe decides the common case: a rune that starts no keyword and is no numeral.
		if r < 1<<16 && hasBit(&d.runeBits, uint32(r)) {
			if hasBit(&hanNumeralBits, uint32(r)) {
				if !prevNum {
					s.hanNums = append(s.hanNums, i)
					s.hasHanNumeral = true
				}
				prevNum = true
			} else {
				prevNum = false
			}
			if i >= kwUntil && hasBit(&d.kwRuneBits, uint32(r)) {
				s.keywordAt(d, i, &kwUntil)
			}
		} else {
			prevNum = false
		}
		i += size
	}
	s.hasDigit = len(s.numStarts) > 0
	s.endRun(runStart, len(t))
}

func (s *scanState) keywordAt(d *dict, i int, kwUntil *int) {
	t := s.text
	if t[i] < utf8.RuneSelf {
		if i+1 >= len(t) {
			return
		}
		var c byte
		if i+2 < len(t) {
			c = t[i+2]
		}
		if !hasBit(&d.latinBits, latinKey(t[i], t[i+1], c)) {
			return
		}
	}
	key, _ := dictKey(t[i:])
	ki, end := d.matchAt(s.text, i, key)
	if ki < 0 {
		return
	}
	k := &d.kws[ki]
	if k.kind == kwDotWord {
		s.hasDotWord = true
		return // a flag is enough; "dot" is no context for anything else
	}
	s.hits = append(s.hits, kwHit{kind: k.kind, city: k.city, start: i, end: end})
	*kwUntil = end
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
