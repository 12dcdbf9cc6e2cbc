package indicator

import (
	"strings"
	"unicode/utf8"
)

type affix struct {
	text string
	cur  string
}

// currencyPrefixes may stand right before a number ("$500", "USD 11,000"). Longest first.
var currencyPrefixes = []affix{
	{"人民币", "CNY"}, {"人民幣", "CNY"}, {"USD$", "USD"}, {"USDT", "USDT"}, {"US$", "USD"},
	{"MX$", "MXN"}, {"USD", "USD"}, {"RMB", "CNY"}, {"CNY", "CNY"}, {"MXN", "MXN"}, {"EUR", "EUR"},
	{"美金", "USD"}, {"美元", "USD"}, {"$", "USD"}, {"¥", "CNY"}, {"￥", "CNY"}, {"€", "EUR"},
}

// currencySuffixes may follow a number or multiplier ("50万美金", "5 millones de pesos").
// Longest first; Latin words match case-insensitively at a word end.
var currencySuffixes = []affix{
	{"人民币", "CNY"}, {"人民幣", "CNY"}, {"dólares", "USD"}, {"dolares", "USD"}, {"dollars", "USD"},
	{"yuanes", "CNY"}, {"dollar", "USD"}, {"dólar", "USD"}, {"dolar", "USD"}, {"pesos", "MXN"},
	{"euros", "EUR"}, {"bucks", "USD"}, {"peso", "MXN"}, {"yuan", "CNY"}, {"USDT", "USDT"},
	{"dlls", "USD"}, {"USD", "USD"}, {"RMB", "CNY"}, {"CNY", "CNY"}, {"MXN", "MXN"}, {"EUR", "EUR"},
	{"dls", "USD"}, {"美金", "USD"}, {"美元", "USD"}, {"美刀", "USD"}, {"比索", "MXN"}, {"欧元", "EUR"},
	{"歐元", "EUR"}, {"刀", "USD"}, {"元", "CNY"}, {"块", "CNY"}, {"塊", "CNY"}, {"U", "USDT"},
}

type multiplier struct {
	text     string
	exp      int
	attached bool // must touch the number ("200k"), not after a space
	needCur  bool // only with a currency ("5M" alone may be metres or minutes)
	cur      string
	upper    string // text in upper case, for the case-sensitive "m" and "mm"
}

// multipliers scale a number ("50万", "200k", "5 millones"). Longest first.
var multipliers = []multiplier{
	{text: "millones", exp: 6}, {text: "thousand", exp: 3}, {text: "million", exp: 6},
	{text: "millón", exp: 6}, {text: "millon", exp: 6}, {text: "grand", exp: 3, cur: "USD"},
	{text: "百万", exp: 6}, {text: "百萬", exp: 6}, {text: "千万", exp: 7}, {text: "千萬", exp: 7},
	{text: "mil", exp: 3}, {text: "万", exp: 4}, {text: "萬", exp: 4}, {text: "千", exp: 3},
	{text: "亿", exp: 8}, {text: "億", exp: 8}, {text: "mm", exp: 6, attached: true, needCur: true},
	{text: "w", exp: 4, attached: true}, {text: "k", exp: 3, attached: true},
	{text: "m", exp: 6, attached: true, needCur: true},
}

// currencyPrefixesByLast indexes currencyPrefixes by their last byte, keeping the table's
// (longest-first) order, so that a lookup tries only the prefixes that can end there.
var currencyPrefixesByLast = func() (t [256][]uint8) {
	for k, a := range currencyPrefixes {
		c := a.text[len(a.text)-1]
		t[c] = append(t[c], uint8(k))
	}
	return t
}()

// suffixStart marks bytes that can begin a multiplier or currency suffix, so that most
// numbers skip the table scans.
var suffixStart = func() (st [256]bool) {
	mark := func(tab *[256]bool, c byte) {
		tab[c] = true
		tab[lowerASCII(c)] = true
		if 'a' <= c && c <= 'z' {
			tab[c-'a'+'A'] = true
		}
	}
	for _, a := range currencySuffixes {
		mark(&st, a.text[0])
	}
	for _, m := range multipliers {
		mark(&st, m.text[0])
	}
	mark(&st, 'd') // Spanish "de" before a currency
	return st
}()

