package lereq_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"time"

	"vigil/errs"
	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
)

func TestSubmitValidatesFormAndDocument(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	bad := request(lawreq.Subpoena, target(lawreq.TargetWeChatID, "1bad"))
	bad.CaseNumber = ""
	bad.Requested = []lawreq.Category{lawreq.Content}
	_, err := h.svc.SubmitRequest(ctx, o.ID, bad, lereq.Upload{Filename: "scan.png", Body: strings.NewReader("\x89PNG....")}, "")
	for _, want := range []string{"case_number", "targets[0].value", "requested_categories[0]", "document.filename", "document: is not a PDF"} {
		if errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), want) {
			t.Errorf("bad form: %v; want it to name %s", err, want)
		}
	}
	if _, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")),
		lereq.Upload{Filename: "w.pdf", ContentType: "image/png", Body: bytes.NewReader(pdf)}, ""); errs.KindOf(err) != errs.Invalid {
		t.Errorf("declared PNG: %v", err)
	}
	if _, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), lereq.Upload{Filename: "w.pdf"}, ""); errs.KindOf(err) != errs.Invalid {
		t.Errorf("no document: %v", err)
	}
	// Nothing was stored for the failed submissions.
	if all, _ := h.svc.MyRequests(ctx, o.ID); len(all) != 0 {
		t.Fatalf("failed submissions stored %d requests", len(all))
	}
}

func TestSubmitRefusesOversizeDocument(t *testing.T) {
	h := sqliteHarness(t, func(c *lereq.Config, _ *lereq.Deps) { c.MaxDocumentSize = 64 })
	o := h.onboard(t, "jo@metro-pd.example", true)
	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 64)...)
	_, err := h.svc.SubmitRequest(context.Background(), o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")),
		lereq.Upload{Filename: "w.pdf", Body: bytes.NewReader(big)}, "")
	if errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "larger than 64 bytes") {
		t.Fatalf("oversize: %v", err)
	}
}

func TestSubmitResolvesStoresAssignsAndIsIdempotent(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			h := newHarness(t, db)
			ctx := context.Background()
			o := h.onboard(t, "jo@metro-pd.example", true)
			req := request(lawreq.CourtOrder2703d,
				target(lawreq.TargetWeChatID, "alice_wx1"),    // matched
				target(lawreq.TargetAccountID, "acct-2"),      // deleted
				target(lawreq.TargetPhone, "+8613800138003"),  // weixin
				target(lawreq.TargetPhone, "+1 415 555 0100"), // two accounts
				target(lawreq.TargetEmail, "nobody@example.com"),
				target(lawreq.TargetAccountID, "acct-404"),
			)
			v, err := h.svc.SubmitRequest(ctx, o.ID, req, doc(), "form-1")
			if err != nil {
				t.Fatal(err)
			}
			want := []lawreq.Outcome{lawreq.Matched, lawreq.DeletedAccount, lawreq.NotProducibleWx, lawreq.MultipleMatches, lawreq.NoMatch, lawreq.NoMatch}
			if len(v.Targets) != len(want) {
				t.Fatalf("targets %+v", v.Targets)
			}
			for i, w := range want {
				if v.Targets[i].Outcome != w || v.Targets[i].Explanation == "" {
					t.Errorf("target %d: %s, want %s", i, v.Targets[i].Outcome, w)
				}
				if v.Targets[i].AccountIDs != nil {
					t.Errorf("the officer sees account ids of target %d", i)
				}
			}
			if v.WeixinGap != 1 || v.State != lawreq.Submitted || v.VerifyByCallback {
				t.Errorf("record %+v", v.RequestRecord)
			}
			if !v.DueAt.Equal(t0.Add(14*24*time.Hour)) || !v.TargetDueAt.IsZero() {
				t.Errorf("due %v target %v", v.DueAt, v.TargetDueAt)
			}
			if v.Assignee != "lee" || v.Contact.DisplayName != "Lee Park" {
				t.Errorf("assignee %q contact %+v", v.Assignee, v.Contact)
			}
			// The document is in the blob store under its hash.
			sum := sha256.Sum256(pdf)
			if len(v.Documents) != 1 || v.Documents[0].SHA256 != hex.EncodeToString(sum[:]) || v.Req.Document.SHA256 != v.Documents[0].SHA256 {
				t.Fatalf("documents %+v", v.Documents)
			}
			rc, att, err := h.svc.OpenFile(ctx, lereq.OfficerActor(o.ID), v.Req.ID, v.Documents[0].SHA256)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(b, pdf) || att.ContentType != "application/pdf" {
				t.Fatalf("document read back %q %+v", b, att)
			}
			// Staff see the accounts.
			sv, err := h.svc.Get(ctx, h.le, v.Req.ID)
			if err != nil || len(sv.Targets[3].AccountIDs) != 2 || sv.Targets[2].AccountIDs[0] != "acct-3" {
				t.Fatalf("staff view %+v %v", sv.Targets, err)
			}
			// Same client key: same request, nothing new.
			again, err := h.svc.SubmitRequest(ctx, o.ID, req, doc(), "form-1")
			if err != nil || again.Req.ID != v.Req.ID {
				t.Fatalf("resubmission: %v %v", again.Req.ID, err)
			}
			// Round-robin: the next ordinary request goes to the other member.
			v2, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "form-2")
			if err != nil || v2.Assignee != "mo" {
				t.Fatalf("second assignee %q %v", v2.Assignee, err)
			}
			mine, _ := h.svc.MyRequests(ctx, o.ID)
			if len(mine) != 2 {
				t.Fatalf("my requests %d", len(mine))
			}
			var resolved, submitted int
			for _, e := range h.auditActions(t) {
				if e.Action == "lereq.targets.resolve" && strings.Contains(strings.Join(e.Records, ","), "account:acct-3") {
					resolved++
				}
				if e.Action == "lereq.request.submit" {
					submitted++
				}
			}
			if resolved != 1 || submitted != 2 {
				t.Errorf("audit: %d resolutions naming acct-3, %d submissions", resolved, submitted)
			}
		})
	}
}

