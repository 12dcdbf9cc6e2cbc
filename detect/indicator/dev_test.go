package indicator

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"vigil/detect/normalize"
)

const devDir = "../../../shared/datasets/dev"

type devRow struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	Lang string `json:"lang"`
	Kind string `json:"kind"`
}

type devTags struct {
	ID         string              `json:"id"`
	Indicators map[string][]string `json:"indicators"`
}

func readJSONL[T any](t testing.TB, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		t.Skipf("dev data set not found at %s", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// plainView is the minimal normalisation the brief allows without the normalize package:
// NFKC and removal of format (Cf) characters.
func plainView(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// devMatch reports whether an extracted indicator satisfies a sidecar expectation.
func devMatch(typ, want string, got Indicator, chinese bool) bool {
	switch typ {
	case "phone":
		return got.Type == Phone && strings.HasSuffix(got.Normalized, digitsOf(strings.TrimPrefix(want, "+1 ")))
	case "telegram":
		// A bare @name in a non-Chinese post is a handle of unknown platform by design.
		ok := got.Type == Telegram || !chinese && got.Type == Handle
		return ok && got.Normalized == strings.ToLower(want)
	case "cas":
		return got.Type == CAS && got.Normalized == want && got.Valid
	case "email":
		return got.Type == Email && got.Normalized == strings.ToLower(want)
	default:
		return string(got.Type) == typ && got.Value == want && got.Valid
	}
}

func TestDevSetRecall(t *testing.T) {
	rows := readJSONL[devRow](t, filepath.Join(devDir, "labelled.jsonl"))
	tags := readJSONL[devTags](t, filepath.Join(devDir, "labelled.tags.jsonl"))
	byID := map[string]devTags{}
	for _, tg := range tags {
		byID[tg.ID] = tg
	}
	views := map[string]func(string) string{
		"nfkc+cf":   plainView,
		"normalize": func(s string) string { return normalize.BuildCased(s).Text },
	}
	for _, vname := range []string{"nfkc+cf", "normalize"} {
		view := views[vname]
		found, total := map[string]int{}, map[string]int{}
		for _, r := range rows {
			text := view(r.Text)
			got := Extract(text, Options{Lang: r.Lang})
			chinese := strings.HasPrefix(r.Lang, "zh") || r.Lang == "mixed" && strings.IndexFunc(text, func(c rune) bool { return unicode.Is(unicode.Han, c) }) >= 0
			for typ, wants := range byID[r.ID].Indicators {
				if typ == "wechat_id" {
					continue
				}
				for _, w := range wants {
					total[typ]++
					ok := false
					for _, g := range got {
						if devMatch(typ, w, g, chinese) {
							ok = true
							break
						}
					}
					if ok {
						found[typ]++
					} else {
						t.Errorf("%s view, %s: %s %q not found in %q; got %+v", vname, r.ID, typ, w, text, got)
					}
				}
			}
		}
		var types []string
		for typ := range total {
			types = append(types, typ)
		}
		sort.Strings(types)
		for _, typ := range types {
			t.Logf("%s view: %-8s recall %d/%d = %.3f", vname, typ, found[typ], total[typ], float64(found[typ])/float64(total[typ]))
		}
	}
}

// TestDevSetWeChat checks the rows hand-flagged as carrying a WeChat ID.
func TestDevSetWeChat(t *testing.T) {
	rows := readJSONL[devRow](t, filepath.Join(devDir, "labelled.jsonl"))
	tags := readJSONL[devTags](t, filepath.Join(devDir, "labelled.tags.jsonl"))
	flagged := map[string]bool{}
	for _, tg := range tags {
		if len(tg.Indicators["wechat_id"]) > 0 {
			flagged[tg.ID] = true
		}
	}
	extra := 0
	for _, r := range rows {
		got := Extract(plainView(r.Text), Options{Lang: r.Lang})
		has := false
		for _, g := range got {
			if g.Type == WeChatID && g.Valid {
				has = true
			}
		}
		if flagged[r.ID] && !has {
			t.Errorf("%s: WeChat ID not found in %q: %+v", r.ID, r.Text, got)
		}
		if !flagged[r.ID] && has {
			extra++
			t.Logf("%s: WeChat ID in a row not flagged: %q", r.ID, r.Text)
		}
	}
	t.Logf("WeChat: %d flagged rows, %d unflagged rows with a WeChat ID", len(flagged), extra)
}
