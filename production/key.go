package production

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"vigil/errs"
)

// KeyFile is the production signing key's file name inside the data
// directory. It is deliberately separate from the audit log's key: the two
// keys are published and rotated for different audiences.
const KeyFile = "production.key"

// Key is the Ed25519 key that signs production manifests.
type Key struct {
	priv ed25519.PrivateKey
}

// NewKey wraps an Ed25519 private key (for tests and key import).
func NewKey(priv ed25519.PrivateKey) (*Key, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, errors.New("production key: not an Ed25519 private key")
	}
	return &Key{priv: priv}, nil
}

// GenerateKey returns a fresh random key (not stored anywhere).
func GenerateKey() (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate production key: %w", err)
	}
	return &Key{priv: priv}, nil
}

// Public returns the public half, which verifiers need.
func (k *Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// Sign signs msg (Ed25519 is deterministic: the same bytes give the same
// signature, which keeps rebuilt packages identical).
func (k *Key) Sign(msg []byte) []byte { return ed25519.Sign(k.priv, msg) }

// PublicKeyBase64 returns the raw 32-byte public key in standard base64, the
// form `vigil verify-package --pubkey` accepts on the command line.
func (k *Key) PublicKeyBase64() string { return PublicKeyBase64(k.Public()) }

// PublicKeyPEM returns the public key as a PEM "PUBLIC KEY" block (PKIX), the
// form openssl and most tools read.
func (k *Key) PublicKeyPEM() string { return PublicKeyPEM(k.Public()) }

// PublicKeyBase64 encodes pub as standard base64 of its 32 raw bytes.
func PublicKeyBase64(pub ed25519.PublicKey) string {
	return base64.StdEncoding.EncodeToString(pub)
}

// PublicKeyPEM encodes pub as a PEM "PUBLIC KEY" block.
func PublicKeyPEM(pub ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		// Only a malformed key fails; callers pass keys they derived.
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// KeyID is a short fingerprint of pub (the first 16 hex digits of its
// SHA-256), written into manifests so a person can tell which key signed a
// package before trying to verify it.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// ParsePublicKey reads a public key given as raw base64 (32 bytes), as a PEM
// "PUBLIC KEY" block, or as the text served at
// /.well-known/vigil-production-key (base64 line, then the PEM block).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	if strings.Contains(s, "-----BEGIN") {
		// pem.Decode skips any text before the block (the base64 line).
		blk, _ := pem.Decode([]byte(s))
		if blk == nil || blk.Type != "PUBLIC KEY" {
			return nil, errs.E(errs.Invalid, "the public key's PEM block is not a PUBLIC KEY: give the key from /.well-known/vigil-production-key")
		}
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, errs.E(errs.Invalid, "the public key's PEM block does not parse: %v", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, errs.E(errs.Invalid, "the public key is not an Ed25519 key")
		}
		return pub, nil
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, errs.E(errs.Invalid, "the public key is empty: give the base64 key from /.well-known/vigil-production-key")
	}
	raw, err := base64.StdEncoding.DecodeString(f[0])
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errs.E(errs.Invalid, "the public key is not 32 bytes of base64 or a PEM block: give the key from /.well-known/vigil-production-key")
	}
	return ed25519.PublicKey(raw), nil
}

// LoadOrCreateKey reads dir/production.key, or on first use generates a key
// and writes it there with mode 0600, never overwriting a key that another
// process created meanwhile.
func LoadOrCreateKey(dir string) (*Key, error) {
	k, err := LoadKey(dir)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	k, err = GenerateKey()
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		return nil, fmt.Errorf("encode production key: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	// Write a private temporary file, then hard-link it into place: the link
	// fails if another process created the key first, and readers never see
	// a half-written key.
	f, err := os.CreateTemp(dir, ".production.key-*")
	if err != nil {
		return nil, fmt.Errorf("create production key: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	werr := f.Chmod(0o600)
	if werr == nil {
		_, werr = f.Write(data)
	}
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return nil, fmt.Errorf("write production key: %w", werr)
	}
	if err := os.Link(tmp, filepath.Join(dir, KeyFile)); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadKey(dir) // another process won the race
		}
		return nil, fmt.Errorf("install production key: %w", err)
	}
	return k, nil
}

// LoadKey reads dir/production.key without creating it. A missing file
// gives an error wrapping fs.ErrNotExist.
func LoadKey(dir string) (*Key, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read production key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("read production key %s: not a PEM PRIVATE KEY block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read production key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("read production key %s: not an Ed25519 key", path)
	}
	return &Key{priv: priv}, nil
}
