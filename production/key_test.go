package production

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("production.key mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Public().Equal(k2.Public()) {
		t.Fatal("a second LoadOrCreateKey made a new key instead of loading the first")
	}
	if _, err := os.Stat(filepath.Join(dir, "audit.key")); err == nil {
		t.Error("the production key must not touch the audit key")
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".production.key-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestLoadOrCreateKeyRace(t *testing.T) {
	dir := t.TempDir()
	keys := make([]*Key, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := LoadOrCreateKey(dir)
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if k == nil || keys[0] == nil || !k.Public().Equal(keys[0].Public()) {
			t.Fatal("concurrent first use produced different keys")
		}
	}
}

func TestLoadKeyRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadKey(dir); err == nil {
		t.Fatal("LoadKey of a missing key succeeded")
	}
	if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte("PRIVATE+KEY+audit"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(dir); err == nil || !strings.Contains(err.Error(), "PEM") {
		t.Fatalf("LoadOrCreateKey over a corrupt key: %v (it must not replace it)", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	k := testKey(t)
	forms := map[string]string{
		"base64":     k.PublicKeyBase64(),
		"base64+nl":  k.PublicKeyBase64() + "\n",
		"pem":        k.PublicKeyPEM(),
		"well-known": k.PublicKeyBase64() + "\n\n" + k.PublicKeyPEM(),
	}
	for name, s := range forms {
		pub, err := ParsePublicKey(s)
		if err != nil || !pub.Equal(k.Public()) {
			t.Errorf("%s: got %v, %v", name, pub, err)
		}
	}
	for _, bad := range []string{"", "abc", "AAAA", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"} {
		if _, err := ParsePublicKey(bad); err == nil {
			t.Errorf("ParsePublicKey(%q) succeeded", bad)
		}
	}
}
