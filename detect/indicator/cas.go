package indicator

import "strings"

// precursors is the precursor table of the domain brief (§3.5).
var precursors = map[string]string{
	"21409-26-7":  "ANPP (4-anilino-N-phenethylpiperidine)",
	"39742-60-4":  "NPP (N-phenethyl-4-piperidone)",
	"23056-29-3":  "4-AP (4-anilinopiperidine)",
	"125541-22-2": "1-boc-4-AP (tert-butyl 4-anilinopiperidine-1-carboxylate)",
	"1609-66-1":   "norfentanyl",
	"41661-47-6":  "4-piperidone",
	"40064-34-4":  "4-piperidone HCl monohydrate",
	"79099-07-3":  "1-boc-4-piperidone (N-Boc-4-piperidone)",
	"103-63-9":    "phenethyl bromide ((2-bromoethyl)benzene)",
}

// Precursor returns the name of a fentanyl precursor for its CAS number (with or without spaces
// around the hyphens), and whether the number is in the precursor table.
func Precursor(cas string) (name string, ok bool) {
	norm, _, ok := parseCAS(cas)
	if !ok {
		return "", false
	}
	name, ok = precursors[norm]
	return name, ok
}

// ValidCAS reports whether s is a CAS registry number (2–7 digits, 2 digits, 1 check digit,
// joined by hyphens, spaces around the hyphens tolerated) whose check digit is right.
func ValidCAS(s string) bool {
	_, valid, ok := parseCAS(s)
	return ok && valid
}

// parseCAS parses a whole string as a CAS number and returns its canonical form.
func parseCAS(s string) (norm string, valid bool, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || !isDigit(s[0]) {
		return "", false, false
	}
	end, norm, valid, ok := scanCAS(s, 0)
	if !ok || end != len(s) {
		return "", false, false
	}
	return norm, valid, true
}

// scanCAS reads a CAS-shaped number starting at text[i] (a digit). It accepts the compact
// form "21409-26-7", spaces around the hyphens, and the fully spaced form "1 0 3 - 6 3 - 9"
// in case the caller did not collapse spaced digits.
func scanCAS(text string, i int) (end int, norm string, valid bool, ok bool) {
	var digits [10]byte
	nd := 0
	groups := [3]int{}
	spaced := false
	pos := i
	for g := 0; g < 3; g++ {
		if g > 0 {
			// separator: optional spaces, '-', optional spaces
			p := pos
			for p < len(text) && text[p] == ' ' && p-pos < 2 {
				p++
			}
			n := dashAt(text, p)
			if n == 0 {
				return 0, "", false, false
			}
			p += n
			q := p
			for p < len(text) && text[p] == ' ' && p-q < 2 {
				p++
			}
			pos = p
		}
		if pos >= len(text) || !isDigit(text[pos]) {
			return 0, "", false, false
		}
		for {
			if nd == len(digits) {
				return 0, "", false, false
			}
			digits[nd] = text[pos]
			nd++
			pos++
			groups[g]++
			if pos < len(text) && isDigit(text[pos]) {
				if spaced {
					return 0, "", false, false // "2 21409-26-7": not uniformly spaced
				}
				continue
			}
			if pos+1 < len(text) && text[pos] == ' ' && isDigit(text[pos+1]) {
				// A single space after the very first digit switches to the spaced-out form;
				// from then on every digit must be followed by one space.
				if g == 0 && groups[0] == 1 {
					spaced = true
				}
				if spaced {
					pos++
					continue
				}
			}
			break
		}
	}
	if groups[0] < 2 || groups[0] > 7 || groups[1] != 2 || groups[2] != 1 {
		return 0, "", false, false
	}
	// The number must end here: "2024-01-15" continues with a digit, "1-2-3-4" with "-digit".
	if pos < len(text) && (isAlnum(text[pos]) || dashAt(text, pos) > 0 && pos+dashAt(text, pos) < len(text) && isDigit(text[pos+dashAt(text, pos)])) {
		return 0, "", false, false
	}
	// Trailing separator spaces belong to the text, not the number.
	for pos > i && text[pos-1] == ' ' {
		pos--
	}
	// Canonical form: leading zeros dropped from the first group (keeping two digits).
	first := digits[:groups[0]]
	for len(first) > 2 && first[0] == '0' {
		first = first[1:]
	}
	sum := 0
	body := append(append([]byte{}, first...), digits[groups[0]:groups[0]+2]...)
	for k := 0; k < len(body); k++ {
		sum += int(body[len(body)-1-k]-'0') * (k + 1)
	}
	check := digits[nd-1]
	valid = byte('0'+sum%10) == check
	var b strings.Builder
	b.Grow(len(body) + 3)
	b.Write(first)
	b.WriteByte('-')
	b.Write(digits[groups[0] : groups[0]+2])
	b.WriteByte('-')
	b.WriteByte(check)
	return pos, b.String(), valid, true
}

