package model

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Example is one labelled post. Text must be normalised the way the engine
// normalises before Scores; Labels are category ids from Categories.
type Example struct {
	ID     string
	Text   string
	Labels []string
}

// TrainOptions control training. Zero fields take the defaults below,
// except Seed, where zero is an ordinary seed.
type TrainOptions struct {
	Seed    uint64  // shuffles and calibration folds; same seed, same bytes
	Epochs  int     // passes over the data (default 40)
	Buckets int     // hash buckets, a power of two in 2^10..2^22 (default 2^18)
	L2      float64 // L2 penalty per example (default 3e-4)
	// LearningRate is the initial SGD step η0; steps decay as η0/(1+λη0t)
	// (default 0.5).
	LearningRate float64
	// CalibrationFolds is the number of folds whose out-of-fold scores fit
	// each category's Platt calibration (default 5, minimum 2).
	CalibrationFolds int
	// NoCalibration skips calibration: probabilities are the raw logistic
	// outputs.
	NoCalibration bool
}

// DefaultSeed is the seed the shipped model is trained with.
const DefaultSeed uint64 = 20251124

const (
	defaultEpochs  = 40
	defaultBuckets = 1 << 18
	defaultL2      = 3e-4
	defaultLR      = 0.5
	defaultFolds   = 5
)

func (o TrainOptions) withDefaults() (TrainOptions, error) {
	if o.Epochs == 0 {
		o.Epochs = defaultEpochs
	}
	if o.Buckets == 0 {
		o.Buckets = defaultBuckets
	}
	if o.L2 == 0 {
		o.L2 = defaultL2
	}
	if o.LearningRate == 0 {
		o.LearningRate = defaultLR
	}
	if o.CalibrationFolds == 0 {
		o.CalibrationFolds = defaultFolds
	}
	switch {
	case o.Epochs < 1 || o.Epochs > 10000:
		return o, fmt.Errorf("epochs %d outside 1..10000", o.Epochs)
	case o.Buckets < 1<<minBucketsLog2 || o.Buckets > 1<<maxBucketsLog2 || o.Buckets&(o.Buckets-1) != 0:
		return o, fmt.Errorf("buckets %d is not a power of two in 2^%d..2^%d", o.Buckets, minBucketsLog2, maxBucketsLog2)
	case !(o.L2 > 0) || o.L2 > 1:
		return o, fmt.Errorf("l2 %g outside (0, 1]", o.L2)
	case !(o.LearningRate > 0) || o.LearningRate > 100:
		return o, fmt.Errorf("learning rate %g outside (0, 100]", o.LearningRate)
	case o.CalibrationFolds < 2:
		return o, fmt.Errorf("calibration folds %d, need at least 2", o.CalibrationFolds)
	}
	return o, nil
}

// prepared is an example reduced to what SGD needs.
type prepared struct {
	idx []uint32
	inv float64 // 1/√len(idx): every occurrence has this feature value
	y   [numCat]float64
}

// Train fits a model. Identical examples (in the same order) and options
// give a byte-identical model: every loop runs in slice order and all
// randomness comes from a PCG seeded with opt.Seed.
func Train(examples []Example, opt TrainOptions) (*Model, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("model: train: %w", err)
	}
	if len(examples) == 0 {
		return nil, errors.New("model: train: no examples")
	}
	log2 := uint8(bits.TrailingZeros(uint(opt.Buckets)))
	data := make([]prepared, len(examples))
	for i, ex := range examples {
		s := sink{shift: 64 - log2, collect: true}
		extract(ex.Text, &s)
		data[i].idx = s.idx
		if len(s.idx) > 0 {
			data[i].inv = 1 / math.Sqrt(float64(len(s.idx)))
		}
		for _, l := range ex.Labels {
			c := slices.Index(Categories, l)
			if c < 0 {
				return nil, fmt.Errorf("model: train: example %q: unknown category %q (want one of %v)", ex.ID, l, Categories)
			}
			data[i].y[c] = 1
		}
	}
	var cal [numCat][2]float64
	if opt.NoCalibration {
		for c := range cal {
			cal[c] = [2]float64{1, 0}
		}
	} else {
		cal = calibrate(data, log2, opt)
	}
	m := fit(data, log2, opt, rand.New(rand.NewPCG(opt.Seed, 1)))
	for c := range numCat {
		m.cat[c].calA, m.cat[c].calB = float32(cal[c][0]), float32(cal[c][1])
	}
	m.tab = newTable(m.rows)
	m.meta = trainMeta{seed: opt.Seed, epochs: uint32(opt.Epochs), examples: uint32(len(examples)), l2: opt.L2}
	m.setVersion(m.encode())
	return m, nil
}