// mayHaveSuffix reports whether t[i:] (after one optional space) can start a suffix.
func mayHaveSuffix(t string, i int) bool {
	if i < len(t) && t[i] == ' ' {
		i++
	}
	return i < len(t) && suffixStart[t[i]]
}

// matchWord reports whether word occurs at t[i:] (ASCII case-insensitively), ending at a word
// boundary when it ends with a Latin letter.
func matchWord(t string, i int, word string) bool {
	if i+len(word) > len(t) {
		return false
	}
	for k := 0; k < len(word); k++ {
		if lowerASCII(t[i+k]) != lowerASCII(word[k]) {
			return false
		}
	}
	end := i + len(word)
	return !(wordByte(word[len(word)-1]) && end < len(t) && wordByte(t[end]))
}

// amountPrefixAt returns the currency whose symbol or code ends right before i (one space
// allowed), or "".
func amountPrefixAt(t string, i int) string {
	cur, _ := currencyPrefixBefore(t, i)
	return cur
}

func currencyPrefixBefore(t string, i int) (cur string, start int) {
	j := i
	if j > 0 && t[j-1] == ' ' {
		j--
	}
	if j == 0 {
		return "", i
	}
	for _, k := range currencyPrefixesByLast[t[j-1]] {
		a := &currencyPrefixes[k]
		s := j - len(a.text)
		// Codes must be upper case before a number: "usd 2 rmb" is a currency pair.
		if s < 0 || t[s:j] != a.text {
			continue
		}
		// "USD" must not be the tail of a longer word; "$" may follow anything.
		if wordByte(a.text[0]) && s > 0 && wordByte(t[s-1]) {
			continue
		}
		if a.text == "$" && s > 0 && (t[s-1] == 'S' || t[s-1] == 'X') {
			continue // handled by US$ / MX$
		}
		return a.cur, s
	}
	return "", i
}

// foldedCodeBefore reports a currency code in any case right before i ("usd 2 rmb").
func foldedCodeBefore(t string, i int) bool {
	j := i
	if j > 0 && t[j-1] == ' ' {
		j--
	}
	if j == 0 || !isLetter(t[j-1]) {
		return false // every code ends in a letter
	}
	for _, code := range []string{"usd", "rmb", "cny", "mxn", "usdt", "eur"} {
		s := j - len(code)
		if s >= 0 && strings.EqualFold(t[s:j], code) && (s == 0 || !wordByte(t[s-1])) {
			return true
		}
	}
	return false
}

// currencySuffixAt returns the currency written at t[i:] (after at most one space and an
// optional Spanish "de "), and the offset just past it.
func currencySuffixAt(t string, i int, attached bool) (cur string, end int) {
	j := i
	if !attached && j < len(t) && t[j] == ' ' {
		j++
	}
	if matchWord(t, j, "de ") {
		j += 3
	}
	if j >= len(t) {
		return "", i
	}
	for _, k := range currencySuffixesByFirst[lowerASCII(t[j])] {
		a := &currencySuffixes[k]
		if a.text == "U" && j != i {
			continue // "10万U" but not "10 U"
		}
		if matchWord(t, j, a.text) {
			return a.cur, j + len(a.text)
		}
	}
	return "", i
}

// multiplierAt returns the multiplier written at t[i:], if any.
func multiplierAt(t string, i int) (m multiplier, end int, ok bool) {
	if i >= len(t) {
		return multiplier{}, i, false
	}
	// Only the multipliers whose first byte is there can match; a space in front leaves the
	// detached Latin words (" mil", " millones"), which may be written after one.
	j, spaced := i, false
	if t[i] == ' ' && i+1 < len(t) {
		j, spaced = i+1, true
	}
	for _, k := range multipliersByFirst[lowerASCII(t[j])] {
		mu := &multipliers[k]
		if spaced && (mu.attached || !wordByte(mu.text[0])) {
			continue
		}
		if mu.attached && (mu.text == "m" || mu.text == "mm") {
			// Only lower/upper "m"/"M" as written; "5 m" and "5mg" are not money.
			if !strings.HasPrefix(t[j:], mu.text) && !strings.HasPrefix(t[j:], mu.upper) {
				continue
			}
		}
		if matchWord(t, j, mu.text) {
			return *mu, j + len(mu.text), true
		}
	}
	return multiplier{}, i, false
}

