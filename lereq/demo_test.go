package lereq_test

import (
	"context"
	"testing"

	"strings"

	"vigil/auth"
	"vigil/demo"
	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/store"
)

func TestSeedDemo(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			h := newHarness(t, db, func(c *lereq.Config, _ *lereq.Deps) {
				c.Allow = lereq.NewAllowList(map[string]lereq.GovDomain{"fbi.gov": {Domain: "fbi.gov"}}, nil, nil) // registry loaded
			})
			ctx := context.Background()
			res, err := h.svc.SeedDemo(ctx, lereq.DemoOptions{Password: "demo-officer-passphrase", AccountIDs: []string{"acct-1", "acct-2", "acct-3", "acct-4"}})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Created || len(res.Requests) != 4 || res.Agency.Name != "Demo County Sheriff's Office" {
				t.Fatalf("seed %+v", res)
			}
			// The fictional .gov is allowed through the agency directory only.
			if chk, _ := h.svc.CheckEmailDomain(ctx, "someone@"+lereq.DemoAgencyDomain); !chk.Allowed || chk.AgencyID != lereq.DemoAgencyID {
				t.Fatalf("demo domain %+v", chk)
			}
			o, st, err := h.svc.Officer(ctx, res.Officer.ID)
			if err != nil || !st.EmailVerified || !st.CallbackVerified || st.TOTPEnrolled || st.CanSubmit {
				t.Fatalf("demo officer %+v %+v %v", o, st, err)
			}
			if _, err := h.svc.Login(ctx, lereq.DemoOfficerEmail, "demo-officer-passphrase"); err != nil {
				t.Fatalf("demo officer login: %v", err)
			}
			e, err := h.svc.BeginTOTP(ctx, o.ID) // first login enrols
			if err != nil {
				t.Fatal(err)
			}
			code, _ := auth.TOTPCode(e.Secret, h.clock.Now())
			if err := h.svc.VerifyTOTP(ctx, o.ID, code); err != nil {
				t.Fatal(err)
			}
			mine, err := h.svc.MyRequests(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[lawreq.RequestType][]lawreq.State{}
			for _, r := range mine {
				got[r.Type] = append(got[r.Type], r.State)
			}
			if len(got[lawreq.EmergencyDisclosure]) != 1 || got[lawreq.EmergencyDisclosure][0] != lawreq.Triage ||
				len(got[lawreq.Preservation2703f]) != 1 || got[lawreq.Preservation2703f][0] != lawreq.Approved ||
				len(got[lawreq.Subpoena]) != 2 {
				t.Fatalf("demo requests %v", got)
			}
			var wx bool
			for _, id := range res.Requests {
				v, err := h.svc.Get(ctx, h.le, id)
				if err != nil {
					t.Fatal(err)
				}
				if v.State == lawreq.OutOfJurisdiction {
					wx = v.WeixinGap == 1 && v.Targets[0].Outcome == lawreq.NotProducibleWx
				}
				if v.Assignee == "" {
					t.Errorf("demo request %s has no named contact", id)
				}
			}
			if !wx {
				t.Error("no Weixin request closed out_of_jurisdiction")
			}
			again, err := h.svc.SeedDemo(ctx, lereq.DemoOptions{Password: "x"})
			if err != nil || again.Created || again.Officer.ID != o.ID {
				t.Fatalf("second seed %+v %v", again, err)
			}
		})
	}
}

func TestSeedDemoFindsAccountsOfTheDemoPlatform(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	p := demo.Generate(demo.Options{Accounts: 400})
	if _, err := store.NewDirectory(h.db, h.clock.Now).UpsertAccounts(ctx, p.Accounts); err != nil {
		t.Fatal(err)
	}
	res, err := h.svc.SeedDemo(ctx, lereq.DemoOptions{Password: "demo-officer-passphrase"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range res.Requests {
		v, err := h.svc.Get(ctx, h.le, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range v.Targets {
			if tg.Outcome != lawreq.NoMatch && !strings.HasPrefix(tg.AccountIDs[0], "acct-0") {
				t.Errorf("request %s names %v, not a demo platform account", id, tg.AccountIDs)
			}
		}
	}
}
