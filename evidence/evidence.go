// Package evidence declares the blob store that holds evidence and legal
// documents by content: a blob is named by the SHA-256 of its bytes, is
// written once, never overwritten, and is verified against its name when
// read. Implementations: evidence/fs (a local directory); S3 with Object
// Lock later, behind the same interface.
package evidence

import (
	"context"
	"encoding/hex"
	"io"
	"strings"

	"vigil/errs"
)

// Ref names a stored blob: the SHA-256 of its bytes (64 lower-case hex
// digits) and its size in bytes.
type Ref struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Blobs is a content-addressed, write-once blob store.
type Blobs interface {
	// Put stores everything read from r and returns its reference. More
	// than maxSize bytes is an errs.Invalid error (field "document") and
	// nothing is stored. Storing bytes already present is not an error and
	// returns the same reference.
	Put(ctx context.Context, r io.Reader, maxSize int64) (Ref, error)
	// Open returns the blob's bytes. The reader verifies the hash as it is
	// read: when the stored bytes do not match their name, the read that
	// reaches the end returns an error wrapping ErrCorrupt instead of io.EOF.
	Open(ctx context.Context, sha256 string) (io.ReadCloser, error)
	// Stat returns the reference of a stored blob, or errs.NotFound.
	Stat(ctx context.Context, sha256 string) (Ref, error)
}

// ErrCorrupt marks a blob whose bytes no longer match their SHA-256.
var ErrCorrupt = errs.E(errs.Unavailable, "stored evidence does not match its SHA-256: the blob is corrupt; restore it from backup")

// CheckHash returns the normalised (lower-case) form of a SHA-256 name, or
// an errs.Invalid error when it is not 64 hex digits.
func CheckHash(sha string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(sha))
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
		return "", errs.Field("sha256", "%q is not a SHA-256: send 64 hexadecimal digits", sha)
	}
	return s, nil
}
