package lereq

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lawreq"
)

// roleAuditor is the read-only staff role (package auth's id).
const roleAuditor lawreq.Role = "auditor"

// Tasks shown on a request.
const (
	// TaskVerifyByCallback: call the agency's published number to confirm
	// the officer before the request is acted on (or, for an emergency,
	// before anything is disclosed).
	TaskVerifyByCallback = "verify_by_callback"
)

// Contact is the named contact of a request, shown to the officer.
type Contact struct {
	Username    string `json:"username,omitempty"`
	DisplayName string `json:"display_name"`
}

// TargetView is a target with its outcome explained. AccountIDs are shown
// to staff only.
type TargetView struct {
	Target      lawreq.Target  `json:"target"`
	Outcome     lawreq.Outcome `json:"outcome"`
	Explanation string         `json:"explanation"`
	AccountIDs  []string       `json:"account_ids,omitempty"`
}

// TransitionView is a recorded transition with its meaning for the officer.
type TransitionView struct {
	TransitionRecord
	Text string `json:"text"` // lawreq.OfficerText of the state entered
}

// RequestView is one request as a given actor may see it.
type RequestView struct {
	RequestRecord
	Agency      Agency           `json:"agency"`
	Status      lawreq.Status    `json:"status"`
	StateText   string           `json:"state_text"` // plain words for the officer
	Contact     Contact          `json:"contact"`
	Targets     []TargetView     `json:"targets"`
	Transitions []TransitionView `json:"transitions"`
	Documents   []Document       `json:"documents"`
	Tasks       []string         `json:"tasks,omitempty"`
	// Next lists the states this actor may move the request to now.
	Next []lawreq.State `json:"next,omitempty"`
}

// QueueItem is one line of the staff queue (and of an officer's list).
type QueueItem struct {
	ID               string             `json:"id"`
	Type             lawreq.RequestType `json:"type"`
	State            lawreq.State       `json:"state"`
	StateText        string             `json:"state_text"`
	CaseNumber       string             `json:"case_number"`
	CaseName         string             `json:"case_name"`
	AgencyID         string             `json:"agency_id"`
	OfficerID        string             `json:"officer_id"`
	Assignee         string             `json:"assignee,omitempty"`
	ReceivedAt       time.Time          `json:"received_at"`
	Status           lawreq.Status      `json:"status"`
	VerifyByCallback bool               `json:"verify_by_callback"`
	WeixinGap        int                `json:"weixin_gap"`
	NDO              bool               `json:"ndo"`
	Tasks            []string           `json:"tasks,omitempty"`
}

// QueueFilter selects the queue. Empty lists match everything.
type QueueFilter struct {
	Types         []lawreq.RequestType `json:"types,omitempty"`
	States        []lawreq.State       `json:"states,omitempty"`
	Assignee      string               `json:"assignee,omitempty"`
	IncludeClosed bool                 `json:"include_closed,omitempty"` // final states too
	BreachedOnly  bool                 `json:"breached_only,omitempty"`
	// Limit caps the requests read, earliest due first (default and
	// maximum 1000).
	Limit int `json:"limit,omitempty"`
}

func (s *Service) sla(r RequestRecord) lawreq.SLA {
	return lawreq.SLA{Type: r.Req.Type, ReceivedAt: r.ReceivedAt, ReturnBy: r.Req.ReturnBy, AnsweredAt: r.AnsweredAt}
}

func (s *Service) item(r RequestRecord) QueueItem {
	st, err := s.cfg.Policy.Status(s.sla(r), s.now())
	if err != nil {
		st = lawreq.Status{Due: r.DueAt, Left: r.DueAt.Sub(s.now()), Breached: s.now().After(r.DueAt)}
	}
	it := QueueItem{
		ID: r.Req.ID, Type: r.Req.Type, State: r.State, StateText: lawreq.OfficerText(r.State),
		CaseNumber: r.Req.CaseNumber, CaseName: r.Req.CaseName, AgencyID: r.Req.AgencyID, OfficerID: r.OfficerID,
		Assignee: r.Assignee, ReceivedAt: r.ReceivedAt, Status: st, VerifyByCallback: r.VerifyByCallback,
		WeixinGap: r.WeixinGap, NDO: r.Req.NDO != nil,
	}
	if r.VerifyByCallback {
		it.Tasks = append(it.Tasks, TaskVerifyByCallback)
	}
	return it
}

