package web

import (
	"testing"
	"time"

	"vigil/lawreq"
)

// TestHandoversAcrossDST checks the schedule's week starts stay at the
// local hand-over hour across a DST change and agree with lawreq's
// rotation about who each week belongs to.
func TestHandoversAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time-zone data on this host:", err)
	}
	// Tuesday 2026-03-03; DST starts Sunday 2026-03-08.
	now := time.Date(2026, 3, 3, 12, 0, 0, 0, ny)
	rot := &lawreq.Rotation{Members: []string{"a", "b", "c"}, HandoverDay: time.Monday, HandoverHour: 9, Zone: "America/New_York", Anchor: now}
	if err := rot.Validate(); err != nil {
		t.Fatal(err)
	}
	starts, err := handovers(rot, now, 4)
	if err != nil || len(starts) != 5 {
		t.Fatalf("handovers: %v %v", starts, err)
	}
	want := []string{"a", "b", "c", "a", "b"}
	for i, s := range starts {
		if s.Weekday() != time.Monday || s.Hour() != 9 || s.Minute() != 0 {
			t.Errorf("week %d starts %s, want Monday 09:00 local", i, s)
		}
		if i == 0 && (s.After(now) || now.Sub(s) > 7*24*time.Hour) {
			t.Errorf("current week starts %s, not the last hand-over before %s", s, now)
		}
		got, err := rot.OnCall(s.Add(time.Minute))
		if err != nil || got != want[i] {
			t.Errorf("week %d (%s): on call %q, want %q (%v)", i, s, got, want[i], err)
		}
		if sched, _ := scheduledAt(rot, s.Add(2*time.Hour)); sched != want[i] {
			t.Errorf("week %d: scheduledAt %q, want %q", i, sched, want[i])
		}
	}
	// Exactly at the hand-over the new week has begun.
	at := time.Date(2026, 3, 9, 9, 0, 0, 0, ny)
	if st, _ := handovers(rot, at, 0); !st[0].Equal(at) {
		t.Errorf("at the hand-over instant the week starts %s, want %s", st[0], at)
	}
	// Overrides do not change who the schedule names, but do change OnCall.
	rot.Overrides = []lawreq.Override{{From: starts[1], To: starts[2], Member: "c"}}
	if err := rot.Validate(); err != nil {
		t.Fatal(err)
	}
	if s, _ := scheduledAt(rot, starts[1].Add(2*time.Hour)); s != "b" {
		t.Errorf("scheduled under an override: %q, want b", s)
	}
	weeks, ovs := schedule(rot, now, func(id string) string { return id })
	if len(weeks) != 5 || len(ovs) != 1 || len(weeks[1].Overrides) != 1 || len(weeks[0].Overrides) != 0 || len(weeks[2].Overrides) != 0 {
		t.Errorf("schedule: %d weeks, %d overrides; week overrides %v", len(weeks), len(ovs), weeks)
	}
	vals := rotationValues(rot, starts[2].Add(time.Hour))
	if vals["members"] != "c\na\nb" {
		t.Errorf("form order in week 3: %q, want c first", vals["members"])
	}
}
