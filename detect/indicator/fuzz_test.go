package indicator

import (
	"strings"
	"testing"
	"time"
)

// checkInvariants asserts what every caller relies on: spans inside the text, on rune
// boundaries, matching Value, sorted by Start and not overlapping.
func checkInvariants(t *testing.T, text string, got []Indicator) {
	t.Helper()
	// Rune boundaries as Go decodes the text: an invalid byte is a one-byte rune.
	boundary := make([]bool, len(text)+1)
	for i := range text {
		boundary[i] = true
	}
	boundary[len(text)] = true
	prevEnd := 0
	for i, g := range got {
		if g.Start < 0 || g.End > len(text) || g.Start >= g.End {
			t.Fatalf("%q: #%d span %d:%d out of range", text, i, g.Start, g.End)
		}
		if !boundary[g.Start] || !boundary[g.End] {
			t.Fatalf("%q: #%d span %d:%d splits a rune", text, i, g.Start, g.End)
		}
		if text[g.Start:g.End] != g.Value {
			t.Fatalf("%q: #%d Value %q != text %q", text, i, g.Value, text[g.Start:g.End])
		}
		if g.Start < prevEnd {
			t.Fatalf("%q: #%d starts at %d, before the previous end %d", text, i, g.Start, prevEnd)
		}
		if g.Type == "" || g.Normalized == "" {
			t.Fatalf("%q: #%d has an empty type or normalized value: %+v", text, i, g)
		}
		prevEnd = g.End
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"", "@", "加V：hx_la2024", "TG @abc_def", "t.me/", "t.me/x", "ventas (at) example.com",
		"+1 (646) 555-0119", "CAS 1 0 3 - 6 3 - 9", "21409-26-7", "50万美金", "一万二", "兩千五美金",
		"汇率7.25 点位1.5%", "TC67mATLpkezx7TE1gsvZeE8zD4ZHNV8ug", "bc1qn32g7wnvmprzlv6n3elww3sy3ac0esm4t8n6f5",
		"0x648D28Fe16973b802aE502ac389bf869543F9a43", "卡号 4111 1111 1111 1111", "洛杉矶LA CDMX",
		"$1.2M 5 millones de pesos", "\xff\xfe@\x80", "+", "(", "[at]", "a@b.c", "0052 222 123 4567",
		"按7.2算", "3% fee", "微信", "➕V", "1 2 3 - 4 5 - 6",
	} {
		f.Add(s, "zh-Hans")
		f.Add(s, "en")
	}
	ex := NewExtractor()
	f.Fuzz(func(t *testing.T, text, lang string) {
		got := Extract(text, Options{Lang: lang})
		checkInvariants(t, text, got)
		// The reusable Extractor must agree with the pooled one.
		again := ex.Extract(text, Options{Lang: lang})
		if len(again) != len(got) {
			t.Fatalf("%q: Extractor found %d, Extract %d", text, len(again), len(got))
		}
	})
}

func TestDevSetInvariants(t *testing.T) {
	rows := readJSONL[devRow](t, devDir+"/labelled.jsonl")
	for _, r := range rows {
		for _, text := range []string{r.Text, plainView(r.Text)} {
			checkInvariants(t, text, Extract(text, Options{Lang: r.Lang}))
		}
	}
}

// TestHostileInputIsLinear feeds long repetitive texts that would make a quadratic extractor
// crawl; each must finish quickly and keep the invariants.
func TestHostileInputIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("long input test")
	}
	for _, unit := range []string{
		"CAS 21409-26-7 ", "@abc_defgh ", "a@b.example.com ", "50万美金 ", "洛杉矶 ", "+1 650 253 0000 ",
		"加V：hx_la2024 ", "1 ", "@", "a.", "一", "TXUftGmfUUckuy1X7tw76wJ2pA8najqbn", "汇率 ",
	} {
		text := strings.Repeat(unit, 20000/len(unit)+1)
		start := time.Now()
		got := Extract(text, Options{Lang: "zh-Hans"})
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q ×%d: %v", unit, len(text)/len(unit), d)
		}
		checkInvariants(t, text, got)
	}
}
