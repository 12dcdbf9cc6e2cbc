package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func corpusBytes(t *testing.T, seed uint64, target int64) (jsonl, text []byte, st CorpusStats) {
	t.Helper()
	var j, x bytes.Buffer
	st, err := WriteCorpus(seed, target, &j, &x)
	if err != nil {
		t.Fatal(err)
	}
	return j.Bytes(), x.Bytes(), st
}

func TestCorpusIsDeterministicPerSeed(t *testing.T) {
	a, at, _ := corpusBytes(t, 7, 300_000)
	b, bt, _ := corpusBytes(t, 7, 300_000)
	if sha256.Sum256(a) != sha256.Sum256(b) || !bytes.Equal(at, bt) {
		t.Fatal("the same seed gave two different corpora")
	}
	c, _, _ := corpusBytes(t, 8, 300_000)
	if bytes.Equal(a[:10_000], c[:10_000]) {
		t.Fatal("seeds 7 and 8 gave the same corpus")
	}
	// A smaller corpus is a prefix of a larger one with the same seed, so the
	// cached 60 MB corpus and a test's 300 kB one tell the same story.
	d, _, _ := corpusBytes(t, 7, 100_000)
	if !bytes.HasPrefix(a, d) {
		t.Fatal("a smaller corpus is not a prefix of a larger one")
	}
}

func TestCorpusShape(t *testing.T) {
	jsonl, text, st := corpusBytes(t, 1, 2_000_000)
	if st.TextBytes < 2_000_000 || st.TextBytes > 2_000_000+maxPostBytes {
		t.Fatalf("text bytes %d, want just over 2,000,000", st.TextBytes)
	}
	var posts []Post
	sc := bufio.NewScanner(bytes.NewReader(jsonl))
	for sc.Scan() {
		var p Post
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("line %d: %v", len(posts)+1, err)
		}
		posts = append(posts, p)
	}
	if len(posts) != st.Posts {
		t.Fatalf("%d lines, stats say %d posts", len(posts), st.Posts)
	}
	textLines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	if len(textLines) != len(posts) {
		t.Fatalf("text file has %d lines for %d posts", len(textLines), len(posts))
	}
	ids := map[string]bool{}
	distinct := map[string]bool{}
	var lens []int
	langs := map[string]int{}
	illicit, evaded := 0, 0
	for i, p := range posts {
		if p.Text == "" || !utf8.ValidString(p.Text) || strings.ContainsAny(p.Text, "\r\n{}") {
			t.Fatalf("post %s: bad text %q (empty, invalid UTF-8, line break or unexpanded slot)", p.ID, p.Text)
		}
		if len(p.Text) > maxPostBytes {
			t.Fatalf("post %s: %d bytes", p.ID, len(p.Text))
		}
		if textLines[i] != p.Text {
			t.Fatalf("text line %d differs from post %s", i+1, p.ID)
		}
		if ids[p.ID] {
			t.Fatalf("duplicate id %s", p.ID)
		}
		ids[p.ID] = true
		distinct[p.Text] = true
		lens = append(lens, len(p.Text))
		langs[p.Lang]++
		if p.Illicit {
			illicit++
		}
		if p.Evasion != "" {
			evaded++
			if !p.Illicit {
				t.Fatalf("benign post %s carries evasion %q", p.ID, p.Evasion)
			}
		}
	}
	slices.Sort(lens)
	if med := lens[len(lens)/2]; med < 60 || med > 120 {
		t.Errorf("median post length %d bytes, want 60..120", med)
	}
	if lens[len(lens)-1] < 300 {
		t.Errorf("longest post %d bytes, want a tail reaching ~400", lens[len(lens)-1])
	}
	n := float64(len(posts))
	want := map[string]float64{"zh-Hans": 0.345, "zh-Hant": 0.10, "es": 0.25, "en": 0.25, "mixed": 0.055}
	for l, share := range want {
		if got := float64(langs[l]) / n; got < share-0.03 || got > share+0.03 {
			t.Errorf("%s share %.3f, want %.3f ± 0.03", l, got, share)
		}
	}
	if got := float64(illicit) / n; got < 0.01 || got > 0.02 {
		t.Errorf("illicit share %.4f, want 1–2%%", got)
	}
	if evaded < illicit/3 || evaded > illicit*2/3 {
		t.Errorf("%d of %d illicit posts evaded, want about half", evaded, illicit)
	}
	if got := float64(len(distinct)) / n; got < 0.8 {
		t.Errorf("only %.0f%% of posts are distinct; caches would flatter the numbers", 100*got)
	}
}

func TestEvasionsDisguiseTheAd(t *testing.T) {
	g := NewGenerator(3)
	g.IllicitPerMille = 1000
	seen := map[string]int{}
	for i := 0; i < 2000; i++ {
		p := g.Next()
		if !p.Illicit {
			t.Fatal("IllicitPerMille=1000 produced a benign post")
		}
		ok := true
		switch p.Evasion {
		case "":
		case "fullwidth":
			ok = strings.ContainsFunc(p.Text, func(r rune) bool { return r >= '！' && r <= '～' })
		case "zero_width":
			ok = strings.ContainsRune(p.Text, '\u200b')
		case "homoglyph":
			ok = strings.ContainsFunc(p.Text, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) })
		case "spaced":
			ok = strings.Contains(p.Text, " ")
		case "leet":
			ok = strings.ContainsAny(p.Text, "013457")
		default:
			t.Fatalf("unknown evasion %q", p.Evasion)
		}
		if !ok {
			t.Errorf("post %s claims %s but shows none: %q", p.ID, p.Evasion, p.Text)
		}
		seen[p.Evasion]++
	}
	for _, e := range append(evasions, "") {
		if seen[e] < 50 {
			t.Errorf("evasion %q used %d times in 2000 ads", e, seen[e])
		}
	}
}

func TestEvasionHelpers(t *testing.T) {
	if got := fullwidth("USDT 50"); got != "ＵＳＤＴ ５０" {
		t.Errorf("fullwidth = %q", got)
	}
	if got := fullwidthDigits("a1 b2"); got != "a１ b２" {
		t.Errorf("fullwidthDigits = %q", got)
	}
	if got := zeroWidth("走账"); got != "走\u200b账" {
		t.Errorf("zeroWidth = %q", got)
	}
	if got := leet("Fentanil"); got != "F3n74n1l" {
		t.Errorf("leet = %q", got)
	}
	if got := spaced("cash"); got != "c a s h" {
		t.Errorf("spaced = %q", got)
	}
	if got := homoglyph("cope"); got == "cope" || len(got) <= len("cope") {
		t.Errorf("homoglyph = %q", got)
	}
	if got := clip("ab洗钱", 4); got != "ab" {
		t.Errorf("clip on a rune boundary = %q", got)
	}
}
