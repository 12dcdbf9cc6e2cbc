// Package normalize builds normalised views of a post's text for matching and
// indicator extraction, keeping a map from every byte of a view back to the
// original text so reviewers see exactly what the user wrote.
//
// The pipeline, in order: NFKC per normalisation segment; removal of
// invisible (default-ignorable, Cf) characters; unusual dashes to '-';
// spacing collapse ("U S D T", "c.a.s.h", whitespace between Han); folding
// of Cyrillic/Greek look-alikes inside mixed-script or all-look-alike
// tokens; Traditional→Simplified; case folding (not in the cased view);
// leet decoding (leet view only). Build is idempotent.
//
// Common text (ASCII, Latin-1, CJK, full-width forms, emoji) takes a
// one-pass path (direct.go, with eight ASCII bytes at a time in ascii.go)
// that gives byte-for-byte the same view as the full pipeline (builder.go,
// spacing.go, confusable.go, render.go) and stores its offset map as runs
// rather than per byte (runs.go); tests and the fuzz target check that
// equivalence, maps included. Builder.Views first tries a whole-post pass
// for text of only ASCII and Latin-1 (latin.go), which gives byte for byte
// direct's views with less work. Tables come from shared data
// through gen.go.
package normalize

import "strings"

// Transform is a bit set of the normalisations that changed something.
type Transform uint16

// The transforms, one bit each. A character folded by NFKC that is also a
// dash (U+FE63, U+FF0D) reports NFKC only, since NFKC already made it '-'.
const (
	NFKC       Transform = 1 << iota // compatibility/width folding (ＵＳＤＴ→USDT, ５０万→50万)
	Invisible                        // default-ignorable / Cf characters removed (ZWSP, ZWJ, soft hyphen, word joiner, VS)
	Confusable                       // Cyrillic/Greek look-alikes folded to Latin (UTS #39 skeleton data)
	TradSimp                         // Traditional → Simplified Chinese (OpenCC data)
	Spaced                           // separators between single characters collapsed (U S D T, 洗 钱, c.a.s.h)
	CaseFold                         // upper → lower case
	Dash                             // unusual dashes (U+2010..2015, U+2212, U+FE63, U+FF0D) → '-'
	Leet                             // leetspeak digits/symbols inside letter tokens (only in the leet view)
)

var transformNames = [...]string{
	"nfkc_folded",
	"invisible_removed",
	"confusable_folded",
	"trad_to_simp",
	"spacing_collapsed",
	"case_folded",
	"dash_folded",
	"leet_decoded",
}

