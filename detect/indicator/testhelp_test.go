package indicator

import (
	"strings"
	"testing"
)

// want is one expected indicator in a table test. Detail is matched as a substring.
type want struct {
	typ    Type
	value  string
	norm   string
	valid  bool
	detail string
}

type tcase struct {
	text string
	opt  Options
	want []want
	only Type // when set, compare only indicators of this type
}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		got := Extract(c.text, c.opt)
		var sel []Indicator
		for _, g := range got {
			if c.only == "" || g.Type == c.only {
				sel = append(sel, g)
			}
		}
		if len(sel) != len(c.want) {
			t.Errorf("%q: got %d indicators %+v, want %d %+v", c.text, len(sel), sel, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			g := sel[i]
			if g.Type != w.typ || g.Value != w.value || g.Normalized != w.norm || g.Valid != w.valid ||
				!strings.Contains(g.Detail, w.detail) {
				t.Errorf("%q: #%d got {%s %q %q %v %q}, want {%s %q %q %v ~%q}", c.text, i,
					g.Type, g.Value, g.Normalized, g.Valid, g.Detail, w.typ, w.value, w.norm, w.valid, w.detail)
			}
			if c.text[g.Start:g.End] != g.Value {
				t.Errorf("%q: span %d:%d is %q, Value %q", c.text, g.Start, g.End, c.text[g.Start:g.End], g.Value)
			}
		}
	}
}
