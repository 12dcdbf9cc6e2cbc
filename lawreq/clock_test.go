package lawreq

import (
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 6, 22, 0, 0, 0, time.UTC) // a Friday night: the clock runs through weekends

func TestDefaultPolicyDue(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[RequestType]time.Duration{
		EmergencyDisclosure: 48 * time.Hour, Preservation2703f: 48 * time.Hour, PreservationExtension: 48 * time.Hour,
		Subpoena: 14 * 24 * time.Hour, CourtOrder2703d: 14 * 24 * time.Hour, SearchWarrant: 14 * 24 * time.Hour,
	}
	for typ, d := range want {
		got, err := p.Due(&Request{Type: typ}, t0)
		if err != nil || !got.Equal(t0.Add(d)) {
			t.Errorf("Due(%s) = %v, %v; want %v", typ, got, err, t0.Add(d))
		}
	}
	if p.Deadlines[EmergencyDisclosure].Target != 8*time.Hour {
		t.Error("emergency internal target is not 8 h")
	}
	// A return date printed on the process wins when it is sooner.
	soon := t0.AddDate(0, 0, 5)
	if got, _ := p.Due(&Request{Type: Subpoena, ReturnBy: soon}, t0); !got.Equal(soon) {
		t.Errorf("return date sooner: due %v, want %v", got, soon)
	}
	if got, _ := p.Due(&Request{Type: Subpoena, ReturnBy: t0.AddDate(0, 1, 0)}, t0); !got.Equal(t0.AddDate(0, 0, 14)) {
		t.Errorf("return date later: due %v", got)
	}
	if _, err := p.Due(&Request{Type: "x"}, t0); err == nil {
		t.Error("unknown type has a due time")
	}
}

func TestPolicyValidate(t *testing.T) {
	cases := map[string]struct {
		mutate func(*Policy)
		field  string
	}{
		"missing type":     {func(p *Policy) { delete(p.Deadlines, SearchWarrant) }, "deadlines.search_warrant.due"},
		"target too late":  {func(p *Policy) { p.Deadlines[EmergencyDisclosure] = Deadline{Due: time.Hour, Target: time.Hour} }, "deadlines.emergency_disclosure.target"},
		"unknown type":     {func(p *Policy) { p.Deadlines["wiretap"] = Deadline{Due: time.Hour} }, "deadlines.wiretap"},
		"no breach rung":   {func(p *Policy) { p.Ladder = p.Ladder[:3] }, "ladder"},
		"not increasing":   {func(p *Policy) { p.Ladder[1].Fraction = 0.4 }, "ladder[1].fraction"},
		"bad recipient":    {func(p *Policy) { p.Ladder[0].Notify = []Recipient{"ceo"} }, "ladder[0].notify"},
		"no target notify": {func(p *Policy) { p.TargetNotify = nil }, "target_notify"},
		"dup level":        {func(p *Policy) { p.Ladder[1].Level = Level50 }, "ladder[1].level"},
	}
	for name, c := range cases {
		p := DefaultPolicy()
		p.Ladder = DefaultLadder()
		c.mutate(&p)
		if fs := fields(p.Validate()); !slices.Contains(fs, c.field) {
			t.Errorf("%s: fields %q, want %s", name, fs, c.field)
		}
	}
}

