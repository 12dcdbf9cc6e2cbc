package production

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"vigil/errs"
	"vigil/lawreq"
)

// unzip returns the package's files by name, and their order.
func unzip(t *testing.T, pkg []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
		names = append(names, f.Name)
		if !f.Modified.Equal(snapshot) {
			t.Errorf("%s: ZIP time %v, want the snapshot time %v", f.Name, f.Modified, snapshot)
		}
	}
	return out, names
}

func TestBuildContents(t *testing.T) {
	pkg, m := build(t, courtOrderInput(t))
	files, names := unzip(t, pkg)
	want := []string{"certification-902-11.pdf", "cover-letter.pdf", "login_metadata.csv", "manifest.json", "manifest.sig", "records.json", "subscriber_basic.csv"}
	if !slices.Equal(names, want) {
		t.Fatalf("entries %v, want %v (sorted)", names, want)
	}
	if len(m.Files) != 5 || !slices.Equal(m.Categories, []lawreq.Category{lawreq.SubscriberBasic, lawreq.LoginMetadata}) {
		t.Fatalf("manifest files %d categories %v", len(m.Files), m.Categories)
	}
	for _, e := range m.Files {
		if got := entryFor(e.Name, files[e.Name]); got != e {
			t.Errorf("manifest entry %+v, file gives %+v", e, got)
		}
	}
	var mj Manifest
	if err := json.Unmarshal(files[ManifestFile], &mj); err != nil {
		t.Fatal(err)
	}
	if mj.RequestID != "req-0042" || mj.CaseNumber != "2026-CR-0142" || mj.Agency == "" || !mj.CreatedAt.Equal(created) ||
		!mj.SnapshotAt.Equal(snapshot) || mj.Producer.Version != "1.2.3" || mj.Audit == nil || mj.Audit.LogIndex != 17 {
		t.Errorf("manifest.json metadata: %+v", mj)
	}

	// CSV: RFC 4180 with CRLF, no BOM, header = the full schema, rows grouped by account.
	sub := files["subscriber_basic.csv"]
	if bytes.HasPrefix(sub, []byte("\xEF\xBB\xBF")) || !bytes.Contains(sub, []byte("\r\n")) {
		t.Errorf("subscriber_basic.csv must be UTF-8 without BOM and CRLF-terminated")
	}
	rows, err := csv.NewReader(bytes.NewReader(sub)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], lawreq.FieldNames(lawreq.SubscriberBasic)) {
		t.Errorf("header %v, want the schema order", rows[0])
	}
	if len(rows) != 3 || rows[1][0] != "acct-1" || rows[2][0] != "acct-2" || rows[1][2] != `Lucky, "Dragon"` {
		t.Errorf("subscriber rows %q", rows[1:])
	}
	if !strings.Contains(string(sub), `"Lucky, ""Dragon"""`) {
		t.Errorf("quotes and commas not escaped per RFC 4180:\n%s", sub)
	}
	logins, _ := csv.NewReader(bytes.NewReader(files["login_metadata.csv"])).ReadAll()
	if len(logins) != 4 || logins[1][1] != "acct-1-l1" || logins[2][1] != "acct-1-l2" || logins[3][1] != "acct-2-l1" {
		t.Errorf("login rows must be grouped by account, in given order: %q", logins)
	}

	// records.json: grouped by category then account, with the request and what was not produced.
	var rec struct {
		Request struct {
			ID     string `json:"id"`
			Agency string `json:"agency"`
		} `json:"request"`
		Categories []struct {
			Category lawreq.Category `json:"category"`
			Accounts []struct {
				AccountID string              `json:"account_id"`
				Records   []map[string]string `json:"records"`
			} `json:"accounts"`
		} `json:"categories"`
		Refused     []refusedCategory `json:"refused_categories"`
		NotProduced []NotProduced     `json:"not_produced"`
	}
	if err := json.Unmarshal(files[RecordsFile], &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Request.ID != "req-0042" || rec.Request.Agency == "" || len(rec.Categories) != 2 ||
		rec.Categories[1].Category != lawreq.LoginMetadata || len(rec.Categories[1].Accounts) != 2 ||
		len(rec.Categories[1].Accounts[0].Records) != 2 || rec.Categories[1].Accounts[0].Records[1]["ip"] != "198.51.100.2" {
		t.Errorf("records.json grouping: %+v", rec)
	}
	if len(rec.Refused) != 1 || rec.Refused[0].Category != lawreq.Content {
		t.Errorf("refused %+v", rec.Refused)
	}
	if len(rec.NotProduced) != 1 || rec.NotProduced[0].Outcome != lawreq.NotProducibleWx || !strings.Contains(rec.NotProduced[0].Reason, "Weixin") {
		t.Errorf("the Weixin account must be listed with its explanation: %+v", rec.NotProduced)
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a, _ := build(t, courtOrderInput(t))
	b, _ := build(t, courtOrderInput(t))
	if !bytes.Equal(a, b) {
		t.Fatal("the same input built two different packages")
	}
	in := courtOrderInput(t)
	in.Records[lawreq.SubscriberBasic][0]["status"] = "suspended"
	c, _ := build(t, in)
	if bytes.Equal(a, c) {
		t.Fatal("a changed record did not change the package")
	}
}

func TestBuildEnforcesScope(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Input)
		kind  errs.Kind
		field string // the field the error must name
		text  string // part of the message
	}{
		{"ip in subpoena subscriber rows", func(in *Input) {
			in.Request.Type = lawreq.Subpoena
			in.Granted = []lawreq.Category{lawreq.SubscriberBasic}
			delete(in.Records, lawreq.LoginMetadata)
			in.Records[lawreq.SubscriberBasic][1]["ip"] = "198.51.100.7"
		}, errs.Forbidden, "ip", "is not a subscriber_basic field"},
		{"records of a category not granted", func(in *Input) {
			in.Granted = []lawreq.Category{lawreq.SubscriberBasic}
		}, errs.Forbidden, "", "category login_metadata is not within the approved scope"},
		{"granted beyond the table for a subpoena", func(in *Input) {
			in.Request.Type = lawreq.Subpoena
		}, errs.Forbidden, "", "login_metadata cannot be produced"},
		{"content on a court order", func(in *Input) {
			in.Granted = append(in.Granted, lawreq.Content)
		}, errs.Forbidden, "", "needs a search warrant"},
		{"emergency category the approver did not record", func(in *Input) {
			in.Request.Type = lawreq.EmergencyDisclosure
			in.Request.EmergencyApproval = &lawreq.EmergencyApproval{Approver: "u1", Basis: "b", Categories: []lawreq.Category{lawreq.SubscriberBasic}}
		}, errs.Forbidden, "", "approver did not record login_metadata"},
		{"preservation produces nothing", func(in *Input) {
			in.Request.Type = lawreq.Preservation2703f
		}, errs.Forbidden, "", "produces nothing"},
		{"records of a Weixin account", func(in *Input) {
			in.Records[lawreq.SubscriberBasic] = append(in.Records[lawreq.SubscriberBasic], subscriberRow("wx-9"))
		}, errs.Forbidden, "records.subscriber_basic[2].account_id", "not producible"},
		{"row without account", func(in *Input) {
			delete(in.Records[lawreq.LoginMetadata][0], "account_id")
		}, errs.Invalid, "records.login_metadata[0].account_id", "required"},
		{"invalid UTF-8", func(in *Input) {
			in.Records[lawreq.SubscriberBasic][0]["display_name"] = "\xff"
		}, errs.Invalid, "records.subscriber_basic[0].display_name", "UTF-8"},
		{"refused and granted", func(in *Input) {
			in.Refused[lawreq.LoginMetadata] = "x"
		}, errs.Invalid, "refused.login_metadata", "either produced or refused"},
		{"login outside the date range", func(in *Input) {
			in.Records[lawreq.LoginMetadata][2]["login_at"] = "2026-01-02T03:04:05Z"
		}, errs.Forbidden, "records.login_metadata[2].login_at", "outside the request's date range"},
		{"login time not RFC 3339", func(in *Input) {
			in.Records[lawreq.LoginMetadata][0]["login_at"] = "24/11/2026"
		}, errs.Invalid, "records.login_metadata[0].login_at", "RFC 3339"},
		{"no custodian", func(in *Input) { in.Custodian.Name = " " }, errs.Invalid, "custodian.name", "required"},
		{"no key", func(in *Input) { in.Key = nil }, errs.Invalid, "key", "required"},
		{"no snapshot", func(in *Input) { in.SnapshotAt = snapshot.AddDate(-100, 0, 0) }, errs.Invalid, "snapshot_at", "ZIP"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := courtOrderInput(t)
			c.edit(&in)
			var buf bytes.Buffer
			_, err := Build(&buf, in)
			if err == nil {
				t.Fatal("Build succeeded; want it to refuse")
			}
			if k := errs.KindOf(err); k != c.kind {
				t.Errorf("kind %v, want %v (%v)", k, c.kind, err)
			}
			var e *errs.Error
			if !errorsAs(err, &e) || e.Field != c.field || !strings.Contains(err.Error(), c.text) {
				t.Errorf("error %q (field %q), want field %q and text %q", err, fieldOf(e), c.field, c.text)
			}
			if buf.Len() != 0 {
				t.Errorf("a refused build wrote %d bytes", buf.Len())
			}
		})
	}
}

