//go:build stagebench

// The consumer's stages one by one, in process, on the benchmark's own items:
// where a stored item's CPU goes between the content insert, the detection
// engine and the verdict insert. Behind a build tag because it imports the
// store, which the load generator deliberately does not:
//
//	go test -tags stagebench -run '^$' -bench Stage -benchtime 20x ./bench/ingestbench/
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"vigil/detect"
	"vigil/platform"
	"vigil/store"
)

const stageBatch = 1000

func stageItems(b *testing.B, run string) []platform.ContentItem {
	b.Helper()
	corpus := os.Getenv("INGESTBENCH_CORPUS")
	var texts []string
	var err error
	if corpus != "" {
		texts, err = readTextsFile(corpus)
	} else {
		texts, err = readTextsFile("../../../shared/datasets/dev/labelled.jsonl")
	}
	if err != nil {
		b.Skipf("no texts: %v (set INGESTBENCH_CORPUS)", err)
	}
	return BuildItems(texts, run, b.N*stageBatch, 1, time.Now())
}

func openSQLite(b *testing.B) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "vigil.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	return db
}

func perItem(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N*stageBatch), "cpu-µs/item")
	b.ReportMetric(float64(b.N*stageBatch)/b.Elapsed().Seconds(), "items/s")
}

func BenchmarkStageInsertContentSQLite(b *testing.B) {
	items := stageItems(b, fmt.Sprintf("st%d", time.Now().UnixNano()))
	dir := store.NewDirectory(openSQLite(b), time.Now)
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := dir.InsertContent(context.Background(), items[i*stageBatch:(i+1)*stageBatch]); err != nil {
			b.Fatal(err)
		}
	}
	perItem(b, c0)
}

func verdictsFor(b *testing.B, items []platform.ContentItem) []store.Verdict {
	e, err := detect.Default()
	if err != nil {
		b.Fatal(err)
	}
	out := make([]store.Verdict, len(items))
	for i, it := range items {
		v := e.Scan(detect.Post{ID: it.ID, Text: it.Text, Surface: it.Surface})
		js, _ := json.Marshal(v)
		out[i] = store.Verdict{ContentID: it.ID, RulePack: v.RulePack, Model: v.Model, Flagged: v.Flagged,
			Categories: v.Categories, JSON: js, ScannedAt: time.Now()}
	}
	return out
}

func BenchmarkStageScan(b *testing.B) {
	items := stageItems(b, "scan")
	e, err := detect.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	c0 := cpuTime()
	for i := range items {
		v := e.Scan(detect.Post{ID: items[i].ID, Text: items[i].Text, Surface: items[i].Surface})
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
	perItem(b, c0)
}

func BenchmarkStageSaveVerdictsSQLite(b *testing.B) {
	items := stageItems(b, fmt.Sprintf("sv%d", time.Now().UnixNano()))
	vs := verdictsFor(b, items)
	n := 0
	for _, v := range vs {
		n += len(v.JSON)
	}
	vstore := store.NewVerdicts(openSQLite(b))
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := vstore.Save(context.Background(), vs[i*stageBatch:(i+1)*stageBatch]); err != nil {
			b.Fatal(err)
		}
	}
	perItem(b, c0)
	b.ReportMetric(float64(n)/float64(len(vs)), "verdict-json-bytes")
}

// BenchmarkStageExistingContentSQLite is the intake's duplicate look-up: one
// query for a batch's ids against a store already holding 100,000 items.
func BenchmarkStageExistingContentSQLite(b *testing.B) {
	texts := []string{"prefill"}
	db := openSQLite(b)
	dir := store.NewDirectory(db, time.Now)
	pre := BuildItems(texts, "pre", 100_000, 2, time.Now())
	for i := 0; i < len(pre); i += stageBatch {
		if _, err := dir.InsertContent(context.Background(), pre[i:i+stageBatch]); err != nil {
			b.Fatal(err)
		}
	}
	items := stageItems(b, fmt.Sprintf("ex%d", time.Now().UnixNano()))
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := dir.ExistingContent(context.Background(), ids[i*stageBatch:(i+1)*stageBatch]); err != nil {
			b.Fatal(err)
		}
	}
	perItem(b, c0)
}
