package detect

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"vigil/detect/model"
	"vigil/detect/normalize"
)

// losoSets are the quality sets of the leave-one-set-out study, in the
// order of the table. They are named, not globbed, so a set written later
// (and meant to stay unseen) never slips into a study by accident.
var losoSets = []string{"blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17"}

// losoRow is one labelled row with everything the combination needs: the
// rules-only verdict (its scores already carry the handoff and evasion
// boosts, which apply before the model) and the normalised text the model
// reads.
type losoRow struct {
	Labelled
	rules Verdict
	norm  string
}

// losoOptions starts from the shipped model's options (the --buckets, --l2
// and --epochs flags of model/model.go's go:generate line) and applies
// LOSO_BUCKETS (log2), LOSO_L2 and LOSO_EPOCHS over them.
func losoOptions(t *testing.T) model.TrainOptions {
	t.Helper()
	o := shippedOptions(t)
	if s := os.Getenv("LOSO_BUCKETS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 10 || n > 22 {
			t.Fatalf("LOSO_BUCKETS=%q: want log2 in 10..22", s)
		}
		o.Buckets = 1 << n
	}
	if s := os.Getenv("LOSO_L2"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("LOSO_L2=%q: %v", s, err)
		}
		o.L2 = v
	}
	if s := os.Getenv("LOSO_EPOCHS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("LOSO_EPOCHS=%q: %v", s, err)
		}
		o.Epochs = n
	}
	return o
}

// shippedOptions reads the training flags of the go:generate line that
// builds default.bin, so the study measures the model that ships.
func shippedOptions(t *testing.T) model.TrainOptions {
	t.Helper()
	o := model.TrainOptions{Seed: model.DefaultSeed}
	src, err := os.ReadFile(filepath.Join("model", "model.go"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(src)) {
		if !strings.HasPrefix(line, "//go:generate ") || !strings.Contains(line, " train ") {
			continue
		}
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			var err error
			switch f[i] {
			case "--buckets":
				o.Buckets, err = strconv.Atoi(f[i+1])
			case "--l2":
				o.L2, err = strconv.ParseFloat(f[i+1], 64)
			case "--epochs":
				o.Epochs, err = strconv.Atoi(f[i+1])
			case "--seed":
				o.Seed, err = strconv.ParseUint(f[i+1], 10, 64)
			}
			if err != nil {
				t.Fatalf("model/model.go go:generate %s %s: %v", f[i], f[i+1], err)
			}
		}
		return o
	}
	t.Fatal("model/model.go has no go:generate train line")
	return o
}

