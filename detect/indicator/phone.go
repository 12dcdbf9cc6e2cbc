package indicator

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

const phoneSeps = " -.()/"

// extractPhones finds phone numbers. libphonenumber is slow, so it only sees candidate runs
// that already have a phone's shape: an international prefix, or 10–11 digits in phone
// grouping, or an unbroken run introduced by a phone word.
func (e *Extractor) extractPhones() {
	t := e.s.text
	next := 0
	for k, i := range e.s.numStarts {
		if i < next || e.s.phoneChain[k] < 7 {
			continue // a phone has at least 7 digits
		}
		if i > 0 && (t[i-1] == '+' || t[i-1] == '(') {
			i-- // the number starts at its '+' or '('
		}
		if !runStartOK(t, i) {
			continue
		}
		r, ok := readNumRun(t, i, phoneSeps, 2)
		if !ok {
			continue
		}
		next = r.end
		if i >= 6 && strings.EqualFold(t[i-6:i], "wa.me/") {
			r.plus = true // wa.me/5215512345678: WhatsApp links carry the full international number
		}
		if r.nd >= 7 && !e.notPhoneContext(&r) {
			if r.plus || r.nd >= 11 && r.digits[0] == '0' && r.digits[1] == '0' {
				if end, ok := e.international(&r); ok {
					next = end
				}
			} else {
				e.national(&r)
			}
		}
	}
}

// notPhoneContext rejects runs that are amounts, order numbers or part of a longer token.
func (e *Extractor) notPhoneContext(r *numRun) bool {
	t := e.s.text
	if p := prevNonSpace(t, r.start); p == '#' || p == '$' {
		return true
	}
	if amountPrefixAt(t, r.start) != "" || amountSuffixAt(t, r.end) {
		return true
	}
	if r.end < len(t) && (t[r.end] == '%' || isLetter(t[r.end]) || t[r.end] == '_') {
		return true
	}
	if _, order := e.s.hitBefore(r.start, kwOrderCtx, 8); order {
		return true
	}
	return false
}

// phoneVerdict is libphonenumber's judgement on one number, cached per Extractor because the
// same numbers recur across the posts of a network and parsing is the slow part.
type phoneVerdict struct {
	e164     string
	valid    bool
	possible bool
	why      string // why the number is not valid
}

const phoneCacheMax = 1024

// judgePhone parses digits (national, in region) or "+digits" (region "ZZ").
func (e *Extractor) judgePhone(number, region string) (phoneVerdict, bool) {
	key := region + number
	if v, ok := e.phoneCache[key]; ok {
		return v, v.e164 != ""
	}
	var v phoneVerdict
	if num, home, ok := directNumber(number, region); ok {
		v = judgeNumber(num, home)
	} else if num, err := phonenumbers.Parse(number, region); err == nil {
		v = judgeNumber(num, "")
	}
	if e.phoneCache == nil || len(e.phoneCache) >= phoneCacheMax {
		e.phoneCache = make(map[string]phoneVerdict, 64)
	}
	e.phoneCache[key] = v
	return v, v.e164 != ""
}

// directNumber builds the number itself for the three plans Vigil sees most (NANP, Mexico,
// China), skipping phonenumbers.Parse, whose extension-stripping regular expressions cost
// more than the validation. It returns the number's home region for a cheaper validity check.
func directNumber(number, region string) (num *phonenumbers.PhoneNumber, home string, ok bool) {
	var cc int32
	nat := number
	if number[0] == '+' {
		d := number[1:]
		switch {
		case strings.HasPrefix(d, "1") && len(d) == 11:
			cc, nat, home = 1, d[1:], "US"
		case strings.HasPrefix(d, "52") && len(d) == 12:
			cc, nat, home = 52, d[2:], "MX"
		case strings.HasPrefix(d, "86") && len(d) >= 12 && len(d) <= 13 && d[2] != '0':
			cc, nat, home = 86, d[2:], "CN"
		default:
			return nil, "", false
		}
	} else {
		switch {
		case region == "US" && len(nat) == 11 && nat[0] == '1':
			cc, nat, home = 1, nat[1:], "US"
		case region == "US" && len(nat) == 10:
			cc, home = 1, "US"
		case region == "MX" && len(nat) == 10:
			cc, home = 52, "MX"
		case region == "CN" && len(nat) == 11 && nat[0] == '1':
			cc, home = 86, "CN"
		case region == "CN" && (len(nat) == 11 || len(nat) == 12) && nat[0] == '0' && nat[1] != '0':
			cc, nat, home = 86, nat[1:], "CN" // landline after the 0 trunk prefix
		default:
			return nil, "", false
		}
	}
	if nat[0] == '0' {
		return nil, "", false // leading zeros need Parse's Italian-leading-zero bookkeeping
	}
	var n uint64
	for i := 0; i < len(nat); i++ {
		n = n*10 + uint64(nat[i]-'0')
	}
	return &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &n}, home, true
}

// judgeNumber validates a parsed number. home, when known, is tried first so that the
// common case avoids libphonenumber's search over every region sharing a country code.
func judgeNumber(num *phonenumbers.PhoneNumber, home string) phoneVerdict {
	var v phoneVerdict
	cc := int(num.GetCountryCode())
	if home != "" {
		v.e164 = "+" + itoa(cc) + phonenumbers.GetNationalSignificantNumber(num)
		v.valid = phonenumbers.IsValidNumberForRegion(num, home) ||
			cc == 1 && phonenumbers.IsValidNumber(num) // Canada and the Caribbean share +1
	} else {
		v.e164 = phonenumbers.Format(num, phonenumbers.E164)
		v.valid = phonenumbers.IsValidNumber(num)
	}
	if v.valid {
		if why := outsidePlan(num); why != "" {
			v.valid, v.why = false, why
		}
	} else if r := phonenumbers.GetRegionCodeForCountryCode(cc); r != "" && r != "ZZ" {
		v.why = "not valid in the " + r + " numbering plan"
	} else {
		v.why = "not a valid number"
	}
	v.possible = v.valid || phonenumbers.IsPossibleNumber(num)
	return v
}

