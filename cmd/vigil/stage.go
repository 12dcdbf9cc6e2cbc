package main

import (
	"context"
	"encoding/json"
	"runtime"
	"sync"
	"time"

	"vigil/detect"
	"vigil/platform"
	"vigil/store"
)

// detectStage is the ingest pipeline's scanning step: every stored content
// item is scanned by the detection engine and its verdict stored, idempotent
// by (item, rule pack, model), so redelivery after a crash is harmless.
type detectStage struct {
	engine   *detect.Engine
	verdicts *store.Verdicts
	now      func() time.Time
}

// Process scans items on every core and saves the verdicts in one
// transaction.
func (s *detectStage) Process(ctx context.Context, items []platform.ContentItem) error {
	out := make([]store.Verdict, len(items))
	workers := min(runtime.GOMAXPROCS(0), len(items))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				it := &items[i]
				v := s.engine.Scan(detect.Post{ID: it.ID, Text: it.Text, Surface: it.Surface})
				js, err := json.Marshal(v)
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				top := 0.0
				for _, sc := range v.Scores {
					top = max(top, sc)
				}
				out[i] = store.Verdict{ContentID: it.ID, RulePack: v.RulePack, Model: v.Model, Flagged: v.Flagged,
					Categories: v.Categories, TopScore: top, JSON: js, ScannedAt: s.now()}
			}
		}(w)
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	_, err := s.verdicts.Save(ctx, out)
	return err
}
