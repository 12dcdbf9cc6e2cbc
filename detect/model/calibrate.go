package model

import (
	"math"
	"math/rand/v2"
)

// calibrate fits, per category, Platt scaling p = σ(A·z + B) on
// out-of-fold logits: each fold's logits come from a model trained on the
// other folds, so the fit sees scores like those of unseen posts rather
// than the over-confident scores of the training posts themselves.
func calibrate(data []prepared, log2 uint8, opt TrainOptions) [numCat][2]float64 {
	k := min(opt.CalibrationFolds, len(data))
	fold := make([]int, len(data))
	for i, p := range rand.New(rand.NewPCG(opt.Seed, 2)).Perm(len(data)) {
		fold[p] = i % k
	}
	z := make([][numCat]float64, len(data))
	train := make([]prepared, 0, len(data))
	for f := range k {
		train = train[:0]
		for i := range data {
			if fold[i] != f {
				train = append(train, data[i])
			}
		}
		m := fit(train, log2, opt, rand.New(rand.NewPCG(opt.Seed, 3+uint64(f))))
		for i := range data {
			if fold[i] == f {
				z[i] = m.rawZ(&data[i])
			}
		}
	}
	var out [numCat][2]float64
	zs := make([]float64, len(data))
	ys := make([]float64, len(data))
	for c := range numCat {
		for i := range data {
			zs[i], ys[i] = z[i][c], data[i].y[c]
		}
		out[c][0], out[c][1] = platt(zs, ys)
	}
	return out
}

// platt fits A, B minimising the log loss of σ(A·z+B) against Platt's
// smoothed targets, by Newton's method with backtracking (Lin, Lin and
// Weng, "A note on Platt's probabilistic outputs", 2007). It falls back to
// the identity (1, 0) when the data cannot support a fit.
func platt(z, y []float64) (a, b float64) {
	var nPos, nNeg float64
	for _, v := range y {
		if v > 0.5 {
			nPos++
		} else {
			nNeg++
		}
	}
	if nPos == 0 || nNeg == 0 {
		return 1, 0
	}
	hi, lo := (nPos+1)/(nPos+2), 1/(nNeg+2)
	t := make([]float64, len(y))
	for i, v := range y {
		if v > 0.5 {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	loss := func(a, b float64) float64 {
		s := 0.0
		for i := range z {
			f := float64(a*z[i]) + b
			// log(1+e^f) - t·f, computed stably
			if f >= 0 {
				s += float64((1-t[i])*f) + math.Log1p(math.Exp(-f))
			} else {
				s += float64(-t[i]*f) + math.Log1p(math.Exp(f))
			}
		}
		return s
	}
	a, b = 1, math.Log((nPos+1)/(nNeg+1))
	cur := loss(a, b)
	for range 100 {
		var h11, h22, h21, g1, g2 float64
		h11, h22 = 1e-12, 1e-12
		for i := range z {
			p := sigmoid(float64(a*z[i]) + b)
			d1 := p - t[i] // dLoss/df
			d2 := float64(p * (1 - p))
			h11 += float64(float64(z[i]*z[i]) * d2)
			h22 += d2
			h21 += float64(z[i] * d2)
			g1 += float64(z[i] * d1)
			g2 += d1
		}
		if math.Abs(g1) < 1e-9 && math.Abs(g2) < 1e-9 {
			break
		}
		det := float64(h11*h22) - float64(h21*h21)
		da := -float64(float64(h22*g1)-float64(h21*g2)) / det
		db := -float64(float64(-h21*g1)+float64(h11*g2)) / det
		gd := float64(g1*da) + float64(g2*db)
		step := 1.0
		improved := false
		for step >= 1e-10 {
			na, nb := a+float64(step*da), b+float64(step*db)
			if nl := loss(na, nb); nl < cur+float64(1e-4*step*gd) {
				a, b, cur, improved = na, nb, nl, true
				break
			}
			step /= 2
		}
		if !improved {
			break
		}
	}
	if !(a > 0) || math.IsNaN(b) || math.IsInf(b, 0) {
		return 1, 0
	}
	return a, b
}
