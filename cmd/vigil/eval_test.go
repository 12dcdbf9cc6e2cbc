package main

import (
	"encoding/json"
	"strings"
	"testing"

	"vigil/detect"
)

const evalRows = `{"id":"e1","text":"cash pickup tonight","labels":["bulk_cash"]}
{"id":"e2","text":"fentanyl for sale, dm me","labels":["drug_sale"]}
{"id":"e3","text":"m30 blues","labels":["drug_sale"]}
{"id":"e4","text":"据报道 fentanyl for sale","labels":[]}
{"id":"e5","text":"cash pickup at the bank","labels":[]}
{"id":"e6","text":"nice weather","labels":[]}
`

func TestEvalJSONReport(t *testing.T) {
	in := writeFile(t, "gold.jsonl", evalRows)
	out, _, code := runCLI(t, "eval", "--in", in, "--json", "--rules", tinyRules, "--model", "none", "--threshold", "0.5")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r detect.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// e1, e2 found; e3 missed (weak rule); e5 is a false alarm.
	if r.Rows != 6 || r.Positives != 3 || r.Benign != 3 || r.BenignFlagged != 1 {
		t.Fatalf("counts %+v", r)
	}
	if r.Overall.TP != 2 || r.Overall.FN != 1 || r.Overall.FP != 1 {
		t.Fatalf("overall %+v", r.Overall)
	}
	if len(r.Misses) != 1 || r.Misses[0].ID != "e3" || len(r.FalseAlarms) != 1 || r.FalseAlarms[0].ID != "e5" {
		t.Fatalf("misses %+v false alarms %+v", r.Misses, r.FalseAlarms)
	}
	if r.FalseAlarms[0].Text != "cash pickup at the bank" || r.Model != "none" || !strings.HasPrefix(r.RulePack, "rp-") {
		t.Fatalf("report %+v", r)
	}
}

func TestEvalTextReport(t *testing.T) {
	in := writeFile(t, "gold.jsonl", evalRows)
	out, _, code := runCLI(t, "eval", "--in", in, "--json=false", "--rules", tinyRules, "--model", "none", "--threshold", "0.5")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"overall", "drug_sale", "false-positive rate on benign rows: 0.3333 (1 of 3)", "Misses (1)", "e3", "m30 blues", "False alarms (1)", "cash pickup at the bank"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestEvalRejectsMalformedInput(t *testing.T) {
	in := writeFile(t, "gold.jsonl", `{"id":"a","text":"x","labels":[]}`+"\n{oops\n")
	_, _, code := runCLI(t, "eval", "--in", in, "--json=false", "--rules", tinyRules, "--model", "none", "--threshold", "0.5")
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
}
