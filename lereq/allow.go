package lereq

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// GovDomain is one row of the CISA .gov registry (current-full.csv).
type GovDomain struct {
	Domain string `json:"domain"`
	Type   string `json:"type"` // City, County, Federal - Executive, …
	Org    string `json:"org"`
	Suborg string `json:"suborg,omitempty"`
	City   string `json:"city,omitempty"`
	State  string `json:"state,omitempty"`
}

// LoadDotGov reads the .gov registry CSV at path. A missing file returns an
// error wrapping os.ErrNotExist so the caller can start without it.
func LoadDotGov(path string) (map[string]GovDomain, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseDotGov(f)
}

// ParseDotGov parses the registry's CSV (header "Domain name,Domain
// type,Organization name,…").
func ParseDotGov(r io.Reader) (map[string]GovDomain, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf(".gov registry: read header: %w", err)
	}
	if len(head) < 6 || !strings.EqualFold(strings.TrimPrefix(head[0], "\ufeff"), "Domain name") {
		return nil, fmt.Errorf(".gov registry: unexpected header %q (want the CISA current-full.csv)", head)
	}
	out := map[string]GovDomain{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf(".gov registry: %w", err)
		}
		d := strings.ToLower(strings.TrimSpace(rec[0]))
		if !strings.HasSuffix(d, ".gov") {
			continue
		}
		out[d] = GovDomain{Domain: d, Type: rec[1], Org: rec[2], Suborg: rec[3], City: rec[4], State: rec[5]}
	}
	if len(out) == 0 {
		return nil, errors.New(".gov registry: no domains")
	}
	return out, nil
}

// DefaultPatterns are the US state and municipal e-mail domains accepted
// besides .gov and .mil. A pattern matches a domain whose last labels match
// it, so "state.$st.us" accepts dps.state.tx.us; "*" is any one label and
// "$st" a USPS state or territory code.
var DefaultPatterns = []string{
	"state.$st.us",
	"ci.*.$st.us", "city.*.$st.us", "town.*.$st.us", "vil.*.$st.us", "twp.*.$st.us",
	"co.*.$st.us", "county.*.$st.us", "cog.*.$st.us",
}

// DefaultFreeMail are mailbox providers anyone can sign up to: an address
// there proves nothing about its owner, whatever the local part says.
var DefaultFreeMail = []string{
	"gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
	"aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.net",
	"mail.com", "yandex.com", "yandex.ru", "zoho.com", "tutanota.com", "tuta.io", "qq.com", "163.com", "126.com",
	"sina.com", "mail.ru", "fastmail.com", "hushmail.com", "inbox.com", "cock.li", "guerrillamail.com",
}

