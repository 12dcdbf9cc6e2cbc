package production

import (
	"fmt"
	"strings"

	"vigil/lawreq"
)

// categoryText describes each category for the officer.
var categoryText = map[lawreq.Category]string{
	lawreq.SubscriberBasic:  "basic subscriber information (18 U.S.C. § 2703(c)(2)): name, address, identifiers, length and types of service, registration network address, session times, means of payment",
	lawreq.LoginMetadata:    "login metadata: time, IP address, device identifier and client version of each login",
	lawreq.AccountHistory:   "account history: changes to phone number, e-mail, WeChat ID and status over time",
	lawreq.GroupMemberships: "group memberships: groups joined and left, with role and dates",
	lawreq.Content:          "content: posts and media created by the account",
}

// coverLetter renders the letter to the requesting officer: what was asked,
// what is enclosed, what was not produced and why, and whom to contact.
func coverLetter(in *Input, m *Manifest, names []string) ([]byte, error) {
	r := &in.Request
	d := newDoc(in, m.CreatedAt, "Cover letter")
	d.heading(13, in.Custodian.Organization)
	d.line("Law Enforcement Response")
	d.pdf.Ln(4)
	d.line(day(m.CreatedAt))
	d.pdf.Ln(4)
	officer := r.Officer.Name
	if r.Officer.Title != "" {
		officer = r.Officer.Title + " " + officer
	}
	d.line(officer)
	d.line(in.AgencyName)
	if r.Officer.Email != "" {
		d.line(r.Officer.Email)
	}
	d.pdf.Ln(4)
	re := fmt.Sprintf("Re: %s, case %s", r.Type.Label(), r.CaseNumber)
	if r.CaseName != "" {
		re += " (" + r.CaseName + ")"
	}
	d.heading(10, re+"; our reference "+r.ID)

	greet := "Dear " + strings.TrimSpace(officer) + ","
	if strings.TrimSpace(officer) == "" {
		greet = "Dear Officer,"
	}
	d.para(greet)
	rng := ""
	if !r.Range.From.IsZero() && !r.Range.To.IsZero() {
		rng = fmt.Sprintf(" for the period %s to %s", day(r.Range.From), day(r.Range.To))
	}
	d.para(fmt.Sprintf("In response to the legal process you served in the matter above, we enclose the records of %s that the process reaches%s, as they stood in our systems at %s.",
		in.Custodian.Organization, rng, stamp(m.SnapshotAt)))
	if len(r.Targets) > 0 {
		var ts []string
		for _, t := range r.Targets {
			ts = append(ts, fmt.Sprintf("%s %s", t.Kind, t.Value))
		}
		d.para("Identifiers named in the process: " + strings.Join(ts, "; ") + ".")
	}

	d.heading(11, "Records produced")
	if len(m.Categories) == 0 {
		d.para("No records are produced in this package; the reasons are set out below.")
	}
	for _, c := range m.Categories {
		n, accts := len(in.Records[c]), len(byAccount(in.Records[c]))
		d.item(fmt.Sprintf("%s: %d records for %d accounts (%s, and in records.json). %s.", c, n, accts, CSVName(c), upperFirst(categoryText[c])))
	}
	d.pdf.Ln(2)

	if len(in.Refused) > 0 || len(in.NotProduced) > 0 {
		d.heading(11, "Not produced")
		for _, c := range sortedCategories(in.Refused) {
			d.item(fmt.Sprintf("%s: %s", c, in.Refused[c]))
		}
		for _, np := range in.NotProduced {
			who := fmt.Sprintf("%s %s", np.Target.Kind, np.Target.Value)
			if np.Target.Value == "" {
				who = "account " + np.AccountID
			}
			d.item(fmt.Sprintf("%s: %s", who, np.Reason))
		}
		d.pdf.Ln(2)
	}
	if r.NDO != nil {
		d.para(fmt.Sprintf("A non-disclosure order (%s) is recorded with this request; in accordance with it we will not notify the account holder before %s.", r.NDO.OrderRef, day(r.NDO.Until)))
	}

	d.heading(11, "Enclosed files")
	for _, n := range names {
		d.item(n)
	}
	d.pdf.Ln(2)
	d.para(fmt.Sprintf("manifest.json lists every file with its size and SHA-256 hash; manifest.sig is an Ed25519 signature over manifest.json by our production key (key id %s), which we publish at /.well-known/vigil-production-key. The command `vigil verify-package FILE.zip --pubkey KEY` checks every hash and the signature. The enclosed certification under Federal Rules of Evidence 902(11), 902(13) and 902(14) is signed by our custodian of records.", m.KeyID))

	d.heading(11, "Your contact")
	d.para("Please direct any question about this production to your named contact:")
	d.line(in.Contact.Name)
	for _, s := range []string{in.Contact.Email, in.Contact.Phone} {
		if s != "" {
			d.line(s)
		}
	}
	d.keepTogether(30)
	d.pdf.Ln(4)
	d.line("Sincerely,")
	d.pdf.Ln(6)
	d.line(in.Custodian.Name)
	d.line(in.Custodian.Title + ", " + in.Custodian.Organization)
	return d.bytes()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
