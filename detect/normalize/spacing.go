package normalize

// Spacing collapse. Evaders split keywords into single characters ("U S D T",
// "c.a.s.h", "4 1 6 6 1 - 4 7 - 6") so that no word matches; Chinese needs no
// spaces at all, so a space inside a Chinese phrase ("洗 钱") is evasion too.

// isSpacedSep reports the separators allowed between spaced single characters.
func isSpacedSep(r rune) bool {
	switch r {
	case ' ', '.', '-', '_', 0xB7, 0x30FB: // middle dot, katakana middle dot
		return true
	}
	return false
}

// collapse marks separators inside spaced runs and whitespace between Han
// characters as removed, then compacts the items.
func (b *Builder) collapse() {
	it := b.items
	n := len(it)
	if n < 3 {
		return
	}
	marked, first := false, 0
	// drop marks the separators it[from:to] for removal.
	drop := func(from, to int) {
		for x := from; x < to; x++ {
			it[x].own |= dropMark
		}
		if !marked {
			marked, first = true, from
		}
	}
	// Word-part flags of the previous, current and next item are carried
	// along so each item is classified once.
	wpPrev, wpCur := false, wordPartAt(it, 0)
	for k := 0; k < n; {
		wpNext := wordPartAt(it, k+1)
		r := it[k].r
		if wpCur && !wpPrev && !wpNext && (r < 0x80 || !isHan(r)) && isAlnum(r) {
			if j, ok := b.spacedRun(k); ok {
				sep := it[k+1].r
				for x := k + 1; x < j; x++ {
					// Separators go; in a space-separated run a '-' is a
					// group joiner and stays.
					if !isAlnum(it[x].r) && (sep != ' ' || it[x].r == ' ') {
						it[x].own |= dropMark
					}
				}
				if sep == ' ' {
					keepWordNumberGaps(it, k, j)
				}
				if !marked {
					marked, first = true, k
				}
				k = j + 1
				wpPrev, wpCur = true, wordPartAt(it, k)
				continue
			}
		} else if !wpCur && k > 0 && isSpace(r) && isHan(it[k-1].r) {
			m := k
			for m < n && isSpace(it[m].r) {
				m++
			}
			if m < n && isHan(it[m].r) {
				drop(k, m)
			} else if m < n && lone(it, m) && b.single(m) && onlyBlanks(it, k, m) && !letterWordAfter(it, m) {
				// "收 U", "出 U 换": a lone Latin letter or digit written
				// into Chinese joins the Han before it (the gap after it,
				// when Han follows, goes in the branch below).
				drop(k, m)
			}
			k = m
			wpPrev, wpCur = false, wordPartAt(it, k)
			continue
		} else if r == ' ' && k > 0 && b.single(k-1) && lone(it, k-1) {
			// "M 三零", "出 U 换": a lone Latin letter or digit joins the Han
			// after it, unless a Latin word before it claims it ("Plan B
			// 我们").
			m := k
			for m < n && it[m].r == ' ' {
				m++
			}
			if m < n && isHan(it[m].r) && !letterWordBefore(it, k-1) {
				drop(k, m)
			}
			k = m
			wpPrev, wpCur = false, wordPartAt(it, k)
			continue
		}
		wpPrev, wpCur = wpCur, wpNext
		k++
	}
	if marked {
		b.compact(first)
	}
}

// wordPartAt reports whether item k exists and is a letter, digit or mark
// other than Han.
func wordPartAt(it []item, k int) bool {
	if k < 0 || k >= len(it) {
		return false
	}
	r := it[k].r
	if r < 0x80 {
		return asciiClass[r]&clsAlnum != 0
	}
	return isWordPart(r) && !isHan(r)
}

// single reports whether item k is a lone letter or digit (not Han: Chinese
// is handled by the whitespace rule) with no letter, digit or mark beside it.
// Han beside it is a boundary, since Chinese text runs Latin letters into
// Han without a space (收u s d t). Such a single written into Chinese with
// spaces ("收 U", "M 三零") joins the Han; it is not only ASCII, since later
// stages fold "İ" or Greek "Υ" to ASCII and the view must be a fixed point.
func (b *Builder) single(k int) bool {
	it := b.items
	r := it[k].r
	if r < 0x80 {
		if asciiClass[r]&clsAlnum == 0 {
			return false
		}
	} else if !isAlnum(r) || isHan(r) {
		return false
	}
	return !wordPartAt(it, k-1) && !wordPartAt(it, k+1)
}

