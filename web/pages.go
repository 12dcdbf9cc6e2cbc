package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"vigil/errs"
)

// pageSet holds one parsed template per page, each combined with the layout.
type pageSet struct {
	pages map[string]*template.Template
}

func loadPages() (*pageSet, error) {
	layout, err := fs.ReadFile(assets, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: read layout: %w", err)
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// Files named partial_*.html are shared by every page and are not pages
	// (go:embed skips names starting with "_").
	var partials []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "partial_") {
			b, err := fs.ReadFile(assets, n)
			if err != nil {
				return nil, err
			}
			partials = append(partials, string(b))
		}
	}
	ps := &pageSet{pages: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" || strings.HasPrefix(base, "partial_") {
			continue
		}
		body, err := fs.ReadFile(assets, n)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Parse(string(layout))
		for _, src := range append(partials, string(body)) {
			if err == nil {
				_, err = t.Parse(src)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", n, err)
		}
		ps.pages[base] = t
	}
	return ps, nil
}

// view is what every page template receives.
type view struct {
	Title string
	User  *Principal // nil on sign-in pages
	CSRF  string     // the per-session token for every form
	Error string     // a message a person can act on
	Field string     // the form field the error is about
	Flash string     // a success message
	Data  any        // the page's own data
}

// render executes page into a buffer first, so that a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t := s.pages.pages[page]
	if t == nil {
		WriteError(w, r, fmt.Errorf("no template %q", page))
		return
	}
	if p, ok := PrincipalFrom(r.Context()); ok && p.Kind == KindStaff {
		v.User = &p
	}
	if v.CSRF == "" && !s.noSessionFor(r) {
		v.CSRF = s.csrfToken(r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		WriteError(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderFormError shows page again with err's message next to the form. The
// status still comes from StatusOf, the one mapping of error kinds; plain
// errors go to WriteError (500, details logged).
func (s *Server) renderFormError(w http.ResponseWriter, r *http.Request, page string, v view, err error) {
	var e *errs.Error
	kind := errs.KindOf(err)
	if kind == 0 || !errors.As(err, &e) {
		WriteError(w, r, err)
		return
	}
	v.Error, v.Field = e.Msg, e.Field
	s.render(w, r, StatusOf(kind), page, v)
}
