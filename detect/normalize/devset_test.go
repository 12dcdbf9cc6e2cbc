package normalize

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

const devDir = "../../../shared/datasets/dev/"

type devRow struct {
	ID      string
	Text    string
	Evasion []string
	Ind     map[string][]string
}

func loadDev(t *testing.T) []devRow {
	t.Helper()
	rows := map[string]*devRow{}
	var order []string
	read := func(name string, f func(line []byte) error) {
		fh, err := os.Open(devDir + name)
		if err != nil {
			t.Skipf("dev set not available (%v); it lives in /work/shared/datasets/dev", err)
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if err := f(sc.Bytes()); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	read("labelled.jsonl", func(line []byte) error {
		var r struct{ ID, Text string }
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		rows[r.ID] = &devRow{ID: r.ID, Text: r.Text}
		order = append(order, r.ID)
		return nil
	})
	read("labelled.tags.jsonl", func(line []byte) error {
		var r struct {
			ID         string              `json:"id"`
			Evasion    []string            `json:"evasion"`
			Indicators map[string][]string `json:"indicators"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		if row := rows[r.ID]; row != nil {
			row.Evasion, row.Ind = r.Evasion, r.Indicators
		}
		return nil
	})
	out := make([]devRow, 0, len(order))
	for _, id := range order {
		out = append(out, *rows[id])
	}
	return out
}

// TestDevSetEvasionUndone: for rows tagged zero_width/fullwidth/homoglyph the
// view has no Cf characters, no full-width forms and no Cyrillic/Greek
// letters inside Latin words, and still maps back onto the original.
func TestDevSetEvasionUndone(t *testing.T) {
	rows := loadDev(t)
	checked := 0
	for _, row := range rows {
		if !slices.ContainsFunc(row.Evasion, func(e string) bool {
			return e == "zero_width" || e == "fullwidth" || e == "homoglyph"
		}) {
			continue
		}
		checked++
		v := Build(row.Text)
		checkOffsets(t, row.Text, v)
		for _, r := range v.Text {
			if unicode.Is(unicode.Cf, r) || invisible(r) {
				t.Errorf("%s: invisible %U left in %q", row.ID, r, v.Text)
			}
			if r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 {
				t.Errorf("%s: full-width %q left in %q", row.ID, r, v.Text)
			}
		}
		for _, w := range strings.FieldsFunc(v.Text, func(r rune) bool { return !isWordPart(r) }) {
			latin, other := false, false
			for _, r := range w {
				latin = latin || isLatin(r)
				other = other || unicode.In(r, unicode.Cyrillic, unicode.Greek)
			}
			if latin && other {
				t.Errorf("%s: mixed-script word %q in %q", row.ID, w, v.Text)
			}
		}
		if v.Applied() == 0 {
			t.Errorf("%s: tagged %v but no transform reported", row.ID, row.Evasion)
		}
	}
	if checked < 30 {
		t.Errorf("only %d tagged rows found; dev set changed?", checked)
	}
	t.Logf("%d rows with zero_width/fullwidth/homoglyph checked", checked)
}

// TestDevSetIndicatorsVisible: the CAS, phone and Telegram values the
// reference extractor found after normalisation appear in the cased view.
// Phone values are compared without separators (spacing may collapse them).
func TestDevSetIndicatorsVisible(t *testing.T) {
	rows := loadDev(t)
	found, total := 0, 0
	for _, row := range rows {
		v := BuildCased(row.Text)
		for _, typ := range []string{"cas", "telegram", "email", "tron", "eth", "btc", "bech32"} {
			for _, val := range row.Ind[typ] {
				total++
				if strings.Contains(v.Text, val) || strings.Contains(strings.ToLower(v.Text), strings.ToLower(val)) {
					found++
					continue
				}
				t.Errorf("%s: %s %q not in cased view %q", row.ID, typ, val, v.Text)
			}
		}
	}
	t.Logf("%d/%d indicator values visible in the cased view", found, total)
}

// TestDevSetAll runs every row through all views: offsets valid, Build
// idempotent, views well-formed, the fast path equal to the full pipeline,
// and Builder.Views equal to the separate functions.
func TestDevSetAll(t *testing.T) {
	rows := loadDev(t)
	b := NewBuilder()
	leet := 0
	for _, row := range rows {
		m, c, l := b.Views(row.Text)
		checkOffsets(t, row.Text, m)
		checkOffsets(t, row.Text, c)
		if l != nil {
			leet++
			checkOffsets(t, row.Text, l)
		}
		if again := Build(m.Text).Text; again != m.Text {
			t.Errorf("%s: not idempotent: %q -> %q", row.ID, m.Text, again)
		}
		if !utf8.ValidString(m.Text) {
			t.Errorf("%s: invalid UTF-8", row.ID)
		}
		compareDirect(t, row.Text)
		compareViews(t, NewBuilder(), row.Text)
		if slices.Contains(row.Evasion, "leetspeak") && l == nil {
			t.Errorf("%s: tagged leetspeak but no leet view for %q", row.ID, row.Text)
		}
	}
	t.Logf("%d rows, %d with a leet view", len(rows), leet)
}
