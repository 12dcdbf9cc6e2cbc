package indicator

import "strings"

// extractRates finds exchange rates (汇率7.25, tipo de cambio 17.5, 按7.2算) and commission
// percentages (点位1.5%, keep 5%, 3% fee) next to their context words.
func (e *Extractor) extractRates() {
	t := e.s.text
	spanish := e.s.opt.Lang == "es"
	for _, h := range e.s.hits {
		if h.kind&(kwRate|kwRateAn|kwCommission) == 0 {
			continue
		}
		p := skipGlue(t, h.end, 12)
		if p < len(t) && isDigit(t[p]) && runStartOK(t, p) {
			d, end, ok := parseNumber(t, p, spanish)
			if ok && h.kind&(kwRate|kwRateAn) != 0 {
				// "汇率1:7.25", "1比7.2", "1 USD = 17.5": the rate is the second number.
				if p2, end2, d2, ok2 := ratioSecond(t, end, spanish); ok2 {
					p, end, d = p2, end2, d2
				}
			}
			if ok {
				if pend, isPct := percentEnd(t, end); isPct {
					if h.kind&kwCommission != 0 {
						e.addCommission(p, pend, d, h)
					}
					continue
				}
				if h.kind&(kwRate|kwRateAn) != 0 && !amountSuffixAt(t, end) {
					if h.kind&kwRate == 0 && !settleWordAt(t, end) {
						continue // 按 alone is too common: need 按…算
					}
					v := d.float()
					e.add(ExchangeRate, p, end, d.String(), v > 0 && v < 1000, "context: "+t[h.start:h.end])
				}
				continue
			}
		}
		if h.kind&kwRate != 0 {
			if p, end, d, ok := decimalAhead(t, h.end, 30, spanish); ok {
				v := d.float()
				e.add(ExchangeRate, p, end, d.String(), v > 0 && v < 1000, "context: "+t[h.start:h.end])
				continue
			}
		}
		// "3% fee", "5% commission": the percentage comes first.
		if h.kind&kwCommission != 0 {
			if s, end, d, ok := percentBefore(t, h.start); ok {
				e.addCommission(s, end, d, h)
			}
		}
	}
}

func (e *Extractor) addCommission(start, end int, d decimal, h kwHit) {
	v := d.float()
	e.add(Commission, start, end, d.withSuffix("%"), v > 0 && v <= 100, "context: "+e.s.text[h.start:h.end])
}

func (d decimal) float() float64 {
	v := float64(d.mant)
	for k := d.exp; k < 0; k++ {
		v /= 10
	}
	for k := 0; k < d.exp; k++ {
		v *= 10
	}
	return v
}

// glueWords may stand between a context word and its number.
var glueWords = []string{"：", "\u3000", "是", "为", "為", "约", "約", "大概", "大约", "at ", "is ", "of ", "de ", "del ", "es ", "around ", "about "}

// skipGlue skips spaces, punctuation and filler words after a context word, up to max bytes.
func skipGlue(t string, p, max int) int {
	limit := p + max
	for p < len(t) && p < limit {
		switch t[p] {
		case ' ', ':', '=', '~', '@', '\t', '(':
			p++
			continue
		}
		matched := false
		for _, g := range glueWords {
			if strings.HasPrefix(t[p:], g) {
				p += len(g)
				matched = true
				break
			}
		}
		if !matched {
			break
		}
	}
	return p
}

// percentEnd reports a percent sign (or 个点/点/points) after t[:i] and returns its end.
func percentEnd(t string, i int) (int, bool) {
	j := i
	if j < len(t) && t[j] == ' ' {
		j++
	}
	for _, w := range []string{"%", "个点", "個點", "点", "點", "percent", "por ciento", "points", "pts"} {
		if matchWord(t, j, w) {
			return j + len(w), true
		}
	}
	return i, false
}

// settleWordAt reports 算/结算/計算 after a number (as in 按7.2算).
func settleWordAt(t string, i int) bool {
	if i < len(t) && t[i] == ' ' {
		i++
	}
	for _, w := range []string{"算", "结", "結", "计", "計", "走", "出", "收"} {
		if strings.HasPrefix(t[i:], w) {
			return true
		}
	}
	return false
}

// percentBefore finds "N%" ending just before i (one space allowed) and returns its span.
func percentBefore(t string, i int) (start, end int, d decimal, ok bool) {
	j := i
	if j > 0 && t[j-1] == ' ' {
		j--
	}
	if j == 0 || t[j-1] != '%' {
		return 0, 0, d, false
	}
	k := j - 1
	if k > 0 && t[k-1] == ' ' {
		k--
	}
	s := k
	for s > 0 && (isDigit(t[s-1]) || t[s-1] == '.') {
		s--
	}
	if s == k || !isDigit(t[s]) || !runStartOK(t, s) {
		return 0, 0, d, false
	}
	d, nend, ok := parseNumber(t, s, false)
	if !ok || nend != k {
		return 0, 0, d, false
	}
	return s, j, d, true
}

// decimalAhead finds a number with a decimal point within max bytes after i, in the same
// clause ("汇率:USD兑人民币中间价7.1左右"). Percentages and amounts are not rates.
func decimalAhead(t string, i, max int, spanish bool) (start, end int, d decimal, ok bool) {
	limit := min(i+max, len(t))
	for p := i; p < limit; p++ {
		c := t[p]
		if c == '.' && (p+1 >= len(t) || t[p+1] == ' ') || c == ';' || c == '!' || c == '?' || c == '\n' || c == ',' {
			return 0, 0, d, false
		}
		if strings.HasPrefix(t[p:], "。") || strings.HasPrefix(t[p:], "，") || strings.HasPrefix(t[p:], "；") {
			return 0, 0, d, false
		}
		if !isDigit(c) {
			continue
		}
		if !runStartOK(t, p) {
			return 0, 0, d, false
		}
		d, end, ok = parseNumber(t, p, spanish)
		if !ok || d.exp >= 0 {
			return 0, 0, d, false
		}
		if _, pct := percentEnd(t, end); pct || amountSuffixAt(t, end) {
			return 0, 0, d, false
		}
		return p, end, d, true
	}
	return 0, 0, d, false
}

// ratioSecond reads the second number of a ratio written after t[:i]: ":7.25", "比7.2",
// " USD = 17.5".
func ratioSecond(t string, i int, spanish bool) (start, end int, d decimal, ok bool) {
	p := i
	if p < len(t) && t[p] == ' ' {
		p++
	}
	for _, code := range []string{"USD", "usd", "美金", "美元", "刀", "U", "dólar", "dolar", "dollar"} {
		if strings.HasPrefix(t[p:], code) {
			p += len(code)
			break
		}
	}
	if p < len(t) && t[p] == ' ' {
		p++
	}
	sep := false
	for _, s := range []string{":", "：", "比", "=", "兑", "兌", "→"} {
		if strings.HasPrefix(t[p:], s) {
			p += len(s)
			sep = true
			break
		}
	}
	if !sep {
		return 0, 0, d, false
	}
	if p < len(t) && t[p] == ' ' {
		p++
	}
	if p >= len(t) || !isDigit(t[p]) {
		return 0, 0, d, false
	}
	d, end, ok = parseNumber(t, p, spanish)
	return p, end, d, ok
}
