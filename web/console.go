package web

import (
	"net/http"
	"strconv"

	"vigil/auth"
	"vigil/errs"
)

type dashboardData struct {
	Counts *DashboardCounts
	Err    string
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	var d dashboardData
	if s.cfg.Stats != nil {
		c, err := s.cfg.Stats.DashboardCounts(r.Context())
		if err != nil {
			// The page stays useful (navigation, sign-out) when a count fails.
			s.log.ErrorContext(r.Context(), "dashboard counts failed", "err", err)
			d.Err = "a data source did not answer; details are in the server log"
		} else {
			d.Counts = &c
		}
	}
	if err := s.auditView(r, "console.view_dashboard", nil); err != nil {
		WriteError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "dashboard", view{Title: "Dashboard", Data: d})
}

func (s *Server) currentUser(r *http.Request) (int64, error) {
	p, _ := PrincipalFrom(r.Context())
	id, err := strconv.ParseInt(p.ID, 10, 64)
	if err != nil || p.Kind != KindStaff {
		return 0, errs.E(errs.Forbidden, "only staff users have a profile")
	}
	return id, nil
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) {
	s.showMe(w, r, view{})
}

func (s *Server) showMe(w http.ResponseWriter, r *http.Request, v view) {
	id, err := s.currentUser(r)
	if err == nil {
		var u any
		u, err = s.cfg.Users.StaffUserByID(r.Context(), id)
		v.Data = u
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v.Title = "Who am I"
	if v.Error != "" {
		s.render(w, r, StatusOf(errs.Invalid), "me", v)
		return
	}
	s.render(w, r, http.StatusOK, "me", v)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := s.currentUser(r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	u, err := s.cfg.Users.StaffUserByID(ctx, id)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	fail := func(err error) {
		id, _ := s.currentUser(r)
		v := view{Title: "Who am I"}
		if cur, e := s.cfg.Users.StaffUserByID(ctx, id); e == nil {
			v.Data = cur
		}
		s.renderFormError(w, r, "me", v, err)
	}
	if err := s.throttle(r, u.Username); err != nil {
		fail(err)
		return
	}
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	ok, err := auth.VerifyPassword(u.PasswordHash, current)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if !ok {
		// Counted like a failed sign-in: a stolen session must not become a
		// password-guessing oracle.
		fail(s.recordFailure(r, u, "wrong current password", errs.Field("current", "the current password is wrong")))
		return
	}
	if next != confirm {
		fail(errs.Field("confirm", "the two new passwords differ; type the same password twice"))
		return
	}
	if err := auth.CheckPassword(u.Username, next); err != nil {
		fail(err)
		return
	}
	h, err := auth.HashPassword(next, s.cfg.Argon2)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if err := s.auditStrict(r, u.Username, u.Role, "staff.password_changed", []string{"staff:" + u.Username}, map[string]string{"ip": clientIP(r), "by": "self"}); err != nil {
		WriteError(w, r, err)
		return
	}
	if err := s.cfg.Users.SetStaffPassword(ctx, u.ID, h); err != nil {
		WriteError(w, r, err)
		return
	}
	// A new session token after a credential change; this session stays
	// signed in, every other session of the user ends (see authenticate).
	sm := s.session(r)
	if err := sm.RenewToken(ctx); err != nil {
		WriteError(w, r, err)
		return
	}
	sm.Put(ctx, sessPWFP, passwordFingerprint(h))
	s.showMe(w, r, view{Flash: "Your password was changed."})
}
