package indicator

import (
	"runtime"
	"testing"
)

// runPosts runs fn over every post b.N times and reports wall and thread-CPU ns per post.
func runPosts(b *testing.B, texts, langs []string, fn func(text, lang string)) {
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, ok := threadCPU()
	for i := 0; i < b.N; i++ {
		for k, s := range texts {
			fn(s, langs[k])
		}
	}
	cpu1, _ := threadCPU()
	b.StopTimer()
	posts := float64(b.N * len(texts))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/posts, "ns/post")
	if ok {
		b.ReportMetric(float64(cpu1-cpu0)/posts, "cpu-ns/post")
	}
}

func benchTexts(b *testing.B, filter func(devRow) bool) ([]string, []string, int) {
	rows := readJSONL[devRow](b, devDir+"/labelled.jsonl")
	var texts, langs []string
	n := 0
	for _, r := range rows {
		if filter != nil && !filter(r) {
			continue
		}
		s := plainView(r.Text)
		texts = append(texts, s)
		langs = append(langs, r.Lang)
		n += len(s)
	}
	return texts, langs, n
}

// BenchmarkExtract runs the whole dev set (450 posts, NFKC view) per iteration, with the
// phone cache emptied before every post, so every phone number is parsed as if first seen.
func BenchmarkExtract(b *testing.B) {
	texts, langs, _ := benchTexts(b, nil)
	ex := NewExtractor()
	runPosts(b, texts, langs, func(s, lang string) {
		clear(ex.phoneCache)
		ex.Extract(s, Options{Lang: lang})
	})
}

// BenchmarkExtractWarm is BenchmarkExtract with the phone cache kept: the steady state when
// the same numbers recur, as they do across a network's posts.
func BenchmarkExtractWarm(b *testing.B) {
	texts, langs, _ := benchTexts(b, nil)
	ex := NewExtractor()
	runPosts(b, texts, langs, func(s, lang string) { ex.Extract(s, Options{Lang: lang}) })
}

// BenchmarkExtractNoIndicator runs the dev posts that yield no indicator at all.
func BenchmarkExtractNoIndicator(b *testing.B) {
	ex := NewExtractor()
	texts, langs, _ := benchTexts(b, func(r devRow) bool {
		return len(ex.Extract(plainView(r.Text), Options{Lang: r.Lang})) == 0
	})
	runPosts(b, texts, langs, func(s, lang string) { ex.Extract(s, Options{Lang: lang}) })
}

// BenchmarkExtractPlain measures posts with no digits, '@' or markers.
func BenchmarkExtractPlain(b *testing.B) {
	texts := []string{
		"Anyone know a good dim sum place near the office? Looking for somewhere quiet for lunch.",
		"今天天气很好，我们去公园散步，晚上一起吃饭吧，记得带伞，听说明天会下雨。",
		"¿Alguien sabe dónde venden tamales buenos cerca del centro? Los de la esquina cerraron.",
	}
	ex := NewExtractor()
	runPosts(b, texts, make([]string, len(texts)), func(s, lang string) { ex.Extract(s, Options{Lang: lang}) })
}

// BenchmarkExtractPooled measures the package-level Extract (pool and result copy).
func BenchmarkExtractPooled(b *testing.B) {
	texts, langs, _ := benchTexts(b, nil)
	runPosts(b, texts, langs, func(s, lang string) { Extract(s, Options{Lang: lang}) })
}

// BenchmarkExtractPhoneCold measures one post with one phone number, parsed afresh each time:
// the price of libphonenumber.
func BenchmarkExtractPhoneCold(b *testing.B) {
	ex := NewExtractor()
	texts := []string{"Recogemos efectivo, Chicago / NYC, WA +1 312 555 0165", "电话 ３２３－５５５－０１２７"}
	for k := range texts {
		texts[k] = plainView(texts[k])
	}
	runPosts(b, texts, []string{"es", "zh-Hans"}, func(s, lang string) {
		clear(ex.phoneCache)
		ex.Extract(s, Options{Lang: lang})
	})
}
