package lawreq

import (
	"fmt"
	"strings"
)

// Category is a kind of data a production may contain. Stable ids.
type Category string

// The data categories, from least to most sensitive (legal.md §1).
const (
	// SubscriberBasic is basic subscriber information, the § 2703(c)(2) list.
	SubscriberBasic Category = "subscriber_basic"
	// LoginMetadata is the per-login record: IP address, device, app version.
	LoginMetadata Category = "login_metadata"
	// AccountHistory is the record of changes to the account (phone, e-mail,
	// WeChat ID, status) over time.
	AccountHistory Category = "account_history"
	// GroupMemberships lists the groups the account belongs or belonged to.
	GroupMemberships Category = "group_memberships"
	// Content is what the user wrote or shared: posts and media.
	Content Category = "content"
)

// Categories lists every category in a stable order (table column order).
func Categories() []Category {
	return []Category{SubscriberBasic, LoginMetadata, AccountHistory, GroupMemberships, Content}
}

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool {
	for _, x := range Categories() {
		if c == x {
			return true
		}
	}
	return false
}

// Grant says whether a legal process can compel a category.
type Grant int

// The grants a scope-table cell can hold.
const (
	// Never: the process cannot reach the category.
	Never Grant = iota
	// Always: the process compels the category (within its accounts and dates).
	Always
	// IfApproved: an emergency reaches the category only if the approver
	// records that the justification supports it.
	IfApproved
	// IfApprovedWithReason: as IfApproved, and the approver must also state
	// why disclosure of this category is needed to address the danger.
	IfApprovedWithReason
)

// scopeMatrix is THE table: for each process, the grant of each category in
// Categories() order. Everything else in this package and the production
// builder derive from it; ScopeTable renders it for the README.
var scopeMatrix = map[RequestType][5]Grant{
	// § 2703(c)(2): basic subscriber information only.
	Subpoena: {Always, Never, Never, Never, Never},
	// § 2703(d): non-content records plus BSI; content needs a warrant
	// (Warshak, and Vigil's policy, legal.md §3).
	CourtOrder2703d: {Always, Always, Always, Always, Never},
	// Warrant: content and everything else, within the warrant's scope.
	SearchWarrant: {Always, Always, Always, Always, Always},
	// § 2702(b)(8), (c)(4): the minimum the justification supports, chosen
	// per request by the approver; content only with a stated reason.
	EmergencyDisclosure: {IfApproved, IfApproved, IfApproved, IfApproved, IfApprovedWithReason},
	// § 2703(f): preservation produces nothing; it freezes a copy.
	Preservation2703f:     {Never, Never, Never, Never, Never},
	PreservationExtension: {Never, Never, Never, Never, Never},
}

// GrantOf returns the table cell for process t and category c (Never for
// unknown values).
func GrantOf(t RequestType, c Category) Grant {
	row, ok := scopeMatrix[t]
	if !ok {
		return Never
	}
	for i, x := range Categories() {
		if x == c {
			return row[i]
		}
	}
	return Never
}

// Allowed returns the categories process t can ever reach, in table order:
// the legal ceiling. For an emergency this is every category, but a given
// emergency request reaches only what its approver recorded (CheckScope).
// Preservation returns none: it produces nothing.
func Allowed(t RequestType) []Category {
	var out []Category
	for _, c := range Categories() {
		if GrantOf(t, c) != Never {
			out = append(out, c)
		}
	}
	return out
}

// EmergencyApproval is the approver's record for an emergency disclosure
// (legal.md §6): the good-faith basis in the approver's words, and the
// categories the justification supports. Content needs its own reason.
type EmergencyApproval struct {
	Approver      string     `json:"approver"`                 // staff user id of the approver
	Basis         string     `json:"basis"`                    // the good-faith basis, in the approver's words
	Categories    []Category `json:"categories"`               // the categories the justification supports
	ContentReason string     `json:"content_reason,omitempty"` // why content is needed, if it is approved
}

