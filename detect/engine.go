package detect

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"unicode/utf8"

	"vigil/detect/indicator"
	"vigil/detect/model"
	"vigil/detect/normalize"
	"vigil/detect/rulepack"
	"vigil/detect/rules"
)

// DefaultThreshold is the combined score at which a category is flagged.
const DefaultThreshold = 0.5

// Options tune an Engine.
type Options struct {
	// Threshold is the combined score at or above which a category is
	// flagged; 0 means DefaultThreshold.
	Threshold float64
}

// Engine scans posts with one rule pack and one model. It is immutable and
// safe for concurrent use; per-scan working memory is pooled.
type Engine struct {
	pack      *rulepack.Pack
	model     *model.Model // nil: rules only
	threshold float64
	modelCat  [5]int // canonical category -> index in model.Categories (-1 absent)
	pool      sync.Pool
}

// scratch is one scan's reusable memory.
type scratch struct {
	nb     *normalize.Builder
	rs     *rulepack.Scratch
	ex     *indicator.Extractor
	probs  []float64
	fired  []bool // by rule index
	hits   []Hit
	ruleS  [5]float64
	evaded [5]bool
	// silenced: a suppressor cancelled a rule that had all it needs (the
	// post reads like a category in a benign frame: news, a warning...).
	silenced bool
}

// New returns an engine for pack p and model m (m may be nil to score with
// the rules alone).
func New(p *rulepack.Pack, m *model.Model, o Options) *Engine {
	e := &Engine{pack: p, model: m, threshold: o.Threshold}
	if e.threshold <= 0 {
		e.threshold = DefaultThreshold
	}
	for i, c := range Categories {
		e.modelCat[i] = slices.Index(model.Categories, c)
	}
	e.pool.New = func() any {
		return &scratch{nb: normalize.NewBuilder(), rs: p.NewScratch(), ex: indicator.NewExtractor(), probs: make([]float64, 0, 8), fired: make([]bool, len(p.Rules))}
	}
	return e
}

var defaultEngine = sync.OnceValues(func() (*Engine, error) {
	p, err := rulepack.Load(rules.FS)
	if err != nil {
		return nil, fmt.Errorf("embedded rule pack: %w", err)
	}
	return New(p, model.Default(), Options{}), nil
})

// Default returns the engine built from the embedded rule pack and the
// embedded model, loaded once.
func Default() (*Engine, error) { return defaultEngine() }

// Pack returns the engine's rule pack.
func (e *Engine) Pack() *rulepack.Pack { return e.pack }

// Threshold returns the flagging threshold in use.
func (e *Engine) Threshold() float64 { return e.threshold }

// ModelVersion returns the model's version, or "none" without a model.
func (e *Engine) ModelVersion() string {
	if e.model == nil {
		return "none"
	}
	return e.model.Version()
}

// Scan decides on one post.
func (e *Engine) Scan(p Post) Verdict {
	var v Verdict
	e.ScanInto(p, &v)
	return v
}

