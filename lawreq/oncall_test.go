package lawreq

import (
	"slices"
	"testing"
	"time"

	"vigil/errs"
)

func nyRotation(t *testing.T) *Rotation {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("time zone data absent (%v): install tzdata", err)
	}
	r := &Rotation{
		Members:      []string{"ana", "bo", "cy"},
		HandoverDay:  time.Monday,
		HandoverHour: 9,
		Zone:         "America/New_York",
		Anchor:       time.Date(2026, 3, 2, 10, 0, 0, 0, ny), // ana's week; DST starts Sun 8 March
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOnCallAcrossDST(t *testing.T) {
	r := nyRotation(t)
	ny, _ := time.LoadLocation("America/New_York")
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 8, 59, 0, 0, ny), "cy"}, // before the anchor's hand-over: the previous week
		{time.Date(2026, 3, 2, 9, 0, 0, 0, ny), "ana"},
		{time.Date(2026, 3, 8, 23, 0, 0, 0, ny), "ana"},
		// Monday 9 March, now EDT. 168 h after the EST hand-over would be
		// 10:00 local; the hand-over follows the wall clock at 09:00.
		{time.Date(2026, 3, 9, 8, 59, 59, 0, ny), "ana"},
		{time.Date(2026, 3, 9, 13, 0, 0, 0, time.UTC), "bo"}, // = 09:00 EDT
		{time.Date(2026, 3, 9, 13, 30, 0, 0, time.UTC), "bo"},
		{time.Date(2026, 3, 16, 9, 0, 0, 0, ny), "cy"},
		{time.Date(2026, 3, 23, 9, 0, 0, 0, ny), "ana"},
		// Back to EST on Sunday 1 November.
		{time.Date(2026, 11, 2, 8, 59, 0, 0, ny), rotAt(35 - 1)},
		{time.Date(2026, 11, 2, 14, 0, 0, 0, time.UTC), rotAt(35)}, // = 09:00 EST
	}
	for _, c := range cases {
		got, err := r.OnCall(c.at)
		if err != nil || got != c.want {
			t.Errorf("OnCall(%v) = %q, %v; want %q", c.at, got, err, c.want)
		}
	}
}

// rotAt is who is on call n weeks after the anchor week.
func rotAt(n int) string { return []string{"ana", "bo", "cy"}[n%3] }

func TestHandoverInsideDSTGap(t *testing.T) {
	r := nyRotation(t)
	r.HandoverDay, r.HandoverHour = time.Sunday, 2 // 02:00 does not exist on 8 March 2026
	r.Anchor = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	before, _ := r.OnCall(time.Date(2026, 3, 8, 6, 59, 0, 0, time.UTC)) // 01:59 EST
	after, _ := r.OnCall(time.Date(2026, 3, 8, 7, 0, 0, 0, time.UTC))   // 03:00 EDT, first instant after the gap
	if before != "ana" || after != "bo" {
		t.Errorf("gap hand-over: before %q after %q", before, after)
	}
}

