// Package platform holds the records a messaging platform sends to Vigil —
// accounts, logins, groups and public content — and the validation that
// decides, field by field, whether Vigil may keep them. It is pure: no I/O.
package platform

import (
	"errors"
	"net/netip"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"vigil/errs"
)

// Limits on outside input; generous for real data, small enough that one bad
// sender cannot fill the store with a single item.
const (
	MaxIDLen        = 128
	MaxNameRunes    = 128
	MaxTextBytes    = 64 << 10
	MaxMediaRefs    = 32
	MaxMediaRefLen  = 2048
	MaxMemberCount  = 1_000_000
	maxFutureSkew   = 5 * time.Minute
	maxDeviceIDLen  = 128
	maxAppVerLen    = 32
	maxEmailLen     = 254
	timePrecision   = time.Microsecond // PostgreSQL keeps microseconds; round trips must be exact
	oldestTimestamp = "2011-01-01T00:00:00Z"
)

// Earliest is the oldest time Vigil accepts on any record: WeChat launched
// in January 2011, so anything older is a unit or clock mistake.
var Earliest, _ = time.Parse(time.RFC3339, oldestTimestamp)

// problems collects every field error of one record, so that a sender fixes
// all of them in one round trip instead of one per retry.
type problems []error

func (p *problems) add(field, msg string, args ...any) {
	*p = append(*p, errs.Field(field, msg, args...))
}

func (p problems) err() error { return errors.Join(p...) }

// Problem is one field error of one record, as FieldErrors returns it.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors flattens an error returned by a Validate method into its
// field problems, in order. An error that carries no field comes back as
// one problem with an empty Field.
func FieldErrors(err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *errs.Error
		if errors.As(e, &fe) {
			out = append(out, Problem{Field: fe.Field, Message: fe.Msg})
			return
		}
		out = append(out, Problem{Message: e.Error()})
	}
	walk(err)
	return out
}

// checkID requires an identifier the platform assigned: 1–128 characters
// from a conservative set, so ids survive URLs, logs and CSV exports intact.
func checkID(p *problems, field, v string, required bool) {
	if v == "" {
		if required {
			p.add(field, "is required: send the platform's identifier for this record")
		}
		return
	}
	if len(v) > MaxIDLen {
		p.add(field, "is %d characters long; identifiers may have at most %d", len(v), MaxIDLen)
		return
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.:@", r)) {
			p.add(field, "contains %q; identifiers may use only letters A–Z, digits and - _ . : @", r)
			return
		}
	}
}

// checkName requires printable UTF-8 text of at most MaxNameRunes runes.
func checkName(p *problems, field string, v *string, required bool) {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		if required {
			p.add(field, "is required and must not be blank")
		}
		return
	}
	checkText(p, field, *v)
	if n := utf8.RuneCountInString(*v); n > MaxNameRunes {
		p.add(field, "has %d characters; at most %d are allowed", n, MaxNameRunes)
	}
}

// checkText rejects invalid UTF-8 and control characters other than
// whitespace (which texts legitimately contain).
func checkText(p *problems, field, v string) {
	if !utf8.ValidString(v) {
		p.add(field, "is not valid UTF-8: send text encoded as UTF-8")
		return
	}
	for _, r := range v {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			p.add(field, "contains the control character U+%04X: remove it", r)
			return
		}
	}
}

// checkTime requires a time between Earliest and now (plus a small clock
// skew) and normalises it to UTC at microsecond precision.
func checkTime(p *problems, field string, t *time.Time, now time.Time) {
	if t.IsZero() {
		p.add(field, "is required: send an RFC 3339 time such as 2024-05-01T08:30:00Z")
		return
	}
	*t = t.UTC().Truncate(timePrecision)
	if t.Before(Earliest) {
		p.add(field, "is %s, before %s: check the unit (seconds, not milliseconds) and the clock", t.Format(time.RFC3339), oldestTimestamp)
	} else if t.After(now.Add(maxFutureSkew)) {
		p.add(field, "is %s, in the future: check the sender's clock and time zone", t.Format(time.RFC3339))
	}
}

// checkIP requires an IPv4 or IPv6 address and stores its canonical form
// (IPv4-mapped IPv6 addresses become plain IPv4) so look-ups match.
func checkIP(p *problems, field string, v *string, required bool) {
	if *v == "" {
		if required {
			p.add(field, "is required: send the IPv4 or IPv6 address")
		}
		return
	}
	a, err := netip.ParseAddr(strings.TrimSpace(*v))
	if err != nil || a.Zone() != "" {
		p.add(field, "%q is not an IP address: send dotted IPv4 (203.0.113.7) or IPv6 (2001:db8::1), without port", *v)
		return
	}
	*v = a.Unmap().String()
}

// checkEnum requires one of the allowed values (case-insensitive on input,
// stored lower-case).
func checkEnum(p *problems, field string, v *string, allowed ...string) {
	*v = strings.ToLower(strings.TrimSpace(*v))
	for _, a := range allowed {
		if *v == a {
			return
		}
	}
	if *v == "" {
		p.add(field, "is required: use one of %s", strings.Join(allowed, ", "))
		return
	}
	p.add(field, "%q is not allowed: use one of %s", *v, strings.Join(allowed, ", "))
}
