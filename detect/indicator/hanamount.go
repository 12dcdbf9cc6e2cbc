package indicator

import (
	"strings"
	"unicode/utf8"
)

// extractChineseAmounts finds amounts written in Chinese numerals (一百万, 五十万美金). Without a
// currency only values of at least 万 are taken, and runs starting with a unit are skipped:
// 千万 ("by all means") and 万一 ("in case") are idioms, not money.
func (e *Extractor) extractChineseAmounts() {
	t := e.s.text
	for _, start := range e.s.hanNums {
		// parseHanNumber needs at least two numerals in a row, and most runs are a lone 一
		// (一起, 一下). Every numeral is three bytes long.
		if r, _ := utf8.DecodeRuneInString(t[min(start+3, len(t)):]); hanDigit(r) < 0 && hanUnit(r) == 0 {
			continue
		}
		val, end, ok := parseHanNumber(t, start)
		if !ok || val <= 0 {
			continue
		}
		if strings.HasPrefix(t[end:], "火急") {
			continue // 十万火急: "extremely urgent"
		}
		cur, cend := currencySuffixAt(t, end, true)
		if cur != "" {
			end = cend
		} else if val < 10000 {
			continue
		} else {
			cur = "?"
		}
		e.add(Amount, start, end, decimal{mant: val}.withSuffix(" "+cur), true, "")
	}
}

// parseHanNumber parses a Chinese numeral at t[i:] such as 三千, 五十万, 一百二十万, 两亿.
func parseHanNumber(t string, i int) (val int64, end int, ok bool) {
	var total, section, num, lastUnit int64
	runes := 0
	lastDigit := false
	afterUnit := false // the current digit follows a unit directly (一万二 = 12000)
	p := i
	for p < len(t) {
		r, size := utf8.DecodeRuneInString(t[p:])
		if d := hanDigit(r); d >= 0 {
			if lastDigit && num != 0 {
				return 0, 0, false // 二〇二四: a year or code read digit by digit
			}
			afterUnit = !lastDigit && runes > 0
			num = int64(d)
			lastDigit = true
		} else if u := hanUnit(r); u > 0 {
			if runes == 0 && u != 10 {
				return 0, 0, false
			}
			switch {
			case u == 100000000:
				total = (total + section + num) * u
				section = 0
			case u == 10000:
				total += (section + num) * u
				section = 0
			default:
				if num == 0 && u == 10 {
					num = 1 // 十五 = 15
				}
				section += num * u
			}
			num = 0
			lastDigit = false
			lastUnit = u
			if total > 1e15 {
				return 0, 0, false
			}
		} else {
			break
		}
		runes++
		p += size
	}
	if runes < 2 {
		return 0, 0, false
	}
	// A trailing digit right after 百/千/万 counts in the next lower unit: 两千五 = 2500.
	if lastDigit && afterUnit && lastUnit >= 100 {
		num *= lastUnit / 10
	}
	return total + section + num, p, true
}
