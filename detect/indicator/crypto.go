package indicator

import (
	"crypto/sha256"
	"encoding/hex"

	"golang.org/x/crypto/sha3"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		t[base58Alphabet[i]] = int8(i)
	}
	return t
}()

// base58Decode25 decodes s into exactly 25 bytes (version ‖ 20-byte payload ‖ 4-byte checksum).
// ok is false when s holds a character outside the alphabet or does not fit 25 bytes.
func base58Decode25(s string) (out [25]byte, ok bool) {
	leading := 0
	for leading < len(s) && s[leading] == '1' {
		leading++
	}
	for i := 0; i < len(s); i++ {
		v := base58Index[s[i]]
		if v < 0 {
			return out, false
		}
		carry := int(v)
		for j := 24; j >= 0; j-- {
			carry += int(out[j]) * 58
			out[j] = byte(carry)
			carry >>= 8
		}
		if carry != 0 {
			return out, false // overflow: more than 25 bytes
		}
	}
	// Each leading '1' stands for a leading zero byte; the rest of the number must not have
	// produced more zero bytes than that, or the encoding was not canonical.
	zeros := 0
	for zeros < 25 && out[zeros] == 0 {
		zeros++
	}
	return out, zeros == leading
}

// base58Check decodes s as a 25-byte base58check string. It returns the version byte, whether
// the alphabet and length fit, and whether the double-SHA-256 checksum matches.
func base58Check(s string) (version byte, decoded, checksumOK bool) {
	b, ok := base58Decode25(s)
	if !ok {
		return 0, false, false
	}
	h1 := sha256.Sum256(b[:21])
	h2 := sha256.Sum256(h1[:])
	return b[0], true, h2[0] == b[21] && h2[1] == b[22] && h2[2] == b[23] && h2[3] == b[24]
}

// checkTRON validates a 34-character T… token.
func checkTRON(s string) (valid bool, detail string) {
	v, dec, sum := base58Check(s)
	switch {
	case !dec:
		return false, "not base58check (bad character or length)"
	case !sum:
		return false, "base58check checksum mismatch"
	case v != 0x41:
		return false, "wrong version byte for TRON"
	}
	return true, "TRON base58check"
}

// checkBTC validates a legacy 1…/3… token.
func checkBTC(s string) (valid bool, detail string) {
	v, dec, sum := base58Check(s)
	switch {
	case !dec:
		return false, "not base58check (bad character or length)"
	case !sum:
		return false, "base58check checksum mismatch"
	case v == 0x00:
		return true, "P2PKH"
	case v == 0x05:
		return true, "P2SH"
	}
	return false, "version byte is not P2PKH or P2SH"
}

// eip55 returns the EIP-55 checksummed form of a 40-digit hex address (without 0x).
func eip55(hexDigits string) string {
	lower := []byte(hexDigits)
	for i, c := range lower {
		lower[i] = lowerASCII(c)
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(lower)
	sum := h.Sum(nil)
	out := make([]byte, 2, 42)
	out[0], out[1] = '0', 'x'
	for i, c := range lower {
		nib := sum[i/2]
		if i%2 == 0 {
			nib >>= 4
		}
		if c >= 'a' && nib&0x0f >= 8 {
			c -= 'a' - 'A'
		}
		out = append(out, c)
	}
	return string(out)
}

// checkETH validates "0x" + 40 hex digits and returns the checksummed form.
func checkETH(s string) (norm string, valid bool, detail string) {
	digits := s[2:]
	if len(digits) != 40 {
		return "", false, "not 40 hex digits"
	}
	if _, err := hex.DecodeString(digits); err != nil {
		return "", false, "not hexadecimal"
	}
	norm = eip55(digits)
	hasLower, hasUpper := false, false
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		hasLower = hasLower || 'a' <= c && c <= 'f'
		hasUpper = hasUpper || 'A' <= c && c <= 'F'
	}
	switch {
	case !hasUpper && !hasLower:
		return norm, true, "no EIP-55 checksum (no letters)"
	case !hasUpper:
		return norm, true, "no EIP-55 checksum (all lower case)"
	case !hasLower:
		return norm, true, "no EIP-55 checksum (all upper case)"
	case norm[2:] == digits:
		return norm, true, "EIP-55 checksum"
	}
	return norm, false, "EIP-55 checksum mismatch"
}

// extractAddresses classifies the long alphanumeric tokens found by the pre-scan.
func (e *Extractor) extractAddresses() {
	t := e.s.text
	for _, tk := range e.s.tokens {
		s := t[tk.start:tk.end]
		n := len(s)
		switch {
		case n == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
			if _, err := hex.DecodeString(s[2:]); err != nil {
				continue
			}
			norm, valid, detail := checkETH(s)
			e.add(ETH, tk.start, tk.end, norm, valid, detail)
		case n >= 14 && n <= 90 && hasPrefixFold(s, "bc1"):
			norm, valid, detail := checkSegwit(s)
			if norm == "" {
				continue // not even bech32-shaped (e.g. "bc1" followed by prose)
			}
			e.add(Bech32, tk.start, tk.end, norm, valid, detail)
		case n == 34 && s[0] == 'T' && mostlyBase58(s):
			valid, detail := checkTRON(s)
			e.add(TRON, tk.start, tk.end, s, valid, detail)
		case n >= 26 && n <= 35 && (s[0] == '1' || s[0] == '3') && hasLetter(s) && mostlyBase58(s):
			valid, detail := checkBTC(s)
			e.add(BTC, tk.start, tk.end, s, valid, detail)
		}
	}
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			return true
		}
	}
	return false
}

// mostlyBase58 accepts tokens with at most one character outside the base58 alphabet, so that
// a one-character typo (0 for o, l for 1) is still reported as an invalid address.
func mostlyBase58(s string) bool {
	bad := 0
	for i := 0; i < len(s); i++ {
		if base58Index[s[i]] < 0 {
			bad++
		}
	}
	return bad <= 1
}
