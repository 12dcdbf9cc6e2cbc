package detect

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"vigil/detect/model"
	"vigil/detect/rulepack"
	"vigil/detect/rules"
)

func tinyEngine(t testing.TB, m *model.Model) *Engine {
	t.Helper()
	p, err := rulepack.LoadDir("rules/testdata")
	if err != nil {
		t.Fatal(err)
	}
	return New(p, m, Options{})
}

// checkOffsets asserts the explanation contract: offsets inside the
// original, on rune boundaries (as `for range` decodes it, so a stray byte
// of invalid UTF-8 is a rune of its own), Match equal to the slice.
func checkOffsets(t testing.TB, text string, v Verdict) {
	t.Helper()
	bound := map[int]bool{len(text): true}
	for i := range text {
		bound[i] = true
	}
	ok := func(i int) bool { return bound[i] }
	for _, h := range v.Hits {
		if !ok(h.Start) || !ok(h.End) || h.Start > h.End {
			t.Fatalf("hit %+v: bad offsets for %q", h, text)
		}
		if text[h.Start:h.End] != h.Match {
			t.Fatalf("hit %+v: match %q != original slice %q", h, h.Match, text[h.Start:h.End])
		}
	}
	for _, in := range v.Indicators {
		if !ok(in.Start) || !ok(in.End) || in.Start > in.End {
			t.Fatalf("indicator %+v: bad offsets for %q", in, text)
		}
	}
}

func TestTinyPackExamples(t *testing.T) {
	e := tinyEngine(t, nil)
	for _, f := range e.Pack().TestExamples(e.FiredRules) {
		t.Error(f)
	}
}

// TestEmbeddedRuleExamples runs every example of the production pack
// through the whole pipeline (also `vigil rules test`).
func TestEmbeddedRuleExamples(t *testing.T) {
	p, err := rulepack.Load(rules.FS)
	if err != nil {
		t.Fatal(err)
	}
	e := New(p, nil, Options{})
	for _, f := range e.Pack().TestExamples(e.FiredRules) {
		t.Error(f)
	}
}

func TestScanExplainsWithOriginalOffsets(t *testing.T) {
	e := tinyEngine(t, nil)
	text := "先生您好！換匯 請加v，謝謝"
	v := e.Scan(Post{ID: "p1", Text: text})
	checkOffsets(t, text, v)
	if !slices.Equal(v.Categories, []string{"ml_broker"}) || !v.Flagged {
		t.Fatalf("verdict %+v", v)
	}
	var matches []string
	for _, h := range v.Hits {
		matches = append(matches, h.Match)
		if h.Rule != "ml_broker.fx" || h.Category != "ml_broker" {
			t.Fatalf("hit %+v", h)
		}
	}
	if !slices.Equal(matches, []string{"換匯", "加v"}) {
		t.Fatalf("matches %q", matches)
	}
	if v.RulePack != e.Pack().Version() || v.Model != "none" || v.ID != "p1" {
		t.Fatalf("provenance %+v", v)
	}
}

func TestScanIndicatorRuleAndPrecursor(t *testing.T) {
	e := tinyEngine(t, nil)
	text := "现货 ANPP 21409-26-7, tg: @someone_here"
	v := e.Scan(Post{ID: "x", Text: text})
	checkOffsets(t, text, v)
	if !slices.Contains(v.Categories, "precursor_sale") {
		t.Fatalf("categories %v", v.Categories)
	}
	var sawContactHit bool
	for _, h := range v.Hits {
		if h.Rule == "crypto_cashout.contact_only" {
			sawContactHit = strings.Contains(h.Match, "someone_here")
		}
	}
	if !sawContactHit {
		t.Fatalf("indicator-only rule not explained by its indicator: %+v", v.Hits)
	}
	// A weight-0.1 rule stays under the threshold even with the handoff boost.
	if slices.Contains(v.Categories, "crypto_cashout") {
		t.Fatal("weak indicator-only rule flagged")
	}
	if v2 := e.Scan(Post{Text: "现货 acetone 67-64-1"}); v2.Flagged {
		t.Fatalf("benign CAS flagged: %+v", v2)
	}
}

