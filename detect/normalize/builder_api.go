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
	switch lt, res := b.latinViews(original); res {
	case latinBuilt:
		b.slow, b.viaDirect, b.dw.leet = false, true, lt
	case latinSpaced:
		b.views(original, false) // direct would give up too
	default:
		b.views(original, true)
	}
	// direct found out on the way whether the leet pre-check passes.
	if b.viaDirect && !b.dw.leet {
		return &b.main, &b.cased, nil
	}
	if b.deriveLeet(&b.main, &b.leet, b.viaDirect) {
		leet = &b.leet
	}
	return &b.main, &b.cased, leet
}

// views builds b.cased and b.main through direct (unless tryDirect is
// false) or the general pipeline.
func (b *Builder) views(original string, tryDirect bool) {
	b.buildVia(original, &b.cased, modeCased, tryDirect)
	switch {
	case b.viaDirect:
		b.lowerDirect(&b.cased, &b.main)
	case b.slow || !b.deriveLower(&b.cased, &b.main):
		b.buildVia(original, &b.main, modeLower, tryDirect)
	}
}

// buildLeet builds the leet view: Build's view with leet decoding on top.
func (b *Builder) buildLeet(original string, v *View) bool {
	b.build(original, &b.main, modeLower)
	return b.deriveLeet(&b.main, v, false)
}

// lowerDirect makes the main view from a cased view built by direct. Such a
// view holds only characters direct knows, and of those case folding
// changes exactly ASCII A-Z and Latin-1 U+00C0..U+00DE except U+00D7 (the
// same rule direct applies in modeLower), each to a character of the same
// length, so the pieces carry over and only the characters direct listed
// in b.dw.folds change.
func (b *Builder) lowerDirect(cased, out *View) {
	t := cased.Text
	// The maps are shared, not copied: a Builder's views are read-only and
	// live only until its next call. The marks with case folding added go
	// to a buffer of their own, never one cased may use.
	out.pieces = cased.pieces
	out.start, out.end, out.tr = out.start[:0], out.end[:0], out.tr[:0]
	out.compact, out.caseOf = true, ""
	out.origLen = cased.origLen
	out.applied = cased.applied
	out.Text = t
	if len(b.dw.folds) == 0 {
		out.marks = cased.marks
		return // nothing to fold: the text is shared
	}
	buf := append(b.buf[:0], t...)
	cm, marks, k := cased.marks, b.lowerMarks[:0], 0
	for _, f := range b.dw.folds {
		p, e := int(f), int(f)+1
		if c := buf[p]; c < utf8.RuneSelf {
			buf[p] = c + 'a' - 'A'
		} else {
			buf[p+1] += 0x20 // U+00C0..U+00DE: lead byte 0xC3
			e++
		}
		// Merge CaseFold into the character's mark, if it has one.
		for k < len(cm) && int(cm[k].p) < p {
			marks = append(marks, cm[k])
			k++
		}
		if k < len(cm) && int(cm[k].p) == p {
			mk := cm[k]
			mk.tr |= uint16(CaseFold)
			marks = append(marks, mk)
			k++
			continue
		}
		marks = append(marks, mark{p: int32(p), e: int32(e), tr: uint16(CaseFold)})
	}
	out.marks = append(marks, cm[k:]...)
	b.lowerMarks = out.marks
	b.buf = buf
	out.Text = string(buf)
	out.applied |= CaseFold
}

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
	out.compact = false
	return true
}
