package lawreq

import (
	"slices"
	"strings"
	"testing"
)

func TestResolutionValidate(t *testing.T) {
	tg := Target{Kind: TargetPhone, Value: "+8613812345678"}
	cases := []struct {
		r    Resolution
		want []string
	}{
		{Resolution{tg, Matched, []string{"acct-1"}}, nil},
		{Resolution{tg, Matched, nil}, []string{"account_ids"}},
		{Resolution{tg, NoMatch, nil}, nil},
		{Resolution{tg, NoMatch, []string{"acct-1"}}, []string{"account_ids"}},
		{Resolution{tg, MultipleMatches, []string{"acct-1", "acct-2"}}, nil},
		{Resolution{tg, MultipleMatches, []string{"acct-1"}}, []string{"account_ids"}},
		{Resolution{tg, DeletedAccount, []string{"acct-1"}}, nil},
		{Resolution{tg, NotProducibleWx, []string{"wx-1"}}, nil},
		{Resolution{tg, NotProducibleWx, []string{"bad id"}}, []string{"account_ids[0]"}},
		{Resolution{tg, "lost", nil}, []string{"outcome"}},
	}
	for i, c := range cases {
		if got := fields(c.r.Validate()); !slices.Equal(got, c.want) {
			t.Errorf("case %d (%s): fields %q, want %q", i, c.r.Outcome, got, c.want)
		}
	}
}

func TestOutcomes(t *testing.T) {
	producible := map[Outcome]bool{Matched: true, DeletedAccount: true}
	seen := map[string]bool{}
	for _, o := range Outcomes() {
		if o.Producible() != producible[o] {
			t.Errorf("%s: Producible = %v", o, o.Producible())
		}
		if o.CountsAsWeixinGap() != (o == NotProducibleWx) {
			t.Errorf("%s: CountsAsWeixinGap = %v", o, o.CountsAsWeixinGap())
		}
		ex := o.OfficerExplanation()
		if ex == "" || seen[ex] || strings.Contains(ex, "_") {
			t.Errorf("%s: explanation %q must be distinct plain words", o, ex)
		}
		seen[ex] = true
	}
	wx := NotProducibleWx.OfficerExplanation()
	for _, want := range []string{"not producible under current policy", "mutual legal assistance"} {
		if !strings.Contains(wx, want) {
			t.Errorf("Weixin explanation lacks %q", want)
		}
	}
	if Outcome("x").OfficerExplanation() == "" {
		t.Error("unknown outcome needs a fallback")
	}
}
