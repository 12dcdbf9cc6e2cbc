package model

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// Feature extraction turns a normalised post into hashed feature indices.
// One pass over the runes, no allocation: the same code feeds training
// (collecting indices) and scoring (summing weights), so the two can never
// disagree about what a feature is.
//
// Feature families, each hashed with its own seed so that equal strings in
// different families land in unrelated buckets:
//   - Han: character 1..hanMaxN-grams within a run of Han characters;
//   - word: each Latin/other-script word (letters and digits; '-', '.', ','
//     between digits kept so CAS numbers, phones and amounts stay whole);
//   - bigram: consecutive words (a Han run breaks the chain);
//   - char: wordMinN..wordMaxN-grams of "^word$" for words of
//     minNgramWord..maxWord runes, which carry spelling variants, pinyin
//     fragments and Spanish/English inflections;
//   - shape: digit/letter pattern of tokens with digits (CAS "0:5-0:2-0:1",
//     "a:1 0:2" for m30) and, for long alphanumeric tokens such as wallet
//     addresses, their first character and length;
//   - symbol: each other non-space symbol (emoji, currency signs, '@').
//
// The n-gram ranges were chosen by 5-fold cross-validation on the dev set:
// Han 1–3 and word 3–5 or 3–4 grams scored no better (macro F1 within
// ±0.01) than Han 1–2 and word 3-grams, and cost up to 40% more time per
// post, which the engine's throughput budget cannot spare. The minimum
// word lengths for n-grams and shapes were chosen on false alarms over the
// Debian fortune cookies (see TestFewFalseAlarmsOnFortunes).

const (
	hanMaxN  = 2  // longest Han n-gram
	wordMinN = 3  // shortest character n-gram inside a word (with ^ $ marks)
	wordMaxN = 3  // longest character n-gram inside a word
	maxWord  = 24 // runes of a word kept for n-grams; longer tokens are identifiers
	// minNgramWord is the shortest word that gets n-grams: a shorter word's
	// n-grams say nothing its unigram does not, and counting it several
	// times over let function words ("las", "el") dominate short posts.
	minNgramWord = 4
	// minShapeWord is the shortest token with digits that gets a shape: the
	// shape of "4" or "12" is as common as the token itself.
	minShapeWord = 3
	longTok      = 20 // a token with a digit at least this long is an identifier (wallet, hash)
)

// Family seeds and multipliers: arbitrary 64-bit constants (the
// multipliers odd); changing any of them changes every model's meaning, so
// bump featureVersion with them.
const (
	seedHan    = 0x8f1bbcdc6ed9eba1
	seedWord   = 0x5a827999ca62c1d6
	seedBigram = 0xc2b2ae3d27d4eb4f
	seedChar   = 0x165667b19e3779f9
	seedShape  = 0x27d4eb2f165667c5
	seedLong   = 0x94d049bb133111eb
	seedSymbol = 0xbf58476d1ce4e5b9
	mulK       = 0x9e3779b97f4a7c15
	mulB       = 0xd6e8feb86659fd93
)

// step folds one value into a running hash. The xor-shift after the multiply
// carries high bits down so every input bit reaches the low (bucket) bits.
func step(h, v uint64) uint64 {
	h = (h ^ v) * mulK
	return h ^ h>>32
}

// finish is the splitmix64 finaliser.
func finish(h uint64) uint64 {
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	h *= 0x94d049bb133111eb
	return h ^ h>>32
}

// hashString hashes s with the package's stable hash (used by Holdout).
func hashString(seed uint64, s string) uint64 {
	h := seed
	for i := 0; i < len(s); i++ {
		h = step(h, uint64(s[i]))
	}
	return finish(h ^ uint64(len(s)))
}

// sink receives feature hashes and buffers their bucket indices; drain
// then either records them (training) or sums the buckets' quantised
// weights (scoring). Summing in a separate tight loop keeps the sums in
// registers and lets the CPU overlap the table loads.
type sink struct {
	shift   uint8  // 64 - log2(buckets): the bucket is the top bits of h·mulB
	tab     *table // packed weights per bucket (scoring)
	acc     [numCat]int32
	n       int // features seen
	collect bool
	idx     []uint32
	nb      int
	buf     [128]uint32 // a power of two (ngrams masks its index)
}

// emit adds one feature. The buffer is drained when a feature does not
// fit, not when it fills, so a full buffer is a valid state for every
// caller of reserve.
func (s *sink) emit(h uint64) {
	s.reserve(1)
	s.put(h)
}

