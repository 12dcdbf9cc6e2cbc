package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"vigil/errs"
	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/store"
)

var leT0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func leFixture(t *testing.T, db *store.DB) (*store.LEStore, lereq.Agency, lereq.Officer) {
	t.Helper()
	ctx := context.Background()
	s := store.NewLEStore(db, func() time.Time { return leT0 })
	a, err := s.CreateAgency(ctx, lereq.Agency{ID: "agy_1", Name: "Demo County Sheriff", Jurisdiction: "Demo County, XX",
		ORI: "XX0010000", Phone: "+12025550100", Domains: []string{"Sheriff.Demo.gov", "sheriff.demo.gov", " ops.demo.gov. "}, CreatedBy: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.CreateOfficer(ctx, lereq.Officer{ID: "off_1", AgencyID: a.ID, Name: "Dana Cruz", Email: "Dana.Cruz@Sheriff.Demo.gov", PasswordHash: "$argon2id$x"})
	if err != nil {
		t.Fatal(err)
	}
	return s, a, o
}

func TestLEAgenciesAndSettings(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			s, a, _ := leFixture(t, db)
			got, err := s.Agency(ctx, a.ID)
			if err != nil || got.Phone != "+12025550100" || !slices.Equal(got.Domains, []string{"ops.demo.gov", "sheriff.demo.gov"}) || !got.CreatedAt.Equal(leT0) {
				t.Fatalf("agency %+v %v", got, err)
			}
			if _, err := s.CreateAgency(ctx, lereq.Agency{ID: "agy_2", Name: "Other", Phone: "+12025550101", Domains: []string{"ops.demo.gov"}}); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("domain of another agency: %v, want Invalid", err)
			}
			if _, err := s.Agency(ctx, "agy_2"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("failed create left a row: %v", err)
			}
			a.Name, a.Domains = "Demo County Sheriff's Office", []string{"sheriff.demo.gov", "new.demo.gov"}
			up, err := s.UpdateAgency(ctx, a)
			if err != nil || up.Name != a.Name || !slices.Equal(up.Domains, []string{"new.demo.gov", "sheriff.demo.gov"}) {
				t.Fatalf("update %+v %v", up, err)
			}
			if _, err := s.UpdateAgency(ctx, lereq.Agency{ID: "nope"}); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("update missing: %v", err)
			}
			doms, err := s.AgencyDomains(ctx)
			if err != nil || len(doms) != 2 || doms["new.demo.gov"] != a.ID {
				t.Fatalf("domains %v %v", doms, err)
			}
			list, err := s.ListAgencies(ctx)
			if err != nil || len(list) != 1 || len(list[0].Domains) != 2 {
				t.Fatalf("list %+v %v", list, err)
			}
			if v, err := s.LESetting(ctx, "rotation"); err != nil || v != "" {
				t.Fatalf("unset setting %q %v", v, err)
			}
			for _, v := range []string{`{"a":1}`, `{"a":2}`} {
				if err := s.SetLESetting(ctx, "rotation", v); err != nil {
					t.Fatal(err)
				}
			}
			if v, _ := s.LESetting(ctx, "rotation"); v != `{"a":2}` {
				t.Fatalf("setting %q", v)
			}
			if _, err := db.CreateStaffUser(ctx, store.StaffUser{Username: "lee", DisplayName: "Lee", Role: "le_response", PasswordHash: "h"}); err != nil {
				t.Fatal(err)
			}
			staff, err := s.LEStaff(ctx)
			if err != nil || len(staff) != 1 || staff[0] != (lereq.StaffMember{Username: "lee", DisplayName: "Lee", Role: "le_response"}) {
				t.Fatalf("staff %+v %v", staff, err)
			}
		})
	}
}

