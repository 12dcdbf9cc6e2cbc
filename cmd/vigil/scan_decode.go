package main

import (
	"strings"
	"unicode/utf8"
)

// fastInput is a decoded input line of the common shape.
type fastInput struct {
	id, text, lang, surface string
}

// decodeFast decodes the common input line, a JSON object whose "id" and
// "text" are plain strings, without encoding/json's reflection. It reports
// false for anything it does not handle exactly as encoding/json would
// (escapes in the strings it keeps, invalid UTF-8, a key that matches a
// field only case-insensitively, a repeated field, null or non-string
// values of the fields, very deep nesting, any syntax error); the caller
// then decodes the line the slow way, which also produces the error
// messages. The returned strings are substrings of line: the caller
// converts a whole block of input lines to one string, so that a post costs
// no allocation of its own (one per line was ~7% of vigil scan).
func decodeFast(line string) (fastInput, bool) {
	var in fastInput
	d := fastDecoder{b: line}
	d.space()
	if !d.byte('{') {
		return in, false
	}
	var spans [4][2]int // id, text, lang, surface
	var seen [4]bool
	d.space()
	if !d.byte('}') {
		for {
			d.space()
			ks, ke, plain, ok := d.str()
			if !ok || !plain {
				return in, false
			}
			d.space()
			if !d.byte(':') {
				return in, false
			}
			d.space()
			f := field(line[ks:ke])
			if f == fieldUnsure {
				return in, false
			}
			if f >= 0 {
				if seen[f] {
					return in, false
				}
				seen[f] = true
				vs, ve, plain, ok := d.str()
				if !ok || !plain {
					return in, false // null, another type, escapes: the slow path decides
				}
				spans[f] = [2]int{vs, ve}
			} else if !d.skip(0) {
				return in, false
			}
			d.space()
			if d.byte(',') {
				continue
			}
			if d.byte('}') {
				break
			}
			return in, false
		}
	}
	d.space()
	if d.i != len(line) || !seen[0] || !seen[1] {
		return in, false
	}
	in.id = line[spans[0][0]:spans[0][1]]
	in.text = line[spans[1][0]:spans[1][1]]
	if seen[2] {
		in.lang = line[spans[2][0]:spans[2][1]]
	}
	if seen[3] {
		in.surface = line[spans[3][0]:spans[3][1]]
	}
	return in, true
}

const fieldUnsure = -2

// field maps a key to the index of the scanInput field it sets, -1 for a
// key that sets none, or fieldUnsure when encoding/json's case-insensitive
// matching (which also folds some non-ASCII letters) might pick a field.
func field(k string) int {
	switch k {
	case "id":
		return 0
	case "text":
		return 1
	case "lang":
		return 2
	case "surface":
		return 3
	}
	for i := 0; i < len(k); i++ {
		if k[i] >= utf8.RuneSelf {
			return fieldUnsure
		}
	}
	for _, name := range []string{"id", "text", "lang", "surface"} {
		if strings.EqualFold(k, name) {
			return fieldUnsure
		}
	}
	return -1
}

// fastDecoder is a cursor over one line.
type fastDecoder struct {
	b string
	i int
}

func (d *fastDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) byte(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// str reads a string and returns the span of its contents. plain is true
// when the contents are their own value: valid UTF-8 without escapes. ok is
// false on a syntax error (or when the next value is not a string).
func (d *fastDecoder) str() (start, end int, plain, ok bool) {
	if !d.byte('"') {
		return 0, 0, false, false
	}
	start = d.i
	plain = true
	var high byte // OR of the bytes passed over: ≥ 0x80 means not all ASCII
	b := d.b
	for {
		i := d.i
		for i < len(b) && !strSpecial[b[i]] {
			high |= b[i]
			i++
		}
		d.i = i
		if i >= len(b) {
			return 0, 0, false, false
		}
		switch c := b[i]; {
		case c == '"':
			end = i
			d.i++
			if high >= utf8.RuneSelf && plain {
				plain = utf8.ValidString(b[start:end])
			}
			return start, end, plain, true
		case c == '\\':
			plain = false
			if !d.escape() {
				return 0, 0, false, false
			}
		default: // a control character
			return 0, 0, false, false
		}
	}
}

// strSpecial marks the bytes that end a run of plain string contents: the
// quote, the backslash and the control characters JSON forbids in strings.
var strSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// escape checks the escape sequence at d.i and moves past it.
func (d *fastDecoder) escape() bool {
	if d.i+1 >= len(d.b) {
		return false
	}
	switch d.b[d.i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		d.i += 2
		return true
	case 'u':
		if d.i+6 > len(d.b) {
			return false
		}
		for _, c := range []byte(d.b[d.i+2 : d.i+6]) {
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
		d.i += 6
		return true
	}
	return false
}

// maxFastDepth bounds the nesting skip follows; deeper values go the slow
// way.
const maxFastDepth = 64

// skip checks and moves past one value of a field the scan ignores.
func (d *fastDecoder) skip(depth int) bool {
	if d.i >= len(d.b) || depth > maxFastDepth {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '"':
		_, _, _, ok := d.str()
		return ok
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		d.i++
		d.space()
		if d.byte(closer) {
			return true
		}
		for {
			d.space()
			if c == '{' {
				if _, _, _, ok := d.str(); !ok {
					return false
				}
				d.space()
				if !d.byte(':') {
					return false
				}
				d.space()
			}
			if !d.skip(depth + 1) {
				return false
			}
			d.space()
			if d.byte(',') {
				continue
			}
			return d.byte(closer)
		}
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if strings.HasPrefix(d.b[d.i:], lit) {
				d.i += len(lit)
				return true
			}
		}
		return false
	}
}

// number moves past a number in JSON's grammar.
func (d *fastDecoder) number() bool {
	d.byte('-')
	digits := func() int {
		n := 0
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.byte('0') {
		// no more integer digits after a leading zero
	} else if digits() == 0 {
		return false
	}
	if d.byte('.') && digits() == 0 {
		return false
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if !d.byte('+') {
			d.byte('-')
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}
