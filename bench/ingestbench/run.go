package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// RunConfig is one load run against a running vigil serve.
type RunConfig struct {
	URL, Token, Corpus   string
	Label, Database      string
	RunID                string
	Items, Clients, Size int
	Seed                 uint64
	Timeout              time.Duration
}

// BatchResult is one POST's outcome as the client saw it.
type BatchResult struct {
	Latency                        time.Duration
	Status                         int
	Accepted, Duplicates, Rejected int
	Err                            string
}

// Point is one scrape during a run, at Elapsed since the first request.
type Point struct {
	Elapsed time.Duration
	Stored  int64 // items stored since the run started
	Lag     int64
}

// RunResult is what one run measured; `verify` adds the database counts.
type RunResult struct {
	Label, Database, RunID string
	Items, Clients, Size   int
	TextBytes, BodyBytes   int64

	Batches, FailedBatches         int
	Acked, Duplicates, Rejected    int64
	Errors                         []string `json:",omitempty"`
	HTTPSeconds                    float64  // first request sent to last answer read
	StoredSeconds, DrainedSeconds  float64  // first request to every acked item stored / queue empty
	SteadyStoredPerSec             float64  // stored rate between 10% and 90% of the acked items
	LatP50, LatP99, LatMax         float64  // milliseconds
	StoredMetric                   int64    // growth of vigil_ingest_content_stored_total
	StoredAtHTTPEnd                int64    // how many were stored when the last answer came
	PeakLag                        int64    // largest queue backlog seen
	ServerCPUSeconds, ServerRSSMax float64  // process CPU used during the run; peak RSS bytes
	MachineBusy                    float64  // share of all cores' time busy during the run (any process), 0..1
	DBCPUSeconds                   float64  // CPU of the local postgres processes during the run
	TimedOut                       bool     `json:",omitempty"`
	DB                             *DBCount `json:",omitempty"`
	Points                         []Point  `json:",omitempty"`
}

// AcceptedPerSec is the HTTP intake rate: acknowledged items over the time
// from the first request to the last answer.
func (r *RunResult) AcceptedPerSec() float64 {
	return Rate(r.Acked, time.Duration(r.HTTPSeconds*float64(time.Second)))
}

// StoredPerSec is the end-to-end rate: acknowledged items over the time
// from the first request until the last of them was stored.
func (r *RunResult) StoredPerSec() float64 {
	return Rate(r.Acked, time.Duration(r.StoredSeconds*float64(time.Second)))
}

// DrainedPerSec counts until the queue was empty: stored, scanned, verdict
// saved and the message acknowledged.
func (r *RunResult) DrainedPerSec() float64 {
	return Rate(r.Acked, time.Duration(r.DrainedSeconds*float64(time.Second)))
}

// ConsumerOnlyPerSec is the store's rate after the HTTP intake finished:
// the queue consumer alone working off the backlog, with nothing else of
// the run competing for the cores. 0 when it had nothing left to do.
func (r *RunResult) ConsumerOnlyPerSec() float64 {
	d := r.StoredSeconds - r.HTTPSeconds
	if d <= 0 || r.Acked <= r.StoredAtHTTPEnd {
		return 0
	}
	return Rate(r.Acked-r.StoredAtHTTPEnd, time.Duration(d*float64(time.Second)))
}

// SteadyRate is the stored rate between the moments the run's stored count
// first reached lo and hi of total (fractions), read off the scrape points;
// it leaves out the start (connections, JIT of caches) and the tail (the
// last batches draining). It returns 0 when the points do not span both.
func SteadyRate(points []Point, total int64, lo, hi float64) float64 {
	a, b := int64(float64(total)*lo), int64(float64(total)*hi)
	var ta, tb time.Duration
	var sa, sb int64 = -1, -1
	for _, p := range points {
		if sa < 0 && p.Stored >= a {
			ta, sa = p.Elapsed, p.Stored
		}
		if sb < 0 && p.Stored >= b {
			tb, sb = p.Elapsed, p.Stored
			break
		}
	}
	if sa < 0 || sb < 0 || tb <= ta {
		return 0
	}
	return Rate(sb-sa, tb-ta)
}

func newClient(conns int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// The default keeps 2 idle connections per host: with 8 clients the
	// others would reconnect for every batch.
	tr.MaxIdleConnsPerHost = conns + 2
	return &http.Client{Transport: tr, Timeout: 2 * time.Minute}
}

