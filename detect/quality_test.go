package detect

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Quality floors for the default engine (issue 3 asks ≥ 0.95 precision and
// ≥ 0.90 recall on an unseen held-out set). The quality sets under
// testdata/quality were written apart from the dev set to catch rules that
// only memorise dev phrasing.
const (
	minPrecision   = 0.95
	minRecall      = 0.90
	minCatRecall   = 0.85
	qualitySetGlob = "testdata/quality/*.jsonl"
)

// readLabelledFile reads a JSON Lines file of Labelled rows.
func readLabelledFile(t *testing.T, path string) []Labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []Labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		rows = append(rows, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func qualityRows(t *testing.T) []Labelled {
	t.Helper()
	files, err := filepath.Glob(qualitySetGlob)
	if err != nil || len(files) == 0 {
		t.Fatalf("no quality sets at %s (%v)", qualitySetGlob, err)
	}
	var rows []Labelled
	for _, f := range files {
		rows = append(rows, readLabelledFile(t, f)...)
	}
	return rows
}

// assertQuality scans rows with the default engine, logs the full report
// and fails below the floors.
func assertQuality(t *testing.T, name string, rows []Labelled) {
	t.Helper()
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]Verdict, len(rows))
	for i, r := range rows {
		pred[i] = e.Scan(Post{ID: r.ID, Text: r.Text, Lang: r.Lang})
	}
	rep := Evaluate(rows, pred)
	rep.Threshold = e.Threshold()
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s:\n%s", name, b.String())
	if rep.Overall.Precision < minPrecision {
		t.Errorf("%s: overall precision %.3f < %.2f", name, rep.Overall.Precision, minPrecision)
	}
	if rep.Overall.Recall < minRecall {
		t.Errorf("%s: overall recall %.3f < %.2f", name, rep.Overall.Recall, minRecall)
	}
	for _, c := range rep.Categories {
		if c.Recall < minCatRecall {
			t.Errorf("%s: %s recall %.3f < %.2f", name, c.Category, c.Recall, minCatRecall)
		}
	}
}

func TestQualityDevSet(t *testing.T) {
	assertQuality(t, "dev set", loadDev(t))
}

func TestQualityIndependentSets(t *testing.T) {
	assertQuality(t, "quality sets", qualityRows(t))
}

// TestQualitySetsAreWellFormed keeps the quality sets useful as a yardstick:
// enough rows, every category and language represented, labels valid and in
// canonical order, no duplicate ids or texts.
func TestQualitySetsAreWellFormed(t *testing.T) {
	rows := qualityRows(t)
	if len(rows) < 300 {
		t.Errorf("%d rows; want at least 300", len(rows))
	}
	ids, texts := map[string]bool{}, map[string]bool{}
	perCat := map[string]int{}
	posLang := map[string]int{}
	benign := 0
	for _, r := range rows {
		if r.ID == "" || ids[r.ID] {
			t.Errorf("missing or duplicate id %q", r.ID)
		}
		if texts[r.Text] {
			t.Errorf("%s: duplicate text", r.ID)
		}
		ids[r.ID], texts[r.Text] = true, true
		if !slices.Contains([]string{"zh-Hans", "zh-Hant", "es", "en", "mixed"}, r.Lang) {
			t.Errorf("%s: lang %q", r.ID, r.Lang)
		}
		last := -1
		for _, l := range r.Labels {
			i := slices.Index(Categories, l)
			if i <= last {
				t.Errorf("%s: label %q unknown, repeated or out of canonical order", r.ID, l)
			}
			last = i
			perCat[l]++
		}
		if len(r.Labels) == 0 {
			benign++
		} else {
			posLang[r.Lang]++
		}
	}
	for _, c := range Categories {
		if perCat[c] < 40 {
			t.Errorf("%s: %d positives; want at least 40", c, perCat[c])
		}
	}
	for _, l := range []string{"zh-Hans", "zh-Hant", "es", "en", "mixed"} {
		if posLang[l] < 10 {
			t.Errorf("%s: %d positive rows; want at least 10", l, posLang[l])
		}
	}
	if benign < 120 {
		t.Errorf("%d negative rows; want at least 120", benign)
	}
}

// TestBillCounterIsNotCashCounting is the demo false alarm: buying a bill
// counter and paying cash for it is not a counting job, while paid help to
// count and seal cash is.
func TestBillCounterIsNotCashCounting(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"Anyone selling a used bill counter? Need it for the shop, paying cash",
		"Need a bill counter, paying cash",
		"Vendo máquina contadora de billetes, poco uso, ideal para negocio",
	} {
		if v := e.Scan(Post{Text: s}); v.Flagged {
			t.Errorf("flagged %v: %q", v.Categories, s)
		}
	}
	for _, s := range []string{
		"Paying two people to count and vacuum seal cash tonight",
		"招人晚上帮忙数钱打包，日结",
	} {
		if v := e.Scan(Post{Text: s}); !slices.Contains(v.Categories, "bulk_cash") {
			t.Errorf("not bulk_cash (%v): %q", v.Categories, s)
		}
	}
}
