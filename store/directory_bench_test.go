package store_test

import (
	"context"
	"fmt"
	"testing"

	"vigil/internal/testkit"
	"vigil/platform"
	"vigil/store"
)

// BenchmarkInsertContent measures the store's share of intake: one
// transaction of 10,000 new content items per op.
func BenchmarkInsertContent(b *testing.B) {
	const n = 10000
	for _, db := range testkit.Databases(b) {
		round := 0
		b.Run(db.Dialect.String(), func(b *testing.B) {
			dir := store.NewDirectory(db, nil)
			base := dirContent(b, n)
			items := make([]platform.ContentItem, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				round++
				for j := range items {
					items[j] = base[j]
					items[j].ID = fmt.Sprintf("i%d-%d", round, j)
				}
				if got, err := dir.InsertContent(context.Background(), items); err != nil || got != n {
					b.Fatalf("%d %v", got, err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
