package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigil/errs"
)

// Session keys.
const (
	sessUID   = "uid"   // staff user id
	sessStage = "stage" // stagePassword after the password, stageFull after the second factor
	sessCSRF  = "csrf"  // per-session CSRF token embedded in every form
	sessNext  = "next"  // where to go after sign-in
	sessPWFP  = "pwfp"  // fingerprint of the password hash at sign-in

	stagePassword = "password"
	stageFull     = "full"
)

var errCrossOrigin = errs.E(errs.Forbidden, "cross-origin request refused; submit the form from the Vigil console itself")

func errNotFound(r *http.Request) error {
	return errs.E(errs.NotFound, "nothing at %s; check the address", r.URL.Path)
}

// wrap builds the middleware chain of one route, outermost first:
// measure+log+recover → session load/save (skipped for the ops routes; a
// request without a session cookie costs no store access) → cross-origin
// check → authenticate → authorise (rt.Allow) → CSRF token check for
// state-changing requests without a bearer token → the handler.
func (s *Server) wrap(rt Route) http.Handler {
	public := slices.Contains(rt.Allow, Public)
	core := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok, err := s.authenticate(r)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if ok {
			r = r.WithContext(WithPrincipal(r.Context(), p))
			if slot, _ := r.Context().Value(slotKey{}).(*principalSlot); slot != nil {
				slot.p, slot.ok = p, true
			}
		}
		if !public {
			if !ok {
				s.unauthenticated(w, r)
				return
			}
			if !permitted(p, rt.Allow) {
				WriteError(w, r, forbidden(p, rt.Allow))
				return
			}
		}
		if s.authorized != nil && s.authorized(rt, w, r) {
			return // test hook (export_test.go): the request was authorised
		}
		if !safeMethod(r.Method) && !hasBearer(r) {
			if isPortalPath(r.URL.Path) {
				// Bound portal uploads before the CSRF check parses the form.
				if err := s.portalBody(w, r); err != nil {
					WriteError(w, r, err)
					return
				}
			}
			if err := s.checkCSRFToken(r); err != nil {
				WriteError(w, r, err)
				return
			}
		}
		rt.Handler(w, r)
	})
	h := s.cop.Handler(core)
	plain, tls := s.sm.LoadAndSave(h), s.smTLS.LoadAndSave(h)
	sessionless := s.noSession[rt.Method+" "+rt.Pattern] || rt.Pattern == "unmatched"
	withSession := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case sessionless:
			h.ServeHTTP(w, r)
		case r.TLS != nil:
			tls.ServeHTTP(w, r)
		default:
			plain.ServeHTTP(w, r)
		}
	})
	return s.observe(rt.Pattern, withSession)
}

// observe measures latency, writes one structured log line per request and
// turns a handler panic into a 500. It never logs cookies, headers, query
// strings or bodies, which may hold secrets.
func (s *Server) observe(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		slot := &principalSlot{}
		r = r.WithContext(context.WithValue(r.Context(), slotKey{}, slot))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.ErrorContext(r.Context(), "handler panic", "route", route, "panic", fmt.Sprint(p))
				if !rec.wrote {
					WriteError(rec, r, fmt.Errorf("handler panic: %v", p))
				}
			}
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			method := metricMethod(r.Method)
			s.latency.WithLabelValues(route, method, strconv.Itoa(status)).Observe(d.Seconds())
			attrs := []any{"method", method, "route", route, "status", status,
				"duration_ms", float64(d.Microseconds()) / 1000, "bytes", rec.bytes, "remote", clientIP(r)}
			if slot.ok {
				attrs = append(attrs, "principal", slot.p.Kind+":"+slot.p.Name)
			}
			s.log.InfoContext(r.Context(), "http request", attrs...)
		}()
		next.ServeHTTP(rec, r)
	})
}

// principalSlot lets the request log line name the caller found further in.
type principalSlot struct {
	p  Principal
	ok bool
}

type slotKey struct{}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:]), true
	}
	return "", false
}

func hasBearer(r *http.Request) bool { _, ok := bearerToken(r); return ok }

