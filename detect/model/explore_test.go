package model

import (
	"fmt"
	"os"
	"testing"
)

// TestExplore is a tuning aid (EXPLORE=1): 5-fold cross-validated figures.
func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip("set EXPLORE=1 to run the tuning sweep")
	}
	train, held := loadDev(t)
	all := append(append([]Example{}, train...), held...)
	for _, o := range exploreOpts {
		var f1, br float64
		per := make([]float64, numCat)
		for k := range uint64(5) {
			var tr, te []Example
			for _, ex := range all {
				if hashString(7, ex.ID)%5 == k {
					te = append(te, ex)
				} else {
					tr = append(tr, ex)
				}
			}
			m, err := Train(tr, o)
			if err != nil {
				t.Fatal(err)
			}
			ms := Evaluate(m, te, 0.5)
			f1 += MacroF1(ms) / 5
			for c, x := range ms {
				br += x.Brier / 25
				per[c] += x.F1 / 5
			}
		}
		t.Logf("%+v\n   cv macroF1 %.3f brier %.4f per-cat F1 %s", o, f1, br, fmt.Sprintf("%.2f", per))
	}
}

var exploreOpts = []TrainOptions{{}}