// Queue lists requests for staff, most urgent first: emergencies awaiting
// a call-back at the very top, then by time left (breaches first).
// Answered requests come last. The queue holds no platform user data
// (no account details), so listing it is not audited; Get is.
func (s *Service) Queue(ctx context.Context, a Actor, f QueueFilter) ([]QueueItem, error) {
	if err := requireStaff(a); err != nil {
		return nil, err
	}
	for i, t := range f.Types {
		if !t.Valid() {
			return nil, errs.Field(fmt.Sprintf("types[%d]", i), "%q is not a request type", t)
		}
	}
	for i, st := range f.States {
		if !st.Valid() {
			return nil, errs.Field(fmt.Sprintf("states[%d]", i), "%q is not a workflow state", st)
		}
	}
	recs, err := s.d.Store.ListRequests(ctx, QueueQuery{Types: f.Types, States: f.States, Assignee: f.Assignee, OpenOnly: !f.IncludeClosed, Limit: f.Limit})
	if err != nil {
		return nil, err
	}
	items := make([]QueueItem, 0, len(recs))
	for _, r := range recs {
		it := s.item(r)
		if f.BreachedOnly && !it.Status.Breached {
			continue
		}
		items = append(items, it)
	}
	SortQueue(items)
	return items, nil
}

// SortQueue orders items as the queue shows them.
func SortQueue(items []QueueItem) {
	rank := func(it QueueItem) int {
		switch {
		case it.Status.Answered || it.State.Final():
			return 2
		case it.VerifyByCallback && it.Type == lawreq.EmergencyDisclosure:
			return 0
		}
		return 1
	}
	slices.SortStableFunc(items, func(x, y QueueItem) int {
		if rx, ry := rank(x), rank(y); rx != ry {
			return rx - ry
		}
		if c := x.Status.Left - y.Status.Left; c != 0 {
			if c < 0 {
				return -1
			}
			return 1
		}
		return strings.Compare(x.ID, y.ID)
	})
}

// MyRequests lists an officer's own requests, newest first.
func (s *Service) MyRequests(ctx context.Context, officerID string) ([]QueueItem, error) {
	recs, err := s.d.Store.RequestsByOfficer(ctx, officerID)
	if err != nil {
		return nil, err
	}
	out := make([]QueueItem, len(recs))
	for i, r := range recs {
		out[i] = s.item(r)
		out[i].Tasks = nil
	}
	return out, nil
}

// load returns the request if a may see it. Officers see only their own;
// anything else is NotFound, so ids of other requests are not confirmed.
func (s *Service) load(ctx context.Context, a Actor, id string) (RequestRecord, error) {
	r, err := s.d.Store.Request(ctx, id)
	if errs.KindOf(err) == errs.NotFound || (err == nil && a.Kind == ActorOfficer && r.OfficerID != a.ID) {
		return RequestRecord{}, errs.E(errs.NotFound, "no request %q", id)
	}
	if err != nil {
		return RequestRecord{}, err
	}
	if a.Kind != ActorOfficer && a != systemActor {
		// Need to know: content reviewers have no business with legal process.
		if err := requireStaff(a, lawreq.RoleLEResponse, lawreq.RoleLegal, lawreq.RoleAdmin, roleAuditor); err != nil {
			return RequestRecord{}, err
		}
	}
	return r, nil
}

// Get returns one request as a sees it, and audits the read (the view
// includes the accounts the targets resolved to).
func (s *Service) Get(ctx context.Context, a Actor, id string) (RequestView, error) {
	r, err := s.load(ctx, a, id)
	if err != nil {
		return RequestView{}, err
	}
	v, err := s.view(ctx, a, r)
	if err != nil {
		return RequestView{}, err
	}
	recs := []string{"request:" + id}
	if a.Kind == ActorStaff {
		for _, t := range v.Targets {
			for _, acc := range t.AccountIDs {
				recs = append(recs, "account:"+acc)
			}
		}
	}
	if len(recs) > 1000 {
		recs = recs[:1000]
	}
	if err := s.audit(ctx, a, "lereq.request.read", recs, "", nil); err != nil {
		return RequestView{}, err
	}
	return v, nil
}