func TestStatus(t *testing.T) {
	p := DefaultPolicy()
	em := SLA{Type: EmergencyDisclosure, ReceivedAt: t0}
	cases := []struct {
		name                  string
		s                     SLA
		at                    time.Duration
		left                  time.Duration
		used                  float64
		breached, missed, pau bool
	}{
		{"fresh", em, 0, 48 * time.Hour, 0, false, false, false},
		{"at target", em, 8 * time.Hour, 40 * time.Hour, 1.0 / 6, false, false, false},
		{"past target", em, 8*time.Hour + time.Second, 40*time.Hour - time.Second, (8*3600 + 1) / (48 * 3600.0), false, true, false},
		{"half", em, 24 * time.Hour, 24 * time.Hour, 0.5, false, true, false},
		{"at due", em, 48 * time.Hour, 0, 1, false, true, false},
		{"breached", em, 50 * time.Hour, -2 * time.Hour, 50.0 / 48, true, true, false},
		{"answered in time", withAnswer(em, 6*time.Hour), 100 * time.Hour, 42 * time.Hour, 0.125, false, false, false},
		{"answered late", withAnswer(em, 49*time.Hour), 100 * time.Hour, -time.Hour, 49.0 / 48, true, true, false},
		// Counsel paused for 10 h: due moves 10 h later.
		{"closed pause", withPause(em, 4*time.Hour, 14*time.Hour), 30 * time.Hour, 28 * time.Hour, 20.0 / 48, false, true, false},
		// An open pause freezes the time left, whenever it is read.
		{"open pause early", withPause(em, 4*time.Hour, 0), 10 * time.Hour, 44 * time.Hour, 4.0 / 48, false, false, true},
		{"open pause late", withPause(em, 4*time.Hour, 0), 90 * time.Hour, 44 * time.Hour, 4.0 / 48, false, false, true},
	}
	for _, c := range cases {
		st, err := p.Status(c.s, t0.Add(c.at))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if st.Left != c.left || st.Breached != c.breached || st.TargetMissed != c.missed || st.Paused != c.pau || !near(st.Used, c.used) {
			t.Errorf("%s: got left=%v used=%.4f breached=%v missed=%v paused=%v; want %v %.4f %v %v %v",
				c.name, st.Left, st.Used, st.Breached, st.TargetMissed, st.Paused, c.left, c.used, c.breached, c.missed, c.pau)
		}
	}
}

// TestMoreInfoDoesNotPauseByItself documents the decision: time spent in
// more_info_needed counts unless counsel records a pause with a reason.
func TestMoreInfoDoesNotPauseByItself(t *testing.T) {
	p := DefaultPolicy()
	if Answers(MoreInfoNeeded) {
		t.Fatal("more_info_needed must not stop the clock")
	}
	s := SLA{Type: Preservation2703f, ReceivedAt: t0} // more info asked at 2 h, answered at 40 h: no pause recorded
	st, _ := p.Status(s, t0.Add(49*time.Hour))
	if !st.Breached {
		t.Error("unpaused more-info period did not count towards the deadline")
	}
	bad := []Pause{
		{Start: t0.Add(2 * time.Hour), End: t0.Add(40 * time.Hour), Reason: "waiting on officer", By: RoleLEResponse},
		{Start: t0.Add(2 * time.Hour), End: t0.Add(40 * time.Hour), Reason: " ", By: RoleLegal},
	}
	for _, b := range bad {
		if _, err := p.Status(SLA{Type: Preservation2703f, ReceivedAt: t0, Pauses: []Pause{b}}, t0); err == nil {
			t.Errorf("pause %+v accepted", b)
		}
	}
	for name, ps := range map[string][]Pause{
		"overlap":       {pz(1, 5), pz(4, 6)},
		"before intake": {pz(-1, 2)},
		"open not last": {pz(1, 0), pz(3, 4)},
		"backwards":     {pz(5, 3)},
	} {
		if _, err := p.Status(SLA{Type: Subpoena, ReceivedAt: t0, Pauses: ps}, t0); err == nil {
			t.Errorf("%s pauses accepted", name)
		}
	}
	for _, s := range []State{Delivered, Rejected, OutOfJurisdiction, Withdrawn, Closed} {
		if !Answers(s) {
			t.Errorf("%s should stop the clock", s)
		}
	}
}

