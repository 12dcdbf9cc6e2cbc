package rulepack

// Literals returns a copy of the pack's distinct folded literals: every text
// the pack's automaton searches for (rule and suppressor literals after
// $term expansion and normalisation, plus derived pinyin spellings), in
// automaton pattern order. Benchmarks use it to give baselines (a regexp
// alternation, grep -F) exactly the engine's literal set.
func (p *Pack) Literals() []string {
	return append([]string(nil), p.m.texts...)
}
