package lereq

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"vigil/auth"
	"vigil/errs"
	"vigil/lawreq"
	"vigil/platform"
)

// Demo identities. The domain is fictional and not in the .gov registry:
// it is allowed through the demo agency's entry in the agency directory,
// which is how a real agency with a new domain would be added.
const (
	DemoAgencyID     = "agy_demo_county_sheriff"
	DemoAgencyDomain = "demo-county-sheriff.gov"
	DemoOfficerEmail = "det.rivera@demo-county-sheriff.gov"
)

// DemoOptions configure SeedDemo.
type DemoOptions struct {
	// Password of the demo officer (printed by serve --demo).
	Password string
	// LEStaff and Legal are the demo staff usernames that act on the demo
	// requests; LEStaff also form the on-call rotation. Default: every
	// le_response / legal staff user in the store.
	LEStaff []string
	Legal   string
	// AccountIDs are candidate directory accounts for the demo requests'
	// targets; default: probe the demo generator's ids acct-000001… .
	AccountIDs []string
}

// DemoResult says what SeedDemo created.
type DemoResult struct {
	Agency   Agency   `json:"agency"`
	Officer  Officer  `json:"officer"`
	Requests []string `json:"requests"`
	Created  bool     `json:"created"` // false when the demo was already seeded
}

