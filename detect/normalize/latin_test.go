package normalize

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// latinPieces are ASCII and Latin-1 fragments: one-character words and the
// separators that link them (spacing runs, "I-5"), upper case, leet
// characters, and characters outside latinViews' set so that it hands over.
var latinPieces = []string{
	"a", "B", "z", "I", "0", "1", "4", "7", "9", "é", "Ñ", "Á", "ß", "þ", "ÿ", "×", "÷", "Þ", "Ø", "¿", "¡", "·", "«", "»", "°",
	" ", " ", " ", ".", "-", "_", ",", "\n", "@", "$", "word", "Cash", "USDT", "m1rr0r", "c4sh", "user@x.org",
	"I-5", "econ lecture 12? ", "Traffic on ", "é a ñ", "U S D T", "c.a.s.h", "\u00ad", "换", "\xff", "\xc3",
	"12345678", "abcdefgh", "ABCDEFGH", "a b", "x-y", "ok",
}

func randomLatin(r *rand.Rand) string {
	var sb strings.Builder
	for n := r.IntN(20); n > 0; n-- {
		sb.WriteString(latinPieces[r.IntN(len(latinPieces))])
	}
	return sb.String()
}

// checkLatin asserts that latinViews, when it takes s, builds exactly the
// views (and leet pre-check) of direct and lowerDirect, and that it takes
// every text direct takes that holds only its characters.
func checkLatin(t testing.TB, s string) bool {
	t.Helper()
	var fast, ref Builder
	leet, res := fast.latinViews(s)
	ref.views(s, true)
	switch {
	case res == latinSpaced && (ref.viaDirect || !latinOnly(s)):
		t.Fatalf("latinViews(%q) reported a spacing run direct does not give up on", s)
	case res != latinBuilt && ref.viaDirect && latinOnly(s):
		t.Fatalf("latinViews(%q) handed over a text direct takes", s)
	}
	if res != latinBuilt {
		return false
	}
	if !ref.viaDirect {
		t.Fatalf("latinViews(%q) took a text direct hands over", s)
	}
	if !sameView(&fast.cased, &ref.cased) || !sameView(&fast.main, &ref.main) {
		t.Fatalf("latinViews(%q): cased %q main %q, direct cased %q main %q", s, fast.cased.Text, fast.main.Text, ref.cased.Text, ref.main.Text)
	}
	checkCompact(t, &fast.cased)
	checkCompact(t, &fast.main)
	checkOffsets(t, s, &fast.main)
	if leet != ref.dw.leet || leet != leetCandidate(fast.main.Text) {
		t.Fatalf("latinViews(%q): leet %v, direct %v", s, leet, ref.dw.leet)
	}
	return true
}

// latinOnly reports whether s holds only characters latinViews accepts.
func latinOnly(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x80:
			i++
			continue
		case i+1 < len(s) && s[i+1]&0xC0 == 0x80 && (c == 0xC3 || c == 0xC2 && latin1Punct[s[i+1]-0x80]):
			i += 2
			continue
		}
		return false
	}
	return true
}

func TestLatinViews(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	taken := 0
	b := NewBuilder()
	for i := 0; i < 30000; i++ {
		s := randomLatin(r)
		if checkLatin(t, s) {
			taken++
		}
		compareViews(t, b, s)
	}
	if taken < 10000 {
		t.Errorf("latinViews took only %d of 30000 texts", taken)
	}
	for _, s := range []string{"", "a", "I-5 is closed", "U S D T", "a b", "a b c", "x y z w", "é a ñ",
		"Traffic on I-5 is terrible", "c4sh", "m1rr0r tr4des", "ÀÉÎ", "abcdefghA b c", "abcdefg a-b-c"} {
		checkLatin(t, s)
		compareViews(t, b, s)
	}
}

func FuzzLatinViews(f *testing.F) {
	for _, s := range latinPieces {
		f.Add(s)
	}
	f.Add("Does anyone have notes from econ lecture 12? Traffic on I-5 is terrible right now")
	f.Add("Vendemos USDT en T i j u a n a, ¿cuánto? c4sh m1rr0r ÑANDÚ a b c")
	f.Fuzz(func(t *testing.T, s string) {
		checkLatin(t, s)
		compareViews(t, NewBuilder(), s)
	})
}

// TestBuilderReuse drives one Builder through Views, Build, BuildCased and
// BuildLeet in random order over all kinds of text and compares every view
// with a fresh build, maps included: the main view shares the cased view's
// maps, so a later call must never write through one into the other.
func TestBuilderReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	sources := [][]string{pieces, fastPieces, latinPieces}
	b := NewBuilder()
	for i := 0; i < 20000; i++ {
		src := sources[r.IntN(len(sources))]
		var sb strings.Builder
		for n := r.IntN(20); n > 0; n-- {
			sb.WriteString(src[r.IntN(len(src))])
		}
		s := sb.String()
		switch r.IntN(4) {
		case 0:
			m, c, l := b.Views(s)
			if !sameView(m, Build(s)) || !sameView(c, BuildCased(s)) {
				t.Fatalf("Views(%q) differs from the functions", s)
			}
			want, ok := BuildLeet(s)
			if ok != (l != nil) || ok && !sameView(l, want) {
				t.Fatalf("Views(%q) leet differs", s)
			}
		case 1:
			if !sameView(b.Build(s), Build(s)) {
				t.Fatalf("Builder.Build(%q) differs", s)
			}
		case 2:
			if !sameView(b.BuildCased(s), BuildCased(s)) {
				t.Fatalf("Builder.BuildCased(%q) differs", s)
			}
		case 3:
			got, ok := b.BuildLeet(s)
			want, wok := BuildLeet(s)
			if ok != wok || ok && !sameView(got, want) {
				t.Fatalf("Builder.BuildLeet(%q) differs", s)
			}
		}
	}
}
