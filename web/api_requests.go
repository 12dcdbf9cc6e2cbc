package web

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

// apiRequestMaxBody bounds a JSON body of the request API: a transition or
// a message is a few KiB; anything near this is not one.
const apiRequestMaxBody = 256 << 10

// The queue API answers the most urgent apiQueueDefaultLimit requests
// unless ?limit= asks for more, up to what the service reads at most.
const (
	apiQueueDefaultLimit = 100
	apiQueueMaxLimit     = 1000
)

// Who reaches the request API. Staff read and act as in the console;
// officers read and write only their own requests, which the service
// enforces (another officer's request is "not found").
var (
	apiRequestReaders = append(slices.Clone(leReaders), RoleOfficer)
	apiThreadWriters  = append(slices.Clone(leWriters), RoleOfficer)
)

// apiRequestRoutes is the JSON API over the law-enforcement request
// service: the same lereq calls as the console and portal pages. The routes
// are registered even without a service so the API document and the route
// table agree on every server; without one they answer 503.
func (s *Server) apiRequestRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/api/v1/requests", Allow: leReaders, Handler: s.apiQueue, Summary: "staff request queue, most urgent first (?type=&state=&breached=&closed=&limit=)"},
		{Method: "GET", Pattern: "/api/v1/requests/{id}", Allow: apiRequestReaders, Handler: s.apiRequest, Summary: "one request as the caller may see it (officers: only their own)"},
		{Method: "POST", Pattern: "/api/v1/requests/{id}/transitions", Allow: leWriters, Handler: s.apiTransition, Summary: "move a request to its next state with the reason (and, to approve, the categories granted)"},
		{Method: "POST", Pattern: "/api/v1/requests/{id}/messages", Allow: apiThreadWriters, Handler: s.apiPost, Summary: "write in the request's thread (staff to the officer, or the officer to staff)"},
		{Method: "GET", Pattern: "/api/v1/portal/requests", Allow: officerOnly, Handler: s.apiMyRequests, Summary: "the signed-in officer's own requests, newest first"},
	}
}

// QueueResponse is the body of GET /api/v1/requests and
// GET /api/v1/portal/requests.
type QueueResponse struct {
	Requests []lereq.QueueItem `json:"requests"`
	Count    int               `json:"count"`
}

// TransitionInput is the body of POST /api/v1/requests/{id}/transitions.
// Categories, Basis and ContentReason are read only for approvals.
type TransitionInput struct {
	To            lawreq.State      `json:"to"`
	Reason        string            `json:"reason"`
	Categories    []lawreq.Category `json:"categories,omitempty"`
	Basis         string            `json:"basis,omitempty"`
	ContentReason string            `json:"content_reason,omitempty"`
}

// MessageInput is the body of POST /api/v1/requests/{id}/messages.
type MessageInput struct {
	Body string `json:"body"`
}

var errNoLE = errs.E(errs.Unavailable, "this server has no law-enforcement request service configured")

// apiActor is the lereq actor of the caller: an officer or a staff member.
func apiActor(r *http.Request) lereq.Actor {
	if p, ok := PrincipalFrom(r.Context()); ok && p.Kind == KindOfficer {
		return lereq.OfficerActor(p.ID)
	}
	return staffActor(r)
}

// queueFilter reads the queue's query parameters, naming the parameter and
// the accepted values when one is wrong.
func queueFilter(q map[string][]string) (lereq.QueueFilter, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	var f lereq.QueueFilter
	var problems []error
	if t := get("type"); t != "" {
		if !lawreq.RequestType(t).Valid() {
			problems = append(problems, errs.Field("type", "%q is not a request type; use one of %s", t, joinValues(lawreq.RequestTypes())))
		} else {
			f.Types = []lawreq.RequestType{lawreq.RequestType(t)}
		}
	}
	if st := get("state"); st != "" {
		if !lawreq.State(st).Valid() {
			problems = append(problems, errs.Field("state", "%q is not a workflow state; use one of %s", st, joinValues(lawreq.States())))
		} else {
			f.States = []lawreq.State{lawreq.State(st)}
			f.IncludeClosed = lawreq.State(st).Final() // asking for a closed state shows it
		}
	}
	f.Limit = apiQueueDefaultLimit
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > apiQueueMaxLimit {
			problems = append(problems, errs.Field("limit", "%q is not a page size; use a whole number from 1 to %d", v, apiQueueMaxLimit))
		} else {
			f.Limit = n
		}
	}
	for _, name := range []string{"breached", "closed"} {
		v := get(name)
		if v == "" {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems = append(problems, errs.Field(name, "%q is not a boolean; use true or false", v))
			continue
		}
		if name == "breached" {
			f.BreachedOnly = b
		} else {
			f.IncludeClosed = f.IncludeClosed || b
		}
	}
	return f, joinProblems(problems)
}

