package rulepack

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"vigil/detect/normalize"
)

func testPack(t *testing.T) *Pack {
	t.Helper()
	p, err := LoadDir("testdata/pack")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeIndicators stands in for the indicator extractor in this package's
// tests: it reports a precursor CAS when the ANPP number is present.
func fakeIndicators(text string) IndicatorSet {
	if strings.Contains(text, "21409-26-7") {
		return IndicatorBit("precursor_cas") | IndicatorBit("cas")
	}
	return 0
}

func fired(p *Pack, text string) []string {
	v := normalize.Build(text).Text
	var ids []string
	for _, f := range p.Match(v, fakeIndicators(v)) {
		ids = append(ids, f.Rule.ID)
	}
	return ids
}

func assertFires(t *testing.T, p *Pack, rule string, yes, no []string) {
	t.Helper()
	for _, s := range yes {
		if !slices.Contains(fired(p, s), rule) {
			t.Errorf("%s did not fire on %q (fired %v)", rule, s, fired(p, s))
		}
	}
	for _, s := range no {
		if slices.Contains(fired(p, s), rule) {
			t.Errorf("%s fired on %q", rule, s)
		}
	}
}

func TestPackExamples(t *testing.T) {
	p := testPack(t)
	if f := p.TestExamples(func(s string) []string { return fired(p, s) }); len(f) > 0 {
		for _, x := range f {
			t.Error(x)
		}
	}
}

func TestTestExamplesReportsFailures(t *testing.T) {
	p := testPack(t)
	fails := p.TestExamples(func(string) []string { return []string{"drug_sale.plug"} })
	var sawMissing, sawUnexpected bool
	for _, f := range fails {
		if f.Rule == "ml_broker.fx_contact" && f.WantMatch && f.Example == "代收代付 加v 123" {
			sawMissing = true
		}
		if f.Rule == "drug_sale.plug" && !f.WantMatch && f.Example == "a plugin" {
			sawUnexpected = true
			if !strings.Contains(f.String(), "expected to not fire but fired") {
				t.Errorf("message %q", f.String())
			}
		}
	}
	if !sawMissing || !sawUnexpected {
		t.Fatalf("failures not reported: %v", fails)
	}
}

func TestOverlappingOccurrencesCount(t *testing.T) {
	p := testPack(t)
	// "代收" lies inside "代收代付": the $fx group must see it.
	assertFires(t, p, "ml_broker.fx_contact", []string{"代收代付加v", "专业对敲代收 telegram"}, []string{"代付 加v"})
	// Spans point at the literals that satisfied each group.
	v := normalize.Build("本店代收代付，dm me").Text
	for _, f := range p.Match(v, 0) {
		if f.Rule.ID != "ml_broker.fx_contact" {
			continue
		}
		got := []string{v[f.Spans[0].Start:f.Spans[0].End], v[f.Spans[1].Start:f.Spans[1].End]}
		if got[0] != "代收" || got[1] != "dm me" {
			t.Fatalf("spans %q", got)
		}
		return
	}
	t.Fatal("rule did not fire")
}

// TestAutomatonFindsAllOverlapping checks the automaton (and the library's
// overlapping iterator) against a brute-force search on random texts over a tiny
// alphabet, where overlaps and shared prefixes/suffixes are common.
func TestAutomatonFindsAllOverlapping(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alpha := []string{"a", "b", "代", "收"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alpha[rng.Intn(len(alpha))])
		}
		return b.String()
	}
	for round := 0; round < 30; round++ {
		seen := map[string]bool{}
		var lits []string
		for len(lits) < 8 {
			w := word(1 + rng.Intn(4))
			if !seen[w] {
				seen[w] = true
				lits = append(lits, w)
			}
		}
		var quoted []string
		for _, l := range lits {
			quoted = append(quoted, fmt.Sprintf("%q", "*"+l+"*"))
		}
		yml := "rules:\n  - id: ml_broker.r\n    category: ml_broker\n    weight: 1\n    all: [[" + strings.Join(quoted, ", ") + "]]\n    examples: {match: [x]}\n"
		p, err := loadYAML(t, map[string]string{"a.yaml": yml})
		if err != nil {
			t.Fatal(err)
		}
		text := word(40)
		var got, lib, want []string
		p.m.ac.each(text, func(pat, start, end int) {
			got = append(got, fmt.Sprintf("%d@%d", pat, start))
		})
		// The library's overlapping DFA iterator is a second oracle.
		ref := libBuilder().Build(p.m.texts)
		it := ref.IterOverlapping(text)
		for m := it.Next(); m != nil; m = it.Next() {
			lib = append(lib, fmt.Sprintf("%d@%d", m.Pattern(), m.Start()))
		}
		for i, pat := range p.m.texts {
			for off := 0; off+len(pat) <= len(text); off++ {
				if strings.HasPrefix(text[off:], pat) {
					want = append(want, fmt.Sprintf("%d@%d", i, off))
				}
			}
		}
		sort.Strings(got)
		sort.Strings(lib)
		sort.Strings(want)
		if !slices.Equal(lib, want) {
			t.Fatalf("library: text %q lits %q\n got %v\nwant %v", text, lits, lib, want)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("text %q lits %q\n got %v\nwant %v", text, lits, got, want)
		}
	}
}

