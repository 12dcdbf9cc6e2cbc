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

// dict is the compiled keyword dictionary. Lookup goes through small hashed filters first so
// that the common case (a word or rune that starts no keyword) costs one memory access. The
// word filter is kept small (2 KB) because the pre-scan runs between other passes of the
// engine that evict its tables from the first-level cache; of the rune flags (16 KB) Chinese
// text touches only the few cache lines of the common characters.
type dict struct {
	kws        []keyword
	wordBits   [wordSlots / 64]uint64   // Latin keywords, by wordSlot of their first word
	followBits [wordSlots / 64]uint64   // and by followSlot of their first word and what follows
	runeFlags  [1 << 16 * 2 / 64]uint64 // two bits per BMP rune: runeNumeral, runeKeyword
	pairBits   [wordSlots / 64]uint64   // keywords starting with a non-ASCII rune, by pairKey
	runeMaybe  [runeSlots / 64]uint64   // runes with flags (and '＠'), by runeSlot: a 512-byte filter
	firstLen   [1 << 10]uint16          // Latin keywords: first-word lengths, by firstSlot
	tabKeys    []uint32                 // open-addressing table: key → candidate list
	tabLists   [][]int32                // keyword indices, longest first
	tabMask    uint32
	listByKey  map[uint32][]int32 // used while building only
	// exactOnly marks the wordSlots that only case-sensitive keywords (LA, NYC) occupy, and
	// exactBits holds those keywords' first words unfolded, by wordSlot of rawWordKey: "la"
	// and "La" pass wordBits for LA, but fail here without reading the keyword list.
	exactOnly, exactBits [wordSlots / 64]uint64
	// twoByteQuiet: no rune of two UTF-8 bytes (accented Latin letters) has a flag, so the
	// pre-scan may pass over one without a look.
	twoByteQuiet bool
}

const (
	wordSlotBits = 14
	wordSlots    = 1 << wordSlotBits

	runeSlotBits = 12
	runeSlots    = 1 << runeSlotBits

	runeNumeral = 1 // a Chinese numeral digit or unit
	runeKeyword = 2 // the first rune of a keyword
)

// runeFlag returns the flags of a rune: 0 for the great majority, and for runes outside the
// BMP (no keyword starts there and no numeral is there).
func (d *dict) runeFlag(r rune) uint64 {
	if r >= 1<<16 {
		return 0
	}
	return d.runeFlags[r>>5] >> (uint(r) & 31 * 2) & 3
}

// pairKey hashes the first rune of a keyword and the rune after it (-1 when there is none;
// ASCII case-folded), to filter the probes for keywords that start with a non-ASCII rune: a
// Chinese character such as 新 or 长 starts a city name but mostly stands in other words.
func pairKey(r, r2 rune) uint32 {
	if 0 <= r2 && r2 < utf8.RuneSelf {
		r2 = rune(lowerASCII(byte(r2)))
	}
	return uint32((uint64(uint32(r))<<32 | uint64(uint32(r2))) * 0x9E3779B97F4A7C15 >> (64 - wordSlotBits))
}

// pairMayStart reports whether a keyword may start at t[i], where the rune r of the given
// size starts a keyword: either r alone is one, or some keyword starts with r and the rune
// that follows it in t.
func (d *dict) pairMayStart(t string, i int, r rune, size int) bool {
	if k := pairKey(r, -1); d.pairBits[k/64]&(1<<(k%64)) != 0 {
		return true
	}
	if i+size >= len(t) {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(t[i+size:])
	k := pairKey(r, r2)
	return d.pairBits[k/64]&(1<<(k%64)) != 0
}

func (d *dict) setRuneFlag(r rune, f uint64) {
	d.runeFlags[r>>5] |= f << (uint(r) & 31 * 2)
	d.setRuneMaybe(r)
}

// runeSlot hashes the three bytes of a rune's UTF-8 encoding, little-endian in v, for the
// runeMaybe filter: the pre-scan probes it without decoding the rune.
func runeSlot(v uint32) uint32 { return v * 0x9E3779B1 >> (32 - runeSlotBits) }

// setRuneMaybe enters r in the runeMaybe filter. Only three-byte runes are probed there:
// the others always take the full path.
func (d *dict) setRuneMaybe(r rune) {
	var b [4]byte
	if utf8.EncodeRune(b[:], r) != 3 {
		return
	}
	k := runeSlot(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16)
	d.runeMaybe[k/64] |= 1 << (k % 64)
}

// runeMayFlag3 reports whether the three-byte rune whose encoding is v (little-endian) may
// need a look: it has flags or is '＠'. The filter is small enough to stay in the first-level
// cache between posts, unlike runeFlags; most Chinese characters fail it and are passed over
// with this one probe.
func (d *dict) runeMayFlag3(v uint32) bool {
	k := runeSlot(v)
	return d.runeMaybe[k/64]&(1<<(k%64)) != 0
}

func (d *dict) wordBit(k uint32) bool { return d.wordBits[k/64]&(1<<(k%64)) != 0 }

func (d *dict) followBit(k uint32) bool { return d.followBits[k/64]&(1<<(k%64)) != 0 }

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
	var exactCand, folded [wordSlots / 64]uint64
	for i, k := range d.kws {
		key, isRune := dictKey(k.text)
		switch {
		case isRune:
			r := key &^ runeKeyFlag
			if r >= 1<<16 {
				continue // no keyword starts outside the BMP; skip rather than mis-index
			}
			d.setRuneFlag(rune(r), runeKeyword)
			_, size := utf8.DecodeRuneInString(k.text)
			r2 := rune(-1)
			if size < len(k.text) {
				r2, _ = utf8.DecodeRuneInString(k.text[size:])
			}
			pk := pairKey(rune(r), r2)
			d.pairBits[pk/64] |= 1 << (pk % 64)
		case wordByte(k.text[0]):
			key, n := wordKeyAt(k.text, 0)
			d.firstLen[firstSlot(k.text, 0, n)] |= 1 << min(n, 15)
			ws := wordSlot(key)
			d.wordBits[ws/64] |= 1 << (ws % 64)
			if k.exact {
				exactCand[ws/64] |= 1 << (ws % 64)
				rs := wordSlot(rawWordKey(k.text, 0, n))
				d.exactBits[rs/64] |= 1 << (rs % 64)
			} else {
				folded[ws/64] |= 1 << (ws % 64)
			}
			var b1, b2 byte
			if n < len(k.text) {
				b1 = k.text[n]
				if n+1 < len(k.text) {
					b2 = k.text[n+1]
				}
			}
			fs := followSlot(key, b1, b2)
			d.followBits[fs/64] |= 1 << (fs % 64)
		}
		d.listByKey[key] = append(d.listByKey[key], int32(i))
	}
	for k := range d.exactOnly {
		d.exactOnly[k] = exactCand[k] &^ folded[k]
	}
	for _, r := range hanNumerals {
		d.setRuneFlag(r, runeNumeral)
	}
	d.setRuneMaybe('＠')
	d.twoByteQuiet = true
	for r := rune(0x80); r < 0x800; r++ {
		if d.runeFlag(r) != 0 {
			d.twoByteQuiet = false
		}
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
