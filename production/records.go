package production

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"time"

	"vigil/lawreq"
)

// RecordsFile is the name of the JSON file holding every record.
const RecordsFile = "records.json"

// CSVName is the file name of category c's CSV.
func CSVName(c lawreq.Category) string { return string(c) + ".csv" }

// recordsDoc is the shape of records.json.
type recordsDoc struct {
	Format      string            `json:"format"`
	Request     requestMeta       `json:"request"`
	SnapshotAt  time.Time         `json:"snapshot_at"`
	Categories  []categoryRecords `json:"categories"`
	Refused     []refusedCategory `json:"refused_categories"`
	NotProduced []NotProduced     `json:"not_produced"`
}

// requestMeta is the request as the package describes it to the reader.
type requestMeta struct {
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	TypeLabel  string           `json:"type_label"`
	CaseNumber string           `json:"case_number"`
	CaseName   string           `json:"case_name,omitempty"`
	AgencyID   string           `json:"agency_id,omitempty"`
	Agency     string           `json:"agency"`
	AgencyRef  string           `json:"agency_ref,omitempty"`
	Officer    lawreq.Contact   `json:"officer"`
	Range      lawreq.DateRange `json:"date_range"`
	Targets    []lawreq.Target  `json:"targets"`
	Document   string           `json:"legal_document_sha256,omitempty"`
}

type categoryRecords struct {
	Category lawreq.Category  `json:"category"`
	Fields   []string         `json:"fields"`
	Accounts []accountRecords `json:"accounts"`
}

type accountRecords struct {
	AccountID string `json:"account_id"`
	Records   []Row  `json:"records"`
}

type refusedCategory struct {
	Category lawreq.Category `json:"category"`
	Reason   string          `json:"reason"`
}

func (in *Input) requestMeta() requestMeta {
	r := &in.Request
	targets := r.Targets
	if targets == nil {
		targets = []lawreq.Target{}
	}
	return requestMeta{
		ID: r.ID, Type: string(r.Type), TypeLabel: r.Type.Label(), CaseNumber: r.CaseNumber,
		CaseName: r.CaseName, AgencyID: r.AgencyID, Agency: in.AgencyName, AgencyRef: r.AgencyRef,
		Officer: r.Officer, Range: r.Range, Targets: targets, Document: r.Document.SHA256,
	}
}

// byAccount groups rows by account id (sorted), keeping each account's rows
// in the order given, which the caller chooses (usually by time).
func byAccount(rows []Row) []accountRecords {
	idx := map[string]int{}
	var out []accountRecords
	for _, r := range rows {
		id := r["account_id"]
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, accountRecords{AccountID: id})
		}
		out[i].Records = append(out[i].Records, r)
	}
	slices.SortFunc(out, func(a, b accountRecords) int {
		switch {
		case a.AccountID < b.AccountID:
			return -1
		case a.AccountID > b.AccountID:
			return 1
		}
		return 0
	})
	return out
}

// encodeRecords renders records.json: every granted category (empty ones
// too, so "nothing found" is explicit), refusals and not-produced targets.
func encodeRecords(in *Input, cats []lawreq.Category) ([]byte, error) {
	doc := recordsDoc{
		Format: "vigil-production-records/1", Request: in.requestMeta(), SnapshotAt: in.SnapshotAt.UTC(),
		Categories: []categoryRecords{}, Refused: []refusedCategory{}, NotProduced: in.NotProduced,
	}
	if doc.NotProduced == nil {
		doc.NotProduced = []NotProduced{}
	}
	for _, c := range cats {
		accts := byAccount(in.Records[c])
		if accts == nil {
			accts = []accountRecords{}
		}
		doc.Categories = append(doc.Categories, categoryRecords{Category: c, Fields: lawreq.FieldNames(c), Accounts: accts})
	}
	for _, c := range sortedCategories(in.Refused) {
		doc.Refused = append(doc.Refused, refusedCategory{Category: c, Reason: in.Refused[c]})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// encodeCSV renders category c as RFC 4180 CSV (CRLF line ends, UTF-8
// without BOM): a header of every schema field in schema order, then one
// line per record, grouped by account as in records.json. Absent fields are
// empty cells. Values are written verbatim: this is evidence, and
// records.json is the authoritative copy.
func encodeCSV(c lawreq.Category, rows []Row) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	cols := lawreq.FieldNames(c)
	if err := w.Write(cols); err != nil {
		return nil, err
	}
	line := make([]string, len(cols))
	for _, a := range byAccount(rows) {
		for _, r := range a.Records {
			for i, col := range cols {
				line[i] = r[col]
			}
			if err := w.Write(line); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
