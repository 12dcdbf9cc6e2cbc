package rulepack

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"vigil/detect/normalize"
)

// compiledRule is the matching form of a Rule.
type compiledRule struct {
	cat     int
	groups  []int32 // automaton group per `all` group, in order
	regex   []*regexp.Regexp
	indMask IndicatorSet
	unless  []int32 // indices into Pack.Suppressors
}

// matcher is the pack's single automaton plus the tables that map its
// patterns to rule groups.
type matcher struct {
	ac         *automaton // nil when the pack has no literals
	pats       []pattern  // by automaton pattern index
	texts      []string   // folded pattern texts, by automaton pattern index
	groupOwner []int32    // group -> rule index, or -1 for a suppressor group
	always     []int32    // rules without literal groups (regex/indicator only)
	// The variants of every pattern, flat and in pattern order, with their
	// groups in one array: MatchInto reaches a variant's groups in two
	// loads instead of three slice headers.
	vars    []flatVariant
	vgroups []int32
	ruleN   []uint8 // groups per rule
}

// flatVariant is a variant in matcher.vars: its boundaries and its groups,
// vgroups[g0:g1].
type flatVariant struct {
	left, right bool
	g0, g1      int32
}

// pattern is one distinct folded literal; the same text can be used with
// different boundary semantics ("launder" and "launder*"), hence variants.
type pattern struct {
	variants []variant
}

// variant says which word boundaries the occurrence needs and which groups
// it satisfies.
type variant struct {
	left, right bool
	groups      []int32
}

// literal is a parsed, folded rule literal.
type literal struct {
	text           string
	left, right    bool // whole-word boundary required at that end
	prefix, suffix bool // written with a trailing / leading '*'
}

// IndicatorSet is a bit set of indicator types (see IndicatorTypes) present
// and valid in a post.
type IndicatorSet uint64

// IndicatorBit returns the bit of an indicator type, or 0 for a type the
// rule format does not know.
func IndicatorBit(typ string) IndicatorSet {
	for i, t := range IndicatorTypes {
		if t == typ {
			return 1 << i
		}
	}
	return 0
}

type compiler struct {
	p        *Pack
	errs     []error
	patIndex map[string]int
	pats     []pattern
	texts    []string
	owner    []int32
}

func (c *compiler) fail(file, id, field, format string, a ...any) {
	c.errs = append(c.errs, &Error{File: file, ID: id, Field: field, Msg: fmt.Sprintf(format, a...)})
}

