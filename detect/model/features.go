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
	shift   uint8    // 64 - log2(buckets): the bucket is the top bits of h·mulB
	rows    []uint64 // packed weights per bucket (scoring)
	acc     [numCat]int32
	n       int // features seen
	collect bool
	idx     []uint32
	nb      int
	buf     [128]uint32
}

func (s *sink) emit(h uint64) {
	// Fibonacci hashing: one multiply, and the top bits (which depend on
	// every input bit after step's mixing) pick the bucket.
	s.buf[s.nb] = uint32((h * mulB) >> s.shift)
	s.nb++
	if s.nb == len(s.buf) {
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
	rows := s.rows
	a0, a1, a2, a3, a4 := s.acc[0], s.acc[1], s.acc[2], s.acc[3], s.acc[4]
	for _, i := range b {
		r := rows[i]
		a0 += int32(int8(r))
		a1 += int32(int8(r >> 8))
		a2 += int32(int8(r >> 16))
		a3 += int32(int8(r >> 24))
		a4 += int32(int8(r >> 32))
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
	digits   bool
	letters  bool
	prevWord uint64 // finished hash of the previous word, 0 at a chain start
}

func (w *wordState) add(r rune) {
	if w.n < maxWord {
		w.runes[w.n] = r
	}
	x := mixRune(r)
	if w.n < maxWord {
		w.mixes[w.n+1] = x
	}
	w.n++
	w.h = bits.RotateLeft64(w.h, 7) ^ x
	if r >= '0' && r <= '9' {
		w.digits = true
	} else if r != '-' && r != '.' && r != ',' {
		w.letters = true
	}
}

// flush emits the features of the finished word and resets it.
func (w *wordState) flush(s *sink) {
	if w.n == 0 {
		return
	}
	// One multiply spreads the word hash; emit's multiply does the rest.
	wh := (w.h ^ uint64(w.n)) * mulK
	s.emit(seedWord ^ wh)
	if w.prevWord != 0 {
		s.emit(seedBigram ^ bits.RotateLeft64(w.prevWord, 17) ^ wh)
	}
	w.prevWord = wh
	switch {
	case w.digits && w.n >= longTok:
		// Identifiers: the exact value is noise, the format is signal.
		s.emit(step(step(seedLong, uint64(w.runes[0])), uint64(w.n)))
	case w.digits:
		if w.n >= minShapeWord {
			w.shape(s)
		}
		if w.letters && w.n >= minNgramWord && w.n <= maxWord {
			w.ngrams(s)
		}
	case w.n >= minNgramWord && w.n <= maxWord:
		w.ngrams(s)
	}
	w.n, w.h, w.digits, w.letters = 0, 0, false, false
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
	s.emit(h)
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
// indices go straight into the sink's buffer with a local counter.
func (w *wordState) ngrams(s *sink) {
	x := &w.mixes
	x[0] = mixCaret
	n := min(w.n, maxWord) + 1
	x[n] = mixDollar
	n++
	if s.nb > len(s.buf)-maxWordFeatures {
		s.drain()
	}
	nb, out, shift := s.nb, &s.buf, s.shift
	for i := 0; i+wordMinN <= n; i++ {
		h := uint64(0)
		for k := 0; k < wordMaxN && i+k < n; k++ {
			h ^= bits.RotateLeft64(x[i+k], 21*k)
			if k+1 >= wordMinN {
				out[nb] = uint32(((h ^ ngramSeed[k]) * mulB) >> shift)
				nb++
			}
		}
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

// extract feeds every feature of text to s.
func extract(text string, s *sink) {
	var w wordState
	var han [hanMaxN - 1]uint64 // mixes of the previous Han runes, most recent last
	hanN := 0
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		} else if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A' // callers should normalise; ASCII folding is free
		}
		i += size
		if wordRune(r) {
			w.add(r)
			hanN = 0
			continue
		}
		// A separator between digits stays inside the word (CAS, phones, amounts).
		if (r == '-' || r == '.' || r == ',') && w.n > 0 && w.n < maxWord &&
			w.runes[w.n-1] >= '0' && w.runes[w.n-1] <= '9' && i < len(text) && text[i] >= '0' && text[i] <= '9' {
			w.add(r)
			continue
		}
		w.flush(s)
		if isHan(r) {
			w.prevWord = 0
			// n-grams ending at r, hashed like word n-grams: the xor of
			// the runes' mixes rotated by distance from r.
			x := mixRune(r)
			h := x
			s.emit(h ^ seedHan)
			for k := 1; k <= hanN; k++ {
				h ^= bits.RotateLeft64(han[len(han)-k], 21*k)
				s.emit(h ^ hanSeed[k])
			}
			copy(han[:], han[1:])
			han[len(han)-1] = x
			if hanN < len(han) {
				hanN++
			}
			continue
		}
		hanN = 0
		if ignorable(r) {
			continue
		}
		s.emit(step(seedSymbol, uint64(r)))
	}
	w.flush(s)
	s.drain()
}
