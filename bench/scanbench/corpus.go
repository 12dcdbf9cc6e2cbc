package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Post is one corpus line: the input shape of `vigil scan`. Illicit and
// Evasion are not read by vigil; they let tests and reports check the mix.
type Post struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Lang    string `json:"lang"`
	Illicit bool   `json:"illicit,omitempty"`
	Evasion string `json:"evasion,omitempty"`
}

// maxPostBytes caps a post's text; real posts in the dev set stay under ~400.
const maxPostBytes = 400

// langShare is the language mix, roughly the dev set's (zh-Hans 34%, zh-Hant
// 10%, es 25%, en 25%, mixed 5%), as cumulative per-mille thresholds.
var langShare = []struct {
	lang string
	upTo int
}{
	{"zh-Hans", 345}, {"zh-Hant", 445}, {"es", 695}, {"en", 945}, {"mixed", 1000},
}

// Generator writes a deterministic stream of posts for one seed.
type Generator struct {
	r *rand.Rand
	// IllicitPerMille is the share of illicit-looking ads (default 15 = 1.5%).
	IllicitPerMille int
	n               int
}

// NewGenerator returns a generator whose output depends only on seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), IllicitPerMille: 15}
}

// Next returns the next post.
func (g *Generator) Next() Post {
	g.n++
	p := Post{ID: fmt.Sprintf("bench-%08d", g.n), Lang: g.pickLang()}
	if g.r.IntN(1000) < g.IllicitPerMille {
		p.Illicit = true
		p.Text, p.Evasion = g.illicit(p.Lang)
	} else {
		p.Text = g.benign(p.Lang)
		if g.r.IntN(100) < 3 { // full-width digits are routine in Chinese typing
			p.Text = fullwidthDigits(p.Text)
		}
	}
	p.Text = clip(p.Text, maxPostBytes)
	return p
}

func (g *Generator) pickLang() string {
	x := g.r.IntN(1000)
	for _, l := range langShare {
		if x < l.upTo {
			return l.lang
		}
	}
	return "en"
}

