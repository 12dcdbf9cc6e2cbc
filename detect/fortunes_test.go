package detect

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fortuneRoot is where Debian's fortunes, fortunes-es and fortunes-zh
// install their files.
const fortuneRoot = "/usr/share/games/fortunes"

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// readFortunes returns every fortune (records separated by "%" lines) in the
// installed fortune files, colour escapes stripped, keyed by file:index.
func readFortunes(t *testing.T) (ids, texts []string) {
	t.Helper()
	err := filepath.WalkDir(fortuneRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Type()&fs.ModeSymlink != 0 || strings.HasSuffix(path, ".dat") || strings.HasSuffix(path, ".u8") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(fortuneRoot, path)
		for i, rec := range strings.Split(string(data), "\n%\n") {
			rec = strings.TrimSpace(ansiEscape.ReplaceAllString(rec, ""))
			if rec != "" && rec != "%" {
				ids = append(ids, rel+":"+strconv.Itoa(i))
				texts = append(texts, rec)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids, texts
}

// TestFortunesFalsePositiveRate: on ordinary text (Debian's fortunes in
// English, Spanish and Chinese) at most 0.2% of posts may be flagged.
func TestFortunesFalsePositiveRate(t *testing.T) {
	var missing []string
	for _, p := range []string{"fortunes", "es", "chinese"} {
		if _, err := os.Stat(filepath.Join(fortuneRoot, p)); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Skipf("fortune files absent under %s (%s): apt-get install fortunes fortunes-es fortunes-zh", fortuneRoot, strings.Join(missing, ", "))
	}
	e, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ids, texts := readFortunes(t)
	flagged := 0
	for i, s := range texts {
		if v := e.Scan(Post{ID: ids[i], Text: s}); v.Flagged {
			flagged++
			if testing.Verbose() {
				t.Logf("flagged %s %v: %.80q", ids[i], v.Categories, s)
			}
		}
	}
	rate := float64(flagged) / float64(len(texts))
	t.Logf("fortunes: %d of %d flagged (%.3f%%)", flagged, len(texts), 100*rate)
	if len(texts) < 10000 {
		t.Fatalf("only %d fortunes read; the packages look incomplete", len(texts))
	}
	if rate > 0.002 {
		t.Fatalf("false-positive rate %.3f%% on fortunes exceeds 0.2%%", 100*rate)
	}
}
