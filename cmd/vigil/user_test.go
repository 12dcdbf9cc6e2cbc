package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"vigil/audit"
	"vigil/auth"
	"vigil/internal/testkit"
	"vigil/store"
)

// runUser runs the vigil command line with stdin and returns the exit code
// run would give, stdout and the error message.
func runUser(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out bytes.Buffer
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&out)
	defer func() { root.SetIn(nil); root.SetOut(nil); root.SetErr(nil) }()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0, out.String(), ""
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code, out.String(), ee.msg
	}
	return 2, out.String(), err.Error()
}

func TestUserCommands(t *testing.T) {
	type target struct {
		name string
		args []string
		dsn  string
	}
	dir := t.TempDir()
	targets := []target{{"sqlite", []string{"--data", dir, "--database-url", ""}, store.SQLitePath(dir)}}
	if ok, _ := testkit.PostgresAvailable(); ok {
		pg := testkit.PostgresURL(t)
		targets = append(targets, target{"postgres", []string{"--data", t.TempDir(), "--database-url", pg}, pg})
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			a := func(extra ...string) []string { return append(extra, tg.args...) }
			code, out, _ := runUser(t, "a long enough password\n", a("user", "create", "--username", "Alice", "--role", "le_response", "--display-name", "Alice Chen")...)
			if code != 0 || !strings.Contains(out, `created staff user "alice" with role le_response`) || !strings.Contains(out, "TOTP") {
				t.Fatalf("create: exit %d, out %q", code, out)
			}
			// Duplicate, bad role, weak password, password equal to username.
			bad := []struct {
				stdin string
				args  []string
				want  string
			}{
				{"a long enough password\n", []string{"--username", "alice", "--role", "legal"}, "taken"},
				{"a long enough password\n", []string{"--username", "bob", "--role", "root"}, "le_response"},
				{"short\n", []string{"--username", "bob", "--role", "legal"}, "at least 12"},
				{"bobbobbobbob\n", []string{"--username", "bobbobbobbob", "--role", "legal"}, "must not be the username"},
				{"", []string{"--username", "bob", "--role", "legal"}, "no password on stdin"},
				{"x\n", []string{"--username", "b", "--role", "legal"}, "username"},
			}
			for _, c := range bad {
				code, _, msg := runUser(t, c.stdin, a(append([]string{"user", "create", "--display-name", ""}, c.args...)...)...)
				if code == 0 || !strings.Contains(msg, c.want) {
					t.Errorf("create %v: exit %d %q, want failure mentioning %q", c.args, code, msg, c.want)
				}
			}
			// No --password flag exists: a password can never come from argv.
			if code, _, _ := runUser(t, "", a("user", "create", "--username", "carol", "--role", "legal", "--password", "a long enough password")...); code == 0 {
				t.Fatal("--password flag accepted")
			}

			if code, _, _ := runUser(t, "another good password\n", a("user", "create", "--username", "bob", "--role", "auditor", "--display-name", "")...); code != 0 {
				t.Fatalf("create bob: %d", code)
			}
			if code, out, _ := runUser(t, "", a("user", "disable", "bob")...); code != 0 || !strings.Contains(out, "disabled") {
				t.Fatalf("disable: %d %q", code, out)
			}
			if code, _, _ := runUser(t, "", a("user", "disable", "nobody")...); code == 0 {
				t.Fatal("disabling an unknown user succeeded")
			}
			if code, out, _ := runUser(t, "", a("user", "set-role", "alice", "legal")...); code != 0 || !strings.Contains(out, "now has role legal (was le_response)") {
				t.Fatalf("set-role: %d %q", code, out)
			}
			code, out, _ = runUser(t, "", a("user", "list")...)
			if code != 0 {
				t.Fatalf("list: %d", code)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 3 || !strings.Contains(lines[1], "alice") || !strings.Contains(lines[1], "legal") ||
				!strings.Contains(lines[1], "Alice Chen") || !strings.Contains(lines[1], "pending enrolment") ||
				!strings.Contains(lines[2], "bob") || !strings.Contains(lines[2], "disabled") {
				t.Fatalf("list output:\n%s", out)
			}

			// The stored hash verifies the password; the changes are audited.
			ctx := context.Background()
			db, err := store.Open(ctx, tg.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			u, err := db.StaffUserByUsername(ctx, "alice")
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := auth.VerifyPassword(u.PasswordHash, "a long enough password"); !ok || err != nil {
				t.Fatalf("stored hash does not verify: %v %v", ok, err)
			}
			keys, err := audit.LoadKey(tg.args[1])
			if err != nil {
				t.Fatal(err)
			}
			l, err := audit.New(store.NewAuditStore(db), keys, audit.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			ents, err := l.Entries(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			var acts []string
			for _, e := range ents {
				acts = append(acts, e.Action)
			}
			want := "staff.user_created staff.user_created staff.user_disabled staff.role_changed"
			if strings.Join(acts, " ") != want {
				t.Fatalf("audit actions %v, want %s", acts, want)
			}
		})
	}
}
