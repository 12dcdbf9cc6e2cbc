package web

import (
	"fmt"
	"net/http"
	"time"

	"vigil/lawreq"
)

// LEContact is the platform's dedicated law-enforcement contact, published
// on /law-enforcement. Empty fields are shown as "not configured" with the
// flag that sets them, so a deployment that forgot them is obvious.
type LEContact struct {
	Name   string // team or person, e.g. "Law Enforcement Response Team"
	Email  string // published address for non-emergency questions
	Phone  string // the on-call emergency line, answered around the clock
	Hours  string // when the non-emergency contact answers, e.g. "Mon–Fri 09:00–17:00 PT"
	Portal string // absolute URL of the officer portal, if it is not this server
}

// leCategoryLabels are the scope table's column headings; the domain ids
// stay visible beside them because officers quote them in requests.
var leCategoryLabels = map[lawreq.Category]string{
	lawreq.SubscriberBasic:  "Basic subscriber information",
	lawreq.LoginMetadata:    "Login records (IP, device, app version)",
	lawreq.AccountHistory:   "Account change history",
	lawreq.GroupMemberships: "Group memberships",
	lawreq.Content:          "Content (posts, media)",
}

// leField is one contact detail: its value, or the flag that would set it.
type leField struct {
	Value, Flag string
}

// leTypeRow is one request type as the public page shows it.
type leTypeRow struct {
	ID, Label, Authority, Note string
	Cells                      []string // what it can compel, per category
	Due, Target                string   // from the response policy; Target may be empty
}

// lePage is the data of the law_enforcement template.
type lePage struct {
	Categories []leCategory
	Types      []leTypeRow
	// Fast lists the request types due within 48 hours (emergency and
	// preservation, under the default policy), so the headline commitment
	// is computed from the policy rather than typed into the template.
	Fast, FastDue string
	Name          leField
	Email         leField
	Phone         leField
	Hours         leField
	Portal        string
	KeyPath       string
}

type leCategory struct{ ID, Label string }

// lePolicy is the response policy the page publishes: the configured one
// when set, else the platform's default commitments.
func (s *Server) lePolicy() lawreq.Policy {
	if s.cfg.LEPolicy.Deadlines != nil {
		return s.cfg.LEPolicy
	}
	return lawreq.DefaultPolicy()
}

// lawEnforcementPage publishes the guidelines for law enforcement. It is
// public and reads no user data, so it is not audited.
func (s *Server) lawEnforcementPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "law_enforcement", view{Title: "Law enforcement guidelines", Data: s.leData()})
}

func (s *Server) leData() lePage {
	pol := s.lePolicy()
	var p lePage
	for _, c := range lawreq.Categories() {
		label := leCategoryLabels[c]
		if label == "" {
			label = string(c)
		}
		p.Categories = append(p.Categories, leCategory{ID: string(c), Label: label})
	}
	var fast []string
	var fastDue time.Duration
	for _, row := range lawreq.ScopeTable() {
		d := pol.Deadlines[row.Process]
		tr := leTypeRow{ID: string(row.Process), Label: row.Label, Authority: row.Authority, Note: row.Note,
			Due: humanDuration(d.Due)}
		if d.Target > 0 {
			tr.Target = humanDuration(d.Target)
		}
		for _, g := range row.Grants {
			tr.Cells = append(tr.Cells, g.String())
		}
		p.Types = append(p.Types, tr)
		if d.Due > 0 && d.Due <= 48*time.Hour {
			fast = append(fast, row.Label)
			fastDue = max(fastDue, d.Due)
		}
	}
	p.Fast, p.FastDue = joinWords(fast), humanDuration(fastDue)
	c := s.cfg.LEContact
	p.Name = leField{c.Name, "--le-contact-name"}
	p.Email = leField{c.Email, "--le-contact-email"}
	p.Phone = leField{c.Phone, "--le-contact-phone"}
	p.Hours = leField{c.Hours, "--le-contact-hours"}
	p.Portal = c.Portal
	p.KeyPath = ProductionKeyPath
	return p
}

// humanDuration writes a policy duration as people say it: "48 hours",
// "14 days", "90 minutes".
func humanDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d <= 0:
		return "not set"
	case d%(24*time.Hour) == 0 && d > 48*time.Hour:
		return plural(int64(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	}
	return d.String()
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := xs[0]
	for _, x := range xs[1 : len(xs)-1] {
		out += ", " + x
	}
	return out + " and " + xs[len(xs)-1]
}
