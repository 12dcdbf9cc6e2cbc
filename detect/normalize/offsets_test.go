package normalize

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// checkOffsets asserts the View invariants: every span of Text maps to a span
// of the original on rune boundaries, inside it, and in order.
func checkOffsets(t testing.TB, orig string, v *View) {
	t.Helper()
	n := len(v.Text)
	if start, end, tr := perByte(v); len(start) != n || len(end) != n || len(tr) != n {
		t.Fatalf("%q: map lengths %d/%d/%d for text of %d bytes", orig, len(start), len(end), len(tr), n)
	}
	checkCompact(t, v)
	if !utf8.ValidString(v.Text) {
		t.Fatalf("%q: view text is not valid UTF-8: %q", orig, v.Text)
	}
	// Rune boundaries as Go decodes the original (an invalid byte is a rune).
	bounds := make([]bool, len(orig)+1)
	bounds[len(orig)] = true
	for p := range orig {
		bounds[p] = true
	}
	boundary := func(p int) bool { return bounds[p] }
	prevStart, prevEnd := 0, 0
	for i := 0; i < n; i++ {
		s, e := v.Orig(i, i+1)
		if s < 0 || e > len(orig) || s >= e || !boundary(s) || !boundary(e) {
			t.Fatalf("%q: byte %d maps to bad span [%d,%d)", orig, i, s, e)
		}
		// Spans never go backwards; characters expanded from one original
		// character (ﬁ→fi) share its span.
		if s < prevStart || e < prevEnd || (s != prevStart && s < prevEnd) {
			t.Fatalf("%q: byte %d maps to [%d,%d) after [%d,%d)", orig, i, s, e, prevStart, prevEnd)
		}
		prevStart, prevEnd = s, e
	}
	for _, sp := range [][2]int{{0, n}, {0, n / 2}, {n / 3, n}, {n / 2, n / 2}} {
		s, e := v.Orig(sp[0], sp[1])
		if s < 0 || e > len(orig) || s > e || !boundary(s) || !boundary(e) {
			t.Fatalf("%q: Orig(%d,%d) = [%d,%d)", orig, sp[0], sp[1], s, e)
		}
	}
}

// pieces are fragments that exercise every stage.
var pieces = []string{
	"a", "B", "z", "0", "7", "4", " ", " ", ".", "-", "_", "·", "\u200b", "\u200d", "\u00ad", "\ufe0f",
	"ＵＳＤＴ", "５", "　", "－", "\u2013", "\u2212", "\u0405", "\u0422", "\u0430", "Μ", "Ο", "γ", "Σ", "ς",
	"换", "換", "匯", "洗", "钱", "\n", "\u0301", "\u0308", "e", "\ufb01", "㎏", "½", "ⅷ", "İ", "ß",
	"❄", "👨", "\U000E0041", "\xff", "\xe4\xb8", "ᄀ", "ᅡ", "ᆨ", "가", "@", "$", "3", "1", "A\u030a",
	"Ω", "K", "ǅ", "ﾊﾟ", "ｶﾞ", "\u0345", "ΐ", "ѐ", "ѝ", "й", "и\u0306",
}

func randomText(r *rand.Rand) string {
	var sb strings.Builder
	for n := r.IntN(24); n > 0; n-- {
		sb.WriteString(pieces[r.IntN(len(pieces))])
	}
	return sb.String()
}

func TestRandomOffsetsAndIdempotence(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	b := NewBuilder()
	for i := 0; i < 20000; i++ {
		s := randomText(r)
		v := Build(s)
		checkOffsets(t, s, v)
		checkOffsets(t, s, BuildCased(s))
		if l, ok := BuildLeet(s); ok {
			checkOffsets(t, s, l)
		}
		if again := Build(v.Text).Text; again != v.Text {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, v.Text, again)
		}
		if bv := b.Build(s); bv.Text != v.Text {
			t.Fatalf("Builder differs on %q: %q vs %q", s, bv.Text, v.Text)
		}
		compareViews(t, b, s)
	}
}

func sameView(a, b *View) bool {
	as, ae, at := perByte(a)
	bs, be, bt := perByte(b)
	return a.Text == b.Text && a.applied == b.applied && a.origLen == b.origLen &&
		slices.Equal(as, bs) && slices.Equal(ae, be) && slices.Equal(at, bt)
}

// compareViews checks that Builder.Views, which derives views from each
// other, gives exactly what the separate functions give.
func compareViews(t *testing.T, b *Builder, s string) {
	t.Helper()
	m, c, l := b.Views(s)
	if b.viaDirect && b.dw.leet != leetCandidate(m.Text) {
		t.Fatalf("Views(%q): direct's leet pre-check %v, leetCandidate(%q) %v", s, b.dw.leet, m.Text, !b.dw.leet)
	}
	if want := Build(s); !sameView(m, want) {
		t.Fatalf("Views(%q) main %q differs from Build %q", s, m.Text, want.Text)
	}
	if want := BuildCased(s); !sameView(c, want) {
		t.Fatalf("Views(%q) cased %q differs from BuildCased %q", s, c.Text, want.Text)
	}
	want, ok := BuildLeet(s)
	if ok != (l != nil) || (ok && !sameView(l, want)) {
		t.Fatalf("Views(%q) leet differs from BuildLeet", s)
	}
}

