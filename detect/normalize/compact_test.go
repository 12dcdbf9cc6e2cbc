package normalize

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// perByte returns v's maps in the per-byte form, expanding a compact view
// (on a copy, so v is left as it is).
func perByte(v *View) (start, end []int32, tr []uint16) {
	if !v.compact {
		return v.start, v.end, v.tr
	}
	c := v.Clone()
	c.expand(c)
	return c.start, c.end, c.tr
}

// checkCompact asserts that a compact view answers Orig and Transforms for
// every span exactly as its per-byte expansion does.
func checkCompact(t testing.TB, v *View) {
	t.Helper()
	if !v.compact {
		return
	}
	e := v.Clone()
	e.expand(e)
	n := len(v.Text)
	check := func(s, en int) {
		gs, ge := v.Orig(s, en)
		ws, we := e.Orig(s, en)
		if gs != ws || ge != we {
			t.Fatalf("%q: compact Orig(%d,%d) = [%d,%d), per-byte [%d,%d)", v.Text, s, en, gs, ge, ws, we)
		}
		if g, w := v.Transforms(s, en), e.Transforms(s, en); g != w {
			t.Fatalf("%q: compact Transforms(%d,%d) = %v, per-byte %v", v.Text, s, en, g, w)
		}
	}
	if n <= 64 {
		for s := -1; s <= n+1; s++ {
			for en := s - 1; en <= n+1; en++ {
				check(s, en)
			}
		}
		return
	}
	// Long text (fuzzing): every start with a few ends.
	for s := -1; s <= n+1; s++ {
		for _, en := range []int{s - 1, s, s + 1, s + 2, s + 3, s + 4, s + 9, n - 1, n, n + 1} {
			check(s, en)
		}
	}
}

// TestCompactViews checks compact maps against their expansion on text the
// one-pass path takes (identity runs broken by full-width folding, dropped
// invisibles, Traditional characters and case folding).
func TestCompactViews(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	b := NewBuilder()
	compact := 0
	for i := 0; i < 5000; i++ {
		var sb strings.Builder
		for n := r.IntN(12); n > 0; n-- {
			sb.WriteString(fastPieces[r.IntN(len(fastPieces))])
		}
		s := sb.String()
		m, c, l := b.Views(s)
		for _, v := range []*View{m, c, l} {
			if v == nil {
				continue
			}
			if v.compact {
				compact++
			}
			checkOffsets(t, s, v)
		}
	}
	if compact < 2000 {
		t.Errorf("compact views made only %d times", compact)
	}
}

func TestLatin1Latin(t *testing.T) {
	for r := rune(0x80); r <= 0xFF; r++ {
		if latin1Latin(r) != isLatin(r) {
			t.Errorf("latin1Latin(%U) = %v", r, latin1Latin(r))
		}
	}
}

// TestDirectLeetFlag: the leet pre-check worked out by the one-pass path
// agrees with leetCandidate on the main view, on text built to put leet
// characters after ASCII, Latin-1 and full-width letters.
func TestDirectLeetFlag(t *testing.T) {
	parts := []string{"c", "4", "sh", "É", "é", "1", "@", "$", "Ａ", "５", "ａ", " ", "换", "\u200b", "ª", "º", "×", "0", "x", "-", "７"}
	r := rand.New(rand.NewPCG(7, 8))
	b := NewBuilder()
	seen := [2]int{}
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		for n := r.IntN(8); n > 0; n-- {
			sb.WriteString(parts[r.IntN(len(parts))])
		}
		s := sb.String()
		m, _, _ := b.Views(s)
		if !b.viaDirect {
			continue
		}
		want := leetCandidate(m.Text)
		if b.dw.leet != want {
			t.Fatalf("%q: direct leet flag %v, leetCandidate(%q) = %v", s, b.dw.leet, m.Text, want)
		}
		if want {
			seen[1]++
		} else {
			seen[0]++
		}
	}
	if seen[0] < 1000 || seen[1] < 1000 {
		t.Errorf("too few cases: %v", seen)
	}
}

// TestASCIIBlocks drives the eight-byte ASCII path (ascii.go) with word
// lengths, one-character words, separators, upper case and leet around
// block edges, and checks every view against the full pipeline and the
// leet pre-check.
func TestASCIIBlocks(t *testing.T) {
	parts := []string{"I", "a", "love", "USDT", "cash", " ", " ", ".", "-", "c4sh", "m1rr0r", "@", "$", "x", "7",
		"Ab", "é", "É", "换", "換", "\u200b", "　", "ＵＳＤＴ", "12345678", "abcdefghij", "  ", "\n", "p@y", "S", "b2b", "…", "。", "“", "😀",
		"ß", "÷", "×", "ÿ", "Þ", "ª", "¿", "Ä1"}
	r := rand.New(rand.NewPCG(9, 10))
	b := NewBuilder()
	direct := 0
	for i := 0; i < 20000; i++ {
		var sb strings.Builder
		for n := r.IntN(20); n > 0; n-- {
			sb.WriteString(parts[r.IntN(len(parts))])
		}
		s := sb.String()
		if compareDirect(t, s) {
			direct++
		}
		compareViews(t, b, s)
	}
	if direct < 5000 {
		t.Errorf("direct path taken only %d times", direct)
	}
}

// TestFastSymbols: what direct's shortcut for symbols assumes of every
// character fastRune can give that fastSymbol accepts.
func TestFastSymbols(t *testing.T) {
	n := 0
	for r := rune(0); r <= 0x10FFFF; r++ {
		f, own := fastRune(r)
		if f == 0 || !fastSymbol(f) {
			continue
		}
		n++
		if own != 0 || isAlnum(f) || isSpace(f) || isLatin(f) || isHan(f) || isT2S(f) || quickInvisible(f) {
			t.Errorf("fastSymbol(%U) holds, but the character is not a plain unchanged symbol", f)
		}
		if _, ok := toSimplified(f); ok {
			t.Errorf("%U has a Simplified form", f)
		}
	}
	if n < 500 {
		t.Errorf("only %d symbols", n)
	}
}