func TestScanCategoriesCanonicalOrderAndJSON(t *testing.T) {
	e := tinyEngine(t, nil)
	v := e.Scan(Post{ID: "a", Text: "cash pickup tonight; fentanyl for sale; 换汇 dm me"})
	if !slices.Equal(v.Categories, []string{"ml_broker", "bulk_cash", "drug_sale"}) {
		t.Fatalf("categories %v", v.Categories)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	order := []string{`"id"`, `"flagged"`, `"categories"`, `"scores"`, `"hits"`, `"indicators"`, `"rulepack"`, `"model"`}
	last := -1
	for _, k := range order {
		i := strings.Index(s, k+":")
		if i < last {
			t.Fatalf("field %s out of order in %s", k, s)
		}
		last = i
	}
	empty, _ := json.Marshal(e.Scan(Post{ID: "b", Text: "hello"}))
	if !strings.Contains(string(empty), `"categories":[],`) || !strings.Contains(string(empty), `"hits":[],"indicators":[]`) {
		t.Fatalf("empty verdict JSON %s", empty)
	}
}

func TestScanSuppressorAndWeakRule(t *testing.T) {
	e := tinyEngine(t, nil)
	if v := e.Scan(Post{Text: "据报道，fentanyl for sale"}); v.Flagged {
		t.Fatalf("news framing flagged: %+v", v)
	}
	v := e.Scan(Post{Text: "m30 blues"})
	if v.Flagged || v.Scores["drug_sale"] != 0.3 {
		t.Fatalf("weak rule: %+v", v)
	}
}

func TestScanPinyin(t *testing.T) {
	e := tinyEngine(t, nil)
	v := e.Scan(Post{Text: "fen tai ni 现货"})
	if !slices.Contains(v.Categories, "drug_sale") {
		t.Fatalf("pinyin not matched: %+v", v)
	}
}

func TestConcurrentScansAgree(t *testing.T) {
	e := tinyEngine(t, nil)
	texts := []string{"fentanyl for sale", "換匯 加v", "hello", "cash pickup", "现货 21409-26-7"}
	want := make([]string, len(texts))
	for i, s := range texts {
		b, _ := json.Marshal(e.Scan(Post{ID: s, Text: s}))
		want[i] = string(b)
	}
	done := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func() {
			for r := 0; r < 200; r++ {
				i := r % len(texts)
				b, _ := json.Marshal(e.Scan(Post{ID: texts[i], Text: texts[i]}))
				if string(b) != want[i] {
					done <- &mismatch{string(b), want[i]}
					return
				}
			}
			done <- nil
		}()
	}
	for w := 0; w < 4; w++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

type mismatch struct{ got, want string }

func (m *mismatch) Error() string { return "got " + m.got + " want " + m.want }

func FuzzScan(f *testing.F) {
	for _, s := range []string{"fentanyl for sale", "換匯 加v", "f\u200be\u200bntanyl 4 sale", "ＣＡＳ ２１４０９-２６-７ 现货", "\xff\xfe", "c a s h pickup", "f3nt4nyl sale", "e\u0301", ""} {
		f.Add(s)
	}
	e := tinyEngine(f, nil)
	f.Fuzz(func(t *testing.T, text string) {
		v := e.Scan(Post{ID: "f", Text: text})
		checkOffsets(t, text, v)
		for _, c := range v.Categories {
			if !slices.Contains(Categories, c) {
				t.Fatalf("unknown category %q", c)
			}
		}
	})
}

// TestScanUndoesEvasionsAndNamesThem checks that matches survive each
// evasion, point at exactly what the user wrote, and say what was undone.
func TestScanUndoesEvasionsAndNamesThem(t *testing.T) {
	e := tinyEngine(t, nil)
	tests := []struct {
		text, match, evasion string
		score                float64
	}{
		{"f3nt4nyl for sale", "f3nt4nyl", "leet_decoded", 0.82},
		{"fen\u200btanyl for sale", "fen\u200btanyl", "invisible_removed", 0.82},
		{"f\u0435ntanyl for sale", "f\u0435ntanyl", "confusable_folded", 0.82}, // Cyrillic е
		{"f e n t a n y l for sale", "f e n t a n y l", "spacing_collapsed", 0.82},
		// Full-width and Traditional forms are routine typing: named, but no boost.
		{"Ｆｅｎｔａｎｙｌ for sale", "Ｆｅｎｔａｎｙｌ", "nfkc_folded", 0.8},
		{"芬太尼現貨", "現貨", "trad_to_simp", 0.8},
	}
	for _, tc := range tests {
		v := e.Scan(Post{Text: tc.text})
		checkOffsets(t, tc.text, v)
		var found bool
		for _, h := range v.Hits {
			if h.Match == tc.match {
				found = slices.Contains(h.Evasion, tc.evasion)
			}
		}
		if !found || v.Scores["drug_sale"] != tc.score {
			t.Errorf("%q: want hit %q with evasion %s and score %v; got %+v", tc.text, tc.match, tc.evasion, tc.score, v)
		}
	}
	// Upper case is not an evasion.
	for _, h := range e.Scan(Post{Text: "FENTANYL FOR SALE"}).Hits {
		if len(h.Evasion) != 0 {
			t.Errorf("case folding reported as evasion: %+v", h)
		}
	}
}

func TestCombine(t *testing.T) {
	tests := []struct {
		name                     string
		r                        float64
		handoff, evaded, anyRule bool
		p, want                  float64
	}{
		{"rules only", 0.6, false, false, true, -1, 0.6},
		{"handoff raises a rule score", 0.6, true, false, true, -1, 0.66},
		{"evasion raises a rule score", 0.6, false, true, true, -1, 0.64},
		{"handoff alone creates nothing", 0, true, true, false, -1, 0},
		{"confident model lifts a weak rule", 0.4, false, false, true, 0.8, 0.8},
		{"model at modelLift lifts a broad rule", 0.2, false, false, true, 0.5, 0.5},
		{"model under modelLift cannot lift a broad rule", 0.2, false, false, true, 0.49, 0.345},
		{"broad rule with every boost stays under 0.5", 0.2, true, true, true, -1, 0.388},
		{"unsure model cannot lift a weak rule", 0.4, false, false, true, 0.45, 0.425},
		{"model cannot pull a strong rule down", 0.8, false, false, true, 0.01, 0.8},
		{"second label needs high confidence", 0, false, false, true, 0.75, 0.45},
		{"confident second label", 0, false, false, true, 0.85, 0.55},
		{"second label, low", 0, false, false, true, 0.2, 0},
		{"model never raises a long post alone", 0, true, true, false, 0.999, 0},
	}
	for _, tc := range tests {
		if got := round4(combine(tc.r, tc.handoff, tc.evaded, tc.p, tc.anyRule, false)); got != tc.want {
			t.Errorf("%s: combine = %v, want %v", tc.name, got, tc.want)
		}
	}
}
