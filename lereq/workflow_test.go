package lereq_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

func TestTransitionsCheckRolesReasonsAndAreAudited(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	other := h.onboard(t, "kim@metro-pd.example", true)
	req := request(lawreq.CourtOrder2703d, target(lawreq.TargetAccountID, "acct-1"))
	v, err := h.svc.SubmitRequest(ctx, o.ID, req, doc(), "")
	if err != nil {
		t.Fatal(err)
	}
	id := v.Req.ID
	officer := lereq.OfficerActor(o.ID)
	step := func(a lereq.Actor, to lawreq.State, reason string, d *lereq.Decision, want errs.Kind) lereq.RequestView {
		t.Helper()
		v, err := h.svc.Transition(ctx, a, id, to, reason, d)
		if errs.KindOf(err) != want || (want == 0 && err != nil) {
			t.Fatalf("%s by %s/%s: %v, want kind %v", to, a.ID, a.Role, err, want)
		}
		return v
	}
	step(officer, lawreq.Triage, "", nil, errs.Forbidden)
	step(h.admin, lawreq.Triage, "", nil, errs.Forbidden) // admins make no legal decisions
	if _, err := h.svc.Get(ctx, lereq.StaffActor("rita", "reviewer"), id); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("content reviewer reading a request: %v, want Forbidden", err)
	}
	step(h.le, lawreq.Triage, "", nil, 0)
	step(h.le, lawreq.Approved, "", nil, errs.Conflict) // not a move from triage
	step(h.le, lawreq.LegalReview, "", nil, 0)
	step(h.le, lawreq.Approved, "", nil, errs.Forbidden) // counsel decides
	step(h.legal, lawreq.Rejected, "", nil, errs.Invalid)
	step(h.legal, lawreq.PartiallyApproved, "content not covered", &lereq.Decision{Categories: []lawreq.Category{lawreq.Content}}, errs.Invalid)
	step(h.legal, lawreq.PartiallyApproved, "all of it", &lereq.Decision{Categories: req.Requested}, errs.Invalid)
	pv := step(h.legal, lawreq.PartiallyApproved, "login records fall outside the order's dates", &lereq.Decision{Categories: []lawreq.Category{lawreq.SubscriberBasic}}, 0)
	if !slices.Equal(pv.Granted, []lawreq.Category{lawreq.SubscriberBasic}) || len(pv.Next) != 0 {
		t.Fatalf("partial approval %+v; legal's next steps %v, want none", pv.Granted, pv.Next)
	}
	if lv, _ := h.svc.Get(ctx, h.le, id); !slices.Equal(lv.Next, []lawreq.State{lawreq.Producing}) {
		t.Fatalf("le_response next steps %v, want producing", lv.Next)
	}
	step(h.le, lawreq.Producing, "", nil, 0)
	dv := step(h.le, lawreq.Delivered, "", nil, 0)
	if dv.AnsweredAt.IsZero() || !dv.Status.Answered {
		t.Fatalf("delivery did not stop the clock: %+v", dv.Status)
	}
	step(officer, lawreq.Withdrawn, "changed my mind", nil, errs.Conflict) // too late: delivered
	step(h.le, lawreq.Closed, "", nil, 0)

	// Another officer cannot even confirm the request exists.
	if _, err := h.svc.Transition(ctx, lereq.OfficerActor(other.ID), id, lawreq.Withdrawn, "x", nil); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("other officer: %v, want NotFound", err)
	}
	// Withdrawal needs the officer's reason.
	w, _ := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if _, err := h.svc.Transition(ctx, officer, w.Req.ID, lawreq.Withdrawn, " ", nil); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("withdrawal without reason: %v", err)
	}
	if v, err := h.svc.Transition(ctx, officer, w.Req.ID, lawreq.Withdrawn, "case closed", nil); err != nil || v.State != lawreq.Withdrawn {
		t.Fatalf("withdraw: %v", err)
	}

	var trs []string
	for _, e := range h.auditActions(t) {
		if e.Action == "lereq.request.transition" && slices.Contains(e.Records, "request:"+id) {
			trs = append(trs, e.Detail["to"]+"|"+e.Role+"|"+e.Reason+"|"+e.Detail["granted"])
		}
	}
	want := []string{"triage|le_response||", "legal_review|le_response||",
		"partially_approved|legal|login records fall outside the order's dates|subscriber_basic",
		"producing|le_response||", "delivered|le_response||", "closed|le_response||"}
	if !slices.Equal(trs, want) {
		t.Fatalf("audited transitions\n got %q\nwant %q", trs, want)
	}
	full, _ := h.svc.Get(ctx, h.le, id)
	if len(full.Transitions) != 7 || full.Transitions[3].Text != lawreq.OfficerText(lawreq.PartiallyApproved) {
		t.Fatalf("recorded transitions %+v", full.Transitions)
	}
}

