package model

import (
	"strings"
	"testing"

	"vigil/detect/normalize"
)

// benchPosts are 120–150-byte posts in the languages the engine sees
// (Chinese, English, Spanish), already normalised.
var benchPosts = []string{
	"收美金现金，洛杉矶当面交易，国内支付宝微信秒到账，汇率好，量大可谈，需要的老板私聊我，电报 @usd_cny_fast",
	"we pick up cash in any city, count and pack it for you, same day transfer to your account in china. dm on telegram for rates",
	"vendo usdt por efectivo en los angeles, sin papeles ni kyc, entrega en persona, montos grandes, whatsapp +1 213 555 0142",
}

func benchModel(b *testing.B) *Model {
	b.Helper()
	train, _ := loadDev(b)
	m, err := Train(train, TrainOptions{Seed: DefaultSeed})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkScores scores the three posts in turn; ns/op is per post.
func BenchmarkScores(b *testing.B) {
	m := benchModel(b)
	out := make([]float64, len(Categories))
	n := 0
	for _, p := range benchPosts {
		n += len(p)
	}
	b.SetBytes(int64(n / len(benchPosts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out = m.Scores(benchPosts[i%len(benchPosts)], out)
	}
}

func BenchmarkScoresByLanguage(b *testing.B) {
	m := benchModel(b)
	out := make([]float64, len(Categories))
	for i, name := range []string{"zh", "en", "es"} {
		p := benchPosts[i]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(p)))
			for b.Loop() {
				out = m.Scores(p, out)
			}
		})
	}
}

// BenchmarkBaselineToLower is a machine-speed reference measured in the
// same run: strings.ToLower over the same posts.
func BenchmarkBaselineToLower(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		_ = strings.ToLower(benchPosts[i%len(benchPosts)])
	}
}

func BenchmarkTrain(b *testing.B) {
	train, _ := loadDev(b)
	for b.Loop() {
		if _, err := Train(train, TrainOptions{Seed: DefaultSeed}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoresDefault scores the normalised dev and quality sets with
// the shipped model, as the engine does; ns/op is per post. Unlike the
// three benchPosts, the many distinct posts touch the weight table the way
// a real stream does.
func BenchmarkScoresDefault(b *testing.B) {
	var texts []string
	n := 0
	for _, s := range readTexts(b, devSet) {
		s = normalize.Build(s).Text
		texts = append(texts, s)
		n += len(s)
	}
	m := Default()
	out := make([]float64, len(Categories))
	b.SetBytes(int64(n / len(texts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out = m.Scores(texts[i%len(texts)], out)
	}
}
