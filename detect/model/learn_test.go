package model

import (
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// resign replaces the trailing checksum so a deliberately altered encoding
// reaches the field checks.
func resign(b []byte) []byte {
	body := b[:len(b)-4]
	return binary.LittleEndian.AppendUint32(body, crc32.ChecksumIEEE(body))
}

// TestLearnsDevSet trains on the dev set without its held-out fifth and
// checks the held-out figures beat a trivial classifier by a wide margin.
func TestLearnsDevSet(t *testing.T) {
	train, held := loadDev(t)
	m := mustTrain(t, train, TrainOptions{Seed: DefaultSeed})
	ms := Evaluate(m, held, 0.5)
	trivial := 0.0 // "every post is positive for every category"
	for _, x := range ms {
		p := float64(x.Positives) / float64(len(held))
		trivial += 2 * p / (1 + p) / float64(len(ms))
		t.Logf("%-15s pos %2d  P %.3f  R %.3f  F1 %.3f  Brier %.4f", x.Category, x.Positives, x.Precision, x.Recall, x.F1, x.Brier)
	}
	macro := MacroF1(ms)
	t.Logf("held-out %d, trained on %d: macro F1 %.3f (trivial %.3f)", len(held), len(train), macro, trivial)
	if macro < trivial+0.25 {
		t.Errorf("held-out macro F1 %.3f, want ≥ trivial %.3f + 0.25", macro, trivial)
	}
	for _, x := range ms {
		// A calibrated model must beat the constant predictor p = base rate,
		// whose Brier score is p(1-p).
		p := float64(x.Positives) / float64(len(held))
		if x.Brier >= p*(1-p) {
			t.Errorf("%s: Brier %.4f no better than the base rate's %.4f", x.Category, x.Brier, p*(1-p))
		}
	}
}

// TestCalibrationHelps checks the Platt step earns its cost: held-out
// Brier score with calibration is not worse than without.
func TestCalibrationHelps(t *testing.T) {
	train, held := loadDev(t)
	sum := func(o TrainOptions) float64 {
		s := 0.0
		for _, x := range Evaluate(mustTrain(t, train, o), held, 0.5) {
			s += x.Brier
		}
		return s / numCat
	}
	cal, raw := sum(TrainOptions{}), sum(TrainOptions{NoCalibration: true})
	t.Logf("mean held-out Brier: calibrated %.4f, raw %.4f", cal, raw)
	if cal > raw {
		t.Errorf("calibration made the Brier score worse: %.4f > %.4f", cal, raw)
	}
}

func TestDefaultLoads(t *testing.T) {
	m := Default()
	if m != Default() {
		t.Error("Default decoded twice")
	}
	if !strings.HasPrefix(m.Version(), "m-") {
		t.Errorf("version %q", m.Version())
	}
	if len(defaultBin) > 2<<20 {
		t.Errorf("default.bin is %d bytes, budget 2 MiB", len(defaultBin))
	}
	if m.meta.seed != DefaultSeed {
		t.Errorf("default model trained with seed %d, want DefaultSeed", m.meta.seed)
	}
	out := m.Scores("收美金现金，洛杉矶当面交易，国内支付宝秒到账", nil)
	if out[0] < 0.5 {
		t.Errorf("default model gives a plain mirror-swap offer ml_broker %.2f", out[0])
	}
	out = m.Scores("我们周末去公园野餐吧，天气很好", out)
	for c, p := range out {
		if p >= 0.5 {
			t.Errorf("default model flags a picnic post as %s (%.2f)", Categories[c], p)
		}
	}
}

// TestFewFalseAlarmsOnFortunes scores everyday texts the model never saw
// (the Debian fortune cookies in English, Spanish and Chinese, when
// installed) with the shipped model: a calibrated model must rarely call
// them positive, and almost never with confidence.
func TestFewFalseAlarmsOnFortunes(t *testing.T) {
	texts := fortunes(t)
	var at5, at9 [numCat]int
	var out []float64
	for _, s := range texts {
		out = Default().Scores(s, out)
		for c, p := range out {
			if p >= 0.5 {
				at5[c]++
			}
			if p >= 0.9 {
				at9[c]++
			}
		}
	}
	n5, n9 := 0, 0
	for c := range numCat {
		n5 += at5[c]
		n9 += at9[c]
	}
	t.Logf("%d fortunes: ≥0.5 %v (%.2f%%), ≥0.9 %v", len(texts), at5, 100*float64(n5)/float64(len(texts)), at9)
	if float64(n5) > 0.02*float64(len(texts)) {
		t.Errorf("%d category scores ≥ 0.5 on %d benign texts, want < 2%%", n5, len(texts))
	}
	if float64(n9) > 0.001*float64(len(texts)) {
		t.Errorf("%d category scores ≥ 0.9 on %d benign texts, want < 0.1%%", n9, len(texts))
	}
}

// fortunes returns the short fortune cookies, lower-cased (the model's
// callers normalise; ASCII folding alone is enough for this check).
func fortunes(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, g := range []string{"/usr/share/games/fortunes/*", "/usr/share/games/fortunes/es/*"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	var out []string
	for _, p := range files {
		if strings.HasSuffix(p, ".dat") || strings.HasSuffix(p, ".u8") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue // directories and unreadable files
		}
		for _, f := range strings.Split(string(b), "\n%\n") {
			// Posts are short; ANSI-coloured manual pages are not posts.
			if f = strings.TrimSpace(f); len(f) > 10 && len(f) <= 400 && !strings.Contains(f, "\x1b") {
				out = append(out, strings.ToLower(f))
			}
		}
	}
	if len(out) < 1000 {
		t.Skip("fortune cookies not installed (apt-get install fortunes fortunes-es fortunes-zh)")
	}
	return out
}
