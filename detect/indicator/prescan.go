package indicator

import (
	"math/bits"
	"unicode/utf8"
)

// SWAR constants: the same byte in every lane of a uint64.
const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
	lanes7F = 0x7F7F7F7F7F7F7F7F
)

// le64 reads eight bytes as a little-endian word; the compiler turns it into one load.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// load8 reads up to eight bytes of t at i into a little-endian word, zero-filling past the
// end. Hot loops inline the common case themselves: load8 is too big for the inliner.
func load8(t string, i int) uint64 {
	if i+8 <= len(t) {
		return le64(t[i : i+8])
	}
	var w uint64
	for k := 0; i+k < len(t); k++ {
		w |= uint64(t[i+k]) << (8 * k)
	}
	return w
}

// Lane masks for a word of ASCII bytes (no lane has its high bit set): the high bit of each
// lane is set when the byte is in the class. No lane can carry into the next.
func digitLanes(w uint64) uint64 {
	return (w + (0x80-'0')*lanes01) &^ (w + (0x80-'9'-1)*lanes01) & lanes80
}

// rangeLanes marks the lanes of w holding a byte in lo…hi.
func rangeLanes(w uint64, lo, hi byte) uint64 {
	return (w + uint64(0x80-lo)*lanes01) &^ (w + uint64(0x80-hi-1)*lanes01) & lanes80
}

func letterLanes(w uint64) uint64 {
	x := w | 0x20*lanes01 // fold upper case; no other byte folds into a…z
	return (x + (0x80-'a')*lanes01) &^ (x + (0x80-'z'-1)*lanes01) & lanes80
}

func byteLanes(w uint64, c byte) uint64 {
	y := w ^ uint64(c)*lanes01
	return ^((y + lanes7F) | y) & lanes80
}

// movemask packs the high bit of each lane of x (no other bit set) into the low eight bits,
// lane 0 first.
func movemask(x uint64) uint64 { return (x >> 7) * 0x0102040810204080 >> 56 }

