package rulepack

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// minimalRule is a valid rule body; tests splice one defect into it.
const minimalRule = `
  - id: drug_sale.x
    category: drug_sale
    weight: 0.5
    description: d
    source: s
    all:
      - [fent]
    examples:
      match: ["fent"]
`

func loadYAML(t *testing.T, files map[string]string) (*Pack, error) {
	t.Helper()
	fs := fstest.MapFS{}
	for name, body := range files {
		fs[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return Load(fs)
}

// wantError asserts that loading fails with an *Error for file/id/field whose
// message contains msg.
func wantError(t *testing.T, files map[string]string, file, id, field, msg string) {
	t.Helper()
	_, err := loadYAML(t, files)
	if err == nil {
		t.Fatalf("Load succeeded; want an error about %s", field)
	}
	var all []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		all = j.Unwrap()
	} else {
		all = []error{err}
	}
	for _, e := range all {
		var pe *Error
		if errors.As(e, &pe) && pe.File == file && pe.ID == id && pe.Field == field && strings.Contains(pe.Msg, msg) {
			return
		}
	}
	t.Fatalf("no error for %s/%s/%s containing %q; got:\n%v", file, id, field, msg, err)
}

func TestLoadValidPack(t *testing.T) {
	p, err := LoadDir("testdata/pack")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 6 || len(p.Suppressors) != 2 {
		t.Fatalf("rules=%d suppressors=%d", len(p.Rules), len(p.Suppressors))
	}
	if !regexp.MustCompile(`^rp-[0-9a-f]{12}$`).MatchString(p.Version()) {
		t.Fatalf("version %q", p.Version())
	}
	if r := p.Rules[0]; r.File != "b_rules.yaml" || r.W() != 0.6 || r.CategoryIndex() != 0 {
		t.Fatalf("rule 0: %+v", r)
	}
}

func TestVersionChangesWithAnyEdit(t *testing.T) {
	base := "rules:" + minimalRule
	p1, err := loadYAML(t, map[string]string{"a.yaml": base})
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := loadYAML(t, map[string]string{"a.yaml": base})
	p3, _ := loadYAML(t, map[string]string{"a.yaml": base + "\n# comment\n"})
	p4, _ := loadYAML(t, map[string]string{"b.yaml": base})
	if p1.Version() != p2.Version() {
		t.Fatal("version not deterministic")
	}
	if p1.Version() == p3.Version() || p1.Version() == p4.Version() {
		t.Fatal("version did not change with content or file name")
	}
}

func TestLoadErrors(t *testing.T) {
	rule := func(repl ...string) map[string]string {
		return map[string]string{"r.yaml": "rules:" + strings.NewReplacer(repl...).Replace(minimalRule)}
	}
	tests := []struct {
		name          string
		files         map[string]string
		id, field, in string
	}{
		{"unknown category", rule("category: drug_sale", "category: drugs"), "drug_sale.x", "category", `unknown category "drugs"; use one of ml_broker`},
		{"unknown term", rule("[fent]", "[$nope]"), "drug_sale.x", "all[0]", "unknown term $nope"},
		{"unknown suppressor", rule("    all:", "    unless: [nope]\n    all:"), "drug_sale.x", "unless[0]", `unknown suppressor "nope"`},
		{"weight above 1", rule("weight: 0.5", "weight: 1.5"), "drug_sale.x", "weight", "outside 0..1"},
		{"weight below 0", rule("weight: 0.5", "weight: -0.1"), "drug_sale.x", "weight", "outside 0..1"},
		{"weight missing", rule("    weight: 0.5\n", ""), "drug_sale.x", "weight", "weight is missing"},
		{"bad regex", rule("    all:", "    regex: ['(unclosed']\n    all:"), "drug_sale.x", "regex[0]", "bad regular expression"},
		{"unknown indicator", rule("    all:", "    indicators: [fax]\n    all:"), "drug_sale.x", "indicators[0]", `unknown indicator type "fax"`},
		{"bad pinyin mode", rule("    all:", "    pinyin: yes\n    all:"), "drug_sale.x", "pinyin", "use none, full or initials"},
		{"star inside literal", rule("[fent]", "[fe*nt]"), "drug_sale.x", "all[0]", "only at the start or the end"},
		{"empty literal", rule("[fent]", `["  "]`), "drug_sale.x", "all[0]", "empty after normalisation"},
		{"empty group", rule("[fent]", "[]"), "drug_sale.x", "all[0]", "empty group"},
		{"no patterns", rule("    all:\n      - [fent]\n", ""), "drug_sale.x", "all", "no patterns"},
		{"no match examples", rule(`      match: ["fent"]`, `      no_match: ["x"]`), "drug_sale.x", "examples.match", "no match examples"},
		{"negative window", rule("    all:", "    window: -3\n    all:"), "drug_sale.x", "window", "negative"},
		{"term cycle", map[string]string{"r.yaml": "terms:\n  a: [$b]\n  b: [$a]\nrules:" + strings.Replace(minimalRule, "[fent]", "[$a]", 1)}, "drug_sale.x", "all[0]", "refers to itself"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, tc.files, "r.yaml", tc.id, tc.field, tc.in)
		})
	}
}

func TestLoadErrorsAcrossFiles(t *testing.T) {
	t.Run("duplicate rule id", func(t *testing.T) {
		wantError(t, map[string]string{"a.yaml": "rules:" + minimalRule, "b.yaml": "rules:" + minimalRule},
			"b.yaml", "drug_sale.x", "id", "duplicate rule id (also in a.yaml)")
	})
	t.Run("duplicate term", func(t *testing.T) {
		wantError(t, map[string]string{"a.yaml": "terms:\n  t: [x]\n", "b.yaml": "terms:\n  t: [y]\nrules:" + minimalRule},
			"b.yaml", "t", "terms", "already defined in a.yaml")
	})
	t.Run("duplicate suppressor", func(t *testing.T) {
		sup := "suppressors:\n  - id: s\n    any: [x]\n"
		wantError(t, map[string]string{"a.yaml": sup, "b.yaml": sup + "rules:" + minimalRule}, "b.yaml", "s", "id", "duplicate suppressor id")
	})
	t.Run("unknown YAML field", func(t *testing.T) {
		wantError(t, map[string]string{"a.yaml": "rules:" + strings.Replace(minimalRule, "weight:", "wieght: 1\n    weight:", 1)},
			"a.yaml", "", "", "field wieght not found")
	})
	t.Run("unknown top-level field", func(t *testing.T) {
		wantError(t, map[string]string{"a.yaml": "version: 2\nrules:" + minimalRule}, "a.yaml", "", "", "field version not found")
	})
	t.Run("terms from another file resolve", func(t *testing.T) {
		_, err := loadYAML(t, map[string]string{"a.yaml": "terms:\n  t: [fent]\n", "b.yaml": "rules:" + strings.Replace(minimalRule, "[fent]", "[$t]", 1)})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestErrorMessageIsActionable(t *testing.T) {
	e := &Error{File: "ml.yaml", ID: "ml_broker.x", Field: "weight", Msg: "weight 2 is outside 0..1; use a value between 0 and 1"}
	want := "ml.yaml: ml_broker.x: field weight: weight 2 is outside 0..1; use a value between 0 and 1"
	if e.Error() != want {
		t.Fatalf("got %q", e.Error())
	}
}
