package lawreq

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"vigil/errs"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// wantScope is the legal brief's table written out independently of
// scopeMatrix, so a change to either one fails this test.
var wantScope = map[RequestType]map[Category]Grant{
	Subpoena:              {SubscriberBasic: Always},
	CourtOrder2703d:       {SubscriberBasic: Always, LoginMetadata: Always, AccountHistory: Always, GroupMemberships: Always},
	SearchWarrant:         {SubscriberBasic: Always, LoginMetadata: Always, AccountHistory: Always, GroupMemberships: Always, Content: Always},
	EmergencyDisclosure:   {SubscriberBasic: IfApproved, LoginMetadata: IfApproved, AccountHistory: IfApproved, GroupMemberships: IfApproved, Content: IfApprovedWithReason},
	Preservation2703f:     {},
	PreservationExtension: {},
}

func TestScopeMatrixWholeTable(t *testing.T) {
	if len(scopeMatrix) != len(RequestTypes()) {
		t.Fatalf("scope matrix has %d rows, want one per request type (%d)", len(scopeMatrix), len(RequestTypes()))
	}
	for _, typ := range RequestTypes() {
		var allowed []Category
		for _, c := range Categories() {
			want := wantScope[typ][c] // Never when absent
			if got := GrantOf(typ, c); got != want {
				t.Errorf("GrantOf(%s, %s) = %s, want %s", typ, c, got, want)
			}
			if want != Never {
				allowed = append(allowed, c)
			}
		}
		if got := Allowed(typ); !slices.Equal(got, allowed) {
			t.Errorf("Allowed(%s) = %v, want %v", typ, got, allowed)
		}
	}
	if GrantOf("bogus", SubscriberBasic) != Never || GrantOf(SearchWarrant, "bogus") != Never || Allowed("bogus") != nil {
		t.Error("unknown process or category must grant nothing")
	}
}

// TestCheckScopeWalksTable asks every process for every category, alone,
// and checks the decision and that a refusal says why.
func TestCheckScopeWalksTable(t *testing.T) {
	approvals := map[string]*EmergencyApproval{
		"none":           nil,
		"records":        {Approver: "c1", Basis: "b", Categories: []Category{SubscriberBasic, LoginMetadata}},
		"content-reason": {Approver: "c1", Basis: "b", Categories: []Category{SubscriberBasic, Content}, ContentReason: "the last messages say where she is"},
		"content-bare":   {Approver: "c1", Basis: "b", Categories: []Category{Content}},
	}
	for _, typ := range RequestTypes() {
		for name, a := range approvals {
			req := &Request{Type: typ, EmergencyApproval: a}
			for _, c := range Categories() {
				granted, refused, reasons := CheckScope(req, []Category{c})
				want := false
				switch GrantOf(typ, c) {
				case Always:
					want = true
				case IfApproved:
					want = a != nil && slices.Contains(a.Categories, c)
				case IfApprovedWithReason:
					want = a != nil && slices.Contains(a.Categories, c) && a.ContentReason != ""
				}
				if got := len(granted) == 1; got != want || len(granted)+len(refused) != 1 {
					t.Errorf("%s/%s/%s: granted=%v refused=%v, want granted %v", typ, name, c, granted, refused, want)
				}
				if !want && reasons[c] == "" {
					t.Errorf("%s/%s/%s: refused without a reason", typ, name, c)
				}
				if want && len(reasons) != 0 {
					t.Errorf("%s/%s/%s: granted but reasons %v", typ, name, c, reasons)
				}
			}
		}
	}
}

func TestCheckScopeMixed(t *testing.T) {
	req := &Request{Type: Subpoena}
	granted, refused, reasons := CheckScope(req, []Category{Content, SubscriberBasic, "dms", SubscriberBasic, LoginMetadata})
	if !slices.Equal(granted, []Category{SubscriberBasic}) || !slices.Equal(refused, []Category{Content, "dms", LoginMetadata}) {
		t.Fatalf("granted %v refused %v", granted, refused)
	}
	for c, hint := range map[Category]string{Content: "needs a search warrant", "dms": "not a data category", LoginMetadata: "§ 2703(d)"} {
		if !strings.Contains(reasons[c], hint) {
			t.Errorf("reason for %s = %q, want it to mention %q", c, reasons[c], hint)
		}
	}
	_, _, reasons = CheckScope(&Request{Type: Preservation2703f}, []Category{SubscriberBasic})
	if !strings.Contains(reasons[SubscriberBasic], "preservation produces nothing") {
		t.Errorf("preservation reason = %q", reasons[SubscriberBasic])
	}
	_, _, reasons = CheckScope(&Request{Type: EmergencyDisclosure, EmergencyApproval: &EmergencyApproval{Categories: []Category{Content}}}, []Category{Content})
	if !strings.Contains(reasons[Content], "stated reason") {
		t.Errorf("bare content approval reason = %q", reasons[Content])
	}
}

