package model

import (
	"bufio"
	"encoding/json"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"vigil/detect/normalize"
)

// This file holds a deliberately plain re-implementation of feature
// extraction and scoring, written from the feature definitions in
// features.go rather than from its optimised code: text is first cut into
// tokens, then each token's features are hashed from scratch and every
// bucket's weights are read from the dense row table. Scores must agree
// with it bit for bit, so an optimisation that changes any feature, any
// bucket or the order of the floating-point steps is caught.

// refTokKind is the kind of a reference token.
type refTokKind int

const (
	refWord   refTokKind = iota // a word (letters, digits, kept separators)
	refHan                      // one Han character
	refSymbol                   // a non-ignorable symbol
	refBreak                    // an ignorable rune: ends a word, breaks a Han run
)

type refTok struct {
	kind  refTokKind
	runes []rune // all runes of a word; the single rune otherwise
}

// refTokens cuts text into tokens. ASCII capitals are folded; invalid
// UTF-8 decodes to U+FFFD one byte at a time.
func refTokens(text string) []refTok {
	var rs []rune
	var next []byte // the byte after each rune (0 at the end), for the digit look-ahead
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		i += size
		rs = append(rs, r)
		if i < len(text) {
			next = append(next, text[i])
		} else {
			next = append(next, 0)
		}
	}
	var toks []refTok
	var word []rune
	endWord := func() {
		if len(word) > 0 {
			toks = append(toks, refTok{kind: refWord, runes: word})
			word = nil
		}
	}
	for j, r := range rs {
		switch {
		case refWordRune(r):
			word = append(word, r)
		case (r == '-' || r == '.' || r == ',') && len(word) > 0 && len(word) < maxWord &&
			refIsDigit(word[len(word)-1]) && refIsDigit(rune(next[j])):
			word = append(word, r)
		default:
			endWord()
			switch {
			case isHan(r):
				toks = append(toks, refTok{kind: refHan, runes: []rune{r}})
			case ignorable(r):
				toks = append(toks, refTok{kind: refBreak, runes: []rune{r}})
			default:
				toks = append(toks, refTok{kind: refSymbol, runes: []rune{r}})
			}
		}
	}
	endWord()
	return toks
}

func refIsDigit(r rune) bool { return r >= '0' && r <= '9' }

func refWordRune(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || refIsDigit(r)
	}
	return wordRune(r)
}

func refMix(r rune) uint64 {
	h := (uint64(r) + seedChar) * mulK
	return h ^ h>>29
}

// refFeatures returns the feature hashes of text, in emission order.
func refFeatures(text string) []uint64 {
	var fs []uint64
	var prevWord uint64 // 0: no previous word in the chain
	var prevHan []rune  // the Han run so far
	for _, t := range refTokens(text) {
		if t.kind != refHan {
			prevHan = nil
		}
		switch t.kind {
		case refHan:
			prevWord = 0
			r := t.runes[0]
			fs = append(fs, refMix(r)^seedHan)
			if len(prevHan) > 0 {
				fs = append(fs, refMix(r)^bits.RotateLeft64(refMix(prevHan[len(prevHan)-1]), 21)^hanSeed[1])
			}
			prevHan = append(prevHan, r)
		case refSymbol:
			fs = append(fs, step(seedSymbol, uint64(t.runes[0])))
		case refWord:
			fs = append(fs, refWordFeatures(t.runes, &prevWord)...)
		}
	}
	return fs
}