// put is emit for a caller that made room first with reserve.
func (s *sink) put(h uint64) {
	// Fibonacci hashing: one multiply, and the top bits (which depend on
	// every input bit after step's mixing) pick the bucket. The mask
	// (len(buf) is a power of two) only spares the bounds check.
	s.buf[s.nb&(len(s.buf)-1)] = uint32((h * mulB) >> s.shift)
	s.nb++
}

// reserve drains the buffer unless k more features fit.
func (s *sink) reserve(k int) {
	if s.nb > len(s.buf)-k {
		s.drain()
	}
}

func (s *sink) drain() {
	b := s.buf[:s.nb]
	s.n += len(b)
	s.nb = 0
	if s.collect {
		s.idx = append(s.idx, b...)
		return
	}
	dir, lanes := s.tab.dir, s.tab.lanes
	a0, a1, a2, a3, a4 := s.acc[0], s.acc[1], s.acc[2], s.acc[3], s.acc[4]
	for len(b) > 0 {
		// Sum up to laneBatch rows lane-wise in one word, then unpack.
		// Integer sums are exact in any grouping, so this equals adding
		// the int8 weights one by one.
		k := min(len(b), laneBatch)
		var sum uint64
		for _, i := range b[:k] {
			// table.slot, spelled out so the slices stay in registers.
			d := dir[i>>6]
			j := d.base + uint32(bits.OnesCount64(d.set&(1<<(i&63)-1)))
			sum += lanes[j&-uint32(d.set>>(i&63)&1)]
		}
		bias := int32(k * laneBias)
		a0 += int32(sum&laneMask) - bias
		a1 += int32(sum>>laneBits&laneMask) - bias
		a2 += int32(sum>>(2*laneBits)&laneMask) - bias
		a3 += int32(sum>>(3*laneBits)&laneMask) - bias
		a4 += int32(sum>>(4*laneBits)&laneMask) - bias
		b = b[k:]
	}
	s.acc = [numCat]int32{a0, a1, a2, a3, a4}
}

func isHan(r rune) bool {
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return r >= 0x2e80 && unicode.Is(unicode.Han, r)
}

// wordRune reports whether r belongs inside a word token.
func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
	}
	return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// ignorable runes carry no signal on their own: spaces, joiners, variation
