package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"vigil/detect/model"
)

const devSet = "../../../shared/datasets/dev/labelled.jsonl"

func TestReadExamplesRejectsBadLinesByNumber(t *testing.T) {
	cases := map[string]struct {
		in   string
		want string
	}{
		"not json":      {`{"id":"a","text":"x","labels":[]}` + "\n\n" + `{"id":"b","text":` + "\n", "line 3"},
		"missing id":    {`{"id":"a","text":"x"}` + "\n" + `{"text":"y"}` + "\n", `line 2: missing "id"`},
		"missing text":  {`{"id":"a"}`, `line 1: missing "text"`},
		"unknown label": {`{"id":"a","text":"x","labels":["fraud"]}`, `line 1: unknown label "fraud"`},
		"duplicate id":  {`{"id":"a","text":"x"}` + "\n" + `{"id":"a","text":"y"}`, `line 2: id "a" already used on line 1`},
		"labels type":   {`{"id":"a","text":"x","labels":"drug_sale"}`, "line 1"},
		"empty":         {"\n\n", "no examples"},
	}
	for name, tc := range cases {
		_, err := readExamples(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, tc.want)
		}
	}
}

func TestReadExamplesKeepsOrderAndLabels(t *testing.T) {
	in := `{"id":"b","text":"USDT OTC","labels":["crypto_cashout"]}` + "\r\n" + `{"id":"a","text":"hola","labels":[],"lang":"es"}` + "\n"
	exs, err := readExamples(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 2 || exs[0].ID != "b" || exs[1].ID != "a" || len(exs[0].Labels) != 1 || exs[0].Labels[0] != "crypto_cashout" {
		t.Fatalf("got %+v", exs)
	}
}

// trainRun runs `vigil train` as a user would and returns the exit code
// and what it printed.
func trainRun(t *testing.T, args ...string) (int, string) {
	t.Helper()
	// root and its commands live for the whole test binary: reset the
	// train flags so one test's --seed does not leak into the next.
	cmd, _, err := root.Find([]string{"train"})
	if err != nil {
		t.Fatal(err)
	}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		_ = f.Value.Set(f.DefValue)
		f.Changed = false
	})
	var errb bytes.Buffer
	root.SetErr(&errb)
	defer root.SetErr(nil)
	code := run(append([]string{"train"}, args...))
	return code, errb.String()
}

func writeLabelled(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	rows := []struct{ text, label string }{
		{"usdt otc no kyc cash out", "crypto_cashout"},
		{"m30 blues for sale", "drug_sale"},
		{"anpp 21409-26-7 ship to mexico", "precursor_sale"},
		{"换汇 代收代付 走账", "ml_broker"},
		{"cash pickup parking lot tonight", "bulk_cash"},
		{"sunny weather for a picnic", ""},
	}
	for i := range 60 {
		r := rows[i%len(rows)]
		labels := "[]"
		if r.label != "" {
			labels = fmt.Sprintf("[%q]", r.label)
		}
		fmt.Fprintf(&b, "{\"id\":\"t-%03d\",\"text\":\"%s %d\",\"labels\":%s}\n", i, r.text, i, labels)
	}
	p := filepath.Join(t.TempDir(), "labelled.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrainCommandWritesALoadableModel(t *testing.T) {
	in := writeLabelled(t)
	out := filepath.Join(t.TempDir(), "model.bin")
	code, stderr := trainRun(t, "--in", in, "--out", out, "--seed", "5", "--epochs", "5", "--exclude-holdout")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"training examples:", "crypto_cashout", "held-out at threshold 0.5", "macro F1", "wrote " + out} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Scores("usdt otc no kyc", nil); p[2] < 0.5 {
		t.Errorf("trained model scores a training phrase crypto_cashout %.2f", p[2])
	}
	// Nothing but the model is left in the directory (the temp file was renamed).
	if ents, _ := os.ReadDir(filepath.Dir(out)); len(ents) != 1 {
		t.Errorf("output directory holds %d entries, want only the model", len(ents))
	}
}

func TestTrainCommandFailures(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"id\":\"a\",\"text\":\"x\"}\nnot json\n"), 0o644)
	out := filepath.Join(t.TempDir(), "m.bin")
	if code, _ := trainRun(t, "--in", bad, "--out", out); code == 0 {
		t.Error("a malformed line exited 0")
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed training left a model file behind")
	}
	if code, _ := trainRun(t, "--in", filepath.Join(t.TempDir(), "absent.jsonl"), "--out", out); code == 0 {
		t.Error("a missing input exited 0")
	}
	if code, _ := trainRun(t, "--out", out); code == 0 {
		t.Error("missing --in exited 0")
	}
}

// TestDefaultModelIsReproducible retrains the shipped model exactly as
// go generate does and requires the same bytes, so default.bin can always
// be traced to the dev set, the seed and this code.
func TestDefaultModelIsReproducible(t *testing.T) {
	if _, err := os.Stat(devSet); err != nil {
		t.Skipf("dev set %s absent", devSet)
	}
	out := filepath.Join(t.TempDir(), "default.bin")
	if code, stderr := trainRun(t, "--in", devSet, "--out", out, "--exclude-holdout"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../detect/model/default.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("retraining gives %d bytes that differ from detect/model/default.bin (%d bytes): run go generate ./detect/model", len(got), len(want))
	}
}
