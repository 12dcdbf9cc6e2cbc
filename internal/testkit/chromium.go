package testkit

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's Chromium, which .ci/run installs.
const ChromiumPath = "/usr/bin/chromium"

// EnvScreenshots names the directory Screenshot writes to; unset, each test
// writes to its own temporary directory.
const EnvScreenshots = "VIGIL_SCREENSHOTS"

// browserTimeout bounds a whole browser session, so a page that never
// finishes loading fails the test instead of hanging it.
const browserTimeout = 5 * time.Minute

// Chromium starts a headless Chromium for t with a fresh profile and returns
// a chromedp context driving one tab. It skips t, saying why, only when the
// Chromium binary is absent; a browser that is present but cannot start
// fails t. cancel closes the browser; it also runs at the end of t.
func Chromium(t testing.TB) (ctx context.Context, cancel func()) {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Skipf("browser test skipped: %s not found (install Debian's chromium package, as .ci/run does)", ChromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	base, stopTimer := context.WithTimeout(context.Background(), browserTimeout)
	alloc, stopAlloc := chromedp.NewExecAllocator(base, opts...)
	// chromedp may report from its own goroutines; once t has ended,
	// t.Logf would panic, so reports after cancel are dropped.
	var done atomic.Bool
	logf := func(format string, args ...any) {
		if !done.Load() {
			t.Logf("chromium: "+format, args...)
		}
	}
	ctx, stopTab := chromedp.NewContext(alloc, chromedp.WithErrorf(logf))
	cancel = func() {
		stopTab()
		stopAlloc()
		stopTimer()
		done.Store(true)
	}
	t.Cleanup(cancel)
	// The first Run launches the browser: fail here, with the cause, rather
	// than at the test's first navigation.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("start %s: %v", ChromiumPath, err)
	}
	return ctx, cancel
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a full-page PNG of the current page as NAME.png in
// $VIGIL_SCREENSHOTS (created if needed) or, when that is unset, in a
// temporary directory of t, and returns its path.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv(EnvScreenshots)
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot directory: %v", err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot %s: %s", name, path)
	return path
}
