package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Verdict is the stored form of one detection verdict. The full verdict
// (hits, indicators, scores) is kept as the engine's JSON so that the review
// console shows exactly what the engine said.
type Verdict struct {
	ContentID  string
	RulePack   string
	Model      string
	Flagged    bool
	Categories []string
	TopScore   float64
	JSON       json.RawMessage
	ScannedAt  time.Time
}

// Verdicts persists detection verdicts.
type Verdicts struct{ db *DB }

// NewVerdicts returns the verdict store over db.
func NewVerdicts(db *DB) *Verdicts { return &Verdicts{db: db} }

// Save stores verdicts in one transaction, idempotent by (content, rule
// pack, model): a redelivered batch stores nothing twice.
func (v *Verdicts) Save(ctx context.Context, vs []Verdict) (int64, error) {
	if len(vs) == 0 {
		return 0, nil
	}
	tx, err := v.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("save verdicts: %w", err)
	}
	defer tx.Rollback()
	var n int64
	const chunk = 200 // 8 columns × 200 rows stays under every driver's parameter limit
	for i := 0; i < len(vs); i += chunk {
		part := vs[i:min(i+chunk, len(vs))]
		var b strings.Builder
		b.WriteString("INSERT INTO verdicts (content_id, rulepack, model, flagged, categories, top_score, verdict, scanned_at) VALUES ")
		args := make([]any, 0, len(part)*8)
		for j, x := range part {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?)")
			args = append(args, x.ContentID, x.RulePack, x.Model, x.Flagged, strings.Join(x.Categories, ","), x.TopScore, string(x.JSON), x.ScannedAt.UTC().UnixMilli())
		}
		b.WriteString(" ON CONFLICT (content_id, rulepack, model) DO NOTHING")
		res, err := tx.ExecContext(ctx, v.db.Rebind(b.String()), args...)
		if err != nil {
			return 0, fmt.Errorf("save verdicts: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, tx.Commit()
}

// FlaggedCounts counts flagged content items per category (an item with two
// categories counts for each).
func (v *Verdicts) FlaggedCounts(ctx context.Context) (map[string]int64, error) {
	rows, err := v.db.QueryContext(ctx, v.db.Rebind("SELECT categories, COUNT(*) FROM verdicts WHERE flagged = ? GROUP BY categories"), true)
	if err != nil {
		return nil, fmt.Errorf("count verdicts: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var cats string
		var n int64
		if err := rows.Scan(&cats, &n); err != nil {
			return nil, err
		}
		for _, c := range strings.Split(cats, ",") {
			if c != "" {
				out[c] += n
			}
		}
	}
	return out, rows.Err()
}

// Flagged lists up to limit flagged verdicts, highest score first.
func (v *Verdicts) Flagged(ctx context.Context, limit int) ([]Verdict, error) {
	rows, err := v.db.QueryContext(ctx, v.db.Rebind(
		"SELECT content_id, rulepack, model, categories, top_score, verdict, scanned_at FROM verdicts WHERE flagged = ? ORDER BY top_score DESC, content_id LIMIT ?"), true, limit)
	if err != nil {
		return nil, fmt.Errorf("list verdicts: %w", err)
	}
	defer rows.Close()
	var out []Verdict
	for rows.Next() {
		var x Verdict
		var cats, js string
		var at int64
		if err := rows.Scan(&x.ContentID, &x.RulePack, &x.Model, &cats, &x.TopScore, &js, &at); err != nil {
			return nil, err
		}
		x.Flagged = true
		if cats != "" {
			x.Categories = strings.Split(cats, ",")
		}
		x.JSON = json.RawMessage(js)
		x.ScannedAt = time.UnixMilli(at).UTC()
		out = append(out, x)
	}
	return out, rows.Err()
}