// SeedDemo creates the demo agency, a demo officer (e-mail and call-back
// verified, TOTP not enrolled so the first login enrols), an on-call
// rotation over the demo LE staff, and requests in several states that
// name real demo accounts: an emergency in triage, a preservation
// confirmed, a subpoena in legal review, and a request for a Weixin account
// closed out_of_jurisdiction. It does nothing when the demo agency exists.
func (s *Service) SeedDemo(ctx context.Context, opt DemoOptions) (DemoResult, error) {
	if ag, err := s.d.Store.Agency(ctx, DemoAgencyID); err == nil {
		o, err := s.d.Store.OfficerByEmail(ctx, DemoOfficerEmail)
		return DemoResult{Agency: ag, Officer: o}, err
	} else if errs.KindOf(err) != errs.NotFound {
		return DemoResult{}, err
	}
	if err := s.demoStaff(ctx, &opt); err != nil {
		return DemoResult{}, err
	}
	picks, err := s.demoAccounts(ctx, opt.AccountIDs)
	if err != nil {
		return DemoResult{}, err
	}
	now := s.now()
	admin := Actor{Kind: ActorSystem, ID: "demo", Role: lawreq.RoleAdmin}
	ag, err := s.d.Store.CreateAgency(ctx, Agency{
		ID: DemoAgencyID, Name: "Demo County Sheriff's Office", Jurisdiction: "Demo County (fictional)",
		ORI: "XX0000000", Phone: "+12025550142", Domains: []string{DemoAgencyDomain}, CreatedBy: admin.ID,
	})
	if err != nil {
		return DemoResult{}, err
	}
	if s.cfg.Rotation == nil {
		rot := lawreq.Rotation{Members: opt.LEStaff, HandoverDay: time.Monday, HandoverHour: 9, Zone: "UTC", Anchor: now}
		if err := s.SetRotation(ctx, Actor{Kind: ActorStaff, ID: "demo", Role: lawreq.RoleAdmin}, rot); err != nil {
			return DemoResult{}, err
		}
	}
	hash, err := auth.HashPassword(opt.Password, s.cfg.Argon2)
	if err != nil {
		return DemoResult{}, err
	}
	o, err := s.d.Store.CreateOfficer(ctx, Officer{
		ID: newID("off"), AgencyID: ag.ID, Name: "Det. Sam Rivera", Title: "Detective, Financial Crimes Unit",
		Email: DemoOfficerEmail, Phone: "+12025550143", PasswordHash: hash, EmailVerifiedAt: now,
		CallbackVerifiedAt: now, CallbackBy: opt.LEStaff[0], CallbackNotes: "Demo: switchboard confirmed Det. Rivera works in Financial Crimes.",
	})
	if err != nil {
		return DemoResult{}, err
	}
	for _, v := range []Verification{
		{OfficerID: o.ID, Kind: VerifyEmail, By: ActorOfficer, At: now},
		{OfficerID: o.ID, Kind: VerifyCallback, By: opt.LEStaff[0], Phone: ag.Phone, Notes: o.CallbackNotes, At: now},
	} {
		if _, err := s.d.Store.AddVerification(ctx, v); err != nil {
			return DemoResult{}, err
		}
	}
	if err := s.audit(ctx, admin, "lereq.demo.seed", []string{"agency:" + ag.ID, "officer:" + o.ID}, "demo data", nil); err != nil {
		return DemoResult{}, err
	}
	le := StaffActor(opt.LEStaff[0], string(lawreq.RoleLEResponse))
	counsel := StaffActor(opt.Legal, string(lawreq.RoleLegal))
	type step struct {
		to     lawreq.State
		by     Actor
		reason string
	}
	presTargets := []lawreq.Target{{Kind: lawreq.TargetAccountID, Value: picks.active.ID}}
	if picks.deleted.ID != "" {
		presTargets = append(presTargets, lawreq.Target{Kind: lawreq.TargetAccountID, Value: picks.deleted.ID})
	}
	sup := lawreq.Contact{Name: "Lt. Dana Okafor", Title: "Unit supervisor", Phone: "+12025550144"}
	weekAgo := now.Add(-7 * 24 * time.Hour)
	plans := []struct {
		req   lawreq.Request
		steps []step
	}{
		{lawreq.Request{
			Type: lawreq.EmergencyDisclosure, CaseNumber: "DCSO-2026-0412", CaseName: "Missing juvenile, threats of self-harm",
			Targets: []lawreq.Target{{Kind: lawreq.TargetWeChatID, Value: picks.active.WeChatID}},
			Range:   lawreq.DateRange{From: now.Add(-72 * time.Hour), To: now}, Requested: []lawreq.Category{lawreq.SubscriberBasic, lawreq.LoginMetadata},
			Emergency: &lawreq.EmergencyStatement{Danger: "A 15-year-old reported missing has posted messages saying she intends to harm herself tonight.",
				WhyNow: "She may be in danger within hours; a court order would take days.", Attested: true},
		}, []step{{lawreq.Triage, le, ""}}},
		{lawreq.Request{
			Type: lawreq.Preservation2703f, CaseNumber: "DCSO-2026-0398", CaseName: "Structured cash deposits",
			Targets: presTargets,
			Range:   lawreq.DateRange{From: weekAgo.AddDate(0, -6, 0), To: now},
		}, []step{{lawreq.Triage, le, ""}, {lawreq.LegalReview, le, ""}, {lawreq.Approved, le, "Preservation confirmed; snapshot and hold placed."}}},
		{lawreq.Request{
			Type: lawreq.Subpoena, CaseNumber: "DCSO-2026-0377", CaseName: "Money-laundering broker network",
			Targets: []lawreq.Target{{Kind: lawreq.TargetAccountID, Value: picks.active.ID}, {Kind: lawreq.TargetEmail, Value: "no-such-person@example.com"}},
			Range:   lawreq.DateRange{From: weekAgo.AddDate(-1, 0, 0), To: weekAgo}, Requested: []lawreq.Category{lawreq.SubscriberBasic},
		}, []step{{lawreq.Triage, le, ""}, {lawreq.LegalReview, le, ""}}},
		{lawreq.Request{
			Type: lawreq.Subpoena, CaseNumber: "DCSO-2026-0351", CaseName: "Precursor chemical sales",
			Targets: []lawreq.Target{{Kind: lawreq.TargetAccountID, Value: picks.weixin.ID}},
			Range:   lawreq.DateRange{From: weekAgo.AddDate(-1, 0, 0), To: weekAgo}, Requested: []lawreq.Category{lawreq.SubscriberBasic},
		}, []step{{lawreq.Triage, le, ""}, {lawreq.LegalReview, le, ""}, {lawreq.OutOfJurisdiction, counsel,
			"The account is a Weixin account held by a separate company under Chinese law; the US entity does not hold its data. Please use a mutual legal assistance request."}}},
	}
	res := DemoResult{Agency: ag, Officer: o, Created: true}
	for i, p := range plans {
		p.req.Supervisor = sup
		v, err := s.submit(ctx, o, p.req, Upload{Filename: fmt.Sprintf("process-%d.pdf", i+1), ContentType: "application/pdf", Body: bytes.NewReader(demoPDF(p.req.CaseNumber))}, "demo-"+p.req.CaseNumber)
		if err != nil {
			return res, fmt.Errorf("demo request %s: %w", p.req.CaseNumber, err)
		}
		for _, st := range p.steps {
			if _, err := s.Transition(ctx, st.by, v.Req.ID, st.to, st.reason, nil); err != nil {
				return res, fmt.Errorf("demo request %s to %s: %w", p.req.CaseNumber, st.to, err)
			}
		}
		res.Requests = append(res.Requests, v.Req.ID)
	}
	return res, nil
}