// view assembles what a may see of r.
func (s *Service) view(ctx context.Context, a Actor, r RequestRecord) (RequestView, error) {
	it := s.item(r)
	v := RequestView{RequestRecord: r, Status: it.Status, StateText: it.StateText, Tasks: it.Tasks}
	var err error
	if v.Agency, err = s.d.Store.Agency(ctx, r.Req.AgencyID); err != nil {
		return v, err
	}
	v.Contact = Contact{DisplayName: "Law-enforcement response team"}
	if r.Assignee != "" {
		_, staff, err := s.team(ctx)
		if err != nil {
			return v, err
		}
		v.Contact = Contact{Username: r.Assignee, DisplayName: r.Assignee}
		if m, ok := staff[r.Assignee]; ok && m.DisplayName != "" {
			v.Contact.DisplayName = m.DisplayName
		}
	}
	ts, err := s.d.Store.Targets(ctx, r.Req.ID)
	if err != nil {
		return v, err
	}
	for _, t := range ts {
		tv := TargetView{Target: t.Target, Outcome: t.Outcome, Explanation: t.Outcome.OfficerExplanation()}
		if a.Kind != ActorOfficer {
			tv.AccountIDs = t.AccountIDs
		}
		v.Targets = append(v.Targets, tv)
	}
	trs, err := s.d.Store.Transitions(ctx, r.Req.ID)
	if err != nil {
		return v, err
	}
	for _, t := range trs {
		v.Transitions = append(v.Transitions, TransitionView{TransitionRecord: t, Text: lawreq.OfficerText(t.To)})
	}
	if v.Documents, err = s.d.Store.Documents(ctx, r.Req.ID); err != nil {
		return v, err
	}
	for _, to := range lawreq.Next(r.State) {
		if lawreq.TransitionFor(r.Req.Type, r.State, to, a.Role, "x") == nil && s.gate(r, to) == nil {
			v.Next = append(v.Next, to)
		}
	}
	if a.Kind == ActorOfficer {
		// Internal deliberation stays internal: the officer sees the
		// outcome and the reasons given, not the approver's notes.
		v.Req.EmergencyApproval = nil
		v.Tasks = nil
		for i := range v.Transitions {
			if v.Transitions[i].ActorKind == ActorStaff {
				v.Transitions[i].ActorID = ""
			}
		}
	}
	return v, nil
}

// Decision is what legal records when approving: the categories granted
// (required for a partial approval and for any emergency approval) and,
// for emergencies, the good-faith basis and, if content is granted, why.
type Decision struct {
	Categories    []lawreq.Category `json:"categories,omitempty"`
	Basis         string            `json:"basis,omitempty"`
	ContentReason string            `json:"content_reason,omitempty"`
}

// gate applies the call-back rule: a non-emergency request of an officer
// not yet verified does not leave submitted (except by withdrawal); an
// emergency is worked at once but nothing is approved or produced before
// the call-back.
func (s *Service) gate(r RequestRecord, to lawreq.State) error {
	if !r.VerifyByCallback || to == lawreq.Withdrawn {
		return nil
	}
	if r.Req.Type == lawreq.EmergencyDisclosure {
		if to == lawreq.Approved || to == lawreq.PartiallyApproved || to == lawreq.Producing || to == lawreq.Delivered {
			return errs.E(errs.Conflict, "the officer has not been verified by a call-back to the agency's published number: record the call-back before approving or producing anything for this emergency")
		}
		return nil
	}
	if r.State == lawreq.Submitted {
		return errs.E(errs.Conflict, "the officer has not been verified by a call-back to the agency's published number: record the call-back first; this request waits until then")
	}
	return nil
}

