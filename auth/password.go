package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"vigil/errs"
)

// Password length bounds. The upper bound keeps hashing cost bounded for
// input that arrives from the network.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// CheckPassword applies the password policy: at least MinPasswordLen
// characters, at most MaxPasswordLen bytes, and not the username (in any case,
// or reversed).
func CheckPassword(username, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return errs.Field("password", "must be at least %d characters long", MinPasswordLen)
	}
	if len(password) > MaxPasswordLen {
		return errs.Field("password", "must be at most %d bytes long", MaxPasswordLen)
	}
	if !utf8.ValidString(password) {
		return errs.Field("password", "must be valid UTF-8 text")
	}
	p := strings.ToLower(password)
	u := strings.ToLower(username)
	if u != "" && (p == u || p == reverse(u)) {
		return errs.Field("password", "must not be the username; choose a passphrase of several words")
	}
	return nil
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// Argon2Params are the argon2id cost parameters.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32 // iterations
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultArgon2 follows the OWASP recommendation for argon2id (19 MiB, two
// passes, one lane): strong enough, and cheap enough that a 2-core server
// can absorb a burst of logins.
var DefaultArgon2 = Argon2Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

var b64 = base64.RawStdEncoding

// HashPassword hashes password with argon2id and returns the PHC string
// "$argon2id$v=19$m=…,t=…,p=…$salt$hash".
func HashPassword(password string, p Argon2Params) (string, error) {
	if len(password) > MaxPasswordLen {
		return "", errs.Field("password", "must be at most %d bytes long", MaxPasswordLen)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash reports a stored hash that is not an argon2id PHC string.
var ErrBadHash = errors.New("stored password hash is not an argon2id PHC string")

// maxMemory bounds the cost a stored hash may ask for, so that a corrupted
// or hostile row cannot make verification allocate gigabytes.
const maxMemory = 256 << 10 // KiB (256 MiB)

// VerifyPassword reports whether password matches the PHC-encoded hash,
// comparing in constant time. It returns ErrBadHash (wrapped) for hashes it
// cannot parse.
func VerifyPassword(encoded, password string) (bool, error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than p,
// so a successful login can upgrade it.
func NeedsRehash(encoded string, p Argon2Params) bool {
	q, _, key, err := parsePHC(encoded)
	return err != nil || q.Memory != p.Memory || q.Time != p.Time || q.Threads != p.Threads || uint32(len(key)) != p.KeyLen
}

func parsePHC(s string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: version %q", ErrBadHash, parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("%w: parameters %q", ErrBadHash, parts[3])
	}
	if p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > 16 || p.Threads == 0 || p.Threads > 16 {
		return p, nil, nil, fmt.Errorf("%w: parameters out of range", ErrBadHash)
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("%w: salt", ErrBadHash)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, fmt.Errorf("%w: key", ErrBadHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// DummyHash returns a hash of a random password made with p. A server
// verifies against it when a sign-in names an unknown or disabled user, so
// that the answer takes as long as for a real user and does not reveal
// which usernames exist.
func DummyHash(p Argon2Params) (string, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return HashPassword(b64.EncodeToString(b[:]), p)
}
