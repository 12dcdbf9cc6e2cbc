package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"vigil/store"
)

// buildVigil compiles the real binary once per test run.
var buildVigil = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "vigil-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "vigil")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func vigilBinary(t *testing.T) string {
	t.Helper()
	bin, err := buildVigil()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

var tokenRE = regexp.MustCompile(`vgl_[A-Za-z0-9_-]+`)

func createToken(t *testing.T, bin, data, scope string) string {
	t.Helper()
	out, err := exec.Command(bin, "token", "create", "--data", data, "--name", "crash-test", "--scope", scope).CombinedOutput()
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	tok := tokenRE.FindString(string(out))
	if tok == "" {
		t.Fatalf("no token in output:\n%s", out)
	}
	return tok
}

// server is a running `vigil serve` child process.
type server struct {
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

func startServer(t *testing.T, bin, data string) *server {
	t.Helper()
	return startServerArgs(t, bin, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "warn"})
}

// startServerArgs starts `vigil ARGS…` and waits until it prints its URL and
// answers /readyz.
func startServerArgs(t *testing.T, bin string, args []string) *server {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: logs}
	t.Cleanup(func() { s.kill() })
	lines := bufio.NewScanner(stdout)
	deadline := time.Now().Add(60 * time.Second)
	for lines.Scan() {
		if m := regexp.MustCompile(`running at (http://\S+?)/?$`).FindStringSubmatch(lines.Text()); m != nil {
			s.url = m[1]
			break
		}
		if time.Now().After(deadline) {
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if s.url == "" {
		s.kill()
		t.Fatalf("server did not print its URL; logs:\n%s", logs)
	}
	waitReady(t, s.url)
	return s
}

func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		_ = s.cmd.Wait()
	}
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s/readyz never answered 200", url)
}

func contentBatch(first, n int) []byte {
	var b bytes.Buffer
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, `{"id":"crash-%07d","author_id":"acct-%05d","surface":"channels","visibility":"public","text":"post number %d: selling my old bike, cash only","created_at":"2026-10-01T12:00:00Z"}`+"\n", i, i%500, i)
	}
	return b.Bytes()
}

func postBatch(client *http.Client, url, token string, body []byte) (int, error) {
	req, _ := http.NewRequest("POST", url+"/api/v1/content", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var res struct {
		Accepted, Duplicates, Rejected int
	}
	_ = json.NewDecoder(resp.Body).Decode(&res)
	if resp.StatusCode/100 == 2 && res.Rejected > 0 {
		return resp.StatusCode, fmt.Errorf("%d items rejected", res.Rejected)
	}
	return resp.StatusCode, nil
}

// TestKill9LosesNoAcknowledgedItem is the durability promise of the intake:
// every item whose batch got a 2xx answer is stored exactly once, even when
// the process is killed with SIGKILL while batches are in flight.
func TestKill9LosesNoAcknowledgedItem(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 end-to-end test skipped in -short mode")
	}
	bin := vigilBinary(t)
	data := t.TempDir()
	token := createToken(t, bin, data, "ingest")
	srv := startServer(t, bin, data)

	const total, batch, senders = 120_000, 500, 8
	nBatches := total / batch
	acked := make([]atomic.Bool, nBatches)
	var next atomic.Int64
	var ackedCount atomic.Int64
	client := &http.Client{Timeout: 30 * time.Second}
	send := func(url string, stopAfter int64) {
		var wg sync.WaitGroup
		for w := 0; w < senders; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(nBatches) || (stopAfter > 0 && ackedCount.Load() >= stopAfter) {
						return
					}
					code, err := postBatch(client, url, token, contentBatch(int(i)*batch, batch))
					if err == nil && code/100 == 2 {
						acked[i].Store(true)
						ackedCount.Add(1)
					}
				}
			}()
		}
		wg.Wait()
	}

	// Kill the server while senders are mid-flight, once some 40% is acknowledged.
	killed := make(chan struct{})
	go func() {
		for ackedCount.Load() < int64(nBatches)*2/5 {
			time.Sleep(5 * time.Millisecond)
		}
		_ = srv.cmd.Process.Signal(syscall.SIGKILL)
		close(killed)
	}()
	send(srv.url, 0)
	<-killed
	_ = srv.cmd.Wait()
	firstRun := ackedCount.Load()
	t.Logf("killed with %d of %d batches acknowledged (next batch %d)", firstRun, nBatches, next.Load())

	// Restart and send everything that was not acknowledged, plus a re-send of
	// some acknowledged batches (an at-least-once client), which must change
	// nothing.
	srv = startServer(t, bin, data)
	var retry []int
	for i := range acked {
		if !acked[i].Load() {
			retry = append(retry, i)
		}
	}
	for _, i := range retry {
		code, err := postBatch(client, srv.url, token, contentBatch(i*batch, batch))
		if err != nil || code/100 != 2 {
			t.Fatalf("after restart batch %d: status %d, %v", i, code, err)
		}
		acked[i].Store(true)
	}
	for i := 0; i < 4; i++ {
		if code, err := postBatch(client, srv.url, token, contentBatch(i*batch, batch)); err != nil || code/100 != 2 {
			t.Fatalf("re-send of batch %d: status %d, %v", i, code, err)
		}
	}

	// Wait until the consumer has stored everything, then stop the server
	// cleanly and read the database directly.
	want := int64(total)
	db, err := store.Open(context.Background(), store.SQLitePath(data))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(3 * time.Minute)
	var stored int64
	for time.Now().Before(deadline) {
		if err := db.QueryRow("SELECT COUNT(*) FROM content_items WHERE id LIKE 'crash-%'").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored >= want {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if stored != want {
		t.Fatalf("stored %d items, want exactly %d (every acknowledged item once)", stored, want)
	}
	var distinct int64
	db.QueryRow("SELECT COUNT(DISTINCT id) FROM content_items WHERE id LIKE 'crash-%'").Scan(&distinct)
	if distinct != stored {
		t.Fatalf("%d rows but %d distinct ids: some item was stored twice", stored, distinct)
	}
	// Each item was scanned exactly once per engine version.
	var verdicts int64
	deadline = time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		db.QueryRow("SELECT COUNT(*) FROM verdicts WHERE content_id LIKE 'crash-%'").Scan(&verdicts)
		if verdicts >= want {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if verdicts != want {
		t.Fatalf("%d verdicts for %d items", verdicts, want)
	}
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.cmd.Wait(); err != nil {
		t.Fatalf("graceful shutdown failed: %v\n%s", err, lastLines(srv.logs.String(), 20))
	}
	t.Logf("first run acknowledged %d batches; %d re-sent after restart; %d items stored once each", firstRun, len(retry), stored)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
