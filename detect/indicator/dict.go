package indicator

import "unicode/utf8"

// kwKind is a bit set: one keyword can carry several meanings (for example "WA" is both a
// WhatsApp marker and a phone context, 点位 both a rate and a commission context).
type kwKind uint16

const (
	kwCity        kwKind = 1 << iota
	kwWeChat             // a strong WeChat hand-off marker (加V, 微信, …)
	kwWeChatWeak         // a Latin marker that collides with ordinary text (V:, vx, wx)
	kwTelegram           // TG, Telegram, 飞机, …
	kwTMe                // t.me/ link prefix
	kwWhatsApp           // WhatsApp, WA
	kwPhoneCtx           // tel, 电话, call, …
	kwCardCtx            // 卡号, card, tarjeta, …
	kwRate               // 汇率, rate, tipo de cambio, …
	kwRateAn             // 按 (as in 按7.2算)
	kwCommission         // 手续费, fee, comisión, keep, …
	kwCASCtx             // "CAS"
	kwOrderCtx           // 订单号, order, pedido, … (digits after it are not phones or cards)
	kwHandleOther        // another messenger named before an @name (Signal, IG, …)
	kwDotWord            // "dot", for e-mails written as name at example dot com
)

// keyword is one entry of the dictionary matched by the pre-scan.
type keyword struct {
	text  string
	kind  kwKind
	city  int16 // index into cities when kind has kwCity
	exact bool  // match case-sensitively (short upper-case abbreviations such as LA, NYC)
}

// kwHit is one keyword occurrence in the text.
type kwHit struct {
	kind       kwKind
	city       int16
	start, end int
}

// dict is the compiled keyword dictionary. Lookup goes through a bit set first so that the
// common case (a word that starts no keyword) costs one memory access.
type dict struct {
	kws        []keyword
	latinBits  [1 << 16 / 64]uint64 // Latin keywords, keyed by latinKey of their first three bytes
	runeBits   [1 << 16 / 64]uint64 // runes the pre-scan must look at: keyword starts and numerals
	kwRuneBits [1 << 16 / 64]uint64 // keywords starting with a non-ASCII rune (BMP only)
	tabKeys    []uint32             // open-addressing table: key → candidate list
	tabLists   [][]int32            // keyword indices, longest first
	tabMask    uint32
	listByKey  map[uint32][]int32 // used while building only
}

func hash3(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 2654435761 >> 16
}

// latinKey hashes the first three bytes of a Latin word for the pre-filter. The third byte
// counts only when it continues the word; otherwise it is 0, so a two-letter keyword such as
// "TG" (which must end at a word boundary) and a text "TG @x" get the same key.
func latinKey(a, b, c byte) uint32 {
	a, b = lowerASCII(a), lowerASCII(b)
	if wordByte(c) {
		c = lowerASCII(c)
	} else {
		c = 0
	}
	return hash3(a, b, c)
}

func setBit(bits *[1 << 16 / 64]uint64, k uint32) { bits[(k&0xffff)/64] |= 1 << (k % 64) }

func hasBit(bits *[1 << 16 / 64]uint64, k uint32) bool { return bits[(k&0xffff)/64]&(1<<(k%64)) != 0 }

// lookup returns the candidate keywords for a key.
func (d *dict) lookup(key uint32) []int32 {
	for h := (key * 2654435761) >> 7 & d.tabMask; ; h = (h + 1) & d.tabMask {
		switch d.tabKeys[h] {
		case key:
			return d.tabLists[h]
		case 0:
			return nil
		}
	}
}

var kwDict = buildDict()

const runeKeyFlag = 1 << 24