// usStates are the USPS codes accepted by "$st" (lower case).
var usStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh
		nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr gu vi as mp`) {
		m[s] = true
	}
	return m
}()

// AllowList decides which e-mail domains may register as officers: .mil;
// .gov domains in the CISA registry (any .gov when the registry is not
// loaded); the state and municipal patterns; and each agency's directory of
// domains, which the caller passes in. Free mail, internationalised
// (punycode) domains and look-alikes of government domains are refused
// with the reason.
type AllowList struct {
	registry map[string]GovDomain
	folded   map[string]string // look-alike fold of a registry name → domain
	byLen    map[int][]string  // registry names (without .gov) by length
	patterns [][]string
	freeMail map[string]bool
}

// NewAllowList builds the list. registry may be nil (not loaded); nil
// patterns or freeMail take the defaults.
func NewAllowList(registry map[string]GovDomain, patterns, freeMail []string) *AllowList {
	if patterns == nil {
		patterns = DefaultPatterns
	}
	if freeMail == nil {
		freeMail = DefaultFreeMail
	}
	a := &AllowList{registry: registry, folded: map[string]string{}, byLen: map[int][]string{}, freeMail: map[string]bool{}}
	for d := range registry {
		n := strings.TrimSuffix(d, ".gov")
		a.folded[fold(n)] = d
		a.byLen[len(n)] = append(a.byLen[len(n)], n)
	}
	for _, ns := range a.byLen {
		slices.Sort(ns) // deterministic answers
	}
	for _, p := range patterns {
		a.patterns = append(a.patterns, strings.Split(strings.ToLower(strings.Trim(p, ".")), "."))
	}
	for _, d := range freeMail {
		a.freeMail[strings.ToLower(d)] = true
	}
	return a
}

// RegistryLoaded reports whether the .gov registry is in use.
func (a *AllowList) RegistryLoaded() bool { return len(a.registry) > 0 }

// DomainCheck is the decision about one e-mail domain.
type DomainCheck struct {
	Domain  string `json:"domain"`
	Allowed bool   `json:"allowed"`
	Basis   string `json:"basis,omitempty"`  // why it is allowed
	Reason  string `json:"reason,omitempty"` // why it is refused, and what to do
	// Matched is the listed domain the address falls under (the agency's
	// domain, the registered .gov, the pattern's tail): the unit that rate
	// limits count, so sub-domains cannot multiply an allowance.
	Matched  string `json:"matched,omitempty"`
	AgencyID string `json:"agency_id,omitempty"` // when the agency directory lists it
	Org      string `json:"org,omitempty"`       // the registrant, for .gov registry matches
}

// Check decides about domain, given the agency directory (domain → agency
// id). A domain matches a listed one exactly or as a sub-domain.
func (a *AllowList) Check(domain string, agencyDomains map[string]string) DomainCheck {
	d := strings.Trim(strings.ToLower(strings.TrimSpace(domain)), ".")
	c := DomainCheck{Domain: d}
	refuse := func(format string, args ...any) DomainCheck {
		c.Reason = fmt.Sprintf(format, args...)
		return c
	}
	allow := func(basis, matched string) DomainCheck {
		c.Allowed, c.Basis, c.Matched = true, basis, matched
		return c
	}
	labels := strings.Split(d, ".")
	if d == "" || len(labels) < 2 {
		return refuse("%q is not an e-mail domain: register with your official address", domain)
	}
	for _, l := range labels {
		if strings.HasPrefix(l, "xn--") || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || l == "" {
			return refuse("%s contains international or unusual characters, a common look-alike trick: register with your agency's plain ASCII domain, or ask the response team to add your agency", d)
		}
	}
	for s := d; ; {
		if id, ok := agencyDomains[s]; ok {
			c.AgencyID = id
			return allow("agency directory: "+s, s)
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	if a.freeMail[d] || a.freeMail[lastN(labels, 2)] {
		return refuse("%s is a free e-mail service, which anyone can sign up to: register with your official government address", d)
	}
	tld := labels[len(labels)-1]
	switch tld {
	case "mil":
		return allow(".mil", lastN(labels, 2))
	case "gov":
		if !a.RegistryLoaded() {
			return allow(".gov", lastN(labels, 2))
		}
		reg := lastN(labels, 2)
		if g, ok := a.registry[reg]; ok {
			c.Org = g.Org
			if g.Suborg != "" {
				c.Org += " (" + g.Suborg + ")"
			}
			return allow(".gov registry: "+c.Org, reg)
		}
		if like := a.lookAlike(strings.TrimSuffix(reg, ".gov")); like != "" {
			return refuse("%s is not a registered .gov domain and looks like %s: check the address; if your agency's domain is new, ask the response team to add it", reg, like)
		}
		return refuse("%s is not in the .gov registry: check the address; if your agency's domain is new, ask the response team to add it to the agency directory", reg)
	}
	for _, p := range a.patterns {
		if matchPattern(p, labels) {
			return allow("state or municipal domain ("+strings.Join(p, ".")+")", lastN(labels, len(p)))
		}
	}
	for _, l := range labels[:len(labels)-1] {
		for _, part := range strings.FieldsFunc(l, func(r rune) bool { return r == '-' }) {
			if part == "gov" || part == "mil" || strings.HasSuffix(l, "gov") {
				return refuse("%s imitates a government domain (\"gov\" inside the name, not as the ending): government addresses end in .gov, .mil or a state .us domain", d)
			}
		}
	}
	if like := a.lookAlike(labels[len(labels)-2]); like != "" {
		return refuse("%s is not a government domain but resembles %s: register with your official government address", d, like)
	}
	return refuse("%s is not on the government allow-list (.gov, .mil, state and municipal .us domains, or an agency's listed domain): register with your official address, or ask the response team to add your agency's domain", d)
}

func lastN(labels []string, n int) string {
	if len(labels) < n {
		return strings.Join(labels, ".")
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

func matchPattern(p, labels []string) bool {
	if len(labels) < len(p) {
		return false
	}
	tail := labels[len(labels)-len(p):]
	for i, x := range p {
		switch x {
		case "*":
		case "$st":
			if !usStates[tail[i]] {
				return false
			}
		default:
			if tail[i] != x {
				return false
			}
		}
	}
	return true
}

// lookAlike returns a registry domain that name (a second-level label)
// imitates: equal after folding confusable characters, or one edit away
// from a name of at least four letters. "" when none.
func (a *AllowList) lookAlike(name string) string {
	if len(a.registry) == 0 || name == "" {
		return ""
	}
	if d, ok := a.folded[fold(name)]; ok && d != name+".gov" {
		return d
	}
	if d, ok := a.registry[name+".gov"]; ok {
		return d.Domain // e.g. fbi.com against fbi.gov
	}
	if len(name) < 4 {
		return ""
	}
	for l := len(name) - 1; l <= len(name)+1; l++ {
		for _, n := range a.byLen[l] {
			if len(n) >= 4 && editDistance1(n, name) {
				return n + ".gov"
			}
		}
	}
	return ""
}

// fold maps characters people confuse in domains to one form.
func fold(s string) string {
	r := strings.NewReplacer("rn", "m", "vv", "w", "0", "o", "1", "l", "i", "l", "3", "e", "5", "s", "-", "", "_", "")
	return r.Replace(s)
}

// editDistance1 reports whether a and b differ by exactly one insertion,
// deletion or substitution.
func editDistance1(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+1:] == b[i+1:]
	}
	return a[i:] == b[i+1:]
}

// LoadAllowList builds the allow-list with the .gov registry at path. A
// missing file is not an error: the list then accepts any .gov domain, and
// loaded reports false so the caller can log the degraded mode. A file
// that exists but does not parse is an error.
func LoadAllowList(path string, patterns, freeMail []string) (al *AllowList, loaded bool, err error) {
	if path == "" {
		return NewAllowList(nil, patterns, freeMail), false, nil
	}
	reg, err := LoadDotGov(path)
	if errors.Is(err, os.ErrNotExist) {
		return NewAllowList(nil, patterns, freeMail), false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return NewAllowList(reg, patterns, freeMail), true, nil
}
