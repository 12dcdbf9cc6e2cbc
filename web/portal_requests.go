package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

// portalHomeView is the officer's home page.
type portalHomeView struct {
	Officer  lereq.Officer
	State    lereq.OfficerState
	Requests []lereq.QueueItem
	Contacts map[string]string // request id → named contact
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, st, err := s.cfg.LE.Officer(ctx, officerOf(r))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	items, err := s.cfg.LE.MyRequests(ctx, o.ID)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	hv := portalHomeView{Officer: o, State: st, Requests: items, Contacts: map[string]string{}}
	// The list carries only the assignee's username; the officer sees the
	// contact's name, as on the request page.
	for _, it := range items {
		name := "Law-enforcement response team"
		if it.Assignee != "" {
			name = it.Assignee
			if u, err := s.cfg.Users.StaffUserByUsername(ctx, it.Assignee); err == nil && u.DisplayName != "" {
				name = u.DisplayName
			}
		}
		hv.Contacts[it.ID] = name
	}
	s.render(w, r, http.StatusOK, "portal_home", view{Title: "Your requests", Data: hv})
}

// newRequestExtra is what the new-request form offers.
type newRequestExtra struct {
	Types      []lawreq.RequestType
	Categories []lawreq.Category
	Kinds      []lawreq.TargetKind
	Checked    map[string]bool
	ClientKey  string
}

var requestFields = []string{"type", "case_number", "case_name", "agency_ref", "supervisor_name", "supervisor_email",
	"supervisor_phone", "officer_phone", "targets", "from", "to", "return_by", "extends", "danger", "why_now", "client_key",
	"ndo_ref", "ndo_until", "issuer_state", "issuer_statute", "issuer_office"}

func newRequestForm(r *http.Request) *portalForm {
	ex := newRequestExtra{Types: lawreq.RequestTypes(), Categories: lawreq.Categories(), Kinds: lawreq.TargetKinds(),
		Checked: map[string]bool{}, ClientKey: randomToken()}
	f := &portalForm{Values: map[string]string{}, Extra: &ex}
	if r.Method == http.MethodPost {
		f.Values = formValues(r, requestFields...)
		if k := f.V("client_key"); k != "" {
			ex.ClientKey = k
		}
		for _, c := range r.PostForm["categories"] {
			ex.Checked[c] = true
		}
		if r.PostFormValue("attested") != "" {
			ex.Checked["attested"] = true
		}
		for _, k := range []string{"issuer_ag", "issuer_cid"} {
			if r.PostFormValue(k) != "" {
				ex.Checked[k] = true
			}
		}
	}
	return f
}

func (s *Server) portalNewPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "portal_new", view{Title: "New request", Data: newRequestForm(r)})
}

// parseTargets reads one "kind:value" per line.
func parseTargets(text string) ([]lawreq.Target, error) {
	var out []lawreq.Target
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		kind, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(value) == "" {
			return nil, errs.Field("targets", "line %d %q is not kind:value; write e.g. wechat_id:some_id or phone:+12025550100", i+1, line)
		}
		out = append(out, lawreq.Target{Kind: lawreq.TargetKind(strings.TrimSpace(kind)), Value: strings.TrimSpace(value)})
	}
	return out, nil
}

func parseDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil // lawreq.Validate says what is required
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, errs.Field(field, "%q is not a date: use YYYY-MM-DD", v)
	}
	return t, nil
}

// requestFromForm builds the lawreq.Request from the form; lawreq and
// lereq validate it.
func requestFromForm(f *portalForm, r *http.Request) (lawreq.Request, error) {
	req := lawreq.Request{
		Type: lawreq.RequestType(f.V("type")), CaseNumber: f.V("case_number"), CaseName: f.V("case_name"), AgencyRef: f.V("agency_ref"),
		Officer:    lawreq.Contact{Phone: f.V("officer_phone")},
		Supervisor: lawreq.Contact{Name: f.V("supervisor_name"), Email: f.V("supervisor_email"), Phone: f.V("supervisor_phone")},
		Extends:    f.V("extends"),
	}
	for _, c := range r.PostForm["categories"] {
		req.Requested = append(req.Requested, lawreq.Category(c))
	}
	if req.Type == lawreq.EmergencyDisclosure {
		req.Emergency = &lawreq.EmergencyStatement{Danger: f.V("danger"), WhyNow: f.V("why_now"), Attested: r.PostFormValue("attested") != ""}
	}
	var problems []error
	var err error
	if req.Targets, err = parseTargets(f.V("targets")); err != nil {
		problems = append(problems, err)
	}
	if req.Range.From, err = parseDate("from", f.V("from")); err != nil {
		problems = append(problems, err)
	}
	if req.Range.To, err = parseDate("to", f.V("to")); err != nil {
		problems = append(problems, err)
	}
	if req.ReturnBy, err = parseDate("return_by", f.V("return_by")); err != nil {
		problems = append(problems, err)
	}
	if !req.Range.To.IsZero() {
		req.Range.To = req.Range.To.Add(24*time.Hour - time.Second) // the whole last day
	}
	if err := addNDOAndIssuer(&req, f, r); err != nil {
		problems = append(problems, err)
	}
	return req, joinProblems(problems)
}

