package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUnknownCommandFailsWithUsageHint(t *testing.T) {
	var out bytes.Buffer
	root.SetErr(&out)
	if code := run([]string{"no-such-command"}); code == 0 {
		t.Fatalf("unknown command exited 0")
	}
	root.SetErr(nil)
}

func TestVersionFlag(t *testing.T) {
	var out bytes.Buffer
	root.SetOut(&out)
	defer root.SetOut(nil)
	if code := run([]string{"--version"}); code != 0 {
		t.Fatalf("--version exited %d", code)
	}
	if !strings.Contains(out.String(), "vigil version") {
		t.Fatalf("--version printed %q", out.String())
	}
}
