package detect

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Labelled is one row of a labelled data set (the dev set's JSON Lines
// schema; unknown fields are ignored by the reader).
type Labelled struct {
	ID      string   `json:"id"`
	Text    string   `json:"text"`
	Lang    string   `json:"lang,omitempty"`
	Labels  []string `json:"labels"`
	Kind    string   `json:"kind,omitempty"`
	Surface string   `json:"surface,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// Stats are detection counts and the derived precision, recall and F1.
type Stats struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// CategoryStats are the Stats of one category; Support is the number of
// rows labelled with it.
type CategoryStats struct {
	Category string `json:"category"`
	Support  int    `json:"support"`
	Stats
}

// Mistake is a row the engine got wrong for at least one category.
type Mistake struct {
	ID         string             `json:"id"`
	Text       string             `json:"text"`
	Want       []string           `json:"want"`
	Got        []string           `json:"got"`
	Categories []string           `json:"categories"` // the missed (or falsely flagged) categories
	Scores     map[string]float64 `json:"scores"`
	Rules      []string           `json:"rules,omitempty"` // rules that fired
}

// Report is the result of Evaluate.
type Report struct {
	Rows       int             `json:"rows"`
	Positives  int             `json:"positives"` // rows with at least one label
	Overall    Stats           `json:"overall"`   // flagged vs not flagged
	Categories []CategoryStats `json:"categories"`
	// Benign is the number of rows without labels, BenignFlagged of them
	// were flagged, FPRate = BenignFlagged / Benign.
	Benign        int       `json:"benign"`
	BenignFlagged int       `json:"benign_flagged"`
	FPRate        float64   `json:"fp_rate"`
	Misses        []Mistake `json:"misses"`
	FalseAlarms   []Mistake `json:"false_alarms"`
	RulePack      string    `json:"rulepack,omitempty"`
	Model         string    `json:"model,omitempty"`
	Threshold     float64   `json:"threshold,omitempty"`
}

// Evaluate compares verdicts with gold labels row by row (pred[i] is the
// verdict on gold[i]); rows beyond the shorter slice are ignored.
func Evaluate(gold []Labelled, pred []Verdict) Report {
	n := min(len(gold), len(pred))
	r := Report{Rows: n}
	cats := make([]CategoryStats, len(Categories))
	for i, c := range Categories {
		cats[i].Category = c
	}
	for i := 0; i < n; i++ {
		g, p := gold[i], pred[i]
		want := len(g.Labels) > 0
		switch {
		case want && p.Flagged:
			r.Overall.TP++
		case want:
			r.Overall.FN++
		case p.Flagged:
			r.Overall.FP++
		}
		if want {
			r.Positives++
		} else {
			r.Benign++
			if p.Flagged {
				r.BenignFlagged++
			}
		}
		var missed, extra []string
		for ci, c := range Categories {
			w, got := slices.Contains(g.Labels, c), slices.Contains(p.Categories, c)
			if w {
				cats[ci].Support++
			}
			switch {
			case w && got:
				cats[ci].TP++
			case w:
				cats[ci].FN++
				missed = append(missed, c)
			case got:
				cats[ci].FP++
				extra = append(extra, c)
			}
		}
		mk := func(which []string) Mistake {
			m := Mistake{ID: g.ID, Text: g.Text, Want: nonNil(g.Labels), Got: nonNil(p.Categories), Categories: which, Scores: p.Scores}
			for _, h := range p.Hits {
				if !slices.Contains(m.Rules, h.Rule) {
					m.Rules = append(m.Rules, h.Rule)
				}
			}
			return m
		}
		if len(missed) > 0 {
			r.Misses = append(r.Misses, mk(missed))
		}
		if len(extra) > 0 {
			r.FalseAlarms = append(r.FalseAlarms, mk(extra))
		}
	}
	r.Overall.finish()
	for i := range cats {
		cats[i].finish()
	}
	r.Categories = cats
	if r.Benign > 0 {
		r.FPRate = float64(r.BenignFlagged) / float64(r.Benign)
	}
	if r.Misses == nil {
		r.Misses = []Mistake{}
	}
	if r.FalseAlarms == nil {
		r.FalseAlarms = []Mistake{}
	}
	if n > 0 {
		r.RulePack, r.Model = pred[0].RulePack, pred[0].Model
	}
	return r
}

// finish derives precision, recall and F1 from the counts. With nothing
// predicted precision is 1 (no false alarms); with nothing to find recall
// is 1.
func (s *Stats) finish() {
	s.Precision, s.Recall = 1, 1
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteText prints the report as a table followed by the misses and false
// alarms with their texts.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "rows %d (positive %d, benign %d)   rulepack %s   model %s   threshold %.2f\n\n", r.Rows, r.Positives, r.Benign, r.RulePack, r.Model, r.Threshold)
	fmt.Fprintf(&b, "%-16s %7s %5s %5s %5s %9s %7s %6s\n", "category", "support", "tp", "fp", "fn", "precision", "recall", "f1")
	row := func(name string, support int, s Stats) {
		fmt.Fprintf(&b, "%-16s %7d %5d %5d %5d %9.3f %7.3f %6.3f\n", name, support, s.TP, s.FP, s.FN, s.Precision, s.Recall, s.F1)
	}
	for _, c := range r.Categories {
		row(c.Category, c.Support, c.Stats)
	}
	row("overall", r.Positives, r.Overall)
	fmt.Fprintf(&b, "\nfalse-positive rate on benign rows: %.4f (%d of %d)\n", r.FPRate, r.BenignFlagged, r.Benign)
	list := func(title, what string, ms []Mistake) {
		fmt.Fprintf(&b, "\n%s (%d)\n", title, len(ms))
		for _, m := range ms {
			fmt.Fprintf(&b, "  %s  want [%s] got [%s]  %s [%s]  rules [%s]\n    %s\n", m.ID, strings.Join(m.Want, " "), strings.Join(m.Got, " "),
				what, strings.Join(m.Categories, " "), strings.Join(m.Rules, " "), oneLine(m.Text))
		}
	}
	list("Misses", "missed", r.Misses)
	list("False alarms", "extra", r.FalseAlarms)
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s)
}
