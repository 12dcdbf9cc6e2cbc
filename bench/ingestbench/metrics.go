package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Metric names read from the server's /metrics.
const (
	metricStored = "vigil_ingest_content_stored_total"
	metricLag    = "vigil_ingest_queue_lag"
	metricCPU    = "process_cpu_seconds_total"
	metricRSS    = "process_resident_memory_bytes"
)

// ParseMetrics reads the Prometheus text exposition format and returns the
// unlabelled samples whose names are in want (a labelled sample is summed
// into its name, which is what a counter vector's total is).
func ParseMetrics(r io.Reader, want ...string) (map[string]float64, error) {
	keep := map[string]bool{}
	for _, w := range want {
		keep[w] = true
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, rest := line, ""
		if i := strings.IndexAny(line, "{ "); i >= 0 {
			name, rest = line[:i], line[i:]
		}
		if !keep[name] {
			continue
		}
		if strings.HasPrefix(rest, "{") {
			j := strings.LastIndexByte(rest, '}')
			if j < 0 {
				return nil, fmt.Errorf("metrics: unterminated labels in %q", line)
			}
			rest = rest[j+1:]
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return nil, fmt.Errorf("metrics: no value in %q", line)
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics: %q: %v", line, err)
		}
		out[name] += v
	}
	return out, sc.Err()
}

// sample is one scrape of the server's counters.
type sample struct {
	stored, lag, cpu, rss float64
}

func scrape(ctx context.Context, c *http.Client, base string) (sample, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return sample{}, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return sample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return sample{}, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	m, err := ParseMetrics(resp.Body, metricStored, metricLag, metricCPU, metricRSS)
	if err != nil {
		return sample{}, err
	}
	if _, ok := m[metricStored]; !ok {
		return sample{}, fmt.Errorf("GET /metrics: no %s (is this a vigil serve with content intake?)", metricStored)
	}
	return sample{stored: m[metricStored], lag: m[metricLag], cpu: m[metricCPU], rss: m[metricRSS]}, nil
}