// benign builds an everyday post of one to five sentences; most posts are
// short, a long tail reaches the cap.
func (g *Generator) benign(lang string) string {
	n := 1
	switch x := g.r.IntN(100); {
	case x < 40:
		n = 1
	case x < 75:
		n = 2
	case x < 92:
		n = 3
	default:
		n = 4 + g.r.IntN(3)
	}
	var b strings.Builder
	used := map[string]bool{} // no sentence template twice in one post
	for i := 0; i < n; i++ {
		l := lang
		if lang == "mixed" {
			l = []string{"zh-Hans", "en", "es", "zh-Hant"}[g.r.IntN(4)]
		}
		p := poolsFor(l)
		tmpl := p["benign"][g.r.IntN(len(p["benign"]))]
		for used[tmpl] {
			tmpl = p["benign"][g.r.IntN(len(p["benign"]))]
		}
		used[tmpl] = true
		s := g.expand(p, tmpl, 0)
		if i > 0 && needsSpace(l) {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	if g.r.IntN(100) < 18 {
		b.WriteString(g.expand(commonPools, " {tail}", 0))
	}
	return b.String()
}

// illicit builds an ad of one of the five categories, sometimes preceded
// by an everyday sentence, usually ending in a contact handoff. It returns
// the text and the evasion applied to the ad's key phrase ("" for none).
func (g *Generator) illicit(lang string) (string, string) {
	l := lang
	if lang == "mixed" {
		l = []string{"zh-Hans", "en"}[g.r.IntN(2)]
	}
	p := poolsFor(l)
	var b strings.Builder
	if g.r.IntN(100) < 15 {
		b.WriteString(g.expand(p, "{benign}", 0))
		if needsSpace(l) {
			b.WriteByte(' ')
		}
	}
	ad := g.expand(p, "{ad}", 0)
	evasion := ""
	if g.r.IntN(100) < 45 {
		// Most real ads are plain; a share disguises its key phrase.
		ad, evasion = g.evade(ad)
	}
	b.WriteString(ad)
	if g.r.IntN(100) < 75 {
		if needsSpace(l) {
			b.WriteByte(' ')
		}
		b.WriteString(g.expand(p, "{contact}", 0))
	}
	return b.String(), evasion
}

func needsSpace(lang string) bool { return lang == "en" || lang == "es" }

// expand replaces every {slot} in tmpl with a random choice from its pool
// (recursively) or a generated value.
func (g *Generator) expand(p pools, tmpl string, depth int) string {
	if depth > 8 || !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(g.slot(p, tmpl[i+1:i+j], depth))
		tmpl = tmpl[i+j+1:]
	}
}

func (g *Generator) slot(p pools, name string, depth int) string {
	if v, ok := g.generated(name); ok {
		return v
	}
	choices := p[name]
	if choices == nil {
		choices = commonPools[name]
	}
	if len(choices) == 0 {
		return name // a template typo shows up in the output and in tests
	}
	return g.expand(p, choices[g.r.IntN(len(choices))], depth+1)
}

// generated produces slot values that are numbers or identifiers, so that
// prices, times, phones and handles do not repeat across the corpus.
func (g *Generator) generated(name string) (string, bool) {
	r := g.r
	switch name {
	case "n":
		return strconv.Itoa(1 + r.IntN(12)), true
	case "nn":
		return strconv.Itoa(10 + r.IntN(90)), true
	case "year":
		return strconv.Itoa(1990 + r.IntN(36)), true
	case "hour":
		return strconv.Itoa(1 + r.IntN(12)), true
	case "clock":
		return fmt.Sprintf("%d:%02d", 7+r.IntN(15), 5*r.IntN(12)), true
	case "price":
		return fmt.Sprintf("%d.%02d", 1+r.IntN(300), r.IntN(100)), true
	case "big":
		return strconv.Itoa((1 + r.IntN(99)) * 10), true
	case "pct":
		return fmt.Sprintf("%d.%d", r.IntN(4), r.IntN(10)), true
	case "rate":
		return fmt.Sprintf("7.%02d", 5+r.IntN(30)), true
	case "phone_us":
		return fmt.Sprintf("+1 %d 555 %04d", 200+r.IntN(700), r.IntN(10000)), true
	case "phone_cn":
		return fmt.Sprintf("1%d%d %04d %04d", 3+r.IntN(6), r.IntN(10), r.IntN(10000), r.IntN(10000)), true
	case "phone_mx":
		return fmt.Sprintf("+52 %d %04d %04d", 33+r.IntN(60), r.IntN(10000), r.IntN(10000)), true
	case "handle":
		return g.handle(), true
	case "email":
		return g.handle() + "@" + []string{"mail.com", "proton.me", "gmail.com", "163.com", "qq.com", "outlook.es"}[r.IntN(6)], true
	case "wx":
		return fmt.Sprintf("%s%d", g.handle(), r.IntN(1000)), true
	}
	return "", false
}

func (g *Generator) handle() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	n := 4 + g.r.IntN(7)
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[g.r.IntN(len(letters))]
	}
	if g.r.IntN(2) == 0 {
		b = append(b, '_')
		b = strconv.AppendInt(b, int64(g.r.IntN(100)), 10)
	}
	return string(b)
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// CorpusStats summarises a written corpus.
type CorpusStats struct {
	Posts, TextBytes, Illicit, Evaded int
	Lang                              map[string]int
}

// WriteCorpus writes posts from seed until the texts total at least
// targetBytes: JSON Lines to jsonl and, when text is not nil, the bare
// texts one per line (the grep baseline's input).
func WriteCorpus(seed uint64, targetBytes int64, jsonl, text io.Writer) (CorpusStats, error) {
	st := CorpusStats{Lang: map[string]int{}}
	g := NewGenerator(seed)
	jw := bufio.NewWriterSize(jsonl, 1<<16)
	enc := json.NewEncoder(jw)
	enc.SetEscapeHTML(false)
	var tw *bufio.Writer
	if text != nil {
		tw = bufio.NewWriterSize(text, 1<<16)
	}
	for int64(st.TextBytes) < targetBytes {
		p := g.Next()
		if err := enc.Encode(p); err != nil {
			return st, err
		}
		if tw != nil {
			tw.WriteString(p.Text)
			if err := tw.WriteByte('\n'); err != nil {
				return st, err
			}
		}
		st.Posts++
		st.TextBytes += len(p.Text)
		st.Lang[p.Lang]++
		if p.Illicit {
			st.Illicit++
		}
		if p.Evasion != "" {
			st.Evaded++
		}
	}
	if err := jw.Flush(); err != nil {
		return st, err
	}
	if tw != nil {
		return st, tw.Flush()
	}
	return st, nil
}
