// Package detect is Vigil's detection engine: it normalises a post, extracts
// indicators, matches the rule pack, scores the learned model and combines
// everything into a Verdict that explains itself with byte offsets into the
// original text.
package detect

// Categories are the detection categories in canonical order; Verdict
// categories are always listed in this order.
var Categories = []string{"ml_broker", "bulk_cash", "crypto_cashout", "drug_sale", "precursor_sale"}

// Post is one piece of content to scan. Lang ("zh-Hans", "es", …) and
// Surface ("channel_post", "moment", …) are optional hints.
type Post struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Lang    string `json:"lang,omitempty"`
	Surface string `json:"surface,omitempty"`
}

// Hit is one matched span of a fired rule. Start and End are byte offsets
// into the original text, Match is exactly original[Start:End], and Evasion
// names the normalisations that had to be undone inside the span (for
// example "invisible_removed", "confusable_folded").
type Hit struct {
	Rule     string   `json:"rule"`
	Category string   `json:"category"`
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Match    string   `json:"match"`
	Evasion  []string `json:"evasion,omitempty"`
}

// Indicator is an extracted indicator with its position in the original
// text.
type Indicator struct {
	Type       string `json:"type"`
	Value      string `json:"value"`
	Normalized string `json:"normalized"`
	Valid      bool   `json:"valid"`
	Detail     string `json:"detail,omitempty"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
}

// Verdict is the engine's decision on one post with everything needed to
// explain it. The JSON field order is the `vigil scan` output contract.
type Verdict struct {
	ID         string             `json:"id"`
	Flagged    bool               `json:"flagged"`
	Categories []string           `json:"categories"`
	Scores     map[string]float64 `json:"scores"`
	Hits       []Hit              `json:"hits"`
	Indicators []Indicator        `json:"indicators"`
	RulePack   string             `json:"rulepack"`
	Model      string             `json:"model"`
}
