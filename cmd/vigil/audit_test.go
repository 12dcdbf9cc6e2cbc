package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"vigil/audit"
	"vigil/store"
)

// auditDataDir builds a data directory as `vigil serve` leaves it: the
// SQLite database with n audit entries and one checkpoint, and audit.key.
func auditDataDir(t *testing.T, n int) (string, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, store.SQLitePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := audit.LoadOrCreateKey(dir, "test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.New(store.NewAuditStore(db), keys, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < n; i++ {
		if _, err := l.Append(ctx, audit.Event{Actor: fmt.Sprintf("staff:%d", i), Action: "account.view", Records: []string{"account:1"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Publish(ctx); err != nil {
		t.Fatal(err)
	}
	return dir, db
}

// runCaptured runs the CLI and returns its exit code, stdout and stderr.
func runCaptured(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out bytes.Buffer
	root.SetOut(&out)
	defer root.SetOut(nil)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	errc := make(chan string)
	go func() { b, _ := io.ReadAll(r); errc <- string(b) }()
	code := run(args)
	os.Stderr = saved
	w.Close()
	return code, out.String(), <-errc
}

func TestAuditVerifyCLI(t *testing.T) {
	dir, db := auditDataDir(t, 40)
	code, out, errOut := runCaptured(t, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "tree size: 40\n") || !strings.Contains(out, "checkpoints checked: 1\n") || !strings.HasSuffix(out, "ok\n") {
		t.Fatalf("intact log: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	// `vigil audit checkpoint` publishes; verify then checks two (the second
	// is identical in size, so Publish returns the stored one: append first).
	l := reopen(t, dir, db)
	if _, err := l.Append(context.Background(), audit.Event{Actor: "a", Action: "x"}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	code, out, _ = runCaptured(t, "audit", "checkpoint", "--data", dir)
	if code != 0 || !strings.HasPrefix(out, "test.vigil/audit\n41\n") {
		t.Fatalf("checkpoint: exit %d, %q", code, out)
	}
	code, out, errOut = runCaptured(t, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "checkpoints checked: 2\n") {
		t.Fatalf("after checkpoint: exit %d\n%s\n%s", code, out, errOut)
	}

	// An insider rewrites who looked at entry 17.
	var leaf []byte
	if err := db.QueryRow("SELECT leaf FROM audit_entries WHERE idx = 17").Scan(&leaf); err != nil {
		t.Fatal(err)
	}
	leaf = bytes.Replace(leaf, []byte(`"staff:17"`), []byte(`"staff:99"`), 1)
	if _, err := db.Exec("UPDATE audit_entries SET leaf = ? WHERE idx = 17", leaf); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCaptured(t, "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "entry 17: altered") {
		t.Fatalf("tampered log: exit %d, stderr %q", code, errOut)
	}

	// A verifier with only the public key reaches the same verdict.
	keys, err := audit.LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCaptured(t, "audit", "verify", "--data", dir, "--public-key", keys.VerifierKey)
	if code != 1 || !strings.Contains(errOut, "entry 17: altered") {
		t.Fatalf("tampered log with --public-key: exit %d, stderr %q", code, errOut)
	}
	// The wrong key fails on the checkpoint signature.
	other, _ := audit.NewKeys("test.vigil/audit")
	code, _, errOut = runCaptured(t, "audit", "verify", "--data", dir, "--public-key", other.VerifierKey)
	if code != 1 || !strings.Contains(errOut, "checkpoint #1 does not verify") {
		t.Fatalf("wrong key: exit %d, stderr %q", code, errOut)
	}
}

func TestAuditVerifyCLIMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	if _, err := audit.LoadOrCreateKey(dir, ""); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCaptured(t, "audit", "verify", "--data", dir, "--public-key", "")
	if code != 2 || !strings.Contains(errOut, "no database at") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(store.SQLitePath(dir)); err == nil {
		t.Fatal("verify created a database")
	}
}

func reopen(t *testing.T, dir string, db *store.DB) *audit.Log {
	t.Helper()
	keys, err := audit.LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.New(store.NewAuditStore(db), keys, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return l
}
