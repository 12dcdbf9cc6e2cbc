package indicator

import (
	"bufio"
	"fmt"
	"os"
	"testing"

	"vigil/detect/normalize"
)

// The bench corpus is large and lives outside the repository, so the tests below run only when
// VIGIL_INDICATOR_CORPUS names a JSONL file of posts (for example /tmp/c200k.jsonl).
const corpusEnv = "VIGIL_INDICATOR_CORPUS"

// corpusViews returns the cased views of the corpus posts, as the engine passes them to Extract.
func corpusViews(tb testing.TB) (texts, raws, langs []string) {
	path := os.Getenv(corpusEnv)
	if path == "" {
		tb.Skipf("%s not set", corpusEnv)
	}
	type post struct {
		Text string `json:"text"`
		Lang string `json:"lang"`
	}
	b := normalize.NewBuilder()
	for _, p := range readJSONL[post](tb, path) {
		texts = append(texts, b.BuildCased(p.Text).Text)
		raws = append(raws, p.Text)
		langs = append(langs, p.Lang)
	}
	return texts, raws, langs
}

// BenchmarkExtractCorpus runs Extract over the cased views of the bench corpus, the way the
// engine calls it (one Extractor, warm phone cache).
func BenchmarkExtractCorpus(b *testing.B) {
	texts, _, langs := corpusViews(b)
	ex := NewExtractor()
	runPosts(b, texts, langs, func(s, lang string) { ex.Extract(s, Options{Lang: lang}) })
}

// BenchmarkExtractPipeline measures Extract where the engine calls it: right after the
// normaliser has written the cased view, so the text is in cache. "views" builds the views
// only; the difference to "views+extract" is the cost of Extract. (BenchmarkExtractCorpus
// reads 23 MB of texts prepared beforehand, which adds cache misses the engine does not have.)
func BenchmarkExtractPipeline(b *testing.B) {
	path := os.Getenv(corpusEnv)
	if path == "" {
		b.Skipf("%s not set", corpusEnv)
	}
	type post struct {
		Text string `json:"text"`
		Lang string `json:"lang"`
	}
	posts := readJSONL[post](b, path)
	texts, langs := make([]string, len(posts)), make([]string, len(posts))
	for k, p := range posts {
		texts[k], langs[k] = p.Text, p.Lang
	}
	nb := normalize.NewBuilder()
	b.Run("views", func(b *testing.B) {
		runPosts(b, texts, langs, func(s, lang string) { nb.BuildCased(s) })
	})
	ex := NewExtractor()
	b.Run("views+extract", func(b *testing.B) {
		runPosts(b, texts, langs, func(s, lang string) { ex.Extract(nb.BuildCased(s).Text, Options{Lang: lang}) })
	})
}

// TestCorpusDump writes every indicator Extract finds in the corpus to the file named by
// VIGIL_INDICATOR_DUMP, so that two versions of the package can be compared byte for byte.
func TestCorpusDump(t *testing.T) {
	out := os.Getenv("VIGIL_INDICATOR_DUMP")
	if out == "" {
		t.Skip("VIGIL_INDICATOR_DUMP not set")
	}
	texts, raws, langs := corpusViews(t)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	ex := NewExtractor()
	// Besides the engine's view and language, the raw text and other languages reach the
	// paths that depend on script, language and unfolded characters.
	for k, s := range texts {
		for v, text := range []string{s, raws[k]} {
			for _, lang := range []string{langs[k], "", "zh-Hans", "es"} {
				for _, g := range ex.Extract(text, Options{Lang: lang}) {
					fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%d\t%d\t%q\t%q\t%v\t%q\n", k, v, lang, g.Type, g.Start, g.End, g.Value, g.Normalized, g.Valid, g.Detail)
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
