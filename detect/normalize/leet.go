package normalize

import (
	"strings"
	"unicode/utf8"
)

// leetOf maps the leetspeak characters: 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s.
func leetOf(r rune) rune {
	switch r {
	case '0':
		return 'o'
	case '1':
		return 'i'
	case '3':
		return 'e'
	case '4':
		return 'a'
	case '5':
		return 's'
	case '7':
		return 't'
	case '@':
		return 'a'
	case '$':
		return 's'
	}
	return 0
}

// maxLeetToken bounds the tokens considered: leetspeak words are short, while
// wallet addresses and hashes (26+ characters of letters and digits) are not
// words at all.
const maxLeetToken = 24

func leetTokenRune(r rune) bool {
	if r < 0x80 {
		return asciiClass[r]&clsAlnum != 0 || r == '@' || r == '$'
	}
	return isLatin(r)
}

// leetPositions returns the byte offsets in text (a main view, already
// case-folded) of the leet characters to decode, appended to dst. A token
// qualifies only when a leet character sits between two of its letters
// (c4sh, m1rr0r, t0k3n, c4mbi0); then all of its leet digits are decoded,
// and '@'/'$' only between letters. So numbers (7.25, 626-555-0104,
// 41661-47-6) have no letters and stay; number-plus-unit tokens (50w, 30s,
// 100mcg) and code-like tokens (M30) have no leet character between letters
// and stay; tokens with other digits (2, 6, 8, 9: b2b, x86) are identifiers,
// not leet; hex strings and addresses are excluded by length and the 0x
// prefix; a single run of two or more digits inside letters is a model or
// pill code (m30s, a320neo), not leet; user@example.org is an e-mail
// address, not leet.
func leetPositions(dst []int, text string) []int {
	// Only a token holding a leet character right after a letter can
	// qualify (see leetCandidate), so the scan jumps from one such place to
	// the next and looks at the token around it; text is valid UTF-8 (a
	// view), so the token found backwards is the one a forward scan finds.
	for k := 0; ; {
		i := nextLeetCandidate(text, max(k, 1))
		if i < 0 {
			return dst
		}
		start := i
		for start > k {
			r, size := utf8.DecodeLastRuneInString(text[:start])
			if !leetTokenRune(r) {
				break
			}
			start -= size
		}
		dst, k = leetToken(dst, text, start)
	}
}

// leetToken appends the leet characters to decode in the token (a maximal
// run of leetTokenRune) that starts at byte k of text, and returns the end
// of the token.
func leetToken(dst []int, text string, k int) ([]int, int) {
	n := len(text)
	// Scan the token [k,m), counting runes and finding its letters.
	m := k
	runes, firstL, lastL, other, at, hasLeet := 0, -1, -1, false, false, false
	digitRuns, runLen, longRun := 0, 0, false
	for m < n {
		r, size := utf8.DecodeRuneInString(text[m:])
		if !leetTokenRune(r) {
			break
		}
		if r >= '0' && r <= '9' {
			if runLen == 0 {
				digitRuns++
			}
			runLen++
			longRun = longRun || runLen > 1
		} else {
			runLen = 0
		}
		switch {
		case r == '@':
			at, hasLeet = true, true
		case r == '$':
			hasLeet = true
		case r >= '0' && r <= '9':
			if leetOf(r) == 0 {
				other = true
			} else {
				hasLeet = true
			}
		default:
			if firstL < 0 {
				firstL = m
			}
			lastL = m
		}
		runes++
		m += size
	}
	tok := text[k:m]
	switch {
	case !hasLeet, firstL < 0, other, runes > maxLeetToken,
		digitRuns == 1 && longRun && !at && !strings.ContainsRune(tok, '$'), // m30s, a320neo: a code
		len(tok) > 2 && tok[0] == '0' && tok[1] == 'x',
		at && m+1 < n && text[m] == '.' && isAlnum(rune(text[m+1])):
		return dst, m
	}
	interior := false
	for x := firstL + 1; x < lastL; x++ {
		if leetOf(rune(text[x])) != 0 {
			interior = true
			break
		}
	}
	if interior {
		for x := k; x < m; x++ {
			c := text[x]
			if leetOf(rune(c)) == 0 || ((c == '@' || c == '$') && (x < firstL || x > lastL)) {
				continue
			}
			dst = append(dst, x)
		}
	}
	return dst, m
}

// leetByte marks the leet characters ('0' '1' '3' '4' '5' '7' '@' '$').
var leetByte = func() (t [256]bool) {
	for c := range 128 {
		t[c] = leetOf(rune(c)) != 0
	}
	return t
}()

// leetCandidate is leetPositions' cheap necessary condition: some leet
// character directly follows a letter. (leetPositions decodes only a token
// with a leet character between two of its letters; between the last
// letter before it and it there can be only leet characters, or the token
// has another digit and is skipped, so the byte after that letter is a
// leet character.) Most posts have none: in the bench corpus a leet view
// was needed for none of them, but nearly every one has a digit or a
// non-ASCII byte.
func leetCandidate(text string) bool {
	return nextLeetCandidate(text, 1) >= 0
}

// nextLeetCandidate returns the first byte i >= from (from >= 1) of text
// holding a leet character right after a letter, or -1.
func nextLeetCandidate(text string, from int) int {
	for i := from; i < len(text); i++ {
		if !leetByte[text[i]] {
			continue
		}
		p := text[i-1]
		if p < utf8.RuneSelf {
			if asciiClass[p]&clsLetter != 0 {
				return i
			}
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); isLatin(r) {
			return i
		}
	}
	return -1
}

// deriveLeet makes the leet view from the main view: leet decoding swaps
// single ASCII characters, so the offsets are the main view's. It reports
// false when nothing needed decoding. candidate says the caller already
// knows that leetCandidate(main.Text) holds.
func (b *Builder) deriveLeet(main, out *View, candidate bool) bool {
	if !candidate && !leetCandidate(main.Text) {
		return false
	}
	b.leetPos = leetPositions(b.leetPos[:0], main.Text)
	if len(b.leetPos) == 0 {
		return false
	}
	if main.compact {
		main.expand(out) // rare: a per-byte map is simplest to patch
	} else {
		out.tr = append(out.tr[:0], main.tr...)
		out.start = append(out.start[:0], main.start...)
		out.end = append(out.end[:0], main.end...)
		out.compact = false
	}
	buf := append(b.buf[:0], main.Text...)
	for _, x := range b.leetPos {
		buf[x] = byte(leetOf(rune(buf[x])))
		out.tr[x] |= uint16(Leet)
	}
	b.buf = buf
	out.Text = string(buf)
	out.origLen = main.origLen
	out.applied = main.applied | Leet
	return true
}
