package indicator

import "strings"

func localByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func labelByte(c byte) bool { return isAlnum(c) || c == '-' }

// atMarkerAt recognises "@", a full-width "＠", "(at)", "[at]" and "{at}" at t[i:] and returns
// its end.
func atMarkerAt(t string, i int) (int, bool) {
	closer := byte(')')
	switch t[i] {
	case '@':
		return i + 1, true
	case 0xEF:
		if strings.HasPrefix(t[i:], "＠") {
			return i + len("＠"), true
		}
	case '[':
		closer = ']'
		fallthrough
	case '{':
		if t[i] == '{' {
			closer = '}'
		}
		fallthrough
	case '(':
		j := i + 1
		if j < len(t) && t[j] == ' ' {
			j++
		}
		if j+2 <= len(t) && lowerASCII(t[j]) == 'a' && lowerASCII(t[j+1]) == 't' {
			j += 2
			if j < len(t) && t[j] == ' ' {
				j++
			}
			if j < len(t) && t[j] == closer {
				return j + 1, true
			}
		}
	}
	return 0, false
}

// dotMarkerAt recognises "." and "(dot)"/"[dot]" inside a domain and returns its end.
func dotMarkerAt(t string, i int) (int, bool) {
	if t[i] == '.' {
		return i + 1, true
	}
	j := i
	if j < len(t) && t[j] == ' ' {
		j++ // "example (dot) com"
	}
	if j < len(t) && (t[j] == '(' || t[j] == '[') {
		j++
		if j+4 <= len(t) && strings.EqualFold(t[j:j+3], "dot") && (t[j+3] == ')' || t[j+3] == ']') {
			j += 4
			if j < len(t) && t[j] == ' ' {
				j++
			}
			return j, true
		}
	}
	return 0, false
}

// extractEmails finds local@domain after undoing (at)/[at], a full-width ＠ (folded by the
// normaliser) and spaces around the @. Addresses that break the syntax rules (bad top-level
// domain, doubled dots) are reported with Valid=false.
func (e *Extractor) extractEmails() {
	t := e.s.text
	words := e.s.hasDotWord
	for i := 0; i < len(t); i++ {
		ae, ok := atMarkerAt(t, i)
		wordAt := false
		if !ok && words && t[i] == ' ' && i+4 < len(t) && matchWord(t, i+1, "at") && t[i+3] == ' ' {
			ae, ok, wordAt = i+4, true, true // "name at example dot com"
		}
		if !ok {
			continue
		}
		// The local part ends at the marker, or one space before it ("name @ example.com").
		ls := i
		if ls > 0 && t[ls-1] == ' ' && !wordAt {
			ls--
		}
		lstart := ls
		for lstart > 0 && localByte(t[lstart-1]) {
			lstart--
		}
		for lstart < ls && (t[lstart] == '.' || t[lstart] == '-' || t[lstart] == '+') {
			lstart++
		}
		if lstart == ls {
			continue
		}
		ds := ae
		if ds < len(t) && t[ds] == ' ' {
			ds++
		}
		dend, domain, labels, wordDots := scanDomain(t, ds, words)
		if labels < 2 || !hasLetter(domain[strings.LastIndexByte(domain, '.')+1:]) {
			continue // "2 bags @ 3.50 each" is a price, not an address
		}
		if wordAt && wordDots == 0 {
			continue // "meet me at example.com" is prose; the spelled-out form needs "dot" too
		}
		local := t[lstart:ls]
		valid := emailValid(local, domain)
		detail := ""
		if !valid {
			detail = "malformed address"
		}
		if e.add(Email, lstart, dend, strings.ToLower(local)+"@"+strings.ToLower(domain), valid, detail) {
			i = dend - 1
		}
	}
}

// scanDomain reads dot-separated labels at t[i:], undoing (dot)/[dot], and returns the end,
// the domain with plain dots, and the number of labels.
func scanDomain(t string, i int, words bool) (end int, domain string, labels, wordDots int) {
	var b strings.Builder
	p := i
	end = i
	for p < len(t) && labelByte(t[p]) {
		q := p
		for q < len(t) && labelByte(t[q]) {
			q++
		}
		b.WriteString(t[p:q])
		labels++
		end = q
		if q >= len(t) {
			break
		}
		dotEnd, ok := dotMarkerAt(t, q)
		if !ok && words && q+5 < len(t) && t[q] == ' ' && matchWord(t, q+1, "dot") && t[q+4] == ' ' {
			dotEnd, ok = q+5, true
			wordDots++
		}
		if !ok || dotEnd >= len(t) || !labelByte(t[dotEnd]) {
			break
		}
		b.WriteByte('.')
		p = dotEnd
	}
	return end, b.String(), labels, wordDots
}

func emailValid(local, domain string) bool {
	if len(local) > 64 || len(domain) > 253 || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	parts := strings.Split(domain, ".")
	for _, l := range parts {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
	}
	tld := parts[len(parts)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isLetter(tld[i]) {
			return false
		}
	}
	return true
}

// readName reads [A-Za-z0-9_]+ at t[i:].
func readName(t string, i int) int {
	for i < len(t) && wordByte(t[i]) {
		i++
	}
	return i
}

// telegramValid applies Telegram's username rule: 5–32 of [A-Za-z0-9_], starting with a letter.
func telegramValid(name string) bool {
	return len(name) >= 5 && len(name) <= 32 && isLetter(name[0])
}

// continuesAsDomain reports "name.tld…" or "name@…", where the name is part of something else.
func continuesAsDomain(t string, i int) bool {
	return i < len(t) && (t[i] == '@' || t[i] == '.' && i+1 < len(t) && isAlnum(t[i+1]))
}

