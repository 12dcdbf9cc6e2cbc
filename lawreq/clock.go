package lawreq

import (
	"fmt"
	"slices"
	"time"

	"vigil/errs"
)

// Deadline is the time allowed for one request type, and an optional
// internal target that is sooner (zero for none).
type Deadline struct {
	Due    time.Duration `json:"due"`
	Target time.Duration `json:"target,omitempty"`
}

// Policy is the response-time policy: a deadline per request type and the
// escalation ladder. It is configuration; DefaultPolicy has the platform's
// commitments.
type Policy struct {
	Deadlines map[RequestType]Deadline `json:"deadlines"`
	// Ladder are the escalation rungs, by increasing fraction of the time
	// allowed; the last one is the breach (fraction 1).
	Ladder []Rung `json:"ladder"`
	// TargetNotify is who hears when an internal target passes unanswered.
	TargetNotify []Recipient `json:"target_notify"`
}

// DefaultPolicy returns the commitments of legal.md §11 and the issue:
// emergencies due in 48 h with an internal target of 8 h, preservations and
// extensions in 48 h, subpoenas, 2703(d) orders and warrants in 14 days;
// escalation at 50 %, 75 %, 90 % and breach.
func DefaultPolicy() Policy {
	const day = 24 * time.Hour
	return Policy{
		Deadlines: map[RequestType]Deadline{
			EmergencyDisclosure:   {Due: 48 * time.Hour, Target: 8 * time.Hour},
			Preservation2703f:     {Due: 48 * time.Hour},
			PreservationExtension: {Due: 48 * time.Hour},
			Subpoena:              {Due: 14 * day},
			CourtOrder2703d:       {Due: 14 * day},
			SearchWarrant:         {Due: 14 * day},
		},
		Ladder:       DefaultLadder(),
		TargetNotify: []Recipient{Assignee, OnCallPerson},
	}
}

// Validate checks the policy, as loaded from configuration.
func (p Policy) Validate() error {
	var pr problems
	for _, t := range RequestTypes() {
		d, ok := p.Deadlines[t]
		f := "deadlines." + string(t)
		switch {
		case !ok || d.Due <= 0:
			pr.add(f+".due", "is missing or not positive: every request type needs a deadline")
		case d.Target < 0 || d.Target >= d.Due:
			pr.add(f+".target", "is %s; an internal target must be positive and sooner than the deadline %s, or zero for none", d.Target, d.Due)
		}
	}
	for t := range p.Deadlines {
		if !t.Valid() {
			pr.add("deadlines."+string(t), "is not a request type: use one of %s", typeList())
		}
	}
	if len(p.Ladder) == 0 || p.Ladder[len(p.Ladder)-1].Fraction != 1 {
		pr.add("ladder", "must end with the breach rung at fraction 1")
	}
	prev := 0.0
	for i, r := range p.Ladder {
		f := fmt.Sprintf("ladder[%d]", i)
		if r.Fraction <= prev || r.Fraction > 1 {
			pr.add(f+".fraction", "is %g; fractions must increase and lie in (0, 1]", r.Fraction)
		}
		prev = r.Fraction
		checkRecipients(&pr, f+".notify", r.Notify)
		if r.Level == "" || r.Level == LevelTarget || slices.ContainsFunc(p.Ladder[:i], func(x Rung) bool { return x.Level == r.Level }) {
			pr.add(f+".level", "%q must be a unique, non-empty level name other than %q", r.Level, LevelTarget)
		}
	}
	checkRecipients(&pr, "target_notify", p.TargetNotify)
	return pr.err()
}

func checkRecipients(p *problems, field string, rs []Recipient) {
	if len(rs) == 0 {
		p.add(field, "is empty: name at least one of %s, %s, %s", Assignee, OnCallPerson, Supervisor)
	}
	for _, r := range rs {
		if r != Assignee && r != OnCallPerson && r != Supervisor {
			p.add(field, "%q is not a recipient: use %s, %s or %s", r, Assignee, OnCallPerson, Supervisor)
		}
	}
}

// Pause is an interval during which the clock stops. Decision (legal.md
// §13): the clock never pauses by itself, not even while more information
// is awaited from the officer; it pauses only when counsel (role legal)
// records why. End is zero while the pause lasts.
type Pause struct {
	Start  time.Time `json:"start"`
	End    time.Time `json:"end,omitzero"`
	Reason string    `json:"reason"`
	By     Role      `json:"by"`
}

// SLA is what the clock of one request depends on.
type SLA struct {
	Type       RequestType `json:"type"`
	ReceivedAt time.Time   `json:"received_at"`
	// ReturnBy is the date set by the process, if any (Request.ReturnBy).
	ReturnBy time.Time `json:"return_by,omitzero"`
	Pauses   []Pause   `json:"pauses,omitempty"`
	// AnsweredAt is when the requester received a final answer (delivery,
	// rejection, out-of-jurisdiction) or withdrew; zero while open. The
	// clock stops there.
	AnsweredAt time.Time `json:"answered_at,omitzero"`
}

// Answers reports whether entering state s stops a request's clock: the
// requester has the answer (or withdrew). more_info_needed does not: see Pause.
func Answers(s State) bool {
	return s == Delivered || s == Rejected || s == OutOfJurisdiction || s == Withdrawn || s == Closed
}

// Due returns when a request of req's type received at receivedAt must be
// answered under the policy: the deadline, or the process's own return
// date if that is sooner. Pauses are taken into account by Status.
func (p Policy) Due(req *Request, receivedAt time.Time) (time.Time, error) {
	d, ok := p.Deadlines[req.Type]
	if !ok {
		return time.Time{}, errs.Field("type", "%q has no deadline in the policy: use one of %s", req.Type, typeList())
	}
	due := receivedAt.UTC().Add(d.Due)
	if !req.ReturnBy.IsZero() && req.ReturnBy.Before(due) {
		due = req.ReturnBy.UTC()
	}
	return due, nil
}

// checkPauses requires pauses in order, not overlapping, each recorded by
// counsel with a reason; only the last may be open.
func checkPauses(s SLA) error {
	var p problems
	prevEnd := s.ReceivedAt
	for i, x := range s.Pauses {
		f := fmt.Sprintf("pauses[%d]", i)
		if x.By != RoleLegal {
			p.add(f+".by", "is %q: only counsel (role legal) may pause a request's clock", x.By)
		}
		reason := x.Reason
		checkText(&p, f+".reason", &reason, true, maxLong)
		if x.Start.Before(prevEnd) {
			p.add(f+".start", "overlaps the previous pause or precedes receipt: pauses must follow each other")
		}
		if x.End.IsZero() {
			if i != len(s.Pauses)-1 {
				p.add(f+".end", "is missing on a pause that is not the last: close it before starting another")
			}
			prevEnd = x.Start
			continue
		}
		if !x.End.After(x.Start) {
			p.add(f+".end", "is not after start: a pause must end after it begins")
		}
		prevEnd = x.End
	}
	return p.err()
}