func TestLEOfficers(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			s, a, o := leFixture(t, db)
			if o.Email != "dana.cruz@sheriff.demo.gov" {
				t.Errorf("email stored as %q, want lower case", o.Email)
			}
			if _, err := s.CreateOfficer(ctx, lereq.Officer{ID: "off_2", AgencyID: a.ID, Name: "X", Email: "DANA.CRUZ@sheriff.demo.gov", PasswordHash: "h"}); errs.KindOf(err) != errs.Conflict {
				t.Fatalf("duplicate e-mail: %v, want Conflict", err)
			}
			got, err := s.OfficerByEmail(ctx, "dana.CRUZ@sheriff.demo.gov")
			if err != nil || got.ID != o.ID || got.PasswordHash != "$argon2id$x" {
				t.Fatalf("by e-mail %+v %v", got, err)
			}
			if _, err := s.Officer(ctx, "missing"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("missing: %v", err)
			}

			// Verification tokens: single use, expiry enforced.
			exp := leT0.Add(24 * time.Hour)
			if err := s.SetOfficerVerifyToken(ctx, o.ID, "hash1", exp); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ConsumeOfficerVerifyToken(ctx, "hash1", exp); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("expired token: %v, want Invalid", err)
			}
			v, err := s.ConsumeOfficerVerifyToken(ctx, "hash1", exp.Add(-time.Minute))
			if err != nil || !v.EmailVerifiedAt.Equal(exp.Add(-time.Minute)) || v.VerifyTokenHash != "" {
				t.Fatalf("consume %+v %v", v, err)
			}
			if _, err := s.ConsumeOfficerVerifyToken(ctx, "hash1", leT0); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("reused token: %v, want Invalid", err)
			}
			if _, err := s.ConsumeOfficerVerifyToken(ctx, "", leT0); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("empty token: %v", err)
			}

			// TOTP enrolment and replay protection.
			if err := s.SetOfficerTOTPSecret(ctx, o.ID, "SECRET"); err != nil {
				t.Fatal(err)
			}
			if err := s.UseOfficerTOTPStep(ctx, o.ID, 10); err != nil {
				t.Fatal(err)
			}
			if err := s.UseOfficerTOTPStep(ctx, o.ID, 10); errs.KindOf(err) != errs.Unauthenticated {
				t.Fatalf("replayed step: %v", err)
			}
			if err := s.SetOfficerTOTPSecret(ctx, o.ID, "OTHER"); errs.KindOf(err) != errs.Conflict {
				t.Fatalf("re-enrol: %v", err)
			}

			locked := leT0.Add(15 * time.Minute)
			if err := s.SetOfficerLoginState(ctx, o.ID, 5, leT0, locked); err != nil {
				t.Fatal(err)
			}
			if err := s.SetOfficerCallback(ctx, o.ID, leT0, "lee", "called switchboard"); err != nil {
				t.Fatal(err)
			}
			if err := s.SetOfficerDisabled(ctx, o.ID, true); err != nil {
				t.Fatal(err)
			}
			got, _ = s.Officer(ctx, o.ID)
			if !got.TOTPConfirmed || got.TOTPSecret != "SECRET" || got.TOTPLastStep != 10 || got.FailedAttempts != 5 ||
				!got.LockedUntil.Equal(locked) || !got.CallbackVerifiedAt.Equal(leT0) || got.CallbackBy != "lee" || !got.Disabled {
				t.Fatalf("officer after updates %+v", got)
			}
			if err := s.SetOfficerDisabled(ctx, "missing", true); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("disable missing: %v", err)
			}
			list, err := s.ListOfficers(ctx, a.ID)
			if err != nil || len(list) != 1 {
				t.Fatalf("list %v %v", list, err)
			}
			if all, _ := s.ListOfficers(ctx, ""); len(all) != 1 {
				t.Fatalf("list all %v", all)
			}
			for _, k := range []string{lereq.VerifyEmail, lereq.VerifyCallback} {
				if _, err := s.AddVerification(ctx, lereq.Verification{OfficerID: o.ID, Kind: k, By: "lee", Phone: "+12025550100", At: leT0}); err != nil {
					t.Fatal(err)
				}
			}
			vs, err := s.Verifications(ctx, o.ID)
			if err != nil || len(vs) != 2 || vs[1].Kind != lereq.VerifyCallback || !vs[1].At.Equal(leT0) {
				t.Fatalf("verifications %+v %v", vs, err)
			}
		})
	}
}

