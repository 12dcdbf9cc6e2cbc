package production

import (
	"bytes"
	"strings"
	"testing"
)

func TestPDFs(t *testing.T) {
	in := courtOrderInput(t)
	in.uncompressedPDF = true
	pkg, m := build(t, in)
	files, _ := unzip(t, pkg)
	cert, cover := files[CertificationFile], files[CoverLetterFile]
	for name, b := range map[string][]byte{CertificationFile: cert, CoverLetterFile: cover} {
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s does not start with %%PDF-", name)
		}
		if !bytes.Contains(b, []byte("Morgan Lee")) {
			t.Errorf("%s does not name the custodian", name)
		}
	}
	for _, want := range []string{"28 U.S.C. ", "902(11)", "902(13)", "902(14)", "penalty of perjury", "Custodian of Records", "Executed on November 24, 2026"} {
		if !bytes.Contains(cert, pdfString(want)) {
			t.Errorf("certification lacks %q", want)
		}
	}
	// The certification identifies every other file by its SHA-256.
	for _, e := range m.Files {
		if e.Name == CertificationFile {
			continue
		}
		if !bytes.Contains(cert, []byte(e.SHA256)) {
			t.Errorf("certification does not list the SHA-256 of %s", e.Name)
		}
	}
	for _, want := range []string{"Dana Reyes", "2026-CR-0142", "req-0042", "Weixin", "login_metadata.csv", "needs a search warrant", "Alex Chen", "le-response@example.com"} {
		if !bytes.Contains(cover, pdfString(want)) {
			t.Errorf("cover letter lacks %q", want)
		}
	}
	if strings.Contains(string(cert), "CreationDate (D:2026") == false {
		t.Errorf("certification creation date is not the fixed created_at")
	}
}

// pdfString is s as it appears in an uncompressed PDF content stream:
// parentheses and backslashes are escaped.
func pdfString(s string) []byte {
	return []byte(strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(s))
}
