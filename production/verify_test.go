package production

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"io"
	"strings"
	"testing"

	"vigil/errs"
)

// repack rebuilds pkg with edit applied to each file (nil drops the file)
// and extra files appended, keeping everything else as built.
func repack(t *testing.T, pkg []byte, edit func(name string, data []byte) []byte, extra ...file) []byte {
	t.Helper()
	files, names := unzip(t, pkg)
	var out []file
	for _, n := range names {
		if d := edit(n, files[n]); d != nil {
			out = append(out, file{n, d})
		}
	}
	out = append(out, extra...)
	var buf bytes.Buffer
	if err := writeZip(&buf, out, snapshot); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func verify(pkg []byte, pub ed25519.PublicKey) (Report, error) {
	return Verify(bytes.NewReader(pkg), int64(len(pkg)), pub)
}

func TestVerifyAcceptsBuiltPackage(t *testing.T) {
	in := courtOrderInput(t)
	pkg, m := build(t, in)
	rep, err := verify(pkg, in.Key.Public())
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if len(rep.Files) != len(m.Files) || rep.Manifest.RequestID != "req-0042" {
		t.Fatalf("report %+v", rep)
	}
	for _, f := range rep.Files {
		if !f.OK {
			t.Errorf("%s not OK: %s", f.Name, f.Problem)
		}
	}
}

func TestVerifyNamesWhatFailed(t *testing.T) {
	in := courtOrderInput(t)
	pkg, _ := build(t, in)
	flip := func(target string, at func([]byte) int) func(string, []byte) []byte {
		return func(n string, d []byte) []byte {
			if n != target {
				return d
			}
			d = bytes.Clone(d)
			d[at(d)] ^= 0x01
			return d
		}
	}
	mid := func(d []byte) int { return len(d) / 2 }
	keep := func(_ string, d []byte) []byte { return d }
	other, _ := GenerateKey()
	cases := []struct {
		name string
		pkg  []byte
		pub  ed25519.PublicKey
		want string
	}{
		{"content of the cover letter", repack(t, pkg, flip(CoverLetterFile, mid)), nil, "cover-letter.pdf: SHA-256 mismatch"},
		{"content of a CSV", repack(t, pkg, flip("login_metadata.csv", mid)), nil, "login_metadata.csv: SHA-256 mismatch"},
		{"a record in records.json", repack(t, pkg, func(n string, d []byte) []byte {
			if n == RecordsFile {
				return bytes.Replace(d, []byte("198.51.100.2"), []byte("198.51.100.3"), 1)
			}
			return d
		}), nil, "records.json: SHA-256 mismatch"},
		{"a file truncated", repack(t, pkg, func(n string, d []byte) []byte {
			if n == "subscriber_basic.csv" {
				return d[:len(d)-1]
			}
			return d
		}), nil, "subscriber_basic.csv: size mismatch"},
		{"the manifest", repack(t, pkg, flip(ManifestFile, mid)), nil, "manifest.sig: signature does not verify with the given key"},
		{"the signature", repack(t, pkg, flip(SignatureFile, func([]byte) int { return 3 })), nil, "manifest.sig: signature does not verify with the given key"},
		{"a wrong key", pkg, other.Public(), "manifest.sig: signature does not verify with the given key (the manifest names signing key"},
		{"an extra file", repack(t, pkg, keep, file{"records.csv", []byte("a,b\r\n")}), nil, "records.csv: not in manifest"},
		{"a missing file", repack(t, pkg, func(n string, d []byte) []byte {
			if n == CertificationFile {
				return nil
			}
			return d
		}), nil, "certification-902-11.pdf: listed in the manifest but missing from the package"},
		{"no signature", repack(t, pkg, func(n string, d []byte) []byte {
			if n == SignatureFile {
				return nil
			}
			return d
		}), nil, "manifest.sig: missing from the package"},
		{"not a ZIP", []byte("%PDF-1.4 hello"), nil, "not a readable ZIP archive"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pub := c.pub
			if pub == nil {
				pub = in.Key.Public()
			}
			_, err := verify(c.pkg, pub)
			if err == nil {
				t.Fatal("Verify accepted a tampered package")
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %q, want it to start with %q", err, c.want)
			}
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("error kind %v, want invalid", errs.KindOf(err))
			}
		})
	}
}

// TestVerifyEveryByte flips bytes of a package in turn (every third byte,
// which reaches every header, file and directory entry, to keep the test
// quick on a shared machine; -run it with stride 1 after changing Verify's
// reading of archives). Verify must
// fail, unless the byte was ZIP metadata (a timestamp, an attribute, the
// CRC field) and every file still reads back with its original content.
func TestVerifyEveryByte(t *testing.T) {
	in := courtOrderInput(t)
	pkg, _ := build(t, in)
	orig, _ := unzip(t, pkg)
	pub := in.Key.Public()
	passed := 0
	buf := bytes.Clone(pkg)
	stride := 3
	if testing.Short() {
		stride = 17
	}
	tried := 0
	for i := 0; i < len(buf); i += stride {
		tried++
		buf[i] ^= 0xff
		if _, err := verify(buf, pub); err == nil {
			passed++
			zr, err := zip.NewReader(bytes.NewReader(buf), int64(len(buf)))
			if err != nil {
				t.Fatalf("byte %d: Verify passed an archive Go cannot open: %v", i, err)
			}
			if len(zr.File) != len(orig) {
				t.Fatalf("byte %d: Verify passed with %d files, want %d", i, len(zr.File), len(orig))
			}
			for _, f := range zr.File {
				rc, err := openContent(f)
				if err != nil {
					t.Fatalf("byte %d: %s unreadable after Verify passed: %v", i, f.Name, err)
				}
				got, err := io.ReadAll(rc)
				if err != nil || !bytes.Equal(got, orig[f.Name]) {
					t.Fatalf("byte %d: Verify passed but %s changed", i, f.Name)
				}
			}
		}
		buf[i] ^= 0xff
	}
	t.Logf("%d of %d single-byte changes were ZIP metadata only and verified; all others failed", passed, tried)
}
