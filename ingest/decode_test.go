package ingest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"vigil/platform"
)

func TestDecodeItemNamesTheField(t *testing.T) {
	cases := []struct{ raw, field, msg string }{
		{`{"id":"a","visiblity":"public"}`, "visiblity", "not a field of this record: the fields are id, author_id"},
		{`{"id":7}`, "id", "JSON number but must be a string"},
		{`{"media":"x"}`, "media", "must be a array"},
		{`{"created_at":"yesterday"}`, "created_at", "RFC 3339"},
		{`{"created_at":1700000000}`, "created_at", ""},
		{`[1]`, "", "each item must be a JSON object"},
		{`"text"`, "", "each item must be a JSON object"},
		{`{"id":`, "", "not valid JSON"},
		{`{"id":"a"} {"id":"b"}`, "", "more than one JSON value"},
	}
	for _, c := range cases {
		var it platform.ContentItem
		ie := decodeItem(json.RawMessage(c.raw), &it)
		if ie == nil || ie.Field != c.field || !strings.Contains(ie.Message, c.msg) {
			t.Errorf("%s: got %+v; want field %q, message containing %q", c.raw, ie, c.field, c.msg)
		}
	}
	if id := itemID(json.RawMessage(`{"id":"x1","text":5}`)); id != "x1" {
		t.Errorf("itemID = %q", id)
	}
}

// FuzzDecodeAndValidate feeds arbitrary bytes through the per-item path of
// Submit: it must never panic, and whatever it accepts must be storable
// (public or semi-public, with an id).
func FuzzDecodeAndValidate(f *testing.F) {
	f.Add([]byte(`{"id":"p1","author_id":"a","surface":"moments","visibility":"public","text":"hi","created_at":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"id":"p1","visibility":"private"}`))
	f.Add([]byte(`{"created_at":"2026-13-01T00:00:00Z"}`))
	f.Add([]byte(`[]`))
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		v := validateBatch([]json.RawMessage{raw}, false,
			func(c *platform.ContentItem) error { return c.Validate(now) },
			func(c *platform.ContentItem) string { return c.ID })
		if len(v.items)+v.res.Rejected != 1 {
			t.Fatalf("item neither accepted nor rejected: %+v", v.res)
		}
		for _, c := range v.items {
			if c.ID == "" || (c.Visibility != platform.VisibilityPublic && c.Visibility != platform.VisibilitySemiPublic) {
				t.Fatalf("accepted an unstorable item %+v", c)
			}
		}
		for _, e := range v.res.Errors {
			if e.Message == "" {
				t.Fatalf("error without a message: %+v", e)
			}
		}
	})
}
