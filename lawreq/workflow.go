package lawreq

import (
	"strings"

	"vigil/errs"
)

// State is a request's place in the workflow. Stable ids.
type State string

// The workflow states.
const (
	Submitted         State = "submitted"
	Triage            State = "triage"
	LegalReview       State = "legal_review"
	Approved          State = "approved"
	PartiallyApproved State = "partially_approved"
	Rejected          State = "rejected"
	MoreInfoNeeded    State = "more_info_needed"
	Producing         State = "producing"
	Delivered         State = "delivered"
	Closed            State = "closed"
	Withdrawn         State = "withdrawn"
	// OutOfJurisdiction closes a request for data the US entity does not
	// hold (the Weixin gap, legal.md §7): closed with that outcome.
	OutOfJurisdiction State = "out_of_jurisdiction"
)

// States lists every state in workflow order.
func States() []State {
	return []State{Submitted, Triage, LegalReview, Approved, PartiallyApproved, Rejected,
		MoreInfoNeeded, Producing, Delivered, Closed, Withdrawn, OutOfJurisdiction}
}

// Valid reports whether s is a workflow state.
func (s State) Valid() bool { _, ok := officerTexts[s]; return ok }

// Final reports whether no move leaves s. A rejection is final: it is the
// answer, and a new request starts over.
func (s State) Final() bool {
	return s == Closed || s == Withdrawn || s == Rejected || s == OutOfJurisdiction
}

// Role is who acts on a request. The staff roles have the same ids as in
// package auth; the officer is the requester in the portal.
type Role string

// The roles that take part in the workflow.
const (
	RoleOfficer    Role = "officer"
	RoleLEResponse Role = "le_response"
	RoleLegal      Role = "legal"
	RoleAdmin      Role = "admin"
)

// move is one allowed transition: who may make it, and whether a reason
// must be recorded (it is shown to the officer and written to the audit log).
type move struct {
	roles  []Role
	reason bool
}

var le, legal, officer = []Role{RoleLEResponse}, []Role{RoleLegal}, []Role{RoleOfficer}

// moves is the workflow table. Withdrawal is added for every state in
// withdrawable; admins have no move at all: they manage staff and
// configuration, never a legal decision.
var moves = map[State]map[State]move{
	Submitted: {Triage: {le, false}},
	Triage:    {LegalReview: {le, false}},
	LegalReview: {
		Approved:          {legal, false},
		PartiallyApproved: {legal, true},
		Rejected:          {legal, true},
		MoreInfoNeeded:    {legal, true},
		OutOfJurisdiction: {legal, true},
	},
	MoreInfoNeeded:    {Triage: {officer, false}},
	Approved:          {Producing: {le, false}},
	PartiallyApproved: {Producing: {le, false}},
	Producing:         {Delivered: {le, false}},
	Delivered:         {Closed: {le, false}},
}

// withdrawable are the states an officer may withdraw from: every non-final
// state before delivery. After delivery the data has gone; "withdrawn"
// would misstate that in reports, so a delivered request is closed instead.
var withdrawable = []State{Submitted, Triage, LegalReview, Approved, PartiallyApproved, MoreInfoNeeded, Producing}

// preservationDecisions are the legal-review moves that an LE response
// analyst may also make for preservation requests (legal.md §13: the
// analyst approves preservation after verifying the requester; counsel is
// informed). Out-of-jurisdiction stays with counsel.
var preservationDecisions = map[State]bool{Approved: true, Rejected: true, MoreInfoNeeded: true}

// Transition checks that actor may move a request from one state to
// another, with reason where one is required. Errors: Invalid for an
// unknown state or a missing reason (field "reason"), Conflict for a move
// the workflow does not have, Forbidden for the wrong role.
func Transition(from, to State, actor Role, reason string) error {
	return TransitionFor("", from, to, actor, reason)
}

// TransitionFor is Transition for a request of type t, which matters for
// preservation: the LE response team may decide those itself.
func TransitionFor(t RequestType, from, to State, actor Role, reason string) error {
	if !from.Valid() {
		return errs.Field("from", "%q is not a workflow state", from)
	}
	if !to.Valid() {
		return errs.Field("to", "%q is not a workflow state", to)
	}
	m, ok := lookupMove(from, to)
	if !ok {
		if from.Final() {
			return errs.E(errs.Conflict, "the request is %s, which is final: nothing can change it; open a new request instead", from)
		}
		return errs.E(errs.Conflict, "a request cannot go from %s to %s: next steps are %s", from, to, nextList(from))
	}
	roles := m.roles
	if t.IsPreservation() && from == LegalReview && preservationDecisions[to] {
		roles = append([]Role{RoleLEResponse}, roles...)
	}
	if !hasRole(roles, actor) {
		return errs.E(errs.Forbidden, "role %q may not move a request from %s to %s: only %s may", actor, from, to, roleList(roles))
	}
	if m.reason && strings.TrimSpace(reason) == "" {
		return errs.Field("reason", "is required to move a request to %s: write the reason the officer will read", to)
	}
	return nil
}

func lookupMove(from, to State) (move, bool) {
	if to == Withdrawn {
		for _, s := range withdrawable {
			if s == from {
				return move{officer, true}, true
			}
		}
		return move{}, false
	}
	m, ok := moves[from][to]
	return m, ok
}

// Next lists the states reachable from s, in States() order.
func Next(s State) []State {
	var out []State
	for _, to := range States() {
		if _, ok := lookupMove(s, to); ok {
			out = append(out, to)
		}
	}
	return out
}

func nextList(s State) string {
	n := Next(s)
	out := make([]string, len(n))
	for i, x := range n {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}

func hasRole(rs []Role, r Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func roleList(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, " or ")
}

// officerTexts says what each state means, in plain words for the officer.
var officerTexts = map[State]string{
	Submitted:         "We have received your request and will start work on it shortly.",
	Triage:            "Our law-enforcement response team is checking your request and your identity.",
	LegalReview:       "Our legal team is reviewing the legal process.",
	Approved:          "Your request has been approved. We are preparing the records.",
	PartiallyApproved: "Part of your request has been approved; the reason recorded with this step explains what was not approved and why. We are preparing the approved records.",
	Rejected:          "We cannot comply with this request; the message explains why and what process would be needed.",
	MoreInfoNeeded:    "We need more information from you before we can continue; please answer the message on this request.",
	Producing:         "We are preparing the records for delivery.",
	Delivered:         "The records are ready for you to download from this portal.",
	Closed:            "This request is complete and closed.",
	Withdrawn:         "You withdrew this request. No further action will be taken.",
	OutOfJurisdiction: "The data you asked for is held by a separate company under Chinese law, not by us, so we cannot produce it. Please use a government-to-government channel such as a mutual legal assistance request. Anything we hold ourselves that your process covers is handled separately.",
}

// OfficerText describes state s in plain words for the officer's portal.
func OfficerText(s State) string {
	if t, ok := officerTexts[s]; ok {
		return t
	}
	return "The status of this request is being updated; please contact the response team if this persists."
}