func TestEscalationsDue(t *testing.T) {
	p := DefaultPolicy()
	em := SLA{Type: EmergencyDisclosure, ReceivedAt: t0}
	var sent []Level
	step := func(at time.Duration, want ...Level) []Escalation {
		t.Helper()
		es, err := p.EscalationsDue(em, t0.Add(at), sent)
		if err != nil {
			t.Fatal(err)
		}
		var got []Level
		for _, e := range es {
			got = append(got, e.Level)
			sent = append(sent, e.Level)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("at %v: levels %v, want %v", at, got, want)
		}
		return es
	}
	step(7 * time.Hour)
	es := step(8*time.Hour+time.Minute, LevelTarget)
	if !slices.Equal(es[0].Notify, []Recipient{Assignee, OnCallPerson}) || !es[0].At.Equal(t0.Add(8*time.Hour)) {
		t.Errorf("target escalation %+v", es[0])
	}
	step(9 * time.Hour) // idempotent: target already sent
	es = step(24*time.Hour, Level50)
	if !slices.Equal(es[0].Notify, []Recipient{Assignee}) {
		t.Errorf("50%% goes to %v, want the assignee", es[0].Notify)
	}
	step(24 * time.Hour)
	step(36*time.Hour, Level75)
	step(43*time.Hour+12*time.Minute, Level90)
	step(48 * time.Hour) // at the deadline, not yet breached
	es = step(48*time.Hour+time.Second, LevelBreach)
	if !slices.Equal(es[0].Notify, []Recipient{Assignee, OnCallPerson, Supervisor}) {
		t.Errorf("breach goes to %v", es[0].Notify)
	}
	step(100 * time.Hour)
}

func TestEscalationsCatchUpAndStop(t *testing.T) {
	p := DefaultPolicy()
	em := SLA{Type: EmergencyDisclosure, ReceivedAt: t0}
	es, _ := p.EscalationsDue(em, t0.Add(45*time.Hour), nil)
	var levels []Level
	for i, e := range es {
		levels = append(levels, e.Level)
		if e.Superseded != (i < len(es)-1) {
			t.Errorf("%s superseded=%v", e.Level, e.Superseded)
		}
	}
	if !slices.Equal(levels, []Level{LevelTarget, Level50, Level75, Level90}) {
		t.Fatalf("catch-up levels %v", levels)
	}
	if last := es[len(es)-1]; !slices.Equal(last.Notify, []Recipient{Assignee, OnCallPerson, Supervisor}) {
		t.Errorf("catch-up notifies %v", last.Notify)
	}
	// Never below the most advanced level sent.
	if es, _ := p.EscalationsDue(em, t0.Add(45*time.Hour), []Level{Level75}); len(es) != 1 || es[0].Level != Level90 {
		t.Errorf("after 75%% sent: %+v", es)
	}
	// Answered: nothing more, even past the deadline.
	if es, _ := p.EscalationsDue(withAnswer(em, 30*time.Hour), t0.Add(60*time.Hour), nil); len(es) != 0 {
		t.Errorf("answered request escalated: %+v", es)
	}
	// Paused by counsel from 20 h: 50% (24 h) is not reached while paused.
	paused := withPause(SLA{Type: Subpoena, ReceivedAt: t0}, 20*time.Hour, 0)
	if es, _ := p.EscalationsDue(paused, t0.Add(30*24*time.Hour), nil); len(es) != 0 {
		t.Errorf("paused subpoena escalated: %+v", es)
	}
	sub := SLA{Type: Subpoena, ReceivedAt: t0}
	if es, _ := p.EscalationsDue(sub, t0.Add(7*24*time.Hour), nil); len(es) != 1 || es[0].Level != Level50 {
		t.Errorf("subpoena at 7 days: %+v", es)
	}
}

func withAnswer(s SLA, at time.Duration) SLA { s.AnsweredAt = t0.Add(at); return s }

func withPause(s SLA, from, to time.Duration) SLA {
	x := pz(from/time.Hour, to/time.Hour)
	s.Pauses = append(s.Pauses, x)
	return s
}

// pz is a counsel pause from..to hours after t0 (to 0 = open).
func pz(from, to time.Duration) Pause {
	x := Pause{Start: t0.Add(from * time.Hour), Reason: "court asked to hold pending amended warrant", By: RoleLegal}
	if to != 0 {
		x.End = t0.Add(to * time.Hour)
	}
	return x
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
