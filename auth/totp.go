package auth

import (
	"crypto/subtle"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"vigil/errs"
)

// TOTP parameters: RFC 6238 defaults that every authenticator app supports.
const (
	TOTPPeriod = 30 // seconds per step
	TOTPDigits = otp.DigitsSix
	TOTPSkew   = 1 // steps accepted either side of the current one (clock drift)
)

// Enrolment is a freshly generated TOTP secret and the otpauth:// URL that
// authenticator apps import (as text or QR code).
type Enrolment struct {
	Secret string // base32, no padding
	URL    string // otpauth://totp/Issuer:account?secret=…
	key    *otp.Key
}

// Key returns the underlying otp.Key (its Image method renders the QR code).
func (e Enrolment) Key() *otp.Key { return e.key }

// NewEnrolment generates a random TOTP secret for account at issuer.
func NewEnrolment(issuer, account string) (Enrolment, error) {
	k, err := totp.Generate(totp.GenerateOpts{
		Issuer: issuer, AccountName: account, Period: TOTPPeriod,
		Digits: TOTPDigits, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return Enrolment{}, fmt.Errorf("generate TOTP secret: %w", err)
	}
	return Enrolment{Secret: k.Secret(), URL: k.URL(), key: k}, nil
}

// TOTPStep returns the RFC 6238 time step that contains t.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode returns the code for secret at time t (used by tests and by the
// CLI; the server only validates).
func TOTPCode(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{
		Period: TOTPPeriod, Digits: TOTPDigits, Algorithm: otp.AlgorithmSHA1,
	})
}

// ValidateTOTP checks code against secret at now, accepting TOTPSkew steps of
// drift either side, and returns the matched step. A step at or before
// lastStep is refused, so that a code, once used, cannot be replayed (nor an
// older one). The caller stores the returned step as the new lastStep.
func ValidateTOTP(secret, code string, now time.Time, lastStep int64) (int64, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != int(TOTPDigits) || strings.Trim(code, "0123456789") != "" {
		return 0, errs.Field("code", "enter the %d-digit code from your authenticator app", int(TOTPDigits))
	}
	cur := TOTPStep(now)
	matched := int64(-1)
	// Every candidate is computed and compared so that timing does not tell
	// which step matched.
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		want, err := TOTPCode(secret, time.Unix(s*TOTPPeriod, 0))
		if err != nil {
			return 0, fmt.Errorf("compute TOTP code: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && matched < 0 {
			matched = s
		}
	}
	if matched < 0 {
		return 0, errs.E(errs.Unauthenticated, "the code is wrong or expired; check your device's clock and enter the current code")
	}
	if matched <= lastStep {
		return 0, errs.E(errs.Unauthenticated, "this code was already used; wait for the next code and enter it")
	}
	return matched, nil
}

// EnrolmentFor rebuilds the enrolment (otpauth URL, QR code) of a secret
// that was generated earlier and not yet confirmed, so that reloading the
// enrolment page shows the same secret the user may already have scanned.
func EnrolmentFor(issuer, account, secret string) (Enrolment, error) {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("period", strconv.Itoa(TOTPPeriod))
	v.Set("digits", strconv.Itoa(int(TOTPDigits)))
	v.Set("algorithm", "SHA1")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	k, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return Enrolment{}, fmt.Errorf("rebuild TOTP key: %w", err)
	}
	return Enrolment{Secret: secret, URL: k.URL(), key: k}, nil
}
