package main

import (
	"strings"
	"unicode/utf8"
)

// evasions are the tactics applied to a share of the illicit ads, the ones
// the engine's normalisation must undo (domain brief §4).
var evasions = []string{"fullwidth", "zero_width", "spaced", "homoglyph", "leet"}

// evade applies one evasion to a word or span of the ad's first clause,
// where its key phrase is ("Mirror trade", "高价收U"). The tactic is chosen
// among those that can show on the clause: homoglyphs and leet need a
// Latin word with a letter they change, full-width forms ASCII letters or
// digits.
func (g *Generator) evade(ad string) (string, string) {
	cut := len(ad)
	if i := strings.IndexAny(ad, ",.，。"); i > 0 {
		cut = i
	}
	s, rest := ad[:cut], ad[cut:]
	letters := asciiWords(s, true)
	alnum := asciiWords(s, false)
	var twins, leetable [][2]int // words homoglyph or leet can change
	for _, w := range letters {
		if homoglyph(s[w[0]:w[1]]) != s[w[0]:w[1]] {
			twins = append(twins, w)
		}
		if leet(s[w[0]:w[1]]) != s[w[0]:w[1]] {
			leetable = append(leetable, w)
		}
	}
	var can []string
	for _, e := range evasions {
		if e == "homoglyph" && len(twins) == 0 || e == "leet" && len(leetable) == 0 || e == "fullwidth" && len(alnum) == 0 {
			continue
		}
		can = append(can, e)
	}
	name := can[g.r.IntN(len(can))]
	pick := func(words [][2]int, f func(string) string) string {
		w := words[g.r.IntN(len(words))]
		return s[:w[0]] + f(s[w[0]:w[1]]) + s[w[1]:]
	}
	switch {
	case name == "homoglyph":
		return pick(twins, homoglyph) + rest, name
	case name == "fullwidth":
		return pick(alnum, fullwidth) + rest, name
	case name == "leet":
		return pick(leetable, leet) + rest, name
	case len(letters) > 0 && g.r.IntN(2) == 0:
		if name == "spaced" {
			return pick(letters, spaced) + rest, name
		}
		return pick(letters, zeroWidth) + rest, name
	case name == "spaced":
		return g.onSpan(s, 2, 4, spaced) + rest, name
	default:
		return g.onSpan(s, 2, 5, zeroWidth) + rest, name
	}
}

// onSpan applies f to a random run of min..max runes of s.
func (g *Generator) onSpan(s string, min, max int, f func(string) string) string {
	n := utf8.RuneCountInString(s)
	if n < min {
		return f(s)
	}
	k := min + g.r.IntN(max-min+1)
	if k > n {
		k = n
	}
	start := g.r.IntN(n - k + 1)
	lo, hi := runeOffset(s, start), runeOffset(s, start+k)
	return s[:lo] + f(s[lo:hi]) + s[hi:]
}

// asciiWords returns the byte ranges of the ASCII words of s with at least
// three letters (lettersOnly) or two letters or digits.
func asciiWords(s string, lettersOnly bool) [][2]int {
	var words [][2]int
	start := -1
	minLen := 2
	if lettersOnly {
		minLen = 3
	}
	for i := 0; i <= len(s); i++ {
		in := false
		if i < len(s) {
			c := s[i]
			in = c|0x20 >= 'a' && c|0x20 <= 'z' || !lettersOnly && c >= '0' && c <= '9'
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			if i-start >= minLen {
				words = append(words, [2]int{start, i})
			}
			start = -1
		}
	}
	return words
}

// spaced puts a space between the runes of s ("c a s h", "洗 钱").
func spaced(s string) string { return strings.Join(strings.Split(s, ""), " ") }

func runeOffset(s string, k int) int {
	for i := range s {
		if k == 0 {
			return i
		}
		k--
	}
	return len(s)
}

// fullwidth maps printable ASCII to the full-width forms block.
func fullwidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// fullwidthDigits maps only ASCII digits to full-width digits.
func fullwidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

// zeroWidth puts a ZERO WIDTH SPACE between the runes of s.
func zeroWidth(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 {
			b.WriteRune('\u200b')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// leet writes letters as look-alike digits ("f3nt4n1l", "c4sh").
func leet(s string) string {
	return strings.Map(func(r rune) rune {
		switch r | 0x20 {
		case 'a':
			return '4'
		case 'e':
			return '3'
		case 'i':
			return '1'
		case 'o':
			return '0'
		case 's':
			return '5'
		case 't':
			return '7'
		}
		return r
	}, s)
}

// homoglyphs are Cyrillic letters that render like Latin ones.
var homoglyphs = map[rune]rune{
	'a': 'а', 'c': 'с', 'e': 'е', 'o': 'о', 'p': 'р', 'x': 'х', 'y': 'у',
	'A': 'А', 'C': 'С', 'E': 'Е', 'O': 'О', 'P': 'Р', 'T': 'Т', 'H': 'Н', 'K': 'К', 'M': 'М', 'B': 'В',
}

// homoglyph replaces the Latin letters of s that have a Cyrillic twin.
func homoglyph(s string) string {
	return strings.Map(func(r rune) rune {
		if h, ok := homoglyphs[r]; ok {
			return h
		}
		return r
	}, s)
}
