package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"vigil/detect"
	"vigil/detect/model"
)

func init() { addCommand(newEvalCmd()) }

type evalFlags struct {
	engineFlags
	in                     string
	json                   bool
	holdoutOnly, trainOnly bool
}

func newEvalCmd() *cobra.Command {
	var f evalFlags
	cmd := &cobra.Command{
		Use:   "eval --in labelled.jsonl [--json] [--rules DIR] [--model FILE] [--holdout-only|--train-only] [--threshold X]",
		Short: "Measure precision, recall and F1 on a labelled JSON Lines file",
		Long: `Eval scans every row of a labelled JSON Lines file ({"id","text","labels"}, as in
the dev set) and prints precision, recall and F1 per category and overall
(flagged vs. not flagged), the false-positive rate on rows without labels, and
the misses and false alarms with their texts. --holdout-only keeps the rows
the model did not train on (model.Holdout), --train-only the others.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEval(cmd, f)
		},
	}
	f.engineFlags.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.in, "in", "", "labelled JSON Lines file (required)")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON")
	fl.BoolVar(&f.holdoutOnly, "holdout-only", false, "evaluate only the held-out rows")
	fl.BoolVar(&f.trainOnly, "train-only", false, "evaluate only the rows the model trained on")
	cmd.MarkFlagsMutuallyExclusive("holdout-only", "train-only")
	_ = cmd.MarkFlagRequired("in")
	return cmd
}

func runEval(cmd *cobra.Command, f evalFlags) error {
	e, err := f.engine()
	if err != nil {
		return &exitError{2, "eval: " + err.Error()}
	}
	fh, err := os.Open(f.in)
	if err != nil {
		return &exitError{2, "eval: " + err.Error()}
	}
	rows, err := readLabelled(fh)
	fh.Close()
	if err != nil {
		return &exitError{2, fmt.Sprintf("eval: %s: %v", f.in, err)}
	}
	var gold []detect.Labelled
	for _, r := range rows {
		if (f.holdoutOnly && !model.Holdout(r.ID)) || (f.trainOnly && model.Holdout(r.ID)) {
			continue
		}
		gold = append(gold, r)
	}
	pred := make([]detect.Verdict, len(gold))
	for i, g := range gold {
		pred[i] = e.Scan(detect.Post{ID: g.ID, Text: g.Text, Lang: g.Lang, Surface: g.Surface})
	}
	rep := detect.Evaluate(gold, pred)
	rep.RulePack, rep.Model, rep.Threshold = e.Pack().Version(), e.ModelVersion(), e.Threshold()
	out := cmd.OutOrStdout()
	if f.json {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(out)
	}
	if err != nil {
		return &exitError{2, "eval: " + err.Error()}
	}
	return nil
}

// readLabelled reads labelled JSON Lines; blank lines are skipped and the
// first malformed line is an error naming it.
func readLabelled(r io.Reader) ([]detect.Labelled, error) {
	var out []detect.Labelled
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var l detect.Labelled
			if jerr := json.Unmarshal(line, &l); jerr != nil {
				return nil, fmt.Errorf("line %d: %v", n, jerr)
			}
			if l.ID == "" {
				return nil, fmt.Errorf(`line %d: missing "id"`, n)
			}
			out = append(out, l)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
