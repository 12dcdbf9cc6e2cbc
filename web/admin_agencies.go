package web

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"vigil/errs"
	"vigil/lereq"
)

// Who reaches the admin pages. Admins change the agency directory and the
// on-call rotation; the response team reads both (it calls agencies back
// and works the rotation) and legal reads the staff directory.
var (
	adminOnly       = []string{RoleAdmin}
	agencyReaders   = []string{RoleAdmin, RoleLEResponse}
	staffDirReaders = []string{RoleAdmin, RoleLEResponse, RoleLegal}
)

// adminRoutes are the agency directory, the staff directory and the on-call
// rotation.
func (s *Server) adminRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/admin/agencies", Allow: agencyReaders, Handler: s.adminAgencies, Summary: "agency directory: name, jurisdiction, ORI, published switchboard, e-mail domains"},
		{Method: "POST", Pattern: "/admin/agencies", Allow: adminOnly, Handler: s.adminAgencyCreate, Summary: "add an agency to the directory"},
		{Method: "GET", Pattern: "/admin/agencies/{id}", Allow: agencyReaders, Handler: s.adminAgency, Summary: "one agency record and its officers"},
		{Method: "POST", Pattern: "/admin/agencies/{id}", Allow: adminOnly, Handler: s.adminAgencyUpdate, Summary: "change an agency record"},
		{Method: "GET", Pattern: "/admin/staff", Allow: staffDirReaders, Handler: s.adminStaff, Summary: "staff directory and the on-call rotation: who is on call now and for the next four weeks"},
		{Method: "POST", Pattern: "/admin/staff/rotation", Allow: adminOnly, Handler: s.adminRotationSave, Summary: "set the on-call rotation's members, hand-over day and hour, and time zone"},
		{Method: "POST", Pattern: "/admin/staff/rotation/overrides", Allow: adminOnly, Handler: s.adminOverrideAdd, Summary: "add a dated on-call override"},
		{Method: "POST", Pattern: "/admin/staff/rotation/overrides/{index}/delete", Allow: adminOnly, Handler: s.adminOverrideRemove, Summary: "remove a dated on-call override"},
	}
}

// isAdmin reports whether the signed-in staff member may change admin data;
// the others see the pages without forms.
func isAdmin(r *http.Request) bool {
	p, _ := PrincipalFrom(r.Context())
	return p.Kind == KindStaff && p.Role == RoleAdmin
}

// agencyForm is the agency form with its values and per-field errors.
type agencyForm struct {
	portalForm
	ID   string // empty: a new agency
	CSRF string // the form's token (the form is a nested template)
}

var agencyFields = []string{"name", "jurisdiction", "ori", "phone", "domains"}

// agenciesView is the directory page, or one agency's page when Agency is
// set (one template, so the form is written once).
type agenciesView struct {
	Agencies []lereq.Agency
	Agency   *lereq.Agency
	Officers []lereq.Officer
	States   []lereq.OfficerState // of Officers, index for index
	CanEdit  bool
	Form     *agencyForm // "add an agency", or the agency's record
}

// splitDomains reads one domain per line (commas and spaces also separate).
func splitDomains(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == '\t' })
}

func agencyFromForm(r *http.Request, id string) (*agencyForm, lereq.Agency) {
	f := &agencyForm{portalForm: portalForm{Values: formValues(r, agencyFields...), Errors: map[string]string{}}, ID: id}
	return f, lereq.Agency{ID: id, Name: f.V("name"), Jurisdiction: f.V("jurisdiction"), ORI: f.V("ori"),
		Phone: f.V("phone"), Domains: splitDomains(f.V("domains"))}
}

func formOfAgency(ag lereq.Agency) *agencyForm {
	return &agencyForm{ID: ag.ID, portalForm: portalForm{Errors: map[string]string{}, Values: map[string]string{
		"name": ag.Name, "jurisdiction": ag.Jurisdiction, "ori": ag.ORI, "phone": ag.Phone, "domains": strings.Join(ag.Domains, "\n"),
	}}}
}

// formProblems puts err's field errors on f and returns the page summary.
// Indexed fields ("domains[2]") are shown next to their list's input.
func formProblems(f *portalForm, err error) string {
	fields, rest := fieldErrors(err)
	f.Errors = map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		base, _, _ := strings.Cut(k, "[")
		if prev := f.Errors[base]; prev != "" {
			f.Errors[base] = prev + "; " + k + " " + fields[k]
		} else if base != k {
			f.Errors[base] = k + " " + fields[k]
		} else {
			f.Errors[base] = fields[k]
		}
		rest = append(rest, k+": "+fields[k])
	}
	return strings.Join(rest, "; ")
}

func (s *Server) agenciesPage(w http.ResponseWriter, r *http.Request, status int, v view, f *agencyForm) {
	ags, err := s.cfg.LE.Agencies(r.Context())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if f == nil {
		f = &agencyForm{portalForm: portalForm{Values: map[string]string{}, Errors: map[string]string{}}}
	}
	f.CSRF = s.csrfToken(r)
	v.Title = "Agencies"
	v.Data = agenciesView{Agencies: ags, CanEdit: isAdmin(r), Form: f}
	s.render(w, r, status, "admin_agencies", v)
}

func (s *Server) adminAgencies(w http.ResponseWriter, r *http.Request) {
	v := view{}
	if r.URL.Query().Get("saved") != "" {
		v.Flash = "Agency saved."
	}
	s.agenciesPage(w, r, http.StatusOK, v, nil)
}

func (s *Server) adminAgencyCreate(w http.ResponseWriter, r *http.Request) {
	f, ag := agencyFromForm(r, "")
	ag, err := s.cfg.LE.SaveAgency(r.Context(), staffActor(r), ag)
	if err != nil {
		if k := errs.KindOf(err); k == 0 || k == errs.NotFound {
			WriteError(w, r, err)
			return
		}
		s.agenciesPage(w, r, StatusOf(errs.KindOf(err)), view{Error: formProblems(&f.portalForm, err)}, f)
		return
	}
	http.Redirect(w, r, "/admin/agencies?saved="+ag.ID, http.StatusSeeOther)
}

func (s *Server) agencyPage(w http.ResponseWriter, r *http.Request, status int, v view, f *agencyForm) {
	ctx := r.Context()
	ag, err := s.cfg.LE.Agency(ctx, r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	os, sts, err := s.cfg.LE.Officers(ctx, staffActor(r), ag.ID)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if f == nil {
		f = formOfAgency(ag)
	}
	f.CSRF = s.csrfToken(r)
	v.Title = "Agency " + ag.Name
	v.Data = agenciesView{Agency: &ag, Officers: os, States: sts, CanEdit: isAdmin(r), Form: f}
	s.render(w, r, status, "admin_agencies", v)
}

func (s *Server) adminAgency(w http.ResponseWriter, r *http.Request) {
	v := view{}
	if r.URL.Query().Get("saved") != "" {
		v.Flash = "Agency saved."
	}
	s.agencyPage(w, r, http.StatusOK, v, nil)
}

func (s *Server) adminAgencyUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, ag := agencyFromForm(r, id)
	if _, err := s.cfg.LE.SaveAgency(r.Context(), staffActor(r), ag); err != nil {
		if k := errs.KindOf(err); k == 0 || k == errs.NotFound {
			WriteError(w, r, err)
			return
		}
		s.agencyPage(w, r, StatusOf(errs.KindOf(err)), view{Error: formProblems(&f.portalForm, err)}, f)
		return
	}
	http.Redirect(w, r, "/admin/agencies/"+id+"?saved=1", http.StatusSeeOther)
}
