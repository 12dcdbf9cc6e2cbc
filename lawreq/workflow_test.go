package lawreq

import (
	"fmt"
	"strings"
	"testing"

	"vigil/auth"
	"vigil/errs"
)

// allowedMoves is the workflow written out independently: "from>to"
// → the one role that may make the move, and whether a reason is required.
var allowedMoves = map[string]struct {
	role   Role
	reason bool
}{
	"submitted>triage":                 {RoleLEResponse, false},
	"triage>legal_review":              {RoleLEResponse, false},
	"legal_review>approved":            {RoleLegal, false},
	"legal_review>partially_approved":  {RoleLegal, true},
	"legal_review>rejected":            {RoleLegal, true},
	"legal_review>more_info_needed":    {RoleLegal, true},
	"legal_review>out_of_jurisdiction": {RoleLegal, true},
	"more_info_needed>triage":          {RoleOfficer, false},
	"approved>producing":               {RoleLEResponse, false},
	"partially_approved>producing":     {RoleLEResponse, false},
	"producing>delivered":              {RoleLEResponse, false},
	"delivered>closed":                 {RoleLEResponse, false},
	"submitted>withdrawn":              {RoleOfficer, true},
	"triage>withdrawn":                 {RoleOfficer, true},
	"legal_review>withdrawn":           {RoleOfficer, true},
	"approved>withdrawn":               {RoleOfficer, true},
	"partially_approved>withdrawn":     {RoleOfficer, true},
	"more_info_needed>withdrawn":       {RoleOfficer, true},
	"producing>withdrawn":              {RoleOfficer, true},
}

var allRoles = []Role{RoleOfficer, RoleLEResponse, RoleLegal, RoleAdmin, "auditor", ""}

// TestTransitionWalksEveryTriple checks every (from, to, role) with and
// without a reason against allowedMoves, and the error kind of each refusal.
func TestTransitionWalksEveryTriple(t *testing.T) {
	for _, from := range States() {
		for _, to := range States() {
			m, ok := allowedMoves[string(from)+">"+string(to)]
			for _, role := range allRoles {
				for _, reason := range []string{"", "the officer asked"} {
					err := Transition(from, to, role, reason)
					name := fmt.Sprintf("%s>%s by %q reason=%q", from, to, role, reason)
					switch {
					case !ok:
						if !errs.Is(err, errs.Conflict) {
							t.Errorf("%s: %v, want conflict", name, err)
						}
					case role != m.role:
						if !errs.Is(err, errs.Forbidden) {
							t.Errorf("%s: %v, want forbidden", name, err)
						}
					case m.reason && reason == "":
						if !errs.Is(err, errs.Invalid) || !strings.HasPrefix(err.Error(), "reason:") {
							t.Errorf("%s: %v, want invalid reason", name, err)
						}
					default:
						if err != nil {
							t.Errorf("%s: %v, want nil", name, err)
						}
					}
				}
			}
		}
	}
}

func TestAdminMakesNoMove(t *testing.T) {
	for _, from := range States() {
		for _, to := range States() {
			if Transition(from, to, RoleAdmin, "r") == nil {
				t.Errorf("admin moved %s to %s", from, to)
			}
		}
	}
}

func TestPreservationDecidedByLEResponse(t *testing.T) {
	for _, typ := range []RequestType{Preservation2703f, PreservationExtension} {
		for _, to := range []State{Approved, Rejected, MoreInfoNeeded} {
			if err := TransitionFor(typ, LegalReview, to, RoleLEResponse, "verified by call-back"); err != nil {
				t.Errorf("%s: le_response to %s: %v", typ, to, err)
			}
			if err := TransitionFor(typ, LegalReview, to, RoleLegal, "r"); err != nil {
				t.Errorf("%s: legal to %s: %v", typ, to, err)
			}
		}
		if err := TransitionFor(typ, LegalReview, OutOfJurisdiction, RoleLEResponse, "weixin"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: le_response out_of_jurisdiction = %v, want forbidden (counsel decides)", typ, err)
		}
	}
	for _, typ := range []RequestType{Subpoena, CourtOrder2703d, SearchWarrant, EmergencyDisclosure} {
		if err := TransitionFor(typ, LegalReview, Approved, RoleLEResponse, "r"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s: le_response approved = %v, want forbidden", typ, err)
		}
	}
}

func TestFinalStatesAndMessages(t *testing.T) {
	for _, s := range States() {
		if s.Final() != (len(Next(s)) == 0) {
			t.Errorf("%s: Final=%v but Next=%v", s, s.Final(), Next(s))
		}
		if !s.Valid() || OfficerText(s) == "" || strings.Contains(OfficerText(s), "_") {
			t.Errorf("%s: officer text %q must be plain words", s, OfficerText(s))
		}
	}
	if !strings.Contains(OfficerText(LegalReview), "legal team is reviewing the legal process") {
		t.Errorf("legal_review text = %q", OfficerText(LegalReview))
	}
	if !strings.Contains(OfficerText(OutOfJurisdiction), "mutual legal assistance") {
		t.Error("out_of_jurisdiction text must name the proper channel")
	}
	err := Transition(Closed, Triage, RoleLEResponse, "")
	if !strings.Contains(err.Error(), "final") {
		t.Errorf("move out of closed: %v", err)
	}
	err = Transition(Submitted, Approved, RoleLegal, "")
	if !strings.Contains(err.Error(), "next steps are triage, withdrawn") {
		t.Errorf("skipping triage: %v", err)
	}
	if err := Transition("done", Closed, RoleLEResponse, ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown state: %v", err)
	}
	if OfficerText("bogus") == "" {
		t.Error("unknown state needs a fallback text")
	}
}

// TestRolesMatchAuth keeps the staff role ids in step with package auth.
func TestRolesMatchAuth(t *testing.T) {
	for _, r := range []Role{RoleLEResponse, RoleLegal, RoleAdmin} {
		if !auth.ValidRole(string(r)) {
			t.Errorf("role %q is not an auth role", r)
		}
	}
}

// TestHappyPaths drives whole lifecycles through Transition.
func TestHappyPaths(t *testing.T) {
	type step struct {
		to   State
		role Role
	}
	paths := map[string][]step{
		"produce": {{Triage, RoleLEResponse}, {LegalReview, RoleLEResponse}, {PartiallyApproved, RoleLegal},
			{Producing, RoleLEResponse}, {Delivered, RoleLEResponse}, {Closed, RoleLEResponse}},
		"more info": {{Triage, RoleLEResponse}, {LegalReview, RoleLEResponse}, {MoreInfoNeeded, RoleLegal},
			{Triage, RoleOfficer}, {LegalReview, RoleLEResponse}, {Rejected, RoleLegal}},
		"weixin":   {{Triage, RoleLEResponse}, {LegalReview, RoleLEResponse}, {OutOfJurisdiction, RoleLegal}},
		"withdraw": {{Triage, RoleLEResponse}, {Withdrawn, RoleOfficer}},
	}
	for name, p := range paths {
		s := Submitted
		for _, st := range p {
			if err := Transition(s, st.to, st.role, "because"); err != nil {
				t.Fatalf("%s: %s>%s: %v", name, s, st.to, err)
			}
			s = st.to
		}
		if !s.Final() {
			t.Errorf("%s ends in non-final %s", name, s)
		}
	}
}
