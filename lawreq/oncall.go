package lawreq

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"vigil/errs"
)

// Rotation is the weekly on-call schedule of the dedicated law-enforcement
// contact: Members take turns in order, each for a week, handing over on
// HandoverDay at HandoverHour local time in Zone; Overrides replace the
// schedule for dated periods (leave, swaps).
type Rotation struct {
	Members      []string     `json:"members"`
	HandoverDay  time.Weekday `json:"handover_day"`
	HandoverHour int          `json:"handover_hour"`
	// Zone is an IANA time-zone name such as "America/New_York": hand-overs
	// follow local wall time, so they stay at the same hour across DST.
	Zone string `json:"zone"`
	// Anchor is any instant in Members[0]'s first week on call.
	Anchor    time.Time  `json:"anchor"`
	Overrides []Override `json:"overrides,omitempty"`

	loc *time.Location
}

// Override puts Member on call from From (inclusive) to To (exclusive).
type Override struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Member string    `json:"member"`
	Reason string    `json:"reason,omitempty"`
}

// Validate checks the rotation and loads its time zone (time.LoadLocation;
// the binary should import time/tzdata so this works on any host).
// Overrides must not overlap: two people on call at once is a mistake.
func (r *Rotation) Validate() error {
	var p problems
	if len(r.Members) == 0 {
		p.add("members", "is empty: list the people who take turns on call, in order")
	}
	seen := map[string]bool{}
	for i := range r.Members {
		checkID(&p, fmt.Sprintf("members[%d]", i), &r.Members[i], true, "a staff user id")
		if seen[r.Members[i]] {
			p.add(fmt.Sprintf("members[%d]", i), "%q is listed twice: each person has one place in the rotation", r.Members[i])
		}
		seen[r.Members[i]] = true
	}
	if r.HandoverDay < time.Sunday || r.HandoverDay > time.Saturday {
		p.add("handover_day", "is %d: use 0 (Sunday) to 6 (Saturday)", r.HandoverDay)
	}
	if r.HandoverHour < 0 || r.HandoverHour > 23 {
		p.add("handover_hour", "is %d: use an hour from 0 to 23, local time", r.HandoverHour)
	}
	loc, err := time.LoadLocation(strings.TrimSpace(r.Zone))
	if err != nil || strings.TrimSpace(r.Zone) == "" {
		p.add("zone", "%q is not a time zone: use an IANA name such as America/New_York", r.Zone)
	} else {
		r.loc = loc
	}
	if r.Anchor.IsZero() {
		p.add("anchor", "is required: send a time within the first member's first week on call")
	}
	for i, o := range r.Overrides {
		f := fmt.Sprintf("overrides[%d]", i)
		checkID(&p, f+".member", &r.Overrides[i].Member, true, "the staff user id of the person covering")
		if !o.To.After(o.From) {
			p.add(f+".to", "is not after from: an override must end after it starts")
		}
		for j := range i {
			q := r.Overrides[j]
			if o.From.Before(q.To) && q.From.Before(o.To) {
				p.add(f, "overlaps overrides[%d]: only one person can be on call at a time", j)
			}
		}
	}
	return p.err()
}

// OnCall returns who is on call at the given instant. The rotation must
// have passed Validate.
func (r *Rotation) OnCall(at time.Time) (string, error) {
	if r.loc == nil || len(r.Members) == 0 {
		return "", errs.E(errs.Invalid, "the on-call rotation is not configured: validate it first")
	}
	for _, o := range r.Overrides {
		if !at.Before(o.From) && at.Before(o.To) {
			return o.Member, nil
		}
	}
	weeks := weeksBetween(r.lastHandover(r.Anchor), r.lastHandover(at))
	n := len(r.Members)
	return r.Members[((weeks%n)+n)%n], nil
}

// lastHandover returns the local calendar date of the most recent
// hand-over at or before t, as midnight UTC of that date: counting weeks in
// calendar days, not durations, keeps DST weeks (167 or 169 hours) exact.
func (r *Rotation) lastHandover(t time.Time) time.Time {
	lt := t.In(r.loc)
	back := (int(lt.Weekday()) - int(r.HandoverDay) + 7) % 7
	y, m, d := lt.Date()
	if r.handover(y, m, d-back).After(t) {
		back += 7
	}
	return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
}

// handover returns the hand-over instant on a local date. When the hour
// does not exist (skipped by a DST change), time.Date would move it an hour
// earlier; the hand-over happens instead at the first instant after the gap.
func (r *Rotation) handover(y int, m time.Month, d int) time.Time {
	h := time.Date(y, m, d, r.HandoverHour, 0, 0, 0, r.loc)
	if h.Hour() != r.HandoverHour {
		if _, end := h.ZoneBounds(); !end.IsZero() {
			return end
		}
	}
	return h
}

func weeksBetween(a, b time.Time) int {
	days := int(b.Sub(a).Hours() / 24) // both are UTC midnights: exact
	if days < 0 {
		return -((-days + 6) / 7) // floor for instants before the anchor week
	}
	return days / 7
}

// TeamMember is one person of the le_response team for assignment.
type TeamMember struct {
	ID          string `json:"id"`
	Unavailable bool   `json:"unavailable,omitempty"` // on leave, sick, off rotation
}

// Assign picks the named contact for a new request received at at.
// Emergencies and preservations go to the person on call; everything else
// goes round-robin through team in order, starting after lastAssignee
// (from the start if empty or no longer in the team) and skipping
// unavailable members. It is deterministic given its arguments.
func Assign(t RequestType, at time.Time, rot *Rotation, team []TeamMember, lastAssignee string) (string, error) {
	if t == EmergencyDisclosure || t.IsPreservation() {
		return rot.OnCall(at)
	}
	if !t.Valid() {
		return "", errs.Field("type", "%q is not a request type: use one of %s", t, typeList())
	}
	start := slices.IndexFunc(team, func(m TeamMember) bool { return m.ID == lastAssignee }) + 1
	for i := range team {
		m := team[(start+i)%len(team)]
		if !m.Unavailable {
			return m.ID, nil
		}
	}
	return "", errs.E(errs.Unavailable, "no member of the le_response team is available: mark someone available or assign the request by hand")
}
