package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"vigil/errs"
	"vigil/internal/testkit"
	"vigil/store"
)

func TestTokensCreateVerifyRevoke(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
			ts := store.NewTokens(db, func() time.Time { return now })
			raw, tok, err := ts.Create(ctx, " feed-moments ", []string{"ingest", "INGEST", "audit"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(raw, "vgl_") || len(raw) != 4+43 || tok.Name != "feed-moments" || strings.Join(tok.Scopes, ",") != "audit,ingest" {
				t.Fatalf("created %q %+v", raw, tok)
			}
			// Only the hash is stored.
			var n int
			if err := db.QueryRow(db.Rebind("SELECT COUNT(*) FROM api_tokens WHERE name = ? AND scopes NOT LIKE ?"), "feed-moments", "%"+raw[4:]+"%").Scan(&n); err != nil || n != 1 {
				t.Fatalf("token row: %d %v", n, err)
			}
			got, err := ts.Verify(ctx, raw)
			if err != nil || got.ID != tok.ID || got.Revoked() || !got.CreatedAt.Equal(now) {
				t.Fatalf("verify: %+v %v", got, err)
			}
			for _, bad := range []string{"", "vgl_", raw + "x", "Bearer " + raw, strings.Replace(raw, "vgl_", "xyz_", 1)} {
				if _, err := ts.Verify(ctx, bad); errs.KindOf(err) != errs.Unauthenticated {
					t.Errorf("verify %q: %v", bad, err)
				}
			}
			now = now.Add(time.Minute)
			raw2, _, err := ts.Create(ctx, "auditor-tool", []string{"audit"})
			if err != nil || raw2 == raw {
				t.Fatalf("second token: %v", err)
			}
			now = now.Add(time.Hour)
			rv, err := ts.Revoke(ctx, tok.ID)
			if err != nil || !rv.Revoked() || !rv.RevokedAt.Equal(now) {
				t.Fatalf("revoke: %+v %v", rv, err)
			}
			if _, err := ts.Verify(ctx, raw); errs.KindOf(err) != errs.Unauthenticated {
				t.Fatalf("revoked token verified: %v", err)
			}
			if _, err := ts.Verify(ctx, raw2); err != nil {
				t.Fatalf("other token affected by revoke: %v", err)
			}
			now = now.Add(time.Hour)
			if again, err := ts.Revoke(ctx, tok.ID); err != nil || !again.RevokedAt.Equal(rv.RevokedAt) {
				t.Fatalf("second revoke moved the time: %+v %v", again, err)
			}
			if _, err := ts.Revoke(ctx, "tok_nope"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("revoke unknown: %v", err)
			}
			if n, err := ts.CountActive(ctx); err != nil || n != 1 {
				t.Fatalf("active tokens %d %v", n, err)
			}
			list, err := ts.List(ctx)
			if err != nil || len(list) != 2 || list[0].ID != tok.ID || !list[0].Revoked() || list[1].Revoked() {
				t.Fatalf("list: %+v %v", list, err)
			}
		})
	}
}

func TestTokensRefuseBadInput(t *testing.T) {
	ts := store.NewTokens(testkit.SQLite(t), nil)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		scopes []string
		field  string
	}{
		{"", []string{"ingest"}, "name"},
		{"x", nil, "scope"},
		{"x", []string{"admin"}, "scope"},
		{strings.Repeat("n", 65), []string{"ingest"}, "name"},
	} {
		_, _, err := ts.Create(ctx, c.name, c.scopes)
		var e *errs.Error
		if errs.KindOf(err) != errs.Invalid || !errors.As(err, &e) || e.Field != c.field {
			t.Errorf("create(%q, %v): %v", c.name, c.scopes, err)
		}
	}
}
