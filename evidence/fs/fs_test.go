package fs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"vigil/errs"
	"vigil/evidence"
	evfs "vigil/evidence/fs"
)

func newStore(t *testing.T) *evfs.Store {
	t.Helper()
	s, err := evfs.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutOpenStatRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	data := []byte("%PDF-1.7 a warrant")
	sum := sha256.Sum256(data)
	ref, err := s.Put(ctx, bytes.NewReader(data), 1024)
	if err != nil {
		t.Fatal(err)
	}
	if ref.SHA256 != hex.EncodeToString(sum[:]) || ref.Size != int64(len(data)) {
		t.Fatalf("ref %+v, want sha %x size %d", ref, sum, len(data))
	}
	if !strings.Contains(s.Path(ref.SHA256), "/sha256/"+ref.SHA256[:2]+"/"+ref.SHA256[2:]) {
		t.Errorf("path %s is not DIR/sha256/ab/cdef…", s.Path(ref.SHA256))
	}
	rc, err := s.Open(ctx, strings.ToUpper(ref.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read %q, %v", got, err)
	}
	st, err := s.Stat(ctx, ref.SHA256)
	if err != nil || st != ref {
		t.Fatalf("stat %+v %v, want %+v", st, err, ref)
	}
	fi, err := os.Stat(s.Path(ref.SHA256))
	if err != nil || fi.Mode().Perm()&0o222 != 0 {
		t.Errorf("stored blob mode %v (%v): want read-only", fi.Mode(), err)
	}
	if err := s.Verify(ctx, ref.SHA256); err != nil {
		t.Errorf("verify intact blob: %v", err)
	}
}

func TestPutRefusesOversizeAndStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	data := bytes.Repeat([]byte("x"), 101)
	_, err := s.Put(ctx, bytes.NewReader(data), 100)
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("oversize put: %v, want Invalid", err)
	}
	sum := sha256.Sum256(data)
	if _, err := s.Stat(ctx, hex.EncodeToString(sum[:])); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("oversize blob was stored: %v", err)
	}
	// Exactly the limit is fine.
	if _, err := s.Put(ctx, bytes.NewReader(data[:100]), 100); err != nil {
		t.Fatalf("put at the limit: %v", err)
	}
}

func TestSamePutTwiceNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	data := []byte("evidence")
	ref, err := s.Put(ctx, bytes.NewReader(data), 100)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(s.Path(ref.SHA256))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if r2, err := s.Put(ctx, bytes.NewReader(data), 100); err != nil || r2 != ref {
				t.Errorf("second put: %+v %v", r2, err)
			}
		})
	}
	wg.Wait()
	after, _ := os.Stat(s.Path(ref.SHA256))
	if !os.SameFile(before, after) {
		t.Error("the stored file was replaced")
	}
}

func TestOpenDetectsCorruption(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	ref, err := s.Put(ctx, strings.NewReader("original bytes"), 100)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Path(ref.SHA256)
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("tampered bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	rc, err := s.Open(ctx, ref.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := io.ReadAll(rc); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("reading a tampered blob: %v, want ErrCorrupt", err)
	}
	if err := s.Verify(ctx, ref.SHA256); !errors.Is(err, evidence.ErrCorrupt) {
		t.Fatalf("verify tampered blob: %v", err)
	}
}

func TestOpenRejectsBadNamesAndMissing(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, name := range []string{"", "../../etc/passwd", strings.Repeat("g", 64), strings.Repeat("a", 63)} {
		if _, err := s.Open(ctx, name); errs.KindOf(err) != errs.Invalid {
			t.Errorf("Open(%q): %v, want Invalid", name, err)
		}
	}
	if _, err := s.Open(ctx, strings.Repeat("ab", 32)); errs.KindOf(err) != errs.NotFound {
		t.Errorf("missing blob: %v, want NotFound", err)
	}
}
