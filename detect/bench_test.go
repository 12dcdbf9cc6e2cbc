package detect

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

const devSet = "../../shared/datasets/dev/labelled.jsonl"

// loadDev returns the dev set rows, skipping the test when it is absent.
func loadDev(tb testing.TB) []Labelled {
	tb.Helper()
	f, err := os.Open(devSet)
	if err != nil {
		tb.Skipf("dev set not available at %s: %v", devSet, err)
	}
	defer f.Close()
	var rows []Labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatal(err)
		}
		rows = append(rows, l)
	}
	return rows
}

// BenchmarkScan measures the whole pipeline (normalisation, indicators,
// automaton, model, verdict) per post over the dev set's texts; MB/s is over
// the original text bytes.
func BenchmarkScan(b *testing.B) {
	rows := loadDev(b)
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	benchScan(b, e, rows)
}

// BenchmarkScanRulesOnly is BenchmarkScan without the model.
func BenchmarkScanRulesOnly(b *testing.B) {
	rows := loadDev(b)
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	benchScan(b, New(e.Pack(), nil, Options{}), rows)
}

func benchScan(b *testing.B, e *Engine, rows []Labelled) {
	total := 0
	for _, r := range rows {
		total += len(r.Text)
	}
	b.SetBytes(int64(total / len(rows)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := &rows[i%len(rows)]
		_ = e.Scan(Post{ID: r.ID, Text: r.Text, Lang: r.Lang})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}
