package model

import (
	"bytes"
	"testing"
)

// FuzzLoad: any input either loads into a model that re-encodes to the
// same bytes and scores sanely, or is rejected with an error; never a panic.
func FuzzLoad(f *testing.F) {
	enc := encode(f, mustTrain(f, synthetic()[:40], TrainOptions{Buckets: 1 << 10, Epochs: 2}))
	f.Add(enc)
	f.Add(enc[:len(enc)/2])
	f.Add([]byte(magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Load(bytes.NewReader(b))
		if err != nil {
			return
		}
		again, _ := m.MarshalBinary()
		if !bytes.Equal(again, b) {
			t.Fatalf("accepted input does not re-encode to itself")
		}
		for _, p := range m.Scores("usdt 现金 21409-26-7", nil) {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("score %v", p)
			}
		}
	})
}

// FuzzScores: arbitrary text never panics and always yields probabilities.
func FuzzScores(f *testing.F) {
	m := mustTrain(f, synthetic(), TrainOptions{Buckets: 1 << 10, Epochs: 3})
	for _, s := range benchPosts {
		f.Add(s)
	}
	f.Add("\xff\xfe\x00 12-34-5 ^$ " + string(rune(0x10ffff)))
	f.Fuzz(func(t *testing.T, s string) {
		out := m.Scores(s, nil)
		for _, p := range out {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("%q: score %v", s, p)
			}
		}
	})
}