// selectors and the punctuation every language uses between clauses.
func ignorable(r rune) bool {
	if r < utf8.RuneSelf {
		switch r {
		case ' ', '\t', '\n', '\r', ',', '.', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']', '-', '_', '/':
			return true
		}
		return r < 0x20 || r == 0x7f
	}
	switch r {
	case 0x200d, 0xfe0f, 0xfe0e, 0x3001, 0x3002, 0xff0c, 0xff1a, 0xff1b, 0xff01, 0xff1f, 0xff08, 0xff09,
		0x201c, 0x201d, 0x2018, 0x2019, 0x300c, 0x300d, 0x3010, 0x3011, 0x2014, 0x2013, 0x00bf, 0x00a1, 0x2026:
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// wordState accumulates the current word.
type wordState struct {
	runes    [maxWord]rune
	mixes    [maxWord + 2]uint64 // "^" + mixRune of each kept rune (+ "$" at flush)
	n        int                 // runes seen (may exceed maxWord)
	h        uint64              // running hash over all runes
	kind     uint8               // kindDigit | kindLetter of the runes seen
	prevWord uint64              // finished hash of the previous word, 0 at a chain start
}

// Rune kinds inside a word: '-', '.' and ',' (kept between digits) are
// neither.
const (
	kindDigit  = 1 // '0'..'9'
	kindLetter = 2 // any other word rune
)

// add appends r, whose mix is x and kind k, to the word. It is small enough
// to inline into extract's loop.
func (w *wordState) add(r rune, x uint64, k uint8) {
	if w.n < maxWord {
		w.runes[w.n] = r
		w.mixes[w.n+1] = x
	}
	w.n++
	w.h = bits.RotateLeft64(w.h, 7) ^ x
	w.kind |= k
}

// runeKind is the kind of a rune inside a word.
func runeKind(r rune) uint8 {
	switch {
	case r >= '0' && r <= '9':
		return kindDigit
	case r == '-' || r == '.' || r == ',':
		return 0
	}
	return kindLetter
}

// flush emits the features of the finished word, if any, and resets it.
func (w *wordState) flush(s *sink) {
	if w.n > 0 {
		w.flushWord(s)
	}
}

// maxWordTotal bounds the features of one word: unigram, bigram, shape or
// identifier, n-grams.
const maxWordTotal = 3 + maxWordFeatures

func (w *wordState) flushWord(s *sink) {
	s.reserve(maxWordTotal)
	// One multiply spreads the word hash; put's multiply does the rest.
	wh := (w.h ^ uint64(w.n)) * mulK
	digits, letters := w.kind&kindDigit != 0, w.kind&kindLetter != 0
	s.put(seedWord ^ wh)
	if w.prevWord != 0 {
		s.put(seedBigram ^ bits.RotateLeft64(w.prevWord, 17) ^ wh)
	}
	w.prevWord = wh
	switch {
	case digits && w.n >= longTok:
		// Identifiers: the exact value is noise, the format is signal.
		s.put(step(step(seedLong, uint64(w.runes[0])), uint64(w.n)))
	case digits:
		if w.n >= minShapeWord {
			w.shape(s)
		}
		if letters && w.n >= minNgramWord && w.n <= maxWord {
			w.ngrams(s)
		}
	case w.n >= minNgramWord && w.n <= maxWord:
		w.ngrams(s)
	}
	w.n, w.h, w.kind = 0, 0, 0
}

// shape emits the class pattern of a word with digits: runs of digits
// (with their length, capped at 5), letters (length capped at 2) and
// separators, e.g. "79099-07-3" → 0:5 - 0:2 - 0:1.
func (w *wordState) shape(s *sink) {
	h := uint64(seedShape)
	n := min(w.n, maxWord)
	for i := 0; i < n; {
		c := class(w.runes[i])
		j := i + 1
		for j < n && class(w.runes[j]) == c {
			j++
		}
		l := j - i
		if c == 'a' {
			l = min(l, 2)
		} else if c == '0' {
			l = min(l, 5)
		}
		h = step(step(h, uint64(c)), uint64(l))
		i = j
	}
	s.put(h)
}

func class(r rune) rune {
	switch {
	case r >= '0' && r <= '9':
		return '0'
	case r == '-' || r == '.' || r == ',':
		return r
	default:
		return 'a'
	}
}

// ngrams emits character n-grams of "^word$". It is the hottest loop of
// scoring, so each rune is mixed once and an n-gram's hash is the xor of
// its runes' mixes rotated by position (cheap, and order-sensitive); the
// indices go straight into the sink's buffer with a local counter. The
// loop is written for 3-grams only (the constant checks below fail to
// compile if the range changes).
func (w *wordState) ngrams(s *sink) {
	const _, _ = uint(wordMinN-3) + uint(3-wordMinN), uint(wordMaxN-3) + uint(3-wordMaxN)
	x := &w.mixes
	x[0] = mixCaret
	n := min(w.n, maxWord) + 1
	x[n] = mixDollar
	n++
	nb, out, shift := s.nb, &s.buf, s.shift
	// a, b: the first two runes' terms of the next 3-gram.
	a, b := x[0], bits.RotateLeft64(x[1], 21)
	for i := 2; i < n; i++ {
		h := a ^ b ^ bits.RotateLeft64(x[i], 42) ^ ngramSeed[2]
		// flushWord's reserve left room for the whole word; the mask
		// (len(out) is a power of two) only spares the bounds check.
		out[nb&(len(out)-1)] = uint32((h * mulB) >> shift)
		nb++
		a, b = x[i-1], bits.RotateLeft64(x[i], 21)
	}
	s.nb = nb
}

func mixRune(r rune) uint64 {
	h := (uint64(r) + seedChar) * mulK
	return h ^ h>>29
}

var mixCaret, mixDollar = mixRune('^'), mixRune('$')

// hanSeed separates Han n-grams of different lengths.
var hanSeed = [hanMaxN]uint64{seedHan, 0x3c6ef372fe94f82b}

// ngramSeed separates n-grams of different lengths.
var ngramSeed = [wordMaxN]uint64{0, 0, 0x2545f4914f6cdd1d}

// maxWordFeatures bounds the n-grams of one word.
const maxWordFeatures = (wordMaxN - wordMinN + 1) * (maxWord + 2)

// decodeRune decodes the non-ASCII rune at text[i:] like
// utf8.DecodeRuneInString, decoding the common valid three-byte sequences
// (Han, most of the BMP) inline: a lead byte E1..EC or EE..EF followed by
// two continuation bytes is always valid. E0 and ED (overlong and
// surrogate ranges) and everything else take the library path.
func decodeRune(text string, i int) (rune, int) {
	if i+2 < len(text) {
		c0, c1, c2 := text[i], text[i+1], text[i+2]
		if c0 >= 0xe1 && c0 <= 0xef && c0 != 0xed && c1&0xc0 == 0x80 && c2&0xc0 == 0x80 {
			return rune(c0&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f), 3
		}
	}
	return utf8.DecodeRuneInString(text[i:])
}

// ASCII byte classes for extract's fast path, derived at start-up from
// wordRune and ignorable so the two paths cannot disagree.
const (
	asciiSymbol = iota // a feature of its own
	asciiIgnore        // ends a word, no feature
	asciiWord          // a word rune (after folding)
	asciiSep           // '-', '.', ',': kept inside a word between digits, else ignorable
)

type asciiInfo struct {
	class uint8
	kind  uint8  // runeKind of the folded byte (word runes)
	fold  uint8  // the byte with ASCII case folded
	mix   uint64 // mixRune of fold
}

var asciiTab = func() (t [utf8.RuneSelf]asciiInfo) {
	for c := range t {
		r := rune(c)
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		e := &t[c]
		e.fold, e.kind, e.mix = uint8(r), runeKind(r), mixRune(r)
		switch {
		case wordRune(r):
			e.class = asciiWord
		case r == '-' || r == '.' || r == ',':
			e.class = asciiSep
		case ignorable(r):
			e.class = asciiIgnore
		default:
			e.class = asciiSymbol
		}
	}
	return t
}()

// extract feeds every feature of text to s.
func extract(text string, s *sink) {
	var w wordState
	hanPrev, hanRun := uint64(0), false // mix of the previous rune, if it was Han
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			i++
			e := &asciiTab[c]
			switch e.class {
			case asciiWord:
				// The rest of an ASCII word in a tight loop, with the word
				// state in registers.
				n, h, kind := w.n, w.h, w.kind
				for {
					if n < maxWord {
						w.runes[n] = rune(e.fold)
						w.mixes[n+1] = e.mix
					}
					n++
					h = bits.RotateLeft64(h, 7) ^ e.mix
					kind |= e.kind
					if i == len(text) || text[i] >= utf8.RuneSelf || asciiTab[text[i]].class != asciiWord {
						break
					}
					e = &asciiTab[text[i]]
					i++
				}
				w.n, w.h, w.kind = n, h, kind
				hanRun = false
				continue
			case asciiSep:
				// A separator between digits stays inside the word (CAS, phones, amounts).
				if w.n > 0 && w.n < maxWord && w.runes[w.n-1] >= '0' && w.runes[w.n-1] <= '9' &&
					i < len(text) && text[i] >= '0' && text[i] <= '9' {
					w.add(rune(c), e.mix, 0)
					continue
				}
				w.flush(s)
			case asciiIgnore:
				w.flush(s)
			default:
				w.flush(s)
				s.emit(step(seedSymbol, uint64(e.fold)))
			}
			hanRun = false
			continue
		}
		r, size := decodeRune(text, i)
		i += size
		// The CJK Unified Ideographs block is most of the non-ASCII text
		// the engine sees; it is Han, so it skips the word-rune predicates.
		han := r >= 0x4e00 && r <= 0x9fff
		if !han && wordRune(r) {
			w.add(r, mixRune(r), kindLetter)
			hanRun = false
			continue
		}
		w.flush(s)
		if han || isHan(r) {
			w.prevWord = 0
			// n-grams ending at r, hashed like word n-grams: the xor of
			// the runes' mixes rotated by distance from r. Written for
			// 1- and 2-grams (the check fails to compile otherwise).
			const _ = uint(hanMaxN-2) + uint(2-hanMaxN)
			s.reserve(hanMaxN)
			x := mixRune(r)
			s.put(x ^ seedHan)
			if hanRun {
				s.put(x ^ bits.RotateLeft64(hanPrev, 21) ^ hanSeed[1])
			}
			hanPrev, hanRun = x, true
			continue
		}
		hanRun = false
		if ignorable(r) {
			continue
		}
		s.emit(step(seedSymbol, uint64(r)))
	}
	w.flush(s)
	s.drain()
}
