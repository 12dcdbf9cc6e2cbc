package main

import (
	"bytes"
	"context"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"vigil/internal/testkit"
	"vigil/queue"
	"vigil/store"
)

// TestSplitRolesShareExternalNATSAndDatabase runs the scale-out shape: an
// external NATS JetStream server, one `--role api` process taking HTTP and one
// `--role worker` process consuming, sharing one database (PostgreSQL when
// available, else one SQLite file). Content sent to the API must be stored and
// scanned by the worker.
func TestSplitRolesShareExternalNATSAndDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test skipped in -short mode")
	}
	bin := vigilBinary(t)
	nats, err := queue.StartEmbeddedOn(t.TempDir(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer nats.Shutdown()

	data := t.TempDir()
	dsn := store.SQLitePath(data)
	dbFlag := []string{"--data", data}
	if ok, why := testkit.PostgresAvailable(); ok {
		dsn = testkit.PostgresURL(t)
		dbFlag = append(dbFlag, "--database-url", dsn)
	} else {
		t.Logf("PostgreSQL unavailable (%s): the two processes share one SQLite file", why)
	}
	out, err := exec.Command(bin, append([]string{"token", "create", "--name", "split", "--scope", "ingest"}, dbFlag...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	token := tokenRE.FindString(string(out))

	common := append([]string{"serve", "--nats-url", nats.ClientURL(), "--log-level", "warn"}, dbFlag...)
	var workerLogs bytes.Buffer
	worker := exec.Command(bin, append(common, "--role", "worker")...)
	worker.Stderr = &workerLogs
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = worker.Process.Signal(syscall.SIGKILL); _ = worker.Wait() }()

	api := startServerArgs(t, bin, append(common, "--role", "api", "--addr", "127.0.0.1:0"))
	const n = 5000
	for i := 0; i < n; i += 500 {
		if code, err := postBatch(httpClient, api.url, token, contentBatch(i, 500)); err != nil || code != 200 {
			t.Fatalf("batch %d: status %d, %v", i, code, err)
		}
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(90 * time.Second)
	var stored, scanned int64
	for time.Now().Before(deadline) {
		db.QueryRow("SELECT COUNT(*) FROM content_items WHERE id LIKE 'crash-%'").Scan(&stored)
		db.QueryRow("SELECT COUNT(*) FROM verdicts WHERE content_id LIKE 'crash-%'").Scan(&scanned)
		if stored == n && scanned == n {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if stored != n || scanned != n {
		t.Fatalf("worker stored %d and scanned %d of %d items; worker logs:\n%s", stored, scanned, n, lastLines(workerLogs.String(), 20))
	}
	// The API process alone must not consume: its logs show no consumer.
	if bytes.Contains(api.logs.Bytes(), []byte("ingest consumer started")) {
		t.Fatal("the --role api process started a queue consumer")
	}
	_ = worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Fatalf("worker did not stop cleanly on SIGTERM: %v\n%s", err, lastLines(workerLogs.String(), 20))
	}
}
