package detect

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"vigil/detect/model"
	"vigil/detect/normalize"
	"vigil/detect/rulepack"
)

// TestExploreModelOnMisses is a tuning aid (EXPLORE=1; MODEL=file,
// RULES=dir and SETS=comma-separated jsonl paths optional): for every
// labelled category of every row it prints whether a rule of that category
// fired, the model's probability and the combined verdict, so a scoring
// change can be judged before it is made.
func TestExploreModelOnMisses(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip("set EXPLORE=1 to print the per-row rule/model table")
	}
	m := model.Default()
	if f := os.Getenv("MODEL"); f != "" {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err = model.Load(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	p := e.Pack()
	if d := os.Getenv("RULES"); d != "" {
		if p, err = rulepack.LoadDir(d); err != nil {
			t.Fatal(err)
		}
	}
	e = New(p, m, Options{})
	rulesOnly := New(p, nil, Options{})
	var rows []Labelled
	for _, set := range strings.Split(os.Getenv("SETS"), ",") {
		if set == "" {
			continue
		}
		for _, r := range readLabelledFile(t, set) {
			if strings.HasPrefix(r.ID, "dev-") && model.Holdout(r.ID) && os.Getenv("OOF") != "" {
				continue // the dev holdout is never training data
			}
			rows = append(rows, r)
		}
	}
	// OOF=1: each row's probability comes from a model trained (default
	// options) on the other four fifths, so a threshold chosen on these
	// rows is not chosen on in-sample scores.
	oof := map[string][]float64{}
	if os.Getenv("OOF") != "" {
		const k = 5
		for f := range uint64(k) {
			var tr []model.Example
			for _, r := range rows {
				if hashString(r.ID)%k != f {
					tr = append(tr, model.Example{ID: r.ID, Text: normalize.Build(r.Text).Text, Labels: r.Labels})
				}
			}
			fm, err := model.Train(tr, model.TrainOptions{Seed: model.DefaultSeed})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if hashString(r.ID)%k == f {
					oof[r.ID] = fm.Scores(normalize.Build(r.Text).Text, nil)
				}
			}
		}
	}
	var b strings.Builder
	{
		for _, r := range rows {
			v := e.Scan(Post{ID: r.ID, Text: r.Text, Lang: r.Lang})
			vr := rulesOnly.Scan(Post{ID: r.ID, Text: r.Text, Lang: r.Lang})
			probs := m.Scores(normalize.Build(r.Text).Text, nil)
			if q, ok := oof[r.ID]; ok {
				probs = q
			}
			touched, broad := map[string]bool{}, map[string]bool{}
			for _, h := range v.Hits {
				touched[h.Category] = true
				broad[h.Category] = broad[h.Category] || strings.Contains(h.Rule, ".broad_")
			}
			for ci, c := range model.Categories {
				want, got := slices.Contains(r.Labels, c), slices.Contains(v.Categories, c)
				fmt.Fprintf(&b, "ROW\t%s\t%s\twant=%t\tgot=%t\trule=%t\tanyrule=%t\tp=%.3f\tr=%.4f\tbroad=%t\n", r.ID, c, want, got, touched[c], len(v.Hits) > 0, probs[ci], vr.Scores[c], broad[c])
			}
		}
	}
	if out := os.Getenv("OUT"); out != "" {
		if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hashString is FNV-1a, enough to split rows into folds.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}