// prescan walks the text once: it notes which extractors can possibly fire, collects
// address-length tokens, the digit runs, the starts of Chinese numerals, and finds
// dictionary keywords.
//
// The text is read in blocks of 64 bytes. Lane arithmetic on eight bytes at a time gives one
// bit per byte for word bytes, digits and non-ASCII bytes, and tells whether the block holds
// any of the rare bytes ('@', brackets, '+'), which are then looked up one by one. The loop
// then visits only events: starts of digit runs, starts of words that pass a first keyword
// filter or are long enough for an address (the only places a Latin keyword or an
// address-length token can start), '+' (for "+V") and the starts of non-ASCII stretches,
// whose runes are read one by one (two by two in runs of quiet Chinese characters).
func (s *scanState) prescan() {
	t := s.text
	d := kwDict
	kwUntil := 0                             // inside a keyword match: do not start another one
	runesTo := 0                             // runes has read up to here
	var prevWord, prevDigit, prevHigh uint64 // bit 0: the byte before the block was one
	for base := 0; base < len(t); base += 64 {
		var wordM, digitM, highM, plusM, rare uint64
		for g := 0; g < 64 && base+g < len(t); g += 8 {
			var w uint64
			if base+g+8 <= len(t) {
				w = le64(t[base+g : base+g+8])
			} else if len(t) >= 8 {
				// The last eight bytes, shifted so that the bytes past the end read as zero,
				// which are in no class.
				w = le64(t[len(t)-8:]) >> (8 * (base + g + 8 - len(t)))
			} else {
				w = load8(t, base+g)
			}
			ascii := ^w & lanes80
			if ascii == 0 {
				highM |= 0xFF << g // all non-ASCII, as most of a Chinese text is
				continue
			}
			// Classify on the low seven bits so that no lane carries into the next, then keep
			// the ASCII lanes only.
			w7 := w & lanes7F
			dg := digitLanes(w7) & ascii
			wb := (dg | letterLanes(w7) | byteLanes(w7, '_')) & ascii
			// Bytes too rare to track one by one: '@', '(', '[', '{' and '+'. One accumulator
			// tells whether the block needs a closer look, and may say so for a few others:
			// '(' … '+' is a range with ')' and '*', and case folding takes '@' to '`' and
			// '[' to '{'.
			x := w7 | 0x20*lanes01
			rare |= (rangeLanes(w7, '(', '+') | byteLanes(x, '`') | byteLanes(x, '{')) & ascii
			wordM |= movemask(wb) << g
			digitM |= movemask(dg) << g
			highM |= movemask(w&lanes80) << g
		}
		if rare != 0 {
			plusM = s.rareBytes(base)
		}
		for st := digitM &^ (digitM<<1 | prevDigit); st != 0; st &= st - 1 {
			j := bits.TrailingZeros64(st)
			end := base + 64 // the digits go on into the next block
			if rest := ^digitM >> j; rest != 0 {
				end = base + j + bits.TrailingZeros64(rest)
			} else {
				for end < len(t) && isDigit(t[end]) {
					end++
				}
			}
			s.numStarts = append(s.numStarts, base+j)
			s.numEnds = append(s.numEnds, end)
		}
		// Of the word starts, only those that may start a Latin keyword (by latinFirst) or an
		// address-length token become events; this tight pass sorts them out, so that most
		// words cost no trip through the event loop below, which decides exactly.
		var wordEv uint64
		for st := wordM &^ (wordM<<1 | prevWord); st != 0; st &= st - 1 {
			j := bits.TrailingZeros64(st)
			p := base + j
			var n int
			if rest := ^wordM >> j; rest != 0 {
				n = bits.TrailingZeros64(rest)
			} else {
				n = wordEnd(t, base+64) - p
			}
			var c1 byte
			if n > 1 {
				c1 = t[p+1]
			}
			keep := uint64(d.firstLen[int(t[p]&31)<<5|int(c1&31)] >> min(n, 15) & 1)
			if n >= 14 {
				keep = 1
			}
			wordEv |= keep << j
		}
		ev := wordEv | highM&^(highM<<1|prevHigh) | plusM
		prevWord, prevDigit, prevHigh = wordM>>63, digitM>>63, highM>>63
		for ; ev != 0; ev &= ev - 1 {
			j := bits.TrailingZeros64(ev)
			p := base + j
			c := t[p]
			switch {
			case p < runesTo:
				// inside the runes and punctuation runes has read
			case c >= 0xC2 && c < 0xE0 && d.twoByteQuiet && p+1 < len(t) && t[p+1]&0xC0 == 0x80 &&
				(p+2 == len(t) || t[p+2] < utf8.RuneSelf && (byteClass[t[p+2]] != 0 || t[p+2] == '+')):
				// An accented letter inside a Latin word ("teléfono"): runes would decode it,
				// find no flag and stop at the word byte after it. Skip the call.
				runesTo = p + 2
			case c >= utf8.RuneSelf:
				runesTo = s.runes(d, p, &kwUntil)
			case c == '+':
				if p >= kwUntil && p+1 < len(t) {
					s.keywordAt(d, p, &kwUntil) // rare outside phone numbers: no pre-filter
				}
			default: // a word: letters, digits and '_'
				var end int
				if rest := ^wordM >> j; rest != 0 {
					end = p + bits.TrailingZeros64(rest)
				} else {
					end = wordEnd(t, base+64) // the word goes on into the next block
				}
				if end-p >= 14 {
					s.tokensIn(p, end)
				}
				// Only a word's first byte can start a Latin keyword, and only a letter.
				if byteClass[c] == clLetter && p >= kwUntil && p+1 < len(t) && d.latinFirst(t, p, end) && d.latinMayStart(t, p, end) {
					s.keywordAt(d, p, &kwUntil)
				}
			}
		}
	}
	s.hasDigit = len(s.numStarts) > 0
}

// wordEnd returns the end of the Latin word that goes on at t[i].
func wordEnd(t string, i int) int {
	for i < len(t) && wordByte(t[i]) {
		i++
	}
	return i
}

// rareBytes looks closer at a block of the text that holds '@', '(', '[', '{' or '+': it
// sets the flags and returns a mask of the '+' bytes.
func (s *scanState) rareBytes(base int) (plusM uint64) {
	t := s.text[base:min(base+64, len(s.text))]
	for j := 0; j < len(t); j++ {
		switch t[j] {
		case '@':
			s.hasAt = true
		case '(', '[', '{':
			s.hasBracket = true
		case '+':
			plusM |= 1 << j
		}
	}
	return plusM
}