// compile folds and expands every literal, computes pinyin variants, builds
// the automaton and compiles regular expressions.
func (p *Pack) compile() error {
	c := &compiler{p: p, patIndex: map[string]int{}}
	for i := range p.Suppressors {
		s := &p.Suppressors[i]
		s.group = c.newGroup(-1)
		c.addGroup(s.File, s.ID, "any", s.Any, s.group, "")
	}
	supIndex := map[string]int32{}
	for i, s := range p.Suppressors {
		supIndex[s.ID] = int32(i)
	}
	for ri := range p.Rules {
		r := &p.Rules[ri]
		for gi, g := range r.All {
			gid := c.newGroup(int32(ri))
			r.c.groups = append(r.c.groups, gid)
			c.addGroup(r.File, r.ID, fmt.Sprintf("all[%d]", gi), g, gid, r.Pinyin)
		}
		if len(r.c.groups) > 255 {
			c.fail(r.File, r.ID, "all", "too many groups (%d); at most 255", len(r.c.groups))
		}
		if len(r.c.groups) == 0 {
			c.p.m.always = append(c.p.m.always, int32(ri))
		}
		for xi, x := range r.Regex {
			re, err := regexp.Compile(x)
			if err != nil {
				c.fail(r.File, r.ID, fmt.Sprintf("regex[%d]", xi), "bad regular expression: %v (RE2 syntax; escape backslashes in single quotes)", err)
				continue
			}
			r.c.regex = append(r.c.regex, re)
		}
		for _, t := range r.Indicators {
			r.c.indMask |= IndicatorBit(t)
		}
		for _, u := range r.Unless {
			r.c.unless = append(r.c.unless, supIndex[u])
		}
	}
	if len(c.errs) > 0 {
		return errors.Join(c.errs...)
	}
	p.m.pats = c.pats
	p.m.texts = c.texts
	p.m.groupOwner = c.owner
	var v0 []int32 // first flat variant per pattern
	for _, pt := range c.pats {
		v0 = append(v0, int32(len(p.m.vars)))
		for _, v := range pt.variants {
			g0 := int32(len(p.m.vgroups))
			p.m.vgroups = append(p.m.vgroups, v.groups...)
			p.m.vars = append(p.m.vars, flatVariant{left: v.left, right: v.right, g0: g0, g1: int32(len(p.m.vgroups))})
		}
	}
	for _, r := range p.Rules {
		p.m.ruleN = append(p.m.ruleN, uint8(len(r.c.groups)))
	}
	if len(c.texts) > 0 {
		// A pattern all of whose variants need a word boundary before it
		// is reported only where there is one (see build.go).
		leftBound := make([]bool, len(c.pats))
		for i, pt := range c.pats {
			leftBound[i] = true
			for _, v := range pt.variants {
				leftBound[i] = leftBound[i] && v.left
			}
		}
		ac, err := newAutomaton(c.texts, leftBound)
		if err != nil {
			return err
		}
		// The boundaries all variants of a pattern need: MatchInto checks
		// them before it loads the variants.
		for i := range ac.outs {
			o, pat := &ac.outs[i], ac.outPat[i]
			o.need = needLeft | needRight
			o.v0, o.nv = v0[pat], uint8(len(c.pats[pat].variants))
			if o.nv == 1 {
				v := p.m.vars[o.v0]
				if v.g1-v.g0 > math.MaxUint16 {
					return errors.New("a literal is in more than 65535 groups; split the pack")
				}
				o.v0, o.ng = v.g0, uint16(v.g1-v.g0)
			}
			for _, v := range c.pats[pat].variants {
				if !v.left {
					o.need &^= needLeft
				}
				if !v.right {
					o.need &^= needRight
				}
			}
			if leftBound[pat] {
				o.need &^= needLeft // the automaton saw to it
			}
		}
		p.m.ac = ac
	}
	return nil
}

func (c *compiler) newGroup(owner int32) int32 {
	c.owner = append(c.owner, owner)
	return int32(len(c.owner) - 1)
}

// addGroup registers every literal of a group (terms expanded, pinyin
// variants added) as automaton patterns that satisfy group gid.
func (c *compiler) addGroup(file, id, field string, lits []string, gid int32, pinyinMode string) {
	for _, raw := range lits {
		for _, l := range c.expand(file, id, field, raw, nil) {
			c.addPattern(l, gid)
			if pinyinMode == "full" || pinyinMode == "initials" {
				for _, v := range pinyinVariants(l, pinyinMode == "initials") {
					c.addPattern(v, gid)
				}
			}
		}
	}
}

func (c *compiler) addPattern(l literal, gid int32) {
	pi, ok := c.patIndex[l.text]
	if !ok {
		pi = len(c.pats)
		c.patIndex[l.text] = pi
		c.pats = append(c.pats, pattern{})
		c.texts = append(c.texts, l.text)
	}
	pt := &c.pats[pi]
	for i := range pt.variants {
		v := &pt.variants[i]
		if v.left == l.left && v.right == l.right {
			for _, g := range v.groups {
				if g == gid {
					return
				}
			}
			v.groups = append(v.groups, gid)
			return
		}
	}
	pt.variants = append(pt.variants, variant{left: l.left, right: l.right, groups: []int32{gid}})
}

// expand turns one written literal into folded literals, resolving $terms
// (recursively, with cycle detection).
func (c *compiler) expand(file, id, field, raw string, seen []string) []literal {
	if name, ok := termRef(raw); ok {
		for _, s := range seen {
			if s == name {
				c.fail(file, id, field, "term $%s refers to itself (through %s); break the cycle", name, strings.Join(seen, " → "))
				return nil
			}
		}
		lits, ok := c.p.Terms[name]
		if !ok {
			c.fail(file, id, field, "unknown term $%s; define it under `terms:` in any file of the pack or fix the name", name)
			return nil
		}
		var out []literal
		for _, l := range lits {
			out = append(out, c.expand(file, id, field, l, append(seen, name))...)
		}
		return out
	}
	l, err := parseLiteral(raw)
	if err != nil {
		c.fail(file, id, field, "%v", err)
		return nil
	}
	return []literal{l}
}

