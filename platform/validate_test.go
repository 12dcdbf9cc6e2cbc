package platform_test

import (
	"strings"
	"testing"
	"time"

	"vigil/platform"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func goodAccount() platform.Account {
	return platform.Account{
		ID: "acc-1", WeChatID: "li_wei88", DisplayName: "李伟", Phone: "+86 138 1234 5678",
		Email: "Li.Wei@Example.COM", App: "WeChat", Region: "cn",
		RegisteredAt:   time.Date(2019, 3, 1, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600)),
		RegistrationIP: "::ffff:203.0.113.7", Status: "active",
	}
}

func goodContent() platform.ContentItem {
	return platform.ContentItem{
		ID: "c-1", AuthorID: "acc-1", Surface: "moments", Visibility: "public",
		Text: "出售 USDT 高价回收", Media: []string{"media://img/1"}, CreatedAt: now.Add(-time.Hour),
	}
}

// problemFields returns "field" for each problem, so tests assert which
// field a message blames.
func problemFields(err error) []string {
	var out []string
	for _, p := range platform.FieldErrors(err) {
		out = append(out, p.Field)
	}
	return out
}

func expectOnly(t *testing.T, err error, field, msgPart string) {
	t.Helper()
	ps := platform.FieldErrors(err)
	if len(ps) != 1 || ps[0].Field != field || !strings.Contains(ps[0].Message, msgPart) {
		t.Fatalf("problems %+v; want exactly one on %q containing %q", ps, field, msgPart)
	}
}

func TestAccountValidNormalises(t *testing.T) {
	a := goodAccount()
	if err := a.Validate(now); err != nil {
		t.Fatal(err)
	}
	if a.Phone != "+8613812345678" || a.Email != "Li.Wei@example.com" || a.App != "wechat" ||
		a.Region != "CN" || a.RegistrationIP != "203.0.113.7" || a.RegisteredAt.Location() != time.UTC ||
		a.RegisteredAt.Nanosecond() != 123456000 {
		t.Fatalf("not normalised: %+v", a)
	}
	// A national number is read in the account's region.
	b := goodAccount()
	b.Phone, b.Region = "(202) 555-0123", "US"
	b.Phone = "202-456-1111"
	if err := b.Validate(now); err != nil || b.Phone != "+12024561111" {
		t.Fatalf("national number: %q, %v", b.Phone, err)
	}
	// Phone and e-mail are optional.
	c := goodAccount()
	c.Phone, c.Email = "", ""
	if err := c.Validate(now); err != nil {
		t.Fatal(err)
	}
}