// tokensIn collects the address-length tokens in the word t[start:end]: its runs of letters
// and digits, split at '_'.
func (s *scanState) tokensIn(start, end int) {
	for i := start; i < end; {
		j := i
		for j < end && s.text[j] != '_' {
			j++
		}
		s.endRun(i, j)
		i = j + 1
	}
}

// fullWidthAt is '＠' (U+FF20) as runes reads three bytes: little-endian.
const fullWidthAt = 0xEF | 0xBC<<8 | 0xA0<<16

// runes handles the non-ASCII runes starting at t[i] (Han script, Chinese numerals and
// keywords starting with a non-ASCII rune) and returns where it stopped. It reads on over
// ASCII spaces and punctuation, which only end a run of numerals here (the block loop has
// seen all there is in them), so that Chinese text with ASCII punctuation is read in one go;
// it stops at a word byte or a '+', which are events of the block loop.
func (s *scanState) runes(d *dict, i int, kwUntil *int) int {
	t := s.text
	prevNum := false   // previous rune was a Chinese numeral
	hasHan := s.hasHan // kept in a register in the loop
	for i < len(t) {
		c := t[i]
		if c < utf8.RuneSelf {
			if byteClass[c] != 0 || c == '+' {
				break
			}
			prevNum = false
			i++
			continue
		}
		var r rune
		var size int
		switch {
		case c&0xF0 == 0xE0 && i+2 < len(t) && t[i+1]&0xC0 == 0x80 && t[i+2]&0xC0 == 0x80:
			// The 3-byte sequences that make up CJK text. Most Chinese characters are neither
			// numerals nor the start of a keyword: one probe of a small filter, keyed by the
			// three bytes as they stand, passes them over. The rest are decoded inline.
			v := uint32(c) | uint32(t[i+1])<<8 | uint32(t[i+2])<<16
			r, size = rune(c&0x0F)<<12|rune(t[i+1]&0x3F)<<6|rune(t[i+2]&0x3F), 3
			if !d.runeMayFlag3(v) {
				if !hasHan && isHan(r) {
					hasHan = true
				}
				prevNum = false
				i += 3
				// Two more at a time while both are quiet 3-byte runes (and Han is known).
				for hasHan && i+8 <= len(t) {
					w := le64(t[i : i+8])
					if w&0xC0C0F0C0C0F0 != 0x8080E08080E0 ||
						d.runeMayFlag3(uint32(w)&0xFFFFFF) || d.runeMayFlag3(uint32(w>>24)&0xFFFFFF) {
						break
					}
					i += 6
				}
				continue
			}
			if v == fullWidthAt {
				s.hasAt = true // full-width at sign, if the caller did not fold it
			}
		case c >= 0xC2 && c < 0xE0 && i+1 < len(t) && t[i+1]&0xC0 == 0x80:
			// Accented Latin letters; 0xC0 and 0xC1 would be overlong, left to the decoder.
			r, size = rune(c&0x1F)<<6|rune(t[i+1]&0x3F), 2
		default:
			r, size = utf8.DecodeRuneInString(t[i:])
		}
		if !hasHan && isHan(r) {
			hasHan = true
		}
		// One probe decides the common case: a rune that starts no keyword and is no numeral.
		if f := d.runeFlag(r); f != 0 {
			if f&runeNumeral != 0 {
				if !prevNum {
					s.hanNums = append(s.hanNums, i)
					s.hasHanNumeral = true
				}
				prevNum = true
			} else {
				prevNum = false
			}
			if f&runeKeyword != 0 && i >= *kwUntil && d.pairMayStart(t, i, r, size) {
				s.keywordAt(d, i, kwUntil)
			}
		} else {
			prevNum = false
		}
		i += size
	}
	s.hasHan = hasHan
	return i
}

