package demo

import (
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := json.Marshal(Generate(Options{Accounts: 500}))
	b, _ := json.Marshal(Generate(Options{Accounts: 500}))
	if string(a) != string(b) {
		t.Fatal("two generations with the same options differ")
	}
	c, _ := json.Marshal(Generate(Options{Accounts: 500, Seed: 2}))
	if string(a) == string(c) {
		t.Fatal("a different seed gave the same platform")
	}
}

func TestDefaultDemoShapeAndValidity(t *testing.T) {
	p := Generate(Options{})
	if len(p.Accounts) != 10000 || len(p.Posts) != 100000 {
		t.Fatalf("got %d accounts and %d posts, want 10,000 and 100,000", len(p.Accounts), len(p.Posts))
	}
	weixin, ids := 0, map[string]bool{}
	for i := range p.Accounts {
		a := p.Accounts[i]
		if err := a.Validate(Epoch); err != nil {
			t.Fatalf("account %s does not pass the ingest validation: %v", a.ID, err)
		}
		if ids[a.WeChatID] {
			t.Fatalf("WeChat ID %s used twice", a.WeChatID)
		}
		ids[a.WeChatID] = true
		if a.App == "weixin" {
			weixin++
		}
	}
	if weixin < 150 || weixin > 600 {
		t.Errorf("%d weixin accounts; want a few percent", weixin)
	}
	for i := range p.Logins {
		if err := p.Logins[i].Validate(Epoch); err != nil {
			t.Fatalf("login %d invalid: %v", i, err)
		}
	}
	for i := range p.Groups {
		if err := p.Groups[i].Validate(); err != nil {
			t.Fatalf("group %d invalid: %v", i, err)
		}
	}
	langs, cats, illicitN := map[string]int{}, map[string]int{}, 0
	for i := range p.Posts {
		it := p.Posts[i].ContentItem
		if err := it.Validate(Epoch); err != nil {
			t.Fatalf("post %s invalid: %v", it.ID, err)
		}
		langs[p.Posts[i].Lang]++
		if len(p.Posts[i].Labels) > 0 {
			illicitN++
		}
		for _, l := range p.Posts[i].Labels {
			cats[l]++
		}
	}
	if illicitN < 200 || illicitN > 900 {
		t.Errorf("%d illicit posts; want a few hundred", illicitN)
	}
	for _, c := range []string{"ml_broker", "bulk_cash", "crypto_cashout", "drug_sale", "precursor_sale"} {
		if cats[c] == 0 {
			t.Errorf("no illicit post of category %s", c)
		}
	}
	for _, l := range []string{"zh-Hans", "zh-Hant", "es", "en"} {
		if langs[l] == 0 {
			t.Errorf("no post in %s", l)
		}
	}
}

func TestClustersShareIndicatorsAcrossAccounts(t *testing.T) {
	p := Generate(Options{Accounts: 2000})
	byTG := map[string]map[string]bool{}
	for _, po := range p.Posts {
		if len(po.Labels) == 0 {
			continue
		}
		i := strings.Index(po.Text, "@")
		if i < 0 {
			continue
		}
		h := strings.Fields(po.Text[i:])[0]
		if byTG[h] == nil {
			byTG[h] = map[string]bool{}
		}
		byTG[h][po.AuthorID] = true
	}
	shared := 0
	for _, authors := range byTG {
		if len(authors) > 1 {
			shared++
		}
	}
	if shared == 0 {
		t.Fatal("no handle is shared by two accounts: the demo has no networks to find")
	}
}

func TestTronAddressesHaveValidChecksums(t *testing.T) {
	p := Generate(Options{Accounts: 1000})
	seen := 0
	for _, po := range p.Posts {
		for _, w := range strings.Fields(po.Text) {
			if len(w) == 34 && w[0] == 'T' {
				seen++
				b := decode58(t, w)
				h1 := sha256.Sum256(b[:21])
				h2 := sha256.Sum256(h1[:])
				if b[0] != 0x41 || string(h2[:4]) != string(b[21:]) {
					t.Fatalf("%s is not a checksum-valid TRON address", w)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no TRON address in the demo")
	}
}

func decode58(t *testing.T, s string) []byte {
	var n []byte // big-endian bytes, built by n = n*58 + digit
	for _, c := range s {
		d := strings.IndexRune(b58, c)
		if d < 0 {
			t.Fatalf("%q not base58", s)
		}
		carry := d
		for i := len(n) - 1; i >= 0; i-- {
			carry += int(n[i]) * 58
			n[i] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			n = append([]byte{byte(carry)}, n...)
			carry >>= 8
		}
	}
	if len(n) != 25 {
		t.Fatalf("%s decodes to %d bytes, want 25", s, len(n))
	}
	return n
}