// post sends one body and decodes the ingest answer.
func post(ctx context.Context, c *http.Client, url, token, ctype string, body []byte) BatchResult {
	t0 := time.Now()
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return BatchResult{Err: err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", ctype)
	resp, err := c.Do(req)
	if err != nil {
		return BatchResult{Latency: time.Since(t0), Err: err.Error()}
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	res := BatchResult{Latency: time.Since(t0), Status: resp.StatusCode}
	if err != nil {
		res.Err = err.Error()
		return res
	}
	var ans struct {
		Accepted, Duplicates, Rejected int
	}
	if jerr := json.Unmarshal(raw, &ans); jerr != nil && resp.StatusCode/100 == 2 {
		res.Err = fmt.Sprintf("status %d with an unreadable answer: %v", resp.StatusCode, jerr)
		return res
	}
	res.Accepted, res.Duplicates, res.Rejected = ans.Accepted, ans.Duplicates, ans.Rejected
	if resp.StatusCode/100 != 2 {
		res.Err = fmt.Sprintf("status %d: %.200s", resp.StatusCode, bytes.TrimSpace(raw))
	}
	return res
}

// Run loads cfg.Items items into the server and waits until all acked
// items are stored and the queue is empty.
func Run(ctx context.Context, cfg RunConfig, logf func(string, ...any)) (*RunResult, error) {
	res := &RunResult{Label: cfg.Label, Database: cfg.Database, RunID: cfg.RunID, Items: cfg.Items,
		Clients: cfg.Clients, Size: cfg.Size}
	bodies, err := prepare(cfg, res)
	if err != nil {
		return nil, err
	}
	client := newClient(cfg.Clients)
	if r := post(ctx, client, cfg.URL+"/api/v1/groups", cfg.Token, "application/json", GroupsBody()); r.Err != "" {
		return nil, fmt.Errorf("register the bench groups: %s", r.Err)
	}
	s0, err := scrape(ctx, client, cfg.URL)
	if err != nil {
		return nil, err
	}
	if s0.lag != 0 {
		logf("warning: the queue already holds %v messages; rates will include them", s0.lag)
	}

	busy0, total0, cpuOK := MachineCPU()
	var db0 float64
	if cfg.Database == "postgres" {
		db0 = CommandCPU("postgres")
	}

	// Sampler: the stored count and backlog over time, every 200 ms.
	start := time.Now()
	var acked atomic.Int64
	var sendDone atomic.Bool
	var mu sync.Mutex
	var last sample
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	var storedAt, drainedAt time.Duration
	go func() {
		defer close(sampled)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
			}
			s, err := scrape(ctx, client, cfg.URL)
			if err != nil {
				continue // a slow scrape under load is not fatal; the next one counts
			}
			el := time.Since(start)
			stored := int64(s.stored - s0.stored)
			mu.Lock()
			last = s
			res.Points = append(res.Points, Point{Elapsed: el, Stored: stored, Lag: int64(s.lag)})
			res.PeakLag = max(res.PeakLag, int64(s.lag))
			res.ServerRSSMax = max(res.ServerRSSMax, s.rss)
			if sendDone.Load() && stored >= acked.Load() {
				if storedAt == 0 {
					storedAt = el
				}
				if s.lag == 0 && drainedAt == 0 {
					drainedAt = el
				}
			}
			done := drainedAt != 0
			mu.Unlock()
			if done {
				return
			}
		}
	}()

	results := make([]BatchResult, len(bodies))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < cfg.Clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(bodies) || ctx.Err() != nil {
					return
				}
				r := post(ctx, client, cfg.URL+"/api/v1/content", cfg.Token, "application/x-ndjson", bodies[k])
				if r.Err == "" {
					acked.Add(int64(r.Accepted))
				}
				results[k] = r
			}
		}()
	}
	wg.Wait()
	res.HTTPSeconds = time.Since(start).Seconds()
	if s, err := scrape(ctx, client, cfg.URL); err == nil {
		res.StoredAtHTTPEnd = int64(s.stored - s0.stored)
	}
	sendDone.Store(true)
	logf("%s: sent %d batches in %.1fs; waiting for the store", cfg.Label, len(bodies), res.HTTPSeconds)

	select {
	case <-sampled:
	case <-time.After(cfg.Timeout):
		res.TimedOut = true
		close(stopSampling)
		<-sampled
	case <-ctx.Done():
		close(stopSampling)
		<-sampled
		return nil, ctx.Err()
	}
	if busy1, total1, ok := MachineCPU(); ok && cpuOK && total1 > total0 {
		res.MachineBusy = (busy1 - busy0) / (total1 - total0)
	}
	if cfg.Database == "postgres" {
		res.DBCPUSeconds = CommandCPU("postgres") - db0
	}
	mu.Lock()
	res.StoredSeconds, res.DrainedSeconds = storedAt.Seconds(), drainedAt.Seconds()
	res.StoredMetric = int64(last.stored - s0.stored)
	res.ServerCPUSeconds = last.cpu - s0.cpu
	mu.Unlock()
	summarise(res, results)
	res.SteadyStoredPerSec = SteadyRate(res.Points, res.Acked, 0.1, 0.9)
	return res, nil
}

// prepare builds the run's NDJSON bodies and notes their sizes in res.
func prepare(cfg RunConfig, res *RunResult) ([][]byte, error) {
	texts, err := readTextsFile(cfg.Corpus)
	if err != nil {
		return nil, err
	}
	items := BuildItems(texts, cfg.RunID, cfg.Items, cfg.Seed, time.Now())
	bodies, err := EncodeBatches(items, cfg.Size)
	if err != nil {
		return nil, err
	}
	res.Batches = len(bodies)
	for i := range items {
		res.TextBytes += int64(len(items[i].Text))
	}
	for _, b := range bodies {
		res.BodyBytes += int64(len(b))
	}
	return bodies, nil
}

// summarise folds the batch outcomes into res.
func summarise(res *RunResult, results []BatchResult) {
	lats := make([]time.Duration, 0, len(results))
	for _, r := range results {
		lats = append(lats, r.Latency)
		if r.Err != "" || r.Status/100 != 2 {
			res.FailedBatches++
			if len(res.Errors) < 5 {
				res.Errors = append(res.Errors, r.Err)
			}
			continue
		}
		res.Acked += int64(r.Accepted)
		res.Duplicates += int64(r.Duplicates)
		res.Rejected += int64(r.Rejected)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	res.LatP50, res.LatP99, res.LatMax = ms(Percentile(lats, 50)), ms(Percentile(lats, 99)), ms(Percentile(lats, 100))
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readResult(path string) (*RunResult, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r RunResult
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if r.RunID == "" {
		return nil, errors.New(path + ": not an ingestbench result")
	}
	return &r, nil
}
