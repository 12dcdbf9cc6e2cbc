package normalize

import "testing"

// checkLeetCandidate asserts that the pre-check never hides a token that
// leetPositions would decode.
func checkLeetCandidate(t *testing.T, text string) {
	t.Helper()
	main := Build(text).Text
	if pos := leetPositions(nil, main); len(pos) > 0 && !leetCandidate(main) {
		t.Fatalf("%q (main view %q): leetPositions %v but the pre-check says no leet", text, main, pos)
	}
}

func TestLeetCandidate(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"c4sh", true},
		{"m1rr0r", true},
		{"ÉX1TO", true}, // a Latin letter before the leet digit
		{"c$$h", true},
		{"4 cash 100 usdt", false},
		{"微信123 电话 138-0013-8000", false},
		{"41661-47-6 7.25", false},
		{"", false},
		{"0", false},
	} {
		main := Build(c.text).Text
		if got := leetCandidate(main); got != c.want {
			t.Errorf("leetCandidate(%q) = %v, want %v", main, got, c.want)
		}
		checkLeetCandidate(t, c.text)
	}
}

func FuzzLeetCandidate(f *testing.F) {
	for _, s := range []string{"c4sh", "cr1pt0 @gent", "ÉX1TO", "b2b c4$h", "user@example.org", "m30s a320neo", "微信c4sh"} {
		f.Add(s)
	}
	f.Fuzz(checkLeetCandidate)
}
