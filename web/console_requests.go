package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

// Who works law-enforcement requests in the console. Auditors read only;
// the service refuses them every change, and the route table keeps them
// off the POST routes too.
var (
	leReaders  = []string{RoleLEResponse, RoleLegal, RoleAdmin, RoleAuditor}
	leWriters  = []string{RoleLEResponse, RoleLegal}
	leProducer = []string{RoleLEResponse}
)

// consoleRequestRoutes is the staff side of the law-enforcement portal.
func (s *Server) consoleRequestRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/requests", Allow: leReaders, Handler: s.consoleQueue, Summary: "law-enforcement request queue, most urgent first, filtered by type and state"},
		{Method: "GET", Pattern: "/requests/{id}", Allow: leReaders, Handler: s.consoleRequest, Summary: "one law-enforcement request: targets, documents, history, thread, next steps"},
		{Method: "POST", Pattern: "/requests/{id}/transition", Allow: leWriters, Handler: s.consoleTransition, Summary: "move a request to its next state, with the reason and (approvals) the categories granted"},
		{Method: "POST", Pattern: "/requests/{id}/messages", Allow: leWriters, Handler: s.consolePost, Summary: "write to the officer in the request's thread"},
		{Method: "GET", Pattern: "/requests/{id}/files/{sha256}", Allow: leReaders, Handler: s.consoleFile, Summary: "download a request's legal document or a thread attachment"},
		{Method: "POST", Pattern: "/requests/{id}/produce", Allow: leProducer, Handler: s.consoleProduce, Summary: "build, sign and deliver the production package of an approved request"},
		{Method: "GET", Pattern: "/requests/{id}/package", Allow: leReaders, Handler: s.consolePackage, Summary: "download the delivered production package (staff copy)"},
		{Method: "POST", Pattern: "/officers/{id}/callback", Allow: leWriters, Handler: s.consoleCallback, Summary: "record the call-back verification of an officer to the agency's published number"},
		{Method: "GET", Pattern: "/portal/requests/{id}/package", Allow: officerOnly, Handler: s.portalPackage, Summary: "download the request's production package while the link is valid"},
	}
}

// staffActor is the lereq actor of the signed-in staff member.
func staffActor(r *http.Request) lereq.Actor {
	p, _ := PrincipalFrom(r.Context())
	return lereq.StaffActor(p.Name, p.Role)
}

// queueRow is one line of the queue page.
type queueRow struct {
	lereq.QueueItem
	Agency, Officer string
	Left            string
}

// queueView is the queue page.
type queueView struct {
	Rows          []queueRow
	Types         []lawreq.RequestType
	States        []lawreq.State
	Type, State   string
	IncludeClosed bool
}

func (s *Server) consoleQueue(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), staffActor(r)
	q := r.URL.Query()
	qv := queueView{Types: lawreq.RequestTypes(), States: lawreq.States(), Type: q.Get("type"), State: q.Get("state"), IncludeClosed: q.Get("closed") != ""}
	f := lereq.QueueFilter{IncludeClosed: qv.IncludeClosed}
	if qv.Type != "" {
		f.Types = []lawreq.RequestType{lawreq.RequestType(qv.Type)}
	}
	if qv.State != "" {
		f.States = []lawreq.State{lawreq.State(qv.State)}
		if lawreq.State(qv.State).Final() {
			f.IncludeClosed = true // asking for closed requests shows them
		}
	}
	v := view{Title: "Law-enforcement requests", Data: &qv}
	items, err := s.cfg.LE.Queue(ctx, a, f)
	if err != nil {
		s.renderFormError(w, r, "console_queue", v, err)
		return
	}
	agencies := map[string]string{}
	if ags, err := s.cfg.LE.Agencies(ctx); err == nil {
		for _, ag := range ags {
			agencies[ag.ID] = ag.Name
		}
	}
	officers := map[string]string{}
	if os, _, err := s.cfg.LE.Officers(ctx, a, ""); err == nil {
		for _, o := range os {
			officers[o.ID] = o.Name
		}
	}
	for _, it := range items {
		row := queueRow{QueueItem: it, Agency: agencies[it.AgencyID], Officer: officers[it.OfficerID], Left: timeLeft(it.Status)}
		if row.Agency == "" {
			row.Agency = it.AgencyID
		}
		if row.Officer == "" {
			row.Officer = it.OfficerID
		}
		qv.Rows = append(qv.Rows, row)
	}
	s.render(w, r, http.StatusOK, "console_queue", v)
}

// timeLeft says in words how long is left until a request is due.
func timeLeft(st lawreq.Status) string {
	if st.Answered {
		return "answered"
	}
	d := st.Left.Round(time.Minute)
	over := d < 0
	if over {
		d = -d
	}
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var txt string
	switch {
	case days > 0:
		txt = fmt.Sprintf("%dd %dh", days, h)
	case h > 0:
		txt = fmt.Sprintf("%dh %02dm", h, m)
	default:
		txt = fmt.Sprintf("%dm", m)
	}
	if over || st.Breached {
		return "overdue by " + txt
	}
	return txt
}

// consoleRequestView is the staff page of one request.
type consoleRequestView struct {
	lereq.RequestView
	Thread       []lereq.Message
	Officer      lereq.Officer
	OfficerState lereq.OfficerState
	Production   *lereq.Production
	// Grantable are the requested categories lawreq allows for this type:
	// the checkboxes of legal's approval forms.
	Grantable  []lawreq.Category
	Emergency  bool
	CanWrite   bool // may post and record call-backs
	CanProduce bool
	Form       *portalForm
}

