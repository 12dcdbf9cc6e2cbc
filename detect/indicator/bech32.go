package indicator

// Bech32 (BIP-173) and bech32m (BIP-350), written from the BIPs. Only decoding is needed.

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

var bech32Index = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(bech32Charset); i++ {
		t[bech32Charset[i]] = int8(i)
	}
	return t
}()

type bechEncoding int

const (
	encNone bechEncoding = iota
	encBech32
	encBech32m
)

const (
	bech32Const  = 1
	bech32mConst = 0x2bc830a3
)

func bech32Polymod(hrp string, data []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	step := func(v byte) {
		b := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (b>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	for i := 0; i < len(hrp); i++ {
		step(hrp[i] >> 5)
	}
	step(0)
	for i := 0; i < len(hrp); i++ {
		step(hrp[i] & 31)
	}
	for _, v := range data {
		step(v)
	}
	return chk
}

// bech32Decode decodes a bech32 or bech32m string. It returns the lower-case human-readable
// part, the data values without the checksum, and which checksum matched. A non-empty reason
// says why the string is not valid.
func bech32Decode(s string) (hrp string, data []byte, enc bechEncoding, reason string) {
	if len(s) > 90 {
		return "", nil, encNone, "longer than 90 characters"
	}
	hasLower, hasUpper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			return "", nil, encNone, "character out of range"
		}
		hasLower = hasLower || 'a' <= c && c <= 'z'
		hasUpper = hasUpper || 'A' <= c && c <= 'Z'
	}
	if hasLower && hasUpper {
		return "", nil, encNone, "mixed case"
	}
	lower := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		lower[i] = lowerASCII(s[i])
	}
	pos := -1
	for i := len(lower) - 1; i >= 0; i-- {
		if lower[i] == '1' {
			pos = i
			break
		}
	}
	if pos < 1 || pos+7 > len(lower) {
		return "", nil, encNone, "no separator, empty prefix or checksum too short"
	}
	hrp = string(lower[:pos])
	data = make([]byte, 0, len(lower)-pos-1)
	for _, c := range lower[pos+1:] {
		v := bech32Index[c]
		if v < 0 {
			return hrp, nil, encNone, "invalid bech32 character"
		}
		data = append(data, byte(v))
	}
	switch bech32Polymod(hrp, data) {
	case bech32Const:
		enc = encBech32
	case bech32mConst:
		enc = encBech32m
	default:
		return hrp, nil, encNone, "bech32 checksum mismatch"
	}
	return hrp, data[:len(data)-6], enc, ""
}

// convertBits regroups 5-bit values into bytes, rejecting non-zero or over-long padding.
func convertBits(data []byte) ([]byte, bool) {
	acc, bits := uint32(0), uint(0)
	out := make([]byte, 0, len(data)*5/8)
	for _, v := range data {
		acc = acc<<5 | uint32(v)
		bits += 5
		for bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	if bits >= 5 || acc&(1<<bits-1) != 0 {
		return nil, false
	}
	return out, true
}

// decodeSegwit decodes a segwit address for the given human-readable part and returns the
// witness version and program.
func decodeSegwit(wantHRP, addr string) (version int, program []byte, enc bechEncoding, reason string) {
	hrp, data, enc, reason := bech32Decode(addr)
	if reason != "" {
		return 0, nil, enc, reason
	}
	if hrp != wantHRP {
		return 0, nil, enc, "wrong human-readable part"
	}
	if len(data) < 1 || data[0] > 16 {
		return 0, nil, enc, "invalid witness version"
	}
	prog, ok := convertBits(data[1:])
	if !ok {
		return 0, nil, enc, "invalid padding"
	}
	if len(prog) < 2 || len(prog) > 40 {
		return 0, nil, enc, "invalid witness program length"
	}
	version = int(data[0])
	if version == 0 && len(prog) != 20 && len(prog) != 32 {
		return 0, nil, enc, "invalid witness v0 program length"
	}
	if version == 0 && enc != encBech32 {
		return 0, nil, enc, "witness v0 must use bech32, not bech32m"
	}
	if version != 0 && enc != encBech32m {
		return 0, nil, enc, "witness v1+ must use bech32m, not bech32"
	}
	return version, prog, enc, ""
}

// checkSegwit validates a bc1… token. norm is empty when the token is not bech32-shaped.
func checkSegwit(s string) (norm string, valid bool, detail string) {
	b := []byte(s)
	for i := range b {
		b[i] = lowerASCII(b[i])
	}
	norm = string(b)
	version, prog, enc, reason := decodeSegwit("bc", s)
	if reason != "" {
		return norm, false, reason
	}
	name := "bech32"
	if enc == encBech32m {
		name = "bech32m"
	}
	kind := ""
	switch {
	case version == 0 && len(prog) == 20:
		kind = " (P2WPKH)"
	case version == 0 && len(prog) == 32:
		kind = " (P2WSH)"
	case version == 1 && len(prog) == 32:
		kind = " (P2TR)"
	}
	return norm, true, name + ", witness v" + itoa(version) + kind
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
