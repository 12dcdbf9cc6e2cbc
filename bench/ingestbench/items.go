package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"vigil/platform"
)

// Groups is how many public groups the load registers before it runs, so
// that group_chat items pass the intake's group check.
const Groups = 40

// GroupID names the i-th bench group; stable across runs because groups are
// upserted by id and re-sending them is harmless.
func GroupID(i int) string { return fmt.Sprintf("ingestbench-grp-%02d", i) }

// surfaceShare is the cumulative per-mille mix of surfaces, roughly what a
// messaging platform's public side produces.
var surfaceShare = []struct {
	surface string
	upTo    int
}{
	{platform.SurfaceMoments, 400}, {platform.SurfaceChannels, 650}, {platform.SurfaceGroupChat, 800},
	{platform.SurfaceOfficialAccount, 900}, {platform.SurfaceProfile, 1000},
}

// ReadTexts reads post texts from JSON Lines with a "text" field (the
// scanbench corpus, or the dev set); blank texts are skipped.
func ReadTexts(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var texts []string
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var p struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(line, &p); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		if strings.TrimSpace(p.Text) != "" {
			texts = append(texts, p.Text)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(texts) == 0 {
		return nil, errors.New("no post texts in the corpus")
	}
	return texts, nil
}

func readTextsFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	texts, err := ReadTexts(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return texts, nil
}

// BuildItems makes n content items with ids "<runID>-<seq>", unique per run,
// cycling through texts. Authors, surfaces, visibility, groups, media and
// creation times vary with a generator seeded by seed, so a run is
// reproducible apart from its run id and the clock.
func BuildItems(texts []string, runID string, n int, seed uint64, now time.Time) []platform.ContentItem {
	r := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	items := make([]platform.ContentItem, n)
	now = now.UTC().Truncate(time.Second)
	for i := range items {
		it := &items[i]
		it.ID = fmt.Sprintf("%s-%07d", runID, i)
		// A skewed author distribution: a few accounts post a lot.
		if r.IntN(10) < 3 {
			it.AuthorID = fmt.Sprintf("acct-%05d", r.IntN(500))
		} else {
			it.AuthorID = fmt.Sprintf("acct-%05d", r.IntN(50_000))
		}
		x := r.IntN(1000)
		for _, s := range surfaceShare {
			if x < s.upTo {
				it.Surface = s.surface
				break
			}
		}
		if it.Surface == platform.SurfaceGroupChat {
			it.GroupID = GroupID(r.IntN(Groups))
		}
		it.Visibility = platform.VisibilityPublic
		if r.IntN(10) < 3 {
			it.Visibility = platform.VisibilitySemiPublic
		}
		it.Text = texts[i%len(texts)]
		if r.IntN(10) == 0 {
			it.Media = []string{fmt.Sprintf("media:%s:%d.jpg", runID, i)}
		}
		it.CreatedAt = now.Add(-time.Duration(r.IntN(30*24*3600)) * time.Second)
	}
	return items
}

// EncodeBatches encodes items as NDJSON bodies of at most size items each.
// The bodies are built before the clock starts so that the load generator's
// own encoding does not compete with the server for the two cores during
// the run.
func EncodeBatches(items []platform.ContentItem, size int) ([][]byte, error) {
	if size < 1 {
		return nil, errors.New("batch size must be at least 1")
	}
	var out [][]byte
	for lo := 0; lo < len(items); lo += size {
		hi := min(lo+size, len(items))
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for i := lo; i < hi; i++ {
			if err := enc.Encode(&items[i]); err != nil {
				return nil, err
			}
		}
		out = append(out, b.Bytes())
	}
	return out, nil
}

// GroupsBody is the JSON array registering the bench groups.
func GroupsBody() []byte {
	gs := make([]platform.Group, Groups)
	for i := range gs {
		method := "public_qr"
		if i%3 == 0 {
			method = "invite"
		}
		gs[i] = platform.Group{ID: GroupID(i), Name: fmt.Sprintf("ingestbench group %d", i), MemberCount: int64(50 + 37*i), JoinMethod: method}
	}
	b, _ := json.Marshal(gs) // plain structs: cannot fail
	return b
}