// extractTelegramLinks finds t.me/name links.
func (e *Extractor) extractTelegramLinks() {
	t := e.s.text
	for _, h := range e.s.hits {
		if h.kind&kwTMe == 0 || h.start > 0 && t[h.start-1] == '.' {
			continue
		}
		end := readName(t, h.end)
		name := t[h.end:end]
		if name == "" || strings.EqualFold(name, "joinchat") || continuesAsDomain(t, end) {
			continue
		}
		e.add(Telegram, h.start, end, strings.ToLower(name), telegramValid(name), "platform: telegram (t.me link)")
	}
}

// skipSep skips spaces and colons between a hand-off marker and its value. It reports whether
// a colon was seen.
func skipSep(t string, p, max int) (int, bool) {
	colon := false
	limit := p + max
	for p < len(t) && p < limit {
		switch {
		case t[p] == ' ' || t[p] == '-' || t[p] == '\t':
			p++
		case t[p] == ':':
			colon = true
			p++
		case strings.HasPrefix(t[p:], "："): // full-width colon, if the caller did not fold it
			colon = true
			p += len("：")
			limit += 2
		case strings.HasPrefix(t[p:], "\u3000"), strings.HasPrefix(t[p:], "号"), strings.HasPrefix(t[p:], "號"):
			p += 3 // ideographic space, or 号 as in 飞机号 / 微信号
			limit += 2
		default:
			return p, colon
		}
	}
	return p, colon
}

// extractMarkedHandles finds Telegram names and WeChat IDs after their hand-off markers, and
// @names after other named platforms.
func (e *Extractor) extractMarkedHandles() {
	for _, h := range e.s.hits {
		switch {
		case h.kind&kwTelegram != 0:
			e.markedName(h, Telegram)
		case h.kind&kwHandleOther != 0:
			e.markedName(h, Handle)
		case h.kind&(kwWeChat|kwWeChatWeak) != 0:
			e.wechatAfter(h)
		}
	}
}

func platformName(marker string) string {
	switch marker {
	case "加賴", "加赖":
		return "line"
	case "sig", "Sig", "SIG":
		return "signal"
	case "IG", "ig", "insta", "Insta":
		return "instagram"
	case "snap", "Snap":
		return "snapchat"
	}
	return marker
}

// markedName takes "@name" (or "name" after a colon) following a platform marker.
func (e *Extractor) markedName(h kwHit, typ Type) {
	t := e.s.text
	p, colon := skipSep(t, h.end, 4)
	if p >= len(t) {
		return
	}
	start := p
	if t[p] == '@' {
		p++
	} else if !colon || !isLetter(t[p]) {
		return // "Telegram channel" is prose, "TG: name" and "TG @name" are handles
	}
	end := readName(t, p)
	name := t[p:end]
	if name == "" || continuesAsDomain(t, end) {
		return
	}
	valid, detail := telegramValid(name), "platform: telegram"
	if typ == Handle {
		valid = handleValid(name)
		detail = "platform: " + strings.ToLower(platformName(t[h.start:h.end]))
	}
	e.add(typ, start, end, strings.ToLower(name), valid, detail)
}

func handleValid(name string) bool { return len(name) >= 2 && len(name) <= 32 && isLetter(name[0]) }

// wechatAfter takes a WeChat ID following a hand-off marker. IDs of the wrong length are
// reported as invalid; values starting with a digit are left to the phone extractor.
func (e *Extractor) wechatAfter(h kwHit) {
	t := e.s.text
	p, _ := skipSep(t, h.end, 3)
	if p >= len(t) || !isLetter(t[p]) {
		return
	}
	end := p
	for end < len(t) && (wordByte(t[end]) || t[end] == '-') {
		end++
	}
	for end > p && t[end-1] == '-' {
		end--
	}
	id := t[p:end]
	if len(id) < 4 || len(id) > 32 || continuesAsDomain(t, end) {
		return
	}
	if h.kind&kwWeChat == 0 && !e.chineseContext() && !strings.ContainsAny(id, "0123456789_-") {
		return // "Part V: Conclusion" is not a WeChat hand-off
	}
	valid := len(id) >= 6 && len(id) <= 20
	detail := "marker: " + t[h.start:h.end]
	if !valid {
		detail += "; WeChat IDs have 6–20 characters"
	}
	e.add(WeChatID, p, end, strings.ToLower(id), valid, detail)
}

// extractBareHandles classifies @names with no platform named: Telegram in Chinese posts,
// where it is the usual hand-off, otherwise a handle of unknown platform.
func (e *Extractor) extractBareHandles() {
	t := e.s.text
	chinese := e.chineseContext()
	for i := 0; i < len(t); i++ {
		if t[i] != '@' || i > 0 && (wordByte(t[i-1]) || t[i-1] == '.') {
			continue
		}
		end := readName(t, i+1)
		name := t[i+1 : end]
		if len(name) < 2 || !isLetter(name[0]) || continuesAsDomain(t, end) {
			continue
		}
		if chinese {
			e.add(Telegram, i, end, strings.ToLower(name), telegramValid(name), "platform assumed from script")
		} else {
			e.add(Handle, i, end, strings.ToLower(name), handleValid(name), "platform: unknown")
		}
		i = end - 1
	}
}

// extractCities reports the city names found by the pre-scan.
func (e *Extractor) extractCities() {
	for _, h := range e.s.hits {
		if h.kind&kwCity == 0 {
			continue
		}
		c := &cities[h.city]
		e.add(City, h.start, h.end, c.name+", "+c.country, true, "")
	}
}
