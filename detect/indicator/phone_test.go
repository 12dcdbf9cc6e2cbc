package indicator

import (
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// Valid numbers are libphonenumber's own example and test numbers; invalid ones are the
// fictional ranges the dev set uses.
func TestExtractPhone(t *testing.T) {
	es := Options{Lang: "es"}
	zh := Options{Lang: "zh-Hans"}
	en := Options{Lang: "en"}
	runCases(t, []tcase{
		{text: "WhatsApp +52 222 123 4567", opt: es, want: []want{{Phone, "+52 222 123 4567", "+522221234567", true, "platform: whatsapp"}}},
		{text: "escríbenos wa.me/522221234567", opt: es, want: []want{{Phone, "522221234567", "+522221234567", true, "platform: whatsapp"}}},
		{text: "WA +52 222 123 4567", opt: es, want: []want{{Phone, "+52 222 123 4567", "+522221234567", true, "platform: whatsapp"}}},
		{text: "电话 131 2345 6789", opt: zh, want: []want{{Phone, "131 2345 6789", "+8613123456789", true, "country inferred: CN"}}},
		{text: "电话号码：6502530000", opt: zh, want: []want{{Phone, "6502530000", "+16502530000", true, "country inferred: US"}}},
		{text: "手机13123456789联系", opt: zh, want: []want{{Phone, "13123456789", "+8613123456789", true, "country inferred: CN"}}},
		{text: "call (650) 253-0000 today", opt: en, want: []want{{Phone, "(650) 253-0000", "+16502530000", true, "country inferred: US"}}},
		{text: "tel 1-650-253-0000", opt: en, want: []want{{Phone, "1-650-253-0000", "+16502530000", true, "country inferred: US"}}},
		{text: "text 650.253.0000", opt: en, want: []want{{Phone, "650.253.0000", "+16502530000", true, "country inferred: US"}}},
		{text: "llámame 222 123 4567", opt: es, want: []want{{Phone, "222 123 4567", "+522221234567", true, "country inferred: MX"}}},
		{text: "call 131 2345 6789", opt: Options{Lang: "en", DefaultRegion: "CN"}, want: []want{{Phone, "131 2345 6789", "+8613123456789", true, "country inferred: CN"}}},
		{text: "0052 222 123 4567", opt: es, want: []want{{Phone, "0052 222 123 4567", "+522221234567", true, ""}}},
		{text: "+52 1 222 123 4567", opt: es, want: []want{{Phone, "+52 1 222 123 4567", "+522221234567", true, ""}}},
		{text: "+1 650 253 0000 ask for Bob", opt: en, want: []want{{Phone, "+1 650 253 0000", "+16502530000", true, ""}}},
		// Fictional and out-of-plan numbers are reported, flagged invalid.
		{text: "hit my line +1 702 555 0184", opt: en, want: []want{{Phone, "+1 702 555 0184", "+17025550184", false, "fictional 555-01xx"}}},
		{text: "(626) 555-0143", opt: zh, want: []want{{Phone, "(626) 555-0143", "+16265550143", false, "country inferred: US; fictional"}}},
		{text: "Tel +52 664 000 0139", opt: es, want: []want{{Phone, "+52 664 000 0139", "+526640000139", false, "MX numbering plan"}}},
		{text: "电话 +86 100 0000 0146", opt: zh, want: []want{{Phone, "+86 100 0000 0146", "+8610000000146", false, "CN numbering plan"}}},
		// A trailing unrelated number is not swallowed.
		{text: "+1 650 253 0000 100 pills", opt: en, want: []want{{Phone, "+1 650 253 0000", "+16502530000", true, ""}}, only: Phone},
		{text: "+1 650 253 0000 21409-26-7", opt: en, want: []want{{Phone, "+1 650 253 0000", "+16502530000", true, ""}}, only: Phone},
		// Not phones.
		{text: "CAS 21409-26-7 and 39742-60-4", only: Phone},
		{text: "2024-01-15 10:30 开会, 2024/01/15 2024.01.15", only: Phone},
		{text: "price $1,200,000 or 1 200 000 pesos", only: Phone},
		{text: "价格 131 2345 6789 元", opt: zh, only: Phone},
		{text: "card 4111 1111 1111 1111", only: Phone},
		{text: "订单号 20240115123456", opt: zh, only: Phone},
		{text: "订单号：13123456789", opt: zh, only: Phone},
		{text: "1600 Amphitheatre Parkway, Mountain View, CA 94043", opt: en, only: Phone},
		{text: "server 192.168.100.200 down", opt: en, only: Phone},
		{text: "ticket #6502530000", opt: en, only: Phone},
		{text: "account 6502530000 frozen", opt: en, only: Phone},
		{text: "we sold 100 200 300 units", opt: en, only: Phone},
		{text: "13123456789", opt: en, only: Phone},
	})
}

func TestExtractBankCard(t *testing.T) {
	runCases(t, []tcase{
		{text: "卡号 4111 1111 1111 1111", want: []want{{BankCard, "4111 1111 1111 1111", "4111111111111111", true, "Visa"}}},
		{text: "pay to 5500-0000-0000-0004", want: []want{{BankCard, "5500-0000-0000-0004", "5500000000000004", true, "Mastercard"}}},
		{text: "amex 3782 822463 10005", want: []want{{BankCard, "3782 822463 10005", "378282246310005", true, "American Express"}}},
		{text: "银行卡6200000000000005", want: []want{{BankCard, "6200000000000005", "6200000000000005", true, "UnionPay"}}},
		{text: "tarjeta: 6011111111111117", want: []want{{BankCard, "6011111111111117", "6011111111111117", true, "Discover"}}},
		// Luhn failure: reported as an invalid look-alike.
		{text: "card 4111 1111 1111 1112", want: []want{{BankCard, "4111 1111 1111 1112", "4111111111111112", false, "Luhn check failed"}}},
		// An unbroken 16-digit run without a card word is an order id, not a card.
		{text: "tracking 4111111111111111", only: BankCard},
		{text: "id 4111111111111111", only: BankCard},
		{text: "2024 2025 2026", only: BankCard},
	})
}

func TestLuhn(t *testing.T) {
	for d, ok := range map[string]bool{"79927398713": true, "79927398710": false, "4111111111111111": true, "0": true} {
		if luhn(d) != ok {
			t.Errorf("luhn(%s) != %v", d, ok)
		}
	}
}

// TestDirectNumberMatchesParse checks the fast path against phonenumbers.Parse.
func TestDirectNumberMatchesParse(t *testing.T) {
	cases := []struct{ number, region string }{
		{"+16502530000", "ZZ"}, {"+12135550188", "ZZ"}, {"+14165550123", "ZZ"}, {"+18095550123", "ZZ"},
		{"+522221234567", "ZZ"}, {"+526640000139", "ZZ"}, {"+525512345678", "ZZ"},
		{"+8613123456789", "ZZ"}, {"+8610000000146", "ZZ"}, {"+861012345678", "ZZ"},
		{"6502530000", "US"}, {"16502530000", "US"}, {"2221234567", "MX"}, {"13123456789", "CN"},
		{"01012345678", "CN"}, {"02012345678", "CN"}, {"1234567890", "US"}, {"5500000000", "MX"},
	}
	for _, c := range cases {
		num, home, ok := directNumber(c.number, c.region)
		if !ok {
			t.Errorf("%s/%s: no direct path", c.number, c.region)
			continue
		}
		fast := judgeNumber(num, home)
		parsed, err := phonenumbers.Parse(c.number, c.region)
		if err != nil {
			t.Errorf("%s/%s: parse: %v", c.number, c.region, err)
			continue
		}
		slow := judgeNumber(parsed, "")
		if fast != slow {
			t.Errorf("%s/%s: direct %+v, parsed %+v", c.number, c.region, fast, slow)
		}
	}
}