// Transition moves a request to state to, checked by lawreq (roles,
// reasons) and by the call-back rule, recorded with its reason, and
// audited. Approvals take a Decision (see Decision).
func (s *Service) Transition(ctx context.Context, a Actor, id string, to lawreq.State, reason string, d *Decision) (RequestView, error) {
	r, err := s.load(ctx, a, id)
	if err != nil {
		return RequestView{}, err
	}
	reason = strings.TrimSpace(reason)
	if err := lawreq.TransitionFor(r.Req.Type, r.State, to, a.Role, reason); err != nil {
		return RequestView{}, err
	}
	if err := s.gate(r, to); err != nil {
		return RequestView{}, err
	}
	now := s.now()
	ch := StateChange{Transition: TransitionRecord{RequestID: id, From: r.State, To: to, ActorKind: a.Kind, ActorID: a.ID, ActorRole: a.Role, Reason: reason, At: now}}
	if to == lawreq.Approved || to == lawreq.PartiallyApproved {
		granted, body, err := s.decide(r, a, to, d)
		if err != nil {
			return RequestView{}, err
		}
		ch.Granted, ch.Body = granted, body
	}
	if lawreq.Answers(to) && r.AnsweredAt.IsZero() {
		ch.AnsweredAt = now
	}
	if to == lawreq.Triage && r.Assignee == "" && a.Role == lawreq.RoleLEResponse {
		ch.Assignee = &a.ID // whoever picks up an unassigned request owns it
	}
	updated, err := s.d.Store.ChangeState(ctx, ch)
	if err != nil {
		return RequestView{}, err
	}
	detail := map[string]string{"from": string(r.State), "to": string(to), "type": string(r.Req.Type)}
	if ch.Granted != nil {
		detail["granted"] = joinCategories(ch.Granted)
	}
	if ch.Body != nil && ch.Body.EmergencyApproval != nil {
		detail["basis"] = ch.Body.EmergencyApproval.Basis
	}
	if err := s.audit(ctx, a, "lereq.request.transition", []string{"request:" + id}, reason, detail); err != nil {
		return RequestView{}, err
	}
	return s.view(ctx, a, updated)
}

// decide computes the granted categories of an approval.
func (s *Service) decide(r RequestRecord, a Actor, to lawreq.State, d *Decision) ([]lawreq.Category, *lawreq.Request, error) {
	req := r.Req
	if req.Type.IsPreservation() {
		if d != nil && len(d.Categories) > 0 {
			return nil, nil, errs.Field("categories", "must be empty: preservation produces nothing")
		}
		return []lawreq.Category{}, nil, nil
	}
	var asked []lawreq.Category
	if d != nil {
		asked = d.Categories
	}
	for i, c := range asked {
		if !slices.Contains(req.Requested, c) {
			return nil, nil, errs.Field(fmt.Sprintf("categories[%d]", i), "%q was not requested (requested: %s): grant only what the officer asked for", c, joinCategories(req.Requested))
		}
	}
	if to == lawreq.Approved && len(asked) == 0 {
		asked = req.Requested
	}
	if len(asked) == 0 {
		return nil, nil, errs.Field("categories", "is empty: list the categories granted, or reject the request")
	}
	var body *lawreq.Request
	if req.Type == lawreq.EmergencyDisclosure {
		ap := &lawreq.EmergencyApproval{Approver: a.ID, Categories: slices.Clone(asked)}
		if d != nil {
			ap.Basis, ap.ContentReason = d.Basis, d.ContentReason
		}
		if err := ap.Validate(); err != nil {
			return nil, nil, err
		}
		req.EmergencyApproval = ap
		body = &req
	}
	granted, refused, reasons := lawreq.CheckScope(&req, asked)
	if len(refused) > 0 {
		return nil, nil, errs.Field("categories", "%s cannot be granted: %s", refused[0], reasons[refused[0]])
	}
	full := len(granted) == len(uniqueCategories(req.Requested))
	if to == lawreq.PartiallyApproved && full {
		return nil, nil, errs.Field("categories", "grants everything requested: use approved instead of partially_approved")
	}
	if to == lawreq.Approved && !full {
		return nil, nil, errs.Field("categories", "grants only part of the request: use partially_approved and give the reason")
	}
	return granted, body, nil
}

func uniqueCategories(cs []lawreq.Category) []lawreq.Category {
	return slices.Compact(slices.Sorted(slices.Values(cs)))
}

func joinCategories(cs []lawreq.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}
