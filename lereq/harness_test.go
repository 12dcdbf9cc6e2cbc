package lereq_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"vigil/audit"
	"vigil/auth"
	evfs "vigil/evidence/fs"
	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/platform"
	"vigil/store"
)

// clock is the fake clock the service reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

var fastArgon = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

type harness struct {
	db     *store.DB
	st     *store.LEStore
	svc    *lereq.Service
	clock  *clock
	outbox *lereq.Outbox
	log    *audit.Log
	blobs  *evfs.Store
	agency lereq.Agency
	le     lereq.Actor // le_response "lee"
	le2    lereq.Actor // le_response "mo"
	legal  lereq.Actor // legal "cora"
	admin  lereq.Actor
}

type recorder struct {
	mu      sync.Mutex
	channel string
	got     []lereq.Notice
	fail    bool
}

func (r *recorder) Channel() string { return r.channel }
func (r *recorder) Notify(_ context.Context, n lereq.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return context.DeadlineExceeded
	}
	r.got = append(r.got, n)
	return nil
}

// accounts seeded into the directory of every harness.
var accounts = []platform.Account{
	{ID: "acct-1", WeChatID: "alice_wx1", DisplayName: "Alice", Phone: "+8613800138001", Email: "alice@example.com", App: "wechat", Region: "CN", Status: "active"},
	{ID: "acct-2", WeChatID: "bob_wx2", DisplayName: "Bob", Phone: "+8613800138002", App: "wechat", Region: "CN", Status: "deleted"},
	{ID: "acct-3", WeChatID: "chen_wx3", DisplayName: "Chen", Phone: "+8613800138003", App: "weixin", Region: "CN", Status: "active"},
	{ID: "acct-4", WeChatID: "dora_wx4", DisplayName: "Dora", Phone: "+14155550100", App: "wechat", Region: "US", Status: "active"},
	{ID: "acct-5", WeChatID: "eve_wx5", DisplayName: "Eve", Phone: "+14155550100", App: "wechat", Region: "US", Status: "active"},
}

