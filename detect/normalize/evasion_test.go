package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Evasion generators: each rewrites a literal the way a seller would.
var evasions = map[string]func(string) string{
	"upper": strings.ToUpper,
	"fullwidth": func(s string) string {
		return strings.Map(func(r rune) rune {
			if r > ' ' && r < 0x7F {
				return r + 0xFEE0
			}
			return r
		}, s)
	},
	"zero-width":  func(s string) string { return interleave(s, "\u200b") },
	"word-joiner": func(s string) string { return interleave(s, "\u2060") },
	"soft-hyphen": func(s string) string { return interleave(s, "\u00ad") },
	"spaced": func(s string) string {
		if strings.ContainsRune(s, ' ') || utf8.RuneCountInString(s) < 3 {
			return s
		}
		return interleave(s, " ")
	},
	"dotted": func(s string) string {
		if strings.ContainsRune(s, ' ') || utf8.RuneCountInString(s) < 3 || !isASCII(s) {
			return s
		}
		return interleave(s, ".")
	},
	"homoglyph": func(s string) string {
		// Swap look-alikes but keep the first letter Latin, so the word is
		// mixed-script like real evasion.
		cyr := map[rune]rune{'a': 'а', 'e': 'е', 'o': 'о', 'p': 'р', 'c': 'с', 'x': 'х', 'y': 'у', 's': 'ѕ', 'i': 'і'}
		out := []rune(s)
		for i := 1; i < len(out); i++ {
			if c, ok := cyr[out[i]]; ok && out[i-1] != ' ' {
				out[i] = c
			}
		}
		return string(out)
	},
	"traditional": func(s string) string {
		return strings.Map(func(r rune) rune {
			for i, to := range t2sTo {
				if to == r {
					return t2sFrom[i]
				}
			}
			return r
		}, s)
	},
	"mixed": func(s string) string { // full-width, then zero-width inside
		return interleave(strings.ToUpper(s), "\u200c")
	},
}

func interleave(s, sep string) string {
	var sb strings.Builder
	for i, r := range s {
		if i > 0 {
			sb.WriteString(sep)
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TestFoldFindsGeneratedEvasions: for every literal and evasion, the folded
// literal occurs in the view, and Orig maps it back onto the evaded text.
func TestFoldFindsGeneratedEvasions(t *testing.T) {
	literals := []string{"usdt", "fentanyl", "cash out", "mirror", "anpp", "换汇", "走账", "洗钱", "现金", "對敲", "precio"}
	contexts := []string{"%s", "vendo %s hoy", "收%s，当面", "(%s)!", "¿%s?"}
	for _, lit := range literals {
		want := Fold(lit)
		for name, ev := range evasions {
			evaded := ev(lit)
			for _, ctx := range contexts {
				text := strings.Replace(ctx, "%s", evaded, 1)
				v := Build(text)
				i := strings.Index(v.Text, want)
				if i < 0 {
					t.Errorf("%s: Fold(%q)=%q not in Build(%q)=%q", name, lit, want, text, v.Text)
					continue
				}
				s, e := v.Orig(i, i+len(want))
				if got := text[s:e]; Fold(got) != want {
					t.Errorf("%s: Orig of %q in %q is %q", name, want, text, got)
				}
				if evaded != lit && v.Transforms(i, i+len(want)) == 0 && strings.ToLower(evaded) != lit {
					t.Errorf("%s: no transform reported for %q in %q", name, want, text)
				}
			}
		}
	}
}
