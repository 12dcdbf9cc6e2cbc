package normalize

import (
	"unicode"
	"unicode/utf8"
)

// Build is the package-level Build using b's buffers. The view is owned by b
// and valid until b's next call.
func (b *Builder) Build(original string) *View {
	b.build(original, &b.main, modeLower)
	return &b.main
}

// BuildCased is the package-level BuildCased using b's buffers. The view is
// owned by b and valid until b's next call.
func (b *Builder) BuildCased(original string) *View {
	b.build(original, &b.cased, modeCased)
	return &b.cased
}

// BuildLeet is the package-level BuildLeet using b's buffers. The view is
// owned by b and valid until b's next call.
func (b *Builder) BuildLeet(original string) (*View, bool) {
	if !b.buildLeet(original, &b.leet) {
		return nil, false
	}
	return &b.leet, true
}

// Views builds the main, cased and leet views of one post. leet is nil
// when no token needs leet decoding. The views are owned by b and valid
// until b's next call.
func (b *Builder) Views(original string) (main, cased, leet *View) {
	b.build(original, &b.cased, modeCased)
	switch {
	case b.viaDirect:
		b.lowerDirect(&b.cased, &b.main)
	case b.slow || !b.deriveLower(&b.cased, &b.main):
		b.build(original, &b.main, modeLower)
	}
	if b.deriveLeet(&b.main, &b.leet) {
		leet = &b.leet
	}
	return &b.main, &b.cased, leet
}

// buildLeet builds the leet view: Build's view with leet decoding on top.
func (b *Builder) buildLeet(original string, v *View) bool {
	b.build(original, &b.main, modeLower)
	return b.deriveLeet(&b.main, v)
}

// lowerDirect makes the main view from a cased view built by direct. Such a
// view holds only characters direct knows, and of those case folding
// changes exactly ASCII A-Z and Latin-1 U+00C0..U+00DE except U+00D7 (the
// same rule direct applies in modeLower), each to a character of the same
// length, so a byte loop without rune decoding suffices.
func (b *Builder) lowerDirect(cased, out *View) {
	t := cased.Text
	out.tr = append(out.tr[:0], cased.tr...)
	out.start = append(out.start[:0], cased.start...)
	out.end = append(out.end[:0], cased.end...)
	out.origLen = cased.origLen
	out.applied = cased.applied
	out.Text = t
	i := 0
	for ; i < len(t); i++ {
		if c := t[i]; c-'A' <= 'Z'-'A' || (c == 0xC3 && i+1 < len(t) && isLatin1UpperLow(t[i+1])) {
			break
		}
	}
	if i == len(t) {
		return // nothing to fold: the text is shared
	}
	buf := append(b.buf[:0], t...)
	tr := out.tr
	for ; i < len(buf); i++ {
		c := buf[i]
		if c-'A' <= 'Z'-'A' {
			buf[i] = c + 'a' - 'A'
			tr[i] |= uint16(CaseFold)
		} else if c == 0xC3 && i+1 < len(buf) && isLatin1UpperLow(buf[i+1]) {
			buf[i+1] += 0x20
			tr[i] |= uint16(CaseFold)
			tr[i+1] |= uint16(CaseFold)
			i++
		}
	}
	b.buf = buf
	out.Text = string(buf)
	out.applied |= CaseFold
}

// isLatin1UpperLow reports whether c, the byte after 0xC3, completes an
// upper-case Latin-1 letter (U+00C0..U+00DE without U+00D7).
func isLatin1UpperLow(c byte) bool { return c >= 0x80 && c <= 0x9E && c != 0x97 }

// deriveLower makes the main view from the cased one by lower-casing it,
// which is exactly what Build does last, when no character changes its
// UTF-8 length (so the offsets carry over). It reports false otherwise.
// The caller must not use it after a build that went through the
// normaliser (b.slow): there the fixed-point pass may differ.
func (b *Builder) deriveLower(cased, out *View) bool {
	t := cased.Text
	buf := append(b.buf[:0], t...)
	tr := append(out.tr[:0], cased.tr...)
	applied := cased.applied
	for i := 0; i < len(t); {
		c := t[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				buf[i] = c + 'a' - 'A'
				tr[i] |= uint16(CaseFold)
				applied |= CaseFold
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[i:])
		if r >= 0x3400 && r <= 0x9FFF {
			i += n
			continue
		}
		if l := unicode.ToLower(r); l != r {
			if utf8.RuneLen(l) != n {
				b.buf = buf
				return false
			}
			utf8.EncodeRune(buf[i:], l)
			for k := i; k < i+n; k++ {
				tr[k] |= uint16(CaseFold)
			}
			applied |= CaseFold
		}
		i += n
	}
	b.buf = buf
	out.tr = tr
	if applied == cased.applied {
		out.Text = t
	} else {
		out.Text = string(buf)
	}
	out.start = append(out.start[:0], cased.start...)
	out.end = append(out.end[:0], cased.end...)
	out.origLen = cased.origLen
	out.applied = applied
	return true
}
