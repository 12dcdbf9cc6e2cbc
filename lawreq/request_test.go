package lawreq

import (
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/errs"
	"vigil/platform"
)

var now = time.Date(2026, 11, 24, 15, 0, 0, 0, time.UTC)

// validRequest returns a complete, valid request of type t.
func validRequest(t RequestType) *Request {
	r := &Request{
		Type:       t,
		CaseNumber: " 2026-CR-0142 ",
		CaseName:   "United States v. Doe",
		AgencyID:   "agency-fbi-sf",
		Officer:    Contact{OfficerID: "off-1", Name: "Dana Reyes", Email: "dreyes@FBI.GOV", Phone: "+1 (415) 555-0132"},
		Supervisor: Contact{Name: "Sam Ortiz", Email: "sortiz@fbi.gov"},
		Document:   LegalDocument{SHA256: strings.Repeat("AB", 32), Size: 120_000, Filename: "order.PDF"},
		Targets:    []Target{{Kind: TargetWeChatID, Value: "lucky_dragon88"}},
		Range:      DateRange{From: now.AddDate(0, -6, 0), To: now.AddDate(0, 0, -1)},
		Requested:  Allowed(t),
	}
	switch t {
	case EmergencyDisclosure:
		r.Requested = []Category{SubscriberBasic, LoginMetadata}
		r.Emergency = &EmergencyStatement{
			Danger:   "A 14-year-old girl is held by the account holder and threatened with a knife.",
			WhyNow:   "She may be moved tonight; a court order takes days.",
			Attested: true,
		}
	case PreservationExtension:
		r.Extends = "req-0001"
	}
	return r
}

// fields returns the field names of a Validate error, in order.
func fields(err error) []string {
	var out []string
	for _, p := range platform.FieldErrors(err) {
		out = append(out, p.Field)
	}
	return out
}

