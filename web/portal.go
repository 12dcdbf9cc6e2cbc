package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"image/png"
	"maps"
	"net/http"
	"slices"
	"strings"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

// RoleOfficer is the access of a signed-in law-enforcement officer (portal
// routes only). KindOfficer is the principal kind of a portal session.
const (
	RoleOfficer = "officer"
	KindOfficer = "officer"
)

// Portal session keys: separate from the staff keys, so that an officer
// session can never pass for a staff one.
const (
	sessOfficer        = "officer_id"      // signed-in officer (both factors)
	sessOfficerPending = "officer_pending" // officer whose password was accepted
	sessOfficerNext    = "officer_next"    // where to go after portal sign-in
)

var officerOnly = []string{RoleOfficer}

func isPortalPath(p string) bool { return p == "/portal" || strings.HasPrefix(p, "/portal/") }

// portalMaxBody bounds a portal form: the legal document plus the fields.
const portalMaxBody = lawreq.MaxDocumentSize + 1<<20

// portalBody bounds and parses a portal form (multipart or not), so that an
// oversized upload is answered as such instead of as a missing CSRF token.
func (s *Server) portalBody(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, portalMaxBody)
	err := r.ParseMultipartForm(1 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.Field("document", "the upload is larger than %d MiB: send a smaller PDF (scan at a lower resolution) or split it", portalMaxBody>>20)
	}
	if err != nil {
		return errs.E(errs.Invalid, "the form could not be read: reload the page and submit it again")
	}
	return nil
}

// portalRoutes is the officer portal's part of the route table.
func (s *Server) portalRoutes() []Route {
	pub := []string{Public}
	return []Route{
		{Method: "GET", Pattern: "/portal/register", Allow: pub, Handler: s.portalRegisterPage, Summary: "officer self-registration form"},
		{Method: "POST", Pattern: "/portal/register", Allow: pub, Handler: s.portalRegister, Summary: "register an officer and e-mail a verification link"},
		{Method: "GET", Pattern: "/portal/verify-email", Allow: pub, Handler: s.portalVerifyEmail, Summary: "consume an e-mail verification link"},
		{Method: "GET", Pattern: "/portal/login", Allow: pub, Handler: s.portalLoginPage, Summary: "officer sign-in form"},
		{Method: "POST", Pattern: "/portal/login", Allow: pub, Handler: s.portalLogin, Summary: "check an officer's e-mail and password"},
		{Method: "GET", Pattern: "/portal/totp", Allow: pub, Handler: s.portalTOTPPage, Summary: "officer TOTP enrolment or code form"},
		{Method: "POST", Pattern: "/portal/totp", Allow: pub, Handler: s.portalTOTP, Summary: "check the officer's TOTP code and sign in"},
		{Method: "POST", Pattern: "/portal/logout", Allow: officerOnly, Handler: s.portalLogout, Summary: "officer sign-out"},
		{Method: "GET", Pattern: "/portal", Allow: officerOnly, Handler: s.portalHome, Summary: "the officer's requests"},
		{Method: "GET", Pattern: "/portal/requests/new", Allow: officerOnly, Handler: s.portalNewPage, Summary: "new request form"},
		{Method: "POST", Pattern: "/portal/requests", Allow: officerOnly, Handler: s.portalSubmit, Summary: "submit a request with its legal document"},
		{Method: "GET", Pattern: "/portal/requests/{id}", Allow: officerOnly, Handler: s.portalRequest, Summary: "one request: status, contact, targets, history, thread"},
		{Method: "GET", Pattern: "/portal/requests/{id}/files/{sha256}", Allow: officerOnly, Handler: s.portalFile, Summary: "download the request's legal document or a thread attachment"},
		{Method: "POST", Pattern: "/portal/requests/{id}/messages", Allow: officerOnly, Handler: s.portalPost, Summary: "post a message to the request's thread"},
	}
}

// authenticateOfficer finds a signed-in officer in the portal session keys.
func (s *Server) authenticateOfficer(r *http.Request) (Principal, bool, error) {
	if s.cfg.LE == nil {
		return Principal{}, false, nil
	}
	sm, ctx := s.session(r), r.Context()
	id := sm.GetString(ctx, sessOfficer)
	if id == "" {
		return Principal{}, false, nil
	}
	o, _, err := s.cfg.LE.Officer(ctx, id)
	if errs.KindOf(err) == errs.NotFound || err == nil && o.Disabled {
		_ = sm.Destroy(ctx) // removed or disabled since sign-in
		return Principal{}, false, nil
	}
	if err != nil {
		return Principal{}, false, err
	}
	return Principal{Kind: KindOfficer, ID: o.ID, Name: o.Email, Role: RoleOfficer}, true, nil
}

