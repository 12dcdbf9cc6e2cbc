package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"vigil/store"
)

func init() { addCommand(newMigrateCmd()) }

// dbFlags select the database: SQLite in --data, or --database-url.
type dbFlags struct {
	data, databaseURL string
}

func (f *dbFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "./vigil-data", "data directory (SQLite database and audit.key)")
	fl.StringVar(&f.databaseURL, "database-url", "", "postgres:// URL of a shared database (default: SQLite in --data)")
}

// open connects to the selected database, and migrates it when asked.
func (f *dbFlags) open(ctx context.Context, migrate bool) (*store.DB, error) {
	dsn := f.databaseURL
	if dsn == "" {
		if err := os.MkdirAll(f.data, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", f.data, err)
		}
		dsn = store.SQLitePath(f.data)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if migrate {
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func newMigrateCmd() *cobra.Command {
	var f dbFlags
	var status bool
	cmd := &cobra.Command{
		Use:   "migrate [--data DIR | --database-url URL] [--status]",
		Short: "Apply the embedded schema migrations (or show their status)",
		Long: `Migrate brings the database schema to the version this binary embeds: SQLite in
--data by default, or the PostgreSQL database at --database-url. Migrations
are versioned and applied once; running it again changes nothing. With
--status it applies nothing and lists every migration as applied or pending.
vigil serve migrates at start-up too; run this first when several processes
share one PostgreSQL database.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfig(cmd); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := f.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			out := cmd.OutOrStdout()
			if !status {
				v, err := db.Migrate(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s schema is at version %d\n", db.Dialect, v)
				return nil
			}
			st, err := db.MigrationStatus(ctx)
			if err != nil {
				return err
			}
			pending := 0
			for _, s := range st {
				applied := "pending"
				if s.State == "applied" {
					applied = "applied " + s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
				} else {
					pending++
				}
				fmt.Fprintf(out, "%05d  %-32s %s\n", s.Source.Version, s.Source.Path, applied)
			}
			fmt.Fprintf(out, "%s: %d migrations, %d pending\n", db.Dialect, len(st), pending)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&status, "status", false, "list migrations and whether each is applied; change nothing")
	cmd.Flags().String("config", "", "YAML configuration file (keys are flag names)")
	return cmd
}