// fit runs SGD for logistic regression with L2 (Bottou's scaled-weights
// form: w = s·v, so the per-step decay costs O(1) and an update touches
// only the example's features), then quantises the weights.
func fit(data []prepared, log2 uint8, opt TrainOptions, rng *rand.Rand) *Model {
	rows := 1 << log2
	v := make([]float64, rows*numCat)
	var scale, bias [numCat]float64
	for c := range scale {
		scale[c] = 1
	}
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	lambda, eta0 := opt.L2, opt.LearningRate
	t := 0.0
	var g [numCat]float64
	for range opt.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			ex := &data[k]
			eta := eta0 / (1 + float64(lambda*eta0*t))
			t++
			var dot [numCat]float64
			for _, i := range ex.idx {
				r := v[int(i)*numCat : int(i)*numCat+numCat]
				for c := range numCat {
					dot[c] += r[c]
				}
			}
			decay := 1 - float64(eta*lambda)
			for c := range numCat {
				// Explicit float64 conversions forbid fused multiply-add,
				// so every architecture rounds the same way.
				z := float64(float64(scale[c]*dot[c])*ex.inv) + bias[c]
				g[c] = sigmoid(z) - ex.y[c]
				bias[c] -= float64(eta * g[c])
				scale[c] *= decay
				g[c] = float64(float64(eta*g[c])*ex.inv) / scale[c]
			}
			for _, i := range ex.idx {
				r := v[int(i)*numCat : int(i)*numCat+numCat]
				for c := range numCat {
					r[c] -= g[c]
				}
			}
			for c := range numCat {
				if scale[c] < 1e-6 {
					for i := c; i < len(v); i += numCat {
						v[i] *= scale[c]
					}
					scale[c] = 1
				}
			}
		}
	}
	return quantise(v, scale, bias, log2)
}

// quantise maps each category's weights to int8 with one scale per
// category, chosen so the largest weight maps to ±127.
func quantise(v []float64, scale, bias [numCat]float64, log2 uint8) *Model {
	m := &Model{bucketsLog2: log2, rows: make([]uint64, len(v)/numCat)}
	for c := range numCat {
		maxAbs := 0.0
		for i := c; i < len(v); i += numCat {
			maxAbs = max(maxAbs, math.Abs(v[i]*scale[c]))
		}
		q := 1.0
		if maxAbs > 0 {
			q = maxAbs / 127
		}
		for i := c; i < len(v); i += numCat {
			m.rows[i/numCat] |= uint64(uint8(int8(math.Round(v[i]*scale[c]/q)))) << (8 * c)
		}
		m.cat[c] = catParams{scale: float32(q), bias: float32(bias[c]), calA: 1}
	}
	return m
}

// rawZ is the uncalibrated logit of the quantised model for a prepared
// example, computed exactly as Scores does.
func (m *Model) rawZ(ex *prepared) [numCat]float64 {
	var acc [numCat]int32
	for _, i := range ex.idx {
		for c := range numCat {
			acc[c] += int32(weight(m.rows[i], c))
		}
	}
	var z [numCat]float64
	for c := range numCat {
		p := &m.cat[c]
		z[c] = float64(p.bias) + float64(p.scale)*float64(acc[c])*ex.inv
	}
	return z
}
