package detect

import (
	"bytes"
	"strings"
	"testing"
)

func TestEvaluateCountsPerCategoryAndOverall(t *testing.T) {
	gold := []Labelled{
		{ID: "1", Text: "a", Labels: []string{"ml_broker", "bulk_cash"}},
		{ID: "2", Text: "b", Labels: []string{"drug_sale"}},
		{ID: "3", Text: "c"},
		{ID: "4", Text: "d"},
	}
	pred := []Verdict{
		{ID: "1", Flagged: true, Categories: []string{"ml_broker"}, Hits: []Hit{{Rule: "ml_broker.r"}, {Rule: "ml_broker.r"}}},
		{ID: "2", Flagged: true, Categories: []string{"drug_sale", "precursor_sale"}},
		{ID: "3", Flagged: true, Categories: []string{"crypto_cashout"}},
		{ID: "4"},
	}
	r := Evaluate(gold, pred)
	if r.Overall.TP != 2 || r.Overall.FP != 1 || r.Overall.FN != 0 || r.Overall.Precision != 2.0/3 || r.Overall.Recall != 1 {
		t.Fatalf("overall %+v", r.Overall)
	}
	if r.Benign != 2 || r.BenignFlagged != 1 || r.FPRate != 0.5 {
		t.Fatalf("benign %d/%d %v", r.BenignFlagged, r.Benign, r.FPRate)
	}
	byCat := map[string]CategoryStats{}
	for _, c := range r.Categories {
		byCat[c.Category] = c
	}
	if c := byCat["bulk_cash"]; c.FN != 1 || c.Recall != 0 || c.Precision != 1 || c.Support != 1 {
		t.Fatalf("bulk_cash %+v", c)
	}
	if c := byCat["precursor_sale"]; c.FP != 1 || c.Precision != 0 || c.Support != 0 {
		t.Fatalf("precursor_sale %+v", c)
	}
	if len(r.Misses) != 1 || r.Misses[0].ID != "1" || strings.Join(r.Misses[0].Categories, ",") != "bulk_cash" || strings.Join(r.Misses[0].Rules, ",") != "ml_broker.r" {
		t.Fatalf("misses %+v", r.Misses)
	}
	if len(r.FalseAlarms) != 2 || r.FalseAlarms[0].ID != "2" || r.FalseAlarms[1].ID != "3" {
		t.Fatalf("false alarms %+v", r.FalseAlarms)
	}
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "overall                2     2     1     0     0.667   1.000  0.800") {
		t.Fatalf("text report:\n%s", b.String())
	}
}