func leRequest(id, officer, agency string, typ lawreq.RequestType, received time.Time) lereq.NewRequest {
	return lereq.NewRequest{
		Record: lereq.RequestRecord{
			Req: lawreq.Request{ID: id, Type: typ, CaseNumber: "C-" + id, CaseName: "case", AgencyID: agency,
				NDO: &lawreq.NonDisclosure{OrderRef: "NDO-1", Until: received.Add(90 * 24 * time.Hour)}},
			State: lawreq.Submitted, OfficerID: officer, Assignee: "lee", ReceivedAt: received, DueAt: received.Add(48 * time.Hour),
			TargetDueAt: received.Add(8 * time.Hour), VerifyByCallback: true, WeixinGap: 1, ClientKey: "form-" + id,
		},
		Targets: []lereq.TargetRecord{
			{Index: 0, Resolution: lawreq.Resolution{Target: lawreq.Target{Kind: lawreq.TargetWeChatID, Value: "alice_1"}, Outcome: lawreq.Matched, AccountIDs: []string{"acc1"}}},
			{Index: 1, Resolution: lawreq.Resolution{Target: lawreq.Target{Kind: lawreq.TargetPhone, Value: "+8613800000000"}, Outcome: lawreq.NoMatch}},
		},
		Document:   lereq.Document{Attachment: lereq.Attachment{SHA256: "ab", Size: 10, Filename: "w.pdf", ContentType: "application/pdf"}, UploadedBy: officer, UploadedAt: received},
		Transition: lereq.TransitionRecord{To: lawreq.Submitted, ActorKind: lereq.ActorOfficer, ActorID: officer, ActorRole: lawreq.RoleOfficer, At: received},
	}
}

