package normalize

import "math/bits"

// Eight ASCII bytes at a time. Most of a post is plain ASCII words, where
// direct has little to do per byte: the view maps to the original, and only
// upper case, the leet pre-check and the spacing trigger need a look. A
// block classifies eight bytes at once with SWAR arithmetic (one byte per
// 8-bit lane of a uint64) and packs the classes into one bit per byte, so
// it costs a few dozen branch-free operations instead of a loop that
// mispredicts at every word end.

const (
	lanesOne  = 0x0101010101010101
	lanesHigh = 0x8080808080808080
	lanesLow  = 0x7F7F7F7F7F7F7F7F
)

// atLeast sets the high bit of each lane of x that holds a byte >= n, for
// lanes below the first byte >= 0x80 (a carry out of such a byte spoils
// only the lanes above it).
func atLeast(x uint64, n byte) uint64 {
	return (x + (0x80-uint64(n))*lanesOne) & lanesHigh
}

// equal sets the high bit of each lane of x that holds c (exact in every
// lane: the low seven bits are added without carries).
func equal(x uint64, c byte) uint64 {
	y := x ^ uint64(c)*lanesOne
	return ^((y&lanesLow + lanesLow) | y) & lanesHigh
}

// packHigh packs the high bit of every lane into one bit per lane (lane j
// to bit j): the multiplier moves lane j's bit to bit 56+j, and no two
// partial products meet, so nothing carries.
func packHigh(m uint64) uint8 {
	return uint8((m >> 7) * 0x0102040810204080 >> 56)
}

// asciiBlock handles the ASCII bytes at s[i:], eight at a time, for direct
// when the spacing chain is idle (chain == 0) and no gap is owed, and
// returns how many it consumed (0: let the byte loop go on). It stops before
// a non-ASCII byte, before the last few bytes of s, and before a separator
// that ends a one-character word, since only that can start a spacing
// chain; everything else the byte loop would do to the word state it does
// here in bulk.
func (w *dwriter) asciiBlock(i int, caseFold bool, wordLen, wordStart *int, prevHan, hanSpace *bool) int {
	s := w.s
	i0 := i
	wl, ws, ph, hs := *wordLen, *wordStart, *prevHan, *hanSpace
	for i+8 <= len(s) {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		k := 8
		if h := x & lanesHigh; h != 0 {
			k = bits.TrailingZeros64(h) >> 3
		}
		upper := atLeast(x, 'A') &^ atLeast(x, 'Z'+1)
		letter := upper | atLeast(x, 'a')&^atLeast(x, 'z'+1)
		digit := atLeast(x, '0') &^ atLeast(x, '9'+1)
		alnum := packHigh(letter | digit)
		var carry uint8 // the character before the block is part of a word
		if wl > 0 {
			carry = 1
		}
		// A separator right after a word that started one lane earlier
		// ends a one-character word; so does one in lane 0 after a pending
		// one.
		starts := alnum &^ (alnum<<1 | carry)
		single := starts << 1 &^ alnum
		if wl == 1 && alnum&1 == 0 {
			single |= 1
		}
		if single != 0 {
			// Stop at the separator: the byte loop's word end takes it.
			k = min(k, bits.TrailingZeros8(single))
		}
		if k <= 0 {
			break
		}
		valid := uint8(1<<k - 1) // k == 8 wraps to 0xFF
		alnum &= valid
		w.identity(i)
		if upper != 0 {
			for u := packHigh(upper) & valid; u != 0; u &= u - 1 {
				j := bits.TrailingZeros8(u)
				if caseFold {
					w.replace(i+j, w.p+j, s[i+j]+'a'-'A', CaseFold)
				} else {
					w.folds = append(w.folds, int32(w.p+j))
				}
			}
		}
		// Leet pre-check: a leet character right after a Latin letter.
		// Digits and '@' '$' after a letter are looked at one by one
		// (rare).
		after := letter << 8
		if w.lat != 0 {
			after |= 0x80
		}
		if m := packHigh(after&(digit|equal(x, '@')|equal(x, '$'))) & valid; m != 0 {
			for ; m != 0; m &= m - 1 {
				if leetByte[s[i+bits.TrailingZeros8(m)]] {
					w.leet = true
				}
			}
		}
		w.lat = 0
		if letter>>(8*k-1)&1 != 0 {
			w.lat = clsLeet
		}
		// Word state: the run of word characters at the end of the block.
		if alnum == valid {
			if wl == 0 {
				ws = i
			}
			wl += k
		} else {
			r := bits.LeadingZeros32(^uint32(alnum) << (32 - k))
			wl = r
			if r > 0 {
				ws = i + k - r
			}
		}
		// hanSpace (whitespace right after Han) survives only a block of
		// whitespace; it can only be set if Han came just before.
		if ph || hs {
			all := true
			for j := range k {
				all = all && asciiClass[s[i+j]]&clsSpace != 0
			}
			hs = all && (hs || ph)
		} else {
			hs = false
		}
		ph = false
		w.p += k
		i += k
		if k < 8 {
			break
		}
	}
	*wordLen, *wordStart, *prevHan, *hanSpace = wl, ws, ph, hs
	return i - i0
}
