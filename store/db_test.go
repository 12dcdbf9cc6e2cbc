package store_test

import (
	"context"
	"testing"

	"vigil/internal/testkit"
	"vigil/store"
)

func TestMigrateIsIdempotentOnEveryDialect(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			v1, err := db.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			v2, err := db.Migrate(ctx)
			if err != nil || v2 != v1 || v1 < 1 {
				t.Fatalf("second migrate: version %d→%d, err %v", v1, v2, err)
			}
			st, err := db.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range st {
				if s.State != "applied" {
					t.Errorf("migration %s is %s after Migrate", s.Source.Path, s.State)
				}
			}
			// The same SQL text must serve both dialects through Rebind.
			if _, err := db.ExecContext(ctx, db.Rebind("INSERT INTO vigil_meta(key, value) VALUES (?, ?)"), "k", "v"); err != nil {
				t.Fatal(err)
			}
			var v string
			if err := db.QueryRowContext(ctx, db.Rebind("SELECT value FROM vigil_meta WHERE key = ?"), "k").Scan(&v); err != nil || v != "v" {
				t.Fatalf("read back %q, %v", v, err)
			}
		})
	}
}

func TestRebind(t *testing.T) {
	pg := &store.DB{Dialect: store.Postgres}
	if got := pg.Rebind("a = ? AND b IN (?, ?)"); got != "a = $1 AND b IN ($2, $3)" {
		t.Fatalf("postgres rebind: %q", got)
	}
	sq := &store.DB{Dialect: store.SQLite}
	if got := sq.Rebind("a = ?"); got != "a = ?" {
		t.Fatalf("sqlite rebind changed the query: %q", got)
	}
}

func TestOpenRejectsUnreachablePostgres(t *testing.T) {
	_, err := store.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("expected an error for an unreachable server")
	}
}