func TestEmergencyApprovalNeedsBasisAndContentReason(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	req := request(lawreq.EmergencyDisclosure, target(lawreq.TargetWeChatID, "alice_wx1"))
	req.Requested = append(req.Requested, lawreq.Content)
	v, err := h.svc.SubmitRequest(ctx, o.ID, req, doc(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []lawreq.State{lawreq.Triage, lawreq.LegalReview} {
		if _, err := h.svc.Transition(ctx, h.le, v.Req.ID, to, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	all := req.Requested
	if _, err := h.svc.Transition(ctx, h.legal, v.Req.ID, lawreq.Approved, "", &lereq.Decision{Categories: all}); errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "basis") {
		t.Fatalf("no basis: %v", err)
	}
	if _, err := h.svc.Transition(ctx, h.legal, v.Req.ID, lawreq.Approved, "", &lereq.Decision{Categories: all, Basis: "imminent danger"}); errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "content_reason") {
		t.Fatalf("content without reason: %v", err)
	}
	got, err := h.svc.Transition(ctx, h.legal, v.Req.ID, lawreq.Approved, "", &lereq.Decision{Categories: all, Basis: "imminent danger", ContentReason: "messages show the location"})
	if err != nil || len(got.Granted) != 3 {
		t.Fatalf("approve: %+v %v", got.Granted, err)
	}
}

func TestQueueFiltersAndBreaches(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	pres, _ := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Preservation2703f, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	sub, _ := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	h.clock.Advance(49 * time.Hour)
	q, err := h.svc.Queue(ctx, h.le, lereq.QueueFilter{BreachedOnly: true})
	if err != nil || len(q) != 1 || q[0].ID != pres.Req.ID || q[0].Status.Left >= 0 {
		t.Fatalf("breached %v %v", ids(q), err)
	}
	if q, _ := h.svc.Queue(ctx, h.le, lereq.QueueFilter{Types: []lawreq.RequestType{lawreq.Subpoena}}); len(q) != 1 || q[0].ID != sub.Req.ID {
		t.Fatalf("type filter %v", ids(q))
	}
	if q, _ := h.svc.Queue(ctx, h.le, lereq.QueueFilter{States: []lawreq.State{lawreq.Triage}}); len(q) != 0 {
		t.Fatalf("state filter %v", ids(q))
	}
	if _, err := h.svc.Queue(ctx, h.le, lereq.QueueFilter{States: []lawreq.State{"bogus"}}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("bad state: %v", err)
	}
	if _, err := h.svc.Queue(ctx, lereq.OfficerActor(o.ID), lereq.QueueFilter{}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("officer reading the queue: %v", err)
	}
}

func TestMessagesVisibleOnlyToTheRequestsOfficer(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	other := h.onboard(t, "kim@metro-pd.example", true)
	v, _ := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	me, them := lereq.OfficerActor(o.ID), lereq.OfficerActor(other.ID)
	if _, err := h.svc.Post(ctx, me, v.Req.ID, "Attached the signed return.", &lereq.Upload{Filename: "return.pdf", Body: strings.NewReader("%PDF-1.4 the signed return")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Post(ctx, h.le, v.Req.ID, "Thanks, we are on it.", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Post(ctx, me, v.Req.ID, "bad file", &lereq.Upload{Filename: "x.exe", Body: strings.NewReader("MZ\x90\x00\x03")}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("executable attachment: %v", err)
	}
	if _, err := h.svc.Post(ctx, me, v.Req.ID, "   ", nil); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("empty body: %v", err)
	}
	for _, f := range []func() error{
		func() error { _, err := h.svc.Thread(ctx, them, v.Req.ID); return err },
		func() error { _, err := h.svc.Post(ctx, them, v.Req.ID, "hi", nil); return err },
		func() error { _, err := h.svc.Get(ctx, them, v.Req.ID); return err },
		func() error { _, _, err := h.svc.OpenFile(ctx, them, v.Req.ID, v.Documents[0].SHA256); return err },
		func() error { _, err := h.svc.Thread(ctx, me, "req_doesnotexist"); return err },
	} {
		if err := f(); errs.KindOf(err) != errs.NotFound {
			t.Errorf("another officer's request: %v, want NotFound (never Forbidden)", err)
		}
	}
	th, err := h.svc.Thread(ctx, me, v.Req.ID)
	if err != nil || len(th) != 2 || th[0].Attachment == nil || th[0].Attachment.ContentType != "application/pdf" || th[1].AuthorKind != lereq.ActorStaff || th[1].AuthorID != "" {
		t.Fatalf("officer thread %+v %v", th, err)
	}
	sth, _ := h.svc.Thread(ctx, h.le, v.Req.ID)
	if sth[1].AuthorID != "lee" {
		t.Fatalf("staff thread loses the author: %+v", sth[1])
	}
	rc, att, err := h.svc.OpenFile(ctx, h.le, v.Req.ID, th[0].Attachment.SHA256)
	if err != nil || att.Filename != "return.pdf" {
		t.Fatalf("open attachment %+v %v", att, err)
	}
	rc.Close()
	var reads, downloads int
	for _, e := range h.auditActions(t) {
		switch e.Action {
		case "lereq.thread.read":
			reads++
		case "lereq.file.download":
			downloads++
		}
	}
	if reads != 2 || downloads != 1 {
		t.Errorf("audit: %d thread reads, %d downloads", reads, downloads)
	}
}
