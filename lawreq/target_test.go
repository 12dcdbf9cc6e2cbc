package lawreq

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeTargets(t *testing.T) {
	in := []Target{
		{Kind: "PHONE", Value: " +86 138 1234 5678 "},
		{Kind: TargetPhone, Value: "138-1234-5678", Region: "cn"}, // same number, national form
		{Kind: TargetEmail, Value: "Li.Wei@Example.COM"},
		{Kind: TargetEmail, Value: "Li.Wei@example.com"}, // same after domain lower-casing
		{Kind: TargetEmail, Value: "li.wei@example.com"}, // local part is case-sensitive: kept
		{Kind: TargetWeChatID, Value: "wxid_abc123", Region: "CN"},
		{Kind: TargetAccountID, Value: "acct:000042"},
		{Kind: TargetPhone, Value: "(202) 555-0123", Region: "US"},
	}
	got, err := NormalizeTargets("targets", in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Target{
		{Kind: TargetPhone, Value: "+8613812345678"},
		{Kind: TargetEmail, Value: "Li.Wei@example.com"},
		{Kind: TargetEmail, Value: "li.wei@example.com"},
		{Kind: TargetWeChatID, Value: "wxid_abc123"},
		{Kind: TargetAccountID, Value: "acct:000042"},
		{Kind: TargetPhone, Value: "+12025550123"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestWeChatIDRule(t *testing.T) {
	cases := map[string]string{
		"abcdef":                "",
		"a1_b-2":                "",
		"Zz0123456789_-abcdef":  "", // 20
		"abcde":                 "5 characters",
		"abcdefghijklmnopqrstu": "21 characters",
		"1abcdef":               "start with a letter",
		"_abcdef":               "start with a letter",
		"abc.def":               "contains '.'",
		"abc def":               "contains ' '",
		"abcdé12":               "contains 'é'",
		"微信号abcdef":             "start with a letter",
		"微信号":                   "3 characters", // counted in characters, not bytes
	}
	for id, want := range cases {
		got := weChatIDProblem(id)
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("weChatIDProblem(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestNormalizeTargetsErrors(t *testing.T) {
	cases := []struct {
		in    []Target
		field string
		hint  string
	}{
		{nil, "targets", "at least one"},
		{[]Target{{Kind: TargetPhone, Value: "0138 1234 5678"}}, "targets[0].value", "set targets[0].region"},
		{[]Target{{Kind: TargetPhone, Value: "+1 202 555"}}, "targets[0].value", "E.164"},
		{[]Target{{Kind: TargetPhone, Value: "12", Region: "ZZ"}}, "targets[0].value", "for region ZZ"},
		{[]Target{{Kind: TargetEmail, Value: "a@b"}}, "targets[0].value", "e-mail"},
		{[]Target{{Kind: TargetAccountID, Value: "acct 1"}}, "targets[0].value", "account id"},
		{[]Target{{Kind: "", Value: "x"}}, "targets[0].kind", "required"},
		{[]Target{{Kind: "qq", Value: "x"}}, "targets[0].kind", "wechat_id, phone, email, account_id"},
		{[]Target{{Kind: TargetWeChatID, Value: " "}}, "targets[0].value", "empty"},
		{make([]Target, MaxTargets+1), "targets", "split"},
	}
	for _, c := range cases {
		_, err := NormalizeTargets("targets", c.in)
		fs := fields(err)
		if len(fs) != 1 || fs[0] != c.field || !strings.Contains(err.Error(), c.hint) {
			t.Errorf("%+v: err = %v (fields %q), want one error on %s containing %q", c.in, err, fs, c.field, c.hint)
		}
	}
}

func TestNormalizeTargetsReportsEveryIndex(t *testing.T) {
	_, err := NormalizeTargets("targets", []Target{
		{Kind: TargetWeChatID, Value: "good_id1"},
		{Kind: TargetWeChatID, Value: "x"},
		{Kind: TargetEmail, Value: "y"},
	})
	if got := fields(err); !slices.Equal(got, []string{"targets[1].value", "targets[2].value"}) {
		t.Errorf("fields = %q", got)
	}
}

func FuzzNormalizeTargets(f *testing.F) {
	f.Add("phone", "+8613812345678", "")
	f.Add("email", "a@B.com", "")
	f.Add("wechat_id", "abc_def", "CN")
	f.Add("account_id", "\xff", "US")
	f.Fuzz(func(t *testing.T, kind, value, region string) {
		out, err := NormalizeTargets("targets", []Target{{Kind: TargetKind(kind), Value: value, Region: region}})
		if err != nil {
			return
		}
		if len(out) != 1 {
			t.Fatalf("one valid target became %d", len(out))
		}
		// Normalising is idempotent: the stored form validates to itself.
		again, err := NormalizeTargets("targets", out)
		if err != nil || !slices.Equal(again, out) {
			t.Fatalf("not idempotent: %+v -> %+v, %v", out, again, err)
		}
	})
}