func TestAccountFieldErrors(t *testing.T) {
	cases := []struct {
		name, field, msg string
		mod              func(*platform.Account)
	}{
		{"missing id", "id", "required", func(a *platform.Account) { a.ID = "" }},
		{"id with space", "id", "identifiers may use only", func(a *platform.Account) { a.ID = "a b" }},
		{"id too long", "id", "at most 128", func(a *platform.Account) { a.ID = strings.Repeat("x", 129) }},
		{"missing wechat id", "wechat_id", "required", func(a *platform.Account) { a.WeChatID = "" }},
		{"short wechat id", "wechat_id", "6 to 20", func(a *platform.Account) { a.WeChatID = "abc" }},
		{"wechat id digit first", "wechat_id", "start with a letter", func(a *platform.Account) { a.WeChatID = "1abcdef" }},
		{"wechat id bad rune", "wechat_id", "contains", func(a *platform.Account) { a.WeChatID = "abc.def" }},
		{"blank display name", "display_name", "required", func(a *platform.Account) { a.DisplayName = "  " }},
		{"long display name", "display_name", "at most 128", func(a *platform.Account) { a.DisplayName = strings.Repeat("名", 129) }},
		{"control in name", "display_name", "control character", func(a *platform.Account) { a.DisplayName = "a\x00b" }},
		{"bad utf8 name", "display_name", "UTF-8", func(a *platform.Account) { a.DisplayName = "a\xffb" }},
		{"phone garbage", "phone", "not a phone number", func(a *platform.Account) { a.Phone = "call me" }},
		{"phone invalid", "phone", "not a valid number", func(a *platform.Account) { a.Phone = "+86 123" }},
		{"email display name", "email", "bare address", func(a *platform.Account) { a.Email = "Li <li@example.com>" }},
		{"email no at", "email", "not an e-mail", func(a *platform.Account) { a.Email = "li.example.com" }},
		{"app", "app", "wechat, weixin", func(a *platform.Account) { a.App = "qq" }},
		{"missing app", "app", "required", func(a *platform.Account) { a.App = "" }},
		{"region unknown", "region", "ISO 3166-1", func(a *platform.Account) { a.Region = "XX" }},
		{"region missing", "region", "required", func(a *platform.Account) { a.Region = "" }},
		{"registered zero", "registered_at", "required", func(a *platform.Account) { a.RegisteredAt = time.Time{} }},
		{"registered future", "registered_at", "future", func(a *platform.Account) { a.RegisteredAt = now.Add(time.Hour) }},
		{"registered ancient", "registered_at", "unit", func(a *platform.Account) { a.RegisteredAt = time.Unix(1700000, 0) }},
		{"ip missing", "registration_ip", "required", func(a *platform.Account) { a.RegistrationIP = "" }},
		{"ip with port", "registration_ip", "without port", func(a *platform.Account) { a.RegistrationIP = "203.0.113.7:443" }},
		{"status", "status", "active, suspended, deleted", func(a *platform.Account) { a.Status = "banned" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := goodAccount()
			c.mod(&a)
			expectOnly(t, a.Validate(now), c.field, c.msg)
		})
	}
}

func TestAccountReportsEveryBadField(t *testing.T) {
	var a platform.Account
	got := strings.Join(problemFields(a.Validate(now)), ",")
	want := "id,wechat_id,display_name,app,region,registered_at,registration_ip,status"
	if got != want {
		t.Fatalf("fields %s, want %s", got, want)
	}
}

func TestContentVisibilityRefusesPrivate(t *testing.T) {
	for _, v := range []string{"private", "PRIVATE", "friends", "", "hidden"} {
		c := goodContent()
		c.Visibility = v
		ps := platform.FieldErrors(c.Validate(now))
		if len(ps) != 1 || ps[0].Field != "visibility" || !strings.Contains(ps[0].Message, "private content is") {
			t.Errorf("visibility %q: %+v", v, ps)
		}
	}
	for _, v := range []string{"public", "semi_public", " Semi_Public "} {
		c := goodContent()
		c.Visibility = v
		if err := c.Validate(now); err != nil {
			t.Errorf("visibility %q refused: %v", v, err)
		}
	}
}