func TestLERequests(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			s, a, o := leFixture(t, db)
			n := leRequest("req_1", o.ID, a.ID, lawreq.EmergencyDisclosure, leT0)
			rec, err := s.CreateRequest(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Req.ID != "req_1" || rec.State != lawreq.Submitted || !rec.DueAt.Equal(leT0.Add(48*time.Hour)) || !rec.VerifyByCallback ||
				rec.WeixinGap != 1 || rec.Req.NDO == nil || rec.Req.NDO.OrderRef != "NDO-1" || rec.Granted != nil {
				t.Fatalf("created %+v", rec)
			}
			// The same client key returns the existing request.
			dup := leRequest("req_other", o.ID, a.ID, lawreq.EmergencyDisclosure, leT0)
			dup.Record.ClientKey = n.Record.ClientKey
			got, err := s.CreateRequest(ctx, dup)
			if !errors.Is(err, lereq.ErrDuplicate) || errs.KindOf(err) != errs.Conflict || got.Req.ID != "req_1" {
				t.Fatalf("duplicate client key: %+v %v", got.Req.ID, err)
			}
			if _, err := s.Request(ctx, "req_other"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("duplicate wrote a row: %v", err)
			}
			if got, err := s.RequestByClientKey(ctx, o.ID, "form-req_1"); err != nil || got.Req.ID != "req_1" {
				t.Fatalf("by client key %v", err)
			}
			if _, err := s.RequestByClientKey(ctx, o.ID, ""); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("empty key: %v", err)
			}
			sub := leRequest("req_2", o.ID, a.ID, lawreq.Subpoena, leT0.Add(time.Hour))
			sub.Record.DueAt = leT0.Add(14 * 24 * time.Hour)
			sub.Record.Assignee = "kim"
			if _, err := s.CreateRequest(ctx, sub); err != nil {
				t.Fatal(err)
			}

			ts, err := s.Targets(ctx, "req_1")
			if err != nil || len(ts) != 2 || ts[0].AccountIDs[0] != "acc1" || ts[1].Outcome != lawreq.NoMatch || ts[1].AccountIDs != nil {
				t.Fatalf("targets %+v %v", ts, err)
			}
			docs, err := s.Documents(ctx, "req_1")
			if err != nil || len(docs) != 1 || docs[0].Filename != "w.pdf" || !docs[0].UploadedAt.Equal(leT0) {
				t.Fatalf("documents %+v %v", docs, err)
			}

			// Queue queries.
			all, err := s.ListRequests(ctx, lereq.QueueQuery{OpenOnly: true})
			if err != nil || len(all) != 2 || all[0].Req.ID != "req_1" {
				t.Fatalf("queue %v %v", len(all), err)
			}
			if subs, _ := s.ListRequests(ctx, lereq.QueueQuery{Types: []lawreq.RequestType{lawreq.Subpoena}}); len(subs) != 1 || subs[0].Req.ID != "req_2" {
				t.Fatalf("type filter %v", subs)
			}
			if none, _ := s.ListRequests(ctx, lereq.QueueQuery{States: []lawreq.State{lawreq.Triage}}); len(none) != 0 {
				t.Fatalf("state filter %v", none)
			}
			if mine, _ := s.ListRequests(ctx, lereq.QueueQuery{Assignee: "kim"}); len(mine) != 1 {
				t.Fatalf("assignee filter %v", mine)
			}
			if last, err := s.LastRoundRobinAssignee(ctx); err != nil || last != "kim" {
				t.Fatalf("last round robin %q %v", last, err)
			}
			byOff, err := s.RequestsByOfficer(ctx, o.ID)
			if err != nil || len(byOff) != 2 || byOff[0].Req.ID != "req_2" {
				t.Fatalf("by officer %v %v", byOff, err)
			}

			// State changes are optimistic and recorded.
			body := rec.Req
			body.EmergencyApproval = &lawreq.EmergencyApproval{Approver: "counsel", Basis: "b", Categories: []lawreq.Category{lawreq.SubscriberBasic}}
			changed, err := s.ChangeState(ctx, lereq.StateChange{
				Transition: lereq.TransitionRecord{RequestID: "req_1", From: lawreq.Submitted, To: lawreq.Triage, ActorKind: lereq.ActorStaff, ActorID: "lee", ActorRole: lawreq.RoleLEResponse, Reason: "ok", At: leT0.Add(time.Minute)},
				Granted:    []lawreq.Category{lawreq.SubscriberBasic}, AnsweredAt: leT0.Add(time.Minute), Body: &body,
			})
			if err != nil || changed.State != lawreq.Triage || !slices.Equal(changed.Granted, []lawreq.Category{lawreq.SubscriberBasic}) ||
				changed.Req.EmergencyApproval == nil || !changed.AnsweredAt.Equal(leT0.Add(time.Minute)) {
				t.Fatalf("change %+v %v", changed, err)
			}
			if _, err := s.ChangeState(ctx, lereq.StateChange{Transition: lereq.TransitionRecord{RequestID: "req_1", From: lawreq.Submitted, To: lawreq.Triage}}); errs.KindOf(err) != errs.Conflict {
				t.Fatalf("stale change: %v, want Conflict", err)
			}
			if _, err := s.ChangeState(ctx, lereq.StateChange{Transition: lereq.TransitionRecord{RequestID: "nope", From: lawreq.Submitted, To: lawreq.Triage}}); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("missing change: %v, want NotFound", err)
			}
			trs, err := s.Transitions(ctx, "req_1")
			if err != nil || len(trs) != 2 || trs[0].From != "" || trs[1].To != lawreq.Triage || trs[1].Reason != "ok" || trs[1].ActorRole != lawreq.RoleLEResponse {
				t.Fatalf("transitions %+v %v", trs, err)
			}
			if n, err := s.ClearCallbackFlag(ctx, o.ID); err != nil || n != 2 {
				t.Fatalf("clear flag %d %v", n, err)
			}
			if r, _ := s.Request(ctx, "req_1"); r.VerifyByCallback {
				t.Fatal("flag not cleared")
			}
		})
	}
}

