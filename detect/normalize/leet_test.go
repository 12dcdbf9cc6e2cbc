package normalize

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkLeetCandidate asserts that the pre-check never hides a token that
// leetPositions would decode.
func checkLeetCandidate(t *testing.T, text string) {
	t.Helper()
	main := Build(text).Text
	if pos := leetPositions(nil, main); len(pos) > 0 && !leetCandidate(main) {
		t.Fatalf("%q (main view %q): leetPositions %v but the pre-check says no leet", text, main, pos)
	}
}

func TestLeetCandidate(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"c4sh", true},
		{"m1rr0r", true},
		{"ÉX1TO", true}, // a Latin letter before the leet digit
		{"c$$h", true},
		{"4 cash 100 usdt", false},
		{"微信123 电话 138-0013-8000", false},
		{"41661-47-6 7.25", false},
		{"", false},
		{"0", false},
	} {
		main := Build(c.text).Text
		if got := leetCandidate(main); got != c.want {
			t.Errorf("leetCandidate(%q) = %v, want %v", main, got, c.want)
		}
		checkLeetCandidate(t, c.text)
	}
}

func FuzzLeetCandidate(f *testing.F) {
	for _, s := range []string{"c4sh", "cr1pt0 @gent", "ÉX1TO", "b2b c4$h", "user@example.org", "m30s a320neo", "微信c4sh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkLeetCandidate(t, text)
		checkLeetPositions(t, text)
	})
}

// leetTexts mixes leet tokens, codes, numbers, addresses and non-ASCII
// letters, so that tokens qualify, nearly qualify and sit side by side.
var leetTexts = []string{
	"c4sh", "m1rr0r", "t0k3n", "c4mbi0", "b2b", "x86", "m30s", "a320neo", "50w", "7.25", "0xdeadbeef1",
	"user@example.org", "p@y", "c$$h", "$5", "@gent", "ÉX1TO", "é4é", "ñ0ñ", "微信", "c4sh微信", " ", " ", "-", ".",
	"626-555-0104", "41661-47-6", "f3nt4n1l", "abcdefghijklmnopqrstuvwxyz0", "a1", "1a", "a", "4",
}

// TestLeetPositionsJumps compares leetPositions, which looks only at
// tokens around candidates, with the token-by-token scan it replaced.
func TestLeetPositionsJumps(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 30000; i++ {
		var sb strings.Builder
		for n := r.IntN(12); n > 0; n-- {
			sb.WriteString(leetTexts[r.IntN(len(leetTexts))])
		}
		checkLeetPositions(t, sb.String())
	}
}

func checkLeetPositions(t *testing.T, text string) {
	t.Helper()
	for _, s := range []string{Build(text).Text, strings.ToValidUTF8(text, "\uFFFD")} {
		if got, want := leetPositions(nil, s), leetPositionsRef(nil, s); !slices.Equal(got, want) {
			t.Fatalf("leetPositions(%q) = %v, token scan %v", s, got, want)
		}
	}
}

// leetPositionsRef is leetPositions as it was before it jumped from one
// candidate to the next: the oracle the tests compare it with.
func leetPositionsRef(dst []int, text string) []int {
	n := len(text)
	for k := 0; k < n; {
		r, size := utf8.DecodeRuneInString(text[k:])
		if !leetTokenRune(r) {
			k += size
			continue
		}
		// Scan the token [k,m), counting runes and finding its letters.
		m := k
		runes, firstL, lastL, other, at, hasLeet := 0, -1, -1, false, false, false
		digitRuns, runLen, longRun := 0, 0, false
		for m < n {
			r, size = utf8.DecodeRuneInString(text[m:])
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
			k = m
			continue
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
		k = m
	}
	return dst
}
