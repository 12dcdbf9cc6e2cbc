package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// KeyFile is the signing key's file name inside the data directory.
const KeyFile = "audit.key"

// DefaultOrigin names the log in checkpoints (and the key) unless configured.
// C2SP asks for a schema-less URL; operators should set their own host.
const DefaultOrigin = "vigil.local/audit"

// Keys is the checkpoint signing key pair. The note key name is the
// checkpoint origin.
type Keys struct {
	Signer      note.Signer
	Verifier    note.Verifier
	VerifierKey string // "name+hash+base64" public key, for external verifiers
}

// Origin is the log's checkpoint origin line (the key's name).
func (k *Keys) Origin() string { return k.Signer.Name() }

// KeysFromSignerKey builds Keys from a note private key string
// ("PRIVATE+KEY+name+hash+data"), deriving the public key from its seed.
func KeysFromSignerKey(skey string) (*Keys, error) {
	skey = strings.TrimSpace(skey)
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	// The data field is base64(algorithm byte || 32-byte Ed25519 seed).
	parts := strings.SplitN(skey, "+", 5) // PRIVATE+KEY+name+hash+data; data may contain '+'
	if len(parts) != 5 {
		return nil, errors.New("audit signing key: malformed")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("audit signing key: not an Ed25519 note key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(s.Name(), pub)
	if err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("audit signing key: %w", err)
	}
	return &Keys{Signer: s, Verifier: v, VerifierKey: vkey}, nil
}

// NewKeys generates a fresh Ed25519 key pair named origin.
func NewKeys(origin string) (*Keys, error) {
	skey, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, fmt.Errorf("generate audit key named %q: %w", origin, err)
	}
	return KeysFromSignerKey(skey)
}

// LoadOrCreateKey reads dir/audit.key, or on first use generates a key named
// origin and writes it there with mode 0600 (never overwriting a file that
// appeared meanwhile). An existing key keeps its own name: the origin of a
// log cannot change once checkpoints were signed.
func LoadOrCreateKey(dir, origin string) (*Keys, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		return KeysFromSignerKey(string(b))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	if origin == "" {
		origin = DefaultOrigin
	}
	skey, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, fmt.Errorf("generate audit key named %q (origin must have no spaces or '+'): %w", origin, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// Write a private temporary file, then hard-link it into place: the link
	// fails if another process created the key first, and readers never see
	// a half-written key.
	f, err := os.CreateTemp(dir, ".audit.key-*")
	if err != nil {
		return nil, fmt.Errorf("create audit key: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("create audit key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write audit key: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadKey(dir) // another process won the race
		}
		return nil, fmt.Errorf("install audit key: %w", err)
	}
	return KeysFromSignerKey(skey)
}

// LoadKey reads dir/audit.key without creating it (for verification tools).
func LoadKey(dir string) (*Keys, error) {
	b, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, fmt.Errorf("read audit key: %w", err)
	}
	return KeysFromSignerKey(string(b))
}