// Names returns stable snake_case names of the set bits, in bit order, e.g.
// "invisible_removed", "confusable_folded".
func (t Transform) Names() []string {
	var out []string
	for i, n := range transformNames {
		if t&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// String joins Names with "+" (or "none").
func (t Transform) String() string {
	if t == 0 {
		return "none"
	}
	return strings.Join(t.Names(), "+")
}

// View is one normalised rendering of an original text (offsets are int32:
// texts up to 2 GiB).
type View struct {
	Text string // the normalised text

	origLen int
	// start[i], end[i]: original byte span that produced Text byte i.
	start []int32
	end   []int32
	// tr[i]: low byte, transforms that changed the character containing
	// Text byte i; high byte (first byte of a character only), transforms of
	// characters removed just before it.
	tr      []uint16
	applied Transform
	// compact views (made by the one-pass path) keep their maps as pieces
	// and marks instead (runs.go); start, end and tr are then unused.
	compact bool
	pieces  []piece
	marks   []mark
	// caseOf, when set (compact views of latinViews only), stands in for
	// marks: the text differs from caseOf, byte for byte the same length,
	// exactly in the characters case folding changed, and nothing else
	// changed. Building the marks would cost a pass most posts never need.
	// It is read only while compact.
	caseOf string
}

// Orig maps the normalised byte span [start,end) to the original byte span
// it came from. The result always lies on rune boundaries of the original,
// start<=end, within len(original). Spans out of range are clamped.
func (v *View) Orig(start, end int) (int, int) {
	if v == nil {
		return 0, 0
	}
	n := len(v.Text)
	if start < 0 {
		start = 0
	}
	if end > n {
		end = n
	}
	if v.compact {
		if start >= n {
			if n == 0 {
				return 0, 0
			}
			e := v.origEnd(n - 1)
			return e, e
		}
		s := v.origStart(start)
		if end <= start {
			return s, s
		}
		return s, v.origEnd(end - 1)
	}
	if len(v.start) != n {
		// A View not made by this package: no map, so identity.
		start = min(start, n)
		return start, max(start, end)
	}
	if start >= n {
		// An empty span at the end sits after the last mapped character.
		if n == 0 {
			return 0, 0
		}
		e := int(v.end[n-1])
		return e, e
	}
	if end <= start {
		s := int(v.start[start])
		return s, s
	}
	return int(v.start[start]), int(v.end[end-1])
}

// Transforms reports which transforms changed the characters in the
// normalised byte span [start,end).
func (v *View) Transforms(start, end int) Transform {
	if v == nil {
		return 0
	}
	if start < 0 {
		start = 0
	}
	if v.compact {
		end = min(end, len(v.Text))
		if start >= end {
			return 0
		}
		return v.compactTransforms(start, end)
	}
	if end > len(v.tr) {
		end = len(v.tr)
	}
	if start >= end {
		return 0
	}
	// Bits of characters removed before the span's first byte are outside it.
	t := v.tr[start] & 0xFF
	for _, x := range v.tr[start+1 : end] {
		t |= x
	}
	return Transform(t|t>>8) & 0xFF
}

// Applied returns the union of the transforms over the whole text.
func (v *View) Applied() Transform {
	if v == nil {
		return 0
	}
	return v.applied
}

// Build returns the main matching view: NFKC, invisible removal, dash folding, confusable folding of
// mixed-script / look-alike tokens, Traditional→Simplified, spaced-letter collapse, case folding.
func Build(original string) *View {
	var b Builder
	v := new(View)
	b.build(original, v, modeLower)
	return v
}

// BuildCased is Build without CaseFold (indicator extraction needs case: base58, EIP-55).
func BuildCased(original string) *View {
	var b Builder
	v := new(View)
	b.build(original, v, modeCased)
	return v
}

// BuildLeet is Build plus the leet mapping 0→o 1→i 3→e 4→a 5→s 7→t @→a $→s, applied only
// inside tokens that contain at least one letter and are not numbers / CAS / phone-like strings
// (f3nt4n1l→fentanil, m1rr0r→mirror, c4sh c0ll3ct10n→cash collection; 7.25, 50w, 626-555-0104,
// 41661-47-6 unchanged). Returns nil-equivalent cheaply (ok=false) when no token needs it.
func BuildLeet(original string) (*View, bool) {
	var b Builder
	v := new(View)
	if !b.buildLeet(original, v) {
		return nil, false
	}
	return v, true
}

// Fold applies Build's pipeline to a rule literal and returns the text only, so a literal written
// in any script/width/case matches the view: Fold("換匯")=="换汇", Fold("ＵＳＤＴ")=="usdt".
func Fold(s string) string {
	return Build(s).Text
}

// Clone returns a copy of v that does not share memory with a Builder.
func (v *View) Clone() *View {
	if v == nil {
		return nil
	}
	c := *v
	c.start = append([]int32(nil), v.start...)
	c.end = append([]int32(nil), v.end...)
	c.tr = append([]uint16(nil), v.tr...)
	c.pieces = append([]piece(nil), v.pieces...)
	c.marks = append([]mark(nil), v.marks...)
	return &c
}

// OrigLen returns the length in bytes of the original text.
func (v *View) OrigLen() int {
	if v == nil {
		return 0
	}
	return v.origLen
}
