package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lawreq"
)

var overrideFields = []string{"from", "to", "member", "reason"}

// storedRotation returns a copy of the rotation in force, safe to change,
// or an error a person can act on when there is none.
func (s *Server) storedRotation(r *http.Request) (lawreq.Rotation, error) {
	cur, err := s.cfg.LE.Rotation(r.Context())
	if err != nil {
		return lawreq.Rotation{}, err
	}
	if cur == nil {
		return lawreq.Rotation{}, errs.E(errs.Conflict, "there is no on-call schedule yet: save the members, hand-over day and time zone first")
	}
	rot := *cur
	rot.Overrides = slices.Clone(cur.Overrides)
	return rot, nil
}

// overrideErrors renames the service's "overrides[n].x" fields of the new
// override n to the form's own field names.
func overrideErrors(err error, n int) error {
	prefix := fmt.Sprintf("overrides[%d]", n)
	var out []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, c := range j.Unwrap() {
				walk(c)
			}
			return
		}
		var fe *errs.Error
		if errors.As(e, &fe) && strings.HasPrefix(fe.Field, prefix) {
			field := strings.TrimPrefix(strings.TrimPrefix(fe.Field, prefix), ".")
			if field == "" {
				field = "from" // the override as a whole: its period
			}
			out = append(out, errs.Field(field, "%s", fe.Msg))
			return
		}
		out = append(out, e)
	}
	walk(err)
	return joinProblems(out)
}

func (s *Server) adminOverrideAdd(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := &rotationForm{portalForm: portalForm{Values: formValues(r, overrideFields...)}}
	fail := func(err error) {
		if k := errs.KindOf(err); k == 0 || k == errs.NotFound {
			WriteError(w, r, err)
			return
		}
		s.staffPage(w, r, StatusOf(errs.KindOf(err)), view{Error: formProblems(&f.portalForm, err)}, nil, f)
	}
	rot, err := s.storedRotation(r)
	if err != nil {
		fail(err)
		return
	}
	loc, err := time.LoadLocation(rot.Zone)
	if err != nil {
		fail(errs.Field("zone", "%q is not a time zone: save the schedule again", rot.Zone))
		return
	}
	var p []error
	parse := func(field string) time.Time {
		t, err := time.ParseInLocation(localInput, f.V(field), loc)
		if err != nil {
			p = append(p, errs.Field(field, "%q is not a date and time: use YYYY-MM-DDTHH:MM, local time in %s", f.V(field), rot.Zone))
		}
		return t.UTC()
	}
	o := lawreq.Override{From: parse("from"), To: parse("to"), Member: f.V("member"), Reason: f.V("reason")}
	if err := s.teamCheck(ctx, func(int) string { return "member" }, []string{o.Member}); err != nil {
		p = append(p, err)
	}
	if err := joinProblems(p); err != nil {
		fail(err)
		return
	}
	n := len(rot.Overrides)
	rot.Overrides = append(rot.Overrides, o)
	if err := s.cfg.LE.SetRotation(ctx, staffActor(r), rot); err != nil {
		fail(overrideErrors(err, n))
		return
	}
	http.Redirect(w, r, "/admin/staff?saved=1#overrides", http.StatusSeeOther)
}

// adminOverrideRemove removes override {index}; the form's "from" names the
// override it showed, so a list changed in between is not cut at the
// wrong place.
func (s *Server) adminOverrideRemove(w http.ResponseWriter, r *http.Request) {
	fail := func(err error) {
		if k := errs.KindOf(err); k == 0 || k == errs.NotFound {
			WriteError(w, r, err)
			return
		}
		s.staffPage(w, r, StatusOf(errs.KindOf(err)), view{Error: err.Error()}, nil, nil)
	}
	rot, err := s.storedRotation(r)
	if err != nil {
		fail(err)
		return
	}
	i, err := strconv.Atoi(r.PathValue("index"))
	if err != nil || i < 0 || i >= len(rot.Overrides) {
		WriteError(w, r, errs.E(errs.NotFound, "no on-call override %q", r.PathValue("index")))
		return
	}
	if got := rot.Overrides[i].From.UTC().Format(time.RFC3339); got != strings.TrimSpace(r.PostFormValue("from")) {
		fail(errs.E(errs.Conflict, "the overrides changed since the page was loaded: check the list and remove the override again"))
		return
	}
	rot.Overrides = slices.Delete(rot.Overrides, i, i+1)
	if err := s.cfg.LE.SetRotation(r.Context(), staffActor(r), rot); err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/admin/staff?saved=1#overrides", http.StatusSeeOther)
}