// multipliersByFirst and currencySuffixesByFirst index the tables by their entries' first
// byte, ASCII case-folded, keeping the tables' order, so that a lookup tries only the entries
// that can match and still finds the same (longest-first) one.
var multipliersByFirst, currencySuffixesByFirst = func() (m, c [256][]uint8) {
	for k := range multipliers {
		mu := &multipliers[k]
		mu.upper = strings.ToUpper(mu.text)
		f := lowerASCII(mu.text[0])
		m[f] = append(m[f], uint8(k))
	}
	for k, a := range currencySuffixes {
		f := lowerASCII(a.text[0])
		c[f] = append(c[f], uint8(k))
	}
	return m, c
}()

// amountSuffixAt reports whether a multiplier, currency or percent follows t[:i]; phone
// extraction uses it to leave amounts alone.
func amountSuffixAt(t string, i int) bool {
	if !mayHaveSuffix(t, i) {
		return false
	}
	if _, _, ok := multiplierAt(t, i); ok {
		return true
	}
	cur, _ := currencySuffixAt(t, i, false)
	return cur != ""
}

// parseNumber reads a number at t[i:]: digits with thousands separators and a decimal part.
// In Spanish posts "1.500" is fifteen hundred and "1,5" one and a half.
func parseNumber(t string, i int, spanish bool) (d decimal, end int, ok bool) {
	p := i
	sig := 0
	add := func(c byte) bool {
		if sig >= 15 {
			return false
		}
		if d.mant > 0 || c != '0' {
			sig++
		}
		d.mant = d.mant*10 + int64(c-'0')
		return true
	}
	for p < len(t) && isDigit(t[p]) {
		if !add(t[p]) {
			return d, 0, false
		}
		p++
	}
	if p == i {
		return d, 0, false
	}
	thousands, decimalSep := byte(','), byte('.')
	if spanish {
		thousands, decimalSep = '.', ','
	}
	// Thousands groups: exactly three digits after each separator (',' always counts).
	for p < len(t) && (t[p] == thousands || t[p] == ',') && threeDigits(t, p+1) {
		for k := 1; k <= 3; k++ {
			if !add(t[p+k]) {
				return d, 0, false
			}
		}
		p += 4
	}
	if p+1 < len(t) && (t[p] == decimalSep || t[p] == '.') && isDigit(t[p+1]) {
		q := p + 1
		for q < len(t) && isDigit(t[q]) {
			if !add(t[q]) {
				return d, 0, false
			}
			d.exp--
			q++
		}
		p = q
	}
	return d, p, true
}

// threeDigits reports exactly three digits at t[i:] not followed by a fourth.
func threeDigits(t string, i int) bool {
	return i+3 <= len(t) && isDigit(t[i]) && isDigit(t[i+1]) && isDigit(t[i+2]) &&
		(i+3 == len(t) || !isDigit(t[i+3]))
}

// extractAmounts finds money amounts written with Arabic digits.
func (e *Extractor) extractAmounts() {
	t := e.s.text
	spanish := e.s.opt.Lang == "es"
	next := 0
	for k, i := range e.s.numStarts {
		if i < next {
			continue
		}
		prefixCur, start := currencyPrefixBefore(t, i)
		if prefixCur == "" {
			// Without a currency before it, a run that parseNumber would not extend (no '.' or
			// ',' after it) needs a multiplier or currency after it, as amountAt would find:
			// most digit runs are passed over here without being parsed.
			if end := e.s.numEnds[k]; (end == len(t) || t[end] != '.' && t[end] != ',') && !mayHaveSuffix(t, end) {
				continue
			}
			if !runStartOK(t, i) {
				continue
			}
		}
		d, end, ok := parseNumber(t, i, spanish)
		if !ok {
			continue
		}
		if prefixCur != "" && end-i <= 3 && end < len(t) && t[end] == ' ' && threeDigits(t, end+1) {
			// "$1 200 000": space-separated thousands, only trusted after a currency sign.
			d, end = spaceThousands(t, end, d)
		}
		next = end
		e.amountAt(start, end, d, prefixCur)
	}
}