// extractCAS finds CAS registry numbers. Invalid check digits are reported with Valid=false
// where the string is likely meant as a CAS number (see below).
func (e *Extractor) extractCAS() {
	t := e.s.text
	next := 0
	for k, i := range e.s.numStarts {
		if i < next || i > 0 && wordByte(t[i-1]) {
			continue
		}
		if !casMayStart(t, i, e.s.numEnds[k]) {
			continue
		}
		// A preceding '-', '.', '/' or '+' joins this to a longer code, version or phone,
		// and a comma after a digit to a longer number (12,345-67-8); after a word or
		// full-width punctuation (folded to ',') a comma only separates.
		if i > 0 && strings.IndexByte("-./+", t[i-1]) >= 0 || i > 1 && t[i-1] == ',' && isDigit(t[i-2]) {
			continue
		}
		end, norm, valid, ok := scanCAS(t, i)
		if !ok {
			continue
		}
		_, casCtx := e.s.hitBefore(i, kwCASCtx, 8)
		next = end
		// A wrong check digit is reported as a look-alike only where a CAS number is likely:
		// after the word CAS, or with a long first group (21409-26-8). Short ones such as
		// "pages 123-45-6" or a date "2024-03-1" are ordinary numbers.
		if !valid && !casCtx && (looksLikeDate(norm) || strings.IndexByte(norm, '-') < 4) {
			continue
		}
		detail := ""
		if name, ok := precursors[norm]; ok && valid {
			detail = name // the brief's contract: Detail names the precursor
		} else if !valid {
			detail = "check digit mismatch"
		}
		e.add(CAS, i, end, norm, valid, detail)
	}
}

// casMayStart reports whether scanCAS can read a CAS number from the digit run t[i:end]:
// most runs fail this cheap test. scanCAS reads the whole run as the first group, which needs
// two to seven digits and then a dash after at most two spaces, or is the first digit of the
// spaced-out form ("1 0 3 - 6 3 - 9").
func casMayStart(t string, i, end int) bool {
	switch n := end - i; {
	case n == 1:
		return end+1 < len(t) && t[end] == ' ' && isDigit(t[end+1])
	case n > 7:
		return false
	}
	p := end
	for p < len(t) && t[p] == ' ' && p-end < 2 {
		p++
	}
	return dashAt(t, p) > 0
}

// looksLikeDate reports CAS-shaped strings such as 2024-03-1 (year, month, day).
func looksLikeDate(norm string) bool {
	if len(norm) != 9 || (norm[:2] != "19" && norm[:2] != "20") {
		return false
	}
	m := int(norm[5]-'0')*10 + int(norm[6]-'0')
	return m >= 1 && m <= 12
}

// dashAt returns the byte length of a hyphen or dash at t[i:], or 0. Besides '-', the dashes
// that the normaliser folds (U+2010–U+2015, U+2212, U+FE63, U+FF0D) are accepted so that
// callers passing a lightly normalised text still find CAS numbers.
func dashAt(t string, i int) int {
	if i >= len(t) {
		return 0
	}
	if t[i] == '-' {
		return 1
	}
	if t[i] < 0xE2 || i+3 > len(t) {
		return 0
	}
	switch t[i : i+3] {
	case "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d":
		return 3
	}
	return 0
}
