package indicator

import (
	"strings"
	"testing"
)

func TestValidCAS(t *testing.T) {
	for s, ok := range map[string]bool{
		"21409-26-7": true, "58-08-2": true, "7647-14-5": true, "125541-22-2": true,
		"21409 - 26 - 7": true, "1 0 3 - 6 3 - 9": true,
		"21409-26-8": false, "58-08-3": false, "2024-01-15": false, "1-23-4": false,
		"12345678-12-3": false, "21409-26-7x": false, "": false, "abc": false, "21409-2-67": false,
	} {
		if got := ValidCAS(s); got != ok {
			t.Errorf("ValidCAS(%q) = %v, want %v", s, got, ok)
		}
	}
}

func TestPrecursorTable(t *testing.T) {
	for _, cas := range []string{
		"21409-26-7", "39742-60-4", "23056-29-3", "125541-22-2", "1609-66-1",
		"41661-47-6", "40064-34-4", "79099-07-3", "103-63-9",
	} {
		if !ValidCAS(cas) {
			t.Errorf("precursor %s fails its own check digit", cas)
		}
		if name, ok := Precursor(cas); !ok || name == "" {
			t.Errorf("Precursor(%s) = %q, %v", cas, name, ok)
		}
	}
	if name, ok := Precursor("21409 - 26 - 7"); !ok || name != "ANPP (4-anilino-N-phenethylpiperidine)" {
		t.Errorf("spaced ANPP: %q %v", name, ok)
	}
	for _, cas := range []string{"58-08-2", "67-64-1", "110-89-4", "21409-26-8", "junk"} {
		if _, ok := Precursor(cas); ok {
			t.Errorf("Precursor(%s) reported a precursor", cas)
		}
	}
}

func TestExtractCAS(t *testing.T) {
	runCases(t, []tcase{
		{text: "ANPP 21409-26-7 现货", want: []want{{CAS, "21409-26-7", "21409-26-7", true, "ANPP (4-anilino-N-phenethylpiperidine)"}}},
		{text: "CAS: 1 0 3 - 6 3 - 9 factory", want: []want{{CAS, "1 0 3 - 6 3 - 9", "103-63-9", true, "phenethyl bromide"}}},
		{text: "NPP (CAS 39742 - 60 - 4)", want: []want{{CAS, "39742 - 60 - 4", "39742-60-4", true, "NPP"}}},
		{text: "ANPP 21409\u201126\u20117 and NPP 39742\u221260\u22124", want: []want{
			{CAS, "21409\u201126\u20117", "21409-26-7", true, "ANPP"}, {CAS, "39742\u221260\u22124", "39742-60-4", true, "NPP"}}},
		{text: "caffeine 58-08-2 and salt 7647-14-5", want: []want{
			{CAS, "58-08-2", "58-08-2", true, ""}, {CAS, "7647-14-5", "7647-14-5", true, ""}}},
		// A wrong check digit is a look-alike: reported, not valid.
		{text: "ANPP 21409-26-8 in stock", want: []want{{CAS, "21409-26-8", "21409-26-8", false, "check digit"}}},
		// Dates, part numbers and phones are not CAS numbers.
		{text: "shipped 2024-01-15, arrives 2024-3-1", only: CAS},
		{text: "date 2024-03-1 only", only: CAS},
		{text: "part AB-12345-67-8 and SKU 12-34-56-7", only: CAS},
		{text: "call 323-555-0127", only: CAS},
		{text: "v1.21409-26-7", only: CAS},
		// A comma after a word separates (a full-width ，folds to ','); after a digit it
		// continues a longer number.
		{text: "1-boc-4-AP,125541-22-2,标签", want: []want{{CAS, "125541-22-2", "125541-22-2", true, "1-boc-4-AP"}}},
		{text: "total 12,21409-26-7", only: CAS},
		// Short CAS-shaped numbers with a wrong check digit are ordinary numbers, unless the
		// word CAS introduces them.
		{text: "score 3-2, ratio 10-20-1, pages 123-45-6", only: CAS},
		{text: "CAS 123-45-6", want: []want{{CAS, "123-45-6", "123-45-6", false, "check digit"}}},
	})
}

// TestCASMayStart checks the pre-filter of extractCAS against scanCAS on every string of up
// to nine symbols over a digit, a space, dashes and a letter: wherever scanCAS reads a number
// from the start of a digit run, casMayStart must let it through.
func TestCASMayStart(t *testing.T) {
	syms := []string{"1", " ", "-", "x", "–"}
	var rec func(s string, depth int)
	rec = func(s string, depth int) {
		for i := 0; i < len(s); i++ {
			if !isDigit(s[i]) || i > 0 && isDigit(s[i-1]) {
				continue
			}
			end := i
			for end < len(s) && isDigit(s[end]) {
				end++
			}
			if _, _, _, ok := scanCAS(s, i); ok && !casMayStart(s, i, end) {
				t.Fatalf("%q at %d: scanCAS reads a number, casMayStart says no", s, i)
			}
		}
		if depth == 9 {
			return
		}
		for _, c := range syms {
			rec(s+c, depth+1)
		}
	}
	rec("", 0)
	for _, s := range []string{"21409-26-7", "1 0 3 - 6 3 - 9", "21409 - 26 - 7", "21409–26–7", "1234567-89-0"} {
		if !casMayStart(s, 0, strings.IndexAny(s, " -–")) {
			t.Errorf("%q: rejected", s)
		}
	}
}