func (s *Server) portalUnauthenticated(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && !wantsJSON(r) {
		s.session(r).Put(r.Context(), sessOfficerNext, r.URL.RequestURI())
		http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
		return
	}
	WriteError(w, r, errs.E(errs.Unauthenticated, "sign in to the law-enforcement portal first"))
}

// officerOf returns the signed-in officer of a portal route.
func officerOf(r *http.Request) string {
	p, _ := PrincipalFrom(r.Context())
	return p.ID
}

// fieldErrors maps every field named in err (errors.Join trees included)
// to its message; other errors come back as rest.
func fieldErrors(err error) (fields map[string]string, rest []string) {
	fields = map[string]string{}
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, c := range j.Unwrap() {
				walk(c)
			}
			return
		}
		var fe *errs.Error
		if errors.As(e, &fe) && fe.Field != "" {
			if _, dup := fields[fe.Field]; !dup {
				fields[fe.Field] = fe.Msg
			}
			return
		}
		if errors.As(e, &fe) {
			rest = append(rest, fe.Msg)
			return
		}
		rest = append(rest, e.Error())
	}
	walk(err)
	return fields, rest
}

// formError shows a portal form again with every field's error. Errors
// without a kind (store failures) are 500s, not form errors.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, page string, v view, f *portalForm, err error) {
	kind := errs.KindOf(err)
	if kind == 0 {
		WriteError(w, r, err)
		return
	}
	fields, rest := fieldErrors(err)
	f.Errors = fields
	// The summary names every field too, so no error hides behind a field
	// the page does not mark.
	keys := slices.Sorted(maps.Keys(fields))
	for _, k := range keys {
		rest = append(rest, k+": "+fields[k])
	}
	v.Error = strings.Join(rest, "; ")
	v.Data = f
	s.render(w, r, StatusOf(kind), page, v)
}

// portalForm carries a form's values and per-field errors back to the page.
type portalForm struct {
	Values   map[string]string
	Errors   map[string]string
	Agencies []lereq.Agency
	Extra    any
}

func (f *portalForm) V(k string) string { return f.Values[k] }
func (f *portalForm) E(k string) string { return f.Errors[k] }

func formValues(r *http.Request, keys ...string) map[string]string {
	m := map[string]string{}
	for _, k := range keys {
		m[k] = strings.TrimSpace(r.FormValue(k))
	}
	return m
}

var registerFields = []string{"name", "title", "agency_id", "email", "phone"}

func (s *Server) registerForm(r *http.Request) (*portalForm, error) {
	ags, err := s.cfg.LE.Agencies(r.Context())
	return &portalForm{Values: map[string]string{}, Agencies: ags}, err
}

