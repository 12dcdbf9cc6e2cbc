package main

import (
	"strings"
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentileNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted input
		ds = append(ds, ms(i))
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, ms(50)}, {99, ms(99)}, {100, ms(100)}, {1, ms(1)}, {0.1, ms(1)}} {
		if got := Percentile(ds, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if ds[0] != ms(100) {
		t.Fatal("Percentile must not reorder its input")
	}
	if got := Percentile([]time.Duration{ms(7), ms(3)}, 99); got != ms(7) {
		t.Errorf("p99 of two = %v, want the larger", got)
	}
	if Percentile(nil, 99) != 0 {
		t.Error("no values: 0")
	}
}

func TestRateAndLost(t *testing.T) {
	if got := Rate(30_000, 1500*time.Millisecond); got != 20_000 {
		t.Errorf("rate %v", got)
	}
	if Rate(5, 0) != 0 {
		t.Error("no time: rate 0, not Inf")
	}
	if Lost(100, 98) != 2 || Lost(100, 100) != 0 || Lost(100, 103) != 0 {
		t.Error("lost counts only acked items without a row")
	}
}

func TestSteadyRateSkipsStartAndTail(t *testing.T) {
	// Slow first second, 10,000/s in the middle, slow tail.
	pts := []Point{
		{ms(1000), 500, 0},
		{ms(2000), 10_500, 0},
		{ms(3000), 20_500, 0},
		{ms(4000), 30_500, 0},
		{ms(9000), 31_000, 0},
	}
	got := SteadyRate(pts, 31_000, 0.1, 0.9)
	// 10% = 3,100 first reached at 2 s (10,500), 90% = 27,900 at 4 s (30,500).
	if got != 10_000 {
		t.Fatalf("steady rate %v, want 10000", got)
	}
	if SteadyRate(pts[:2], 31_000, 0.1, 0.9) != 0 {
		t.Fatal("points that never reach 90% give no steady rate")
	}
}

func TestParseMetrics(t *testing.T) {
	in := `# HELP vigil_ingest_content_stored_total Content items newly written.
# TYPE vigil_ingest_content_stored_total counter
vigil_ingest_content_stored_total 1.2345e+06
vigil_ingest_queue_lag 17
vigil_ingest_items_total{kind="content",outcome="accepted"} 10
vigil_ingest_items_total{kind="content",outcome="rejected"} 2
vigil_ingest_items_total_other 99
process_cpu_seconds_total 12.5
http_request_duration_seconds_bucket{le="+Inf",route="/x {y}"} 4
`
	m, err := ParseMetrics(strings.NewReader(in), metricStored, metricLag, metricCPU, "vigil_ingest_items_total", "absent")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{metricStored: 1_234_500, metricLag: 17, metricCPU: 12.5, "vigil_ingest_items_total": 12}
	if len(m) != len(want) {
		t.Fatalf("got %v, want %v", m, want)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	if _, err := ParseMetrics(strings.NewReader("vigil_ingest_queue_lag nope\n"), metricLag); err == nil {
		t.Error("a bad value must be an error")
	}
}

func TestRedactHidesThePassword(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://vigil:s3cret@db:5432/v": "postgres://vigil:xxxxx@db:5432/v",
		"postgres://vigil@db/v":             "postgres://vigil@db/v",
		"bench/out/vigil.db":                "bench/out/vigil.db",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