func (s *Service) demoStaff(ctx context.Context, opt *DemoOptions) error {
	if opt.Password == "" {
		return errs.Field("password", "is required for the demo officer")
	}
	if len(opt.LEStaff) > 0 && opt.Legal != "" {
		return nil
	}
	staff, err := s.d.Store.LEStaff(ctx)
	if err != nil {
		return err
	}
	for _, m := range staff {
		switch {
		case m.Disabled:
		case m.Role == string(lawreq.RoleLEResponse) && len(opt.LEStaff) == 0:
			opt.LEStaff = append(opt.LEStaff, m.Username)
		case m.Role == string(lawreq.RoleLegal) && opt.Legal == "":
			opt.Legal = m.Username
		}
	}
	if len(opt.LEStaff) == 0 || opt.Legal == "" {
		return errs.E(errs.Unavailable, "the demo needs at least one le_response and one legal staff user: create them first")
	}
	return nil
}

type demoPicks struct{ active, deleted, weixin platform.Account }

// demoAccounts finds an active WeChat account, a Weixin one and, if there
// is one, a deleted one among the candidates.
func (s *Service) demoAccounts(ctx context.Context, ids []string) (demoPicks, error) {
	if len(ids) == 0 {
		for i := 1; i <= 5000; i++ {
			ids = append(ids, fmt.Sprintf("acct-%06d", i))
		}
	}
	var p demoPicks
	for _, id := range ids {
		a, err := s.d.Directory.AccountByID(ctx, id)
		if errs.KindOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return p, err
		}
		switch {
		case a.App == platform.AppWeixin && p.weixin.ID == "":
			p.weixin = a
		case a.App == platform.AppWeChat && a.Status == platform.StatusDeleted && p.deleted.ID == "":
			p.deleted = a
		case a.App == platform.AppWeChat && a.Status == platform.StatusActive && p.active.ID == "":
			p.active = a
		}
		if p.active.ID != "" && p.deleted.ID != "" && p.weixin.ID != "" {
			return p, nil
		}
	}
	if p.active.ID == "" || p.weixin.ID == "" {
		return p, errs.E(errs.Unavailable, "the directory has no active WeChat and Weixin accounts to name in demo requests: load the demo platform first")
	}
	return p, nil // no deleted account: the preservation names the active one only
}

// demoPDF is a minimal one-page PDF standing in for scanned legal process.
func demoPDF(caseNumber string) []byte {
	return TextPDF("DEMO LEGAL PROCESS - case " + caseNumber + " - not a real document")
}

// TextPDF is a minimal one-page PDF showing one line of text (ASCII, no
// parentheses or backslashes): a stand-in legal document for demos and tests.
func TextPDF(text string) []byte {
	stream := "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