func TestValidRequestsOfEveryType(t *testing.T) {
	for _, typ := range RequestTypes() {
		r := validRequest(typ)
		if err := r.Validate(now); err != nil {
			t.Errorf("%s: Validate = %v, want nil", typ, err)
			continue
		}
		if r.Officer.Email != "dreyes@fbi.gov" || r.Officer.Phone != "+14155550132" {
			t.Errorf("%s: officer not normalised: %+v", typ, r.Officer)
		}
		if r.CaseNumber != "2026-CR-0142" || r.Document.SHA256 != strings.Repeat("ab", 32) {
			t.Errorf("%s: not trimmed/lower-cased: %q %q", typ, r.CaseNumber, r.Document.SHA256)
		}
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	cases := []struct {
		name   string
		typ    RequestType
		mutate func(*Request)
		want   []string // field names, in order
		hint   string   // part of a message
	}{
		{"unknown type", "wiretap", func(r *Request) {}, []string{"type"}, "use one of subpoena"},
		{"blank case", Subpoena, func(r *Request) { r.CaseNumber, r.CaseName = " ", "" }, []string{"case_number", "case_name"}, "required"},
		{"no agency", Subpoena, func(r *Request) { r.AgencyID = "" }, []string{"agency_id"}, "agency record"},
		{"bad officer email", Subpoena, func(r *Request) { r.Officer.Email = "Dana <d@fbi.gov>" }, []string{"officer.email"}, "bare address"},
		{"national officer phone", Subpoena, func(r *Request) { r.Officer.Phone = "415 555 0132" }, []string{"officer.phone"}, "country code"},
		{"emergency without callback", EmergencyDisclosure, func(r *Request) { r.Officer.Phone = "" }, []string{"officer.phone"}, "call-back"},
		{"supervisor unreachable", Subpoena, func(r *Request) { r.Supervisor.Email = "" }, []string{"supervisor"}, "second channel"},
		{"supervisor is officer", Subpoena, func(r *Request) { r.Supervisor.Email = "DReyes@fbi.gov" }, []string{"supervisor.email"}, "other than"},
		{"bad hash", Subpoena, func(r *Request) { r.Document.SHA256 = "abc" }, []string{"document.sha256"}, "64 hex"},
		{"empty doc", Subpoena, func(r *Request) { r.Document.Size = 0 }, []string{"document.size"}, "MiB"},
		{"huge doc", Subpoena, func(r *Request) { r.Document.Size = MaxDocumentSize + 1 }, []string{"document.size"}, "MiB"},
		{"not pdf", Subpoena, func(r *Request) { r.Document.Filename = "order.docx" }, []string{"document.filename"}, "PDF"},
		{"path in name", Subpoena, func(r *Request) { r.Document.Filename = "../x.pdf" }, []string{"document.filename"}, "path separator"},
		{"no targets", Subpoena, func(r *Request) { r.Targets = nil }, []string{"targets"}, "at least one"},
		{"bad target", Subpoena, func(r *Request) {
			r.Targets = append(r.Targets, Target{Kind: TargetEmail, Value: "nope"})
		}, []string{"targets[1].value"}, "e-mail"},
		{"range reversed", Subpoena, func(r *Request) { r.Range.From, r.Range.To = r.Range.To, r.Range.From }, []string{"date_range.to"}, "ends before it starts"},
		{"range missing", Subpoena, func(r *Request) { r.Range = DateRange{} }, []string{"date_range.from", "date_range.to"}, "RFC 3339"},
		{"range in future", Subpoena, func(r *Request) { r.Range.To = now.AddDate(0, 1, 0) }, []string{"date_range.to"}, "future"},
		{"range starts in future", Subpoena, func(r *Request) { r.Range = DateRange{now.Add(time.Hour), now.Add(2 * time.Hour)} }, []string{"date_range.from"}, "future"},
		{"range before platform", Subpoena, func(r *Request) { r.Range.From = time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC) }, []string{"date_range.from"}, "before the platform"},
		{"subpoena asks content", Subpoena, func(r *Request) { r.Requested = []Category{SubscriberBasic, Content} }, []string{"requested_categories[1]"}, "search warrant"},
		{"2703d asks content", CourtOrder2703d, func(r *Request) { r.Requested = []Category{Content} }, []string{"requested_categories[0]"}, "search warrant"},
		{"subpoena asks logins", Subpoena, func(r *Request) { r.Requested = []Category{LoginMetadata} }, []string{"requested_categories[0]"}, "2703(d)"},
		{"unknown category", SearchWarrant, func(r *Request) { r.Requested = []Category{"dms"} }, []string{"requested_categories[0]"}, "not a data category"},
		{"dup category", SearchWarrant, func(r *Request) { r.Requested = []Category{Content, Content} }, []string{"requested_categories[1]"}, "twice"},
		{"nothing requested", SearchWarrant, func(r *Request) { r.Requested = nil }, []string{"requested_categories"}, "subscriber_basic"},
		{"preservation asks data", Preservation2703f, func(r *Request) { r.Requested = []Category{SubscriberBasic} }, []string{"requested_categories"}, "produces nothing"},
		{"emergency without statement", EmergencyDisclosure, func(r *Request) { r.Emergency = nil }, []string{"emergency"}, "danger of death or serious physical injury"},
		{"emergency statement thin", EmergencyDisclosure, func(r *Request) {
			r.Emergency = &EmergencyStatement{Danger: "urgent", WhyNow: "", Attested: false}
		}, []string{"emergency.danger", "emergency.why_now", "emergency.attested"}, "serious physical injury"},
		{"statement on subpoena", Subpoena, func(r *Request) { r.Emergency = &EmergencyStatement{} }, []string{"emergency"}, "only for emergency_disclosure"},
		{"approval on warrant", SearchWarrant, func(r *Request) { r.EmergencyApproval = &EmergencyApproval{} }, []string{"emergency_approval"}, "scope table"},
		{"bad approval", EmergencyDisclosure, func(r *Request) {
			r.EmergencyApproval = &EmergencyApproval{Approver: "c-1", Basis: "child at risk", Categories: []Category{Content}}
		}, []string{"emergency_approval.content_reason"}, "why content"},
		{"extension without prior", PreservationExtension, func(r *Request) { r.Extends = " " }, []string{"extends"}, "preservation request this extension renews"},
		{"extends on preservation", Preservation2703f, func(r *Request) { r.Extends = "req-1" }, []string{"extends"}, "only for preservation_extension"},
		{"ndo without date", Subpoena, func(r *Request) { r.NDO = &NonDisclosure{OrderRef: "2705-1"} }, []string{"non_disclosure.until"}, "end date"},
		{"ndo expired", Subpoena, func(r *Request) { r.NDO = &NonDisclosure{OrderRef: "2705-1", Until: now.Add(-time.Hour)} }, []string{"non_disclosure.until"}, "passed"},
		{"bad state", Subpoena, func(r *Request) { r.Issuer = &StateIssuer{State: "XX", Statute: "x", AttorneyGen: true} }, []string{"state_issuer.state"}, "USPS"},
		{"no statute", Subpoena, func(r *Request) { r.Issuer = &StateIssuer{State: "ca", AttorneyGen: true} }, []string{"state_issuer.statute"}, "required"},
		{"cid as warrant", SearchWarrant, func(r *Request) {
			r.Issuer = &StateIssuer{State: "TX", Statute: "Tex. Bus. & Com. Code § 17.61", AttorneyGen: true, CivilDemand: true}
		}, []string{"state_issuer.civil_investigative_demand"}, "subpoena"},
		{"return date on emergency", EmergencyDisclosure, func(r *Request) { r.ReturnBy = now.AddDate(0, 0, 3) }, []string{"return_by"}, "48-hour"},
		{"control char", Subpoena, func(r *Request) { r.CaseName = "Doe\x00" }, []string{"case_name"}, "U+0000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := validRequest(c.typ)
			c.mutate(r)
			err := r.Validate(now)
			if got := fields(err); !slices.Equal(got, c.want) {
				t.Fatalf("fields = %q, want %q (err: %v)", got, c.want, err)
			}
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("kind = %v, want invalid", errs.KindOf(err))
			}
			if !strings.Contains(err.Error(), c.hint) {
				t.Errorf("error %q does not contain %q", err, c.hint)
			}
		})
	}
}

