package production

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"vigil/errs"
	"vigil/lawreq"
)

// Row is one record: field name → value, as text. Field names must be in
// the category's lawreq.FieldSchema; every row carries account_id, which
// ties it to the named account. Text keeps CSV and JSON identical and lets
// the schema gate check names without knowing types.
type Row map[string]string

// Custodian is the custodian of records (or other qualified person) who
// signs the FRE 902(11) certification.
type Custodian struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	Organization string `json:"organization"` // the producing company's legal name
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
}

// Contact is the platform's named contact for the request (legal.md §11):
// the person the officer writes to about this production.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Producer names the system that produced the records (FRE 902(13)).
type Producer struct {
	System  string `json:"system"`
	Version string `json:"version"`
}

// NotProduced is one identifier or account the package does not answer,
// with the explanation the officer reads (the Weixin gap, no match, …).
type NotProduced struct {
	Target    lawreq.Target  `json:"target"`
	Outcome   lawreq.Outcome `json:"outcome"`
	AccountID string         `json:"account_id,omitempty"`
	Reason    string         `json:"reason"`
}

// AuditRef locates the audit-log entry that records this production, so a
// court can check when it was made (legal.md §9). Optional.
type AuditRef struct {
	LogIndex uint64 `json:"log_index"`
	TreeSize uint64 `json:"tree_size"`
	RootHash string `json:"root_hash"` // hex or base64, as the audit log prints it
}

// Input is everything one package is built from. Build does not read the
// wall clock: CreatedAt comes from Now.
type Input struct {
	Request    lawreq.Request // as submitted and validated; ID, CaseNumber and Type are required
	AgencyName string         // the requesting agency, as the cover letter addresses it
	// Granted are the categories approved for production, a subset of what
	// lawreq.CheckScope grants for Request (checked again here).
	Granted []lawreq.Category
	// Refused says, per requested category not produced, why (from
	// lawreq.CheckScope or the approver); shown in the cover letter.
	Refused     map[lawreq.Category]string
	Records     map[lawreq.Category][]Row
	NotProduced []NotProduced
	Custodian   Custodian
	Contact     Contact // the named contact; defaults to the custodian
	Producer    Producer
	SnapshotAt  time.Time // when the records were read; also the ZIP timestamps
	Audit       *AuditRef
	Key         *Key             // signs manifest.json
	Now         func() time.Time // the clock for created_at; nil means time.Now
	// uncompressedPDF writes PDF streams uncompressed (tests search them).
	uncompressedPDF bool
}

// NotProducedFrom lists every resolution that yields no records, with the
// officer's explanation from lawreq; Weixin accounts are listed, never
// silently dropped (legal.md §7).
func NotProducedFrom(res []lawreq.Resolution) []NotProduced {
	var out []NotProduced
	for _, r := range res {
		if r.Outcome.Producible() {
			continue
		}
		np := NotProduced{Target: r.Target, Outcome: r.Outcome, Reason: r.Outcome.OfficerExplanation()}
		if len(r.AccountIDs) == 1 {
			np.AccountID = r.AccountIDs[0]
		}
		out = append(out, np)
	}
	return out
}

// check validates in and enforces scope: every category granted must be
// within lawreq's table for the request (and its emergency approval), every
// record's category granted and every field in the category's schema, and
// no record may belong to an account listed as not producible. Scope
// failures are errs.Forbidden and name the field or category.
func (in *Input) check() error {
	r := &in.Request
	for _, fv := range [][2]string{
		{"request.id", r.ID}, {"request.case_number", r.CaseNumber}, {"agency_name", in.AgencyName},
		{"custodian.name", in.Custodian.Name}, {"custodian.title", in.Custodian.Title},
		{"custodian.organization", in.Custodian.Organization},
		{"producer.system", in.Producer.System}, {"producer.version", in.Producer.Version},
	} {
		if strings.TrimSpace(fv[1]) == "" {
			return errs.Field(fv[0], "is required for a production package")
		}
	}
	if !r.Type.Valid() {
		return errs.Field("request.type", "%q is not a request type", r.Type)
	}
	if in.SnapshotAt.IsZero() {
		return errs.Field("snapshot_at", "is required: the time the records were read")
	}
	if y := in.SnapshotAt.UTC().Year(); y < 1980 || y > 2107 {
		return errs.Field("snapshot_at", "year %d cannot be stored in a ZIP timestamp (1980–2107)", y)
	}
	if in.Key == nil {
		return errs.Field("key", "is required: the production signing key (LoadOrCreateKey)")
	}
	if r.Type.IsPreservation() {
		return errs.E(errs.Forbidden, "%s produces nothing: the data is preserved until process to produce it is served", r.Type.Label())
	}
	for i, c := range in.Granted {
		if slices.Contains(in.Granted[:i], c) {
			return errs.Field(fmt.Sprintf("granted[%d]", i), "%s is listed twice", c)
		}
	}
	if _, refused, why := lawreq.CheckScope(r, in.Granted); len(refused) > 0 {
		return errs.E(errs.Forbidden, "category %s cannot be produced for this request: %s", refused[0], why[refused[0]])
	}
	for c := range in.Refused {
		if slices.Contains(in.Granted, c) {
			return errs.Field("refused."+string(c), "is also granted: a category is either produced or refused")
		}
	}
	blocked := map[string]lawreq.Outcome{}
	for _, np := range in.NotProduced {
		if np.AccountID != "" {
			blocked[np.AccountID] = np.Outcome
		}
	}
	for _, c := range sortedCategories(in.Records) {
		for i, row := range in.Records[c] {
			if err := lawreq.CheckRecord(in.Granted, c, rowFields(row)); err != nil {
				return fmt.Errorf("%s record %d: %w", c, i, err)
			}
			for _, f := range rowFields(row) {
				if !utf8.ValidString(row[f]) {
					return errs.Field(fmt.Sprintf("records.%s[%d].%s", c, i, f), "is not valid UTF-8: convert the value to UTF-8")
				}
			}
			if err := checkDate(r.Range, c, i, row); err != nil {
				return err
			}
			acct := row["account_id"]
			if strings.TrimSpace(acct) == "" {
				return errs.Field(fmt.Sprintf("records.%s[%d].account_id", c, i), "is required: every record names its account")
			}
			if o, ok := blocked[acct]; ok {
				return &errs.Error{Kind: errs.Forbidden, Field: fmt.Sprintf("records.%s[%d].account_id", c, i),
					Msg: fmt.Sprintf("account %s is listed as not producible (%s): remove its records", acct, o)}
			}
		}
	}
	return nil
}

// rowFields returns the row's field names, sorted so the first offending
// field named by CheckRecord is stable.
func rowFields(r Row) []string {
	f := make([]string, 0, len(r))
	for k := range r {
		f = append(f, k)
	}
	slices.Sort(f)
	return f
}

// sortedCategories returns the categories present in recs in table order
// (unknown categories last, by name), so errors and output are stable.
func sortedCategories[V any](recs map[lawreq.Category]V) []lawreq.Category {
	cs := make([]lawreq.Category, 0, len(recs))
	for c := range recs {
		cs = append(cs, c)
	}
	order := lawreq.Categories()
	slices.SortFunc(cs, func(a, b lawreq.Category) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(string(a), string(b))
	})
	return cs
}

// grantedInOrder returns in.Granted in table order, for stable file order.
func (in *Input) grantedInOrder() []lawreq.Category {
	m := make(map[lawreq.Category]bool, len(in.Granted))
	for _, c := range in.Granted {
		m[c] = true
	}
	return sortedCategories(m)
}
