package lawreq

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"vigil/platform"
)

// Minimum lengths of the emergency statement: long enough that "urgent" or
// "see attached" cannot pass for the statement the law requires.
const (
	minDangerRunes = 20
	minWhyNowRunes = 10
	// futureSlack tolerates a date range ending "today" in any time zone.
	futureSlack = 24 * time.Hour
)

// Validate checks every field of r as submitted at time now, and normalises
// r in place (trimmed text, E.164 phones, lower-cased e-mail domains and
// hash, normalised and de-duplicated targets, UTC times). It returns every
// problem at once, each naming the field and the fix.
func (r *Request) Validate(now time.Time) error {
	var p problems
	checkID(&p, "id", &r.ID, false, "the request id Vigil assigned, or leave it empty")
	r.Type = RequestType(strings.ToLower(strings.TrimSpace(string(r.Type))))
	typeOK := r.Type.Valid()
	if !typeOK {
		p.add("type", "%q is not a request type: use one of %s", r.Type, typeList())
	}
	checkText(&p, "case_number", &r.CaseNumber, true, maxShort)
	checkText(&p, "case_name", &r.CaseName, true, maxShort)
	checkID(&p, "agency_id", &r.AgencyID, true, "the id of the agency record the officer belongs to")
	checkText(&p, "agency_ref", &r.AgencyRef, false, maxShort)
	r.validateContacts(&p)
	r.Document.validate(&p)
	if ts, err := NormalizeTargets("targets", r.Targets); err != nil {
		p = append(p, err)
	} else {
		r.Targets = ts
	}
	r.Range.validate(&p, now)
	if typeOK {
		r.validateRequested(&p)
		r.validateTypeFields(&p, now)
	}
	return p.err()
}

func typeList() string {
	ts := RequestTypes()
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func (r *Request) validateContacts(p *problems) {
	o, s := &r.Officer, &r.Supervisor
	checkID(p, "officer.officer_id", &o.OfficerID, false, "the portal id of the requesting officer")
	checkText(p, "officer.name", &o.Name, true, maxShort)
	checkText(p, "officer.title", &o.Title, false, maxShort)
	checkEmail(p, "officer.email", &o.Email, true)
	checkPhone(p, "officer.phone", &o.Phone, r.Type == EmergencyDisclosure,
		"a call-back number is required for emergencies: send the officer's direct line in E.164")
	checkText(p, "supervisor.name", &s.Name, true, maxShort)
	checkText(p, "supervisor.title", &s.Title, false, maxShort)
	checkEmail(p, "supervisor.email", &s.Email, false)
	checkPhone(p, "supervisor.phone", &s.Phone, false, "")
	if s.Email == "" && s.Phone == "" {
		p.add("supervisor", "has no e-mail or phone: send at least one way to reach the supervisor, who confirms the request through a second channel")
	}
	if s.Email != "" && strings.EqualFold(s.Email, o.Email) {
		p.add("supervisor.email", "is the officer's own address: name a supervisor other than the requesting officer")
	}
}

func checkEmail(p *problems, field string, v *string, required bool) {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		if required {
			p.add(field, "is required: send the officer's official e-mail address")
		}
		return
	}
	e, err := platform.NormalizeEmail(*v)
	if err != nil {
		p.add(field, "%q is not an e-mail address: send a bare address such as name@agency.gov", *v)
		return
	}
	*v = e
}

// checkPhone requires an E.164 number for agency contacts: officers work in
// many countries' numbering plans, and a call-back must not guess.
func checkPhone(p *problems, field string, v *string, required bool, whyRequired string) {
	*v = strings.TrimSpace(*v)
	if *v == "" {
		if required {
			p.add(field, "is required: %s", whyRequired)
		}
		return
	}
	if !strings.HasPrefix(*v, "+") {
		p.add(field, "%q has no country code: send E.164 such as +12025550123", *v)
		return
	}
	e, err := platform.NormalizePhone(*v, "")
	if err != nil {
		p.add(field, "%q is not a valid phone number: send E.164 such as +12025550123", *v)
		return
	}
	*v = e
}