// amountAt decides whether the number ending at numEnd (with an optional currency prefix
// from start) is an amount: it needs a currency or a multiplier.
func (e *Extractor) amountAt(start, numEnd int, d decimal, cur string) {
	t := e.s.text
	if numEnd < len(t) && (t[numEnd] == '%' || t[numEnd] == '.' && numEnd+1 < len(t) && isDigit(t[numEnd+1])) {
		return
	}
	end := numEnd
	if cur == "" && !mayHaveSuffix(t, end) {
		return // no currency before and nothing that could be one after: a bare number
	}
	mu, mend, hasMul := multiplierAt(t, end)
	if hasMul {
		end = mend
		d.exp += mu.exp
		if mu.cur != "" && cur == "" {
			cur = mu.cur
		}
		if mu.text[0] >= utf8.RuneSelf {
			d, end = chineseTail(t, end, d, mu.exp)
		}
	}
	if sc, send := currencySuffixAt(t, end, false); sc != "" {
		switch {
		case cur == "" && !hasMul && foldedCodeBefore(t, start):
			return // "usd 2 rmb": a currency pair, not an amount
		case cur == "" || cur == sc || cur == "USD" && sc == "USDT":
			cur, end = sc, send
		case t[start] == '$':
			cur, end = sc, send // "$" is also the peso sign: "$500 pesos", "$1,500 MXN"
		case !hasMul:
			return // "USD 2 RMB": a currency pair, not an amount
		}
	}
	if cur == "" && !hasMul {
		return // a bare number is not an amount
	}
	if hasMul && mu.needCur && cur == "" {
		return
	}
	if hasMul && mu.text == "k" && cur == "" && t[mend-1] == 'K' && d.float() < 10000 {
		return // 4K, 8K: screens, not money
	}
	if cur == "" {
		cur = "?"
	}
	detail := ""
	if cur == "USD" && t[start] == '$' && e.s.opt.Lang == "es" {
		detail = "$ read as USD; in Mexico it is also the peso sign"
	}
	e.add(Amount, start, end, d.withSuffix(" "+cur), true, detail)
}

// hanDigit returns the value of a Chinese numeral digit, or -1.
func hanDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一':
		return 1
	case '二', '两', '兩':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	}
	return -1
}

// hanUnit returns the value of a Chinese numeral unit, or 0.
func hanUnit(r rune) int64 {
	switch r {
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	case '万', '萬':
		return 10000
	case '亿', '億':
		return 100000000
	}
	return 0
}

// chineseTail adds the lower-unit digits that may follow a Chinese unit: "1万5" is 15000,
// "1万5千" also, "2千5" 2500.
func chineseTail(t string, i int, d decimal, exp int) (decimal, int) {
	q := i
	for q < len(t) && isDigit(t[q]) && q-i < 4 {
		q++
	}
	if q == i || q < len(t) && isDigit(t[q]) || d.exp < 0 || d.exp > 15 {
		return d, i
	}
	var n int64
	for k := i; k < q; k++ {
		n = n*10 + int64(t[k]-'0')
	}
	base := d.mant
	for k := 0; k < d.exp; k++ {
		base *= 10
	}
	if sub, send, ok := multiplierAt(t, q); ok && sub.exp < exp && sub.text[0] >= utf8.RuneSelf {
		for k := 0; k < sub.exp; k++ {
			n *= 10
		}
		return decimal{mant: base + n}, send
	}
	if q-i != 1 {
		return d, i // "1万 23" is not a tail
	}
	for k := 0; k < exp-1; k++ {
		n *= 10
	}
	return decimal{mant: base + n}, q
}

// spaceThousands extends an integer with " ddd" groups.
func spaceThousands(t string, i int, d decimal) (decimal, int) {
	for i < len(t) && t[i] == ' ' && threeDigits(t, i+1) && d.mant < 1e12 {
		for k := 1; k <= 3; k++ {
			d.mant = d.mant*10 + int64(t[i+k]-'0')
		}
		i += 4
	}
	return d, i
}
