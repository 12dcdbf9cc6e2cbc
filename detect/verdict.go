// Package detect is Vigil's detection engine: it normalises a post, extracts
// indicators, matches the rule pack, scores the learned model and combines
// everything into a Verdict that explains itself with byte offsets into the
// original text.
package detect

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

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

	silenced bool // a suppressor cancelled a rule (the model-alone path's gate)
}

// AppendJSON appends v's JSON encoding to dst: byte-identical to what
// encoding/json writes with SetEscapeHTML(false) (same field order, map keys
// sorted, same number and string forms), without the trailing newline and
// without reflection, which made encoding a third of `vigil scan`'s time.
// It fails, like encoding/json, only on a NaN or infinite score. (Verdict
// has no MarshalJSON on purpose: encoding/json re-validates a marshaler's
// output byte by byte, which measured slower than its reflection.)
func (v *Verdict) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, v.ID)
	dst = append(dst, `,"flagged":`...)
	dst = strconv.AppendBool(dst, v.Flagged)
	dst = append(dst, `,"categories":`...)
	if v.Categories == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, c := range v.Categories {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, c)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"scores":`...)
	var err error
	if dst, err = appendScores(dst, v.Scores); err != nil {
		return nil, err
	}
	dst = append(dst, `,"hits":`...)
	if v.Hits == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range v.Hits {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = v.Hits[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"indicators":`...)
	if v.Indicators == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range v.Indicators {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = v.Indicators[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = append(dst, `,"rulepack":`...)
	dst = appendJSONString(dst, v.RulePack)
	dst = append(dst, `,"model":`...)
	dst = appendJSONString(dst, v.Model)
	return append(dst, '}'), nil
}

func (h *Hit) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"rule":`...)
	dst = appendJSONString(dst, h.Rule)
	dst = append(dst, `,"category":`...)
	dst = appendJSONString(dst, h.Category)
	dst = append(dst, `,"start":`...)
	dst = strconv.AppendInt(dst, int64(h.Start), 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, int64(h.End), 10)
	dst = append(dst, `,"match":`...)
	dst = appendJSONString(dst, h.Match)
	if len(h.Evasion) > 0 {
		dst = append(dst, `,"evasion":[`...)
		for i, s := range h.Evasion {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func (in *Indicator) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendJSONString(dst, in.Type)
	dst = append(dst, `,"value":`...)
	dst = appendJSONString(dst, in.Value)
	dst = append(dst, `,"normalized":`...)
	dst = appendJSONString(dst, in.Normalized)
	dst = append(dst, `,"valid":`...)
	dst = strconv.AppendBool(dst, in.Valid)
	if in.Detail != "" {
		dst = append(dst, `,"detail":`...)
		dst = appendJSONString(dst, in.Detail)
	}
	dst = append(dst, `,"start":`...)
	dst = strconv.AppendInt(dst, int64(in.Start), 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, int64(in.End), 10)
	return append(dst, '}')
}

// sortedCategories is Categories in byte order, the order encoding/json
// writes map keys in.
var sortedCategories = func() []string {
	s := slices.Clone(Categories)
	slices.Sort(s)
	return s
}()

// appendScores writes the map with its keys sorted, as encoding/json does.
func appendScores(dst []byte, m map[string]float64) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	if len(m) == len(sortedCategories) {
		// The usual map: every category once. Keys are written from
		// precomputed `"key":` forms, each value looked up once.
		mark := len(dst)
		dst = append(dst, '{')
		for i, k := range sortedCategories {
			f, ok := m[k]
			if !ok {
				dst = dst[:mark]
				goto general
			}
			dst = append(dst, scoreKeys[i]...)
			var err error
			if dst, err = appendJSONFloat(dst, f); err != nil {
				return nil, err
			}
		}
		return append(dst, '}'), nil
	}
general:
	dst = append(dst, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		var err error
		if dst, err = appendJSONFloat(dst, m[k]); err != nil {
			return nil, err
		}
	}
	return append(dst, '}'), nil
}

// scoreKeys are the sorted categories as `"key":`, with the separating
// comma before all but the first.
var scoreKeys = func() []string {
	out := make([]string, len(sortedCategories))
	for i, k := range sortedCategories {
		out[i] = string(appendJSONString(nil, k)) + ":"
		if i > 0 {
			out[i] = "," + out[i]
		}
	}
	return out
}()

// appendJSONFloat is encoding/json's float64 form (ES6 number to string).
func appendJSONFloat(dst []byte, f float64) ([]byte, error) {
	if f == 0 && !math.Signbit(f) {
		return append(dst, '0'), nil // most scores
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// appendJSONString is encoding/json's string form without HTML escaping:
// quotes, backslashes and control characters escaped, invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	i := 0
	for i < len(s) && jsonPlain[s[i]] {
		i++ // the usual case: ids, rule names, versions, plain ASCII text
	}
	start := 0
	for i < len(s) {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// jsonPlain marks the bytes appendJSONString copies as they are: printable
// ASCII other than the quote and the backslash.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