func TestWholeWordAndStar(t *testing.T) {
	p := testPack(t)
	assertFires(t, p, "drug_sale.plug",
		[]string{"plug", "hmu plug.", "plug!", "找plug", "laundering", "launderer", "launder", "bitcoin", "litecoin", "coin"},
		[]string{"plugin", "unplugged", "plug2", "xlaunder", "coins", "bitcoins", "plugé"})
}

func TestWindow(t *testing.T) {
	p := testPack(t)
	assertFires(t, p, "bulk_cash.window",
		[]string{"cash pickup", "pickup, cash", "收现 现金", "现金 ok 收现", "cash: pickup"},
		// 12 runes: far apart in runes, also when the text is Han (bytes ≠ runes).
		[]string{"pickup the kids at school and later bring cash", "收现一二三四五六七八九十现金", "cash",
			// 收现 and 现金 share 现: one span never satisfies two groups.
			"收现金"})
	// An early far-apart pair must not hide a later close pair.
	assertFires(t, p, "bulk_cash.window", []string{"pickup ................................ cash pickup"}, nil)
	// Exactly at the limit: "收现" + 8 runes + "现金" is 12 runes.
	assertFires(t, p, "bulk_cash.window", []string{"收现12345678现金"}, []string{"收现123456789现金"})
}

func TestSuppressors(t *testing.T) {
	p := testPack(t)
	// Whole-post suppressor.
	assertFires(t, p, "ml_broker.fx_contact", []string{"代收 telegram"}, []string{"据报道，代收 telegram", "代收 telegram, according to police"})
	// Windowed suppressor: only near the match.
	assertFires(t, p, "drug_sale.plug",
		[]string{"beware of long words in this sentence before the plug"},
		[]string{"beware plug", "plug - beware", "谨防plug"})
}

func TestRegexMustAlsoMatch(t *testing.T) {
	p := testPack(t)
	assertFires(t, p, "crypto_cashout.rate_regex", []string{"usdt 1.5点位", "收usdt 点位? 2点位"}, []string{"usdt", "1.5点位"})
	v := normalize.Build("usdt 1.5点位").Text
	for _, f := range p.Match(v, 0) {
		if f.Rule.ID == "crypto_cashout.rate_regex" {
			if len(f.Spans) != 2 || v[f.Spans[1].Start:f.Spans[1].End] != "1.5点位" {
				t.Fatalf("spans %v", f.Spans)
			}
		}
	}
}