// TestLeaveOneSetOut is the generalisation study (LOSO=1; it trains one
// model per quality set, so `go test ./...` skips it). For every set k of
// losoSets it trains a model on the dev set's training part, the training
// extras (testdata/quality/train-extra*.jsonl) and every other quality set,
// and scores set k with the rules and that model, combined exactly as Scan
// does. The rules were tuned on most of the sets, so the table also shows
// the rules alone and the model alone (p ≥ threshold, no rules): the model
// column is the honest estimate of what the learned part brings to unseen
// text. The dev set's held-out fifth is scored with the model trained on
// everything. LOSO_BUCKETS, LOSO_L2, LOSO_EPOCHS set the training options;
// LOSO_NOEXTRA=1 leaves the extras out; LOSO_DUMP=file writes one line per
// row and category (set, id, category, label, rule score, any rule,
// probability, valid indicator types, length in runes) for studying other combinations
// offline, and LOSO_FORTUNES=1 adds the Debian fortunes a combination could
// flag (a rule fired or p ≥ 0.5), scored by the model trained on everything.
// The study fails when a set's combined precision drops under the issue's
// 0.95.
func TestLeaveOneSetOut(t *testing.T) {
	if os.Getenv("LOSO") == "" {
		t.Skip("set LOSO=1 to run the leave-one-set-out study (trains one model per set, and one on everything)")
	}
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rulesOnly := New(e.Pack(), nil, Options{})
	prep := func(ls []Labelled) []losoRow {
		out := make([]losoRow, len(ls))
		for i, l := range ls {
			out[i] = losoRow{Labelled: l, rules: rulesOnly.Scan(Post{ID: l.ID, Text: l.Text, Lang: l.Lang}), norm: normalize.Build(l.Text).Text}
		}
		return out
	}
	var devTrain, devHeld []losoRow
	for _, r := range prep(loadDev(t)) {
		if model.Holdout(r.ID) {
			devHeld = append(devHeld, r)
		} else {
			devTrain = append(devTrain, r)
		}
	}
	var extra []losoRow
	if os.Getenv("LOSO_NOEXTRA") == "" {
		files, _ := filepath.Glob("testdata/quality/train-extra*.jsonl")
		for _, f := range files {
			extra = append(extra, prep(readLabelledFile(t, f))...)
		}
	}
	sets := make([][]losoRow, len(losoSets))
	for i, name := range losoSets {
		sets[i] = prep(qualitySet(t, name))
	}
	opt := losoOptions(t)
	train := func(skip int) *model.Model {
		var exs []model.Example
		add := func(rs []losoRow) {
			for _, r := range rs {
				exs = append(exs, model.Example{ID: r.ID, Text: r.norm, Labels: r.Labels})
			}
		}
		add(devTrain)
		add(extra)
		for i, s := range sets {
			if i != skip {
				add(s)
			}
		}
		m, err := model.Train(exs, opt)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	var dump strings.Builder
	var b strings.Builder
	fmt.Fprintf(&b, "LOSO: options %+v (0: default), %d extra training rows, threshold %.2f\n", opt, len(extra), e.Threshold())
	hdr := "P     R     ml   bulk cryp drug prec"
	fmt.Fprintf(&b, "%-9s %4s | %-37s | %-37s | %-37s | %s\n", "", "", "combined (rules + LOSO model)", "rules only", "LOSO model only", "combined category precision")
	fmt.Fprintf(&b, "%-9s %4s | %-37s | %-37s | %-37s | %s\n", "set", "rows", hdr, hdr, hdr, "ml   bulk cryp drug prec")
	var allRows []losoRow
	var allComb, allRules, allModel []Verdict
	score := func(name string, rows []losoRow, m *model.Model) {
		comb, ro, mo := make([]Verdict, len(rows)), make([]Verdict, len(rows)), make([]Verdict, len(rows))
		for i, r := range rows {
			p := m.Scores(r.norm, nil)
			comb[i], ro[i], mo[i] = losoCombine(r.rules, p, e.Threshold(), !r.rules.silenced && utf8.RuneCountInString(r.Text) <= modelAloneRunes), r.rules, losoModelOnly(p, e.Threshold())
			for ci, c := range model.Categories {
				fmt.Fprintf(&dump, "%s\t%s\t%s\t%t\t%.4f\t%t\t%.4f\t%s\t%d\t%t\n", name, r.ID, c, slices.Contains(r.Labels, c), r.rules.Scores[c], len(r.rules.Hits) > 0, p[ci], losoIndicators(r.rules), utf8.RuneCountInString(r.Text), preciseRuleFired(r.rules))
			}
		}
		rep := Evaluate(losoGold(rows), comb)
		fmt.Fprintf(&b, "%-9s %4d | %s | %s | %s | %s\n", name, len(rows), losoCell(rep), losoCell(Evaluate(losoGold(rows), ro)), losoCell(Evaluate(losoGold(rows), mo)), losoPrecCell(rep))
		if rep.Overall.Precision < minPrecision {
			t.Errorf("%s: combined precision %.3f < %.2f with a model that never saw the set", name, rep.Overall.Precision, minPrecision)
		}
		if name != "dev-held" {
			allRows = append(allRows, rows...)
			allComb, allRules, allModel = append(allComb, comb...), append(allRules, ro...), append(allModel, mo...)
		}
	}
	for k, name := range losoSets {
		score(name, sets[k], train(k))
	}
	score("dev-held", devHeld, train(-1))
	g := losoGold(allRows)
	fmt.Fprintf(&b, "%-9s %4d | %s | %s | %s | %s\n", "LOSO all", len(allRows), losoCell(Evaluate(g, allComb)), losoCell(Evaluate(g, allRules)), losoCell(Evaluate(g, allModel)), losoPrecCell(Evaluate(g, allComb)))
	t.Log("\n" + b.String())
	if os.Getenv("LOSO_FORTUNES") != "" {
		// Benign everyday text scored by the model trained on everything:
		// the rows any combination could flag (a rule fired or p ≥ 0.5).
		full := train(-1)
		ids, texts := readFortunes(t)
		for i, s := range texts {
			v := rulesOnly.Scan(Post{ID: ids[i], Text: s})
			p := full.Scores(normalize.Build(s).Text, nil)
			if len(v.Hits) == 0 && slices.Max(p) < 0.5 {
				continue
			}
			for ci, c := range model.Categories {
				fmt.Fprintf(&dump, "fortunes\t%s\t%s\tfalse\t%.4f\t%t\t%.4f\t%s\t%d\t%t\n", ids[i], c, v.Scores[c], len(v.Hits) > 0, p[ci], losoIndicators(v), utf8.RuneCountInString(s), preciseRuleFired(v))
			}
		}
	}
	if f := os.Getenv("LOSO_DUMP"); f != "" {
		if err := os.WriteFile(f, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// losoCombine turns a rules-only verdict and model probabilities into the
// verdict Scan would give with that model.
func losoCombine(rules Verdict, p []float64, threshold float64, short bool) Verdict {
	v := Verdict{ID: rules.ID, Hits: rules.Hits, Categories: []string{}, Scores: map[string]float64{}}
	any := len(rules.Hits) > 0
	if os.Getenv("LOSO_SECOND") == "precise" {
		// H38 study: only a rule outside broad.yaml opens the model's
		// second-label path (cost 5 labels for 2 wrong ones; not shipped).
		any = preciseRuleFired(rules)
	}
	for ci, c := range model.Categories {
		s := combine(rules.Scores[c], false, false, p[ci], any, short)
		v.Scores[c] = s
		if s >= threshold {
			v.Categories = append(v.Categories, c)
		}
	}
	v.Categories = canonicalOrder(v.Categories)
	v.Flagged = len(v.Categories) > 0
	return v
}

// preciseRuleFired reports whether a rule outside broad.yaml fired, the
// condition Scan puts on the model's second-label path.
func preciseRuleFired(v Verdict) bool {
	return slices.ContainsFunc(v.Hits, func(h Hit) bool { return !strings.Contains(h.Rule, ".broad_") })
}

// losoModelOnly flags the categories whose probability reaches threshold.
func losoModelOnly(p []float64, threshold float64) Verdict {
	v := Verdict{Categories: []string{}}
	for ci, c := range model.Categories {
		if p[ci] >= threshold {
			v.Categories = append(v.Categories, c)
		}
	}
	v.Categories = canonicalOrder(v.Categories)
	v.Flagged = len(v.Categories) > 0
	return v
}

// losoIndicators lists the valid indicator types of a verdict.
func losoIndicators(v Verdict) string {
	var ts []string
	for _, in := range v.Indicators {
		if in.Valid && !slices.Contains(ts, in.Type) {
			ts = append(ts, in.Type)
		}
	}
	return strings.Join(ts, ",")
}

func canonicalOrder(cs []string) []string {
	slices.SortFunc(cs, func(a, b string) int { return slices.Index(Categories, a) - slices.Index(Categories, b) })
	return cs
}

func losoGold(rows []losoRow) []Labelled {
	out := make([]Labelled, len(rows))
	for i, r := range rows {
		out[i] = r.Labelled
	}
	return out
}

// losoPrecCell prints precision per category (a held-out author who labels
// a post with one category counts the engine's second label as a false
// positive here, while row-level precision does not move).
func losoPrecCell(r Report) string {
	var cs []string
	for _, c := range r.Categories {
		cs = append(cs, fmt.Sprintf("%.2f", c.Precision))
	}
	return strings.Join(cs, " ")
}

// losoCell prints overall precision and recall, then recall per category.
func losoCell(r Report) string {
	cs := []string{fmt.Sprintf("%.3f %.3f", r.Overall.Precision, r.Overall.Recall)}
	for _, c := range r.Categories {
		cs = append(cs, fmt.Sprintf("%.2f", c.Recall))
	}
	return strings.Join(cs, " ")
}
