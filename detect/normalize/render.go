package normalize

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// mode selects the final per-rune mappings of a view.
type mode uint8

const (
	modeCased mode = iota // Traditional→Simplified only
	modeLower             // plus case folding
)

// finishItems applies the final mappings to the prepared items and writes
// the view; with inPlace it maps b.items itself, saving a copy when no other
// view will be made from them.
func (b *Builder) finishItems(s string, v *View, m mode, inPlace bool) {
	fin := b.items
	if !inPlace {
		fin = append(b.fin[:0], b.items...)
		b.fin = fin
	}
	for i := range fin {
		r := fin[i].r
		if r < utf8.RuneSelf {
			if m != modeCased && r >= 'A' && r <= 'Z' {
				fin[i].r = r + 'a' - 'A'
				fin[i].own |= CaseFold
			}
			continue
		}
		if sr, ok := toSimplified(r); ok {
			fin[i].r = sr
			fin[i].own |= TradSimp
			continue
		}
		if m != modeCased && (r < 0x3400 || r > 0x9FFF) {
			if lr := unicode.ToLower(r); lr != r {
				fin[i].r = lr
				fin[i].own |= CaseFold
			}
		}
	}
	b.write(s, v, fin)
}

// write encodes items into v, recording for every byte of v.Text the
// original span and the transforms.
func (b *Builder) write(s string, v *View, fin []item) {
	// Size everything once; each rune is at most 4 bytes.
	max := 4 * len(fin)
	buf := grow(b.buf, max)
	start, end, tr := grow(v.start, max), grow(v.end, max), grow(v.tr, max)
	applied := b.lead | b.tail
	p := 0
	for _, x := range fin {
		own := x.own &^ dropMark
		applied |= own | x.gap
		first := uint16(own) | uint16(x.gap)<<8
		if x.r < utf8.RuneSelf {
			buf[p], start[p], end[p], tr[p] = byte(x.r), x.a, x.b, first
			p++
			continue
		}
		n := utf8.EncodeRune(buf[p:], x.r)
		for k := p; k < p+n; k++ {
			start[k], end[k], tr[k] = x.a, x.b, first
			first = uint16(own)
		}
		p += n
	}
	b.buf = buf
	v.start, v.end, v.tr = start[:p], end[:p], tr[:p]
	if applied == 0 && !b.invalid { // every change sets a bit
		v.Text = s
	} else {
		v.Text = string(buf[:p])
	}
	v.origLen = b.origLen
	v.applied = applied
	v.compact = false
}

// grow returns x resliced to length n, keeping its contents and
// reallocating only when too small.
func grow[T any](x []T, n int) []T {
	if cap(x) < n {
		y := make([]T, n, n+n/4)
		copy(y, x)
		return y
	}
	return x[:n]
}

// build runs the whole pipeline for one view and, in the rare case that the
// result is not a fixed point (a folded letter meeting a combining mark that
// now composes with it, a removed invisible between two jamo), runs it
// again on its own output and composes the offset maps, so that
// Build(Build(s).Text).Text == Build(s).Text.
func (b *Builder) build(s string, v *View, m mode) {
	b.buildVia(s, v, m, true)
}

// buildVia is build, trying the one-pass path first only if tryDirect.
func (b *Builder) buildVia(s string, v *View, m mode, tryDirect bool) {
	if tryDirect && b.direct(s, v, m) {
		b.slow, b.viaDirect = false, true
		return
	}
	b.viaDirect = false
	b.prepare(s)
	b.finishItems(s, v, m, true)
	if !b.needsFixpoint(v) {
		return
	}
	for range 4 {
		var nb Builder
		var v2 View
		nb.build1(v.Text, &v2, m)
		if v2.Text == v.Text {
			return
		}
		v.compose(&v2)
	}
}

// needsFixpoint reports whether v, just built by b, may not be a fixed
// point: only a view that changed something and is not in NFKC can be.
func (b *Builder) needsFixpoint(v *View) bool {
	return v.applied != 0 && b.slow && !b.isNFKC(v.Text)
}

// isNFKC reports whether s is in NFKC, without allocating.
func (b *Builder) isNFKC(s string) bool {
	return norm.NFKC.QuickSpanString(s) == len(s)
}

// build1 is one pass of the pipeline without the fixed-point loop.
func (b *Builder) build1(s string, v *View, m mode) {
	b.prepare(s)
	b.finishItems(s, v, m, true)
}

// compose replaces v (original→T1) by v2 (T1→T2) composed with v.
func (v *View) compose(v2 *View) {
	n := len(v2.Text)
	start := make([]int32, n)
	end := make([]int32, n)
	tr := make([]uint16, n)
	for p := 0; p < n; p++ {
		s1, e1 := int(v2.start[p]), int(v2.end[p])
		start[p] = v.start[s1]
		end[p] = v.end[e1-1]
		t := v2.tr[p]
		for q := s1; q < e1; q++ {
			t |= v.tr[q] & 0xFF
		}
		if p == 0 || v2.start[p-1] != v2.start[p] {
			t |= v.tr[s1] & 0xFF00
		}
		tr[p] = t
	}
	v.Text, v.start, v.end, v.tr = v2.Text, start, end, tr
	v.applied |= v2.applied
}
