package normalize

import "unicode/utf8"

// Compact offset maps. The one-pass path (direct.go) handles text whose
// characters nearly all map to a character of the same length at the same
// distance in the original (ASCII, Latin-1, Han), so instead of three
// entries per byte it records runs of such characters (pieces) and, sparsely,
// the characters that some transform changed (marks). Orig and Transforms
// answer from them exactly what the per-byte maps would (expand builds those
// maps; the tests compare both forms).

// piece is a stretch of the view starting at view byte v.
type piece struct {
	v, o int32 // first view byte and the original byte it maps to
	// n is 0 for an identity run: every character of the stretch maps to
	// the character of the same length at the same distance from o, so the
	// view's rune boundaries there are the original's. Otherwise the stretch
	// is one view character made from the original bytes [o, o+n).
	n int32
}

// mark records the transforms of one view character [p,e): tr is laid out
// as in the per-byte map (low byte: its own transforms; high byte:
// transforms of characters removed just before it). Characters without a
// mark have none.
type mark struct {
	p, e int32
	tr   uint16
}

// pieceAt returns the index of the piece holding view byte q (pieces are
// sorted by v, the first has v == 0, and q < len(Text)).
func (v *View) pieceAt(q int) int {
	ps := v.pieces
	lo, hi := 0, len(ps)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if int(ps[m].v) <= q {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// pieceEnd returns the view byte after piece k.
func (v *View) pieceEnd(k int) int {
	if k+1 < len(v.pieces) {
		return int(v.pieces[k+1].v)
	}
	return len(v.Text)
}

// origStart is start[q] of the per-byte map: the original start of the
// character holding view byte q.
func (v *View) origStart(q int) int {
	k := v.pieceAt(q)
	pc := v.pieces[k]
	if pc.n != 0 {
		return int(pc.o)
	}
	for q > int(pc.v) && !utf8.RuneStart(v.Text[q]) {
		q--
	}
	return int(pc.o) + q - int(pc.v)
}

// origEnd is end[q] of the per-byte map: the original end of the
// character holding view byte q.
func (v *View) origEnd(q int) int {
	k := v.pieceAt(q)
	pc := v.pieces[k]
	if pc.n != 0 {
		return int(pc.o + pc.n)
	}
	e := v.pieceEnd(k)
	q++
	for q < e && !utf8.RuneStart(v.Text[q]) {
		q++
	}
	return int(pc.o) + q - int(pc.v)
}

// compactTransforms is Transforms over marks; 0 <= start < end <= len(Text).
func (v *View) compactTransforms(start, end int) Transform {
	if v.caseOf != "" {
		return v.caseTransforms(start, end)
	}
	ms := v.marks
	// First mark ending after start (marks are sorted and disjoint).
	lo, hi := 0, len(ms)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(ms[m].e) <= start {
			lo = m + 1
		} else {
			hi = m
		}
	}
	var t uint16
	for _, mk := range ms[lo:] {
		if int(mk.p) >= end {
			break
		}
		// The removed-before bits sit on a character's first byte, which
		// counts only when it is inside the span and not its first byte.
		if int(mk.p) > start {
			t |= mk.tr
		} else {
			t |= mk.tr & 0xFF
		}
	}
	return Transform(t|t>>8) & 0xFF
}

// expand writes the per-byte maps of a compact view into out's buffers
// (out may be v itself, which then stops being compact).
func (v *View) expand(out *View) {
	n := len(v.Text)
	start, end, tr := grow(out.start, n), grow(out.end, n), grow(out.tr, n)
	for k, pc := range v.pieces {
		e := v.pieceEnd(k)
		if pc.n != 0 {
			for q := int(pc.v); q < e; q++ {
				start[q], end[q] = pc.o, pc.o+pc.n
			}
			continue
		}
		for q := int(pc.v); q < e; {
			_, size := utf8.DecodeRuneInString(v.Text[q:e])
			o := pc.o + int32(q) - pc.v
			for x := q; x < q+size; x++ {
				start[x], end[x] = o, o+int32(size)
			}
			q += size
		}
	}
	clear(tr)
	if v.caseOf != "" {
		for q := 0; q < n; {
			_, size := utf8.DecodeRuneInString(v.Text[q:])
			if v.Text[q:q+size] != v.caseOf[q:q+size] {
				for x := q; x < q+size; x++ {
					tr[x] = uint16(CaseFold)
				}
			}
			q += size
		}
	}
	for _, mk := range v.marks {
		tr[mk.p] = mk.tr
		for q := mk.p + 1; q < mk.e; q++ {
			tr[q] = mk.tr & 0xFF
		}
	}
	out.start, out.end, out.tr = start, end, tr
	out.compact, out.caseOf = false, ""
}

// caseTransforms is compactTransforms for a view whose marks caseOf stands
// in for: CaseFold when a character overlapping [start,end) differs.
func (v *View) caseTransforms(start, end int) Transform {
	t := v.Text
	for start > 0 && !utf8.RuneStart(t[start]) {
		start--
	}
	for end < len(t) && !utf8.RuneStart(t[end]) {
		end++
	}
	if t[start:end] != v.caseOf[start:end] {
		return CaseFold
	}
	return 0
}
