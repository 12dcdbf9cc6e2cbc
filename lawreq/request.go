package lawreq

import (
	"time"
)

// RequestType identifies the legal process behind a request. The values are
// stable ids: they are stored, sent over the API and used in reports.
type RequestType string

// The request types (legal.md §§ 2–6).
const (
	Subpoena              RequestType = "subpoena"               // § 2703(c)(2): basic subscriber information
	CourtOrder2703d       RequestType = "court_order_2703d"      // § 2703(d): non-content records
	SearchWarrant         RequestType = "search_warrant"         // Fed. R. Crim. P. 41 or state equivalent: content
	EmergencyDisclosure   RequestType = "emergency_disclosure"   // § 2702(b)(8), (c)(4): voluntary, good faith
	Preservation2703f     RequestType = "preservation_2703f"     // § 2703(f): preserve 90 days, produce nothing
	PreservationExtension RequestType = "preservation_extension" // § 2703(f)(2): renew for 90 more days
)

// RequestTypes lists every request type in a stable order (the order of the
// scope table and of the public guidelines page).
func RequestTypes() []RequestType {
	return []RequestType{Subpoena, CourtOrder2703d, SearchWarrant, EmergencyDisclosure, Preservation2703f, PreservationExtension}
}

// Valid reports whether t is one of the request types.
func (t RequestType) Valid() bool {
	for _, x := range RequestTypes() {
		if t == x {
			return true
		}
	}
	return false
}

// Label is the request type's name for people (officers and staff).
func (t RequestType) Label() string {
	switch t {
	case Subpoena:
		return "Subpoena (administrative, grand jury or trial)"
	case CourtOrder2703d:
		return "Court order under 18 U.S.C. § 2703(d)"
	case SearchWarrant:
		return "Search warrant"
	case EmergencyDisclosure:
		return "Emergency disclosure request"
	case Preservation2703f:
		return "Preservation request under 18 U.S.C. § 2703(f)"
	case PreservationExtension:
		return "Preservation extension"
	}
	return string(t)
}

// IsPreservation reports whether t only preserves data and produces nothing.
func (t RequestType) IsPreservation() bool {
	return t == Preservation2703f || t == PreservationExtension
}

// Contact identifies a person at the requesting agency. OfficerID is the
// portal account of the requesting officer (empty for a supervisor, who
// need not have one).
type Contact struct {
	OfficerID string `json:"officer_id,omitempty"`
	Name      string `json:"name"`
	Title     string `json:"title,omitempty"`
	Email     string `json:"email,omitempty"` // bare address, domain lower-cased after Validate
	Phone     string `json:"phone,omitempty"` // E.164 after Validate
}

// LegalDocument refers to the uploaded legal process (PDF). The bytes live
// in the evidence store under their SHA-256; the request keeps the reference.
type LegalDocument struct {
	SHA256   string `json:"sha256"` // 64 lower-case hex digits
	Size     int64  `json:"size"`   // bytes
	Filename string `json:"filename"`
}

// MaxDocumentSize bounds an uploaded legal document (25 MiB): large enough for
// a scanned warrant with attachments, small enough to refuse junk early.
const MaxDocumentSize = 25 << 20

// DateRange is the period of records the request covers, inclusive of both
// ends. Times are stored in UTC.
type DateRange struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Contains reports whether t falls within the range (both ends inclusive).
func (r DateRange) Contains(t time.Time) bool {
	return !t.Before(r.From) && !t.After(r.To)
}

// EmergencyStatement is the officer's account of the emergency that
// justifies voluntary disclosure under § 2702(b)(8) and (c)(4) (legal.md §6).
type EmergencyStatement struct {
	// Danger says who is in danger of death or serious physical injury, and how.
	Danger string `json:"danger"`
	// WhyNow says why normal legal process would be too slow.
	WhyNow string `json:"why_now"`
	// Attested is the officer's statement that, in good faith, the emergency
	// involves danger of death or serious physical injury to a person.
	Attested bool `json:"attested"`
}

// NonDisclosure records a § 2705(b) order attached to a request: while it is
// in force no user notice may be sent and the account must see no change.
type NonDisclosure struct {
	OrderRef string    `json:"order_ref"` // docket or order number
	Until    time.Time `json:"until"`     // end date the court set
}

// InForce reports whether the order still forbids notice at time t.
func (n *NonDisclosure) InForce(t time.Time) bool {
	return n != nil && t.Before(n.Until)
}

// StateIssuer marks process issued under state law, such as a state
// attorney-general subpoena or civil investigative demand, so that AG
// requests are identifiable in the queue and in reports (legal.md §2).
type StateIssuer struct {
	State         string `json:"state"`   // USPS code: CA, NY, DC, PR …
	Statute       string `json:"statute"` // the statute cited, e.g. "Cal. Gov. Code § 11181"
	AttorneyGen   bool   `json:"attorney_general"`
	CivilDemand   bool   `json:"civil_investigative_demand,omitempty"`
	IssuingOffice string `json:"issuing_office,omitempty"`
}

// Request is one law-enforcement request as the officer submitted it.
// Decisions made later (approval, emergency scope, holds) are recorded
// alongside it by other packages; the emergency approval lives here because
// the scope check needs it.
type Request struct {
	ID         string        `json:"id"`
	Type       RequestType   `json:"type"`
	CaseNumber string        `json:"case_number"`
	CaseName   string        `json:"case_name"`
	AgencyID   string        `json:"agency_id"`
	AgencyRef  string        `json:"agency_ref,omitempty"` // the agency's own reference, if any
	Officer    Contact       `json:"officer"`
	Supervisor Contact       `json:"supervisor"`
	Document   LegalDocument `json:"document"`
	Targets    []Target      `json:"targets"`
	Range      DateRange     `json:"date_range"`
	// Requested lists the data categories the officer asks for; empty for
	// preservation, which produces nothing.
	Requested []Category `json:"requested_categories,omitempty"`
	// Emergency is required for, and only allowed on, emergency disclosures.
	Emergency *EmergencyStatement `json:"emergency,omitempty"`
	// ReturnBy is the date the process itself sets for production, if any;
	// the due time is the earlier of it and the policy's (legal.md §13).
	ReturnBy time.Time `json:"return_by,omitzero"`
	// Extends names the preservation request an extension renews.
	Extends string `json:"extends,omitempty"`
	// NDO is a § 2705(b) non-disclosure order attached to the request.
	NDO *NonDisclosure `json:"non_disclosure,omitempty"`
	// Issuer is set for process issued under state law (AG subpoenas).
	Issuer *StateIssuer `json:"state_issuer,omitempty"`
	// EmergencyApproval is what the approver recorded for an emergency:
	// the categories the justification supports. Nil until decided.
	EmergencyApproval *EmergencyApproval `json:"emergency_approval,omitempty"`
}

// IsStateAG reports whether the request is state attorney-general process,
// for the queue filter and the AG commitments report.
func (r *Request) IsStateAG() bool { return r.Issuer != nil && r.Issuer.AttorneyGen }
