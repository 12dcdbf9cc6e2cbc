package lereq_test

import (
	"strings"
	"testing"

	"vigil/lereq"
)

func FuzzAllowListCheck(f *testing.F) {
	reg := map[string]lereq.GovDomain{"fbi.gov": {Domain: "fbi.gov", Org: "DOJ"}, "sfgov.gov": {Domain: "sfgov.gov"}}
	al := lereq.NewAllowList(reg, nil, nil)
	dir := map[string]string{"metro-pd.example": "agy_1"}
	for _, s := range []string{"fbi.gov", "x.fbi.gov", "fbl.gov", "gmail.com", "dps.state.tx.us", "ci.x.zz.us", "", ".", "..gov", "xn--80ak6aa92e.com", "ﬁ.gov", "a.b.c.d.e.f.g.mil", "metro-pd.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, d string) {
		c := al.Check(d, dir)
		if c.Allowed == (c.Reason != "") || c.Allowed == (c.Basis == "") {
			t.Fatalf("%q: inconsistent decision %+v", d, c)
		}
		if c.Allowed && strings.Trim(c.Domain, "abcdefghijklmnopqrstuvwxyz0123456789-.") != "" {
			t.Fatalf("%q: allowed a domain with unusual characters: %+v", d, c)
		}
	})
}

func BenchmarkAllowListCheckRefusedWithRegistry(b *testing.B) {
	reg, err := lereq.LoadDotGov("../../shared/data/dotgov/current-full.csv")
	if err != nil {
		b.Skipf("registry absent: %v", err)
	}
	al := lereq.NewAllowList(reg, nil, nil)
	for b.Loop() {
		if al.Check("made-up-agency-zz.gov", nil).Allowed {
			b.Fatal("allowed")
		}
	}
}
