package lawreq

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits on officer input: generous for real cases, small enough that
// a bad client cannot fill the store.
const (
	maxIDLen    = 128
	maxShort    = 200  // names, case numbers, references
	maxLong     = 4000 // free-text statements and reasons
	maxFilename = 255
)

// checkText trims *v, requires it when required, and rejects invalid UTF-8,
// control characters (other than line breaks and tabs) and over-long text.
func checkText(p *problems, field string, v *string, required bool, max int) bool {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		if required {
			p.add(field, "is required and must not be blank")
		}
		return false
	}
	if !utf8.ValidString(*v) {
		p.add(field, "is not valid UTF-8: send text encoded as UTF-8")
		return false
	}
	for _, r := range *v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			p.add(field, "contains the control character U+%04X: remove it", r)
			return false
		}
	}
	if n := utf8.RuneCountInString(*v); n > max {
		p.add(field, "has %d characters; at most %d are allowed", n, max)
		return false
	}
	return true
}

// validID reports why v is not an identifier Vigil assigned (1–128 of
// letters, digits and - _ . : @, the same set as package platform), or "".
func validID(v string) string {
	if v == "" {
		return "is required"
	}
	if len(v) > maxIDLen {
		return "is too long: identifiers have at most 128 characters"
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:@", r)) {
			return fmt.Sprintf("contains %q; identifiers use only letters A–Z, digits and - _ . : @", r)
		}
	}
	return ""
}

// checkID trims *v and requires a valid identifier when required or present.
func checkID(p *problems, field string, v *string, required bool, what string) {
	*v = strings.TrimSpace(*v)
	if *v == "" && !required {
		return
	}
	if msg := validID(*v); msg != "" {
		p.add(field, "%s: send %s", msg, what)
	}
}

// usStates lists the USPS codes of the states, DC and the territories, whose
// courts and attorneys general issue process under state law.
var usStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD
		MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY
		DC PR GU VI AS MP`) {
		m[s] = true
	}
	return m
}()
