package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"vigil/production"
)

func init() { addCommand(newVerifyPackageCmd()) }

func newVerifyPackageCmd() *cobra.Command {
	var pubkey, data string
	cmd := &cobra.Command{
		Use:   "verify-package FILE.zip [--pubkey FILE|BASE64] [--data DIR]",
		Short: "Check a production package's hashes and signature",
		Long: `Verify-package checks a production package as an officer, prosecutor or
court would: the Ed25519 signature over manifest.json, and every file in the
ZIP against the manifest (present, same size, same SHA-256), with no file
missing or extra. It prints each file that checks out and "package verified",
or exits 1 naming the first failure (for example
"cover-letter.pdf: SHA-256 mismatch").

The public key comes from --pubkey: a file (such as the text served at
/.well-known/vigil-production-key, or a PEM "PUBLIC KEY" block) or the base64
key itself. Without --pubkey, the public half of DIR/production.key is used.
It exits 2 when the package or the key cannot be read at all.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runVerifyPackage(cmd, args[0], pubkey, data) },
	}
	cmd.Flags().StringVar(&pubkey, "pubkey", "", "public key: a file holding it, or the base64 key")
	cmd.Flags().StringVar(&data, "data", "./vigil-data", "data directory whose production.key to use when --pubkey is not given")
	return cmd
}

func runVerifyPackage(cmd *cobra.Command, path, pubkey, data string) error {
	pub, err := verifyKey(cmd, pubkey, data)
	if err != nil {
		return &exitError{2, "verify-package: " + err.Error()}
	}
	f, err := os.Open(path)
	if err != nil {
		return &exitError{2, "verify-package: " + err.Error()}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return &exitError{2, "verify-package: " + err.Error()}
	}
	rep, verr := production.Verify(f, fi.Size(), pub)
	out := cmd.OutOrStdout()
	for _, fc := range rep.Files {
		if fc.OK {
			fmt.Fprintf(out, "OK  %-28s %9d bytes  sha256 %s\n", fc.Name, fc.Size, fc.SHA256)
		}
	}
	if verr != nil {
		return &exitError{1, fmt.Sprintf("verify-package: %s: NOT verified: %v", path, verr)}
	}
	m := rep.Manifest
	fmt.Fprintf(out, "OK  %-28s signature by key %s\n", production.SignatureFile, production.KeyID(pub))
	fmt.Fprintf(out, "request %s (%s), case %s, %s; records as of %s; built %s by %s %s\n",
		m.RequestID, m.RequestType, m.CaseNumber, m.Agency, m.SnapshotAt.UTC().Format("2006-01-02 15:04:05Z"),
		m.CreatedAt.UTC().Format("2006-01-02 15:04:05Z"), m.Producer.System, m.Producer.Version)
	fmt.Fprintln(out, "package verified")
	return nil
}

// verifyKey finds the public key: --pubkey as a file, else as the key
// itself; without it, the data directory's production key.
func verifyKey(cmd *cobra.Command, pubkey, data string) (ed25519.PublicKey, error) {
	if pubkey != "" {
		b, err := os.ReadFile(pubkey)
		switch {
		case err == nil:
			pub, perr := production.ParsePublicKey(string(b))
			if perr != nil {
				return nil, fmt.Errorf("--pubkey file %s: %w", pubkey, perr)
			}
			return pub, nil
		case errors.Is(err, fs.ErrNotExist):
			pub, perr := production.ParsePublicKey(pubkey)
			if perr != nil {
				return nil, fmt.Errorf("--pubkey is neither a readable file nor a key: %w", perr)
			}
			return pub, nil
		default:
			return nil, fmt.Errorf("--pubkey: %w", err)
		}
	}
	k, err := production.LoadKey(data)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !cmd.Flags().Changed("data") {
			return nil, fmt.Errorf("no --pubkey given and no %s in %s: pass the key published at /.well-known/vigil-production-key", production.KeyFile, data)
		}
		return nil, err
	}
	return k.Public(), nil
}