// Validate checks the approval, naming each field and its fix.
func (a *EmergencyApproval) Validate() error {
	var p problems
	checkID(&p, "emergency_approval.approver", &a.Approver, true, "the staff user id of the approver")
	checkText(&p, "emergency_approval.basis", &a.Basis, true, maxLong)
	if len(a.Categories) == 0 {
		p.add("emergency_approval.categories", "is empty: record at least one category the justification supports, or reject the request")
	}
	seen := map[Category]bool{}
	for i, c := range a.Categories {
		f := fmt.Sprintf("emergency_approval.categories[%d]", i)
		switch {
		case !c.Valid():
			p.add(f, "%q is not a data category: use one of %s", c, categoryList())
		case seen[c]:
			p.add(f, "%q is listed twice: list each category once", c)
		}
		seen[c] = true
	}
	hasReason := checkText(&p, "emergency_approval.content_reason", &a.ContentReason, false, maxLong)
	if seen[Content] && !hasReason {
		p.add("emergency_approval.content_reason", "is required when content is approved: state why content is needed to address the danger, or remove content")
	}
	return p.err()
}

func categoryList() string {
	cs := Categories()
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}

// CheckScope decides, category by category, what a production for req may
// contain out of requested. granted and refused keep the order of
// requested (duplicates collapsed); reasons says, for each refused
// category, why and what process would reach it.
//
// For an emergency, a category is granted only if req.EmergencyApproval
// lists it; content additionally needs the approval's ContentReason.
func CheckScope(req *Request, requested []Category) (granted, refused []Category, reasons map[Category]string) {
	reasons = map[Category]string{}
	seen := map[Category]bool{}
	for _, c := range requested {
		if seen[c] {
			continue
		}
		seen[c] = true
		if why := refusal(req, c); why != "" {
			refused = append(refused, c)
			reasons[c] = why
			continue
		}
		granted = append(granted, c)
	}
	return granted, refused, reasons
}

// refusal returns why category c may not be produced for req, or "".
func refusal(req *Request, c Category) string {
	if !c.Valid() {
		return fmt.Sprintf("%q is not a data category (use one of %s)", c, categoryList())
	}
	if !req.Type.Valid() {
		return fmt.Sprintf("the request type %q is unknown, so nothing can be produced", req.Type)
	}
	switch GrantOf(req.Type, c) {
	case Always:
		return ""
	case IfApproved, IfApprovedWithReason:
		a := req.EmergencyApproval
		if a == nil {
			return "no approver has recorded which categories the emergency justification supports"
		}
		listed := false
		for _, x := range a.Categories {
			listed = listed || x == c
		}
		if !listed {
			return fmt.Sprintf("the approver did not record %s as supported by the emergency justification", c)
		}
		if GrantOf(req.Type, c) == IfApprovedWithReason && strings.TrimSpace(a.ContentReason) == "" {
			return "content in an emergency needs the approver's stated reason why it is needed to address the danger"
		}
		return ""
	}
	if req.Type.IsPreservation() {
		return "preservation produces nothing: the data is preserved until legal process to produce it is served"
	}
	return fmt.Sprintf("%s cannot compel %s: it needs %s", withArticle(req.Type), c, minimumProcess(c))
}

// minimumProcess names the weakest compulsory process reaching c.
func minimumProcess(c Category) string {
	for _, t := range []RequestType{Subpoena, CourtOrder2703d, SearchWarrant} {
		if GrantOf(t, c) == Always {
			return withArticle(t)
		}
	}
	return "process Vigil does not accept"
}

// withArticle names t in running text: "a search warrant", "an emergency …".
func withArticle(t RequestType) string {
	l := t.Label()
	l = strings.ToLower(l[:1]) + l[1:]
	if strings.ContainsRune("aeiou", rune(l[0])) {
		return "an " + l
	}
	return "a " + l
}