// wordKey returns the Latin word t[i:i+n] (a run of letters, digits and '_' that is not
// followed by another), ASCII case-folded, as a key for the keyword pre-filters: the whole
// word when it is at most eight bytes long, else its first eight bytes and a mark. A keyword
// matching at i ends its first word exactly where the text's word ends (at a non-word byte of
// the keyword, or at the boundary a keyword ending in a word byte requires), so a keyword's
// first word and the text word get the same key and the filter loses no match. Keywords are
// keyed by wordKeyAt, the same function on their text.
func wordKey(t string, i, n int) uint64 {
	var w uint64
	if i+8 <= len(t) {
		w = le64(t[i : i+8])
	} else {
		w = load8(t, i)
	}
	key := w | letterLanes(w&lanes7F)>>2 // letterLanes>>2 is 0x20 in each letter lane
	if n < 8 {
		key &= 1<<(8*n) - 1 // bytes past the word are masked out, whatever they are
	} else if n > 8 {
		key |= 1 << 63 // longer than eight bytes; no ASCII byte has this bit
	}
	return key
}

// rawWordKey is wordKey without the case folding, for the case-sensitive keywords.
func rawWordKey(t string, i, n int) uint64 {
	key := load8(t, i)
	if n < 8 {
		key &= 1<<(8*n) - 1
	} else if n > 8 {
		key |= 1 << 63
	}
	return key
}

// wordKeyAt is wordKey for the word starting at t[i], and its length.
func wordKeyAt(t string, i int) (uint64, int) {
	n := i
	for n < len(t) && wordByte(t[n]) {
		n++
	}
	return wordKey(t, i, n-i), n - i
}

// Slots of the filters: a word key, and a word key with the two bytes that follow the word
// (0 past the end of a keyword), ASCII case-folded. The second tells "por cada" from "por
// favor" and "Los Angeles" from "los ingredientes" without reading the keyword list.
func wordSlot(key uint64) uint32 { return uint32(key * 0x9E3779B97F4A7C15 >> (64 - wordSlotBits)) }

func followSlot(key uint64, b1, b2 byte) uint32 {
	x := (key ^ uint64(lowerASCII(b1))<<48 ^ uint64(lowerASCII(b2))<<56) * 0xD6E8FEB86659FD93
	return uint32(x >> (64 - wordSlotBits))
}

// firstSlot keys a Latin word t[i:i+n] (n ≥ 1) by its first two bytes, five bits of each
// (which folds ASCII case), the second taken as 0 in a one-byte word.
func firstSlot(t string, i, n int) int {
	var c1 byte
	if n > 1 {
		c1 = t[i+1]
	}
	return int(t[i]&31)<<5 | int(c1&31)
}

// latinFirst is the first, cheapest filter for a keyword at the word t[i:end]: some keyword's
// first word has the same two first bytes (folded as firstSlot folds them) and length. Four
// in five words of the corpus fail it and skip the hashed word key.
func (d *dict) latinFirst(t string, i, end int) bool {
	n := end - i
	return d.firstLen[firstSlot(t, i, n)]>>min(n, 15)&1 != 0
}

// latinMayStart reports whether a keyword may start at the word t[i:end].
func (d *dict) latinMayStart(t string, i, end int) bool {
	key := wordKey(t, i, end-i)
	ws := wordSlot(key)
	if !d.wordBit(ws) {
		return false
	}
	if d.exactOnly[ws/64]&(1<<(ws%64)) != 0 {
		// Only case-sensitive keywords have this first word: it must be written as they are.
		rs := wordSlot(rawWordKey(t, i, end-i))
		if d.exactBits[rs/64]&(1<<(rs%64)) == 0 {
			return false
		}
	}
	var b1, b2 byte
	if end < len(t) {
		b1 = t[end]
		if end+1 < len(t) {
			b2 = t[end+1]
		}
	}
	return d.followBit(followSlot(key, b1, b2)) || d.followBit(followSlot(key, b1, 0)) || d.followBit(followSlot(key, 0, 0))
}

// keywordAt records the longest keyword starting at t[i], if any, after the caller's
// pre-filters have passed.
func (s *scanState) keywordAt(d *dict, i int, kwUntil *int) {
	key, _ := dictKey(s.text[i:])
	ki, end := d.matchAt(s.text, i, key)
	if ki < 0 {
		return
	}
	k := &d.kws[ki]
	if k.kind == kwDotWord {
		s.hasDotWord = true
		return // a flag is enough; "dot" is no context for anything else
	}
	s.hits = append(s.hits, kwHit{kind: k.kind, city: k.city, start: i, end: end})
	*kwUntil = end
}
