package lereq

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/platform"
)

// Upload is a file sent with a request or a message.
type Upload struct {
	Filename    string
	ContentType string // as the client declared it; checked against the bytes
	Body        io.Reader
}

// placeholderDoc stands in for the document while the form is validated,
// so that a form with errors stores nothing.
var placeholderDoc = lawreq.LegalDocument{SHA256: strings.Repeat("0", 64), Size: 1}

// SubmitRequest files a request from an officer: it validates the form
// with lawreq, checks the legal document is a PDF within the size limit,
// stores it in the evidence store, resolves every target against the
// directory, computes the due times, assigns the named contact and records
// everything. Re-submitting with the same clientKey returns the request
// already filed. An officer not yet call-back verified gets the request
// accepted with the "verify by call-back" task.
func (s *Service) SubmitRequest(ctx context.Context, officerID string, req lawreq.Request, doc Upload, clientKey string) (RequestView, error) {
	o, err := s.d.Store.Officer(ctx, officerID)
	if err != nil {
		return RequestView{}, err
	}
	if st := s.StateOf(o); !st.CanSubmit {
		return RequestView{}, errs.E(errs.Forbidden, "you cannot submit requests yet: %s", st.Next)
	}
	return s.submit(ctx, o, req, doc, clientKey)
}

func (s *Service) submit(ctx context.Context, o Officer, req lawreq.Request, doc Upload, clientKey string) (RequestView, error) {
	actor := OfficerActor(o.ID)
	clientKey = strings.TrimSpace(clientKey)
	if len(clientKey) > 128 {
		return RequestView{}, errs.Field("client_key", "is longer than 128 characters")
	}
	if clientKey != "" {
		if rec, err := s.d.Store.RequestByClientKey(ctx, o.ID, clientKey); err == nil {
			return s.view(ctx, actor, rec)
		} else if errs.KindOf(err) != errs.NotFound {
			return RequestView{}, err
		}
	}
	now := s.now()
	// The request is the officer's, from the officer's agency, whatever the form says.
	req.ID, req.AgencyID, req.Officer.OfficerID = newID("req"), o.AgencyID, o.ID
	if req.Officer.Name == "" {
		req.Officer.Name = o.Name
	}
	if req.Officer.Title == "" {
		req.Officer.Title = o.Title
	}
	if req.Officer.Phone == "" {
		req.Officer.Phone = o.Phone
	}
	req.Officer.Email = o.Email
	req.EmergencyApproval = nil // decided by staff, never by the form
	req.Document = placeholderDoc
	req.Document.Filename = doc.Filename
	var problems []error
	if err := req.Validate(now); err != nil {
		problems = append(problems, err)
	}
	body, err := checkPDF(doc)
	if err != nil {
		problems = append(problems, err)
	}
	if err := joinErrs(problems); err != nil {
		return RequestView{}, err
	}
	ref, err := s.d.Blobs.Put(ctx, body, s.cfg.MaxDocumentSize)
	if err != nil {
		return RequestView{}, err
	}
	req.Document = lawreq.LegalDocument{SHA256: ref.SHA256, Size: ref.Size, Filename: req.Document.Filename}

	targets, gap, err := s.resolve(ctx, actor, req.ID, req.Targets)
	if err != nil {
		return RequestView{}, err
	}
	due, err := s.cfg.Policy.Due(&req, now)
	if err != nil {
		return RequestView{}, err
	}
	rec := RequestRecord{
		Req: req, State: lawreq.Submitted, OfficerID: o.ID, ReceivedAt: now, DueAt: due,
		VerifyByCallback: o.CallbackVerifiedAt.IsZero(), WeixinGap: gap, ClientKey: clientKey,
	}
	if d := s.cfg.Policy.Deadlines[req.Type]; d.Target > 0 {
		rec.TargetDueAt = now.Add(d.Target)
	}
	if rec.Assignee, err = s.assign(ctx, req.Type); err != nil {
		return RequestView{}, err
	}
	created, err := s.d.Store.CreateRequest(ctx, NewRequest{
		Record:  rec,
		Targets: targets,
		Document: Document{Attachment: Attachment{SHA256: ref.SHA256, Size: ref.Size, Filename: req.Document.Filename, ContentType: "application/pdf"},
			UploadedBy: actor.auditName(), UploadedAt: now},
		Transition: TransitionRecord{To: lawreq.Submitted, ActorKind: ActorOfficer, ActorID: o.ID, ActorRole: lawreq.RoleOfficer, At: now},
	})
	if errors.Is(err, ErrDuplicate) {
		return s.view(ctx, actor, created) // a concurrent re-submission won the race
	}
	if err != nil {
		return RequestView{}, err
	}
	detail := map[string]string{
		"type": string(req.Type), "case_number": req.CaseNumber, "document_sha256": ref.SHA256,
		"assignee": rec.Assignee, "due": due.Format("2006-01-02T15:04:05Z"), "weixin_gap": fmt.Sprint(gap),
		"verify_by_callback": fmt.Sprint(rec.VerifyByCallback),
	}
	if err := s.audit(ctx, actor, "lereq.request.submit", []string{"request:" + req.ID, "agency:" + req.AgencyID}, "", detail); err != nil {
		return RequestView{}, err
	}
	return s.view(ctx, actor, created)
}

