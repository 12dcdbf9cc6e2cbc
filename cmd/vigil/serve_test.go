package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

func TestServeRefusesBadRoleAndSplitRolesWithoutExternalNATS(t *testing.T) {
	for _, tc := range []struct {
		role, want string
	}{
		{"everything", `--role "everything": use api, worker or all`},
		{"api", "--role api or worker needs --nats-url"},
		{"worker", "--role api or worker needs --nats-url"},
	} {
		o := serveOptions{data: t.TempDir(), addr: "127.0.0.1:0", role: tc.role, logLevel: "warn", auditOrigin: "test/audit"}
		err := runServe(context.Background(), o, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("role %q: got %v, want an error containing %q", tc.role, err, tc.want)
		}
	}
}

func TestServeRefusesBadLogLevel(t *testing.T) {
	o := serveOptions{data: t.TempDir(), addr: "127.0.0.1:0", role: "all", logLevel: "loud"}
	err := runServe(context.Background(), o, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--log-level") {
		t.Fatalf("got %v", err)
	}
}