func (d *LegalDocument) validate(p *problems) {
	d.SHA256 = strings.ToLower(strings.TrimSpace(d.SHA256))
	if b, err := hex.DecodeString(d.SHA256); err != nil || len(b) != 32 {
		p.add("document.sha256", "must be the 64 hex digits of the uploaded PDF's SHA-256: upload the legal document again")
	}
	if d.Size <= 0 || d.Size > MaxDocumentSize {
		p.add("document.size", "is %d bytes; the legal document must be 1 byte to %d MiB: upload the PDF, compressed or split if larger", d.Size, MaxDocumentSize>>20)
	}
	if checkText(p, "document.filename", &d.Filename, true, maxFilename) {
		switch {
		case strings.ContainsAny(d.Filename, `/\`):
			p.add("document.filename", "%q contains a path separator: send the file name only", d.Filename)
		case !strings.HasSuffix(strings.ToLower(d.Filename), ".pdf"):
			p.add("document.filename", "%q is not a PDF: upload the legal process as a PDF file", d.Filename)
		}
	}
}

// IsPDF reports whether the first bytes of an upload are a PDF header, so
// the upload handler can check content, not only the claimed type.
func IsPDF(head []byte) bool {
	return len(head) >= 5 && string(head[:5]) == "%PDF-"
}

func (dr *DateRange) validate(p *problems, now time.Time) {
	if dr.From.IsZero() {
		p.add("date_range.from", "is required: send the first day of the period the process covers (RFC 3339)")
	}
	if dr.To.IsZero() {
		p.add("date_range.to", "is required: send the last day of the period the process covers (RFC 3339)")
	}
	if dr.From.IsZero() || dr.To.IsZero() {
		return
	}
	dr.From, dr.To = dr.From.UTC(), dr.To.UTC()
	if dr.To.Before(dr.From) {
		p.add("date_range.to", "%s is before date_range.from %s: the range ends before it starts; swap or correct the dates",
			dr.To.Format(time.RFC3339), dr.From.Format(time.RFC3339))
	}
	if dr.From.Before(platform.Earliest) {
		p.add("date_range.from", "%s is before the platform existed (%s): start the range on or after that date", dr.From.Format(time.DateOnly), platform.Earliest.Format(time.DateOnly))
	}
	if dr.From.After(now) {
		p.add("date_range.from", "%s is in the future: records cannot be requested before they exist", dr.From.Format(time.RFC3339))
	} else if dr.To.After(now.Add(futureSlack)) {
		p.add("date_range.to", "%s is in the future: end the range today at the latest (preservation of later records needs a new request)", dr.To.Format(time.RFC3339))
	}
}

// validateRequested checks the requested categories against the scope
// table, so that an officer learns at intake, not at production, that
// e.g. a subpoena cannot reach content.
func (r *Request) validateRequested(p *problems) {
	if r.Type.IsPreservation() {
		if len(r.Requested) > 0 {
			p.add("requested_categories", "must be empty for %s: preservation produces nothing and the snapshot covers all data of the named accounts", r.Type)
		}
		return
	}
	if len(r.Requested) == 0 {
		p.add("requested_categories", "is empty: list the data categories the process covers (%s)", joinCats(Allowed(r.Type)))
		return
	}
	seen := map[Category]bool{}
	for i, c := range r.Requested {
		f := fmt.Sprintf("requested_categories[%d]", i)
		switch {
		case !c.Valid():
			p.add(f, "%q is not a data category: use one of %s", c, categoryList())
		case seen[c]:
			p.add(f, "%q is listed twice: list each category once", c)
		case GrantOf(r.Type, c) == Never:
			p.add(f, "%s", refusal(&Request{Type: r.Type}, c)+": remove it, or submit it under that process")
		}
		seen[c] = true
	}
}

func (r *Request) validateTypeFields(p *problems, now time.Time) {
	if r.Type == EmergencyDisclosure {
		if r.Emergency == nil {
			p.add("emergency", "is required for an emergency disclosure: state who is in danger of death or serious physical injury and how, why normal legal process is too slow, and attest to it in good faith")
		} else {
			r.Emergency.validate(p)
		}
	} else if r.Emergency != nil {
		p.add("emergency", "is only for emergency_disclosure requests: leave it empty, or change the type to emergency_disclosure")
	}
	if r.EmergencyApproval != nil {
		if r.Type != EmergencyDisclosure {
			p.add("emergency_approval", "is only for emergency_disclosure requests: the scope of %s is fixed by the scope table", r.Type)
		} else if err := r.EmergencyApproval.Validate(); err != nil {
			*p = append(*p, err)
		}
	}
	if !r.ReturnBy.IsZero() {
		r.ReturnBy = r.ReturnBy.UTC()
		switch {
		case r.Type == EmergencyDisclosure || r.Type.IsPreservation():
			p.add("return_by", "applies only to subpoenas, court orders and warrants: leave it empty (%s has a fixed 48-hour response commitment)", r.Type)
		case r.ReturnBy.Before(platform.Earliest):
			p.add("return_by", "%s is not a plausible return date: send the date printed on the process", r.ReturnBy.Format(time.DateOnly))
		}
	}
	if r.Type == PreservationExtension {
		checkID(p, "extends", &r.Extends, true, "the id of the preservation request this extension renews")
	} else if strings.TrimSpace(r.Extends) != "" {
		p.add("extends", "is only for preservation_extension requests: leave it empty, or change the type to preservation_extension")
	}
	if n := r.NDO; n != nil {
		checkText(p, "non_disclosure.order_ref", &n.OrderRef, true, maxShort)
		if n.Until.IsZero() {
			p.add("non_disclosure.until", "is required: send the end date the court set for the non-disclosure order")
		} else if n.Until = n.Until.UTC(); !n.Until.After(now) {
			p.add("non_disclosure.until", "%s has passed: the order is no longer in force; remove it or attach the renewal", n.Until.Format(time.DateOnly))
		}
	}
	if s := r.Issuer; s != nil {
		s.State = strings.ToUpper(strings.TrimSpace(s.State))
		if !usStates[s.State] {
			p.add("state_issuer.state", "%q is not a US state or territory: send its USPS code such as CA, NY, DC, PR", s.State)
		}
		checkText(p, "state_issuer.statute", &s.Statute, true, maxShort)
		checkText(p, "state_issuer.issuing_office", &s.IssuingOffice, false, maxShort)
		if r.Type == EmergencyDisclosure {
			p.add("state_issuer", "does not apply to an emergency disclosure, which is not compulsory process: leave it empty")
		}
		if s.CivilDemand && (!s.AttorneyGen || r.Type != Subpoena) {
			p.add("state_issuer.civil_investigative_demand", "is an attorney-general instrument handled as a subpoena: set attorney_general and type subpoena")
		}
	}
}

func (e *EmergencyStatement) validate(p *problems) {
	if checkText(p, "emergency.danger", &e.Danger, true, maxLong) && len([]rune(e.Danger)) < minDangerRunes {
		p.add("emergency.danger", "is too short: say who is in danger of death or serious physical injury, and how")
	}
	if checkText(p, "emergency.why_now", &e.WhyNow, true, maxLong) && len([]rune(e.WhyNow)) < minWhyNowRunes {
		p.add("emergency.why_now", "is too short: say why the data is needed before legal process could be obtained")
	}
	if !e.Attested {
		p.add("emergency.attested", "must be true: attest that, in good faith, the emergency involves danger of death or serious physical injury to a person")
	}
}