// checkPDF checks the declared type and the first bytes of the document,
// and returns a reader of the whole document.
func checkPDF(doc Upload) (io.Reader, error) {
	if doc.Body == nil {
		return nil, errs.Field("document", "is missing: upload the legal process as a PDF")
	}
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(doc.ContentType, ";", 2)[0]))
	if ct != "" && ct != "application/pdf" && ct != "application/octet-stream" {
		return nil, errs.Field("document", "is %s, not a PDF: upload the legal process as a PDF file", ct)
	}
	br := bufio.NewReader(doc.Body)
	head, _ := br.Peek(5)
	if !lawreq.IsPDF(head) {
		return nil, errs.Field("document", "is not a PDF (it does not start with %%PDF-): upload the legal process as a PDF file, not a scan in another format")
	}
	return br, nil
}

// resolve looks every target up in the directory. Every target gets an
// outcome; Weixin accounts are marked not producible and counted (gap),
// never dropped. The look-ups read user data, so they are audited.
func (s *Service) resolve(ctx context.Context, a Actor, requestID string, ts []lawreq.Target) ([]TargetRecord, int, error) {
	out := make([]TargetRecord, 0, len(ts))
	weixin := map[string]bool{}
	var seen []string
	for i, t := range ts {
		accts, err := s.lookup(ctx, t)
		if err != nil {
			return nil, 0, err
		}
		res := lawreq.Resolution{Target: t}
		for _, acc := range accts {
			res.AccountIDs = append(res.AccountIDs, acc.ID)
			if acc.App == platform.AppWeixin {
				weixin[acc.ID] = true
			}
		}
		switch {
		case len(accts) == 0:
			res.Outcome = lawreq.NoMatch
		case len(accts) > 1:
			res.Outcome = lawreq.MultipleMatches
		case accts[0].App == platform.AppWeixin:
			res.Outcome = lawreq.NotProducibleWx
		case accts[0].Status == platform.StatusDeleted:
			res.Outcome = lawreq.DeletedAccount
		default:
			res.Outcome = lawreq.Matched
		}
		seen = append(seen, res.AccountIDs...)
		out = append(out, TargetRecord{RequestID: requestID, Index: i, Resolution: res})
	}
	recs := []string{"request:" + requestID}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(seen))) {
		if len(recs) < 1000 {
			recs = append(recs, "account:"+id)
		}
	}
	if err := s.audit(ctx, a, "lereq.targets.resolve", recs, "intake of a law-enforcement request", map[string]string{"targets": fmt.Sprint(len(ts))}); err != nil {
		return nil, 0, err
	}
	return out, len(weixin), nil
}

func (s *Service) lookup(ctx context.Context, t lawreq.Target) ([]platform.Account, error) {
	switch t.Kind {
	case lawreq.TargetWeChatID:
		return s.d.Directory.AccountsByWeChatID(ctx, t.Value)
	case lawreq.TargetPhone:
		return s.d.Directory.AccountsByPhone(ctx, t.Value, t.Region)
	case lawreq.TargetEmail:
		return s.d.Directory.AccountsByEmail(ctx, t.Value)
	case lawreq.TargetAccountID:
		a, err := s.d.Directory.AccountByID(ctx, t.Value)
		if errs.KindOf(err) == errs.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []platform.Account{a}, nil
	}
	return nil, errs.Field("targets", "%q is not a target kind", t.Kind)
}

// assign picks the named contact: the person on call for emergencies and
// preservations, round-robin in le_response otherwise. A request is never
// refused for want of an assignee: without a rotation, emergencies go
// round-robin too, and with no team at all the request is left unassigned
// (and shows so in the queue).
func (s *Service) assign(ctx context.Context, t lawreq.RequestType) (string, error) {
	rot, err := s.Rotation(ctx)
	if err != nil {
		s.d.Logger.Error("lereq: on-call rotation unusable; assigning round-robin", "err", err)
		rot = nil
	}
	team, _, err := s.team(ctx)
	if err != nil {
		return "", err
	}
	urgent := t == lawreq.EmergencyDisclosure || t.IsPreservation()
	if urgent && rot != nil {
		return lawreq.Assign(t, s.now(), rot, team, "")
	}
	last, err := s.d.Store.LastRoundRobinAssignee(ctx)
	if err != nil {
		return "", err
	}
	rrType := t
	if urgent {
		rrType = lawreq.Subpoena // no rotation: fall back to the team
	}
	who, err := lawreq.Assign(rrType, s.now(), rot, team, last)
	if errs.KindOf(err) == errs.Unavailable {
		s.d.Logger.Warn("lereq: no le_response staff to assign; request left unassigned", "type", t)
		return "", nil
	}
	return who, err
}
