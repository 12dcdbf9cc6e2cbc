// Package rulepack loads, validates and compiles Vigil rule packs (YAML files
// of literal sets, co-occurrence windows, regular expressions, required
// indicators and suppressors; format v1 in docs) and matches a compiled pack
// against normalised text with one multi-pattern automaton.
package rulepack

// Categories are the five detection categories in their canonical order. A
// rule's category must be one of them.
var Categories = []string{"ml_broker", "bulk_cash", "crypto_cashout", "drug_sale", "precursor_sale"}

// IndicatorTypes are the indicator types a rule may require in
// `indicators:`: the types of vigil/detect/indicator plus three derived ones
// the engine computes: "precursor_cas" (a valid CAS number of a known
// fentanyl precursor), "crypto" (any valid crypto address) and "contact"
// (any contact handoff: phone, email, wechat_id, telegram, handle).
var IndicatorTypes = []string{
	"phone", "email", "wechat_id", "telegram", "handle",
	"tron", "btc", "bech32", "eth", "bank_card",
	"amount", "exchange_rate", "commission_rate", "cas", "city",
	"precursor_cas", "crypto", "contact",
}

// file is one YAML file of a pack, decoded strictly (unknown fields are errors).
type file struct {
	Terms       map[string][]string `yaml:"terms"`
	Rules       []Rule              `yaml:"rules"`
	Suppressors []Suppressor        `yaml:"suppressors"`
}

// Rule is one detection rule as written in YAML plus its compiled form.
type Rule struct {
	ID          string     `yaml:"id"`
	Category    string     `yaml:"category"`
	Langs       []string   `yaml:"langs"`
	Weight      *float64   `yaml:"weight"`
	Description string     `yaml:"description"`
	Source      string     `yaml:"source"`
	All         [][]string `yaml:"all"`
	Window      int        `yaml:"window"`
	Regex       []string   `yaml:"regex"`
	Indicators  []string   `yaml:"indicators"`
	Pinyin      string     `yaml:"pinyin"`
	Unless      []string   `yaml:"unless"`
	Examples    Examples   `yaml:"examples"`

	// File is the pack file (base name) the rule came from.
	File string `yaml:"-"`

	c compiledRule
}

// Examples are a rule's own test texts: every Match text must fire the rule
// and no NoMatch text may.
type Examples struct {
	Match   []string `yaml:"match"`
	NoMatch []string `yaml:"no_match"`
}

// Suppressor is a benign-context literal set that rules reference in `unless`.
type Suppressor struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Any         []string `yaml:"any"`
	Window      int      `yaml:"window"`

	// File is the pack file (base name) the suppressor came from.
	File string `yaml:"-"`

	group int32 // automaton group of Any
}

// W returns the rule's weight (0 when absent; Load rejects absent weights).
func (r *Rule) W() float64 {
	if r.Weight == nil {
		return 0
	}
	return *r.Weight
}

// CategoryIndex is the index of the rule's category in Categories.
func (r *Rule) CategoryIndex() int { return r.c.cat }
