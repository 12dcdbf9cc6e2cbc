package lawreq

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"vigil/platform"
)

// TargetKind says what kind of identifier a target is. Stable ids.
type TargetKind string

// The target kinds an officer may name.
const (
	TargetWeChatID  TargetKind = "wechat_id"  // the user-visible WeChat ID
	TargetPhone     TargetKind = "phone"      // a linked phone number
	TargetEmail     TargetKind = "email"      // a linked e-mail address
	TargetAccountID TargetKind = "account_id" // the platform's internal account id
)

// TargetKinds lists every target kind in a stable order.
func TargetKinds() []TargetKind {
	return []TargetKind{TargetWeChatID, TargetPhone, TargetEmail, TargetAccountID}
}

// MaxTargets bounds the identifiers of one request. Process naming more
// accounts than this is unusual enough to need a conversation, not a form.
const MaxTargets = 100

// Target is one identifier named in the legal process.
type Target struct {
	Kind  TargetKind `json:"kind"`
	Value string     `json:"value"`
	// Region is the ISO 3166-1 alpha-2 region of a phone number written in
	// national form (e.g. "CN" for 138 1234 5678). Not needed for E.164.
	Region string `json:"region,omitempty"`
}

// Key is the identity of a normalised target, used to remove duplicates.
func (t Target) Key() string { return string(t.Kind) + ":" + t.Value }

// NormalizeTargets validates and normalises every target (phone to E.164,
// e-mail domain lower-cased, WeChat ID checked against WeChat's rule,
// account id checked against the platform's id rule) and removes duplicates,
// keeping the first occurrence. Errors name the index ("targets[2].value")
// and the fix; every problem is reported. field is the list's field name.
func NormalizeTargets(field string, in []Target) ([]Target, error) {
	var p problems
	if len(in) == 0 {
		p.add(field, "is empty: name at least one WeChat ID, phone number, e-mail address or account id from the legal process")
		return nil, p.err()
	}
	if len(in) > MaxTargets {
		p.add(field, "names %d identifiers; at most %d are accepted per request: split the process into several requests or contact the response team", len(in), MaxTargets)
		return nil, p.err()
	}
	out := make([]Target, 0, len(in))
	seen := make(map[string]bool, len(in))
	for i, t := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		n, ok := normalizeTarget(&p, f, t)
		if !ok || seen[n.Key()] {
			continue
		}
		seen[n.Key()] = true
		out = append(out, n)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}

func normalizeTarget(p *problems, f string, t Target) (Target, bool) {
	t.Kind = TargetKind(strings.ToLower(strings.TrimSpace(string(t.Kind))))
	t.Value = strings.TrimSpace(t.Value)
	t.Region = strings.ToUpper(strings.TrimSpace(t.Region))
	if t.Value == "" {
		p.add(f+".value", "is empty: send the identifier exactly as it appears in the legal process")
		return t, false
	}
	switch t.Kind {
	case TargetWeChatID:
		t.Region = ""
		if msg := weChatIDProblem(t.Value); msg != "" {
			p.add(f+".value", "%s", msg)
			return t, false
		}
	case TargetPhone:
		if !strings.HasPrefix(t.Value, "+") && t.Region == "" {
			p.add(f+".value", "%q is a national number without a country: write it in E.164 (e.g. +8613812345678) or set %s.region (e.g. CN, US)", t.Value, f)
			return t, false
		}
		e164, err := platform.NormalizePhone(t.Value, t.Region)
		if err != nil {
			p.add(f+".value", "%q is not a valid phone number%s: send E.164 such as +8613812345678", t.Value, regionNote(t.Region))
			return t, false
		}
		t.Value, t.Region = e164, ""
	case TargetEmail:
		t.Region = ""
		e, err := platform.NormalizeEmail(t.Value)
		if err != nil {
			p.add(f+".value", "%q is not an e-mail address: send a bare address such as name@example.com", t.Value)
			return t, false
		}
		t.Value = e
	case TargetAccountID:
		t.Region = ""
		if msg := validID(t.Value); msg != "" {
			p.add(f+".value", "%s: send the platform's internal account id", msg)
			return t, false
		}
	case "":
		p.add(f+".kind", "is required: use one of %s", kindList())
		return t, false
	default:
		p.add(f+".kind", "%q is not a target kind: use one of %s", t.Kind, kindList())
		return t, false
	}
	return t, true
}

func regionNote(region string) string {
	if region == "" {
		return ""
	}
	return " for region " + region
}

func kindList() string {
	ks := TargetKinds()
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// weChatIDProblem applies WeChat's rule for user-chosen ids: 6–20
// characters, starting with a letter, then letters, digits, '_' or '-'.
// It returns "" for a valid id, else what is wrong and how to fix it.
func weChatIDProblem(id string) string {
	if n := utf8.RuneCountInString(id); n < 6 || n > 20 {
		return fmt.Sprintf("%q has %d characters; WeChat IDs have 6 to 20", id, n)
	}
	if c := id[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return fmt.Sprintf("%q must start with a letter: check for a leading digit or symbol, or send it as a phone number", id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Sprintf("%q contains %q; WeChat IDs use only letters, digits, '_' and '-'", id, r)
		}
	}
	return ""
}
