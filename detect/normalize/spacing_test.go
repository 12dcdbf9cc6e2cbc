package normalize

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// spacingCases are spacing evasions and ordinary text that looks like them,
// with the view each must give.
var spacingCases = []struct{ in, want string }{
	// A lone Latin letter or digit written into Chinese with spaces.
	{"出 U 換 NTD", "出u换 ntd"},
	{"收 U", "收u"},
	{"跑 U 了", "跑u了"},
	{"M 三零 现货", "m三零现货"},
	{"出U 换", "出u换"},
	{"出 U　换", "出u换"}, // ideographic space
	{"出 \u200bU 换", "出u换"},
	{"收 U 100万", "收u 100万"},
	{"第 3 名", "第3名"},
	{"A 和 B", "a和b"},
	// ... unless it reads as part of Latin text, or a line break parts it.
	{"Plan B 我们", "plan b 我们"},
	{"我们 Plan B", "我们 plan b"},
	{"收 U\n换", "收u\n换"},
	{"收\nU", "收\nu"},
	{"出 U S D T 换", "出 usdt 换"},
	{"丙酮 67-64-1 两瓶", "丙酮 67-64-1 两瓶"}, // the 1 ends a CAS number
	{"供應 1-Boc-4-哌啶酮", "供应 1-boc-4-哌啶酮"},
	{"Cambio U 换U", "cambio u 换u"},
	{"U.S.D.T 换", "usdt 换"},
	// A dash joins spaced groups when a digit is on one side of it.
	{"4 - A P powder", "4-ap powder"},
	{"1 - b o c - 4 - A P", "1-boc-4-ap"},
	{"4 - A N P P 现货", "4-anpp 现货"},
	{"4 - A - P", "4 - a - p"}, // "4-a-p" would itself be a dashed run
	{"a - b c", "a - b c"},
	// Spaced letters of a word and spaced digits of a number after it.
	{"C A S 4 1 6 6 1 - 4 7 - 6", "cas 41661-47-6"},
	{"CAS 4 1 6 6 1 - 4 7 - 6", "cas 41661-47-6"},
	{"U S D T 1 0 0 0", "usdt 1000"},
	{"C 6 H 12", "c6h 12"},
	{"A B C", "abc"},
	{"a b 1", "ab1"},
	{"1 2 3\n4 5 6", "123\n456"},
	{"10 20 30 40", "10 20 30 40"},
	{"y o", "y o"},
}

func TestSpacingViews(t *testing.T) {
	for _, c := range spacingCases {
		v := Build(c.in)
		if v.Text != c.want {
			t.Errorf("Build(%q) = %q, want %q", c.in, v.Text, c.want)
			continue
		}
		checkOffsets(t, c.in, v)
		compareDirect(t, c.in)
		if again := Build(v.Text).Text; again != v.Text {
			t.Errorf("not idempotent: %q -> %q -> %q", c.in, v.Text, again)
		}
	}
}

// TestSpacingOrig: a rule hit on the collapsed token maps back onto the
// whole evaded span, and the collapse is reported.
func TestSpacingOrig(t *testing.T) {
	for _, c := range []struct{ in, token, orig string }{
		{"今天 出 U 換 NTD 快", "出u换", "出 U 換"},
		{"M 三零 现货", "m三零现货", "M 三零 现货"},
		{"sell 4 - A N P P now", "4-anpp", "4 - A N P P"},
		{"CAS: C A S 4 1 6 6 1 - 4 7 - 6.", "41661-47-6", "4 1 6 6 1 - 4 7 - 6"},
		{"CAS: C A S 4 1 6 6 1 - 4 7 - 6.", "cas 4", "C A S 4"},
	} {
		v := Build(c.in)
		i := strings.Index(v.Text, c.token)
		if i < 0 {
			t.Errorf("%q not in Build(%q) = %q", c.token, c.in, v.Text)
			continue
		}
		s, e := v.Orig(i, i+len(c.token))
		if got := c.in[s:e]; got != c.orig {
			t.Errorf("Orig of %q in %q = %q, want %q", c.token, c.in, got, c.orig)
		}
		if v.Transforms(i, i+len(c.token))&Spaced == 0 {
			t.Errorf("%q in %q: Spaced not reported", c.token, c.in)
		}
	}
}

// TestSpacingDirectHandsOver: text the one-pass path takes must not hide a
// lone letter between Han and spaces (its result would then differ from the
// general path's, which compareDirect checks); ordinary mixed text still
// takes it.
func TestSpacingDirectHandsOver(t *testing.T) {
	var b Builder
	var v View
	for _, s := range []string{"收U，当面", "USDT 换 NTD", "我们 Plan B", "第3名", "丙酮 67-64-1 两瓶", "供應 1-Boc"} {
		if !b.direct(s, &v, modeLower) {
			t.Errorf("direct gave up on %q", s)
		}
	}
	for _, s := range []string{"收 U", "M 三零", "出U 换", "出 U 换"} {
		if b.direct(s, &v, modeLower) {
			t.Errorf("direct took %q", s)
		}
	}
}

// TestSpacingDirectRandom: mixes of Han, spaces and lone letters, where the
// one-pass path must hand over exactly when the general path collapses.
func TestSpacingDirectRandom(t *testing.T) {
	pieces := []string{"收", "換", "钱", " ", " ", "　", "U", "3", "b", "ab", "Plan", "\u200b", "\n", "-", ".", "，", "é", "가"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		var sb strings.Builder
		for n := 1 + r.IntN(10); n > 0; n-- {
			sb.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := sb.String()
		compareDirect(t, s)
		v := Build(s)
		checkOffsets(t, s, v)
		if again := Build(v.Text).Text; again != v.Text {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, v.Text, again)
		}
	}
}
