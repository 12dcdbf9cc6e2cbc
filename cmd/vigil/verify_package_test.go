package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vigil/lawreq"
	"vigil/production"
)

// productionPackage builds a small subpoena package signed with the key in
// a fresh data directory, writes it to a file and returns both paths.
func productionPackage(t *testing.T) (dataDir, zipPath string, pkg []byte) {
	t.Helper()
	dataDir = t.TempDir()
	key, err := production.LoadOrCreateKey(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	in := production.Input{
		Request: lawreq.Request{ID: "req-7", Type: lawreq.Subpoena, CaseNumber: "GJ-2026-11", AgencyID: "agency-1",
			Officer: lawreq.Contact{Name: "Dana Reyes", Email: "dreyes@fbi.gov"}},
		AgencyName: "FBI San Francisco",
		Granted:    []lawreq.Category{lawreq.SubscriberBasic},
		Records: map[lawreq.Category][]production.Row{lawreq.SubscriberBasic: {
			{"account_id": "acct-1", "wechat_id": "lucky_dragon88", "phone": "+14155550100"},
		}},
		Custodian:  production.Custodian{Name: "Morgan Lee", Title: "Custodian of Records", Organization: "Example Messaging Inc."},
		Producer:   production.Producer{System: "vigil", Version: "test"},
		SnapshotAt: at,
		Key:        key,
		Now:        func() time.Time { return at.Add(time.Hour) },
	}
	var buf bytes.Buffer
	if _, err := production.Build(&buf, in); err != nil {
		t.Fatal(err)
	}
	zipPath = filepath.Join(t.TempDir(), "production.zip")
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return dataDir, zipPath, buf.Bytes()
}

func TestVerifyPackageCLI(t *testing.T) {
	dir, zipPath, pkg := productionPackage(t)
	key, err := production.LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "vigil-production-key.txt")
	if err := os.WriteFile(keyFile, []byte(key.PublicKeyBase64()+"\n\n"+key.PublicKeyPEM()), 0o644); err != nil {
		t.Fatal(err)
	}

	for name, args := range map[string][]string{
		"key from --data":       {"verify-package", zipPath, "--pubkey=", "--data", dir},
		"key as base64":         {"verify-package", zipPath, "--pubkey", key.PublicKeyBase64()},
		"key from a file":       {"verify-package", zipPath, "--pubkey", keyFile},
		"flags before the file": {"verify-package", "--pubkey", keyFile, zipPath},
	} {
		code, out, errOut := runCaptured(t, args...)
		if code != 0 || !strings.HasSuffix(out, "package verified\n") || !strings.Contains(out, "OK  cover-letter.pdf") ||
			!strings.Contains(out, "OK  subscriber_basic.csv") || !strings.Contains(out, "case GJ-2026-11") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", name, code, out, errOut)
		}
	}

	// One byte changed in the middle of the certification's stored data.
	tampered := filepath.Join(t.TempDir(), "tampered.zip")
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(pkg)
	for _, f := range zr.File {
		if f.Name == production.CertificationFile {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			bad[off+int64(f.CompressedSize64/2)] ^= 0x01
		}
	}
	if err := os.WriteFile(tampered, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCaptured(t, "verify-package", tampered, "--data", dir)
	if code != 1 || strings.Contains(out, "package verified") || !strings.Contains(errOut, "NOT verified: certification-902-11.pdf: ") {
		t.Errorf("tampered package: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	other, _ := production.GenerateKey()
	code, _, errOut = runCaptured(t, "verify-package", zipPath, "--pubkey", other.PublicKeyBase64())
	if code != 1 || !strings.Contains(errOut, "manifest.sig: signature does not verify with the given key") {
		t.Errorf("wrong key: exit %d, stderr %q", code, errOut)
	}

	for name, args := range map[string][]string{
		// Flags keep their values between runs of the one root command in
		// this process, so each case sets both.
		"no key":       {"verify-package", zipPath, "--pubkey=", "--data", t.TempDir()},
		"bad key text": {"verify-package", zipPath, "--pubkey", "not-a-key"},
		"no file":      {"verify-package", filepath.Join(dir, "nope.zip"), "--pubkey=", "--data", dir},
	} {
		if code, _, errOut := runCaptured(t, args...); code != 2 || errOut == "" {
			t.Errorf("%s: exit %d (want 2), stderr %q", name, code, errOut)
		}
	}
}