func FuzzBuild(f *testing.F) {
	for _, s := range pieces {
		f.Add(s)
	}
	f.Add("U S D T cash out, f\u200be\u200bn\u200bt, ΜΟΝΕΥ 換匯 洗 钱 c.a.s.h 4 1 6 6 1 - 4 7 - 6")
	f.Add("Ｍ３０ 现货 １００ 粒起，电话 ６２６－５５５－０１０４ f3nt4n1l p@y")
	f.Add("出 U 換 NTD，M 三零 Plan B 我们 4 - A N P P C A S 4 1 6 6 1 - 4 7 - 6")
	f.Fuzz(func(t *testing.T, s string) {
		v := Build(s)
		checkOffsets(t, s, v)
		if again := Build(v.Text).Text; again != v.Text {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, v.Text, again)
		}
		checkOffsets(t, s, BuildCased(s))
		if l, ok := BuildLeet(s); ok {
			checkOffsets(t, s, l)
		}
		compareDirect(t, s)
		compareViews(t, NewBuilder(), s)
	})
}

// compareDirect checks that the one-pass path, when it accepts s, agrees
// with the full pipeline byte for byte.
func compareDirect(t *testing.T, s string) bool {
	t.Helper()
	var b Builder
	taken := false
	for _, m := range []mode{modeCased, modeLower} {
		var dv, gv View
		if !b.direct(s, &dv, m) {
			continue
		}
		taken = true
		dv = *dv.Clone()
		b.prepare(s)
		b.finishItems(s, &gv, m, true)
		if !sameView(&dv, &gv) {
			t.Fatalf("mode %d, %q: direct %q (%v), pipeline %q (%v)", m, s, dv.Text, dv.applied, gv.Text, gv.applied)
		}
	}
	return taken
}

// fastPieces are characters the direct path handles, with the separators and
// one-character words that make it hand over to the general pipeline.
var fastPieces = []string{
	"a", "B", "é", "Ñ", "1", "4", " ", " ", ".", "-", "_", "\n", "，", "。", "换", "換", "洗", "钱",
	"Ａ", "ｂ", "５", "　", "．", "－", "＿", "가", "word", "ÀÉ", "“", "”", "《", "》", "x", "7",
	"\u200b", "\ufe0f", "\u00ad", "❄", "—", "\u2011", "¿", "·", "→", "💊", "…", "a…", "…b",
}

// TestDirectMatchesPipeline: the one-pass path for common text gives the
// same view as the full pipeline, or hands over.
func TestDirectMatchesPipeline(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	direct := 0
	for i := 0; i < 30000; i++ {
		var sb strings.Builder
		for n := r.IntN(16); n > 0; n-- {
			sb.WriteString(fastPieces[r.IntN(len(fastPieces))])
		}
		if compareDirect(t, sb.String()) {
			direct++
		}
	}
	if direct < 10000 {
		t.Errorf("direct path taken only %d times", direct)
	}
}

// TestFastRunesAreStable checks the fast-path tables against the normaliser:
// each accepted character normalises (alone) to what fastRune says, starts a
// normalisation segment (never combines with what precedes it), and the
// extended set of the general path is NFKC-stable too.
func TestFastRunesAreStable(t *testing.T) {
	for r := rune(0x80); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		s := string(r)
		if f, own := fastRune(r); f != 0 {
			want := norm.NFKC.String(s)
			if isDash(r) || r == 0x2011 {
				want = "-"
			}
			if string(f) != want {
				t.Errorf("fastRune(%U) = %q, NFKC gives %q", r, f, want)
			}
			if (own&NFKC != 0) != (norm.NFKC.String(s) != s) {
				t.Errorf("fastRune(%U) NFKC bit wrong", r)
			}
		}
		if f, _ := stableRune(r); f != 0 {
			if !norm.NFKC.PropertiesString(s).BoundaryBefore() {
				t.Errorf("%U combines with what precedes it", r)
			}
			if _, own := fastRune(r); own == 0 && norm.NFKC.String(s) != s {
				t.Errorf("%U is not NFKC-stable", r)
			}
		}
	}
}

// TestViewsCaseFoldDirect covers the one-pass path's case folding in Views
// (ASCII and Latin-1 upper case, the multiplication sign that is not a
// letter, lower-case-only text that shares its string) against the
// separate functions.
func TestViewsCaseFoldDirect(t *testing.T) {
	b := NewBuilder()
	for _, s := range []string{
		"ÀÉÎÕÖ×ØÞß ÿ àé", "2×3 Ø", "MONEY 換匯 Ñandú", "already lower 现金", "ＵＳＤＴ Ｃａｓｈ",
		"É", "ZÞ", "x", "", "@A[Z`", "Ã\u0097",
	} {
		compareViews(t, b, s)
		if m, _, _ := b.Views(s); strings.ContainsAny(m.Text, "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÉÎÕÖØÞÑ") {
			t.Errorf("Views(%q) main %q keeps upper case", s, m.Text)
		}
	}
}
