// Package audit is Vigil's tamper-evident audit log: every read of user data
// and every state change becomes an Event, encoded canonically as a leaf of an
// RFC 6962 Merkle tree (github.com/transparency-dev/merkle) whose roots are
// published as signed checkpoints in the C2SP tlog-checkpoint format
// (golang.org/x/mod/sumdb/note, Ed25519). Verify recomputes the tree from the
// stored leaves and names the first entry that was altered, removed or
// reordered.
//
// The package does no SQL: a Store (store.AuditStore) persists entries,
// interior tree nodes and checkpoints. Its only I/O of its own is the signing
// key file (LoadOrCreateKey).
package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"
)

// LeafVersion is the version of the canonical leaf encoding written in every
// leaf's "v" field. A change to the encoding gets a new version; Verify keeps
// accepting every version it knows.
const LeafVersion = 1

// Limits keep one event from bloating the log; they are far above what any
// caller needs (a batch of ingest records is summarised, not listed).
const (
	MaxFieldLen    = 1024      // actor, role, action, a record reference, a detail key
	MaxReasonLen   = 4096      // reason, a detail value
	MaxRecords     = 1000      // record references per event
	MaxDetail      = 64        // detail entries per event
	MaxLeafBytes   = 256 << 10 // one encoded leaf
	timePrecisionN = time.Microsecond
)

// Event is one audited action: who (Actor, Role) did what (Action) to which
// records (Records, e.g. "account:wxid_123"), why (Reason), when (At), plus
// free-form Detail. At is set by the Log's clock when zero.
type Event struct {
	Actor   string            `json:"actor"`
	Role    string            `json:"role"`
	Action  string            `json:"action"`
	Records []string          `json:"records"`
	Reason  string            `json:"reason"`
	At      time.Time         `json:"at"`
	Detail  map[string]string `json:"detail"`
}

// Leaf is an event at its position in the log: the unit that is hashed.
type Leaf struct {
	Index uint64
	Event Event
}

// leafV1 fixes the v1 encoding: fields in lexicographic key order (encoding/json
// writes struct fields in declaration order and map keys sorted), so the bytes
// are canonical JSON with sorted keys and no insignificant whitespace.
type leafV1 struct {
	Action  string            `json:"action"`
	Actor   string            `json:"actor"`
	At      string            `json:"at"`
	Detail  map[string]string `json:"detail"`
	Index   uint64            `json:"index"`
	Reason  string            `json:"reason"`
	Records []string          `json:"records"`
	Role    string            `json:"role"`
	V       int               `json:"v"`
}

// Validate reports the first field of e that cannot be logged, naming the
// field and the fix.
func (e Event) Validate() error {
	check := func(field, v string, max int, required bool) error {
		switch {
		case required && v == "":
			return &FieldError{Field: field, Msg: "is required"}
		case len(v) > max:
			return &FieldError{Field: field, Msg: fmt.Sprintf("is %d bytes; at most %d allowed", len(v), max)}
		case !utf8.ValidString(v):
			return &FieldError{Field: field, Msg: "is not valid UTF-8"}
		}
		return nil
	}
	if err := check("actor", e.Actor, MaxFieldLen, true); err != nil {
		return err
	}
	if err := check("role", e.Role, MaxFieldLen, false); err != nil {
		return err
	}
	if err := check("action", e.Action, MaxFieldLen, true); err != nil {
		return err
	}
	if err := check("reason", e.Reason, MaxReasonLen, false); err != nil {
		return err
	}
	if len(e.Records) > MaxRecords {
		return &FieldError{Field: "records", Msg: fmt.Sprintf("has %d references; at most %d allowed (log a summary reference instead)", len(e.Records), MaxRecords)}
	}
	for i, r := range e.Records {
		if err := check(fmt.Sprintf("records[%d]", i), r, MaxFieldLen, true); err != nil {
			return err
		}
	}
	if len(e.Detail) > MaxDetail {
		return &FieldError{Field: "detail", Msg: fmt.Sprintf("has %d entries; at most %d allowed", len(e.Detail), MaxDetail)}
	}
	for _, k := range sortedKeys(e.Detail) {
		v := e.Detail[k]
		if err := check("detail key", k, MaxFieldLen, true); err != nil {
			return err
		}
		if err := check("detail["+k+"]", v, MaxReasonLen, false); err != nil {
			return err
		}
	}
	if e.At.IsZero() {
		return &FieldError{Field: "at", Msg: "is required"}
	}
	if y := e.At.UTC().Year(); y < 1 || y > 9999 {
		return &FieldError{Field: "at", Msg: "is outside years 0001-9999"}
	}
	return nil
}

// normalize returns e in the form that is stored: time in UTC at microsecond
// precision (what both SQLite and PostgreSQL keep), empty collections non-nil
// so that they encode as [] and {}.
func (e Event) normalize() Event {
	e.At = e.At.UTC().Truncate(timePrecisionN)
	recs := make([]string, len(e.Records)) // never nil: encodes as []
	copy(recs, e.Records)
	e.Records = recs
	d := make(map[string]string, len(e.Detail))
	for k, v := range e.Detail {
		d[k] = v
	}
	e.Detail = d
	return e
}

// EncodeLeaf returns the canonical v1 encoding of the event at index: a JSON
// object with sorted keys, UTC RFC 3339 time with nanosecond syntax, HTML
// characters not escaped. The encoding is what the Merkle leaf hash covers.
func EncodeLeaf(index uint64, e Event) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e = e.normalize()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(leafV1{
		Action: e.Action, Actor: e.Actor, At: e.At.Format(time.RFC3339Nano),
		Detail: e.Detail, Index: index, Reason: e.Reason, Records: e.Records,
		Role: e.Role, V: LeafVersion,
	})
	if err != nil {
		return nil, fmt.Errorf("encode audit leaf: %w", err)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(b) > MaxLeafBytes {
		return nil, &FieldError{Field: "event", Msg: fmt.Sprintf("encodes to %d bytes; at most %d allowed", len(b), MaxLeafBytes)}
	}
	return b, nil
}

// DecodeLeaf parses a stored leaf and checks that it is in canonical form
// (re-encoding yields the same bytes), so that two different byte strings
// never claim to be the same event.
func DecodeLeaf(b []byte) (Leaf, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var v leafV1
	if err := dec.Decode(&v); err != nil {
		return Leaf{}, fmt.Errorf("leaf is not a v%d audit leaf: %w", LeafVersion, err)
	}
	if dec.More() {
		return Leaf{}, errors.New("leaf has trailing data")
	}
	if v.V != LeafVersion {
		return Leaf{}, fmt.Errorf("leaf version %d is unknown (this build reads v%d)", v.V, LeafVersion)
	}
	at, err := time.Parse(time.RFC3339Nano, v.At)
	if err != nil {
		return Leaf{}, fmt.Errorf("leaf time: %w", err)
	}
	l := Leaf{Index: v.Index, Event: Event{
		Actor: v.Actor, Role: v.Role, Action: v.Action, Records: v.Records,
		Reason: v.Reason, At: at, Detail: v.Detail,
	}}
	again, err := EncodeLeaf(l.Index, l.Event)
	if err != nil {
		return Leaf{}, fmt.Errorf("leaf content invalid: %w", err)
	}
	if !bytes.Equal(again, b) {
		return Leaf{}, errors.New("leaf is not in canonical form")
	}
	return l, nil
}

// FieldError says which event field is unacceptable and why.
type FieldError struct {
	Field, Msg string
}

func (e *FieldError) Error() string { return "audit event: " + e.Field + " " + e.Msg }

// sortedKeys returns m's keys in order (used where a stable order matters).
func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