func TestRequiredIndicators(t *testing.T) {
	p := testPack(t)
	assertFires(t, p, "precursor_sale.cas", []string{"现货 21409-26-7"}, []string{"现货", "in stock 67-64-1"})
	// The set is what the caller passes, whatever the text says.
	v := normalize.Build("in stock").Text
	if len(p.Match(v, IndicatorBit("precursor_cas"))) != 1 {
		t.Fatal("indicator bit ignored")
	}
	if IndicatorBit("nonsense") != 0 {
		t.Fatal("unknown type has a bit")
	}
}

func TestPinyin(t *testing.T) {
	p := testPack(t)
	assertFires(t, p, "ml_broker.pinyin",
		[]string{"换汇秒到", "huanhui fast", "huan hui 秒到", "hh fast"},
		[]string{"huanhuifast", "shanghai fast", "hhh fast"})
	// Rules without `pinyin:` do not match pinyin spellings.
	assertFires(t, p, "ml_broker.fx_contact", []string{"代收 telegram"}, []string{"dai shou telegram", "daishou telegram"})
}

func TestPinyinVariants(t *testing.T) {
	got := func(s string, initials bool) []string {
		l, err := parseLiteral(s)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range pinyinVariants(l, initials) {
			out = append(out, v.text)
		}
		return out
	}
	if g := got("芬太尼", true); !slices.Equal(g, []string{"fentaini", "fen tai ni", "ftn"}) {
		t.Fatalf("芬太尼: %q", g)
	}
	if g := got("出金", false); !slices.Equal(g, []string{"chujin", "chu jin"}) {
		t.Fatalf("出金: %q", g)
	}
	// One Han character is too ambiguous to spell out.
	if g := got("u商", true); g != nil {
		t.Fatalf("u商: %q", g)
	}
	// Mixed literals keep their Latin part and get no initials.
	if g := got("收usdt现金", true); !slices.Equal(g, []string{"shouusdtxianjin", "shou usdt xian jin"}) {
		t.Fatalf("mixed: %q", g)
	}
}

func TestDollarLiterals(t *testing.T) {
	yml := "terms:\n  t: [x]\nrules:\n  - id: bulk_cash.d\n    category: bulk_cash\n    weight: 1\n    all: [[\"$1 serial\", \"$$t\"]]\n    examples: {match: [x]}\n"
	p, err := loadYAML(t, map[string]string{"a.yaml": yml})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.m.texts, []string{normalize.Fold("$1 serial"), normalize.Fold("$t")}) {
		t.Fatalf("patterns %q", p.m.texts)
	}
}

func TestScratchReuse(t *testing.T) {
	p := testPack(t)
	sc := p.NewScratch()
	texts := []string{"代收 telegram", "nothing here", "cash pickup", "plug", "据报道 代收 telegram"}
	for round := 0; round < 3; round++ {
		for _, s := range texts {
			v := normalize.Build(s).Text
			var a, b []string
			for _, f := range p.MatchInto(sc, v, 0) {
				a = append(a, f.Rule.ID)
			}
			for _, f := range p.Match(v, 0) {
				b = append(b, f.Rule.ID)
			}
			if !slices.Equal(a, b) {
				t.Fatalf("round %d %q: scratch %v fresh %v", round, s, a, b)
			}
		}
	}
}

func TestAdversarialRepetitionIsBounded(t *testing.T) {
	p := testPack(t)
	text := strings.Repeat("pickup ", 5000) + strings.Repeat("x", 100) + strings.Repeat(" cash", 5000)
	// Must finish quickly and not fire: the two words are never within 12 runes.
	if slices.Contains(fired(p, text), "bulk_cash.window") {
		t.Fatal("fired")
	}
}

func TestEmojiLiteralsIgnoreVariationSelectors(t *testing.T) {
	yml := "rules:\n  - id: drug_sale.e\n    category: drug_sale\n    weight: 1\n    all: [[\"❄️\"], [\"💊\"]]\n    examples: {match: [x]}\n"
	p, err := loadYAML(t, map[string]string{"a.yaml": yml})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"❄️💊", "❄💊", "❄\ufe0f 💊\ufe0f", "snow ❄ and 💊 here"} {
		if !slices.Contains(fired(p, s), "drug_sale.e") {
			t.Errorf("emoji rule did not fire on %q", s)
		}
	}
}