func TestFieldSchemas(t *testing.T) {
	for _, c := range Categories() {
		names := FieldNames(c)
		if len(names) == 0 || names[0] != "account_id" {
			t.Errorf("%s: schema %v must start with account_id", c, names)
		}
		sorted := slices.Clone(names)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(names) {
			t.Errorf("%s: duplicate field in %v", c, names)
		}
		for _, f := range FieldSchema(c) {
			if f.Basis == "" {
				t.Errorf("%s.%s has no stated basis", c, f.Name)
			}
		}
	}
	// Fields that need more than a subpoena must not hide in subscriber_basic.
	for _, f := range []string{"ip", "device_id", "login_at", "group_id", "text", "media", "old_value"} {
		if slices.Contains(FieldNames(SubscriberBasic), f) {
			t.Errorf("subscriber_basic contains %s", f)
		}
	}
	if FieldSchema("bogus") != nil {
		t.Error("unknown category has a schema")
	}
}

// TestCheckRecordWalksTable builds, for every process, a production of every
// category with every schema field, and checks only the table's cells pass.
func TestCheckRecordWalksTable(t *testing.T) {
	for _, typ := range RequestTypes() {
		req := &Request{Type: typ, EmergencyApproval: &EmergencyApproval{Categories: Categories(), ContentReason: "r"}}
		granted, _, _ := CheckScope(req, Categories())
		for _, c := range Categories() {
			err := CheckRecord(granted, c, FieldNames(c))
			if ok := GrantOf(typ, c) != Never; ok != (err == nil) {
				t.Errorf("%s/%s: CheckRecord = %v, want allowed=%v", typ, c, err, ok)
			}
			if err != nil && !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s/%s: kind %v, want forbidden", typ, c, errs.KindOf(err))
			}
		}
	}
	// A subpoena production that slips a login IP into subscriber records fails, naming the field.
	granted, _, _ := CheckScope(&Request{Type: Subpoena}, []Category{SubscriberBasic})
	err := CheckRecord(granted, SubscriberBasic, []string{"account_id", "phone", "ip"})
	if err == nil || !strings.HasPrefix(err.Error(), "ip: is not a subscriber_basic field") {
		t.Errorf("CheckRecord with ip = %v", err)
	}
}

func TestEmergencyApprovalValidate(t *testing.T) {
	cases := []struct {
		a    EmergencyApproval
		want []string
	}{
		{EmergencyApproval{Approver: "c-1", Basis: "credible threat to life", Categories: []Category{SubscriberBasic}}, nil},
		{EmergencyApproval{}, []string{"emergency_approval.approver", "emergency_approval.basis", "emergency_approval.categories"}},
		{EmergencyApproval{Approver: "c-1", Basis: "b", Categories: []Category{"x", SubscriberBasic, SubscriberBasic}},
			[]string{"emergency_approval.categories[0]", "emergency_approval.categories[2]"}},
		{EmergencyApproval{Approver: "c-1", Basis: "b", Categories: []Category{Content}, ContentReason: "  "},
			[]string{"emergency_approval.content_reason"}},
	}
	for i, c := range cases {
		if got := fields(c.a.Validate()); !slices.Equal(got, c.want) {
			t.Errorf("case %d: fields %q, want %q", i, got, c.want)
		}
	}
}

func TestScopeMarkdownGolden(t *testing.T) {
	got := ScopeMarkdown(ScopeTable())
	if n := strings.Count(got, "\n| `"); n != len(RequestTypes()) {
		t.Errorf("%d process rows, want %d", n, len(RequestTypes()))
	}
	path := filepath.Join("testdata", "scope.md")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("ScopeMarkdown differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}
