package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"vigil/errs"
	"vigil/internal/testkit"
	"vigil/platform"
	"vigil/store"
)

var dirNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func dirAccounts(t testing.TB, n int) []platform.Account {
	t.Helper()
	out := make([]platform.Account, n)
	for i := range out {
		a := platform.Account{
			ID: fmt.Sprintf("acc-%05d", i), WeChatID: fmt.Sprintf("user_%05d", i), DisplayName: fmt.Sprintf("用户 %d", i),
			Phone: fmt.Sprintf("+86138%08d", i%50), Email: fmt.Sprintf("u%d@Example.com", i), App: "wechat", Region: "CN",
			RegisteredAt: dirNow.Add(-time.Duration(i+1) * time.Hour), RegistrationIP: "203.0.113.9", Status: "active",
		}
		if i%10 == 0 {
			a.App = "weixin"
		}
		if err := a.Validate(dirNow); err != nil {
			t.Fatal(err)
		}
		out[i] = a
	}
	return out
}

func dirContent(t testing.TB, n int) []platform.ContentItem {
	t.Helper()
	out := make([]platform.ContentItem, n)
	for i := range out {
		c := platform.ContentItem{ID: fmt.Sprintf("c-%06d", i), AuthorID: fmt.Sprintf("acc-%05d", i%100),
			Surface: "moments", Visibility: "public", Text: fmt.Sprintf("帖子 %d: venta de dólares en efectivo", i),
			CreatedAt: dirNow.Add(-time.Duration(i) * time.Second)}
		if i%3 == 0 {
			c.Surface, c.GroupID, c.Visibility = "group_chat", "grp-1", "semi_public"
			c.Media = []string{"media://a", "media://b"}
		}
		if err := c.Validate(dirNow); err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	return out
}

func TestDirectoryIdempotentUpserts(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			clock := dirNow
			dir := store.NewDirectory(db, func() time.Time { return clock })

			accs := dirAccounts(t, 2500) // more than one multi-row chunk
			if n, err := dir.UpsertAccounts(ctx, accs); err != nil || n != 2500 {
				t.Fatalf("first upsert: %d, %v", n, err)
			}
			if n, err := dir.UpsertAccounts(ctx, accs); err != nil || n != 0 {
				t.Fatalf("re-sent batch changed %d rows (err %v); want 0", n, err)
			}
			// A legitimate change updates just that account; duplicates in a
			// batch resolve to the last one.
			changed := accs[7]
			changed.Status = "suspended"
			clock = clock.Add(time.Minute)
			if n, err := dir.UpsertAccounts(ctx, []platform.Account{accs[7], changed, accs[8]}); err != nil || n != 1 {
				t.Fatalf("change: %d rows, %v; want 1", n, err)
			}
			got, err := dir.AccountByID(ctx, changed.ID)
			if err != nil || !reflect.DeepEqual(got, changed) {
				t.Fatalf("read back\n got %+v\nwant %+v\n err %v", got, changed, err)
			}
			if _, err := dir.AccountByID(ctx, "nope"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("missing account: %v", err)
			}

			// Look-ups that lawful requests use.
			if as, err := dir.AccountsByWeChatID(ctx, "user_00042"); err != nil || len(as) != 1 || as[0].ID != "acc-00042" {
				t.Fatalf("by wechat id: %+v %v", as, err)
			}
			if as, err := dir.AccountsByPhone(ctx, "138 0000 0003", "CN"); err != nil || len(as) != 50 || as[0].ID != "acc-00003" {
				t.Fatalf("by national phone: %d accounts, %v", len(as), err)
			}
			if as, err := dir.AccountsByEmail(ctx, "U42@EXAMPLE.COM"); err != nil || len(as) != 1 || as[0].ID != "acc-00042" {
				t.Fatalf("by email: %+v %v", as, err)
			}
			if _, err := dir.AccountsByPhone(ctx, "garbage", "CN"); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("bad phone look-up: %v", err)
			}

			items := dirContent(t, 3000)
			if n, err := dir.InsertContent(ctx, items); err != nil || n != 3000 {
				t.Fatalf("insert content: %d, %v", n, err)
			}
			// Content is immutable: a re-send, even with altered text, stores nothing.
			altered := append([]platform.ContentItem(nil), items[:10]...)
			altered[0].Text = "edited"
			if n, err := dir.InsertContent(ctx, append(altered, items...)); err != nil || n != 0 {
				t.Fatalf("re-insert content: %d, %v", n, err)
			}
			c, err := dir.Content(ctx, items[0].ID)
			if err != nil || !reflect.DeepEqual(c, items[0]) {
				t.Fatalf("content read back\n got %+v\nwant %+v\n err %v", c, items[0], err)
			}
			c1, err := dir.Content(ctx, items[1].ID)
			if err != nil || !reflect.DeepEqual(c1, items[1]) {
				t.Fatalf("content without media read back %+v, %v", c1, err)
			}
			ex, err := dir.ExistingContent(ctx, []string{items[5].ID, "unknown", items[2999].ID})
			if err != nil || len(ex) != 2 || !ex[items[5].ID] || ex["unknown"] {
				t.Fatalf("existing content: %v %v", ex, err)
			}

			gs := []platform.Group{{ID: "grp-1", Name: "交流", MemberCount: 10, JoinMethod: "public_qr"}}
			if n, err := dir.UpsertGroups(ctx, gs); err != nil || n != 1 {
				t.Fatalf("groups: %d %v", n, err)
			}
			if n, _ := dir.UpsertGroups(ctx, gs); n != 0 {
				t.Fatalf("re-sent group changed %d rows", n)
			}
			gs[0].MemberCount = 11
			if n, _ := dir.UpsertGroups(ctx, gs); n != 1 {
				t.Fatalf("member count change stored %d rows", n)
			}
			if g, err := dir.Group(ctx, "grp-1"); err != nil || g != gs[0] {
				t.Fatalf("group %+v %v", g, err)
			}
			if eg, _ := dir.ExistingGroups(ctx, []string{"grp-1", "grp-2"}); !eg["grp-1"] || eg["grp-2"] {
				t.Fatalf("existing groups %v", eg)
			}

			ls := []platform.Login{
				{AccountID: "acc-00001", At: dirNow.Add(-2 * time.Hour), IP: "198.51.100.4", DeviceID: "d1", AppVersion: "8.0.49"},
				{AccountID: "acc-00001", At: dirNow.Add(-time.Hour), IP: "2001:db8::7", DeviceID: "d1", AppVersion: "8.0.50"},
			}
			for i := range ls {
				if err := ls[i].Validate(dirNow); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := dir.InsertLogins(ctx, ls); err != nil || n != 2 {
				t.Fatalf("logins: %d %v", n, err)
			}
			if n, _ := dir.InsertLogins(ctx, ls); n != 0 {
				t.Fatalf("re-sent logins stored %d", n)
			}
			got2, err := dir.LoginsByAccount(ctx, "acc-00001", 10)
			if err != nil || len(got2) != 2 || !reflect.DeepEqual(got2[0], ls[1]) {
				t.Fatalf("logins newest first: %+v %v", got2, err)
			}

			st, err := dir.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Accounts != 2500 || st.AccountsByApp["weixin"] != 250 || st.Logins != 2 || st.Groups != 1 ||
				st.Content != 3000 || len(st.ContentBy) != 2 || st.ContentBySurface["moments"] != 2000 ||
				st.ContentBy[0] != (store.SurfaceCount{Surface: "group_chat", Visibility: "semi_public", N: 1000}) {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

func TestDirectoryRefusesPrivateEvenIfValidationWasSkipped(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			dir := store.NewDirectory(db, nil)
			c := dirContent(t, 1)[0]
			c.Visibility = "private"
			if _, err := dir.InsertContent(context.Background(), []platform.ContentItem{c}); errs.KindOf(err) != errs.Invalid {
				t.Fatalf("private item: %v", err)
			}
			if st, _ := dir.Stats(context.Background()); st.Content != 0 {
				t.Fatal("private item stored")
			}
		})
	}
}