// overlapPack has rules whose groups share literals or contain each other's
// literals, so that one span of text could satisfy two groups at once.
func overlapPack(t *testing.T) *Pack {
	t.Helper()
	yml := `rules:
  - id: bulk_cash.shared
    category: bulk_cash
    weight: 1
    all: [["bill counter", cash], ["bill counter", need, paying]]
    examples: {match: [x]}
  - id: ml_broker.nested
    category: ml_broker
    weight: 1
    all: [[代收代付], [代付]]
    examples: {match: [x]}
  - id: bulk_cash.backtrack
    category: bulk_cash
    weight: 1
    all: [[pickup, cash], [cash]]
    examples: {match: [x]}
  - id: bulk_cash.window3
    category: bulk_cash
    weight: 1
    all: [["cash drop"], [drop, cash], [tonight]]
    window: 30
    examples: {match: [x]}
`
	p, err := loadYAML(t, map[string]string{"a.yaml": yml})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGroupsNeedDisjointSpans(t *testing.T) {
	p := overlapPack(t)
	// The demo false alarm: "bill counter" once cannot be both groups.
	assertFires(t, p, "bulk_cash.shared",
		[]string{"bill counter, paying well", "need a bill counter for the cash", "bill counter and another bill counter"},
		[]string{"selling a used bill counter", "bill counter"})
	// A literal inside another group's longer literal is the same text.
	assertFires(t, p, "ml_broker.nested", []string{"代收代付，另有代付", "代付和代收代付"}, []string{"代收代付", "专业代收代付业务"})
	// Greedy takes "cash" for group 0, which blocks group 1; backtracking
	// moves group 0 to "pickup".
	assertFires(t, p, "bulk_cash.backtrack", []string{"cash pickup", "pickup cash"}, []string{"cash", "pickup"})
	// Three groups, a window and overlaps: "cash drop" is one piece of
	// evidence, so a second one must come from distinct words in the window.
	assertFires(t, p, "bulk_cash.window3",
		[]string{"cash drop tonight, cash", "cash drop, drop tonight", "tonight: cash drop + cash"},
		[]string{"cash drop tonight", "cash drop ..... far far away and much later cash tonight", "the cash drop tonight"})
}

func TestDisjointSpansReported(t *testing.T) {
	p := overlapPack(t)
	v := normalize.Build("cash pickup").Text
	for _, f := range p.Match(v, 0) {
		if f.Rule.ID != "bulk_cash.backtrack" {
			continue
		}
		got := []string{v[f.Spans[0].Start:f.Spans[0].End], v[f.Spans[1].Start:f.Spans[1].End]}
		if got[0] != "pickup" || got[1] != "cash" {
			t.Fatalf("spans %q, want [pickup cash]", got)
		}
		return
	}
	t.Fatal("rule did not fire")
}

func TestDisjointAssignmentIsBoundedAndAllocationFree(t *testing.T) {
	p := overlapPack(t)
	// Thousands of occurrences shared by every group: the search stays
	// within its budget and still finds a disjoint assignment.
	text := normalize.Build(strings.Repeat("bill counter cash drop 代收代付 ", 2000)).Text
	start := time.Now()
	if got := fired(p, text); !slices.Contains(got, "bulk_cash.shared") || !slices.Contains(got, "ml_broker.nested") {
		t.Fatalf("fired %v", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("adversarial post took %v", d)
	}
	sc := p.NewScratch()
	p.MatchInto(sc, text, 0)
	v := normalize.Build("need a bill counter for the cash, pickup tonight").Text
	p.MatchInto(sc, v, 0)
	if n := testing.AllocsPerRun(50, func() { p.MatchInto(sc, v, 0) }); n != 0 {
		t.Fatalf("MatchInto allocates %v times per run on a warm scratch", n)
	}
}
