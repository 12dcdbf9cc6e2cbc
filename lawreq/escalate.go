package lawreq

import (
	"slices"
	"time"

	"vigil/errs"
)

// Recipient is a rung of the notification ladder: whom an escalation goes to.
type Recipient string

// The recipients, in ladder order: the assignee first, then the person on
// call, then a supervisor of the response team.
const (
	Assignee     Recipient = "assignee"
	OnCallPerson Recipient = "on_call"
	Supervisor   Recipient = "supervisor"
)

// Level names an escalation. Stable ids: notifications are recorded by level,
// which is what makes EscalationsDue idempotent.
type Level string

// The escalation levels of the default ladder, and the internal-target level.
const (
	LevelTarget Level = "target_missed" // internal target passed (emergencies)
	Level50     Level = "50pct"
	Level75     Level = "75pct"
	Level90     Level = "90pct"
	LevelBreach Level = "breach"
)

// Rung is one step of the escalation ladder: at Fraction of the time allowed
// (1 = the deadline itself, i.e. breach), notify these recipients.
type Rung struct {
	Level    Level       `json:"level"`
	Fraction float64     `json:"fraction"`
	Notify   []Recipient `json:"notify"`
}

// DefaultLadder is the explicit ladder: at 50 % the assignee; at 75 % also
// the person on call; at 90 % and at breach also a supervisor.
func DefaultLadder() []Rung {
	return []Rung{
		{Level50, 0.50, []Recipient{Assignee}},
		{Level75, 0.75, []Recipient{Assignee, OnCallPerson}},
		{Level90, 0.90, []Recipient{Assignee, OnCallPerson, Supervisor}},
		{LevelBreach, 1, []Recipient{Assignee, OnCallPerson, Supervisor}},
	}
}

// Status is the state of one request's clock at a moment.
type Status struct {
	Due          time.Time     `json:"due"`
	Target       time.Time     `json:"target,omitzero"` // internal target; zero if none
	Left         time.Duration `json:"left"`            // negative once breached
	Used         float64       `json:"used"`            // fraction of the time allowed used so far
	Breached     bool          `json:"breached"`
	TargetMissed bool          `json:"target_missed"`
	Paused       bool          `json:"paused"`
	Answered     bool          `json:"answered"`
}

// Status computes the clock of s at now. While an open pause lasts, Due
// moves with now: the time left is frozen. Once answered, the clock is read
// at AnsweredAt (so Breached says whether the answer was late).
func (p Policy) Status(s SLA, now time.Time) (Status, error) {
	d, ok := p.Deadlines[s.Type]
	if !ok {
		return Status{}, errs.Field("type", "%q has no deadline in the policy: use one of %s", s.Type, typeList())
	}
	if err := checkPauses(s); err != nil {
		return Status{}, err
	}
	st := Status{Answered: !s.AnsweredAt.IsZero() && !s.AnsweredAt.After(now)}
	eval := now
	if st.Answered {
		eval = s.AnsweredAt
	}
	st.Due = s.at(d.Due, eval)
	if !s.ReturnBy.IsZero() && s.ReturnBy.Before(st.Due) {
		st.Due = s.ReturnBy
	}
	if d.Target > 0 {
		st.Target = s.at(d.Target, eval)
		st.TargetMissed = eval.After(st.Target)
	}
	st.Left = st.Due.Sub(eval)
	st.Breached = eval.After(st.Due)
	if allowed := s.elapsed(st.Due, eval); allowed > 0 {
		st.Used = float64(s.elapsed(eval, eval)) / float64(allowed)
	} else {
		st.Used = 1
	}
	if n := len(s.Pauses); n > 0 && !st.Answered {
		last := s.Pauses[n-1]
		st.Paused = last.End.IsZero() && !now.Before(last.Start)
	}
	return st, nil
}

// Escalation is one notification to send for a request.
type Escalation struct {
	Level  Level       `json:"level"`
	At     time.Time   `json:"at"` // when the level was reached
	Notify []Recipient `json:"notify"`
	// Superseded marks a level that was reached but is overtaken by a later
	// one due at the same call (e.g. after an outage): record it as sent,
	// but deliver only the last escalation, whose Notify includes its
	// recipients.
	Superseded bool `json:"superseded,omitempty"`
}

// EscalationsDue returns the escalations to send at now, given the levels
// already sent for this request. It never returns a level in alreadySent,
// nor one below the most advanced level already sent, and nothing once the
// request is answered. Levels are returned in the order they were reached.
func (p Policy) EscalationsDue(s SLA, now time.Time, alreadySent []Level) ([]Escalation, error) {
	st, err := p.Status(s, now)
	if err != nil || st.Answered {
		return nil, err
	}
	type rung struct {
		Rung
		at time.Time
	}
	var rungs []rung
	if !st.Target.IsZero() && st.Target.Before(st.Due) {
		rungs = append(rungs, rung{Rung{LevelTarget, 0, p.TargetNotify}, st.Target})
	}
	allowed := s.elapsed(st.Due, now)
	for _, r := range p.Ladder {
		at := st.Due
		if r.Fraction < 1 {
			at = s.at(time.Duration(r.Fraction*float64(allowed)), now)
		}
		rungs = append(rungs, rung{r, at})
	}
	slices.SortStableFunc(rungs, func(a, b rung) int { return a.at.Compare(b.at) })
	start := 0
	for i, r := range rungs {
		if slices.Contains(alreadySent, r.Level) {
			start = i + 1
		}
	}
	var out []Escalation
	for _, r := range rungs[start:] {
		reached := !now.Before(r.at)
		if r.Fraction == 1 {
			reached = now.After(r.at) // breach means past the deadline
		}
		if !reached {
			break
		}
		out = append(out, Escalation{Level: r.Level, At: r.at, Notify: slices.Clone(r.Notify)})
	}
	if n := len(out); n > 1 {
		var all []Recipient
		for i := range out {
			all = append(all, out[i].Notify...)
			out[i].Superseded = i < n-1
		}
		out[n-1].Notify = nil
		for _, r := range []Recipient{Assignee, OnCallPerson, Supervisor} {
			if slices.Contains(all, r) {
				out[n-1].Notify = append(out[n-1].Notify, r)
			}
		}
	}
	return out, nil
}

// at returns the instant at which e of un-paused time has elapsed since
// receipt. An open pause is taken to last until now, so while paused the
// instant moves with now.
func (s SLA) at(e time.Duration, now time.Time) time.Time {
	t := s.ReceivedAt
	for _, x := range s.Pauses {
		if x.Start.Sub(t) >= e {
			break
		}
		e -= x.Start.Sub(t)
		t = pauseEnd(x, now)
	}
	return t.Add(e)
}

// elapsed returns the un-paused time from receipt to t.
func (s SLA) elapsed(t, now time.Time) time.Duration {
	if t.Before(s.ReceivedAt) {
		return 0
	}
	e := t.Sub(s.ReceivedAt)
	for _, x := range s.Pauses {
		lo, hi := x.Start, pauseEnd(x, now)
		if hi.After(t) {
			hi = t
		}
		if hi.After(lo) {
			e -= hi.Sub(lo)
		}
	}
	return e
}

func pauseEnd(x Pause, now time.Time) time.Time {
	if x.End.IsZero() {
		if now.Before(x.Start) {
			return x.Start
		}
		return now
	}
	return x.End
}
