package detect

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// reflectJSON encodes v with encoding/json, the reference the hand-written
// encoder must match byte for byte.
func reflectJSON(t testing.TB, v Verdict) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func checkVerdictJSON(t testing.TB, v Verdict) {
	t.Helper()
	got, err := v.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := reflectJSON(t, v); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON:\n got %s\nwant %s", got, want)
	}
}

func TestVerdictJSONMatchesEncodingJSON(t *testing.T) {
	odd := "a\"b\\c\x00\x01\b\f\n\r\t\x1f\x7f <tag>&amp; \u2028\u2029 é 中文 🐾 \xff\xfe bad \xe4\xb8"
	cases := []Verdict{
		{},
		{ID: "x", Categories: []string{}, Scores: map[string]float64{}, Hits: []Hit{}, Indicators: []Indicator{}},
		{
			ID: odd, Flagged: true, Categories: []string{"ml_broker", odd},
			Scores: map[string]float64{"ml_broker": 0.5, "bulk_cash": 1, "crypto_cashout": 0, "drug_sale": 1e-7, "precursor_sale": 0.12345678,
				"zz": 1e21, "aa": -2.5e-9, odd: 123456789},
			Hits: []Hit{{Rule: "r1", Category: "c", Start: 3, End: 9, Match: odd, Evasion: []string{"leet_decoded", odd}},
				{Rule: "r2", Evasion: []string{}}},
			Indicators: []Indicator{{Type: "phone", Value: odd, Normalized: "+1", Valid: true, Detail: "d<>", Start: -1, End: 1 << 40}, {}},
			RulePack:   "rp-<1>", Model: "m&",
		},
		{ID: "five", Scores: map[string]float64{"ml_broker": 0.9, "bulk_cash": 0.1, "crypto_cashout": 0.0001, "drug_sale": 0.25, "other": 1}},
		{ID: "all five, zeros", Scores: map[string]float64{"ml_broker": 0, "bulk_cash": math.Copysign(0, -1), "crypto_cashout": 1, "drug_sale": 0.5, "precursor_sale": 1e-7}},
		{ID: "four", Scores: map[string]float64{"ml_broker": 0.9, "bulk_cash": 0.1, "crypto_cashout": 0.0001, "drug_sale": 0.25}},
	}
	for _, v := range cases {
		checkVerdictJSON(t, v)
	}
}

// TestVerdictJSONOnDevSet compares the encoders on every real verdict of
// the dev set.
func TestVerdictJSONOnDevSet(t *testing.T) {
	rows := loadDev(t)
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		checkVerdictJSON(t, e.Scan(Post{ID: r.ID, Text: r.Text, Lang: r.Lang}))
	}
}

func TestVerdictJSONRejectsNaN(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		v := Verdict{Scores: map[string]float64{"ml_broker": f}}
		if _, err := v.AppendJSON(nil); err == nil {
			t.Errorf("score %v: no error", f)
		}
	}
}

func FuzzVerdictJSON(f *testing.F) {
	f.Add("id", "match", "value", 0.5)
	f.Add("\u2028<", "\xff\x00", "\"", 1e-9)
	f.Fuzz(func(t *testing.T, id, match, value string, score float64) {
		if math.IsNaN(score) || math.IsInf(score, 0) {
			return
		}
		checkVerdictJSON(t, Verdict{ID: id, Categories: []string{match}, Scores: map[string]float64{value: score, "ml_broker": score},
			Hits: []Hit{{Rule: id, Match: match, Evasion: []string{value}}}, Indicators: []Indicator{{Value: value, Detail: match}}})
		all := map[string]float64{}
		for i, c := range Categories {
			all[c] = score * float64(i)
		}
		checkVerdictJSON(t, Verdict{ID: id, Scores: all})
	})
}