// clientIP is the peer address. X-Forwarded-For is not trusted: an attacker
// could rotate it to dodge the per-IP login limit.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate finds the caller: a service token in "Authorization: Bearer",
// or a fully signed-in staff session. ok is false for anonymous callers.
func (s *Server) authenticate(r *http.Request) (Principal, bool, error) {
	if raw, ok := bearerToken(r); ok {
		if s.cfg.Tokens == nil {
			return Principal{}, false, errs.E(errs.Unauthenticated, "this server accepts no service tokens")
		}
		p, err := s.cfg.Tokens.VerifyToken(r.Context(), raw)
		if err != nil {
			if errs.KindOf(err) == 0 {
				return Principal{}, false, err // store failure: 500, not "bad token"
			}
			return Principal{}, false, errs.E(errs.Unauthenticated, "the API token is unknown, expired or revoked; create one with `vigil token create`")
		}
		p.Kind, p.Role = KindService, ""
		return p, true, nil
	}
	if r.Header.Get("Authorization") != "" {
		return Principal{}, false, errs.E(errs.Unauthenticated, "use \"Authorization: Bearer <token>\" with a service API token")
	}
	if s.noSessionFor(r) {
		return Principal{}, false, nil
	}
	sm := s.session(r)
	ctx := r.Context()
	uid := sm.GetInt64(ctx, sessUID)
	if uid == 0 || sm.GetString(ctx, sessStage) != stageFull {
		return s.authenticateOfficer(r) // portal sessions use their own keys
	}
	u, err := s.cfg.Users.StaffUserByID(ctx, uid)
	if errs.KindOf(err) == errs.NotFound || err == nil && (u.Disabled || sm.GetString(ctx, sessPWFP) != passwordFingerprint(u.PasswordHash)) {
		// The user was removed or disabled, or the password was changed
		// elsewhere, after this session signed in: end the session.
		_ = sm.Destroy(ctx)
		return Principal{}, false, nil
	}
	if err != nil {
		return Principal{}, false, err
	}
	return Principal{Kind: KindStaff, ID: strconv.FormatInt(u.ID, 10), Name: u.Username, Role: u.Role}, true, nil
}

// passwordFingerprint identifies a password hash without revealing it, so a
// session can tell that the password changed since it signed in.
func passwordFingerprint(hash string) string {
	sum := sha256.Sum256([]byte(hash))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

func permitted(p Principal, allow []string) bool {
	switch p.Kind {
	case KindStaff:
		return slices.Contains(allow, p.Role)
	case KindOfficer:
		// Officers reach portal routes only: no staff role is ever "officer".
		return slices.Contains(allow, RoleOfficer)
	case KindService:
		for _, sc := range p.Scopes {
			if slices.Contains(allow, "service:"+sc) {
				return true
			}
		}
	}
	return false
}

func forbidden(p Principal, allow []string) error {
	who := "role " + p.Role
	if p.Kind == KindService {
		who = "a service token with scopes [" + strings.Join(p.Scopes, ", ") + "]"
	}
	return errs.E(errs.Forbidden, "this needs one of [%s]; you are signed in as %s. Ask an admin if you need access", strings.Join(allow, ", "), who)
}

// unauthenticated answers a caller who must sign in: browsers asking for a
// page are sent to the sign-in page (and back afterwards); everything else
// gets 401.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request) {
	if isPortalPath(r.URL.Path) {
		s.portalUnauthenticated(w, r)
		return
	}
	if r.Method == http.MethodGet && !wantsJSON(r) && !s.noSessionFor(r) {
		s.session(r).Put(r.Context(), sessNext, r.URL.RequestURI())
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	WriteError(w, r, errs.E(errs.Unauthenticated, "sign in first (staff) or send a service API token"))
}

func (s *Server) noSessionFor(r *http.Request) bool {
	return s.noSession[r.Pattern] || r.Pattern == "" || r.Pattern == "/"
}

// csrfToken returns the session's CSRF token, creating it on first use.
func (s *Server) csrfToken(r *http.Request) string {
	sm := s.session(r)
	if t := sm.GetString(r.Context(), sessCSRF); t != "" {
		return t
	}
	t := randomToken()
	sm.Put(r.Context(), sessCSRF, t)
	return t
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// checkCSRFToken requires the session's token in the "csrf_token" form field
// or the X-CSRF-Token header: the second layer behind CrossOriginProtection.
func (s *Server) checkCSRFToken(r *http.Request) error {
	if s.noSessionFor(r) {
		return errs.E(errs.Forbidden, "this address accepts no form submissions")
	}
	want := s.session(r).GetString(r.Context(), sessCSRF)
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf_token")
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return errs.E(errs.Forbidden, "the form has expired or did not come from this console; reload the page and submit it again")
	}
	return nil
}

// localPath accepts only same-site relative paths as redirect targets.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") || u.Host != "" || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}
