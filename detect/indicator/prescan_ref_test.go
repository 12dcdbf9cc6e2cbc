package indicator

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// refTables are the pre-filters of the original pre-scan: 64K-bit sets keyed by a hash of a
// Latin word's first three bytes, by rune, and the numeral set.
type refTables struct {
	latinBits, runeBits, kwRuneBits, hanNumeralBits [1 << 16 / 64]uint64
}

func setBit(bits *[1 << 16 / 64]uint64, k uint32) { bits[(k&0xffff)/64] |= 1 << (k % 64) }

func hasBit(bits *[1 << 16 / 64]uint64, k uint32) bool { return bits[(k&0xffff)/64]&(1<<(k%64)) != 0 }

func hash3(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 2654435761 >> 16
}

func latinKey(a, b, c byte) uint32 {
	a, b = lowerASCII(a), lowerASCII(b)
	if wordByte(c) {
		c = lowerASCII(c)
	} else {
		c = 0
	}
	return hash3(a, b, c)
}

var refTab = func() *refTables {
	rt := &refTables{}
	for _, k := range kwDict.kws {
		key, isRune := dictKey(k.text)
		switch {
		case isRune:
			r := key &^ runeKeyFlag
			if r >= 1<<16 {
				continue
			}
			setBit(&rt.kwRuneBits, r)
			setBit(&rt.runeBits, r)
		case len(k.text) == 2 && !wordByte(k.text[1]):
			setBit(&rt.latinBits, latinKey(k.text[0], k.text[1], 0))
			for c := 0; c < 256; c++ {
				if wordByte(byte(c)) {
					setBit(&rt.latinBits, latinKey(k.text[0], k.text[1], byte(c)))
				}
			}
		case len(k.text) == 2:
			setBit(&rt.latinBits, latinKey(k.text[0], k.text[1], 0))
		default:
			setBit(&rt.latinBits, latinKey(k.text[0], k.text[1], k.text[2]))
		}
	}
	for _, r := range "零〇一二两兩三四五六七八九十百千万萬亿億" {
		setBit(&rt.runeBits, uint32(r))
		setBit(&rt.hanNumeralBits, uint32(r))
	}
	return rt
}()

// prescanRef is the byte-at-a-time pre-scan that prescan replaced, kept as its oracle. It walks the text once: it notes which extractors can possibly fire, collects
// address-length tokens and finds dictionary keywords.
func (s *scanState) prescanRef() {
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
					if hasBit(&refTab.latinBits, latinKey(c, t[i+1], c2)) {
						s.keywordAtRef(d, i, &kwUntil)
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
					s.keywordAtRef(d, i, &kwUntil)
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
		if r < 1<<16 && hasBit(&refTab.runeBits, uint32(r)) {
			if hasBit(&refTab.hanNumeralBits, uint32(r)) {
				if !prevNum {
					s.hanNums = append(s.hanNums, i)
					s.hasHanNumeral = true
				}
				prevNum = true
			} else {
				prevNum = false
			}
			if i >= kwUntil && hasBit(&refTab.kwRuneBits, uint32(r)) {
				s.keywordAtRef(d, i, &kwUntil)
			}
		} else {
			prevNum = false
		}
		i += size
	}
	s.hasDigit = len(s.numStarts) > 0
	s.endRun(runStart, len(t))
}