func newHarness(t testing.TB, db *store.DB, opts ...func(*lereq.Config, *lereq.Deps)) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{db: db, clock: &clock{t: t0}, outbox: &lereq.Outbox{}}
	h.st = store.NewLEStore(db, h.clock.Now)
	dir := store.NewDirectory(db, h.clock.Now)
	for i := range accounts {
		a := accounts[i]
		a.RegisteredAt, a.RegistrationIP = t0.AddDate(-1, 0, 0), "192.0.2.1"
		if _, err := dir.UpsertAccounts(ctx, []platform.Account{a}); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := audit.LoadOrCreateKey(t.TempDir(), "test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	h.log, err = audit.New(store.NewAuditStore(db), keys, audit.Options{Clock: h.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.log.Close() })
	if h.blobs, err = evfs.New(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	for _, u := range []store.StaffUser{
		{Username: "lee", DisplayName: "Lee Park", Role: "le_response"},
		{Username: "mo", DisplayName: "Mo Diaz", Role: "le_response"},
		{Username: "cora", DisplayName: "Cora Legal", Role: "legal"},
		{Username: "ada", DisplayName: "Ada Admin", Role: "admin"},
	} {
		u.PasswordHash = "h"
		if _, err := db.CreateStaffUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	h.le, h.le2 = lereq.StaffActor("lee", "le_response"), lereq.StaffActor("mo", "le_response")
	h.legal, h.admin = lereq.StaffActor("cora", "legal"), lereq.StaffActor("ada", "admin")
	reg, err := lereq.ParseDotGov(strings.NewReader("Domain name,Domain type,Organization name,Suborganization name,City,State,Security contact email\r\n" +
		"fbi.gov,Federal - Executive,Federal Bureau of Investigation,,Washington,DC,(blank)\r\n" +
		"sfgov.gov,City,City of San Francisco,,San Francisco,CA,(blank)\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := lereq.Config{Allow: lereq.NewAllowList(reg, nil, nil), Argon2: fastArgon, PortalURL: "https://vigil.test", StaffEmail: map[string]string{"lee": "lee@platform.test"}}
	deps := lereq.Deps{Store: h.st, Directory: dir, Blobs: h.blobs, Audit: h.log, Mailer: h.outbox, Clock: h.clock.Now}
	for _, o := range opts {
		o(&cfg, &deps)
	}
	if h.svc, err = lereq.New(cfg, deps); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.SetRotation(ctx, h.admin, lawreq.Rotation{Members: []string{"lee", "mo"}, HandoverDay: time.Monday, HandoverHour: 9, Zone: "UTC", Anchor: t0}); err != nil {
		t.Fatal(err)
	}
	h.agency, err = h.svc.SaveAgency(ctx, h.admin, lereq.Agency{Name: "Metro Police", Jurisdiction: "Metro", Phone: "+1 202 555 0100", Domains: []string{"metro-pd.example"}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func sqliteHarness(t testing.TB, opts ...func(*lereq.Config, *lereq.Deps)) *harness {
	return newHarness(t, testkit.SQLite(t), opts...)
}

const password = "correct horse battery staple"

// onboard registers, verifies and enrols an officer; callback says whether
// the call-back is recorded too.
func (h *harness) onboard(t testing.TB, email string, callback bool) lereq.Officer {
	t.Helper()
	ctx := context.Background()
	o, err := h.svc.Register(ctx, lereq.Registration{Email: email, Name: "Det. Jo Smith", Password: password, AgencyID: h.agency.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.VerifyEmail(ctx, h.token(t, email)); err != nil {
		t.Fatal(err)
	}
	e, err := h.svc.BeginTOTP(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := auth.TOTPCode(e.Secret, h.clock.Now())
	if err := h.svc.VerifyTOTP(ctx, o.ID, code); err != nil {
		t.Fatal(err)
	}
	if callback {
		if _, err := h.svc.RecordCallback(ctx, h.le, o.ID, lereq.Callback{PhoneDialed: h.agency.Phone, Notes: "switchboard confirmed"}); err != nil {
			t.Fatal(err)
		}
	}
	return o
}

// token extracts the verification token from the newest mail to email.
func (h *harness) token(t testing.TB, email string) string {
	t.Helper()
	m, ok := h.outbox.Last(email)
	if !ok {
		t.Fatalf("no mail to %s", email)
	}
	i := strings.Index(m.Body, "token=")
	if i < 0 {
		t.Fatalf("no token in %q", m.Body)
	}
	return strings.Fields(m.Body[i+len("token="):])[0]
}

var pdf = []byte("%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")

func doc() lereq.Upload {
	return lereq.Upload{Filename: "warrant.pdf", ContentType: "application/pdf", Body: bytes.NewReader(pdf)}
}

func request(typ lawreq.RequestType, targets ...lawreq.Target) lawreq.Request {
	r := lawreq.Request{
		Type: typ, CaseNumber: "2026-CR-0042", CaseName: "State v. Example",
		Supervisor: lawreq.Contact{Name: "Sgt. Lane", Email: "lane@metro-pd.example"},
		Targets:    targets,
		Range:      lawreq.DateRange{From: t0.AddDate(0, -3, 0), To: t0.AddDate(0, 0, -1)},
	}
	switch typ {
	case lawreq.Subpoena:
		r.Requested = []lawreq.Category{lawreq.SubscriberBasic}
	case lawreq.CourtOrder2703d, lawreq.SearchWarrant:
		r.Requested = []lawreq.Category{lawreq.SubscriberBasic, lawreq.LoginMetadata}
	case lawreq.EmergencyDisclosure:
		r.Requested = []lawreq.Category{lawreq.SubscriberBasic, lawreq.LoginMetadata}
		r.Officer.Phone = "+12025550199"
		r.Emergency = &lawreq.EmergencyStatement{Danger: "A kidnapped child is held by the account holder.", WhyNow: "The child may be moved tonight.", Attested: true}
	}
	return r
}

func target(kind lawreq.TargetKind, v string) lawreq.Target {
	return lawreq.Target{Kind: kind, Value: v}
}

// auditActions returns the actions in the audit log, in order.
func (h *harness) auditActions(t *testing.T) []audit.Event {
	t.Helper()
	es, err := h.log.Entries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Event
	for _, e := range es {
		l, err := audit.DecodeLeaf(e.Leaf)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l.Event)
	}
	return out
}