func (s *Server) portalRegisterPage(w http.ResponseWriter, r *http.Request) {
	f, err := s.registerForm(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_register", view{Title: "Register as an officer", Data: f})
}

func (s *Server) portalRegister(w http.ResponseWriter, r *http.Request) {
	f, err := s.registerForm(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	f.Values = formValues(r, registerFields...)
	v := view{Title: "Register as an officer"}
	if ok, wait := s.perIP.Allow("portal-register:" + clientIP(r)); !ok {
		s.formError(w, r, "portal_register", v, f, errs.E(errs.TooMany, "too many registrations from your address; wait %s and try again", roundUp(wait)))
		return
	}
	reg := lereq.Registration{Email: f.V("email"), Name: f.V("name"), Title: f.V("title"), Phone: f.V("phone"),
		AgencyID: f.V("agency_id"), Password: r.PostFormValue("password")}
	if _, err := s.cfg.LE.Register(r.Context(), reg); err != nil {
		s.formError(w, r, "portal_register", v, f, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_message", view{Title: "Check your e-mail",
		Flash: "Registered. We sent a confirmation link to " + f.V("email") + ": open it to confirm your address, then sign in."})
}

func (s *Server) portalVerifyEmail(w http.ResponseWriter, r *http.Request) {
	if _, err := s.cfg.LE.VerifyEmail(r.Context(), r.URL.Query().Get("token")); err != nil {
		var e *errs.Error
		if errs.KindOf(err) == 0 || !errors.As(err, &e) {
			WriteError(w, r, err)
			return
		}
		s.render(w, r, StatusOf(errs.KindOf(err)), "portal_message", view{Title: "Confirm your e-mail", Error: e.Msg})
		return
	}
	s.render(w, r, http.StatusOK, "portal_login", view{Title: "Officer sign-in",
		Flash: "Your e-mail address is confirmed. Sign in to set up two-factor authentication.", Data: &portalForm{}})
}

func (s *Server) portalLoginPage(w http.ResponseWriter, r *http.Request) {
	if p, ok := PrincipalFrom(r.Context()); ok && p.Kind == KindOfficer {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "portal_login", view{Title: "Officer sign-in", Data: &portalForm{}})
}

func (s *Server) portalLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	f := &portalForm{Values: map[string]string{"email": email}}
	v := view{Title: "Officer sign-in"}
	if err := s.portalThrottle(r, email); err != nil {
		s.formError(w, r, "portal_login", v, f, err)
		return
	}
	o, err := s.cfg.LE.Login(ctx, email, r.PostFormValue("password"))
	if err != nil {
		s.formError(w, r, "portal_login", v, f, err)
		return
	}
	// Password accepted; not signed in before the second factor. A fresh
	// token prevents session fixation; any staff sign-in in this browser ends.
	sm := s.session(r)
	if err := sm.RenewToken(ctx); err != nil {
		WriteError(w, r, err)
		return
	}
	for _, k := range []string{sessUID, sessStage, sessPWFP, sessOfficer} {
		sm.Remove(ctx, k)
	}
	sm.Put(ctx, sessOfficerPending, o.ID)
	http.Redirect(w, r, "/portal/totp", http.StatusSeeOther)
}

// portalThrottle applies the per-IP and per-address sign-in limits to
// officers (the same limiters as staff, under their own keys), audited
// under portal actions.
func (s *Server) portalThrottle(r *http.Request, email string) error {
	if ok, wait := s.perIP.Allow("ip:" + clientIP(r)); !ok {
		s.audit(r, "anonymous", "", "portal.login_throttled", nil, map[string]string{"limit": "ip", "ip": clientIP(r)})
		return errs.E(errs.TooMany, "too many sign-in attempts from your address; wait %s and try again", roundUp(wait))
	}
	if email == "" {
		return nil
	}
	if ok, wait := s.perUser.Allow("officer:" + email); !ok {
		s.audit(r, email, RoleOfficer, "portal.login_throttled", nil, map[string]string{"limit": "email", "ip": clientIP(r)})
		return errs.E(errs.TooMany, "too many sign-in attempts for this address; wait %s and try again", roundUp(wait))
	}
	return nil
}

func (s *Server) pendingOfficer(r *http.Request) (lereq.Officer, bool, error) {
	id := s.session(r).GetString(r.Context(), sessOfficerPending)
	if id == "" {
		return lereq.Officer{}, false, nil
	}
	o, _, err := s.cfg.LE.Officer(r.Context(), id)
	if errs.KindOf(err) == errs.NotFound {
		return lereq.Officer{}, false, nil
	}
	return o, err == nil, err
}

// totpView is the TOTP page: an enrolment (secret, URL, QR) or a code form.
type totpView struct {
	Enrol bool
	enrolView
}

func (s *Server) officerTOTPView(r *http.Request, o lereq.Officer) (totpView, error) {
	if o.TOTPConfirmed {
		return totpView{}, nil
	}
	en, err := s.cfg.LE.BeginTOTP(r.Context(), o.ID)
	if err != nil {
		return totpView{}, err
	}
	tv := totpView{Enrol: true, enrolView: enrolView{Secret: en.Secret, URL: en.URL}}
	if img, err := en.Key().Image(200, 200); err == nil {
		var buf bytes.Buffer
		if png.Encode(&buf, img) == nil {
			tv.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
		}
	}
	return tv, nil
}

func (s *Server) portalTOTPPage(w http.ResponseWriter, r *http.Request) {
	o, ok, err := s.pendingOfficer(r)
	if err != nil || !ok {
		s.toPortalLogin(w, r, err)
		return
	}
	tv, err := s.officerTOTPView(r, o)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_totp", view{Title: "Two-factor code", Data: tv})
}

func (s *Server) toPortalLogin(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		WriteError(w, r, err)
		return
	}
	http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
}

func (s *Server) portalTOTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o, ok, err := s.pendingOfficer(r)
	if err != nil || !ok {
		s.toPortalLogin(w, r, err)
		return
	}
	tv, err := s.officerTOTPView(r, o)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v := view{Title: "Two-factor code", Data: tv}
	if err := s.portalThrottle(r, o.Email); err != nil {
		s.renderFormError(w, r, "portal_totp", v, err)
		return
	}
	if err := s.cfg.LE.VerifyTOTP(ctx, o.ID, r.PostFormValue("code")); err != nil {
		s.renderFormError(w, r, "portal_totp", v, err)
		return
	}
	sm := s.session(r)
	if err := sm.RenewToken(ctx); err != nil {
		WriteError(w, r, err)
		return
	}
	sm.Remove(ctx, sessOfficerPending)
	next := sm.PopString(ctx, sessOfficerNext)
	sm.Put(ctx, sessOfficer, o.ID)
	sm.Put(ctx, sessCSRF, randomToken())
	if !isPortalPath(localPath(next)) {
		next = "/portal"
	}
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

func (s *Server) portalLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.session(r).Destroy(r.Context()); err != nil {
		WriteError(w, r, err)
		return
	}
	http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
}
