package normalize

import "unicode/utf8"

// dwriter accumulates a compact view for direct. The view text is copied
// from the original s lazily: buf[:fp] is written, and view bytes [fp,p)
// are still to be copied from s[fo:].
type dwriter struct {
	s      string
	buf    []byte
	pieces []piece
	marks  []mark
	p      int // view length so far
	fp, fo int
	idOpen bool // the last piece is an identity run that reaches p
	// folds lists (in modeCased) the view bytes of the characters case
	// folding changes, for lowerDirect.
	folds []int32
	// lat is clsLeet when the last written character is a Latin letter;
	// leet is leetCandidate of the lower-case view (case folding changes
	// neither letters nor leet characters), worked out on the way.
	lat     uint8
	leet    bool
	gap     Transform // Invisible owed to the next written character
	applied Transform
}

// reset starts a view of s in buf, reusing v's map buffers.
func (w *dwriter) reset(s string, buf []byte, v *View) {
	w.s, w.buf, w.pieces, w.marks, w.folds = s, buf, v.pieces[:0], v.marks[:0], w.folds[:0]
	w.p, w.fp, w.fo, w.idOpen = 0, 0, 0, false
	w.gap, w.applied, w.lat, w.leet = 0, 0, 0, false
}

// identity makes sure an identity run covers the unchanged character at
// original byte i, which lands at view byte p.
func (w *dwriter) identity(i int) {
	if !w.idOpen {
		w.pieces = append(w.pieces, piece{v: int32(w.p), o: int32(i)})
		w.idOpen = true
	}
}

// mark records own, plus the owed gap, for the view character [p,e).
func (w *dwriter) mark(p, e int, own Transform) {
	w.marks = append(w.marks, mark{p: int32(p), e: int32(e), tr: uint16(own) | uint16(w.gap)<<8})
	w.gap = 0
	w.applied |= own
}

// flush copies the pending original bytes up to view byte q.
func (w *dwriter) flush(q int) {
	copy(w.buf[w.fp:q], w.s[w.fo:w.fo+q-w.fp])
}

// replace writes c, the ASCII character at original byte i changed by own,
// at view byte q inside an identity run.
func (w *dwriter) replace(i, q int, c byte, own Transform) {
	w.flush(q)
	w.buf[q] = c
	w.fp, w.fo = q+1, i+1
	w.mark(q, q+1, own)
}

// put writes r, made by own from the original character [i,i+n), at p.
func (w *dwriter) put(i, n int, r rune, own Transform) {
	w.flush(w.p)
	k := utf8.EncodeRune(w.buf[w.p:], r)
	if k == n {
		w.identity(i)
	} else {
		w.pieces = append(w.pieces, piece{v: int32(w.p), o: int32(i), n: int32(n)})
		w.idOpen = false
	}
	w.mark(w.p, w.p+k, own)
	w.p += k
	w.fp, w.fo = w.p, i+n
}

// putLonger writes t, made by own from the original character [i,i+n) and
// longer than it, at p; every byte of t maps to the whole character.
func (w *dwriter) putLonger(i, n int, t string, own Transform) {
	w.flush(w.p)
	copy(w.buf[w.p:], t)
	w.pieces = append(w.pieces, piece{v: int32(w.p), o: int32(i), n: int32(n)})
	w.idOpen = false
	w.mark(w.p, w.p+len(t), own)
	w.p += len(t)
	w.fp, w.fo = w.p, i+n
}

// drop removes an invisible character that ends at original byte next.
func (w *dwriter) drop(next int) {
	w.flush(w.p)
	w.fp, w.fo = w.p, next
	w.idOpen = false
	w.applied |= Invisible
	if w.p > 0 {
		w.gap = Invisible
	}
}

// finish stores the view; invisibles after the last character show only
// in applied.
func (w *dwriter) finish(v *View) {
	if w.applied == 0 { // every change sets a bit, so the text is unchanged
		v.Text = w.s
	} else {
		w.flush(w.p)
		v.Text = string(w.buf[:w.p])
	}
	v.pieces, v.marks, v.caseOf = w.pieces, w.marks, ""
	v.start, v.end, v.tr = v.start[:0], v.end[:0], v.tr[:0]
	v.compact = true
	v.origLen = len(w.s)
	v.applied = w.applied
}
