// Package indicator extracts exact, checkable indicators (phones, e-mails, messenger handles,
// crypto addresses, bank cards, amounts, rates, CAS numbers, cities) from the normalised,
// case-preserving view of a post and validates each one.
//
// The package is pure: it takes a string and returns byte offsets into that string. Mapping the
// offsets back to the original post is the caller's job.
//
// Normalized forms: phone E.164 ("+13125550165"); email lower case; telegram, handle and
// wechat_id the lower-case name without '@'; eth EIP-55 checksummed; bech32 lower case;
// btc and tron as written; bank_card digits only; cas "21409-26-7"; amount
// "<number> <CUR>" with CUR one of USD, CNY, MXN, USDT, EUR or "?"; exchange_rate the number;
// commission_rate "1.5%"; city "Los Angeles, US".
//
// Invalid look-alikes (bad checksum, check digit, Luhn, numbering plan, name length) are
// reported with Valid=false and a Detail saying why, never dropped. Detail also carries
// "country inferred: XX" for phones without a country code, "platform: …" for hand-offs, and
// the precursor name for a CAS number in the precursor table.
package indicator

import (
	"slices"
	"sync"
)

// Type identifies the kind of an indicator. The values are stable: they appear in JSON output
// and in rule packs.
type Type string

// The indicator types.
const (
	Phone        Type = "phone"
	Email        Type = "email"
	WeChatID     Type = "wechat_id"
	Telegram     Type = "telegram"
	Handle       Type = "handle" // bare @name where the platform is not named
	TRON         Type = "tron"
	BTC          Type = "btc"    // base58 P2PKH/P2SH
	Bech32       Type = "bech32" // bc1… segwit (bech32 or bech32m)
	ETH          Type = "eth"
	BankCard     Type = "bank_card"
	Amount       Type = "amount"
	ExchangeRate Type = "exchange_rate"
	Commission   Type = "commission_rate"
	CAS          Type = "cas"
	City         Type = "city"
)

// Indicator is one extracted value with its canonical form and validation result.
type Indicator struct {
	Type       Type   `json:"type"`
	Value      string `json:"value"`            // exactly as it appears in the text given to Extract
	Normalized string `json:"normalized"`       // canonical form (E.164, lower-case e-mail, EIP-55, …)
	Valid      bool   `json:"valid"`            // passed its check (checksum, check digit, Luhn, plan)
	Detail     string `json:"detail,omitempty"` // what the check found, inferred country, platform, …
	Start      int    `json:"-"`                // byte offset of Value in the text
	End        int    `json:"-"`                // byte offset just past Value
}

// Options tells Extract about the post's context.
type Options struct {
	// Lang is the post's language: "zh-Hans", "zh-Hant", "es", "en", "mixed" or "" (unknown).
	Lang string
	// DefaultRegion is the ISO 3166 region assumed for phone numbers without a country code.
	// When empty it is inferred from Lang and the number's shape, falling back to "US".
	DefaultRegion string
}

// Extractor extracts indicators while reusing its scratch buffers between calls. It is not safe
// for concurrent use; use one per goroutine, or the package-level Extract.
type Extractor struct {
	s          scanState
	out        []Indicator
	claimed    []uint64 // one bit per byte of the text: already part of an indicator
	phoneCache map[string]phoneVerdict
}

type span struct{ start, end int }

// NewExtractor returns an Extractor with empty buffers.
func NewExtractor() *Extractor { return &Extractor{} }

var pool = sync.Pool{New: func() any { return NewExtractor() }}

// Extract returns the indicators found in text, in order of Start, without overlaps. text should
// be the normalised, case-preserving view of a post. The result is nil when nothing is found.
func Extract(text string, opt Options) []Indicator {
	e := pool.Get().(*Extractor)
	res := e.Extract(text, opt)
	var out []Indicator
	if len(res) > 0 {
		out = make([]Indicator, len(res))
		copy(out, res)
	}
	pool.Put(e)
	return out
}

// Extract is like the package-level Extract, but the returned slice is owned by the Extractor
// and is overwritten by the next call.
func (e *Extractor) Extract(text string, opt Options) []Indicator {
	e.out = e.out[:0]
	words := (len(text) + 64) / 64
	if cap(e.claimed) < words {
		e.claimed = make([]uint64, words)
	} else {
		e.claimed = e.claimed[:words]
		clear(e.claimed)
	}
	s := &e.s
	s.reset(text, opt)
	s.prescan()

	// Order matters: earlier extractors claim their spans and later ones may not overlap them.
	// Self-delimiting, checkable forms go first so that looser numeric forms cannot steal them.
	if len(s.tokens) > 0 {
		e.extractAddresses()
	}
	if s.hasAt || s.hasBracket || s.hasDotWord {
		e.extractEmails()
	}
	if len(s.hits) > 0 {
		e.extractTelegramLinks()
	}
	if s.hasDigit {
		s.numChains()
		e.extractCAS()
		e.extractCards()
		e.extractPhones()
		if len(s.hits) > 0 {
			e.extractRates()
		}
		e.extractAmounts()
	}
	if s.hasHanNumeral {
		e.extractChineseAmounts()
	}
	if len(s.hits) > 0 {
		e.extractMarkedHandles()
	}
	if s.hasAt {
		e.extractBareHandles()
	}
	if len(s.hits) > 0 {
		e.extractCities()
	}
	if len(e.out) > 1 {
		slices.SortStableFunc(e.out, func(a, b Indicator) int { return a.Start - b.Start })
	}
	return e.out
}

// free reports whether [start,end) overlaps no claimed span. A bit set keeps this linear in
// the span's length however many indicators a (hostile) text holds.
func (e *Extractor) free(start, end int) bool {
	for i := start; i < end; i++ {
		if e.claimed[i/64]&(1<<(i%64)) != 0 {
			return false
		}
	}
	return true
}

// add claims [start,end) and appends the indicator, unless the span is already claimed.
func (e *Extractor) add(t Type, start, end int, norm string, valid bool, detail string) bool {
	if start < 0 || end > len(e.s.text) || start >= end || !e.free(start, end) {
		return false
	}
	for i := start; i < end; i++ {
		e.claimed[i/64] |= 1 << (i % 64)
	}
	e.out = append(e.out, Indicator{
		Type: t, Value: e.s.text[start:end], Normalized: norm, Valid: valid, Detail: detail,
		Start: start, End: end,
	})
	return true
}
