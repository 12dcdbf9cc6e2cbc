package indicator

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BIP-173 and BIP-350 published test vectors.
func TestBech32Vectors(t *testing.T) {
	validBech32 := []string{
		"A12UEL5L", "a12uel5l",
		"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"11" + strings.Repeat("q", 82) + "c8247j",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
	}
	validBech32m := []string{
		"A1LQFN3A", "a1lqfn3a",
		"an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
		"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
		"11" + strings.Repeat("l", 82) + "ludsr8",
		"split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
		"?1v759aa",
	}
	invalid := []string{
		"\x201nwldj5", "\x7f1axkwrx", "\x801eym55h",
		"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
		"pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\xff",
		"A1G7SGD8", "10a06t8", "1qzzfhee",
		// BIP-350 invalid bech32m strings
		"\x201xj0phk", "\x7f1g6xzxy", "\x801vctc34",
		"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
		"qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i",
		"au1s5cgom", "M1VUXWEZ", "16plkw9", "1p2gdwpf",
	}
	for _, s := range validBech32 {
		if _, _, enc, reason := bech32Decode(s); enc != encBech32 || reason != "" {
			t.Errorf("%q: want bech32, got enc %d reason %q", s, enc, reason)
		}
	}
	for _, s := range validBech32m {
		if _, _, enc, reason := bech32Decode(s); enc != encBech32m || reason != "" {
			t.Errorf("%q: want bech32m, got enc %d reason %q", s, enc, reason)
		}
	}
	for _, s := range invalid {
		if _, _, _, reason := bech32Decode(s); reason == "" {
			t.Errorf("%q: decoded, want an error", s)
		}
	}
}

func TestSegwitVectors(t *testing.T) {
	valid := []struct{ addr, script string }{
		{"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
		{"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"BC1SW50QGDZ25J", "6002751e"},
		{"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
		{"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
		{"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
	}
	for _, v := range valid {
		hrp := strings.ToLower(v.addr[:2])
		ver, prog, _, reason := decodeSegwit(hrp, v.addr)
		if reason != "" {
			t.Errorf("%s: %s", v.addr, reason)
			continue
		}
		op := byte(0)
		if ver > 0 {
			op = byte(0x50 + ver)
		}
		got := hex.EncodeToString(append([]byte{op, byte(len(prog))}, prog...))
		if got != v.script {
			t.Errorf("%s: script %s, want %s", v.addr, got, v.script)
		}
	}
	invalid := []string{
		"tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
		"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
		"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
		"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
		"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
		"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
		"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
		"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
		"bc1pw5dgrnzv",
		"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
		"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
		"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
		"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
		"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
		"bc1gmk9yu",
	}
	for _, a := range invalid {
		for _, hrp := range []string{"bc", "tb"} {
			if _, _, _, reason := decodeSegwit(hrp, a); reason == "" {
				t.Errorf("%s: accepted for %s, want rejected", a, hrp)
			}
		}
	}
}

// EIP-55 published examples.
func TestEIP55(t *testing.T) {
	for _, a := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		norm, valid, detail := checkETH(a)
		if !valid || norm != a || detail != "EIP-55 checksum" {
			t.Errorf("%s: norm %s valid %v detail %q", a, norm, valid, detail)
		}
		lower := "0x" + strings.ToLower(a[2:])
		if norm, valid, detail := checkETH(lower); !valid || norm != a || !strings.Contains(detail, "all lower case") {
			t.Errorf("%s: norm %s valid %v detail %q", lower, norm, valid, detail)
		}
		upper := "0x" + strings.ToUpper(a[2:])
		if _, valid, detail := checkETH(upper); !valid || !strings.Contains(detail, "all upper case") {
			t.Errorf("%s: valid %v detail %q", upper, valid, detail)
		}
		// Flip the case of the first letter: the checksum must catch it.
		b := []byte(a)
		for i := 2; i < len(b); i++ {
			if isLetter(b[i]) {
				b[i] ^= 0x20
				break
			}
		}
		if _, valid, detail := checkETH(string(b)); valid || detail != "EIP-55 checksum mismatch" {
			t.Errorf("%s: valid %v detail %q, want mismatch", b, valid, detail)
		}
	}
}

// mutate changes the character at position i to another one from alphabet.
func mutate(s string, i int, alphabet string) string {
	c := s[i]
	k := strings.IndexByte(alphabet, c)
	if k < 0 {
		k = 0
	}
	return s[:i] + string(alphabet[(k+1)%len(alphabet)]) + s[i+1:]
}

// TestGeneratedAddresses uses the dev set's fake, checksum-valid addresses and one-character
// corruptions of them.
func TestGeneratedAddresses(t *testing.T) {
	path := filepath.Join(devDir, "build", "addrs.json")
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skipf("addresses not found at %s", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var addrs map[string]any
	if err := json.Unmarshal(raw, &addrs); err != nil {
		t.Fatal(err)
	}
	kinds := []struct {
		key      string
		typ      Type
		alphabet string
		detail   string
	}{
		{"btc_p2pkh", BTC, base58Alphabet, "P2PKH"},
		{"btc_p2sh", BTC, base58Alphabet, "P2SH"},
		{"btc_bech32", Bech32, bech32Charset, "bech32, witness v0 (P2WPKH)"},
		{"eth", ETH, "0123456789", "EIP-55 checksum"},
		{"tron", TRON, base58Alphabet, "TRON base58check"},
	}
	for _, k := range kinds {
		list, _ := addrs[k.key].([]any)
		if len(list) == 0 {
			t.Fatalf("%s: no addresses in %s", k.key, path)
		}
		for n, v := range list {
			a := v.(string)
			text := "付款地址：" + a + "，到账后发货"
			got := Extract(text, Options{Lang: "zh-Hans"})
			if len(got) != 1 || got[0].Type != k.typ || got[0].Value != a || !got[0].Valid || got[0].Detail != k.detail {
				t.Errorf("%s %s: got %+v", k.key, a, got)
				continue
			}
			// Corrupt one character in the body (skip the prefix that decides the type).
			pos := 5 + n%(len(a)-6)
			if k.typ == ETH && !isDigit(a[pos]) {
				for pos < len(a)-1 && !isDigit(a[pos]) {
					pos++
				}
			}
			bad := mutate(a, pos, k.alphabet)
			got = Extract("send to "+bad+" now", Options{Lang: "en"})
			if len(got) != 1 || got[0].Type != k.typ || got[0].Valid {
				t.Errorf("%s corrupted %s: got %+v, want one invalid %s", k.key, bad, got, k.typ)
			}
		}
	}
}

func TestAddressLookAlikes(t *testing.T) {
	cases := []struct {
		text string
		n    int // indicators expected
	}{
		{"order TXN12345678901234567890123456789 shipped", 0}, // not 34 chars
		{"0x1234", 0}, // too short for ETH
		{"hash 0x" + strings.Repeat("ab", 32), 0}, // a 64-digit hash, not an address
		{"12345678901234567890123456789", 0},      // a long number is not a BTC address
		{"bc1 is a prefix", 0},
	}
	for _, c := range cases {
		if got := Extract(c.text, Options{}); len(got) != c.n {
			t.Errorf("%q: got %+v", c.text, got)
		}
	}
}