// ScanInto is Scan writing into v, reusing v's slices and scores map (a
// caller scanning many posts keeps one Verdict and encodes it before the
// next call; per-post allocations were a tenth of vigil scan's time).
// Everything v held before is replaced.
func (e *Engine) ScanInto(p Post, v *Verdict) {
	sc := e.pool.Get().(*scratch)
	defer e.pool.Put(sc)

	v.ID, v.Flagged, v.RulePack, v.Model = p.ID, false, e.pack.Version(), e.ModelVersion()
	v.Categories = emptied(v.Categories)
	view, cased, leet := sc.nb.Views(p.Text)
	var set rulepack.IndicatorSet
	v.Indicators, set = e.indicators(sc, p, cased, emptied(v.Indicators))
	e.match(sc, p.Text, view, leet, set, v.Indicators)
	v.Hits = append(emptied(v.Hits), sc.hits...)

	handoff := set&contactBits != 0
	anyRule := len(sc.hits) > 0
	// The model may flag a post alone only when it is short and no
	// suppressor silenced a rule in it: the rules' benign frames (news,
	// warnings, coursework) bind the model too.
	alone := !sc.silenced && (len(p.Text) <= modelAloneRunes || utf8.RuneCountInString(p.Text) <= modelAloneRunes)
	v.silenced = sc.silenced
	var probs []float64
	if e.model != nil && (anyRule || alone) {
		// Any other post no rule fired on scores 0 in every category
		// whatever the model says (combine; TestNoRuleNoModel): it skips
		// the model.
		sc.probs = e.model.Scores(view.Text, sc.probs[:0])
		probs = sc.probs
	}
	if v.Scores == nil {
		v.Scores = make(map[string]float64, len(Categories))
	} else if len(v.Scores) != len(Categories) {
		clear(v.Scores)
	} // else: the usual reused map, whose five keys are overwritten below
	for ci, c := range Categories {
		p := -1.0
		if probs != nil && e.modelCat[ci] >= 0 {
			p = probs[e.modelCat[ci]]
		}
		s := combine(sc.ruleS[ci], handoff, sc.evaded[ci], p, anyRule, alone)
		// A lookup is about half the price of an assignment, and a reused
		// map usually holds the value already (0 for most posts).
		r := s // 0 for most posts, and round4(±0) is ±0
		if s != 0 {
			r = round4(s)
		}
		if old, ok := v.Scores[c]; !ok || math.Float64bits(old) != math.Float64bits(r) {
			v.Scores[c] = r
		}
		if s >= e.threshold {
			v.Categories = append(v.Categories, c)
		}
	}
	if len(v.Scores) != len(Categories) {
		// The reused map held other keys: keep only the categories.
		for k := range v.Scores {
			if !slices.Contains(Categories, k) {
				delete(v.Scores, k)
			}
		}
	}
	v.Flagged = len(v.Categories) > 0
}

// emptied returns s with length 0, never nil, so that an empty list encodes
// as [] rather than null.
func emptied[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s[:0]
}

// FiredRules returns the ids of the rules that fire on text (normalisation,
// indicators and matching; no model), for rule-example tests.
func (e *Engine) FiredRules(text string) []string {
	sc := e.pool.Get().(*scratch)
	defer e.pool.Put(sc)
	view, cased, leet := sc.nb.Views(text)
	_, set := e.indicators(sc, Post{Text: text}, cased, nil)
	e.match(sc, text, view, leet, set, nil)
	var ids []string
	for i, f := range sc.fired {
		if f {
			ids = append(ids, e.pack.Rules[i].ID)
		}
	}
	return ids
}

// indicators extracts indicators from the cased view, maps them to the
// original text and computes the set of types the rules may require.
func (e *Engine) indicators(sc *scratch, p Post, cased *normalize.View, out []Indicator) ([]Indicator, rulepack.IndicatorSet) {
	found := sc.ex.Extract(cased.Text, indicator.Options{Lang: p.Lang})
	out = slices.Grow(out, len(found))[:len(found)]
	var set rulepack.IndicatorSet
	for i, in := range found {
		s, en := cased.Orig(in.Start, in.End)
		out[i] = Indicator{Type: string(in.Type), Value: in.Value, Normalized: in.Normalized, Valid: in.Valid, Detail: in.Detail, Start: s, End: en}
		set |= indicatorBits(out[i])
	}
	return out, set
}

var (
	contactBits = rulepack.IndicatorBit("phone") | rulepack.IndicatorBit("email") | rulepack.IndicatorBit("wechat_id") |
		rulepack.IndicatorBit("telegram") | rulepack.IndicatorBit("handle")
	cryptoBits = rulepack.IndicatorBit("tron") | rulepack.IndicatorBit("btc") | rulepack.IndicatorBit("bech32") | rulepack.IndicatorBit("eth")
)

// indicatorBits maps one indicator to the rule-format types it satisfies.
// Checksummed types (addresses, CAS, cards) count only when valid; contact
// types count whenever extracted, because their validity is a numbering-plan
// check (fictional and foreign numbers fail it) that flags, not filters.
func indicatorBits(in Indicator) rulepack.IndicatorSet {
	b := rulepack.IndicatorBit(in.Type)
	switch {
	case b&contactBits != 0:
		return b | rulepack.IndicatorBit("contact")
	case !in.Valid:
		return 0
	case b&cryptoBits != 0:
		return b | rulepack.IndicatorBit("crypto")
	case in.Type == string(indicator.CAS):
		if _, ok := indicator.Precursor(in.Normalized); ok {
			return b | rulepack.IndicatorBit("precursor_cas")
		}
	}
	return b
}
