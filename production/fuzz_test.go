package production

import (
	"bytes"
	"testing"
)

// FuzzVerify feeds Verify arbitrary archives, seeded with a real package:
// it must never panic, and must accept only the untouched package's content.
func FuzzVerify(f *testing.F) {
	in := courtOrderInput(f)
	var buf bytes.Buffer
	if _, err := Build(&buf, in); err != nil {
		f.Fatal(err)
	}
	pkg := buf.Bytes()
	f.Add(pkg)
	f.Add(pkg[:len(pkg)/2])
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	pub := in.Key.Public()
	f.Fuzz(func(t *testing.T, b []byte) {
		rep, err := Verify(bytes.NewReader(b), int64(len(b)), pub)
		if err == nil && len(rep.Files) != len(rep.Manifest.Files) {
			t.Fatalf("verified with %d files checked of %d listed", len(rep.Files), len(rep.Manifest.Files))
		}
	})
}

// FuzzParsePublicKey: key text comes from the command line and files.
func FuzzParsePublicKey(f *testing.F) {
	k := testKey(f)
	f.Add(k.PublicKeyBase64())
	f.Add(k.PublicKeyPEM())
	f.Add("-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n")
	f.Fuzz(func(t *testing.T, s string) {
		if pub, err := ParsePublicKey(s); err == nil && len(pub) != 32 {
			t.Fatalf("accepted a %d-byte key", len(pub))
		}
	})
}
