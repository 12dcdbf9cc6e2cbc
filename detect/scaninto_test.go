package detect

import (
	"reflect"
	"testing"
)

// TestScanIntoReusesNothingStale scans posts of every shape into one
// Verdict, in an order where each post follows one with more hits,
// indicators or categories, and wants exactly what a fresh Scan returns.
func TestScanIntoReusesNothingStale(t *testing.T) {
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	posts := []Post{
		{ID: "ad", Text: "专业代收代付，地下钱庄换汇，现金上门，飞机 @fast_fx88，微信 hx8899，点位1.5%，50万美金当天到"},
		{ID: "benign", Text: "今天天气很好，我们去公园散步吧。"},
		{ID: "pills", Text: "M30 blues 💊 pressed, discreet shipping, pay in USDT TNDLxhwLzgTmXNAQTsv9NDRbxNTPpKQpgW, text +1 (213) 555-0147"},
		{ID: "empty", Text: ""},
		{ID: "cas", Text: "现货 4-ANPP CAS 21409-26-7，清关到门，包过海关"},
		{ID: "plain", Text: "See you at the meeting tomorrow."},
	}
	var reused Verdict
	for _, p := range posts {
		e.ScanInto(p, &reused)
		fresh := e.Scan(p)
		if !reflect.DeepEqual(reused, fresh) {
			t.Errorf("%s: reused verdict\n%+v\nfresh\n%+v", p.ID, reused, fresh)
		}
		got, err := reused.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := fresh.AppendJSON(nil)
		if string(got) != string(want) {
			t.Errorf("%s: JSON differs:\n%s\n%s", p.ID, got, want)
		}
	}
	stale := Verdict{Scores: map[string]float64{"old": 1, "ml_broker": 0.9, "x": 2, "y": 3, "z": 4}}
	e.ScanInto(posts[1], &stale)
	if fresh := e.Scan(posts[1]); !reflect.DeepEqual(stale, fresh) {
		t.Errorf("a reused map with other keys: got %v, want %v", stale.Scores, fresh.Scores)
	}
	five := Verdict{Scores: map[string]float64{}}
	for _, c := range Categories {
		five.Scores[c] = 0.5 // the five keys, every value stale
	}
	e.ScanInto(posts[1], &five)
	if fresh := e.Scan(posts[1]); !reflect.DeepEqual(five, fresh) {
		t.Errorf("a reused map with stale values: got %v, want %v", five.Scores, fresh.Scores)
	}
	if v := e.Scan(posts[1]); v.Hits == nil || v.Indicators == nil || v.Categories == nil {
		t.Errorf("an empty list must encode as [], got nil slices: %+v", v)
	}
}
