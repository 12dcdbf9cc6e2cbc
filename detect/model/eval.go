package model

import "math"

const seedHoldout = 0x6a09e667f3bcc908

// Holdout reports whether the example with this id belongs to the held-out
// fifth of a data set: a fixed hash of the id decides, so the split is the
// same on every run and machine and does not depend on row order.
func Holdout(id string) bool {
	return hashString(seedHoldout, id)%100 < 20
}

// Metrics are the detection figures of one category at a threshold.
type Metrics struct {
	Category              string
	Positives             int // examples labelled with the category
	TP, FP, FN            int
	Precision, Recall, F1 float64
	// Brier is the mean squared error of the probability against the
	// label, over all examples: lower means better calibrated and sharper.
	Brier float64
}

// Evaluate scores every example (whose text must already be normalised)
// and returns one Metrics per category, in Categories order, counting a
// score ≥ threshold as a prediction.
func Evaluate(m *Model, examples []Example, threshold float64) []Metrics {
	out := make([]Metrics, numCat)
	for c := range out {
		out[c].Category = Categories[c]
	}
	scores := make([]float64, numCat)
	for _, ex := range examples {
		scores = m.Scores(ex.Text, scores)
		for c := range numCat {
			has := hasLabel(ex.Labels, Categories[c])
			pred := scores[c] >= threshold
			mt := &out[c]
			y := 0.0
			if has {
				mt.Positives++
				y = 1
			}
			switch {
			case has && pred:
				mt.TP++
			case has:
				mt.FN++
			case pred:
				mt.FP++
			}
			mt.Brier += (scores[c] - y) * (scores[c] - y)
		}
	}
	for c := range out {
		mt := &out[c]
		mt.Precision = ratio(mt.TP, mt.TP+mt.FP)
		mt.Recall = ratio(mt.TP, mt.TP+mt.FN)
		if mt.Precision+mt.Recall > 0 {
			mt.F1 = 2 * mt.Precision * mt.Recall / (mt.Precision + mt.Recall)
		}
		if len(examples) > 0 {
			mt.Brier /= float64(len(examples))
		} else {
			mt.Brier = math.NaN()
		}
	}
	return out
}

// MacroF1 is the unweighted mean F1 over categories.
func MacroF1(ms []Metrics) float64 {
	if len(ms) == 0 {
		return 0
	}
	s := 0.0
	for _, m := range ms {
		s += m.F1
	}
	return s / float64(len(ms))
}

func hasLabel(labels []string, c string) bool {
	for _, l := range labels {
		if l == c {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
