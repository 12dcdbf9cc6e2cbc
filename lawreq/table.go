package lawreq

import (
	"strings"
)

// ScopeRow is one row of the scope table: a legal process and what it can
// compel, category by category in Categories() order.
type ScopeRow struct {
	Process   RequestType `json:"process"`
	Label     string      `json:"label"`
	Authority string      `json:"authority"`
	Grants    []Grant     `json:"grants"`
	Note      string      `json:"note,omitempty"`
}

// authority and notes per process, shown beside the matrix.
var scopeNotes = map[RequestType][2]string{
	Subpoena:              {"18 U.S.C. § 2703(c)(2)", "basic subscriber information only; includes state AG subpoenas and CIDs"},
	CourtOrder2703d:       {"18 U.S.C. § 2703(d)", "non-content records plus BSI; content needs a warrant"},
	SearchWarrant:         {"Fed. R. Crim. P. 41 or state equivalent", "limited to the warrant's accounts, dates and categories"},
	EmergencyDisclosure:   {"18 U.S.C. § 2702(b)(8), (c)(4)", "only what the approver records as supported by the justification"},
	Preservation2703f:     {"18 U.S.C. § 2703(f)", "produces nothing: snapshot and hold for 90 days"},
	PreservationExtension: {"18 U.S.C. § 2703(f)(2)", "produces nothing: hold renewed for 90 more days"},
}

// ScopeTable returns the scope matrix as rows, one per request type in
// RequestTypes() order.
func ScopeTable() []ScopeRow {
	var rows []ScopeRow
	for _, t := range RequestTypes() {
		g := scopeMatrix[t]
		rows = append(rows, ScopeRow{
			Process:   t,
			Label:     t.Label(),
			Authority: scopeNotes[t][0],
			Grants:    append([]Grant(nil), g[:]...),
			Note:      scopeNotes[t][1],
		})
	}
	return rows
}

// String is the grant as a Markdown table cell.
func (g Grant) String() string {
	switch g {
	case Always:
		return "yes"
	case IfApproved:
		return "if approved"
	case IfApprovedWithReason:
		return "if approved, with reason"
	}
	return "—"
}

// ScopeMarkdown renders rows as a Markdown table (for the README and the
// public guidelines page), followed by the field schema of each category.
func ScopeMarkdown(rows []ScopeRow) string {
	var b strings.Builder
	b.WriteString("| process | authority |")
	for _, c := range Categories() {
		b.WriteString(" `" + string(c) + "` |")
	}
	b.WriteString(" note |\n|---|---|")
	for range Categories() {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	for _, r := range rows {
		b.WriteString("| `" + string(r.Process) + "` " + r.Label + " | " + r.Authority + " |")
		for _, g := range r.Grants {
			b.WriteString(" " + g.String() + " |")
		}
		b.WriteString(" " + r.Note + " |\n")
	}
	b.WriteString("\nFields a production may contain, per category:\n\n")
	for _, c := range Categories() {
		b.WriteString("- `" + string(c) + "`: ")
		b.WriteString("`" + strings.Join(FieldNames(c), "`, `") + "`\n")
	}
	return b.String()
}
