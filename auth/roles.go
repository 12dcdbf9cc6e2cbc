// Package auth holds the staff-authentication policy of Vigil as pure
// functions: roles, the password policy and argon2id hashing, TOTP enrolment
// and validation (with replay protection), and the login lockout policy. It
// does no I/O; time comes from the caller.
package auth

import (
	"fmt"
	"strings"

	"vigil/errs"
)

// Staff roles. Each staff user has exactly one.
const (
	RoleAdmin      = "admin"       // manages staff users and configuration
	RoleReviewer   = "reviewer"    // reviews flagged content
	RoleLEResponse = "le_response" // law-enforcement response team (the "dedicated contact")
	RoleLegal      = "legal"       // approves productions
	RoleAuditor    = "auditor"     // read-only, reports
)

// Roles lists every staff role in a stable order.
func Roles() []string {
	return []string{RoleAdmin, RoleReviewer, RoleLEResponse, RoleLegal, RoleAuditor}
}

// ValidRole reports whether r is a staff role.
func ValidRole(r string) bool {
	for _, x := range Roles() {
		if r == x {
			return true
		}
	}
	return false
}

// CheckRole returns an Invalid error naming the valid roles when r is not one.
func CheckRole(r string) error {
	if !ValidRole(r) {
		return errs.Field("role", "%q is not a role; use one of %s", r, strings.Join(Roles(), ", "))
	}
	return nil
}

// MaxUsernameLen bounds usernames (they appear in logs and audit events).
const MaxUsernameLen = 64

// CheckUsername accepts 3–64 characters of lower-case letters, digits, '.',
// '_' and '-', starting with a letter or digit: names that are safe in URLs,
// logs and audit records without escaping.
func CheckUsername(u string) error {
	if len(u) < 3 || len(u) > MaxUsernameLen {
		return errs.Field("username", "must be 3 to %d characters long", MaxUsernameLen)
	}
	for i, c := range u {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || (i > 0 && (c == '.' || c == '_' || c == '-'))
		if !ok {
			return errs.Field("username", "%s; use lower-case letters, digits, '.', '_' or '-' (not first)", describeBad(c))
		}
	}
	return nil
}

func describeBad(c rune) string {
	if c >= 'A' && c <= 'Z' {
		return "has an upper-case letter"
	}
	return fmt.Sprintf("has the character %q", c)
}