// TestBuildEveryScopeCell walks the whole scope table: for each process,
// a package of each category builds exactly when the table grants it.
func TestBuildEveryScopeCell(t *testing.T) {
	row := map[lawreq.Category]Row{
		lawreq.SubscriberBasic:  {"account_id": "a1", "display_name": "x"},
		lawreq.LoginMetadata:    {"account_id": "a1", "ip": "192.0.2.1"},
		lawreq.AccountHistory:   {"account_id": "a1", "change": "phone"},
		lawreq.GroupMemberships: {"account_id": "a1", "group_id": "g1"},
		lawreq.Content:          {"account_id": "a1", "text": "hello"},
	}
	for _, typ := range lawreq.RequestTypes() {
		for _, c := range lawreq.Categories() {
			in := courtOrderInput(t)
			in.Request.Type = typ
			in.Granted = []lawreq.Category{c}
			in.Refused = nil
			in.Records = map[lawreq.Category][]Row{c: {row[c]}}
			if typ == lawreq.EmergencyDisclosure {
				in.Request.EmergencyApproval = &lawreq.EmergencyApproval{Approver: "u1", Basis: "b", Categories: lawreq.Categories(), ContentReason: "r"}
			}
			_, err := Build(io.Discard, in)
			if want := lawreq.GrantOf(typ, c) != lawreq.Never; (err == nil) != want {
				t.Errorf("%s × %s: Build error %v, table grant %v", typ, c, err, lawreq.GrantOf(typ, c))
			} else if err != nil && !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s × %s: error kind %v, want forbidden", typ, c, errs.KindOf(err))
			}
		}
	}
}

func TestBuildEmptyCategoryIsExplicit(t *testing.T) {
	in := courtOrderInput(t)
	delete(in.Records, lawreq.LoginMetadata)
	pkg, _ := build(t, in)
	files, _ := unzip(t, pkg)
	if got := string(files["login_metadata.csv"]); got != strings.Join(lawreq.FieldNames(lawreq.LoginMetadata), ",")+"\r\n" {
		t.Errorf("an empty granted category must still have its CSV header: %q", got)
	}
}
