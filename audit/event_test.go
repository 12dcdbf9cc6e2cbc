package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLeafEncodingIsPinned fixes the v1 bytes: a change here breaks every
// stored log's hashes, so it must come with a new LeafVersion.
func TestLeafEncodingIsPinned(t *testing.T) {
	at := time.Date(2026, 11, 24, 17, 4, 5, 123456789, time.FixedZone("CST", 8*3600))
	b, err := EncodeLeaf(7, Event{
		Actor: "staff:ana", Role: "le_response", Action: "account.view",
		Records: []string{"account:wxid_9", "account:wxid_1"}, Reason: "request <LE-7> & preservation",
		At: at, Detail: map[string]string{"z": "1", "a": "微信"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"action":"account.view","actor":"staff:ana","at":"2026-11-24T09:04:05.123456Z","detail":{"a":"微信","z":"1"},"index":7,"reason":"request <LE-7> & preservation","records":["account:wxid_9","account:wxid_1"],"role":"le_response","v":1}`
	if string(b) != want {
		t.Fatalf("leaf encoding changed:\n got %s\nwant %s", b, want)
	}
	l, err := DecodeLeaf(b)
	if err != nil {
		t.Fatal(err)
	}
	if l.Index != 7 || !l.Event.At.Equal(at.Truncate(time.Microsecond)) || l.Event.Detail["a"] != "微信" || l.Event.Records[1] != "account:wxid_1" {
		t.Fatalf("decoded %+v", l)
	}
	// Empty collections encode as [] and {}, however they were given.
	e1, _ := EncodeLeaf(0, Event{Actor: "a", Action: "x", At: at})
	e2, _ := EncodeLeaf(0, Event{Actor: "a", Action: "x", At: at, Records: []string{}, Detail: map[string]string{}})
	if string(e1) != string(e2) || !strings.Contains(string(e1), `"records":[]`) || !strings.Contains(string(e1), `"detail":{}`) {
		t.Fatalf("empty collections: %s vs %s", e1, e2)
	}
	// Normalising twice changes nothing (Append normalises, then encodes).
	e3, _ := EncodeLeaf(0, Event{Actor: "a", Action: "x", At: at}.normalize().normalize())
	if string(e3) != string(e1) {
		t.Fatalf("normalize is not idempotent: %s", e3)
	}
}

func TestDecodeLeafRejectsNonCanonicalBytes(t *testing.T) {
	good := `{"action":"x","actor":"a","at":"2026-11-24T09:04:05Z","detail":{},"index":1,"reason":"","records":[],"role":"","v":1}`
	if _, err := DecodeLeaf([]byte(good)); err != nil {
		t.Fatalf("canonical leaf rejected: %v", err)
	}
	for name, bad := range map[string]string{
		"spaces":        strings.Replace(good, `"action":"x"`, `"action": "x"`, 1),
		"key order":     `{"actor":"a","action":"x","at":"2026-11-24T09:04:05Z","detail":{},"index":1,"reason":"","records":[],"role":"","v":1}`,
		"unknown field": strings.Replace(good, `"v":1`, `"v":1,"w":2`, 1),
		"version":       strings.Replace(good, `"v":1`, `"v":2`, 1),
		"local time":    strings.Replace(good, `09:04:05Z`, `17:04:05+08:00`, 1),
		"nanoseconds":   strings.Replace(good, `09:04:05Z`, `09:04:05.000000001Z`, 1),
		"no actor":      strings.Replace(good, `"actor":"a"`, `"actor":""`, 1),
		"trailing":      good + `{}`,
		"not json":      "account.view by a",
	} {
		if _, err := DecodeLeaf([]byte(bad)); err == nil {
			t.Errorf("%s: accepted %s", name, bad)
		}
	}
}

func TestEventValidateNamesTheField(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := Event{Actor: "a", Action: "x", At: at}
	for field, e := range map[string]Event{
		"actor":      {Action: "x", At: at},
		"action":     {Actor: "a", At: at},
		"at":         {Actor: "a", Action: "x"},
		"records[1]": {Actor: "a", Action: "x", At: at, Records: []string{"r", ""}},
		"role":       {Actor: "a", Action: "x", At: at, Role: strings.Repeat("r", MaxFieldLen+1)},
		"reason":     {Actor: "a", Action: "x", At: at, Reason: "\xff"},
		"records":    {Actor: "a", Action: "x", At: at, Records: make([]string, MaxRecords+1)},
	} {
		err := e.Validate()
		fe, isField := err.(*FieldError)
		if !isField || fe.Field != field {
			t.Errorf("want error on %s, got %v", field, err)
		}
	}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestKeyFileCreatedPrivateAndReloaded(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKey(dir, "example.org/vigil")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit.key mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(dir, "other.origin/ignored")
	if err != nil {
		t.Fatal(err)
	}
	if k2.Origin() != "example.org/vigil" || k2.VerifierKey != k1.VerifierKey {
		t.Fatalf("reloaded key differs: %s vs %s", k2.VerifierKey, k1.VerifierKey)
	}
	msg := []byte("x")
	sig, _ := k1.Signer.Sign(msg)
	if !k2.Verifier.Verify(msg, sig) {
		t.Fatal("derived public key does not verify the private key's signature")
	}
	// Keys whose base64 contains '+' or '/' must parse too: try many.
	for i := 0; i < 64; i++ {
		k, err := NewKeys("n")
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := k.Signer.Sign(msg)
		if !k.Verifier.Verify(msg, sig) {
			t.Fatal("fresh key pair does not verify")
		}
	}
	if _, err := LoadOrCreateKey(t.TempDir(), "has space"); err == nil {
		t.Fatal("origin with a space accepted")
	}
	if _, err := KeysFromSignerKey("PRIVATE+KEY+n+00000000+AAAA"); err == nil {
		t.Fatal("garbage key accepted")
	}
}

func FuzzDecodeLeaf(f *testing.F) {
	b, _ := EncodeLeaf(3, Event{Actor: "a", Action: "x", At: time.Unix(0, 0), Records: []string{"r"}, Detail: map[string]string{"k": "v"}})
	f.Add(b)
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := DecodeLeaf(data)
		if err != nil {
			return
		}
		// Whatever decodes must re-encode to exactly the same bytes.
		again, err := EncodeLeaf(l.Index, l.Event)
		if err != nil || string(again) != string(data) {
			t.Fatalf("decoded leaf re-encodes differently: %q vs %q (%v)", again, data, err)
		}
	})
}