func TestValidateReportsAllAtOnce(t *testing.T) {
	r := &Request{Type: EmergencyDisclosure}
	got := fields(r.Validate(now))
	for _, f := range []string{"case_number", "case_name", "agency_id", "officer.name", "officer.email", "officer.phone",
		"supervisor.name", "supervisor", "document.sha256", "document.size", "document.filename", "targets",
		"date_range.from", "date_range.to", "requested_categories", "emergency"} {
		if !slices.Contains(got, f) {
			t.Errorf("empty emergency: no problem for %s (got %q)", f, got)
		}
	}
}

func TestStateAGIdentifiable(t *testing.T) {
	r := validRequest(Subpoena)
	r.Issuer = &StateIssuer{State: "ny", Statute: "N.Y. Exec. Law § 63(12)", AttorneyGen: true}
	if err := r.Validate(now); err != nil {
		t.Fatal(err)
	}
	if !r.IsStateAG() || r.Issuer.State != "NY" {
		t.Errorf("IsStateAG = %v, state %q", r.IsStateAG(), r.Issuer.State)
	}
	r.Issuer.AttorneyGen = false // a state grand jury subpoena: state process, not AG
	if r.IsStateAG() || (&Request{}).IsStateAG() {
		t.Error("non-AG request reported as AG")
	}
}

func TestNDOInForce(t *testing.T) {
	n := &NonDisclosure{OrderRef: "x", Until: now}
	if !n.InForce(now.Add(-time.Second)) || n.InForce(now) || (*NonDisclosure)(nil).InForce(now) {
		t.Error("InForce wrong around Until or for nil")
	}
}

func TestIsPDF(t *testing.T) {
	for in, want := range map[string]bool{"%PDF-1.7\n": true, "%PDF": false, "PK\x03\x04": false, "": false} {
		if IsPDF([]byte(in)) != want {
			t.Errorf("IsPDF(%q) != %v", in, want)
		}
	}
}

func TestDateRangeContains(t *testing.T) {
	r := DateRange{From: now, To: now.Add(time.Hour)}
	if !r.Contains(now) || !r.Contains(now.Add(time.Hour)) || r.Contains(now.Add(-1)) || r.Contains(now.Add(time.Hour+1)) {
		t.Error("Contains is not inclusive of exactly both ends")
	}
}

// FuzzRequestValidate feeds officer-controlled strings through Validate: it
// must never panic, and a request it accepts must validate again unchanged
// (normalisation is idempotent, so storage round trips are stable).
func FuzzRequestValidate(f *testing.F) {
	f.Add("subpoena", "2026-1", "officer@agency.gov", "+14155550132", "wechat_id", "lucky_dragon88", "order.pdf", "CA")
	f.Add("emergency_disclosure", "x", "a@b.c", "", "phone", "+86 138 1234 5678", "a.PDF", "")
	f.Fuzz(func(t *testing.T, typ, caseNo, email, phone, kind, value, filename, state string) {
		r := validRequest(Subpoena)
		r.Type, r.CaseNumber, r.Officer.Email, r.Officer.Phone = RequestType(typ), caseNo, email, phone
		r.Targets = []Target{{Kind: TargetKind(kind), Value: value}}
		r.Document.Filename = filename
		if state != "" {
			r.Issuer = &StateIssuer{State: state, Statute: "s", AttorneyGen: true}
		}
		if r.Type == EmergencyDisclosure {
			r.Emergency = validRequest(EmergencyDisclosure).Emergency
		}
		if r.Validate(now) != nil {
			return
		}
		before := *r
		before.Targets = slices.Clone(r.Targets)
		if err := r.Validate(now); err != nil {
			t.Fatalf("accepted request fails a second Validate: %v", err)
		}
		if r.CaseNumber != before.CaseNumber || r.Officer != before.Officer || !slices.Equal(r.Targets, before.Targets) {
			t.Fatalf("second Validate changed the request: %+v -> %+v", before, *r)
		}
	})
}