func (s *scanState) keywordAtRef(d *dict, i int, kwUntil *int) {
	t := s.text
	if t[i] < utf8.RuneSelf {
		if i+1 >= len(t) {
			return
		}
		var c byte
		if i+2 < len(t) {
			c = t[i+2]
		}
		if !hasBit(&refTab.latinBits, latinKey(t[i], t[i+1], c)) {
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

// samePrescan runs both pre-scans on text and reports any difference in what they found.
func samePrescan(t *testing.T, text string) {
	t.Helper()
	var got, want scanState
	got.reset(text, Options{})
	got.prescan()
	want.reset(text, Options{})
	want.prescanRef()
	// The reference does not record where digit runs end: check those here, then compare
	// the rest.
	if len(got.numEnds) != len(got.numStarts) {
		t.Fatalf("%q: %d digit runs, %d ends", text, len(got.numStarts), len(got.numEnds))
	}
	for k, st := range got.numStarts {
		end := st
		for end < len(text) && isDigit(text[end]) {
			end++
		}
		if got.numEnds[k] != end {
			t.Fatalf("%q: digit run at %d ends at %d, not %d", text, st, got.numEnds[k], end)
		}
	}
	got.numEnds = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: prescan differs from the reference:\n got %+v\nwant %+v", text, got, want)
	}
}

// TestPrescanMatchesReference checks the word-at-a-time pre-scan against the byte-at-a-time
// one on texts that put keywords, digits, long tokens and multi-byte runes at every offset
// of the eight-byte words.
func TestPrescanMatchesReference(t *testing.T) {
	units := []string{
		"TG @abc_def", "加V：hx_la2024", "+V", "+1 312 555 0165", "NYC", "LA", "la", "New York",
		"Los Ángeles", "t.me/abc", "dot", "V:", "vx:", "TC67mATLpkezx7TE1gsvZeE8zD4ZHNV8ug",
		"bc1qn32g7wnvmprzlv6n3elww3sy3ac0esm4t8n6f5", "abcdefghijklmn", "abcdefghijklm", "a1b2c3",
		"_TG", "x_TG", "TGx", "teléfono", "CAS号", "微信号", "一万二", "五十万美金", "(at)", "[dot]", "{",
		"＠", "@", "\xff", "\xc0\x80", "\xed\xa0\x80", "é", "1", "12", "card", "Card no 4111",
		"汇率7.25", "por cada", "sigue", "Phoenixville", "Phoenix", "wechat ID", "+", "〇", "a",
		"La", "lA", "nyc", "Nyc", "Philly", "philly", "Vegas", "vegas", "SF", "sf", "ñ", "¿Qué", "tel", "teléfono+V",
	}
	for _, u := range units {
		for pad := 0; pad < 9; pad++ {
			for _, sep := range []string{" ", "", "_", "9", "é", "中"} {
				p := strings.Repeat("x", pad)
				samePrescan(t, p+sep+u)
				samePrescan(t, u+sep+p)
				samePrescan(t, p+" "+u+sep+u+" "+p)
			}
		}
	}
	rows := readJSONL[devRow](t, devDir+"/labelled.jsonl")
	for _, r := range rows {
		samePrescan(t, r.Text)
		samePrescan(t, plainView(r.Text))
	}
}

func FuzzPrescan(f *testing.F) {
	for _, s := range []string{
		"", "TG @abc_def 加V：hx_la2024", "+V 微信 123 abcdefghijklmnopqrstuvwxyz", "Los Ángeles NYC la",
		"\xff\xfe@\x80", "一万二千 五十万", "t.me/x (at) [dot] {", "abcdefghijklmn0123456789_+",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		samePrescan(t, text)
	})
}

// TestRuneFlags checks the pre-scan's rune flags against the numeral parser and the keyword
// list over the whole BMP.
func TestRuneFlags(t *testing.T) {
	starts := map[rune]bool{}
	for _, k := range kwDict.kws {
		if r, _ := utf8.DecodeRuneInString(k.text); r >= utf8.RuneSelf {
			starts[r] = true
		}
	}
	for r := rune(0); r < 1<<16; r++ {
		numeral := hanDigit(r) >= 0 || hanUnit(r) > 0
		f := kwDict.runeFlag(r)
		if (f&runeNumeral != 0) != numeral || (f&runeKeyword != 0) != starts[r] {
			t.Errorf("%U %q: flags %b, numeral %v, starts a keyword %v", r, r, f, numeral, starts[r])
		}
		// The pre-scan passes over a 3-byte rune that fails runeMaybe, and over a 2-byte one
		// without a look when twoByteQuiet: neither may lose a flagged rune.
		var b [4]byte
		switch n := utf8.EncodeRune(b[:], r); {
		case n == 3 && (f != 0 || r == '＠') && !kwDict.runeMayFlag3(uint32(b[0])|uint32(b[1])<<8|uint32(b[2])<<16):
			t.Errorf("%U %q: flagged but not in runeMaybe", r, r)
		case n == 2 && f != 0 && kwDict.twoByteQuiet:
			t.Errorf("%U %q: flagged but twoByteQuiet", r, r)
		}
	}
}

// TestPrescanCorpus compares the pre-scan with the reference on every post of the bench
// corpus (opt-in, see corpusEnv): the engine's cased view and the raw text, whose Chinese,
// Spanish and English reach every path of the filters.
func TestPrescanCorpus(t *testing.T) {
	texts, raws, _ := corpusViews(t)
	for k := range texts {
		samePrescan(t, texts[k])
		samePrescan(t, raws[k])
	}
}
