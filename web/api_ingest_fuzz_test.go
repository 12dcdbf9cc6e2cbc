package web

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzIngestBody checks the body readers on arbitrary input: they never
// panic, and what readJSONArray returns is exactly the array's elements.
func FuzzIngestBody(f *testing.F) {
	f.Add([]byte(`[{"id":"a"},{"id":"b"}]`))
	f.Add([]byte("{\"id\":\"a\"}\n{\"id\":\"b\"}\n"))
	f.Add([]byte(`[`))
	f.Add([]byte(" \n[ ] "))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := readJSONArray(bytes.NewReader(body))
		if err == nil {
			re, merr := json.Marshal(items)
			if merr != nil {
				t.Fatalf("accepted elements are not JSON: %v", merr)
			}
			var a, b any
			if json.Unmarshal(re, &a) != nil || json.Unmarshal(body, &b) != nil {
				t.Fatal("accepted body does not round-trip")
			}
		}
		lines, _ := readNDJSON(bytes.NewReader(body))
		for _, l := range lines {
			if len(bytes.TrimSpace(l)) != len(l) || len(l) == 0 {
				t.Fatalf("NDJSON line not trimmed or empty: %q", l)
			}
		}
	})
}
