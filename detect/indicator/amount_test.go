package indicator

import (
	"strconv"
	"strings"
	"testing"
)

func TestExtractAmount(t *testing.T) {
	zh := Options{Lang: "zh-Hans"}
	es := Options{Lang: "es"}
	en := Options{Lang: "en"}
	a := func(v, n string) []want { return []want{{Amount, v, n, true, ""}} }
	runCases(t, []tcase{
		{text: "50万美金起换", opt: zh, want: a("50万美金", "500000 USD"), only: Amount},
		{text: "单笔50w", opt: zh, want: a("50w", "500000 ?"), only: Amount},
		{text: "tickets from 200k", opt: en, want: a("200k", "200000 ?"), only: Amount},
		{text: "we move $1.2M a week", opt: en, want: a("$1.2M", "1200000 USD"), only: Amount},
		{text: "hasta 5 millones de pesos", opt: es, want: a("5 millones de pesos", "5000000 MXN"), only: Amount},
		{text: "5 millones de dólares", opt: es, want: a("5 millones de dólares", "5000000 USD"), only: Amount},
		{text: "单笔1万5", opt: zh, want: a("1万5", "15000 ?"), only: Amount},
		{text: "1万5千美金", opt: zh, want: a("1万5千美金", "15000 USD"), only: Amount},
		{text: "2千5一次", opt: zh, want: a("2千5", "2500 ?"), only: Amount},
		{text: "1.5万", opt: zh, want: a("1.5万", "15000 ?"), only: Amount},
		{text: "precio $1 200 000 firme", opt: es, want: []want{{Amount, "$1 200 000", "1200000 USD", true, "peso sign"}}, only: Amount},
		{text: "3千起", opt: zh, want: a("3千", "3000 ?"), only: Amount},
		{text: "一百万现金", opt: zh, want: a("一百万", "1000000 ?"), only: Amount},
		{text: "五十万美金", opt: zh, want: a("五十万美金", "500000 USD"), only: Amount},
		{text: "兩千五美金", opt: Options{Lang: "zh-Hant"}, want: a("兩千五美金", "2500 USD"), only: Amount},
		{text: "收了一万二现金", opt: zh, want: a("一万二", "12000 ?"), only: Amount},
		{text: "¥5000", opt: zh, want: a("¥5000", "5000 CNY"), only: Amount},
		{text: "RMB 8,000", opt: zh, want: a("RMB 8,000", "8000 CNY"), only: Amount},
		{text: "人民币30万", opt: zh, want: a("人民币30万", "300000 CNY"), only: Amount},
		{text: "800元一次", opt: zh, want: a("800元", "800 CNY"), only: Amount},
		{text: "3000刀", opt: zh, want: a("3000刀", "3000 USD"), only: Amount},
		{text: "10万U", opt: zh, want: a("10万U", "100000 USDT"), only: Amount},
		{text: "1000 USDT", opt: en, want: a("1000 USDT", "1000 USDT"), only: Amount},
		{text: "USD 11,000 deposit", opt: en, want: a("USD 11,000", "11000 USD"), only: Amount},
		{text: "$600/acct", opt: en, want: a("$600", "600 USD"), only: Amount},
		{text: "10 mil dólares", opt: es, want: a("10 mil dólares", "10000 USD"), only: Amount},
		{text: "MX$15.000", opt: es, want: a("MX$15.000", "15000 MXN"), only: Amount},
		{text: "5 grand", opt: en, want: a("5 grand", "5000 USD"), only: Amount},
		{text: "$2.50 each", opt: en, want: a("$2.50", "2.5 USD"), only: Amount},
		{text: "500 pesos", opt: es, want: a("500 pesos", "500 MXN"), only: Amount},
		{text: "2,500 dlls", opt: es, want: a("2,500 dlls", "2500 USD"), only: Amount},
		{text: "Precio: $1,500 MXN por gramo", opt: es, want: a("$1,500 MXN", "1500 MXN"), only: Amount},
		{text: "pago $500 pesos", opt: es, want: a("$500 pesos", "500 MXN"), only: Amount},
		{text: "一千零五元", opt: zh, want: a("一千零五元", "1005 CNY"), only: Amount},
		// Runs that continue past '.' or ',' before their suffix (extractAmounts parses these
		// even with no suffix byte right after the digits).
		{text: "1.500 pesos", opt: es, want: a("1.500 pesos", "1500 MXN"), only: Amount},
		{text: "2,5 millones", opt: es, want: a("2,5 millones", "2500000 ?"), only: Amount},
		{text: "12.5k", opt: en, want: a("12.5k", "12500 ?"), only: Amount},
		{text: "1,000,000 yuan", opt: en, want: a("1,000,000 yuan", "1000000 CNY"), only: Amount},
		// Not amounts.
		{text: "pago 500", opt: es, only: Amount},
		{text: "call 555 0100, 12.5, 3,", opt: en, only: Amount},
		{text: "三千多人参加, 十万火急", opt: zh, only: Amount},
		{text: "100 粒起", opt: zh, only: Amount},
		{text: "24小时在线, 50州", opt: zh, only: Amount},
		{text: "4% under spot, 5m away, 4K screen", opt: en, only: Amount},
		{text: "千万不要相信, 万一出事", opt: zh, only: Amount},
		{text: "二〇二四年", opt: zh, only: Amount},
		{text: "usd 2 rmb", opt: en, only: Amount},
		{text: "M30 pills", opt: en, only: Amount},
	})
}