func joinValues[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request) {
	if s.cfg.LE == nil {
		WriteError(w, r, errNoLE)
		return
	}
	f, err := queueFilter(r.URL.Query())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	items, err := s.cfg.LE.Queue(r.Context(), staffActor(r), f)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeQueue(w, items)
}

func (s *Server) apiMyRequests(w http.ResponseWriter, r *http.Request) {
	if s.cfg.LE == nil {
		WriteError(w, r, errNoLE)
		return
	}
	items, err := s.cfg.LE.MyRequests(r.Context(), officerOf(r))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeQueue(w, items)
}

func writeQueue(w http.ResponseWriter, items []lereq.QueueItem) {
	if items == nil {
		items = []lereq.QueueItem{} // an empty queue is [], not null
	}
	WriteJSON(w, http.StatusOK, QueueResponse{Requests: items, Count: len(items)})
}

func (s *Server) apiRequest(w http.ResponseWriter, r *http.Request) {
	if s.cfg.LE == nil {
		WriteError(w, r, errNoLE)
		return
	}
	rv, err := s.cfg.LE.Get(r.Context(), apiActor(r), r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, rv)
}

func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request) {
	if s.cfg.LE == nil {
		WriteError(w, r, errNoLE)
		return
	}
	var in TransitionInput
	if err := readJSONBody(w, r, &in); err != nil {
		WriteError(w, r, err)
		return
	}
	if in.To == "" {
		WriteError(w, r, errs.Field("to", "missing: name the state to move the request to (the request's \"next\" lists them)"))
		return
	}
	var d *lereq.Decision
	if in.To == lawreq.Approved || in.To == lawreq.PartiallyApproved {
		d = &lereq.Decision{Categories: in.Categories, Basis: strings.TrimSpace(in.Basis), ContentReason: strings.TrimSpace(in.ContentReason)}
	}
	rv, err := s.cfg.LE.Transition(r.Context(), staffActor(r), r.PathValue("id"), in.To, strings.TrimSpace(in.Reason), d)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusOK, rv)
}

func (s *Server) apiPost(w http.ResponseWriter, r *http.Request) {
	if s.cfg.LE == nil {
		WriteError(w, r, errNoLE)
		return
	}
	var in MessageInput
	if err := readJSONBody(w, r, &in); err != nil {
		WriteError(w, r, err)
		return
	}
	m, err := s.cfg.LE.Post(r.Context(), apiActor(r), r.PathValue("id"), in.Body, nil)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	WriteJSON(w, http.StatusCreated, m)
}

// readJSONBody decodes one JSON object into v, refusing unknown fields so
// that a misspelt field is named instead of silently ignored.
func readJSONBody(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return errs.Field("Content-Type", "send the body as JSON with Content-Type application/json")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, apiRequestMaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &tooBig):
		return errs.E(errs.Invalid, "the body is larger than %d KiB; send one JSON object", apiRequestMaxBody>>10)
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return errs.Field(typeErr.Field, "must be a JSON %s, not %s", jsonKind(typeErr.Type.Kind()), typeErr.Value)
	case errors.Is(err, io.EOF):
		return errs.E(errs.Invalid, "the body is empty; send one JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Field(name, "unknown field; check its spelling against the API document (/api/openapi.json)")
	default:
		return errs.E(errs.Invalid, "the body is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return errs.E(errs.Invalid, "the body holds more than one JSON value; send exactly one object")
	}
	return nil
}

// jsonKind names a Go kind as JSON calls it, for error messages.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	}
	return "number"
}
