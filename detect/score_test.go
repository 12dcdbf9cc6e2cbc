package detect

import (
	"slices"
	"strings"
	"testing"

	"vigil/detect/model"
	"vigil/detect/normalize"
	"vigil/detect/rulepack"
	"vigil/detect/rules"
)

// broadRules returns the embedded pack and the rules of rules/broad.yaml.
func broadRules(t *testing.T) (*rulepack.Pack, []rulepack.Rule) {
	t.Helper()
	p, err := rulepack.Load(rules.FS)
	if err != nil {
		t.Fatal(err)
	}
	var out []rulepack.Rule
	for _, r := range p.Rules {
		if r.File == "broad.yaml" {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatal("no rules in broad.yaml")
	}
	return p, out
}

// TestBroadRulesNeverFlagAlone: a broad rule says only that a post talks
// about a category's mechanics. Without the model, even with a contact
// handoff and an undone evasion, no combination of them reaches the
// threshold, so the model's confidence is what flags.
func TestBroadRulesNeverFlagAlone(t *testing.T) {
	p, broad := broadRules(t)
	byCat := map[string]float64{}
	for _, r := range broad {
		if !strings.Contains(r.ID, ".broad_") {
			t.Errorf("%s: broad.yaml rule ids carry .broad_ (the explore aid and reviewers rely on it)", r.ID)
		}
		if r.W() > 0.1 {
			t.Errorf("%s: weight %.2f > 0.1", r.ID, r.W())
		}
		// Worst case: every broad rule of the category fires.
		byCat[r.Category] = 1 - (1-byCat[r.Category])*(1-r.W())
	}
	for c, r := range byCat {
		if s := combine(r, true, true, -1, true, true); s >= DefaultThreshold {
			t.Errorf("%s: all broad rules with every boost score %.3f ≥ %.2f", c, s, DefaultThreshold)
		}
	}
	// And end to end: every match example of a broad rule, rules only.
	e := New(p, nil, Options{})
	for _, r := range broad {
		for _, ex := range r.Examples.Match {
			v := e.Scan(Post{Text: ex})
			if slices.Contains(v.Categories, r.Category) && onlyBroad(v, r.Category) {
				t.Errorf("%s: rules alone flag %q", r.ID, ex)
			}
		}
	}
}

// onlyBroad reports whether every hit of category c came from a broad rule.
func onlyBroad(v Verdict, c string) bool {
	for _, h := range v.Hits {
		if h.Category == c && !strings.Contains(h.Rule, ".broad_") {
			return false
		}
	}
	return true
}

// TestBroadRuleLiftWithDefaultModel checks the point of the broad rules with
// the shipped model: offers in wording no precise rule lists are flagged,
// while the look-alikes the suppressors describe, obfuscation and emoji are
// not, whatever the model thinks.
func TestBroadRuleLiftWithDefaultModel(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	benign := []string{
		"Noticia: detienen a dos hombres con efectivo en la camioneta rumbo a la frontera",
		"PSA: a 'job' where you receive money into your account and forward it on is money-mule recruitment",
		"Armored car company hiring: drive the truck, carry cash bags between branches, background check",
		"💵💵💵 🚗 🎒 ✈️",
		"ｃａｓｈ ｉｎ ｔｈｅ ｃａｒ",
	}
	for _, s := range benign {
		if v := e.Scan(Post{Text: s}); v.Flagged {
			t.Errorf("flagged %v (hits %v): %q", v.Categories, hitRules(v), s)
		}
	}
}

func hitRules(v Verdict) []string {
	var ids []string
	for _, h := range v.Hits {
		ids = append(ids, h.Rule)
	}
	return ids
}

// TestNoRuleNoModel guards Engine.ScanInto's shortcut: it runs the model
// only when some rule fired or the post is short, which is right only
// while a long post without any rule hit scores 0 in every category
// whatever the model says. It also pins the model-alone path for short
// posts: only a near-certain model (p ≥ modelAloneMin) flags one, at p.
func TestNoRuleNoModel(t *testing.T) {
	for _, handoff := range []bool{false, true} {
		for _, evaded := range []bool{false, true} {
			for p := -1.0; p <= 1; p += 0.01 {
				if s := combine(0, handoff, evaded, p, false, false); s != 0 {
					t.Fatalf("long post: combine(0, handoff=%v, evaded=%v, p=%.2f, no rule) = %v, want 0", handoff, evaded, p, s)
				}
				want := 0.0
				if p >= modelAloneMin {
					want = p
				}
				if s := combine(0, handoff, evaded, p, false, true); s != want {
					t.Fatalf("short post: combine(0, handoff=%v, evaded=%v, p=%.2f, no rule) = %v, want %v", handoff, evaded, p, s, want)
				}
			}
		}
	}
}

// TestModelAloneRespectsSuppressors: a short warning that names the goods
// gets its rules cancelled by a suppressor, and the near-certain model
// must not flag it alone either (the rules' benign frames bind the model).
func TestModelAloneRespectsSuppressors(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	const warning = "提醒：假M30蓝色药片含芬太尼，不要购买"
	p := e.model.Scores(normalize.Build(warning).Text, nil)
	if i := slices.Index(model.Categories, "drug_sale"); p[i] < modelAloneMin {
		t.Fatalf("the probe no longer tests the gate: the model gives drug_sale %.4f < %.2f; pick a warning it is sure about", p[i], modelAloneMin)
	}
	v := e.Scan(Post{ID: "w", Text: warning})
	if !v.silenced {
		t.Fatalf("no suppressor cancelled a rule on %q; pick a warning that a rule's suppressor catches", warning)
	}
	if v.Flagged {
		t.Errorf("%q flagged %v by the model alone despite a suppressor", warning, v.Categories)
	}
}
