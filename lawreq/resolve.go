package lawreq

import (
	"fmt"
)

// Outcome is what resolving one target identifier against the platform
// directory found. Stable ids; every target gets exactly one, so no request
// for an identifier is ever silently dropped.
type Outcome string

// The resolution outcomes.
const (
	Matched         Outcome = "matched"          // exactly one account
	NoMatch         Outcome = "no_match"         // no account has this identifier
	MultipleMatches Outcome = "multiple_matches" // several accounts share it (e.g. a recycled phone number)
	DeletedAccount  Outcome = "deleted_account"  // the account existed and was deleted
	NotProducibleWx Outcome = "not_producible_weixin"
)

// Outcomes lists every outcome in a stable order (report column order).
func Outcomes() []Outcome {
	return []Outcome{Matched, NoMatch, MultipleMatches, DeletedAccount, NotProducibleWx}
}

// Resolution is the answer for one target.
type Resolution struct {
	Target     Target   `json:"target"`
	Outcome    Outcome  `json:"outcome"`
	AccountIDs []string `json:"account_ids,omitempty"`
}

// Validate checks that the account ids fit the outcome: one for matched,
// deleted and Weixin accounts, two or more for multiple matches, none for
// no match.
func (r *Resolution) Validate() error {
	var p problems
	n := len(r.AccountIDs)
	switch r.Outcome {
	case Matched, DeletedAccount, NotProducibleWx:
		if n != 1 {
			p.add("account_ids", "has %d ids; outcome %s names exactly one account", n, r.Outcome)
		}
	case MultipleMatches:
		if n < 2 {
			p.add("account_ids", "has %d ids; outcome multiple_matches names every matching account (at least two)", n)
		}
	case NoMatch:
		if n != 0 {
			p.add("account_ids", "has %d ids; outcome no_match names none", n)
		}
	default:
		p.add("outcome", "%q is not an outcome: use one of matched, no_match, multiple_matches, deleted_account, not_producible_weixin", r.Outcome)
	}
	for i := range r.AccountIDs {
		checkID(&p, fmt.Sprintf("account_ids[%d]", i), &r.AccountIDs[i], true, "the platform account id")
	}
	return p.err()
}

// Producible reports whether records may be produced for this outcome
// (within the request's scope). A deleted account may still have records
// kept under the retention policy or a preservation hold; multiple matches
// need a person to decide which account the process names first.
func (o Outcome) Producible() bool {
	return o == Matched || o == DeletedAccount
}

// CountsAsWeixinGap reports whether the outcome is counted in the
// compliance report as a request Vigil could not fulfil (legal.md §7).
func (o Outcome) CountsAsWeixinGap() bool { return o == NotProducibleWx }

// OfficerExplanation says, in plain words for the officer, what the outcome
// means for this identifier.
func (o Outcome) OfficerExplanation() string {
	switch o {
	case Matched:
		return "We found one account with this identifier."
	case NoMatch:
		return "We found no account with this identifier. Please check it against your legal process; identifiers must match exactly."
	case MultipleMatches:
		return "More than one account has used this identifier (for example, a phone number reassigned over time). Our team will work out which account your process covers and may ask you for the date range or another identifier."
	case DeletedAccount:
		return "This account has been deleted. We will tell you what records, if any, we still hold for it and produce them if your legal process covers them."
	case NotProducibleWx:
		return "This identifier belongs to a Weixin account, the mainland-China service run by a separate company under Chinese law. We do not hold that data, so it is not producible under current policy. The appropriate route is a government-to-government request, such as a mutual legal assistance request. Anything we hold ourselves about the same person that your process covers is handled separately."
	}
	return "We could not determine the status of this identifier; our team will contact you."
}
