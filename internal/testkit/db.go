// Package testkit starts the real dependencies Vigil's tests need (SQLite in a
// temporary directory, PostgreSQL when VIGIL_TEST_DATABASE_URL is set) so
// that tests exercise the same code paths as production, never mocks.
package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	"vigil/store"
)

// EnvDatabaseURL names the PostgreSQL server the store tests also run against.
const EnvDatabaseURL = "VIGIL_TEST_DATABASE_URL"

// Databases returns one migrated database per available dialect: SQLite
// always, PostgreSQL when VIGIL_TEST_DATABASE_URL is set or a local
// PostgreSQL installation can be started (see Main). Run the same
// assertions against each with t.Run(db.Dialect.String(), ...).
func Databases(t testing.TB) []*store.DB {
	t.Helper()
	dbs := []*store.DB{SQLite(t)}
	if _, why := postgresBase(); why == "" {
		dbs = append(dbs, Postgres(t))
	} else {
		t.Logf("PostgreSQL runs skipped: %s", why)
	}
	return dbs
}

// SQLite returns a migrated SQLite database in a fresh temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "vigil.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

// Postgres returns a migrated PostgreSQL database confined to a fresh schema
// (dropped at the end of the test), so tests never see each other's rows.
// It skips the test, saying why, when no PostgreSQL server is available.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := PostgresURL(t)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate postgres: %v", err)
	}
	return db
}

// PostgresURL creates a fresh schema on the test server and returns a URL
// whose connections use it as their search_path. The schema is dropped when
// the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base, why := postgresBase()
	if base == "" {
		t.Skipf("PostgreSQL not available: %s", why)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := store.Open(context.Background(), base)
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvDatabaseURL, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvDatabaseURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx passes unknown parameters as run-time settings
	u.RawQuery = q.Encode()
	return u.String()
}
