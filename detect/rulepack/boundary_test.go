package rulepack

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// naiveBounded is the specification of an automaton built with leftBound:
// every occurrence, less those of a left-bound pattern without a word
// boundary before them (as boundaryBefore, MatchInto's check, decides).
func naiveBounded(patterns []string, leftBound []bool, text string) []occ {
	var out []occ
	for _, o := range naiveOccurrences(patterns, text) {
		if leftBound[o.pat] && !boundaryBefore(text, o.start) {
			continue
		}
		out = append(out, o)
	}
	return out
}

func checkBounded(t *testing.T, patterns []string, leftBound []bool, texts ...string) {
	t.Helper()
	a, err := newAutomaton(patterns, leftBound)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		got, want := automatonOccurrences(a, text), naiveBounded(patterns, leftBound, text)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q leftBound %v text %q\n got %v\nwant %v", patterns, leftBound, text, got, want)
		}
	}
}

// TestAutomatonLeftBoundMatchesNaive: random patterns over word symbols
// (ASCII letters and digits, é, Cyrillic), non-word ones (space, '-', Han,
// an emoji) and runes no pattern uses of both kinds, some of them needing a
// boundary before them; texts add invalid bytes. Patterns that need a
// boundary and start with a non-word symbol are included too: the
// automaton's rule is boundaryBefore's whatever the first symbol.
func TestAutomatonLeftBoundMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alpha := []string{"a", "b", "u", "1", " ", "-", "é", "ж", "代", "收", "😀"}
	noise := []string{"x", "Z", "ü", "ß", "\x80", "\xe4\xbb", "\xff", "丁", "。", "\ufffd", "ğ", "ـ"}
	word := func(n int, extra []string) string {
		var b strings.Builder
		for range n {
			if len(extra) > 0 && rng.Intn(4) == 0 {
				b.WriteString(extra[rng.Intn(len(extra))])
				continue
			}
			b.WriteString(alpha[rng.Intn(len(alpha))])
		}
		return b.String()
	}
	for round := 0; round < 400; round++ {
		seen := map[string]bool{}
		var pats []string
		var lb []bool
		for n := 1 + rng.Intn(12); len(pats) < n; {
			if w := word(1+rng.Intn(4), nil); !seen[w] {
				seen[w] = true
				pats = append(pats, w)
				lb = append(lb, rng.Intn(3) > 0)
			}
		}
		var texts []string
		for range 6 {
			texts = append(texts, word(rng.Intn(40), noise))
		}
		checkBounded(t, pats, lb, texts...)
	}
}

// TestAutomatonLeftBoundCases pins the cases the boundary folding must get
// right: a literal after a Han character, inside a word, after an unused
// letter, at the start, after an invalid byte, across a space inside a
// literal, and a literal without a boundary that starts with a letter.
func TestAutomatonLeftBoundCases(t *testing.T) {
	pats := []string{"u", "usdt", "收u", "cash pickup", "piperidine", "de", "a b", "-x"}
	lb := []bool{true, true, false, true, false, true, true, true}
	checkBounded(t, pats, lb,
		"u bus usdt 收usdt 收u xu éu ü u",
		"cash pickup cashcash pickup, 4-piperidine npiperidine",
		"desde de-de \xffde \xe4\xb8de 丁de",
		"a b a bb ba b", "--x a-x -x",
		"u", "", "收", "Zu ßu ğu ـu 。u")
}

// FuzzAutomatonLeftBound compares the automaton built with leftBound with
// the naive search on arbitrary patterns ("!" in front: needs a boundary)
// and text.
func FuzzAutomatonLeftBound(f *testing.F) {
	f.Add("!u\n!usdt\n收u\n!a b", "u bus 收usdt a b\xe4u")
	f.Add("!de\npiperidine\n!-x", "desde -x a-x 4-piperidine")
	f.Fuzz(func(t *testing.T, list, text string) {
		var pats []string
		var lb []bool
		seen := map[string]bool{}
		for _, p := range strings.Split(list, "\n") {
			bound := strings.HasPrefix(p, "!")
			p = strings.TrimPrefix(p, "!")
			if p == "" || seen[p] || !utf8.ValidString(p) {
				continue
			}
			seen[p] = true
			pats = append(pats, p)
			lb = append(lb, bound)
		}
		if len(pats) == 0 || len(pats) > 64 {
			return
		}
		a, err := newAutomaton(pats, lb)
		if err != nil {
			t.Fatal(err)
		}
		got, want := automatonOccurrences(a, text), naiveBounded(pats, lb, text)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q leftBound %v text %q\n got %v\nwant %v", pats, lb, text, got, want)
		}
	})
}

// TestClassWordness: for every rune, the class the scan gives it says
// "word" exactly when isWordRune does (for the runes no pattern uses, the
// class itself; for pattern runes, the class's flag), with the production
// pack's alphabet.
func TestClassWordness(t *testing.T) {
	p, err := LoadDir("../rules")
	if err != nil {
		t.Fatalf("production pack: %v", err)
	}
	a := p.m.ac
	used := map[rune]bool{}
	for _, s := range p.m.texts {
		for _, r := range s {
			used[r] = true
		}
	}
	for r := rune(utf8.RuneSelf); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		c := a.classOf(r)
		if used[r] {
			if c < firstClass {
				t.Fatalf("%U: pattern rune got class %d", r, c)
			}
			continue
		}
		if want := isWordRune(r); (c == classWord) != want || c >= firstClass {
			t.Fatalf("%U: class %d, isWordRune %v", r, c, want)
		}
	}
	for b := range utf8.RuneSelf {
		c := a.ascii[b]
		if !used[rune(b)] && (c >= firstClass || (c == classWord) != asciiWord(byte(b))) {
			t.Fatalf("%q: class %d", rune(b), c)
		}
	}
}
