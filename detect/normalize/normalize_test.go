package normalize

import (
	"reflect"
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	tests := []struct {
		name, in, want string
		applied        Transform
	}{
		{"plain ascii untouched", "cash pickup today", "cash pickup today", 0},
		{"case fold", "Cash PICKUP", "cash pickup", CaseFold},
		{"full-width letters", "ＵＳＤＴ", "usdt", NFKC | CaseFold},
		{"full-width digits in Chinese", "５０万", "50万", NFKC},
		{"full-width phone", "６２６－５５５－０１０４", "626-555-0104", NFKC},
		{"zero-width space", "f\u200be\u200bn\u200bt", "fent", Invisible},
		{"zero-width in Chinese", "走\u200b账", "走账", Invisible},
		{"ZWNJ ZWJ word joiner soft hyphen BOM", "a\u200cb\u200dc\u2060d\u00ade\ufefff", "abcdef", Invisible},
		{"tag characters", "ok\U000E0041\U000E007F", "ok", Invisible},
		{"emoji keeps base, loses VS16", "❄️ ice", "❄ ice", Invisible},
		{"Cyrillic in Latin word", "U\u0405D\u0422", "usdt", Confusable | CaseFold},
		{"Cyrillic in Spanish word", "d\u00f3l\u0430r\u0435\u0455", "dólares", Confusable},
		{"Greek capitals all look-alike", "\u039c\u039f\u039d\u0395\u03a5", "money", Confusable | CaseFold},
		{"Greek NPP", "\u039d\u03a1\u03a1", "npp", Confusable | CaseFold},
		{"Cyrillic word between Han", "发\u041c\u0435\u0445\u0456\u0441\u043e安全", "发mexico安全", Confusable | CaseFold},
		{"Greek with digits", "\u039c30 pills", "m30 pills", Confusable | CaseFold},
		{"Russian word kept", "привет", "привет", 0},
		{"Greek word kept", "Ελλάδα", "ελλάδα", CaseFold},
		{"Traditional to Simplified", "換匯對敲", "换汇对敲", TradSimp},
		{"mixed Traditional", "美國交現金", "美国交现金", TradSimp},
		{"spaced letters", "U S D T cash out", "usdt cash out", Spaced | CaseFold},
		{"spaced Spanish", "f e n t a de la buena", "fenta de la buena", Spaced},
		{"spaced digits", "4 1 6 6 1", "41661", Spaced},
		{"spaced CAS with joiners", "CAS 4 1 6 6 1 - 4 7 - 6", "cas 41661-47-6", Spaced | CaseFold},
		{"dotted letters", "c.a.s.h", "cash", Spaced},
		{"dashed letters", "c-a-s-h now", "cash now", Spaced},
		{"underscore letters", "c_a_s_h", "cash", Spaced},
		{"middle dot letters", "c·a·s·h", "cash", Spaced},
		{"Han whitespace", "洗 钱", "洗钱", Spaced},
		{"Han ideographic space and newline", "洗\u3000钱\n服务", "洗钱服务", NFKC | Spaced},
		{"two singles stay", "a b", "a b", 0},
		{"English words stay", "I am a fan", "i am a fan", CaseFold},
		{"IP address stays", "10.0.0.1", "10.0.0.1", 0},
		{"digit groups with single joiners stay", "1 - 2 - 3", "1 - 2 - 3", 0},
		{"en dash", "9\u2013 5", "9- 5", Dash},
		{"minus sign", "41661\u221247\u22126", "41661-47-6", Dash},
		{"full-width hyphen via NFKC", "41661\uff0d47", "41661-47", NFKC},
		{"composed from decomposed", "Bogota\u0301", "bogotá", NFKC | CaseFold},
		{"ligature", "\ufb01at", "fiat", NFKC},
		{"combined evasions", "Ｕ\u200b Ｓ Ｄ Т 換匯", "usdt 换汇", NFKC | Invisible | Spaced | Confusable | CaseFold | TradSimp},
		{"invalid UTF-8 replaced", "a\xffb", "a\ufffdb", 0},
		{"empty", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Build(tt.in)
			if v.Text != tt.want {
				t.Errorf("Build(%q).Text = %q, want %q", tt.in, v.Text, tt.want)
			}
			if v.Applied() != tt.applied {
				t.Errorf("Build(%q).Applied() = %v, want %v", tt.in, v.Applied(), tt.applied)
			}
			checkOffsets(t, tt.in, v)
		})
	}
}

func TestBuildCased(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TJ8kQ\u200bx3ZpWm", "TJ8kQx3ZpWm"},
		{"０xAbC", "0xAbC"},
		{"U\u0405D\u0422", "USDT"},
		{"\u039c\u039f\u039d\u0395\u03a5", "MONEY"},
		{"換匯 USDT", "换汇 USDT"},
	}
	for _, tt := range tests {
		v := BuildCased(tt.in)
		if v.Text != tt.want {
			t.Errorf("BuildCased(%q) = %q, want %q", tt.in, v.Text, tt.want)
		}
		if v.Applied()&CaseFold != 0 {
			t.Errorf("BuildCased(%q) reports case folding", tt.in)
		}
	}
}

