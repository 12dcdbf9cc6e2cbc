package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"vigil/detect"
)

// benchPosts is a 4 MB slice of the benchmark corpus (seed 1), generated
// once per test binary: enough variety that caches do not flatter the
// numbers, small enough to generate in a fraction of a second.
var benchPosts = sync.OnceValue(func() []detect.Post {
	var buf bytes.Buffer
	if _, err := WriteCorpus(1, 4_000_000, &buf, nil); err != nil {
		panic(err)
	}
	var posts []detect.Post
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var p detect.Post
		if err := json.Unmarshal(line, &p); err != nil {
			panic(err)
		}
		posts = append(posts, p)
	}
	return posts
})

// runPosts calls f on one post per iteration; MB/s is over post text bytes.
func runPosts(b *testing.B, posts []detect.Post, f func(*detect.Post)) {
	total := 0
	for _, p := range posts {
		total += len(p.Text)
	}
	b.SetBytes(int64(total / len(posts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f(&posts[i%len(posts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// BenchmarkScanCorpus is the whole engine (detect.Default().Scan) on the
// mixed-language benchmark corpus; run it with GOMAXPROCS=1 (-cpu 1) and
// -cpuprofile to see where the time goes.
func BenchmarkScanCorpus(b *testing.B) {
	e, err := detect.Default()
	if err != nil {
		b.Fatal(err)
	}
	runPosts(b, benchPosts(), func(p *detect.Post) { e.Scan(*p) })
}

// BenchmarkRegexpBaseline is the Go regexp alternation of the same literal
// set on the same posts (lower-cased outside the timed loop).
func BenchmarkRegexpBaseline(b *testing.B) {
	e, err := detect.Default()
	if err != nil {
		b.Fatal(err)
	}
	re, err := alternation(e.Pack().Literals())
	if err != nil {
		b.Fatal(err)
	}
	posts := append([]detect.Post(nil), benchPosts()...)
	for i := range posts {
		posts[i].Text = strings.ToLower(posts[i].Text)
	}
	runPosts(b, posts, func(p *detect.Post) { re.FindAllStringIndex(p.Text, -1) })
}