func refWordFeatures(w []rune, prevWord *uint64) []uint64 {
	var fs []uint64
	var h uint64
	digits, letters := false, false
	for _, r := range w {
		h = bits.RotateLeft64(h, 7) ^ refMix(r)
		if refIsDigit(r) {
			digits = true
		} else if r != '-' && r != '.' && r != ',' {
			letters = true
		}
	}
	n := len(w)
	wh := (h ^ uint64(n)) * mulK
	fs = append(fs, seedWord^wh)
	if *prevWord != 0 {
		fs = append(fs, seedBigram^bits.RotateLeft64(*prevWord, 17)^wh)
	}
	*prevWord = wh
	ngrams := n >= minNgramWord && n <= maxWord
	switch {
	case digits && n >= longTok:
		fs = append(fs, step(step(seedLong, uint64(w[0])), uint64(n)))
	case digits:
		if n >= minShapeWord {
			fs = append(fs, refShape(w[:min(n, maxWord)]))
		}
		if letters && ngrams {
			fs = append(fs, refTrigrams(w)...)
		}
	case ngrams:
		fs = append(fs, refTrigrams(w)...)
	}
	return fs
}

func refShape(w []rune) uint64 {
	cls := func(r rune) uint64 {
		switch {
		case refIsDigit(r):
			return '0'
		case r == '-' || r == '.' || r == ',':
			return uint64(r)
		}
		return 'a'
	}
	h := uint64(seedShape)
	for i := 0; i < len(w); {
		j := i
		for j < len(w) && cls(w[j]) == cls(w[i]) {
			j++
		}
		l := j - i
		switch cls(w[i]) {
		case 'a':
			l = min(l, 2)
		case '0':
			l = min(l, 5)
		}
		h = step(step(h, cls(w[i])), uint64(l))
		i = j
	}
	return h
}

// refTrigrams: character 3-grams of "^word$", each the xor of its runes'
// mixes rotated by 21 bits per position.
func refTrigrams(w []rune) []uint64 {
	s := append(append([]rune{'^'}, w...), '$')
	var fs []uint64
	for i := 0; i+3 <= len(s); i++ {
		h := refMix(s[i]) ^ bits.RotateLeft64(refMix(s[i+1]), 21) ^ bits.RotateLeft64(refMix(s[i+2]), 42)
		fs = append(fs, h^ngramSeed[2])
	}
	return fs
}

// refScores scores text the plain way: every feature's bucket read from
// the dense rows, integer sums, then the same float steps as Scores.
func refScores(m *Model, text string) []float64 {
	out := make([]float64, numCat)
	if m == nil || len(m.rows) == 0 {
		return out
	}
	var acc [numCat]int32
	fs := refFeatures(text)
	for _, h := range fs {
		row := m.rows[(h*mulB)>>(64-m.bucketsLog2)]
		for c := range numCat {
			acc[c] += int32(int8(row >> (8 * c)))
		}
	}
	inv := 0.0
	if len(fs) > 0 {
		inv = 1 / math.Sqrt(float64(len(fs)))
	}
	for c := range numCat {
		p := &m.cat[c]
		z := float64(p.bias) + float64(p.scale)*float64(acc[c])*inv
		out[c] = sigmoid(float64(p.calA)*z + float64(p.calB))
	}
	return out
}

// checkAgainstReference fails t when m.Scores(text) differs from
// refScores in any bit.
func checkAgainstReference(t testing.TB, m *Model, text string, out []float64) []float64 {
	t.Helper()
	want := refScores(m, text)
	out = m.Scores(text, out)
	for c := range numCat {
		if math.Float64bits(out[c]) != math.Float64bits(want[c]) {
			t.Fatalf("%s on %q: Scores %v (%#x), reference %v (%#x)",
				Categories[c], text, out[c], math.Float64bits(out[c]), want[c], math.Float64bits(want[c]))
		}
	}
	return out
}

