package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"vigil/lawreq"
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

func TestResponseTimePolicyFromFlags(t *testing.T) {
	def := lawreq.DefaultPolicy()
	p, err := leOptions{}.policy()
	if err != nil || p.Deadlines[lawreq.EmergencyDisclosure] != def.Deadlines[lawreq.EmergencyDisclosure] {
		t.Fatalf("no flags must keep the default policy: %v %+v", err, p.Deadlines[lawreq.EmergencyDisclosure])
	}
	p, err = leOptions{dueEmergency: 24 * time.Hour, targetEmergency: 4 * time.Hour, duePreservation: 36 * time.Hour, dueLegalProcess: 240 * time.Hour}.policy()
	if err != nil {
		t.Fatal(err)
	}
	for typ, want := range map[lawreq.RequestType]lawreq.Deadline{
		lawreq.EmergencyDisclosure:   {Due: 24 * time.Hour, Target: 4 * time.Hour},
		lawreq.Preservation2703f:     {Due: 36 * time.Hour},
		lawreq.PreservationExtension: {Due: 36 * time.Hour},
		lawreq.Subpoena:              {Due: 240 * time.Hour},
		lawreq.CourtOrder2703d:       {Due: 240 * time.Hour},
		lawreq.SearchWarrant:         {Due: 240 * time.Hour},
	} {
		if got := p.Deadlines[typ]; got != want {
			t.Errorf("%s: got %+v, want %+v", typ, got, want)
		}
	}
	if _, err := (leOptions{dueEmergency: -time.Hour}).policy(); err == nil || !strings.Contains(err.Error(), "--due-") {
		t.Fatalf("a negative deadline must be refused naming the flags, got %v", err)
	}
}

func TestEscalationWebhookMustBeHTTP(t *testing.T) {
	o := serveOptions{data: t.TempDir(), addr: "127.0.0.1:0", role: "all", logLevel: "warn", auditOrigin: "test/audit",
		le: leOptions{webhookURL: "ftp://example.org/hook"}}
	err := runServe(context.Background(), o, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--escalation-webhook") {
		t.Fatalf("got %v", err)
	}
}
