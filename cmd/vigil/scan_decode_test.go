package main

import (
	"encoding/json"
	"testing"
)

// checkDecodeFast asserts that whenever the fast decoder accepts a line,
// encoding/json accepts it too and decodes the same values.
func checkDecodeFast(t *testing.T, line []byte) (accepted bool) {
	t.Helper()
	got, ok := decodeFast(string(line))
	if !ok {
		return false
	}
	var in scanInput
	if err := json.Unmarshal(line, &in); err != nil {
		t.Fatalf("%q: fast path accepted what encoding/json rejects: %v", line, err)
	}
	var id string
	if err := json.Unmarshal(in.ID, &id); err != nil || in.Text == nil {
		t.Fatalf("%q: fast path accepted a line without a string id and text", line)
	}
	want := fastInput{id: id, text: *in.Text, lang: in.Lang, surface: in.Surface}
	if got != want {
		t.Fatalf("%q: fast %+v, encoding/json %+v", line, got, want)
	}
	return true
}

func TestDecodeFast(t *testing.T) {
	for _, c := range []struct {
		line string
		fast bool
	}{
		{`{"id":"a","text":"hello"}`, true},
		{"  {\"id\" : \"a\" ,\t\"text\":\"中文 🐾\", \"lang\":\"zh-Hans\",\"surface\":\"moment\"}\r\n", true},
		{`{"id":"a","text":"t","labels":["x",{"y":[1,-2.5e+3,0,true,false,null]}],"n":{}}`, true},
		{`{"id":"a","text":"t","note":"esc \" \\ \/ \n \u00e9"}`, true},
		{`{"id":"","text":"t"}`, true}, // the caller reports the empty id
		{`{"id":"a","text":"line\nbreak"}`, false},
		{`{"id":"a","text":"bad ` + "\xff" + `"}`, false},
		{`{"ID":"a","text":"t"}`, false},
		{`{"id":"a","TEXT":"t"}`, false},
		{`{"id":"a","text":"t","ſurface":"x"}`, false}, // folds to "surface" in encoding/json
		{`{"id":"a","text":"t","text":"u"}`, false},
		{`{"id":null,"text":"t"}`, false},
		{`{"id":5,"text":"t"}`, false},
		{`{"id":"a","text":null}`, false},
		{`{"id":"a"}`, false},
		{`{"id":"a","text":"t","lang":5}`, false},
		{`{"id":"a","text":"t","k":01}`, false},
		{`{"id":"a","text":"t","k":1.}`, false},
		{`{"id":"a","text":"t","k":tru}`, false},
		{`{"id":"a","text":"t","k":"\q"}`, false},
		{`{"id":"a","text":"t",}`, false},
		{`{"id":"a","text":"t"} x`, false},
		{`{"id":"a","text":"t"`, false},
		{`[1]`, false},
		{"{\"id\":\"a\",\"text\":\"ctrl\x01\"}", false},
	} {
		if got := checkDecodeFast(t, []byte(c.line)); got != c.fast {
			t.Errorf("%q: fast path %v, want %v", c.line, got, c.fast)
		}
	}
}

func FuzzDecodeFast(f *testing.F) {
	f.Add([]byte(`{"id":"a","text":"hello","lang":"es","x":[1,{"y":null}]}`))
	f.Add([]byte(`{"id":"a","text":"t","k":-0.5E-7}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		checkDecodeFast(t, line)
	})
}