func TestContentFieldErrors(t *testing.T) {
	cases := []struct {
		name, field, msg string
		mod              func(*platform.ContentItem)
	}{
		{"missing id", "id", "required", func(c *platform.ContentItem) { c.ID = "" }},
		{"missing author", "author_id", "required", func(c *platform.ContentItem) { c.AuthorID = "" }},
		{"surface", "surface", "moments, channels, group_chat, official_account, profile", func(c *platform.ContentItem) { c.Surface = "private_chat" }},
		{"group chat without group", "group_id", "required for surface group_chat", func(c *platform.ContentItem) { c.Surface = "group_chat" }},
		{"group on moments", "group_id", "only for surface group_chat", func(c *platform.ContentItem) { c.GroupID = "g1" }},
		{"bad group id", "group_id", "identifiers may use only", func(c *platform.ContentItem) { c.Surface, c.GroupID = "group_chat", "g 1" }},
		{"huge text", "text", "bytes", func(c *platform.ContentItem) { c.Text = strings.Repeat("a", platform.MaxTextBytes+1) }},
		{"control text", "text", "control character", func(c *platform.ContentItem) { c.Text = "x\x07" }},
		{"empty", "text", "no media", func(c *platform.ContentItem) { c.Text, c.Media = " ", nil }},
		{"too many media", "media", "at most 32", func(c *platform.ContentItem) { c.Media = make([]string, 33); fill(c.Media) }},
		{"blank media", "media", "reference 1", func(c *platform.ContentItem) { c.Media = []string{"a", " "} }},
		{"media with space", "media", "without spaces", func(c *platform.ContentItem) { c.Media = []string{"a b"} }},
		{"created future", "created_at", "future", func(c *platform.ContentItem) { c.CreatedAt = now.Add(time.Hour) }},
		{"created missing", "created_at", "required", func(c *platform.ContentItem) { c.CreatedAt = time.Time{} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := goodContent()
			c.mod(&it)
			expectOnly(t, it.Validate(now), c.field, c.msg)
		})
	}
	gc := goodContent()
	gc.Surface, gc.GroupID, gc.Text = "group_chat", "grp-9", "  multi-line\n\ttext  "
	if err := gc.Validate(now); err != nil {
		t.Fatalf("group chat item refused: %v", err)
	}
	// A post with only media is fine; whitespace in text is kept as sent.
	m := goodContent()
	m.Text = ""
	if err := m.Validate(now); err != nil {
		t.Fatal(err)
	}
}

func fill(s []string) {
	for i := range s {
		s[i] = "m"
	}
}

func TestLoginValidateDerivesStableID(t *testing.T) {
	l := platform.Login{AccountID: "acc-1", At: now.Add(-time.Minute), IP: "2001:db8::1", DeviceID: "dev-A", AppVersion: "8.0.49"}
	l2 := l
	if err := l.Validate(now); err != nil {
		t.Fatal(err)
	}
	if err := l2.Validate(now); err != nil {
		t.Fatal(err)
	}
	if l.ID == "" || l.ID != l2.ID {
		t.Fatalf("derived ids %q and %q must be equal and non-empty", l.ID, l2.ID)
	}
	l3 := l2
	l3.ID, l3.DeviceID = "", "dev-B"
	_ = l3.Validate(now)
	if l3.ID == l.ID {
		t.Fatal("different logins share a derived id")
	}
	given := platform.Login{ID: "login-7", AccountID: "acc-1", At: now, IP: "198.51.100.1", DeviceID: "d", AppVersion: "8.0"}
	if err := given.Validate(now); err != nil || given.ID != "login-7" {
		t.Fatalf("explicit id: %q, %v", given.ID, err)
	}
	var bad platform.Login
	bad.AppVersion = "8.0 beta!"
	got := strings.Join(problemFields(bad.Validate(now)), ",")
	if got != "account_id,at,ip,device_id,app_version" {
		t.Fatalf("login problems on %s", got)
	}
}

func TestGroupValidate(t *testing.T) {
	g := platform.Group{ID: "grp-1", Name: " 交流群 ", MemberCount: 120, JoinMethod: "Public_QR"}
	if err := g.Validate(); err != nil || g.JoinMethod != "public_qr" || g.Name != "交流群" {
		t.Fatalf("%+v, %v", g, err)
	}
	p := g
	p.JoinMethod = "private"
	expectOnly(t, p.Validate(), "join_method", "private groups are out of scope")
	n := g
	n.MemberCount = -1
	expectOnly(t, n.Validate(), "member_count", "0 to")
	e := g
	e.Name = ""
	expectOnly(t, e.Validate(), "name", "required")
}

func TestNormalizeLookups(t *testing.T) {
	if p, err := platform.NormalizePhone("138 1234 5678", "cn"); err != nil || p != "+8613812345678" {
		t.Fatalf("phone %q %v", p, err)
	}
	if _, err := platform.NormalizePhone("nope", "CN"); err == nil {
		t.Fatal("bad phone accepted")
	}
	if e, err := platform.NormalizeEmail(" A@B.Example "); err != nil || e != "A@b.example" {
		t.Fatalf("email %q %v", e, err)
	}
}
