package platform

import (
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

var errInvalidEmail = errors.New("invalid e-mail address")

// Account apps: WeChat (international) and Weixin (mainland China).
const (
	AppWeChat = "wechat"
	AppWeixin = "weixin"
)

// Account statuses.
const (
	StatusActive    = "active"
	StatusSuspended = "suspended"
	StatusDeleted   = "deleted"
)

// Account is one platform account: the basic subscriber information law
// enforcement may lawfully request.
type Account struct {
	ID             string    `json:"id"`
	WeChatID       string    `json:"wechat_id"`
	DisplayName    string    `json:"display_name"`
	Phone          string    `json:"phone,omitempty"` // E.164 after Validate
	Email          string    `json:"email,omitempty"`
	App            string    `json:"app"`
	Region         string    `json:"region"` // ISO 3166-1 alpha-2, upper case
	RegisteredAt   time.Time `json:"registered_at"`
	RegistrationIP string    `json:"registration_ip"`
	Status         string    `json:"status"`
}

// Validate checks every field of a, naming each bad field and its fix, and
// normalises a in place: phone to E.164, email domain and region case, IP to
// canonical form, times to UTC. now bounds times from above.
func (a *Account) Validate(now time.Time) error {
	var p problems
	checkID(&p, "id", a.ID, true)
	checkWeChatID(&p, &a.WeChatID)
	checkName(&p, "display_name", &a.DisplayName, true)
	checkEnum(&p, "app", &a.App, AppWeChat, AppWeixin)
	regionOK := checkRegion(&p, &a.Region)
	if regionOK || strings.HasPrefix(strings.TrimSpace(a.Phone), "+") {
		a.Phone = checkPhone(&p, "phone", a.Phone, a.Region)
	}
	checkEmail(&p, &a.Email)
	checkTime(&p, "registered_at", &a.RegisteredAt, now)
	checkIP(&p, "registration_ip", &a.RegistrationIP, true)
	checkEnum(&p, "status", &a.Status, StatusActive, StatusSuspended, StatusDeleted)
	return p.err()
}

// checkWeChatID applies WeChat's own rule: 6–20 characters, starting with a
// letter, then letters, digits, '_' or '-'. Legacy "wxid_…" ids fit too.
func checkWeChatID(p *problems, v *string) {
	*v = strings.TrimSpace(*v)
	id := *v
	if id == "" {
		p.add("wechat_id", "is required: send the user-visible WeChat ID")
		return
	}
	if len(id) < 6 || len(id) > 20 {
		p.add("wechat_id", "%q has %d characters; WeChat IDs have 6 to 20", id, len(id))
		return
	}
	if c := id[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		p.add("wechat_id", "%q must start with a letter", id)
		return
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			p.add("wechat_id", "%q contains %q; WeChat IDs use only letters, digits, '_' and '-'", id, r)
			return
		}
	}
}

// checkRegion requires an ISO 3166-1 alpha-2 code that libphonenumber knows,
// so it can also serve as the default region for national phone numbers.
func checkRegion(p *problems, v *string) bool {
	*v = strings.ToUpper(strings.TrimSpace(*v))
	if *v == "" {
		p.add("region", "is required: send the ISO 3166-1 alpha-2 code of the account's region, e.g. CN, HK, US")
		return false
	}
	if _, ok := phonenumbers.GetSupportedRegions()[*v]; !ok {
		p.add("region", "%q is not an ISO 3166-1 alpha-2 region code: send two letters such as CN, HK, MX, US", *v)
		return false
	}
	return true
}

// checkPhone parses a phone number (international, or national in the given
// region), requires it to be a valid number, and returns its E.164 form.
// An empty phone is allowed (accounts may have none) and stays empty.
func checkPhone(p *problems, field, v, region string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	num, err := phonenumbers.Parse(v, region)
	if err != nil {
		p.add(field, "%q is not a phone number: send E.164 such as +8613812345678", v)
		return v
	}
	if !phonenumbers.IsValidNumber(num) {
		p.add(field, "%q is not a valid number for its country code: send E.164 such as +8613812345678", v)
		return v
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// NormalizePhone returns the E.164 form of a phone number written
// internationally or nationally for region, for look-ups by phone.
func NormalizePhone(v, region string) (string, error) {
	var p problems
	out := checkPhone(&p, "phone", v, strings.ToUpper(region))
	return out, p.err()
}

// checkEmail requires a bare address (no display name) and lower-cases its
// domain, which is case-insensitive; the local part is kept as sent.
func checkEmail(p *problems, v *string) {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		return
	}
	e, err := NormalizeEmail(*v)
	if err != nil {
		p.add("email", "%q is not an e-mail address: send a bare address such as name@example.com", *v)
		return
	}
	*v = e
}

// NormalizeEmail returns the form in which Vigil stores and looks up an
// e-mail address: a bare address with its domain lower-cased.
func NormalizeEmail(v string) (string, error) {
	v = strings.TrimSpace(v)
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" || a.Address != v || len(v) > maxEmailLen {
		if err == nil {
			err = errInvalidEmail
		}
		return "", err
	}
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || !strings.Contains(v[at:], ".") {
		return "", errInvalidEmail
	}
	return v[:at] + strings.ToLower(v[at:]), nil
}