func TestEmergencyFromUnverifiedOfficerGoesToTopWithCallbackTask(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	verified := h.onboard(t, "vera@metro-pd.example", true)
	newbie := h.onboard(t, "newbie@metro-pd.example", false)

	sub, err := h.svc.SubmitRequest(ctx, verified.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	pres, err := h.svc.SubmitRequest(ctx, verified.ID, request(lawreq.Preservation2703f, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Hour)
	em, err := h.svc.SubmitRequest(ctx, newbie.ID, request(lawreq.EmergencyDisclosure, target(lawreq.TargetWeChatID, "alice_wx1")), doc(), "")
	if err != nil {
		t.Fatalf("an unverified officer's emergency must be accepted: %v", err)
	}
	if !em.VerifyByCallback || len(em.Tasks) != 0 { // tasks are hidden from the officer
		t.Fatalf("emergency record %+v tasks %v", em.RequestRecord, em.Tasks)
	}
	if !em.DueAt.Equal(h.clock.Now().Add(48*time.Hour)) || !em.TargetDueAt.Equal(h.clock.Now().Add(8*time.Hour)) {
		t.Errorf("emergency due %v target %v", em.DueAt, em.TargetDueAt)
	}
	// On call this week (anchor t0): lee.
	if em.Assignee != "lee" || pres.Assignee != "lee" {
		t.Errorf("urgent requests assigned to %q and %q, want the on-call lee", em.Assignee, pres.Assignee)
	}
	q, err := h.svc.Queue(ctx, h.le, lereq.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 3 || q[0].ID != em.Req.ID || q[0].Tasks[0] != lereq.TaskVerifyByCallback || q[1].ID != pres.Req.ID || q[2].ID != sub.Req.ID {
		t.Fatalf("queue order %v", ids(q))
	}
	// The emergency can be worked, but nothing approved before the call-back.
	if _, err := h.svc.Transition(ctx, h.le, em.Req.ID, lawreq.Triage, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Transition(ctx, h.le, em.Req.ID, lawreq.LegalReview, "", nil); err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.Transition(ctx, h.legal, em.Req.ID, lawreq.PartiallyApproved, "only BSI supported",
		&lereq.Decision{Categories: []lawreq.Category{lawreq.SubscriberBasic}, Basis: "child in danger"})
	if errs.KindOf(err) != errs.Conflict || !strings.Contains(err.Error(), "call-back") {
		t.Fatalf("approval before call-back: %v", err)
	}
	if _, err := h.svc.RecordCallback(ctx, h.le, newbie.ID, lereq.Callback{PhoneDialed: h.agency.Phone, Notes: "desk sergeant confirmed"}); err != nil {
		t.Fatal(err)
	}
	v, err := h.svc.Transition(ctx, h.legal, em.Req.ID, lawreq.PartiallyApproved, "only BSI is supported by the danger described",
		&lereq.Decision{Categories: []lawreq.Category{lawreq.SubscriberBasic}, Basis: "child in danger, location needed"})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Granted) != 1 || v.Granted[0] != lawreq.SubscriberBasic || v.VerifyByCallback {
		t.Fatalf("after partial approval %+v", v.RequestRecord)
	}
	if ap := v.Req.EmergencyApproval; ap == nil || ap.Approver != "cora" || ap.Basis != "child in danger, location needed" {
		t.Errorf("legal's view of the approval: %+v", ap)
	}
	ov, err := h.svc.Get(ctx, lereq.OfficerActor(newbie.ID), em.Req.ID)
	if err != nil || ov.Req.EmergencyApproval != nil || ov.StateText != lawreq.OfficerText(lawreq.PartiallyApproved) {
		t.Errorf("officer view: approval %+v text %q %v", ov.Req.EmergencyApproval, ov.StateText, err)
	}
	if last := ov.Transitions[len(ov.Transitions)-1]; last.Reason != "only BSI is supported by the danger described" || last.ActorID != "" {
		t.Errorf("officer sees transition %+v", last)
	}
}

func TestNonEmergencyWaitsForCallback(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", false)
	v, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.svc.Transition(ctx, h.le, v.Req.ID, lawreq.Triage, "", nil)
	if errs.KindOf(err) != errs.Conflict || !strings.Contains(err.Error(), "record the call-back first") {
		t.Fatalf("triage before call-back: %v", err)
	}
	sv, _ := h.svc.Get(ctx, h.le, v.Req.ID)
	if len(sv.Next) != 0 {
		t.Errorf("staff offered %v before the call-back", sv.Next)
	}
	if _, err := h.svc.RecordCallback(ctx, h.le, o.ID, lereq.Callback{PhoneDialed: h.agency.Phone, Notes: "ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Transition(ctx, h.le, v.Req.ID, lawreq.Triage, "", nil); err != nil {
		t.Fatalf("triage after call-back: %v", err)
	}
}

func ids(q []lereq.QueueItem) []string {
	out := make([]string, len(q))
	for i, it := range q {
		out[i] = string(it.Type) + ":" + it.ID
	}
	return out
}
