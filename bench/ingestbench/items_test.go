package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/platform"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func TestReadTextsTakesTheTextField(t *testing.T) {
	in := `{"id":"a","text":"你好 世界","lang":"zh-Hans"}` + "\n\n" + `{"id":"b","text":"  "}` + "\n" + `{"text":"hola"}` + "\n"
	got, err := ReadTexts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"你好 世界", "hola"}; !slices.Equal(got, want) {
		t.Fatalf("texts %q, want %q (blank texts skipped)", got, want)
	}
	if _, err := ReadTexts(strings.NewReader("{\"text\":\"x\"}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("a bad line must be named: %v", err)
	}
	if _, err := ReadTexts(strings.NewReader("")); err == nil {
		t.Fatal("an empty corpus must be an error")
	}
}

// Every built item must pass the server's own validation, or the benchmark
// would measure rejections instead of intake.
func TestBuiltItemsAreValidUniqueAndVaried(t *testing.T) {
	texts := []string{"selling my old bike", "今天天气很好", "¿Alguien sabe dónde comprar pan?"}
	items := BuildItems(texts, "ibtest", 5000, 1, testNow)
	ids := map[string]bool{}
	surfaces := map[string]int{}
	semi, media := 0, 0
	for i := range items {
		it := items[i]
		if err := it.Validate(testNow.Add(time.Minute)); err != nil {
			t.Fatalf("item %d does not validate: %v", i, err)
		}
		if !strings.HasPrefix(it.ID, "ibtest-") || ids[it.ID] {
			t.Fatalf("item %d id %q: must be unique and carry the run id", i, it.ID)
		}
		ids[it.ID] = true
		surfaces[it.Surface]++
		if it.Visibility == platform.VisibilitySemiPublic {
			semi++
		}
		if len(it.Media) > 0 {
			media++
		}
		if it.Surface == platform.SurfaceGroupChat && !strings.HasPrefix(it.GroupID, "ingestbench-grp-") {
			t.Fatalf("group chat item %d has group %q, not a registered bench group", i, it.GroupID)
		}
		if it.Text != texts[i%len(texts)] {
			t.Fatalf("item %d text %q: texts must cycle in order", i, it.Text)
		}
	}
	if len(surfaces) != 5 {
		t.Fatalf("surfaces %v: want all five", surfaces)
	}
	if semi < 1000 || semi > 2000 || media < 300 || media > 700 {
		t.Fatalf("semi-public %d, with media %d of 5000: mix drifted from 30%% and 10%%", semi, media)
	}
	again := BuildItems(texts, "ibtest", 5000, 1, testNow)
	if !slices.EqualFunc(items, again, func(a, b platform.ContentItem) bool {
		return a.AuthorID == b.AuthorID && a.CreatedAt.Equal(b.CreatedAt)
	}) {
		t.Fatal("the same seed must give the same items")
	}
}

func TestEncodeBatchesSplitsIntoNDJSON(t *testing.T) {
	items := BuildItems([]string{"a <b> & c"}, "ibenc", 25, 3, testNow)
	bodies, err := EncodeBatches(items, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 3 {
		t.Fatalf("%d bodies for 25 items in tens, want 3", len(bodies))
	}
	n := 0
	for bi, body := range bodies {
		if bytes.Contains(body, []byte(`\u003c`)) {
			t.Fatal("HTML escaping inflates bodies; it must be off")
		}
		sc := bufio.NewScanner(bytes.NewReader(body))
		lines := 0
		for sc.Scan() {
			var it platform.ContentItem
			if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
				t.Fatalf("body %d line %d: %v", bi, lines, err)
			}
			if it.ID != items[n].ID || it.Text != items[n].Text {
				t.Fatalf("item %d came back as %+v", n, it)
			}
			lines++
			n++
		}
		if want := min(10, 25-10*bi); lines != want {
			t.Fatalf("body %d has %d lines, want %d", bi, lines, want)
		}
	}
	if _, err := EncodeBatches(items, 0); err == nil {
		t.Fatal("batch size 0 must be refused")
	}
}

func TestGroupsBodyValidates(t *testing.T) {
	var gs []platform.Group
	if err := json.Unmarshal(GroupsBody(), &gs); err != nil {
		t.Fatal(err)
	}
	if len(gs) != Groups {
		t.Fatalf("%d groups, want %d", len(gs), Groups)
	}
	for i := range gs {
		if err := gs[i].Validate(); err != nil {
			t.Fatalf("group %d: %v", i, err)
		}
		if gs[i].ID != GroupID(i) {
			t.Fatalf("group %d id %q", i, gs[i].ID)
		}
	}
}

// The dev set is realistic input too; the loader must take it as is.
func TestReadsTheDevSet(t *testing.T) {
	const dev = "../../../shared/datasets/dev/labelled.jsonl"
	if _, err := os.Stat(dev); err != nil {
		t.Skipf("dev set absent (%v)", err)
	}
	texts, err := readTextsFile(dev)
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) < 400 {
		t.Fatalf("%d texts from the dev set, want its ~450", len(texts))
	}
}

// CountRun against a real SQLite file with the two tables it reads.
func TestCountRunCountsOnlyTheRunsIDs(t *testing.T) {
	path := t.TempDir() + "/v.db"
	db, _, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	rw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE content_items (id TEXT PRIMARY KEY)",
		"CREATE TABLE verdicts (content_id TEXT, rulepack TEXT)",
		"INSERT INTO content_items VALUES ('ib1-0000000'),('ib1-0000001'),('ib10-0000000'),('other')",
		"INSERT INTO verdicts VALUES ('ib1-0000000','a'),('ib1-0000000','b'),('ib10-0000000','a')",
	} {
		if _, err := rw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rw.Close()
	c, err := CountRun(context.Background(), path, "ib1")
	if err != nil {
		t.Fatal(err)
	}
	if c != (DBCount{Rows: 2, Distinct: 2, Verdicts: 2}) {
		t.Fatalf("counts %+v: the run id ib1 must not match ib10's items", c)
	}
}
