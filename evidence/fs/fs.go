// Package fs is the evidence blob store on a local directory:
// DIR/sha256/ab/cdef… (the first two hex digits fan out the files). A blob
// is written to a temporary file, fsynced, then linked into place, which
// fails rather than overwrites if the name exists; the directory is synced
// so the name survives a crash. Reads re-hash the bytes and report a
// mismatch.
package fs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"vigil/errs"
	"vigil/evidence"
)

// Store is a content-addressed blob store under a directory. It is safe for
// concurrent use by several goroutines and processes sharing the directory.
type Store struct {
	root string
}

var _ evidence.Blobs = (*Store)(nil)

// New returns a store under dir, creating dir/sha256 and dir/tmp.
func New(dir string) (*Store, error) {
	s := &Store{root: dir}
	for _, d := range []string{s.blobDir(), s.tmpDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create evidence directory: %w", err)
		}
	}
	return s, nil
}

func (s *Store) blobDir() string { return filepath.Join(s.root, "sha256") }
func (s *Store) tmpDir() string  { return filepath.Join(s.root, "tmp") }

// Path returns where the blob named sha is (or would be) stored.
func (s *Store) Path(sha string) string {
	return filepath.Join(s.blobDir(), sha[:2], sha[2:])
}

// Put implements evidence.Blobs.
func (s *Store) Put(ctx context.Context, r io.Reader, maxSize int64) (evidence.Ref, error) {
	if err := ctx.Err(); err != nil {
		return evidence.Ref{}, err
	}
	tmp, err := os.CreateTemp(s.tmpDir(), "put-*")
	if err != nil {
		return evidence.Ref{}, fmt.Errorf("evidence: create temporary file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after the link, or on failure
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, maxSize+1))
	if err == nil && n > maxSize {
		err = errs.Field("document", "is larger than %d bytes: upload a smaller file (compress or split it)", maxSize)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		if errs.KindOf(err) != 0 || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return evidence.Ref{}, err
		}
		return evidence.Ref{}, fmt.Errorf("evidence: write blob: %w", err)
	}
	ref := evidence.Ref{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	final := s.Path(ref.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return evidence.Ref{}, fmt.Errorf("evidence: create blob directory: %w", err)
	}
	// Read-only before linking, so the final name never refers to a
	// writable file.
	if err := os.Chmod(tmpName, 0o400); err != nil {
		return evidence.Ref{}, fmt.Errorf("evidence: protect blob: %w", err)
	}
	switch err := os.Link(tmpName, final); {
	case err == nil:
		if err := syncDir(filepath.Dir(final)); err != nil {
			return evidence.Ref{}, err
		}
	case errors.Is(err, os.ErrExist):
		// Same name, same content (or a corrupt copy, which Open reports):
		// never overwrite what is stored.
	default:
		return evidence.Ref{}, fmt.Errorf("evidence: store blob: %w", err)
	}
	return ref, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("evidence: sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("evidence: sync directory: %w", err)
	}
	return nil
}

// Open implements evidence.Blobs.
func (s *Store) Open(ctx context.Context, sha string) (io.ReadCloser, error) {
	sha, err := evidence.CheckHash(sha)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(s.Path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.E(errs.NotFound, "no evidence blob %s", sha)
	}
	if err != nil {
		return nil, fmt.Errorf("evidence: open blob: %w", err)
	}
	return &verifying{f: f, h: sha256.New(), want: sha}, nil
}

// Stat implements evidence.Blobs.
func (s *Store) Stat(ctx context.Context, sha string) (evidence.Ref, error) {
	sha, err := evidence.CheckHash(sha)
	if err != nil {
		return evidence.Ref{}, err
	}
	fi, err := os.Stat(s.Path(sha))
	if errors.Is(err, os.ErrNotExist) {
		return evidence.Ref{}, errs.E(errs.NotFound, "no evidence blob %s", sha)
	}
	if err != nil {
		return evidence.Ref{}, fmt.Errorf("evidence: stat blob: %w", err)
	}
	return evidence.Ref{SHA256: sha, Size: fi.Size()}, nil
}

// Verify reads the whole blob and reports whether its bytes match its name
// (an error wrapping evidence.ErrCorrupt if not).
func (s *Store) Verify(ctx context.Context, sha string) error {
	rc, err := s.Open(ctx, sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, ctxReader{ctx, rc})
	return err
}

// verifying hashes what is read and, at the end, compares it to the name.
type verifying struct {
	f    *os.File
	h    hash.Hash
	want string
	done bool
}

func (v *verifying) Read(p []byte) (int, error) {
	n, err := v.f.Read(p)
	v.h.Write(p[:n])
	if errors.Is(err, io.EOF) && !v.done {
		v.done = true
		if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, fmt.Errorf("evidence blob %s hashes to %s: %w", v.want, got, evidence.ErrCorrupt)
		}
	}
	return n, err
}

func (v *verifying) Close() error { return v.f.Close() }

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