// termRef reports whether raw is a "$name" reference. "$$…" escapes a
// literal dollar and "$1 serial" (no identifier after $) is a literal.
func termRef(raw string) (string, bool) {
	if len(raw) < 2 || raw[0] != '$' {
		return "", false
	}
	if c := raw[1]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return "", false
	}
	return raw[1:], true
}

// parseLiteral applies the `*` prefix/suffix syntax, folds the literal with
// the same pipeline as the text and works out its word boundaries: a Latin
// or digit end needs a boundary, a Han or symbol end does not.
func parseLiteral(raw string) (literal, error) {
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "$$") {
		s = s[1:]
	}
	suffixMode := strings.HasPrefix(s, "*")
	s = strings.TrimPrefix(s, "*")
	prefixMode := strings.HasSuffix(s, "*")
	s = strings.TrimSuffix(s, "*")
	if strings.Contains(s, "*") {
		return literal{}, fmt.Errorf("literal %q: '*' is allowed only at the start or the end", raw)
	}
	f := normalize.Fold(strings.TrimSpace(s))
	if f == "" {
		return literal{}, fmt.Errorf("literal %q is empty after normalisation; remove it", raw)
	}
	first, _ := utf8.DecodeRuneInString(f)
	last, _ := utf8.DecodeLastRuneInString(f)
	return literal{text: f, left: !suffixMode && isWordRune(first), right: !prefixMode && isWordRune(last), prefix: prefixMode, suffix: suffixMode}, nil
}

// isWordRune reports whether r belongs to a script written with spaces
// between words, so that a literal ending in it must end on a word boundary.
// Han, kana and Thai are written without spaces: their literals match
// anywhere.
func isWordRune(r rune) bool {
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai)
}

var pinyinArgs = pinyin.NewArgs() // Normal style: toneless syllables

// pinyinVariants derives the pinyin spellings of a literal with at least two
// Han characters: "huanhui" and "huan hui" for 换汇 and, with initials,
// "hx". DESIGN.md suggests generating these at go-generate time, but packs
// loaded with --rules DIR need them at load time too, so they are computed
// here when the pack is compiled. Only each character's default reading is
// used (heteronyms would multiply variants and collisions).
func pinyinVariants(l literal, initials bool) []literal {
	var syll []string // Han syllables and non-Han chunks, in order
	han := 0
	allHan := true
	var chunk strings.Builder
	flush := func() {
		if t := strings.TrimSpace(chunk.String()); t != "" {
			syll = append(syll, t)
		}
		chunk.Reset()
	}
	for _, r := range l.text {
		if unicode.Is(unicode.Han, r) {
			p := pinyin.SinglePinyin(r, pinyinArgs)
			if len(p) == 0 || p[0] == "" {
				return nil
			}
			flush()
			syll = append(syll, p[0])
			han++
			continue
		}
		if !unicode.IsSpace(r) {
			allHan = false
		}
		chunk.WriteRune(r)
	}
	flush()
	if han < 2 {
		return nil
	}
	mk := func(s string) literal {
		first, _ := utf8.DecodeRuneInString(s)
		last, _ := utf8.DecodeLastRuneInString(s)
		// A pinyin spelling is Latin, so it needs word boundaries unless
		// the written literal opted out with '*'.
		return literal{text: s, left: !l.suffix && isWordRune(first), right: !l.prefix && isWordRune(last)}
	}
	out := []literal{mk(strings.Join(syll, "")), mk(strings.Join(syll, " "))}
	if initials && allHan {
		var b strings.Builder
		for _, s := range syll {
			b.WriteByte(s[0])
		}
		out = append(out, mk(b.String()))
	}
	return out
}
