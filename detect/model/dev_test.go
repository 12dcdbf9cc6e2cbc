package model

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

const devSet = "../../../shared/datasets/dev/labelled.jsonl"

// loadDev reads the dev set and splits it with Holdout. The model package
// sees raw (un-normalised) text here; the train command normalises.
func loadDev(t testing.TB) (train, held []Example) {
	t.Helper()
	f, err := os.Open(devSet)
	if os.IsNotExist(err) {
		t.Skipf("dev set %s absent", devSet)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var row struct {
			ID     string   `json:"id"`
			Text   string   `json:"text"`
			Labels []string `json:"labels"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		ex := Example{ID: row.ID, Text: row.Text, Labels: row.Labels}
		if Holdout(ex.ID) {
			held = append(held, ex)
		} else {
			train = append(train, ex)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return train, held
}
