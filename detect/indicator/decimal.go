package indicator

// decimal is a non-negative number mant × 10^exp.
type decimal struct {
	mant int64
	exp  int
}

func (d decimal) String() string { return d.withSuffix("") }

// withSuffix returns String()+sfx with one allocation: amounts are the most frequent
// indicator, and their normalized form is "<number> <CUR>".
func (d decimal) withSuffix(sfx string) string {
	var buf [48]byte
	return string(append(d.appendTo(buf[:0]), sfx...))
}

// appendTo appends the decimal's text to b: the digits with trailing fractional zeros
// dropped, "0." before a fraction below one, and zeros for a positive exponent.
func (d decimal) appendTo(b []byte) []byte {
	if d.mant == 0 {
		return append(b, '0')
	}
	m, exp := d.mant, d.exp
	for exp < 0 && m%10 == 0 {
		m /= 10
		exp++
	}
	var digits [20]byte
	i := len(digits)
	for m > 0 {
		i--
		digits[i] = byte('0' + m%10)
		m /= 10
	}
	s := digits[i:]
	if exp >= 0 {
		b = append(b, s...)
		for ; exp > 0; exp-- {
			b = append(b, '0')
		}
		return b
	}
	k := -exp
	if len(s) <= k {
		b = append(b, '0', '.')
		for z := k - len(s); z > 0; z-- {
			b = append(b, '0')
		}
		return append(b, s...)
	}
	b = append(append(b, s[:len(s)-k]...), '.')
	return append(b, s[len(s)-k:]...)
}