func TestDecimalString(t *testing.T) {
	for _, c := range []struct {
		d    decimal
		want string
	}{
		{decimal{12, -1}, "1.2"}, {decimal{12, 5}, "1200000"}, {decimal{1250, -3}, "1.25"},
		{decimal{5, -3}, "0.005"}, {decimal{0, 3}, "0"}, {decimal{100, -2}, "1"},
	} {
		if got := c.d.String(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.d, got, c.want)
		}
	}
}

func TestExtractEmptyAndReuse(t *testing.T) {
	if got := Extract("", Options{}); got != nil {
		t.Errorf("empty text: %+v", got)
	}
	if got := Extract("just a quiet lunch post", Options{Lang: "en"}); got != nil {
		t.Errorf("plain text: %+v", got)
	}
	ex := NewExtractor()
	first := ex.Extract("￥5000 and TG @abc_defg", Options{Lang: "en"})
	if len(first) != 2 || first[0].Normalized != "5000 CNY" || first[1].Type != Telegram {
		t.Fatalf("first call: %+v", first)
	}
	// A later call on the same Extractor starts from scratch.
	if again := ex.Extract("nothing here", Options{}); len(again) != 0 {
		t.Errorf("second call: %+v", again)
	}
}

// decimalStringRef is the straightforward formatting decimal.String must agree with.
func decimalStringRef(d decimal) string {
	if d.mant == 0 {
		return "0"
	}
	m, exp := d.mant, d.exp
	for exp < 0 && m%10 == 0 {
		m /= 10
		exp++
	}
	s := strconv.FormatInt(m, 10)
	if exp >= 0 {
		return s + strings.Repeat("0", exp)
	}
	k := -exp
	if len(s) <= k {
		s = strings.Repeat("0", k-len(s)+1) + s
	}
	return s[:len(s)-k] + "." + s[len(s)-k:]
}

func TestDecimalStringMatchesReference(t *testing.T) {
	mants := []int64{0, 1, 5, 10, 25, 100, 7250, 123456789, 999999999999999, 100000000000000}
	for _, m := range mants {
		for exp := -18; exp <= 20; exp++ {
			d := decimal{mant: m, exp: exp}
			if got, want := d.String(), decimalStringRef(d); got != want {
				t.Errorf("decimal{%d, %d}: %q, want %q", m, exp, got, want)
			}
			if got, want := d.withSuffix(" USD"), decimalStringRef(d)+" USD"; got != want {
				t.Errorf("decimal{%d, %d}.withSuffix: %q, want %q", m, exp, got, want)
			}
		}
	}
}
