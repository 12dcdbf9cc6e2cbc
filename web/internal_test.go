package web

import (
	"testing"
	"time"
)

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/me": "/me", "/a?b=c": "/a?b=c", "": "/", "//evil.example/x": "/", "https://evil.example/": "/",
		"/login": "/", "/login/totp": "/", "javascript:alert(1)": "/", `/\evil`: "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(Limit{Burst: 2, Every: 10 * time.Second}, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.Allow("k"); ok != want {
			t.Fatalf("take %d: %v, want %v", i, ok, want)
		}
	}
	if ok, _ := l.Allow("other"); !ok {
		t.Fatal("keys share a bucket")
	}
	_, wait := l.Allow("k")
	if wait <= 0 || wait > 10*time.Second {
		t.Fatalf("wait = %v", wait)
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.Allow("k"); !ok {
		t.Fatal("no refill after Every")
	}
	// Full buckets are swept so idle keys do not accumulate.
	now = now.Add(time.Hour)
	l.Allow("k")
	if len(l.buckets) != 1 {
		t.Fatalf("%d buckets after sweep, want 1", len(l.buckets))
	}
}