// international handles +… and 00… numbers. When the whole run is too long to be a number,
// shorter prefixes are tried (trailing groups may be unrelated numbers); the longest prefix
// that is a valid or at least possible number wins.
func (e *Extractor) international(r *numRun) (end int, ok bool) {
	skip := 0
	if !r.plus {
		skip = 2 // the 00 international prefix
	}
	longestEnd := -1
	longest := ""
	for g := r.ng; g >= 1; g-- {
		nd := 0
		for k := 0; k < g; k++ {
			nd += r.groups[k]
		}
		nd -= skip
		if nd < 8 {
			break
		}
		gend := r.groupEnd[g-1]
		if nd > 15 || !e.free(r.start, gend) {
			continue // too long, or a trailing group already belongs to a CAS number or card
		}
		digits := string(r.digits[skip : skip+nd])
		if len(digits) == 13 && strings.HasPrefix(digits, "521") {
			digits = "52" + digits[3:] // the mobile "1" Mexico dropped in 2019: +52 1 55 …
		}
		if longestEnd < 0 {
			longestEnd, longest = gend, "+"+digits
		}
		if v, ok := e.judgePhone("+"+digits, "ZZ"); ok && (v.valid || v.possible) {
			e.addPhone(r.start, gend, v, "")
			return gend, true
		}
	}
	if longestEnd >= 0 {
		e.addPhone(r.start, longestEnd, phoneVerdict{e164: longest, why: "not a valid number"}, "")
		return longestEnd, true
	}
	return 0, false
}

// national handles numbers written without a country code; the region is inferred.
func (e *Extractor) national(r *numRun) {
	nd := r.nd
	if nd != 10 && nd != 11 {
		return
	}
	if !e.free(r.start, r.end) {
		return
	}
	d := r.digitString()
	cnMobile := nd == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9'
	if r.ng == 1 {
		_, ctx := e.s.hitBefore(r.start, kwPhoneCtx, 12)
		if !ctx && !(cnMobile && e.chineseContext()) {
			return // unbroken digit runs are order ids, accounts or amounts unless introduced
		}
	} else {
		if r.ng > 5 || r.groups[0] > 4 {
			return
		}
		for k := 1; k < r.ng; k++ {
			if r.groups[k] < 3 {
				return // dates and times: 2024-01-15 10…
			}
		}
		if nd == 11 && d[0] != '1' {
			return
		}
	}
	region := e.inferRegion(nd, cnMobile, r)
	if v, ok := e.judgePhone(d, region); ok {
		e.addPhone(r.start, r.end, v, "country inferred: "+region)
	}
}

// inferRegion picks the region for a national number: the configured default, else Chinese
// mobiles in Chinese posts, ten digits in Spanish posts as Mexico, else the US.
func (e *Extractor) inferRegion(nd int, cnMobile bool, r *numRun) string {
	if e.s.opt.DefaultRegion != "" {
		return strings.ToUpper(e.s.opt.DefaultRegion)
	}
	switch {
	case cnMobile && e.chineseContext() && !(r.ng == 4 && r.groups[0] == 1):
		return "CN"
	case nd == 10 && e.s.opt.Lang == "es":
		return "MX"
	}
	return "US"
}

// chineseContext reports a Chinese post: by its language tag, or by Han script when the tag
// is mixed or absent.
func (e *Extractor) chineseContext() bool {
	switch e.s.opt.Lang {
	case "zh-Hans", "zh-Hant", "zh":
		return true
	case "", "mixed":
		return e.s.hasHan
	}
	return false
}

func (e *Extractor) addPhone(start, end int, v phoneVerdict, detail string) {
	var parts []string
	if detail != "" {
		parts = append(parts, detail)
	}
	if !v.valid && v.why != "" {
		parts = append(parts, v.why)
	}
	if _, wa := e.s.hitBefore(start, kwWhatsApp, 6); wa || start >= 6 && strings.EqualFold(e.s.text[start-6:start], "wa.me/") {
		parts = append(parts, "platform: whatsapp")
	}
	e.add(Phone, start, end, v.e164, v.valid, strings.Join(parts, "; "))
}

// outsidePlan catches numbers libphonenumber accepts but that no subscriber can hold: the
// NANP 555-0100…0199 range reserved for fiction, and Mexican local numbers starting with 0
// (Mexican subscriber numbers never start with 0; libphonenumber's pattern is looser).
func outsidePlan(num *phonenumbers.PhoneNumber) string {
	nat := phonenumbers.GetNationalSignificantNumber(num)
	switch num.GetCountryCode() {
	case 1:
		if len(nat) == 10 && nat[3:6] == "555" && nat[6:8] == "01" {
			return "fictional 555-01xx range"
		}
	case 52:
		if len(nat) != 10 {
			return ""
		}
		area := 3
		switch nat[:2] {
		case "55", "56", "33", "81":
			area = 2
		}
		if nat[area] == '0' {
			return "not valid in the MX numbering plan"
		}
	}
	return ""
}
