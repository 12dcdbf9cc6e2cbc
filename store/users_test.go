package store_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"vigil/errs"
	"vigil/internal/testkit"
	"vigil/store"
)

func TestStaffUsers(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			u, err := db.CreateStaffUser(ctx, store.StaffUser{Username: "alice", DisplayName: "Alice", Role: "admin", PasswordHash: "$argon2id$x"})
			if err != nil {
				t.Fatal(err)
			}
			if u.ID == 0 || u.Created.IsZero() {
				t.Fatalf("created user %+v has no id or time", u)
			}
			if _, err := db.CreateStaffUser(ctx, store.StaffUser{Username: "alice", Role: "legal", PasswordHash: "h"}); errs.KindOf(err) != errs.Conflict {
				t.Fatalf("duplicate username: %v, want Conflict", err)
			}
			if _, err := db.StaffUserByUsername(ctx, "nobody"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("unknown user: %v, want NotFound", err)
			}
			if _, err := db.CreateStaffUser(ctx, store.StaffUser{Username: "bob", Role: "auditor", PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}

			// Enrolment: secret set while unconfirmed, then a step confirms it.
			if err := db.SetStaffTOTPSecret(ctx, u.ID, "SECRETBASE32"); err != nil {
				t.Fatal(err)
			}
			if err := db.UseStaffTOTPStep(ctx, u.ID, 100); err != nil {
				t.Fatal(err)
			}
			if err := db.UseStaffTOTPStep(ctx, u.ID, 100); errs.KindOf(err) != errs.Unauthenticated {
				t.Fatalf("reused step: %v, want Unauthenticated", err)
			}
			if err := db.UseStaffTOTPStep(ctx, u.ID, 99); errs.KindOf(err) != errs.Unauthenticated {
				t.Fatalf("older step: %v, want Unauthenticated", err)
			}
			if err := db.SetStaffTOTPSecret(ctx, u.ID, "OTHER"); errs.KindOf(err) != errs.Conflict {
				t.Fatalf("re-enrolment after confirmation: %v, want Conflict", err)
			}

			locked := time.Date(2030, 1, 2, 3, 4, 5, 6_000_000, time.UTC)
			window := locked.Add(-time.Minute)
			if err := db.SetStaffLoginState(ctx, u.ID, 5, window, locked); err != nil {
				t.Fatal(err)
			}
			if err := db.SetStaffPassword(ctx, u.ID, "$argon2id$new"); err != nil {
				t.Fatal(err)
			}
			if err := db.SetStaffRole(ctx, "alice", "legal"); err != nil {
				t.Fatal(err)
			}
			got, err := db.StaffUserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := store.StaffUser{ID: u.ID, Username: "alice", DisplayName: "Alice", Role: "legal",
				PasswordHash: "$argon2id$new", TOTPSecret: "SECRETBASE32", TOTPConfirmed: true, TOTPLastStep: 100,
				FailedAttempts: 5, FailureWindow: window, LockedUntil: locked}
			got.Created, got.Updated = time.Time{}, time.Time{}
			if got != want {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
			}

			if err := db.SetStaffUserDisabled(ctx, "bob", true); err != nil {
				t.Fatal(err)
			}
			if err := db.SetStaffUserDisabled(ctx, "nobody", true); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("disable unknown: %v, want NotFound", err)
			}
			list, err := db.ListStaffUsers(ctx)
			if err != nil || len(list) != 2 || list[0].Username != "alice" || !list[1].Disabled {
				t.Fatalf("list = %v, %v", list, err)
			}
			if n, err := db.CountStaffUsers(ctx); err != nil || n != 2 {
				t.Fatalf("count = %d, %v", n, err)
			}
		})
	}
}

// Two logins racing with the same TOTP code: exactly one may win.
func TestStaffTOTPStepRace(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			u, err := db.CreateStaffUser(ctx, store.StaffUser{Username: "carol", Role: "reviewer", PasswordHash: "h"})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			wins := 0
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if db.UseStaffTOTPStep(ctx, u.ID, 42) == nil {
						mu.Lock()
						wins++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if wins != 1 {
				t.Fatalf("%d logins used one TOTP step, want exactly 1", wins)
			}
		})
	}
}

func TestStaffUserNeverLogsSecrets(t *testing.T) {
	u := store.StaffUser{ID: 1, Username: "alice", Role: "admin", PasswordHash: "$argon2id$SECRETHASH", TOTPSecret: "TOTPSECRET"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("user", "user", u)
	out := buf.String() + fmt.Sprint(u) + fmt.Sprintf("%v %s", u, u)
	if strings.Contains(out, "SECRETHASH") || strings.Contains(out, "TOTPSECRET") || !strings.Contains(out, "alice") {
		t.Fatalf("secrets in output or user missing: %s", out)
	}
}

func TestSessionStore(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			s := store.NewSessionStore(db, 0)
			exp := time.Now().Add(time.Hour)
			if err := s.Commit("tok1", []byte("data1"), exp); err != nil {
				t.Fatal(err)
			}
			b, ok, err := s.Find("tok1")
			if err != nil || !ok || string(b) != "data1" {
				t.Fatalf("Find = %q %v %v", b, ok, err)
			}
			// Commit again replaces.
			if err := s.CommitCtx(ctx, "tok1", []byte("data2"), exp); err != nil {
				t.Fatal(err)
			}
			if b, _, _ := s.FindCtx(ctx, "tok1"); string(b) != "data2" {
				t.Fatalf("after recommit Find = %q", b)
			}
			// Tokens are stored hashed.
			var n int
			if err := db.QueryRow(db.Rebind(`SELECT COUNT(*) FROM staff_sessions WHERE token_hash = ?`), "tok1").Scan(&n); err != nil || n != 0 {
				t.Fatalf("raw token found in the table (%d, %v)", n, err)
			}
			// Expired sessions are not found and are cleaned up.
			if err := s.Commit("old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.Find("old"); ok {
				t.Fatal("expired session found")
			}
			if n, err := s.DeleteExpired(ctx, time.Now()); err != nil || n != 1 {
				t.Fatalf("DeleteExpired = %d, %v; want 1", n, err)
			}
			if err := s.Delete("tok1"); err != nil {
				t.Fatal(err)
			}
			if _, ok, _ := s.Find("tok1"); ok {
				t.Fatal("deleted session found")
			}
			if err := s.Delete("never-existed"); err != nil {
				t.Fatalf("delete of unknown token: %v", err)
			}
		})
	}
}

func TestSessionStoreCleanupStops(t *testing.T) {
	db := testkit.SQLite(t)
	s := store.NewSessionStore(db, time.Millisecond)
	if err := s.Commit("old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM staff_sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("cleanup goroutine did not delete the expired session")
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.StopCleanup()
	s.StopCleanup() // idempotent
}
