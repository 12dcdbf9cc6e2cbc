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

func (w *wordState) flushWord(s *sink) {
	// One multiply spreads the word hash; put's multiply does the rest.
	wh := (w.h ^ uint64(w.n)) * mulK
	digits, letters := w.kind&kindDigit != 0, w.kind&kindLetter != 0
	// The word's own features (unigram, bigram, shape or identifier), in
	// the order training has always seen them; then its n-grams.
	var fs [3]uint64
	fs[0] = seedWord ^ wh
	nf := 1
	if w.prevWord != 0 {
		fs[1] = seedBigram ^ bits.RotateLeft64(w.prevWord, 17) ^ wh
		nf = 2
	}
	w.prevWord = wh
	grams := false
	switch {
	case digits && w.n >= longTok:
		// Identifiers: the exact value is noise, the format is signal.
		fs[nf] = step(step(seedLong, uint64(w.runes[0])), uint64(w.n))
		nf++
	case digits:
		if w.n >= minShapeWord {
			fs[nf] = w.shape()
			nf++
		}
		grams = letters && w.n >= minNgramWord && w.n <= maxWord
	default:
		grams = w.n >= minNgramWord && w.n <= maxWord
	}
	w.emit(s, &fs, nf, grams)
	w.n, w.h, w.kind = 0, 0, 0
}

// shape hashes the class pattern of a word with digits: runs of digits
// (with their length, capped at 5), letters (length capped at 2) and
// separators, e.g. "79099-07-3" → 0:5 - 0:2 - 0:1.
func (w *wordState) shape() uint64 {
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
	return h
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

// emit feeds the word's first nf features fs and, if grams, its
// character n-grams of "^word$" to s. It is the hottest loop of scoring, so
// each rune is mixed once and an n-gram's hash is the xor of its runes'
// mixes rotated by position (cheap, and order-sensitive), and each
// feature's row is looked up and summed right here with the sink's lane
// sum in registers (sink.put spelled out). The loop is written for 3-grams
// only (the constant checks below fail to compile if the range changes).
func (w *wordState) emit(s *sink, fs *[3]uint64, nf int, grams bool) {
	const _, _ = uint(wordMinN-3) + uint(3-wordMinN), uint(wordMaxN-3) + uint(3-wordMaxN)
	x := &w.mixes
	n := 2 // ngrams run over x[2:n]; none unless grams
	if grams {
		x[0] = mixCaret
		n = min(w.n, maxWord) + 1
		x[n] = mixDollar
		n++
	}
	if s.collect {
		for _, h := range fs[:nf] {
			s.idx = append(s.idx, bucket(h, s.shift))
		}
		for i := 2; i < n; i++ {
			h := x[i-2] ^ bits.RotateLeft64(x[i-1], 21) ^ bits.RotateLeft64(x[i], 42) ^ ngramSeed[2]
			s.idx = append(s.idx, bucket(h, s.shift))
		}
		return
	}
	dir, lanes, shift := s.dir, s.lanes, s.shift
	sum, left := s.sum, s.left
	total := nf + n - 2
	if total > left {
		// Unpack early so that a word that fits in one lane sum (almost
		// all of them) is added without a check per row.
		s.sum, s.left = sum, left
		s.unpack(laneBatch - left)
		sum, left = 0, laneBatch
	}
	for _, h := range fs[:nf] {
		sum += row(dir, lanes, bucket(h, shift))
	}
	// p, q: the mixes of the two runes before the next 3-gram's last one.
	p, q := x[0], x[1]
	if total <= left {
		for _, c := range x[2:n] {
			h := p ^ bits.RotateLeft64(q, 21) ^ bits.RotateLeft64(c, 42) ^ ngramSeed[2]
			sum += row(dir, lanes, bucket(h, shift))
			p, q = q, c
		}
		s.sum, s.left = sum, left-total
		return
	}
	left -= nf
	for _, c := range x[2:n] {
		if left == 0 {
			s.sum = sum
			s.unpack(laneBatch)
			sum, left = 0, laneBatch
		}
		h := p ^ bits.RotateLeft64(q, 21) ^ bits.RotateLeft64(c, 42) ^ ngramSeed[2]
		sum += row(dir, lanes, bucket(h, shift))
		left--
		p, q = q, c
	}
	s.sum, s.left = sum, left
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

// hanRun feeds the features of the run of Han characters that starts with
// r, just decoded, and continues at text[i:]; it returns the index after
// the run. Each character gives the n-grams ending at it, hashed like word
// n-grams: the xor of the runes' mixes rotated by distance from it. Written
// for 1- and 2-grams (the check fails to compile otherwise), with the
// sink's lane sum in registers while scoring.
func hanRun(text string, i int, r rune, s *sink) int {
	const _ = uint(hanMaxN-2) + uint(2-hanMaxN)
	if s.collect {
		return hanRunCollect(text, i, r, s)
	}
	dir, lanes, shift := s.dir, s.lanes, s.shift
	sum, left := s.sum, s.left
	x := mixRune(r)
	if left == 0 {
		s.sum = sum
		s.unpack(laneBatch)
		sum, left = 0, laneBatch
	}
	sum += row(dir, lanes, bucket(x^seedHan, shift))
	left--
	// Each further character of the run gives its 1-gram and the 2-gram
	// with the one before.
	for i < len(text) && text[i] >= utf8.RuneSelf {
		r2, size := decodeRune(text, i)
		if runeClass(r2) != rcHan {
			break
		}
		i += size
		prev := x
		x = mixRune(r2)
		if left < 2 {
			s.sum = sum
			s.unpack(laneBatch - left)
			sum, left = 0, laneBatch
		}
		sum += row(dir, lanes, bucket(x^seedHan, shift)) +
			row(dir, lanes, bucket(x^bits.RotateLeft64(prev, 21)^hanSeed[1], shift))
		left -= 2
	}
	s.sum, s.left = sum, left
	return i
}

// hanRunCollect is hanRun for training: it records the buckets.
func hanRunCollect(text string, i int, r rune, s *sink) int {
	x := mixRune(r)
	s.put(x ^ seedHan)
	for i < len(text) && text[i] >= utf8.RuneSelf {
		r2, size := decodeRune(text, i)
		if runeClass(r2) != rcHan {
			break
		}
		i += size
		prev := x
		x = mixRune(r2)
		s.put(x ^ seedHan)
		s.put(x ^ bits.RotateLeft64(prev, 21) ^ hanSeed[1])
	}
	return i
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

// asciiTab covers every byte value so that the word loop's look-ahead
// needs no separate ASCII test: a byte ≥ 0x80 (a multi-byte rune's start)
// is asciiSymbol there and never read as a word byte.
var asciiTab = func() (t [256]asciiInfo) {
	for c := range utf8.RuneSelf {
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
					if i == len(text) || asciiTab[text[i]].class != asciiWord {
						break
					}
					e = &asciiTab[text[i]]
					i++
				}
				w.n, w.h, w.kind = n, h, kind
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
				s.put(step(seedSymbol, uint64(e.fold)))
			}
			continue
		}
		r, size := decodeRune(text, i)
		i += size
		switch runeClass(r) {
		case rcHan:
			w.flush(s)
			w.prevWord = 0
			i = hanRun(text, i, r, s)
		case rcWord:
			w.add(r, mixRune(r), kindLetter)
		case rcIgnore:
			w.flush(s)
		default:
			w.flush(s)
			s.put(step(seedSymbol, uint64(r)))
		}
	}
	w.flush(s)
	s.finish()
}