func TestBuildLeet(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"f3nt4n1l", "fentanil", true},
		{"m1rr0r tr4des", "mirror trades", true},
		{"c4sh c0ll3ct10n", "cash collection", true},
		{"c4mbi0 usdt", "cambio usdt", true},
		{"p@y w/ ca$h", "pay w/ cash", true},
		{"4-p1p3r1d0n3 HCl 40064-34-4", "4-piperidone hcl 40064-34-4", true},
		{"Ｆ３ＮＴ", "fent", true},
		{"7.25 50w 626-555-0104 41661-47-6", "", false},
		{"M30 30s 100mcg 2nd", "", false},
		{"blues m30s and a320neo", "", false},
		{"c0ll3ct10n", "collection", true},
		{"no digits at all", "", false},
		{"b2b4you", "", false},
		{"ventas@example.org", "", false},
		{"0x52908400098527886E0F7030069857D2E4169EE7", "", false},
		{"c4sh at ventas@example.org", "cash at ventas@example.org", true},
	}
	for _, tt := range tests {
		v, ok := BuildLeet(tt.in)
		if ok != tt.ok {
			t.Errorf("BuildLeet(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if !ok {
			if v != nil {
				t.Errorf("BuildLeet(%q) returned a view with ok=false", tt.in)
			}
			continue
		}
		if v.Text != tt.want {
			t.Errorf("BuildLeet(%q) = %q, want %q", tt.in, v.Text, tt.want)
		}
		if v.Applied()&Leet == 0 {
			t.Errorf("BuildLeet(%q) does not report leet", tt.in)
		}
		checkOffsets(t, tt.in, v)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"換匯", "换汇"},
		{"ＵＳＤＴ", "usdt"},
		{"USDT", "usdt"},
		{"❄️", "❄"},
		{"洗 钱", "洗钱"},
		{"M30", "m30"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldFindsEvasions: a rule literal, folded, is found in the view of a
// text that writes it in any evasion form.
func TestFoldFindsEvasions(t *testing.T) {
	tests := []struct{ literal, text string }{
		{"USDT", "vendo ＵＳＤＴ hoy"},
		{"USDT", "vendo U\u0405D\u0422 hoy"},
		{"USDT", "vendo U S D T hoy"},
		{"USDT", "vendo U\u200bS\u200bD\u200bT hoy"},
		{"usdt", "vendo Ｕ Ｓ Ｄ Ｔ hoy"},
		{"fentanilo", "f\u200be\u200bn\u200bt\u200ba\u200bn\u200bi\u200bl\u200bo en polvo"},
		{"fentanyl", "F\u0435nt\u0430n\u0443l粉末"},
		{"money", "Fast \u039c\u039f\u039d\u0395\u03a5 transfers"},
		{"换汇", "換匯对敲"},
		{"換匯", "换汇对敲"},
		{"洗钱", "专业洗 钱"},
		{"走账", "专业走\u200b账"},
		{"cash", "c.a.s.h only"},
		{"ANPP", "\u0410N\u0420\u0420 top quality"},
		{"41661-47-6", "CAS号 4 1 6 6 1 - 4 7 - 6 现货"},
		{"40064-34-4", "CAS 4\u200b0\u200b0\u200b6\u200b4\u200b-\u200b3\u200b4\u200b-\u200b4 现货"},
		{"125541-22-2", "ＣＡＳ　１２５５４１－２２－２"},
		{"❄️", "pure ❄️ here"},
		{"crypto to cash", "\u0421r\u0443\u0440t\u043e to \u0441\u0430\u0455h same day"},
	}
	for _, tt := range tests {
		lit := Fold(tt.literal)
		v := Build(tt.text)
		i := strings.Index(v.Text, lit)
		if i < 0 {
			t.Errorf("Fold(%q)=%q not in Build(%q).Text=%q", tt.literal, lit, tt.text, v.Text)
			continue
		}
		s, e := v.Orig(i, i+len(lit))
		if s < 0 || e > len(tt.text) || s > e {
			t.Errorf("%q: Orig out of range: [%d,%d)", tt.text, s, e)
		}
	}
}

func TestOrigCoversEvasion(t *testing.T) {
	tests := []struct {
		text, find, wantOrig string
		want                 Transform
	}{
		{"x f\u200be\u200bn\u200bt y", "fent", "f\u200be\u200bn\u200bt", Invisible},
		{"go U S D T now", "usdt", "U S D T", Spaced | CaseFold},
		{"go U S D T now", "now", "now", 0},
		{"pay ＵＳＤＴ", "usdt", "ＵＳＤＴ", NFKC | CaseFold},
		{"Vendo U\u0405D\u0422 hoy", "usdt", "U\u0405D\u0422", Confusable | CaseFold},
		{"收\u200b现\u200b金，上门", "收现金", "收\u200b现\u200b金", Invisible},
		{"收\u200b现\u200b金，上门", "现", "现", 0},
		{"換汇对敲", "换汇", "換汇", TradSimp},
		{"CAS 4 1 6 6 1 - 4 7 - 6 ok", "41661-47-6", "4 1 6 6 1 - 4 7 - 6", Spaced},
		{"Bogota\u0301!", "bogotá", "Bogota\u0301", NFKC | CaseFold},
		{"\ufb01at", "i", "\ufb01", NFKC},
	}
	for _, tt := range tests {
		v := Build(tt.text)
		i := strings.Index(v.Text, tt.find)
		if i < 0 {
			t.Fatalf("%q not in %q", tt.find, v.Text)
		}
		s, e := v.Orig(i, i+len(tt.find))
		if got := tt.text[s:e]; got != tt.wantOrig {
			t.Errorf("Build(%q): Orig of %q = %q, want %q", tt.text, tt.find, got, tt.wantOrig)
		}
		if got := v.Transforms(i, i+len(tt.find)); got != tt.want {
			t.Errorf("Build(%q): Transforms of %q = %v, want %v", tt.text, tt.find, got, tt.want)
		}
	}
}

func TestOrigEdges(t *testing.T) {
	v := Build("ab\u200b")
	if s, e := v.Orig(0, 0); s != 0 || e != 0 {
		t.Errorf("empty span at 0 = [%d,%d)", s, e)
	}
	if s, e := v.Orig(2, 2); s != 2 || e != 2 {
		t.Errorf("empty span at end = [%d,%d)", s, e)
	}
	if s, e := v.Orig(-5, 99); s != 0 || e != 2 {
		t.Errorf("clamped span = [%d,%d)", s, e)
	}
	if v.Applied() != Invisible {
		t.Errorf("trailing invisible not in Applied: %v", v.Applied())
	}
	var nilView *View
	if s, e := nilView.Orig(0, 1); s != 0 || e != 0 {
		t.Error("nil view")
	}
}

func TestNames(t *testing.T) {
	got := (Invisible | Confusable).Names()
	if want := []string{"invisible_removed", "confusable_folded"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
	all := Transform(0xFF).Names()
	if len(all) != 8 {
		t.Fatalf("want 8 names, got %v", all)
	}
	seen := map[string]bool{}
	for _, n := range all {
		if seen[n] || n == "" || strings.ToLower(n) != n {
			t.Errorf("bad or duplicate name %q", n)
		}
		seen[n] = true
	}
	if Transform(0).Names() != nil {
		t.Error("empty set should have no names")
	}
}

func TestBuilderMatchesFunctions(t *testing.T) {
	b := NewBuilder()
	for _, s := range []string{"ＵＳＤＴ f3nt4n1l", "換匯 U S D T", "plain", "Bogota\u0301 c4sh", ""} {
		m, c, l := b.Views(s)
		if m.Text != Build(s).Text || c.Text != BuildCased(s).Text {
			t.Errorf("Views(%q) = %q/%q, functions give %q/%q", s, m.Text, c.Text, Build(s).Text, BuildCased(s).Text)
		}
		fl, ok := BuildLeet(s)
		if ok != (l != nil) || (ok && fl.Text != l.Text) {
			t.Errorf("Views(%q) leet mismatch", s)
		}
		if got := b.Build(s).Clone(); got.Text != Build(s).Text {
			t.Errorf("Builder.Build(%q) = %q", s, got.Text)
		}
		if got := b.BuildCased(s); got.Text != BuildCased(s).Text || got.OrigLen() != len(s) {
			t.Errorf("Builder.BuildCased(%q) = %q", s, got.Text)
		}
		bl, bok := b.BuildLeet(s)
		if bok != ok || (ok && bl.Text != fl.Text) {
			t.Errorf("Builder.BuildLeet(%q) mismatch", s)
		}
	}
	b.Reset()
	if v := b.Build("ＵＳＤＴ"); v.Text != "usdt" {
		t.Errorf("after Reset: %q", v.Text)
	}
}

func TestTransformString(t *testing.T) {
	if got := (NFKC | CaseFold).String(); got != "nfkc_folded+case_folded" {
		t.Errorf("String = %q", got)
	}
	if got := Transform(0).String(); got != "none" {
		t.Errorf("String = %q", got)
	}
}

func TestForeignView(t *testing.T) {
	v := &View{Text: "abc"}
	if s, e := v.Orig(1, 2); s != 1 || e != 2 {
		t.Errorf("identity Orig = [%d,%d)", s, e)
	}
	if v.Transforms(0, 3) != 0 {
		t.Error("transforms on a bare view")
	}
}
