package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			_ = sv.Replace(nil) // Set("[]") would append a file named "[]"
		} else {
			_ = f.Value.Set(f.DefValue)
		}
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
// detect/model/model.go's generate directive says (same files, flags and
// working directory) and requires the same bytes, so default.bin can always
// be traced to its training data, the seed and this code.
func TestDefaultModelIsReproducible(t *testing.T) {
	if _, err := os.Stat(devSet); err != nil {
		t.Skipf("dev set %s absent", devSet)
	}
	want, err := os.ReadFile("../../detect/model/default.bin")
	if err != nil {
		t.Fatal(err)
	}
	args := generateTrainArgs(t, "../../detect/model/model.go")
	out := filepath.Join(t.TempDir(), "default.bin")
	for i := range args {
		if args[i] == "--out" && i+1 < len(args) {
			args[i+1] = out
		}
	}
	t.Chdir("../../detect/model")
	if code, stderr := trainRun(t, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("retraining gives %d bytes that differ from detect/model/default.bin (%d bytes): run go generate ./detect/model", len(got), len(want))
	}
	if len(want) > 2<<20 {
		t.Errorf("default.bin is %d bytes; keep it under 2 MB", len(want))
	}
}

// generateTrainArgs returns the arguments after "train" of the
// "go:generate go run vigil/cmd/vigil train" line in file.
func generateTrainArgs(t *testing.T, file string) []string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "//go:generate go run vigil/cmd/vigil train "
	for line := range strings.Lines(string(src)) {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			args := strings.Fields(rest)
			if !slices.Contains(args, "--out") {
				t.Fatalf("%s: go:generate line has no --out", file)
			}
			return args
		}
	}
	t.Fatalf("%s: no %q line", file, prefix)
	return nil
}

// TestTrainSeveralFiles: --in and --full may be repeated or comma-separated;
// --exclude-holdout splits only the --in files, and an id used in two files
// is an error naming both.
func TestTrainSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeLabelled(t)
	// The same rows under other ids, as a second, fully used file.
	src, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(dir, "full.jsonl")
	if err := os.WriteFile(b, []byte(strings.ReplaceAll(string(src), `"id":"t-`, `"id":"f-`)), 0o644); err != nil {
		t.Fatal(err)
	}
	heldA := 0
	for i := range 60 {
		if model.Holdout(fmt.Sprintf("t-%03d", i)) {
			heldA++
		}
	}
	out := filepath.Join(dir, "m.bin")
	code, stderr := trainRun(t, "--in", a, "--full", b, "--out", out, "--epochs", "3", "--exclude-holdout")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{fmt.Sprintf("training examples: %d\n", 120-heldA), fmt.Sprintf("held-out examples: %d\n", heldA)} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// Comma-separated and repeated forms read the same files.
	code, stderr = trainRun(t, "--in", a+","+b, "--out", out, "--epochs", "3")
	if code != 0 || !strings.Contains(stderr, "training examples: 120\n") {
		t.Errorf("comma-separated --in: exit %d:\n%s", code, stderr)
	}
	// run prints exit errors to the process's stderr, so call runTrain.
	err = runTrain(trainFlags{in: []string{a, a}, out: out, epochs: 3}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `id "t-000" already used in `+a) {
		t.Errorf("duplicate ids across files: %v", err)
	}
	if err := runTrain(trainFlags{out: out}, io.Discard); err == nil {
		t.Error("no --in file: no error")
	}
}

// TestTrainOptionFlags: --buckets and --l2 reach model.Train (the shipped
// model's go:generate line sets them), and values Train rejects exit
// non-zero without writing a model.
func TestTrainOptionFlags(t *testing.T) {
	in := writeLabelled(t)
	out := filepath.Join(t.TempDir(), "model.bin")
	if code, stderr := trainRun(t, "--in", in, "--out", out, "--epochs", "3", "--buckets", "16384", "--l2", "1e-5"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Load(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if m.Buckets() != 16384 {
		t.Errorf("model has %d buckets, want 16384", m.Buckets())
	}
	bad := filepath.Join(t.TempDir(), "bad.bin")
	for _, args := range [][]string{{"--buckets", "1000"}, {"--l2", "-1"}, {"--l2", "2"}} {
		if code, _ := trainRun(t, append([]string{"--in", in, "--out", bad, "--epochs", "1"}, args...)...); code == 0 {
			t.Errorf("%v exited 0", args)
		}
		if _, err := os.Stat(bad); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v left a model file behind", args)
		}
	}
}
