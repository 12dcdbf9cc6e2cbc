package main

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/mod/sumdb/note"

	"vigil/audit"
	"vigil/store"
)

func init() { addCommand(newAuditCmd()) }

type auditFlags struct {
	data, databaseURL string
	publicKey         string
	origin            string
}

func (f *auditFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "./vigil-data", "data directory (SQLite database and audit.key)")
	fl.StringVar(&f.databaseURL, "database-url", "", "postgres:// URL of a shared database (default: SQLite in --data)")
}

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify the tamper-evident audit log or publish a signed checkpoint",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var vf auditFlags
	verify := &cobra.Command{
		Use:   "verify --data DIR [--database-url URL] [--public-key KEY]",
		Short: "Recompute the audit Merkle tree and check every signed checkpoint",
		Long: `Verify recomputes every leaf hash from the stored entries, rebuilds the RFC 6962
tree, checks each stored checkpoint's Ed25519 signature and that its root
matches the recomputed root at its size. It prints the tree size, the number
of checkpoints checked and "ok", or exits 1 naming the first bad entry (its
index and whether it was altered, removed or reordered). The public key is
derived from DIR/audit.key unless --public-key gives it (as printed by
GET /api/v1/audit/checkpoint), so an auditor needs no private key.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runAuditVerify(cmd, vf) },
	}
	vf.register(verify)
	verify.Flags().StringVar(&vf.publicKey, "public-key", "", "note verifier key (name+hash+base64) to check checkpoints with")

	var cf auditFlags
	checkpoint := &cobra.Command{
		Use:   "checkpoint --data DIR [--database-url URL]",
		Short: "Sign and store a checkpoint of the audit log now, and print it",
		Long: `Checkpoint signs the current tree head with DIR/audit.key (created, mode 0600,
if absent, named --origin) and stores it; it prints the signed checkpoint
in the C2SP tlog-checkpoint format.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runAuditCheckpoint(cmd, cf) },
	}
	cf.register(checkpoint)
	checkpoint.Flags().StringVar(&cf.origin, "origin", audit.DefaultOrigin, "log origin (key name) when a new key is created")
	cmd.AddCommand(verify, checkpoint)
	return cmd
}

// openAuditStore opens the database without creating or migrating it: these
// commands inspect an existing log.
func openAuditStore(ctx context.Context, f auditFlags) (*store.DB, *store.AuditStore, error) {
	dsn := f.databaseURL
	if dsn == "" {
		dsn = store.SQLitePath(f.data)
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("no database at %s (is --data right? or pass --database-url)", dsn)
		}
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	return db, store.NewAuditStore(db), nil
}

func runAuditVerify(cmd *cobra.Command, f auditFlags) error {
	if err := applyConfig(cmd); err != nil {
		return &exitError{2, "audit verify: " + err.Error()}
	}
	var v note.Verifier
	if f.publicKey != "" {
		var err error
		if v, err = note.NewVerifier(strings.TrimSpace(f.publicKey)); err != nil {
			return &exitError{2, "audit verify: --public-key: " + err.Error()}
		}
	} else {
		keys, err := audit.LoadKey(f.data)
		if err != nil {
			return &exitError{2, "audit verify: " + err.Error() + " (pass --public-key to verify without the private key)"}
		}
		v = keys.Verifier
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	db, st, err := openAuditStore(ctx, f)
	if err != nil {
		return &exitError{2, "audit verify: " + err.Error()}
	}
	defer db.Close()
	rep, err := audit.Verify(ctx, st, v)
	if err != nil {
		return &exitError{2, "audit verify: " + err.Error()}
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "origin: %s\n", v.Name())
	fmt.Fprintf(out, "tree size: %d\n", rep.Size)
	if rep.Bad == nil {
		fmt.Fprintf(out, "root hash: %s\n", base64.StdEncoding.EncodeToString(rep.Root))
	}
	fmt.Fprintf(out, "checkpoints checked: %d\n", rep.Checkpoints)
	if rep.Bad != nil {
		return &exitError{1, "audit log verification FAILED: " + rep.Bad.String()}
	}
	fmt.Fprintln(out, "ok")
	return nil
}

func runAuditCheckpoint(cmd *cobra.Command, f auditFlags) error {
	if err := applyConfig(cmd); err != nil {
		return &exitError{2, "audit checkpoint: " + err.Error()}
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	db, st, err := openAuditStore(ctx, f)
	if err != nil {
		return &exitError{2, "audit checkpoint: " + err.Error()}
	}
	defer db.Close()
	keys, err := audit.LoadOrCreateKey(f.data, f.origin)
	if err != nil {
		return &exitError{2, "audit checkpoint: " + err.Error()}
	}
	l, err := audit.New(st, keys, audit.Options{})
	if err != nil {
		return &exitError{2, "audit checkpoint: " + err.Error()}
	}
	defer l.Close()
	cp, err := l.Publish(ctx)
	if err != nil {
		return &exitError{2, "audit checkpoint: " + err.Error()}
	}
	_, err = cmd.OutOrStdout().Write(cp.Note)
	return err
}
