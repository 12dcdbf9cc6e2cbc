package web

import (
	"fmt"
	"net/http"

	"vigil/audit"
	"vigil/errs"
)

// audit appends an event; a failure is logged (not shown) because the event
// records something that already happened, such as a failed sign-in.
func (s *Server) audit(r *http.Request, actor, role, action string, records []string, detail map[string]string) {
	if err := s.auditStrict(r, actor, role, action, records, detail); err != nil {
		s.log.ErrorContext(r.Context(), "audit append failed", "action", action, "actor", actor, "err", err)
	}
}

// auditStrict appends an event and returns an Unavailable error when the
// log cannot take it, so the caller refuses the audited action.
func (s *Server) auditStrict(r *http.Request, actor, role, action string, records []string, detail map[string]string) error {
	if actor == "" {
		actor = "anonymous"
	}
	_, err := s.cfg.Audit.Append(r.Context(), audit.Event{
		Actor: actor, Role: role, Action: action, Records: records, At: s.now().UTC(), Detail: detail,
	})
	if err != nil {
		return errs.Wrap(errs.Unavailable, fmt.Errorf("%w: %w", errAuditDown, err), "the audit log is unavailable, so this action was refused; try again shortly")
	}
	return nil
}

// auditView records that the signed-in principal viewed a page that shows
// data, and refuses the page when the log cannot record it.
func (s *Server) auditView(r *http.Request, action string, records []string) error {
	p, _ := PrincipalFrom(r.Context())
	return s.auditStrict(r, p.Name, p.Role, action, records, map[string]string{"path": r.URL.Path})
}
