package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"vigil/detect/model"
	"vigil/detect/normalize"
)

func init() { addCommand(newTrainCmd()) }

type trainFlags struct {
	in, full       []string
	out            string
	seed           uint64
	epochs         int
	buckets        int
	l2             float64
	excludeHoldout bool
}

func newTrainCmd() *cobra.Command {
	var f trainFlags
	cmd := &cobra.Command{
		Use:   "train --in labelled.jsonl [--in more.jsonl] [--full tuned.jsonl] --out model.bin",
		Short: "Train the learned classifier from labelled JSON Lines",
		Long: `Train reads JSON Lines ({"id","text","labels"}), normalises every text the
way the engine does, fits the per-category classifier and writes it
atomically. --in and --full may be repeated (or take comma-separated files);
ids must be unique across all files. With --exclude-holdout the held-out
fifth of the ids of the --in files is kept out of training and its
precision, recall and F1 at 0.5 are reported; --full files are always used
whole (sets that were already tuned on, so holding part of them out would
measure nothing).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTrain(f, cmd.ErrOrStderr())
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.in, "in", nil, "labelled JSON Lines file (required; repeatable)")
	fl.StringSliceVar(&f.full, "full", nil, "labelled JSON Lines file used whole, even with --exclude-holdout (repeatable)")
	fl.StringVar(&f.out, "out", "", "model file to write (required)")
	fl.Uint64Var(&f.seed, "seed", model.DefaultSeed, "random seed (same data and seed give the same bytes)")
	fl.IntVar(&f.epochs, "epochs", 0, "passes over the data (0: the default)")
	fl.IntVar(&f.buckets, "buckets", 0, "hash buckets, a power of two in 2^10..2^22 (0: the default, 2^18)")
	fl.Float64Var(&f.l2, "l2", 0, "L2 penalty per example, in (0, 1] (0: the default, 3e-4)")
	fl.BoolVar(&f.excludeHoldout, "exclude-holdout", false, "keep the held-out ids out of training and report their figures")
	_ = cmd.MarkFlagRequired("in")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func runTrain(f trainFlags, stderr io.Writer) error {
	if len(f.in) == 0 {
		return &exitError{2, "train: --in is required"}
	}
	var train, held []model.Example
	seen := map[string]string{} // id → file, so ids stay unique across files
	for i, in := range slices.Concat(f.in, f.full) {
		whole := i >= len(f.in)
		examples, err := readExamplesFile(in)
		if err != nil {
			return err
		}
		for _, ex := range examples {
			if prev, dup := seen[ex.ID]; dup {
				return &exitError{1, fmt.Sprintf("train: %s: id %q already used in %s", in, ex.ID, prev)}
			}
			seen[ex.ID] = in
			if f.excludeHoldout && !whole && model.Holdout(ex.ID) {
				held = append(held, ex)
			} else {
				train = append(train, ex)
			}
		}
	}
	printCounts(stderr, "training", train)
	m, err := model.Train(train, model.TrainOptions{Seed: f.seed, Epochs: f.epochs, Buckets: f.buckets, L2: f.l2})
	if err != nil {
		return &exitError{1, fmt.Sprintf("train: %v", err)}
	}
	if f.excludeHoldout {
		printCounts(stderr, "held-out", held)
		printMetrics(stderr, model.Evaluate(m, held, 0.5))
	}
	enc, err := m.MarshalBinary()
	if err != nil {
		return &exitError{1, fmt.Sprintf("train: %v", err)}
	}
	if err := writeAtomic(f.out, enc); err != nil {
		return &exitError{2, fmt.Sprintf("train: %v", err)}
	}
	fmt.Fprintf(stderr, "wrote %s: %d bytes, model %s\n", f.out, len(enc), m.Version())
	return nil
}

// readExamplesFile opens and parses one labelled file; its errors are
// exit errors naming the file.
func readExamplesFile(path string) ([]model.Example, error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, &exitError{2, fmt.Sprintf("train: %v", err)}
	}
	defer in.Close()
	examples, err := readExamples(in)
	if err != nil {
		return nil, &exitError{1, fmt.Sprintf("train: %s: %v", path, err)}
	}
	return examples, nil
}

// readExamples parses labelled JSON Lines and normalises each text. Blank
// lines are skipped; any other malformed line is an error naming it.
func readExamples(r io.Reader) ([]model.Example, error) {
	var out []model.Example
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(trimSpace(b)) == 0 {
			continue
		}
		var row struct {
			ID     *string  `json:"id"`
			Text   *string  `json:"text"`
			Labels []string `json:"labels"`
		}
		if err := json.Unmarshal(b, &row); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		switch {
		case row.ID == nil || *row.ID == "":
			return nil, fmt.Errorf("line %d: missing \"id\"", line)
		case row.Text == nil:
			return nil, fmt.Errorf("line %d: missing \"text\"", line)
		}
		if prev, dup := seen[*row.ID]; dup {
			return nil, fmt.Errorf("line %d: id %q already used on line %d", line, *row.ID, prev)
		}
		seen[*row.ID] = line
		for _, l := range row.Labels {
			if !knownCategory(l) {
				return nil, fmt.Errorf("line %d: unknown label %q (want one of %v)", line, l, model.Categories)
			}
		}
		out = append(out, model.Example{ID: *row.ID, Text: normalize.Build(*row.Text).Text, Labels: row.Labels})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no examples")
	}
	return out, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func knownCategory(l string) bool {
	for _, c := range model.Categories {
		if c == l {
			return true
		}
	}
	return false
}

func printCounts(w io.Writer, what string, exs []model.Example) {
	fmt.Fprintf(w, "%s examples: %d\n", what, len(exs))
	for _, c := range model.Categories {
		n := 0
		for _, ex := range exs {
			for _, l := range ex.Labels {
				if l == c {
					n++
				}
			}
		}
		fmt.Fprintf(w, "  %-15s %4d\n", c, n)
	}
}

func printMetrics(w io.Writer, ms []model.Metrics) {
	fmt.Fprintf(w, "held-out at threshold 0.5:\n  %-15s %9s %6s %6s %6s %7s\n", "category", "positives", "P", "R", "F1", "Brier")
	for _, m := range ms {
		fmt.Fprintf(w, "  %-15s %9d %6.3f %6.3f %6.3f %7.4f\n", m.Category, m.Positives, m.Precision, m.Recall, m.F1, m.Brier)
	}
	fmt.Fprintf(w, "  macro F1 %.3f\n", model.MacroF1(ms))
}

// writeAtomic writes data to a temporary file beside path and renames it
// over path, so readers never see a partial model.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
