package rulepack

import (
	"cmp"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// occ is one reported occurrence.
type occ struct{ pat, start, end int }

// naiveOccurrences is the specification: every occurrence of every pattern,
// by end offset and, at one end, longest pattern first (the order the
// automaton's dictionary-suffix chain reports them in).
func naiveOccurrences(patterns []string, text string) []occ {
	var out []occ
	for i, p := range patterns {
		for off := 0; off+len(p) <= len(text); off++ {
			if strings.HasPrefix(text[off:], p) {
				out = append(out, occ{i, off, off + len(p)})
			}
		}
	}
	slices.SortFunc(out, func(a, b occ) int {
		return cmp.Or(cmp.Compare(a.end, b.end), cmp.Compare(b.end-b.start, a.end-a.start))
	})
	return out
}

func automatonOccurrences(a *automaton, text string) []occ {
	var out []occ
	a.each(text, func(pat, start, end int) { out = append(out, occ{pat, start, end}) })
	return out
}

// checkAutomaton compares the automaton with the naive search, order
// included.
func checkAutomaton(t *testing.T, patterns []string, texts ...string) {
	t.Helper()
	a, err := newAutomaton(patterns, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		got, want := automatonOccurrences(a, text), naiveOccurrences(patterns, text)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q\n got %v\nwant %v", patterns, text, got, want)
		}
	}
}

// TestAutomatonMatchesNaiveSearch runs random pattern sets and texts over an
// alphabet of ASCII, two-, three- and four-byte runes and invalid bytes
// (a lone continuation byte, a truncated Han character, 0xFF), where
// overlaps, shared prefixes and suffixes and runes that share lead bytes
// are common.
func TestAutomatonMatchesNaiveSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	alpha := []string{"a", "b", " ", "é", "代", "付", "收", "😀", "\u4e00", "\u4e3f"}
	noise := []string{"\x80", "\xe4\xbb", "\xff", "c", "丁", "\ufffd"}
	word := func(n int, extra []string) string {
		var b strings.Builder
		for range n {
			if len(extra) > 0 && rng.Intn(5) == 0 {
				b.WriteString(extra[rng.Intn(len(extra))])
				continue
			}
			b.WriteString(alpha[rng.Intn(len(alpha))])
		}
		return b.String()
	}
	for round := 0; round < 300; round++ {
		seen := map[string]bool{}
		var pats []string
		for n := 1 + rng.Intn(12); len(pats) < n; {
			if w := word(1+rng.Intn(4), nil); !seen[w] {
				seen[w] = true
				pats = append(pats, w)
			}
		}
		var texts []string
		for range 5 {
			texts = append(texts, word(rng.Intn(40), noise))
		}
		checkAutomaton(t, pats, texts...)
	}
}

// TestAutomatonStateKinds covers the three state layouts: a full row (the
// root and a state with fullFanout rune edges or more), a dense row with a
// sparse part for rune edges, and sparse states, including failure from
// each kind.
func TestAutomatonStateKinds(t *testing.T) {
	var pats []string
	var han []string
	for r := rune(0x4e00); len(han) < fullFanout+4; r += 3 {
		han = append(han, string(r))
	}
	for _, h := range han {
		pats = append(pats, "x"+h, h+"y", "ab"+h)
	}
	pats = append(pats, "ab", "ac", "ad", "abc", "bc", "c", "a"+han[0]+han[1])
	a, err := newAutomaton(pats, nil)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[uint32]int{}
	// Walk the trie states reachable from the root to count kinds.
	seen := map[uint32]bool{}
	var walk func(s uint32, depth int)
	walk = func(s uint32, depth int) {
		if seen[s&offMask] || depth > 4 {
			return
		}
		seen[s&offMask] = true
		kinds[s&(denseBit|fullBit)]++
		for c := uint32(firstClass); c < uint32(a.nclass); c++ {
			if n := a.step(s, c); n != a.roots[0] && n != a.roots[1] {
				walk(n, depth+1)
			}
		}
	}
	walk(a.roots[1], 0)
	if kinds[denseBit|fullBit] < 2 || kinds[denseBit] < 1 || kinds[0] < 1 {
		t.Fatalf("state kinds %v: want ≥2 full, ≥1 dense, ≥1 sparse", kinds)
	}
	text := strings.Join(han, "x") + " abab" + han[3] + "y xx" + han[5] + han[5] + "y a" + han[0] + han[1] + "c\xe4\xb8abc"
	checkAutomaton(t, pats, text, "x"+strings.Join(han, ""), "ab"+strings.Join(han, "y"))
}

// step is the automaton's transition on class c (tests only: scan inlines
// it).
func (a *automaton) step(s uint32, c uint32) uint32 {
	if c < firstClass {
		return a.roots[c]
	}
	for {
		o := s & offMask
		if s&denseBit != 0 {
			if c < a.narrow || s&fullBit != 0 {
				return a.tab[o+c]
			}
			o += a.narrow
		}
		h := a.tab[o]
		for j := o + 1; j < o+1+2*(h>>countShift&0xFF); j += 2 {
			if a.tab[j] == c {
				return a.tab[j+1]
			}
		}
		s = h & refMask
	}
}

// FuzzAutomaton compares the automaton with the naive search on arbitrary
// pattern sets (newline-separated, valid UTF-8 as the compiler folds them)
// and arbitrary text bytes.
func FuzzAutomaton(f *testing.F) {
	f.Add("代收\n收代\na b\nb", "代收代付 a b\xe4\xb8代收")
	f.Add("aa\na\n😀", "aaa😀\xf0\x9f\x98")
	f.Add("é\n\ufffd", "\xc3é\xff\ufffd")
	f.Fuzz(func(t *testing.T, list, text string) {
		var pats []string
		seen := map[string]bool{}
		for _, p := range strings.Split(list, "\n") {
			if p == "" || seen[p] || !utf8.ValidString(p) {
				continue
			}
			seen[p] = true
			pats = append(pats, p)
		}
		if len(pats) == 0 || len(pats) > 64 {
			return
		}
		a, err := newAutomaton(pats, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, want := automatonOccurrences(a, text), naiveOccurrences(pats, text)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q\n got %v\nwant %v", pats, text, got, want)
		}
	})
}

func TestAutomatonRejectsInvalidUTF8(t *testing.T) {
	if _, err := newAutomaton([]string{"ok", "a\xff"}, nil); err == nil {
		t.Fatal("invalid UTF-8 literal accepted")
	}
}

// TestASCIIWordIsWordRune: the boundary checks' ASCII fast path agrees with
// isWordRune.
func TestASCIIWordIsWordRune(t *testing.T) {
	for c := range utf8.RuneSelf {
		if asciiWord(byte(c)) != isWordRune(rune(c)) {
			t.Fatalf("%q: asciiWord %v, isWordRune %v", rune(c), asciiWord(byte(c)), isWordRune(rune(c)))
		}
	}
}
