package normalize

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// benchPosts is a mixed zh/es/en corpus with a realistic share of evasion,
// built here so the benchmark needs no files.
var benchPosts = []string{
	"专业换汇，美金换人民币，当面交易，汇率优惠，量大从优，洛杉矶、纽约、芝加哥都可以上门收现金。",
	"換匯對敲，美國交現金，國內到賬，額度不限，誠信經營多年，歡迎新老客戶諮詢。",
	"Cambio de dólares a yuanes, entrega inmediata en Los Ángeles y Santa Ana, sin papeles, pregunta por Chen.",
	"Fast money transfers to China, no ID, no questions, rate beats the banks. Text +1 (646) 555-0119 today.",
	"Garage sale this Saturday: furniture, books and a bike, cash only, everything must go by noon.",
	"Vendo U\u0405D\u0422 por efectivo, Los Ángeles y Santa Ana, sin papeles, WhatsApp +1 323 555 0112",
	"ＵＳＤＴ出金 ＯＴＣ，无ＫＹＣ，美国各大城市可交现，电话 ６２６－５５５－０１０４",
	"f\u200be\u200bn\u200bt\u200ba\u200bn\u200bi\u200bl\u200bo en polvo, pureza alta, envío discreto a Arizona y California",
	"今日汇率：美元兑人民币中间价7.1左右，比上周略升，准备换汇的朋友可以关注一下银行公告。",
	"The pharmacy will be closed on Monday for inventory. Prescriptions can be picked up on Tuesday after 9am.",
	"U S D T cash out, big tickets welcome, Houston area, m1rr0r tr4des, hmu on sig",
	"La receta de hoy: sopa de verduras con pollo, lista en 30 minutos, ideal para los días de frío.",
}

func benchCorpus() (string, []string) {
	var sb strings.Builder
	for sb.Len() < 1<<16 {
		for _, p := range benchPosts {
			sb.WriteString(p)
			sb.WriteByte('\n')
		}
	}
	return sb.String(), benchPosts
}

// BenchmarkBuild measures the main view over individual posts with a reused
// Builder (the hot path), reporting MB/s and posts/s.
func BenchmarkBuild(b *testing.B) {
	_, posts := benchCorpus()
	n := 0
	for _, p := range posts {
		n += len(p)
	}
	bld := NewBuilder()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		for _, p := range posts {
			bld.Build(p)
		}
	}
	reportCPU(b, c0, n, len(posts))
}

// reportCPU adds throughput per CPU-second (run with -cpu 1 so that equals
// one core), which stays meaningful when other processes share the machine.
func reportCPU(b *testing.B, c0 time.Duration, bytesPerOp, postsPerOp int) {
	cpu := (cpuTime() - c0).Seconds()
	if cpu <= 0 {
		return
	}
	b.ReportMetric(float64(b.N*bytesPerOp)/cpu/1e6, "cpuMB/s")
	b.ReportMetric(float64(b.N*postsPerOp)/cpu, "cpuposts/s")
}

// BenchmarkBuildFunc is the allocating package-level Build.
func BenchmarkBuildFunc(b *testing.B) {
	_, posts := benchCorpus()
	n := 0
	for _, p := range posts {
		n += len(p)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range posts {
			Build(p)
		}
	}
}

// BenchmarkViews builds main, cased and leet views together.
func BenchmarkViews(b *testing.B) {
	_, posts := benchCorpus()
	n := 0
	for _, p := range posts {
		n += len(p)
	}
	bld := NewBuilder()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		for _, p := range posts {
			bld.Views(p)
		}
	}
	reportCPU(b, c0, n, len(posts))
}

// BenchmarkBuildLarge is one 64 KiB document.
func BenchmarkBuildLarge(b *testing.B) {
	doc, _ := benchCorpus()
	bld := NewBuilder()
	b.SetBytes(int64(len(doc)))
	c0 := cpuTime()
	for b.Loop() {
		bld.Build(doc)
	}
	reportCPU(b, c0, len(doc), 0)
}

// BenchmarkBuildDevSet runs the main view over the 450 posts of the dev set,
// the closest thing to real traffic we have (about a sixth use evasion).
func BenchmarkBuildDevSet(b *testing.B) {
	rows := loadDevB(b)
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	bld := NewBuilder()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		for _, r := range rows {
			bld.Build(r)
		}
	}
	reportCPU(b, c0, n, len(rows))
}

// BenchmarkViewsDevSet builds all three views of every dev-set post.
func BenchmarkViewsDevSet(b *testing.B) {
	rows := loadDevB(b)
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	bld := NewBuilder()
	b.SetBytes(int64(n))
	c0 := cpuTime()
	for b.Loop() {
		for _, r := range rows {
			bld.Views(r)
		}
	}
	reportCPU(b, c0, n, len(rows))
}

func loadDevB(b *testing.B) []string {
	data, err := os.ReadFile(devDir + "labelled.jsonl")
	if err != nil {
		b.Skipf("dev set not available: %v", err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r struct{ Text string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			b.Fatal(err)
		}
		out = append(out, r.Text)
	}
	return out
}

// BenchmarkBuildPaths splits the corpus by the path Build takes: the
// one-pass path for common text and the full pipeline for evasion.
func BenchmarkBuildPaths(b *testing.B) {
	var d, g []string
	var bb Builder
	var v View
	for _, p := range benchPosts {
		if bb.direct(p, &v, modeLower) {
			d = append(d, p)
		} else {
			g = append(g, p)
		}
	}
	for name, set := range map[string][]string{"direct": d, "general": g} {
		b.Run(name, func(b *testing.B) {
			n := 0
			for _, p := range set {
				n += len(p)
			}
			b.SetBytes(int64(n))
			c0 := cpuTime()
			for b.Loop() {
				for _, p := range set {
					bb.Build(p)
				}
			}
			reportCPU(b, c0, n, len(set))
		})
	}
}
