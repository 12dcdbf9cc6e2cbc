package indicator

import (
	"slices"
	"strings"
)

const cardSeps = " -"

// numRun is a run of digits split into groups by separators, as read by readNumRun.
type numRun struct {
	start, end int // span in the text: from the first digit, '+' or '(' to the last digit
	plus       bool
	digits     [24]byte
	nd         int
	groups     [8]int // number of digits per group
	groupEnd   [8]int // text offset just past each group's last digit
	ng         int
}

func (r *numRun) digitString() string { return string(r.digits[:r.nd]) }

// readNumRun reads digits starting at t[i] ('+', '(' or a digit), allowing runs of at most
// maxSep separator bytes from seps between groups. It stops before anything else, so the run
// always ends on a digit. ok is false when no digit was read or the run is implausibly long.
func readNumRun(t string, i int, seps string, maxSep int) (r numRun, ok bool) {
	r.start = i
	p := i
	if t[p] == '+' {
		r.plus = true
		p++
	}
	for p < len(t) {
		c := t[p]
		if isDigit(c) {
			if r.nd == len(r.digits) {
				return r, false
			}
			if r.ng == 0 || r.groupEnd[r.ng-1] != p {
				if r.ng == len(r.groups) {
					break
				}
				r.ng++
			}
			r.digits[r.nd] = c
			r.nd++
			r.groups[r.ng-1]++
			p++
			r.groupEnd[r.ng-1] = p
			r.end = p
			continue
		}
		// A separator run counts only if a digit follows it.
		q := p
		for q < len(t) && q-p < maxSep && strings.IndexByte(seps, t[q]) >= 0 {
			q++
		}
		if q == p || q >= len(t) || !isDigit(t[q]) {
			break
		}
		if r.ng == len(r.groups) {
			break
		}
		p = q
	}
	return r, r.nd > 0
}

// numChains computes, for each digit run the pre-scan found, how many digits the chain of
// runs starting there holds, with runs joined as readNumRun joins them for cards and for
// phones but without its limits on groups and digits. A run whose chain is too short for a
// card or a phone is passed over without reading it: readNumRun from there, or from any
// later run of the chain, finds no more digits than the chain holds.
func (s *scanState) numChains() {
	t := s.text
	n := len(s.numStarts)
	s.cardChain = slices.Grow(s.cardChain[:0], n)[:n]
	s.phoneChain = slices.Grow(s.phoneChain[:0], n)[:n]
	for k := n - 1; k >= 0; k-- {
		d := s.numEnds[k] - s.numStarts[k]
		card, phone := d, d
		if k+1 < n {
			gap := t[s.numEnds[k]:s.numStarts[k+1]]
			if joins(gap, cardSeps, 1) {
				card += s.cardChain[k+1]
			}
			if joins(gap, phoneSeps, 2) {
				phone += s.phoneChain[k+1]
			}
		}
		s.cardChain[k], s.phoneChain[k] = card, phone
	}
}

// joins reports whether readNumRun reads over gap, the bytes between two digit runs.
func joins(gap, seps string, maxSep int) bool {
	if len(gap) == 0 || len(gap) > maxSep {
		return false
	}
	for i := 0; i < len(gap); i++ {
		if strings.IndexByte(seps, gap[i]) < 0 {
			return false
		}
	}
	return true
}

// runStartOK reports whether a number may start at t[i]: not in the middle of a word, a
// decimal or a longer code.
func runStartOK(t string, i int) bool {
	if i == 0 {
		return true
	}
	p := t[i-1]
	if wordByte(p) {
		return false
	}
	if (p == '.' || p == ',' || p == '-' || p == '/' || p == ':') && i >= 2 && isDigit(t[i-2]) {
		return false
	}
	return true
}

// prevNonSpace returns the byte before i skipping at most one space, or 0.
func prevNonSpace(t string, i int) byte {
	if i > 0 && t[i-1] == ' ' {
		i--
	}
	if i > 0 {
		return t[i-1]
	}
	return 0
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// cardBrand names the card network from the issuer prefix, or "".
func cardBrand(d string) string {
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p4 := p2*100 + int(d[2]-'0')*10 + int(d[3]-'0')
	switch {
	case d[0] == '4':
		return "Visa"
	case p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720:
		return "Mastercard"
	case p2 == 34 || p2 == 37:
		return "American Express"
	case p2 == 62:
		return "UnionPay"
	case p4 == 6011 || p2 == 65:
		return "Discover"
	}
	return ""
}

// extractCards finds bank card numbers: 13–19 digits in card grouping, or any 13–19 digit run
// introduced by a card word (卡号, card, tarjeta, …).
func (e *Extractor) extractCards() {
	t := e.s.text
	next := 0
	for k, i := range e.s.numStarts {
		if i < next || e.s.cardChain[k] < 13 || !runStartOK(t, i) {
			continue
		}
		r, ok := readNumRun(t, i, cardSeps, 1)
		if !ok {
			continue
		}
		next = r.end
		if r.nd < 13 || r.nd > 19 {
			continue
		}
		_, ctx := e.s.hitBefore(r.start, kwCardCtx, 12)
		if !ctx && !cardGrouping(&r) {
			continue
		}
		if _, order := e.s.hitBefore(r.start, kwOrderCtx, 8); order && !ctx {
			continue
		}
		d := r.digitString()
		valid := luhn(d)
		detail := cardBrand(d)
		if !valid {
			detail = strings.TrimPrefix(detail+"; Luhn check failed", "; ")
		}
		e.add(BankCard, r.start, r.end, d, valid, detail)
	}
}

// cardGrouping reports the way card numbers are printed: groups of four with a shorter last
// group (4-4-4-4, 4-4-4-4-3), or the 4-6-5 / 4-6-4 layouts of Amex and Diners.
func cardGrouping(r *numRun) bool {
	g := r.groups[:r.ng]
	if len(g) == 3 && g[0] == 4 && g[1] == 6 && (g[2] == 5 || g[2] == 4) {
		return true
	}
	if len(g) < 4 {
		return false
	}
	for k, n := range g {
		if k < len(g)-1 && n != 4 || k == len(g)-1 && (n < 1 || n > 4) {
			return false
		}
	}
	return true
}
