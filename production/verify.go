package production

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"vigil/errs"
)

// Bounds on the two files Verify reads into memory; a real manifest of a
// few hundred files is a few tens of kilobytes.
const (
	maxManifest  = 8 << 20
	maxSignature = 1 << 10
)

// FileCheck is the verdict on one file of a package.
type FileCheck struct {
	FileEntry
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
}

// Report is what Verify found: the manifest (once the signature checked),
// each listed file's verdict in archive order, and every problem, the first
// of which Verify returns as its error.
type Report struct {
	Manifest Manifest    `json:"manifest"`
	Files    []FileCheck `json:"files"`
	Problems []string    `json:"problems,omitempty"`
}

// Verify checks the package read from r (size bytes) against pub: the
// signature over manifest.json, then every file in the ZIP against the
// manifest (present, same size, same SHA-256), with no file missing and
// none extra. It returns an errs.Invalid error whose message names the
// first failure, e.g. "cover-letter.pdf: SHA-256 mismatch".
//
// Verify authenticates the content and the set of files, not ZIP metadata
// (timestamps, comments, attributes), which carries no evidence.
func Verify(r io.ReaderAt, size int64, pub ed25519.PublicKey) (Report, error) {
	var rep Report
	fail := func(msg string, args ...any) (Report, error) {
		rep.Problems = append(rep.Problems, fmt.Sprintf(msg, args...))
		return rep, errs.E(errs.Invalid, rep.Problems[0])
	}
	if len(pub) != ed25519.PublicKeySize {
		return fail("public key: not an Ed25519 public key (%d bytes, want 32)", len(pub))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fail("not a readable ZIP archive: %v", err)
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if entries[f.Name] != nil {
			return fail("%s: appears twice in the package", f.Name)
		}
		entries[f.Name] = f
	}
	for _, name := range []string{ManifestFile, SignatureFile} {
		if entries[name] == nil {
			return fail("%s: missing from the package", name)
		}
	}
	mb, err := readAll(entries[ManifestFile], maxManifest)
	if err != nil {
		return fail("%s: %v", ManifestFile, err)
	}
	sb, err := readAll(entries[SignatureFile], maxSignature)
	if err != nil {
		return fail("%s: %v", SignatureFile, err)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sb)))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fail("%s: not a base64 Ed25519 signature", SignatureFile)
	}
	var m Manifest
	jerr := json.Unmarshal(mb, &m)
	if !ed25519.Verify(pub, mb, sig) {
		// A hint only: the key id inside an unverified manifest proves nothing.
		if jerr == nil && m.KeyID != "" && m.KeyID != KeyID(pub) {
			return fail("%s: signature does not verify with the given key (the manifest names signing key %s; the given key is %s)", SignatureFile, m.KeyID, KeyID(pub))
		}
		return fail("%s: signature does not verify with the given key (manifest.json or manifest.sig was altered, or the key is wrong)", SignatureFile)
	}
	if jerr != nil {
		return fail("%s: signed but not valid JSON: %v", ManifestFile, jerr)
	}
	if m.Format != ManifestFormat {
		return fail("%s: format %q is not %q; use a newer vigil", ManifestFile, m.Format, ManifestFormat)
	}
	rep.Manifest = m
	listed := map[string]FileEntry{}
	for _, e := range m.Files {
		if e.Name == ManifestFile || e.Name == SignatureFile || listed[e.Name].Name != "" {
			return fail("%s: lists %s twice or lists itself", ManifestFile, e.Name)
		}
		listed[e.Name] = e
	}
	checked := map[string]bool{}
	for _, f := range zr.File {
		if f.Name == ManifestFile || f.Name == SignatureFile {
			continue
		}
		want, ok := listed[f.Name]
		if !ok {
			rep.Problems = append(rep.Problems, f.Name+": not in manifest")
			continue
		}
		checked[f.Name] = true
		fc := FileCheck{FileEntry: want, OK: true}
		if p := checkFile(f, want); p != "" {
			fc.OK, fc.Problem = false, p
			rep.Problems = append(rep.Problems, f.Name+": "+p)
		}
		rep.Files = append(rep.Files, fc)
	}
	for _, e := range m.Files {
		if !checked[e.Name] {
			rep.Problems = append(rep.Problems, e.Name+": listed in the manifest but missing from the package")
		}
	}
	if len(rep.Problems) > 0 {
		return rep, errs.E(errs.Invalid, rep.Problems[0])
	}
	return rep, nil
}

// checkFile compares one entry's content with its manifest entry and
// returns the problem, or "". It decompresses the raw data itself, so that
// a changed byte is reported as the hash mismatch it is rather than as the
// ZIP's CRC error; at most want.Size+1 bytes are inflated.
func checkFile(f *zip.File, want FileEntry) string {
	rc, err := openContent(f)
	if err != nil {
		return err.Error()
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(rc, want.Size+1))
	if err != nil {
		return fmt.Sprintf("cannot be read (%v)", err)
	}
	if n != want.Size {
		if n > want.Size {
			return fmt.Sprintf("size mismatch (more than the %d bytes listed)", want.Size)
		}
		return fmt.Sprintf("size mismatch (%d bytes, the manifest lists %d)", n, want.Size)
	}
	if hex.EncodeToString(h.Sum(nil)) != want.SHA256 {
		return "SHA-256 mismatch"
	}
	return ""
}

// openContent returns a reader of f's uncompressed content without the
// ZIP's own CRC check.
func openContent(f *zip.File) (io.Reader, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%v)", err)
	}
	switch f.Method {
	case zip.Store:
		return raw, nil
	case zip.Deflate:
		return flate.NewReader(raw), nil
	}
	return nil, fmt.Errorf("uses unsupported ZIP compression method %d", f.Method)
}

// readAll reads f's content, refusing more than max bytes.
func readAll(f *zip.File, max int64) ([]byte, error) {
	rc, err := openContent(f)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, io.LimitReader(rc, max+1)); err != nil {
		return nil, fmt.Errorf("cannot be read (%v)", err)
	}
	if int64(b.Len()) > max {
		return nil, fmt.Errorf("larger than %d bytes", max)
	}
	return b.Bytes(), nil
}