// dictKey returns the lookup key for a keyword or text starting at s, and whether the key is a
// rune key.
func dictKey(s string) (uint32, bool) {
	if s[0] < utf8.RuneSelf {
		var b1 byte
		if len(s) > 1 {
			b1 = lowerASCII(s[1])
		}
		return uint32(lowerASCII(s[0]))<<8 | uint32(b1), false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return runeKeyFlag | uint32(r), true
}

func buildDict() *dict {
	d := &dict{listByKey: map[uint32][]int32{}}
	index := map[string]int{} // folded text → position in kws, to merge kinds
	addKw := func(k keyword) {
		fold := k.text
		if !k.exact {
			b := []byte(k.text)
			for i := range b {
				b[i] = lowerASCII(b[i])
			}
			fold = string(b)
		}
		if k.exact {
			fold = "=" + fold
		}
		if i, ok := index[fold]; ok {
			d.kws[i].kind |= k.kind
			if k.kind&kwCity != 0 {
				d.kws[i].city = k.city
			}
			return
		}
		index[fold] = len(d.kws)
		d.kws = append(d.kws, k)
	}
	for _, m := range markers {
		for _, t := range m.texts {
			addKw(keyword{text: t, kind: m.kind})
		}
	}
	for ci, c := range cities {
		for _, a := range c.aliases {
			exact := false
			if a[0] == '=' {
				exact, a = true, a[1:]
			}
			addKw(keyword{text: a, kind: kwCity, city: int16(ci), exact: exact})
		}
	}
	for i, k := range d.kws {
		key, isRune := dictKey(k.text)
		switch {
		case isRune:
			r := key &^ runeKeyFlag
			if r >= 1<<16 {
				continue // no keyword starts outside the BMP; skip rather than mis-index
			}
			setBit(&d.kwRuneBits, r)
			setBit(&d.runeBits, r)
		case len(k.text) == 2 && !wordByte(k.text[1]):
			// "V:" may be followed by anything: mark every possible third byte.
			setBit(&d.latinBits, latinKey(k.text[0], k.text[1], 0))
			for c := 0; c < 256; c++ {
				if wordByte(byte(c)) {
					setBit(&d.latinBits, latinKey(k.text[0], k.text[1], byte(c)))
				}
			}
		case len(k.text) == 2:
			setBit(&d.latinBits, latinKey(k.text[0], k.text[1], 0))
		default:
			setBit(&d.latinBits, latinKey(k.text[0], k.text[1], k.text[2]))
		}
		d.listByKey[key] = append(d.listByKey[key], int32(i))
	}
	for _, r := range "零〇一二两兩三四五六七八九十百千万萬亿億" {
		setBit(&d.runeBits, uint32(r))
	}
	size := uint32(64)
	for size < uint32(4*len(d.listByKey)) {
		size *= 2
	}
	d.tabKeys, d.tabLists, d.tabMask = make([]uint32, size), make([][]int32, size), size-1
	for key, list := range d.listByKey {
		// Longest first, so that 微信号 wins over 微信 and 微.
		for a := 1; a < len(list); a++ {
			for b := a; b > 0 && len(d.kws[list[b]].text) > len(d.kws[list[b-1]].text); b-- {
				list[b], list[b-1] = list[b-1], list[b]
			}
		}
		h := (key * 2654435761) >> 7 & d.tabMask
		for d.tabKeys[h] != 0 {
			h = (h + 1) & d.tabMask
		}
		d.tabKeys[h], d.tabLists[h] = key, list
	}
	d.listByKey = nil
	return d
}

// matchAt returns the longest keyword starting at text[i:], or -1.
func (d *dict) matchAt(text string, i int, key uint32) (kwIdx int, end int) {
	for _, ki := range d.lookup(key) {
		k := &d.kws[ki]
		n := len(k.text)
		if i+n > len(text) {
			continue
		}
		ok := true
		for j := 0; j < n; j++ {
			a, b := k.text[j], text[i+j]
			if a != b && (k.exact || lowerASCII(a) != lowerASCII(b)) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		last := k.text[n-1]
		if wordByte(last) && i+n < len(text) && wordByte(text[i+n]) {
			continue // "TG" must not match inside "TGxyz", nor "Phoenix" inside "Phoenixville"
		}
		return int(ki), i + n
	}
	return -1, 0
}