func TestOverrides(t *testing.T) {
	r := nyRotation(t)
	ny, _ := time.LoadLocation("America/New_York")
	r.Overrides = []Override{{From: time.Date(2026, 3, 10, 0, 0, 0, 0, ny), To: time.Date(2026, 3, 12, 0, 0, 0, 0, ny), Member: "dee", Reason: "bo on leave"}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	for at, want := range map[time.Time]string{
		time.Date(2026, 3, 9, 23, 59, 0, 0, ny): "bo",
		time.Date(2026, 3, 10, 0, 0, 0, 0, ny):  "dee",
		time.Date(2026, 3, 11, 23, 0, 0, 0, ny): "dee",
		time.Date(2026, 3, 12, 0, 0, 0, 0, ny):  "bo",
	} {
		if got, _ := r.OnCall(at); got != want {
			t.Errorf("OnCall(%v) = %q, want %q", at, got, want)
		}
	}
}

func TestRotationValidate(t *testing.T) {
	base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		r    Rotation
		want []string
	}{
		"empty":      {Rotation{Zone: "UTC", Anchor: base}, []string{"members"}},
		"dup":        {Rotation{Members: []string{"a", "a"}, Zone: "UTC", Anchor: base}, []string{"members[1]"}},
		"zone":       {Rotation{Members: []string{"a"}, Zone: "Mars/Olympus", Anchor: base}, []string{"zone"}},
		"blank zone": {Rotation{Members: []string{"a"}, Anchor: base}, []string{"zone"}},
		"hour":       {Rotation{Members: []string{"a"}, Zone: "UTC", HandoverHour: 24, Anchor: base}, []string{"handover_hour"}},
		"day":        {Rotation{Members: []string{"a"}, Zone: "UTC", HandoverDay: 7, Anchor: base}, []string{"handover_day"}},
		"anchor":     {Rotation{Members: []string{"a"}, Zone: "UTC"}, []string{"anchor"}},
		"overlap": {Rotation{Members: []string{"a"}, Zone: "UTC", Anchor: base, Overrides: []Override{
			{From: base, To: base.Add(48 * time.Hour), Member: "b"},
			{From: base.Add(24 * time.Hour), To: base.Add(72 * time.Hour), Member: "c"},
		}}, []string{"overrides[1]"}},
		"backwards": {Rotation{Members: []string{"a"}, Zone: "UTC", Anchor: base, Overrides: []Override{
			{From: base, To: base, Member: "b"}}}, []string{"overrides[0].to"}},
	}
	for name, c := range cases {
		if got := fields(c.r.Validate()); !slices.Equal(got, c.want) {
			t.Errorf("%s: fields %q, want %q", name, got, c.want)
		}
	}
	var unvalidated Rotation
	if _, err := unvalidated.OnCall(base); err == nil {
		t.Error("OnCall on an unvalidated rotation succeeded")
	}
}

func TestAssign(t *testing.T) {
	r := nyRotation(t)
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC) // bo on call
	team := []TeamMember{{ID: "ana"}, {ID: "bo"}, {ID: "cy", Unavailable: true}, {ID: "dee"}}
	cases := []struct {
		typ  RequestType
		last string
		want string
	}{
		{EmergencyDisclosure, "ana", "bo"},
		{Preservation2703f, "", "bo"},
		{PreservationExtension, "dee", "bo"},
		{Subpoena, "", "ana"},
		{Subpoena, "ana", "bo"},
		{CourtOrder2703d, "bo", "dee"}, // cy unavailable: skipped
		{SearchWarrant, "dee", "ana"},  // wraps around
		{Subpoena, "gone", "ana"},      // last assignee left the team
		{Subpoena, "cy", "dee"},
	}
	for _, c := range cases {
		got, err := Assign(c.typ, at, r, team, c.last)
		if err != nil || got != c.want {
			t.Errorf("Assign(%s, last=%q) = %q, %v; want %q", c.typ, c.last, got, err, c.want)
		}
	}
	// Round-robin over many requests spreads evenly among available members.
	counts := map[string]int{}
	last := ""
	for range 30 {
		last, _ = Assign(Subpoena, at, r, team, last)
		counts[last]++
	}
	if counts["ana"] != 10 || counts["bo"] != 10 || counts["dee"] != 10 || counts["cy"] != 0 {
		t.Errorf("round-robin counts %v", counts)
	}
	if _, err := Assign(Subpoena, at, r, []TeamMember{{ID: "x", Unavailable: true}}, ""); !errs.Is(err, errs.Unavailable) {
		t.Errorf("nobody available: %v", err)
	}
	if _, err := Assign(Subpoena, at, r, nil, ""); !errs.Is(err, errs.Unavailable) {
		t.Errorf("empty team: %v", err)
	}
	if _, err := Assign("x", at, r, team, ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown type: %v", err)
	}
}
