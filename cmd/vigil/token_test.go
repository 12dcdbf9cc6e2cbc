package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"vigil/errs"
	"vigil/internal/testkit"
	"vigil/store"
)

// runTokenCLI runs the binary's root command with args and returns its stdout,
// stderr and exit code. Flag values are reset first: cobra keeps them
// between executions of the same command tree.
func runTokenCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var reset func(c *cobra.Command)
	reset = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				_ = sv.Replace(nil)
			} else {
				_ = f.Value.Set(f.DefValue)
			}
			f.Changed = false
		})
		for _, sub := range c.Commands() {
			reset(sub)
		}
	}
	reset(root)
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	defer root.SetOut(nil)
	defer root.SetErr(nil)
	code := run(args)
	return out.String(), errOut.String(), code
}

func TestTokenCreateListRevoke(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := runTokenCLI(t, "token", "create", "--name", "feed-moments", "--scope", "ingest,audit", "--data", dir)
	if code != 0 {
		t.Fatalf("create exited %d: %s", code, errOut)
	}
	raw := strings.TrimSpace(out)
	if !strings.HasPrefix(raw, "vgl_") || strings.Count(out, "\n") != 1 || !strings.Contains(errOut, "shown only once") {
		t.Fatalf("create printed %q / %q", out, errOut)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.SQLitePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ts := store.NewTokens(db, nil)
	tok, err := ts.Verify(ctx, raw)
	if err != nil || tok.Name != "feed-moments" || strings.Join(tok.Scopes, ",") != "audit,ingest" {
		t.Fatalf("printed token does not verify: %+v %v", tok, err)
	}

	out, _, code = runTokenCLI(t, "token", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, tok.ID) || !strings.Contains(out, "active") || strings.Contains(out, raw[4:]) {
		t.Fatalf("list (%d): %s", code, out)
	}
	out, _, code = runTokenCLI(t, "token", "revoke", tok.ID, "--data", dir)
	if code != 0 || !strings.Contains(out, "revoked "+tok.ID) {
		t.Fatalf("revoke (%d): %s", code, out)
	}
	if _, err := ts.Verify(ctx, raw); errs.KindOf(err) != errs.Unauthenticated {
		t.Fatalf("revoked token still verifies: %v", err)
	}
	if out, _, _ = runTokenCLI(t, "token", "list", "--data", dir); !strings.Contains(out, "revoked") {
		t.Fatalf("list after revoke: %s", out)
	}
	// Both state changes are in the audit log.
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM audit_entries WHERE action IN ('token.create', 'token.revoke')").Scan(&n); err != nil || n != 2 {
		t.Fatalf("audit entries for tokens: %d, %v", n, err)
	}
}

func TestTokenCommandErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"token", "create", "--name", "x", "--scope", "admin", "--data", dir},
		{"token", "create", "--scope", "ingest", "--data", dir},
		{"token", "revoke", "tok_missing", "--data", dir},
		{"token", "revoke", "--data", dir},
	} {
		out, errOut, code := runTokenCLI(t, args...)
		if code == 0 || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestMigrateAndStatus(t *testing.T) {
	dir := t.TempDir()
	out, _, code := runTokenCLI(t, "migrate", "--data", dir, "--status")
	if code != 0 || !strings.Contains(out, "pending") || strings.Contains(out, "applied 2") {
		t.Fatalf("status before migrate (%d): %s", code, out)
	}
	out, errOut, code := runTokenCLI(t, "migrate", "--data", dir)
	if code != 0 || !strings.Contains(out, "sqlite schema is at version") {
		t.Fatalf("migrate (%d): %s %s", code, out, errOut)
	}
	out, _, code = runTokenCLI(t, "migrate", "--data", dir, "--status")
	if code != 0 || !strings.Contains(out, ", 0 pending") || !strings.Contains(out, "00002_directory.sql") {
		t.Fatalf("status after migrate (%d): %s", code, out)
	}
	if _, _, code := runTokenCLI(t, "migrate", "--database-url", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"); code == 0 {
		t.Fatal("migrate against an unreachable server exited 0")
	}
}

func TestMigrateAndTokenOnPostgres(t *testing.T) {
	url := testkit.PostgresURL(t) // skips without VIGIL_TEST_DATABASE_URL
	dir := t.TempDir()
	out, errOut, code := runTokenCLI(t, "migrate", "--database-url", url)
	if code != 0 || !strings.Contains(out, "postgres schema is at version") {
		t.Fatalf("migrate (%d): %s %s", code, out, errOut)
	}
	out, _, code = runTokenCLI(t, "migrate", "--database-url", url, "--status")
	if code != 0 || !strings.Contains(out, "postgres:") || !strings.Contains(out, ", 0 pending") {
		t.Fatalf("status (%d): %s", code, out)
	}
	out, errOut, code = runTokenCLI(t, "token", "create", "--name", "pg-feeder", "--scope", "ingest", "--database-url", url, "--data", dir)
	if code != 0 || !strings.HasPrefix(out, "vgl_") {
		t.Fatalf("create (%d): %s %s", code, out, errOut)
	}
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := store.NewTokens(db, nil).Verify(context.Background(), strings.TrimSpace(out)); err != nil {
		t.Fatalf("token created on PostgreSQL does not verify: %v", err)
	}
}
