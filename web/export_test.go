package web

import "net/http"

// SetAuthorizedHook lets the role-matrix test observe (and short-circuit)
// requests that passed authorisation, without side effects of the handlers.
func SetAuthorizedHook(s *Server, f func(Route, http.ResponseWriter, *http.Request) bool) {
	s.authorized = f
}
