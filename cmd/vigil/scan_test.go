package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyRules is the engine's own test pack; tests run with --model none so
// that their output does not change when the model is retrained.
const tinyRules = "../../detect/rules/testdata"

// runCLI runs the vigil command in-process and returns stdout, stderr and
// the exit code. Every flag a test relies on must be passed explicitly:
// cobra keeps flag values between runs in one process.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	defer func() { root.SetOut(nil); root.SetErr(nil) }()
	code := run(args)
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScanOutputContract(t *testing.T) {
	in := writeFile(t, "in.jsonl", strings.Join([]string{
		`{"id":"a","text":"CASH PICKUP tonight 🚗","lang":"en","extra":1}`,
		`this is not json`,
		``,
		`{"text":"no id"}`,
		`{"id":"c"}`,
		`{"id":"d","text":"先生 换汇 加v <ok>"}`,
	}, "\n"))
	out, _, code := runCLI(t, "scan", "--in", in, "--rules", tinyRules, "--model", "none", "--threshold", "0.5", "--workers", "1")
	if code != 1 {
		t.Fatalf("exit code %d, want 1 (some lines failed)", code)
	}
	want := `{"id":"a","flagged":true,"categories":["bulk_cash"],"scores":{"bulk_cash":0.6,"crypto_cashout":0,"drug_sale":0,"ml_broker":0,"precursor_sale":0},"hits":[{"rule":"bulk_cash.pickup","category":"bulk_cash","start":0,"end":11,"match":"CASH PICKUP"}],"indicators":[],"rulepack":"rp-09683e88c06b","model":"none"}
{"id":"","error":"line 2: not a JSON object: invalid character 'h' in literal true (expecting 'r')"}
{"id":"","error":"line 4: missing \"id\""}
{"id":"c","error":"line 5: missing \"text\""}
{"id":"d","flagged":true,"categories":["ml_broker"],"scores":{"bulk_cash":0,"crypto_cashout":0,"drug_sale":0,"ml_broker":0.7,"precursor_sale":0},"hits":[{"rule":"ml_broker.fx","category":"ml_broker","start":7,"end":13,"match":"换汇"},{"rule":"ml_broker.fx","category":"ml_broker","start":14,"end":18,"match":"加v"}],"indicators":[],"rulepack":"rp-09683e88c06b","model":"none"}
`
	if out != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
}

func TestScanExitZeroWhenAllLinesOK(t *testing.T) {
	in := writeFile(t, "in.jsonl", `{"id":"a","text":"hello"}`+"\n"+`{"id":"b","text":""}`+"\n")
	out, errOut, code := runCLI(t, "scan", "--in", in, "--rules", tinyRules, "--model", "none", "--threshold", "0.5", "--workers", "2")
	if code != 0 || strings.Count(out, "\n") != 2 || errOut != "" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}

func TestScanKeepsInputOrderWithWorkers(t *testing.T) {
	var b strings.Builder
	texts := []string{"cash pickup now", "hello there", "fentanyl for sale", "换汇 加v", "现货 21409-26-7", "x"}
	for i := 0; i < 3000; i++ {
		if i%97 == 0 {
			b.WriteString("{broken\n")
			continue
		}
		fmt.Fprintf(&b, `{"id":"p%d","text":%q}`+"\n", i, texts[i%len(texts)]+strings.Repeat(" pad", i%13))
	}
	in := writeFile(t, "in.jsonl", b.String())
	one, _, code1 := runCLI(t, "scan", "--in", in, "--rules", tinyRules, "--model", "none", "--threshold", "0.5", "--workers", "1")
	four, _, code4 := runCLI(t, "scan", "--in", in, "--rules", tinyRules, "--model", "none", "--threshold", "0.5", "--workers", "4")
	if code1 != 1 || code4 != 1 {
		t.Fatalf("exit codes %d %d", code1, code4)
	}
	if one != four {
		t.Fatal("--workers 4 output differs from --workers 1")
	}
	lines := strings.Split(strings.TrimSuffix(four, "\n"), "\n")
	if len(lines) != 3000 {
		t.Fatalf("%d output lines", len(lines))
	}
	for i, l := range lines {
		var v struct{ ID, Error string }
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatal(err)
		}
		if i%97 == 0 {
			if !strings.HasPrefix(v.Error, fmt.Sprintf("line %d: ", i+1)) {
				t.Fatalf("line %d: %s", i+1, l)
			}
		} else if v.ID != fmt.Sprintf("p%d", i) {
			t.Fatalf("line %d has id %q", i+1, v.ID)
		}
	}
}

func TestScanRejectsBadFlags(t *testing.T) {
	in := writeFile(t, "in.jsonl", `{"id":"a","text":"x"}`)
	if _, _, code := runCLI(t, "scan", "--in", in, "--rules", tinyRules, "--model", "none", "--threshold", "0.5", "--workers", "0"); code != 2 {
		t.Fatalf("--workers 0: exit %d", code)
	}
	if _, _, code := runCLI(t, "scan", "--in", in, "--rules", tinyRules, "--model", "none", "--threshold", "1.5", "--workers", "1"); code != 2 {
		t.Fatalf("--threshold 1.5: exit %d", code)
	}
	if _, _, code := runCLI(t, "scan", "--in", in, "--rules", t.TempDir(), "--model", "none", "--threshold", "0.5", "--workers", "1"); code != 2 {
		t.Fatalf("empty rules dir: exit %d", code)
	}
}