// addNDOAndIssuer attaches the optional non-disclosure order and state
// issuer sections when any of their fields is filled in; lawreq.Validate
// then says what else each needs.
func addNDOAndIssuer(req *lawreq.Request, f *portalForm, r *http.Request) error {
	if f.V("ndo_ref") != "" || f.V("ndo_until") != "" {
		until, err := parseDate("non_disclosure.until", f.V("ndo_until"))
		if err != nil {
			return err
		}
		if !until.IsZero() {
			until = until.Add(24 * time.Hour) // in force through the whole end date
		}
		req.NDO = &lawreq.NonDisclosure{OrderRef: f.V("ndo_ref"), Until: until}
	}
	ag, cid := r.PostFormValue("issuer_ag") != "", r.PostFormValue("issuer_cid") != ""
	if f.V("issuer_state") != "" || f.V("issuer_statute") != "" || f.V("issuer_office") != "" || ag || cid {
		req.Issuer = &lawreq.StateIssuer{State: f.V("issuer_state"), Statute: f.V("issuer_statute"),
			IssuingOffice: f.V("issuer_office"), AttorneyGen: ag, CivilDemand: cid}
	}
	return nil
}

func joinProblems(p []error) error {
	if len(p) == 0 {
		return nil
	}
	return errors.Join(p...)
}

func (s *Server) portalSubmit(w http.ResponseWriter, r *http.Request) {
	// The body is already bounded (wrap) and parsed by the CSRF check.
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		WriteError(w, r, errs.E(errs.Invalid, "the form could not be read (is the document larger than %d MB?)", lawreq.MaxDocumentSize>>20))
		return
	}
	f := newRequestForm(r)
	v := view{Title: "New request"}
	req, err := requestFromForm(f, r)
	if err != nil {
		s.formError(w, r, "portal_new", v, f, err)
		return
	}
	up := lereq.Upload{}
	file, hdr, err := r.FormFile("document")
	switch {
	case err == nil:
		defer func(c multipart.File) { _ = c.Close() }(file)
		up = lereq.Upload{Filename: hdr.Filename, ContentType: hdr.Header.Get("Content-Type"), Body: file}
	case err != http.ErrMissingFile:
		s.formError(w, r, "portal_new", v, f, errs.Field("document", "could not be read: upload it again"))
		return
	}
	rv, err := s.cfg.LE.SubmitRequest(r.Context(), officerOf(r), req, up, f.V("client_key"))
	if err != nil {
		s.formError(w, r, "portal_new", v, f, err)
		return
	}
	http.Redirect(w, r, "/portal/requests/"+rv.ID(), http.StatusSeeOther)
}

// portalRequestView is one request page.
type portalRequestView struct {
	lereq.RequestView
	Thread []lereq.Message
	Form   *portalForm
	// Production is the delivered package's download, if any.
	Production *portalPackageView
}

// portalPackageView is the download section of a delivered request.
type portalPackageView struct {
	lereq.Production
	Expired bool
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request, status int, v view, f *portalForm) {
	ctx := r.Context()
	a := lereq.OfficerActor(officerOf(r))
	rv, err := s.cfg.LE.Get(ctx, a, r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err) // another officer's request is "not found"
		return
	}
	th, err := s.cfg.LE.Thread(ctx, a, rv.ID())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if f == nil {
		f = &portalForm{Values: map[string]string{}}
	}
	pv := portalRequestView{RequestView: rv, Thread: th, Form: f}
	if rv.State == lawreq.Delivered || rv.State == lawreq.Closed {
		p, ok, err := s.cfg.LE.ProductionOf(ctx, a, rv.ID())
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if ok {
			pv.Production = &portalPackageView{Production: p, Expired: s.now().After(p.ExpiresAt)}
		}
	}
	v.Title = "Request " + rv.Req.CaseNumber
	v.Data = pv
	s.render(w, r, status, "portal_request", v)
}

func (s *Server) portalRequest(w http.ResponseWriter, r *http.Request) {
	s.requestPage(w, r, http.StatusOK, view{}, nil)
}

// messageAttachment reads a thread message form (multipart or not) and its
// optional "attachment" file; the caller closes the returned file via done.
func messageAttachment(r *http.Request) (att *lereq.Upload, done func(), err error) {
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return nil, func() {}, errs.E(errs.Invalid, "the message could not be read (is the attachment too large?)")
	}
	file, hdr, err := r.FormFile("attachment")
	if err != nil {
		return nil, func() {}, nil // no attachment
	}
	return &lereq.Upload{Filename: hdr.Filename, ContentType: hdr.Header.Get("Content-Type"), Body: file}, func() { _ = file.Close() }, nil
}

func (s *Server) portalPost(w http.ResponseWriter, r *http.Request) {
	att, done, err := messageAttachment(r)
	defer done()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	id := r.PathValue("id")
	body := r.PostFormValue("body")
	if _, err := s.cfg.LE.Post(r.Context(), lereq.OfficerActor(officerOf(r)), id, body, att); err != nil {
		if errs.KindOf(err) == 0 || errs.KindOf(err) == errs.NotFound {
			WriteError(w, r, err)
			return
		}
		fields, rest := fieldErrors(err)
		f := &portalForm{Values: map[string]string{"body": body}, Errors: fields}
		s.requestPage(w, r, StatusOf(errs.KindOf(err)), view{Error: strings.Join(rest, "; ")}, f)
		return
	}
	http.Redirect(w, r, "/portal/requests/"+id+"#thread", http.StatusSeeOther)
}

// portalFile serves a request's legal document or a thread attachment to
// its officer. The service audits the download and checks the hash as the
// file is read; the file is always a download, never rendered inline.
func (s *Server) portalFile(w http.ResponseWriter, r *http.Request) {
	rc, att, err := s.cfg.LE.OpenFile(r.Context(), lereq.OfficerActor(officerOf(r)), r.PathValue("id"), r.PathValue("sha256"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.sendFile(w, r, rc, att)
}