func TestLEMessagesAndNotifications(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			s, a, o := leFixture(t, db)
			if _, err := s.CreateRequest(ctx, leRequest("req_1", o.ID, a.ID, lawreq.Preservation2703f, leT0)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AddMessage(ctx, lereq.Message{RequestID: "req_1", AuthorKind: lereq.ActorOfficer, AuthorID: o.ID, Body: "hello", At: leT0}); err != nil {
				t.Fatal(err)
			}
			att := &lereq.Attachment{SHA256: "cd", Size: 3, Filename: "x.pdf", ContentType: "application/pdf"}
			if _, err := s.AddMessage(ctx, lereq.Message{RequestID: "req_1", AuthorKind: lereq.ActorStaff, AuthorID: "lee", Body: "reply", Attachment: att, At: leT0.Add(time.Second)}); err != nil {
				t.Fatal(err)
			}
			ms, err := s.Messages(ctx, "req_1")
			if err != nil || len(ms) != 2 || ms[0].Attachment != nil || *ms[1].Attachment != *att || ms[1].AuthorID != "lee" {
				t.Fatalf("messages %+v %v", ms, err)
			}

			claim := lereq.NotificationRecord{RequestID: "req_1", Level: lawreq.Level50, Channel: lereq.ChannelLadder, Recipient: "*", Status: lereq.StatusClaimed, SentAt: leT0}
			if ok, err := s.ClaimNotification(ctx, claim); err != nil || !ok {
				t.Fatalf("first claim %v %v", ok, err)
			}
			if ok, err := s.ClaimNotification(ctx, claim); err != nil || ok {
				t.Fatalf("second claim %v %v, want false", ok, err)
			}
			n := lereq.NotificationRecord{RequestID: "req_1", Level: lawreq.Level50, Channel: lereq.ChannelSMTP, Recipient: "lee", Status: lereq.StatusFailed, Error: "down", Attempts: 1, SentAt: leT0}
			if err := s.RecordNotification(ctx, n); err != nil {
				t.Fatal(err)
			}
			failed, err := s.FailedNotifications(ctx, 3)
			if err != nil || len(failed) != 1 || failed[0].Error != "down" {
				t.Fatalf("failed %+v %v", failed, err)
			}
			n.Status, n.Error, n.Attempts = lereq.StatusSent, "", 2
			if err := s.RecordNotification(ctx, n); err != nil {
				t.Fatal(err)
			}
			n.Status = lereq.StatusFailed // a sent delivery is never changed
			if err := s.RecordNotification(ctx, n); err != nil {
				t.Fatal(err)
			}
			if failed, _ := s.FailedNotifications(ctx, 3); len(failed) != 0 {
				t.Fatalf("still failed %+v", failed)
			}
			if err := s.RecordNotification(ctx, lereq.NotificationRecord{RequestID: "req_1", Level: lawreq.Level50, Channel: lereq.ChannelInApp, Recipient: "lee", Status: lereq.StatusSent, SentAt: leT0}); err != nil {
				t.Fatal(err)
			}
			all, err := s.Notifications(ctx, "req_1")
			if err != nil || len(all) != 3 || all[1].Status != lereq.StatusSent || all[1].Attempts != 2 {
				t.Fatalf("notifications %+v %v", all, err)
			}
			inbox, err := s.NotificationsFor(ctx, lereq.ChannelInApp, "lee", 10)
			if err != nil || len(inbox) != 1 || inbox[0].Level != lawreq.Level50 {
				t.Fatalf("inbox %+v %v", inbox, err)
			}
		})
	}
}
