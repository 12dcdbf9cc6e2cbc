package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRulesTestPassesOnGoodPack(t *testing.T) {
	out, _, code := runCLI(t, "rules", "test", tinyRules)
	if code != 0 || !strings.Contains(out, "0 failures") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestRulesTestReportsFailingExamples(t *testing.T) {
	dir := t.TempDir()
	pack := `rules:
  - id: drug_sale.x
    category: drug_sale
    weight: 0.5
    all: [[fent]]
    examples:
      match: ["fent", "fenton"]
      no_match: ["buy fent"]
`
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(pack), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "rules", "test", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{`FAIL drug_sale.x (p.yaml): expected to fire but did not fire on "fenton"`, `expected to not fire but fired on "buy fent"`, "2 failures"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRulesTestRejectsInvalidPack(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte("rules:\n  - id: x\n    category: nope\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, code := runCLI(t, "rules", "test", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
}