// requestPageStaff renders the console page of request id, with v's error.
func (s *Server) requestPageStaff(w http.ResponseWriter, r *http.Request, status int, v view, f *portalForm) {
	ctx, a := r.Context(), staffActor(r)
	rv, err := s.cfg.LE.Get(ctx, a, r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.renderStaffRequest(w, r, status, v, f, rv)
}

func (s *Server) renderStaffRequest(w http.ResponseWriter, r *http.Request, status int, v view, f *portalForm, rv lereq.RequestView) {
	ctx, a := r.Context(), staffActor(r)
	th, err := s.cfg.LE.Thread(ctx, a, rv.ID())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	o, st, err := s.cfg.LE.Officer(ctx, rv.OfficerID)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if f == nil {
		f = &portalForm{Values: map[string]string{}, Errors: map[string]string{}}
	}
	cv := consoleRequestView{RequestView: rv, Thread: th, Officer: o, OfficerState: st, Form: f,
		Emergency: rv.Req.Type == lawreq.EmergencyDisclosure,
		CanWrite:  slices.Contains(leWriters, string(a.Role))}
	allowed := lawreq.Allowed(rv.Req.Type)
	for _, c := range rv.Req.Requested {
		if slices.Contains(allowed, c) && !slices.Contains(cv.Grantable, c) {
			cv.Grantable = append(cv.Grantable, c)
		}
	}
	if p, ok, err := s.cfg.LE.ProductionOf(ctx, a, rv.ID()); err != nil {
		WriteError(w, r, err)
		return
	} else if ok {
		cv.Production = &p
	}
	cv.CanProduce = a.Role == lawreq.RoleLEResponse && !rv.Req.Type.IsPreservation() &&
		(rv.State == lawreq.Approved || rv.State == lawreq.PartiallyApproved || rv.State == lawreq.Producing)
	v.Title = "Request " + rv.Req.CaseNumber
	v.Data = cv
	s.render(w, r, status, "console_request", v)
}

func (s *Server) consoleRequest(w http.ResponseWriter, r *http.Request) {
	s.requestPageStaff(w, r, http.StatusOK, view{}, nil)
}

// actionError shows the request page again with err inline, or the error
// page for errors that are not the caller's to fix.
func (s *Server) actionError(w http.ResponseWriter, r *http.Request, f *portalForm, err error) {
	kind := errs.KindOf(err)
	if kind == 0 || kind == errs.NotFound {
		WriteError(w, r, err)
		return
	}
	fields, rest := fieldErrors(err)
	if f == nil {
		f = &portalForm{Values: map[string]string{}}
	}
	f.Errors = fields
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		rest = append(rest, k+": "+fields[k])
	}
	s.requestPageStaff(w, r, StatusOf(kind), view{Error: strings.Join(rest, "; ")}, f)
}

func (s *Server) consoleTransition(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	to := lawreq.State(r.PostFormValue("to"))
	f := &portalForm{Values: map[string]string{"to": string(to), "reason": r.PostFormValue("reason"),
		"basis": r.PostFormValue("basis"), "content_reason": r.PostFormValue("content_reason")}}
	var d *lereq.Decision
	if to == lawreq.Approved || to == lawreq.PartiallyApproved {
		d = &lereq.Decision{Basis: strings.TrimSpace(f.V("basis")), ContentReason: strings.TrimSpace(f.V("content_reason"))}
		for _, c := range r.PostForm["categories"] {
			d.Categories = append(d.Categories, lawreq.Category(c))
		}
	}
	if _, err := s.cfg.LE.Transition(r.Context(), staffActor(r), id, to, f.V("reason"), d); err != nil {
		s.actionError(w, r, f, err)
		return
	}
	http.Redirect(w, r, "/requests/"+id, http.StatusSeeOther)
}

func (s *Server) consolePost(w http.ResponseWriter, r *http.Request) {
	att, done, err := messageAttachment(r)
	defer done()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	id := r.PathValue("id")
	body := r.PostFormValue("body")
	if _, err := s.cfg.LE.Post(r.Context(), staffActor(r), id, body, att); err != nil {
		s.actionError(w, r, &portalForm{Values: map[string]string{"body": body}}, err)
		return
	}
	http.Redirect(w, r, "/requests/"+id+"#thread", http.StatusSeeOther)
}

// consoleCallback records a call-back. The form comes from a request page
// (field "request"), to which the answer returns, with any error inline.
func (s *Server) consoleCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	reqID := strings.TrimSpace(r.PostFormValue("request"))
	c := lereq.Callback{PhoneDialed: strings.TrimSpace(r.PostFormValue("phone_dialed")), Notes: strings.TrimSpace(r.PostFormValue("notes"))}
	_, err := s.cfg.LE.RecordCallback(ctx, staffActor(r), r.PathValue("id"), c)
	if reqID == "" {
		if err != nil {
			WriteError(w, r, err)
			return
		}
		http.Redirect(w, r, "/requests", http.StatusSeeOther)
		return
	}
	if err != nil {
		r.SetPathValue("id", reqID)
		s.actionError(w, r, &portalForm{Values: map[string]string{"phone_dialed": c.PhoneDialed, "notes": c.Notes}}, err)
		return
	}
	http.Redirect(w, r, "/requests/"+reqID+"#officer", http.StatusSeeOther)
}
