package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"vigil/errs"
)

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Kind    string `json:"kind"`
		Field   string `json:"field,omitempty"`
		Message string `json:"message"`
	} `json:"error"`
}

// StatusOf maps an error kind to its HTTP status.
func StatusOf(k errs.Kind) int {
	switch k {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Conflict:
		return http.StatusConflict
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case errs.TooMany:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// genericMessage is what callers see for errors without a kind: the detail
// may contain internals (SQL, paths), so it is only logged.
const genericMessage = "internal error; the details were logged, please try again or contact the operator"

// WriteError maps error kinds to HTTP status with a message a person can act
// on. It is the ONLY place that writes error statuses. Requests under /api/
// get JSON; everything else gets an HTML error page. Plain errors (no kind)
// become 500 with a generic message and the detail is logged.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	kind := errs.KindOf(err)
	status := StatusOf(kind)
	msg, field := genericMessage, ""
	var e *errs.Error
	if kind != 0 && errors.As(err, &e) {
		msg, field = e.Msg, e.Field
		if msg == "" {
			msg = http.StatusText(status)
		}
	}
	if kind == 0 {
		slog.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err.Error())
	} else if e != nil && e.Err != nil && kind == errs.Unavailable {
		slog.WarnContext(r.Context(), "dependency unavailable", "path", r.URL.Path, "err", e.Err.Error())
	}
	if kind == errs.Unavailable {
		w.Header().Set("Retry-After", "5")
	}
	if wantsJSON(r) {
		var b errorBody
		b.Error.Kind, b.Error.Field, b.Error.Message = kind.String(), field, msg
		WriteJSON(w, status, b)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, struct {
		Status      int
		StatusText  string
		Field, Msg  string
		LoginNeeded bool
	}{status, http.StatusText(status), field, msg, status == http.StatusUnauthorized})
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// wantsJSON: API paths and the probes always get JSON; other paths get JSON
// when the client asks for it and not for HTML.
func wantsJSON(r *http.Request) bool {
	if r == nil || r.URL == nil {
		return false
	}
	p := r.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == "/metrics" {
		return true
	}
	acc := r.Header.Get("Accept")
	return strings.Contains(acc, "application/json") && !strings.Contains(acc, "text/html")
}

// errorPage is self-contained so that errors render even if the page
// templates failed to load.
var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Status}} {{.StatusText}} · Vigil</title>
<link rel="stylesheet" href="/static/vigil.css"></head>
<body><main class="narrow"><h1>{{.Status}} {{.StatusText}}</h1>
<p class="error">{{if .Field}}<strong>{{.Field}}</strong>: {{end}}{{.Msg}}</p>
{{if .LoginNeeded}}<p><a href="/login">Sign in</a></p>{{else}}<p><a href="/">Back to the console</a></p>{{end}}
</main></body></html>
`))