// spacedRun finds a run of at least three singles starting at k, separated by
// one and the same separator. In a space-separated run a lone '-' with a
// digit on at least one side is kept as a group joiner (CAS numbers: "4 1 6
// 6 1 - 4 7 - 6"; precursor names: "4 - A N P P", "1 - b o c - 4 - A P"). It
// returns the index of the last single.
func (b *Builder) spacedRun(k int) (int, bool) {
	it := b.items
	n := len(it)
	if k+2 >= n || !isSpacedSep(it[k+1].r) {
		return 0, false
	}
	sep := it[k+1].r
	j, count, joiners, groups, multi := k, 1, 0, 1, false
	groupLen := 1
	for {
		if j+2 < n && it[j+1].r == sep && b.single(j+2) {
			j += 2
			count++
			groupLen++
			continue
		}
		if sep == ' ' && j+4 < n && it[j+1].r == ' ' && it[j+2].r == '-' && it[j+3].r == ' ' &&
			(isDigit(it[j].r) || isDigit(it[j+4].r)) && b.single(j+4) {
			if groupLen > 1 {
				multi = true
			}
			j += 4
			count++
			joiners++
			groups++
			groupLen = 1
			continue
		}
		break
	}
	if groupLen > 1 {
		multi = true
	}
	if count < 3 {
		return 0, false
	}
	if joiners > 0 && !multi {
		// "1 - 2 - 3" would become "1-2-3", which is itself a dash-separated
		// run; leaving it alone keeps Build idempotent.
		return 0, false
	}
	if sep != ' ' {
		// "10.0.0.1", "v1.2.3": the singles continue a longer dotted or dashed
		// token, so they are not a spelled-out word.
		if k >= 1 && it[k-1].r == sep && wordPartAt(it, k-2) {
			return 0, false
		}
		if j+2 < n && it[j+1].r == sep && wordPartAt(it, j+2) {
			return 0, false
		}
	}
	return j, true
}

func isDigit(r rune) bool {
	return r < 0x80 && asciiClass[r]&clsDigit != 0
}

// compact removes marked items (none before index first), moving their
// transforms (and a Spaced bit) into the gap of the next kept item.
func (b *Builder) compact(first int) {
	items := b.items
	w := first
	var gap Transform
	for k := first; k < len(items); k++ {
		x := items[k]
		if x.own&dropMark != 0 {
			gap |= x.gap | (x.own &^ dropMark) | Spaced
			continue
		}
		if w == 0 && gap != 0 {
			b.lead |= gap
			gap = 0
		}
		x.gap |= gap
		gap = 0
		items[w] = x
		w++
	}
	if w == 0 {
		b.lead |= gap
	} else {
		b.tail |= gap
	}
	b.items = items[:w]
}

// onlyBlanks reports whether items [k,m) are all plain spaces (NFKC has
// already made ideographic and no-break spaces plain); line breaks and tabs
// keep a lone letter apart from Chinese text.
func onlyBlanks(it []item, k, m int) bool {
	for x := k; x < m; x++ {
		if it[x].r != ' ' {
			return false
		}
	}
	return true
}

// latinLetterAt reports whether item k exists and is a letter (not a digit)
// of a non-Han word.
func latinLetterAt(it []item, k int) bool {
	return wordPartAt(it, k) && !isDigit(it[k].r)
}

// lone reports whether item k, a single, is not the end of a dotted or
// dashed token ("67-64-1", "1-Boc", "v.2"): such a digit or letter belongs to
// the token, not to the Chinese beside it.
func lone(it []item, k int) bool {
	return !joinedVia(it, k-1, k-2) && !joinedVia(it, k+1, k+2)
}

// joinedVia reports whether item a is a separator other than a space with a
// letter or digit (not Han) at c behind it.
func joinedVia(it []item, a, c int) bool {
	return a >= 0 && a < len(it) && it[a].r != ' ' && isSpacedSep(it[a].r) && wordPartAt(it, c)
}

// letterWordAfter reports whether, past the spaces after item k, a word
// starting with a letter follows: the single then reads as part of Latin
// text ("I a m", "U S D T"), not of the Chinese before it.
func letterWordAfter(it []item, k int) bool {
	y := k + 1
	for y < len(it) && it[y].r == ' ' {
		y++
	}
	return y > k+1 && latinLetterAt(it, y)
}

// letterWordBefore is letterWordAfter looking left ("Plan B 我们"). A single
// that ends a dotted or dashed spaced run ("U.S.D.T 换") belongs to that run.
func letterWordBefore(it []item, k int) bool {
	y := k - 1
	if y >= 0 && it[y].r != ' ' && it[y].own&dropMark != 0 {
		return true
	}
	for y >= 0 && it[y].r == ' ' {
		y--
	}
	return y < k-1 && latinLetterAt(it, y)
}

// keepWordNumberGaps keeps, in the space-separated run of singles [k,j]
// whose separators are marked, the space where two or more spaced letters
// meet two or more spaced digits: "C A S 4 1 6 6 1 - 4 7 - 6" is the label
// "cas" and the number "41661-47-6", and "U S D T 5 0 0" is "usdt 500",
// not one token that no rule or indicator knows. "C 6 H 12" (one letter)
// stays "c6h".
func keepWordNumberGaps(it []item, k, j int) {
	letters := 0
	for x := k; x <= j; {
		next := x + 2 // the next single: after one space, or after " - "
		if next <= j && !isAlnum(it[next].r) {
			next = x + 4
		}
		if !isDigit(it[x].r) {
			letters++
		} else {
			if letters >= 2 && it[x-1].r == ' ' && isAlnum(it[x-2].r) && next <= j && isDigit(it[next].r) {
				it[x-1].own &^= dropMark
			}
			letters = 0
		}
		x = next
	}
}