// readTexts returns the "text" field of every line of a JSONL file, or
// skips the test when the file is absent.
func readTexts(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("%s absent", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var row struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		texts = append(texts, row.Text)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return texts
}

// referenceTexts are the dev and quality sets, each post raw, normalised
// (what the engine scores) and upper-cased, plus edge cases.
func referenceTexts(t *testing.T) []string {
	texts := []string{
		"", " ", "a", "A-1", "12-34-5", "12-", "-12", "1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2",
		"0x52908400098527886e0f7030069857d2e4169ee7", "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
		strings.Repeat("x", maxWord-1), strings.Repeat("x", maxWord), strings.Repeat("x", maxWord+1),
		strings.Repeat("1", maxWord) + "-2", "汉", "汉字字汉 字", "ab汉cd", "word 汉 word2 word3",
		"\xff\xfe\x00 12-34-5 ^$ " + string(rune(0x10ffff)), "café naïve ١٢٣ ｕｓｄｔ", "💰💰 @me #tag $5",
		"a\u200db\ufe0fc", "ÀÉÎ ĀĒĪ", "m30 M30 4-ap 4-AP",
	}
	texts = append(texts, benchPosts...)
	// Posts that cross the sink's lane-sum batches (laneBatch rows) at
	// every offset, after each kind of feature (Han pair, symbol, word,
	// shape, n-grams), many batches in.
	for k := range 12 * laneBatch {
		han := strings.Repeat("汉字", k/2) + strings.Repeat("汉", k%2)
		texts = append(texts,
			han+"💰@# word 12-34 usdt "+strings.Repeat("$", k%5),
			strings.Repeat("@", k)+"汉字字 transfer",
			strings.Repeat("ab ", k)+"汉字 "+strings.Repeat("x", k%30))
	}
	sets := []string{devSet}
	quality, _ := filepath.Glob("../testdata/quality/*.jsonl")
	sets = append(sets, quality...)
	for _, p := range sets {
		for _, s := range readTexts(t, p) {
			texts = append(texts, s, normalize.Build(s).Text, strings.ToUpper(s))
		}
	}
	return texts
}

// TestScoresMatchReference compares Scores with refScores bit for bit on
// the dev and quality sets, for the shipped model and for a small model
// trained here (other bucket count, other weights).
func TestScoresMatchReference(t *testing.T) {
	texts := referenceTexts(t)
	small := mustTrain(t, synthetic(), TrainOptions{Buckets: 1 << 10, Epochs: 3})
	for _, m := range []*Model{Default(), small, {}} {
		var out []float64
		for _, s := range texts {
			out = checkAgainstReference(t, m, s, out)
		}
	}
	t.Logf("%d texts agree", len(texts))
}

// TestReferenceFeatureCount guards the reference itself: it must see
// exactly the features training collects.
func TestReferenceFeatureCount(t *testing.T) {
	for _, s := range referenceTexts(t)[:2000] {
		k := sink{shift: 64 - 20, collect: true}
		extract(s, &k)
		fs := refFeatures(s)
		if len(fs) != len(k.idx) {
			t.Fatalf("%q: reference has %d features, extract %d", s, len(fs), len(k.idx))
		}
		for i, h := range fs {
			if b := uint32((h * mulB) >> (64 - 20)); b != k.idx[i] {
				t.Fatalf("%q: feature %d in bucket %d, extract says %d", s, i, b, k.idx[i])
			}
		}
	}
}

// FuzzScoresMatchReference: on any text Scores agrees with refScores bit
// for bit.
func FuzzScoresMatchReference(f *testing.F) {
	for _, s := range benchPosts {
		f.Add(s)
	}
	f.Add("\xff\xfe\x00 12-34-5 ^$ " + string(rune(0x10ffff)))
	f.Add("汉字字汉 word 1,000.50 usdt-trc20 " + strings.Repeat("y", 30))
	m := Default()
	f.Fuzz(func(t *testing.T, s string) {
		checkAgainstReference(t, m, s, nil)
	})
}

// TestDecodeRune checks the inline three-byte path against the library on
// every three-byte prefix class, valid or not.
func TestDecodeRune(t *testing.T) {
	for c0 := 0xc0; c0 <= 0xff; c0++ {
		for _, c1 := range []byte{0x00, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff} {
			for _, c2 := range []byte{0x41, 0x80, 0xbf, 0xc0} {
				for _, tail := range []string{"", "\x80", "x"} {
					s := "a" + string([]byte{byte(c0), c1, c2}) + tail
					r, n := decodeRune(s, 1)
					wr, wn := utf8.DecodeRuneInString(s[1:])
					if r != wr || n != wn {
						t.Fatalf("%q: decodeRune %U/%d, utf8 %U/%d", s, r, n, wr, wn)
					}
				}
			}
		}
	}
	for r := rune(0x80); r <= utf8.MaxRune; r++ {
		s := string(r)
		if got, n := decodeRune(s, 0); got != r && utf8.ValidRune(r) || n != len(s) {
			t.Fatalf("%U: decodeRune %U/%d", r, got, n)
		}
	}
}

// TestTableMatchesRows checks the compact table against the dense rows for
// every bucket of the shipped model and of a small one.
func TestTableMatchesRows(t *testing.T) {
	small := mustTrain(t, synthetic(), TrainOptions{Buckets: 1 << 10, Epochs: 3})
	for _, m := range []*Model{Default(), small} {
		for i, row := range m.rows {
			got := m.tab.lanes[m.tab.slot(uint32(i))]
			if got != toLanes(row) {
				t.Fatalf("bucket %d: table %#x, rows %#x", i, got, toLanes(row))
			}
			if (row == 0) != (m.tab.slot(uint32(i)) == 0) {
				t.Fatalf("bucket %d: zero row %v, slot %d", i, row == 0, m.tab.slot(uint32(i)))
			}
		}
	}
	// laneBatch extreme rows sum without a lane spilling into the next.
	for _, w := range []int8{127, -128} {
		row := pack([numCat]int8{w, -w - 1, w, -w - 1, w})
		var sum uint64
		for range laneBatch {
			sum += toLanes(row)
		}
		for c := range numCat {
			got := int(sum>>(laneBits*c)&laneMask) - laneBatch*laneBias
			if want := laneBatch * int(weight(row, c)); got != want {
				t.Fatalf("weight %d: lane %d sums to %d, want %d", w, c, got, want)
			}
		}
	}
}

// TestLaneBatchesExtremeWeights scores with a model whose every bucket
// holds extreme weights, so a lane sum that took one row too many before
// unpacking would spill into the next category and change a score; the
// texts cross the lane batches at every offset, after every kind of
// feature.
func TestLaneBatchesExtremeWeights(t *testing.T) {
	const log2 = 10
	rows := make([]uint64, 1<<log2)
	for i := range rows {
		w := int8(127)
		if i%3 == 1 {
			w = -128
		}
		rows[i] = pack([numCat]int8{w, -w - 1, w, w, -w - 1})
	}
	m := &Model{bucketsLog2: log2, rows: rows, tab: newTable(rows)}
	for c := range m.cat {
		// Small enough that no sum saturates the sigmoid.
		m.cat[c] = catParams{scale: 1e-4 * float32(c+1), bias: 0.25, calA: 1, calB: -0.5}
	}
	texts := []string{"", "a", strings.Repeat("x", maxWord), strings.Repeat("汉", 40)}
	for k := range 3 * laneBatch {
		texts = append(texts,
			strings.Repeat("汉字", k/2)+strings.Repeat("汉", k%2)+" word 12-34 "+strings.Repeat("$", k%5),
			strings.Repeat("@", k)+"汉字字 transfer "+strings.Repeat("y", k%(maxWord+3)),
			strings.Repeat("ab ", k)+"汉字 "+strings.Repeat("x", k%30)+" 0x"+strings.Repeat("f", k),
			strings.Repeat("z", k%(maxWord+1))+" "+strings.Repeat("q1 ", k)+strings.Repeat("汉", k))
	}
	var out []float64
	for _, s := range texts {
		out = checkAgainstReference(t, m, s, out)
	}
}

// TestRuneClass checks extract's rune classification against the
// predicates on every rune and on the replacement for invalid UTF-8.
func TestRuneClass(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune+1; r++ {
		if got, want := runeClass(r), slowClass(r); got != want {
			t.Fatalf("%U: runeClass %d, predicates %d", r, got, want)
		}
	}
}
