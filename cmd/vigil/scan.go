package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"vigil/detect"
	"vigil/detect/model"
	"vigil/detect/rulepack"
	"vigil/detect/rules"
)

func init() { addCommand(newScanCmd()) }

// engineFlags select the rule pack, model and threshold (scan and eval).
type engineFlags struct {
	rules, model string
	threshold    float64
}

func (f *engineFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.rules, "rules", "", "rule pack directory (default: the embedded pack)")
	fl.StringVar(&f.model, "model", "", "model file written by `vigil train` (default: the embedded model; \"none\": rules only)")
	fl.Float64Var(&f.threshold, "threshold", detect.DefaultThreshold, "combined score at which a category is flagged (0..1]")
}

// engine builds the engine the flags describe; the embedded defaults are
// loaded once per process.
func (f *engineFlags) engine() (*detect.Engine, error) {
	if f.threshold <= 0 || f.threshold > 1 {
		return nil, fmt.Errorf("--threshold %v: use a value in (0, 1]", f.threshold)
	}
	if f.rules == "" && f.model == "" && f.threshold == detect.DefaultThreshold {
		return detect.Default()
	}
	var p *rulepack.Pack
	var err error
	if f.rules != "" {
		p, err = rulepack.LoadDir(f.rules)
	} else {
		p, err = rulepack.Load(rules.FS)
	}
	if err != nil {
		return nil, err
	}
	var m *model.Model
	switch f.model {
	case "none":
	case "":
		m = model.Default()
	default:
		fh, err := os.Open(f.model)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		if m, err = model.Load(fh); err != nil {
			return nil, fmt.Errorf("--model %s: %w", f.model, err)
		}
	}
	return detect.New(p, m, detect.Options{Threshold: f.threshold}), nil
}

type scanFlags struct {
	engineFlags
	in      string
	workers int
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [--in FILE] [--rules DIR] [--model FILE] [--threshold X] [--workers N]",
		Short: "Scan JSON Lines posts and print one verdict per line",
		Long: `Scan reads JSON Lines from --in or stdin, each at least {"id": "...", "text": "..."}
(lang and surface are optional), and writes one JSON verdict per input line, in
input order, also with several workers:

  {"id", "flagged", "categories", "scores", "hits": [{"rule", "category", "start",
   "end", "match", "evasion"}], "indicators": [{"type", "value", "normalized",
   "valid", ...}], "rulepack", "model"}

Offsets are byte offsets into the original text. A malformed line yields
{"id": ..., "error": "line N: ..."} and the run continues; the exit code is 1
if any line failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runScan(cmd, f)
		},
	}
	f.engineFlags.register(cmd)
	cmd.Flags().StringVar(&f.in, "in", "", "JSON Lines input file (default: stdin)")
	cmd.Flags().IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "parallel scan workers (output order is kept)")
	return cmd
}

func runScan(cmd *cobra.Command, f scanFlags) error {
	if f.workers < 1 {
		return &exitError{2, fmt.Sprintf("scan: --workers %d: use 1 or more", f.workers)}
	}
	e, err := f.engine()
	if err != nil {
		return &exitError{2, "scan: " + err.Error()}
	}
	in := cmd.InOrStdin()
	size := int64(-1)
	if f.in != "" {
		fh, err := os.Open(f.in)
		if err != nil {
			return &exitError{2, "scan: " + err.Error()}
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil {
			size = st.Size()
		}
		in = fh
	}
	bar := progressFor(cmd.ErrOrStderr(), size, "scanning")
	out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
	total, failed, err := scanStream(e, in, out, f.workers, bar)
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return &exitError{2, "scan: " + err.Error()}
	}
	if failed > 0 {
		return &exitError{1, fmt.Sprintf("scan: %d of %d lines failed", failed, total)}
	}
	return nil
}

// progressFor returns a progress bar on w when w is a terminal, else nil.
func progressFor(w io.Writer, size int64, what string) *progressbar.ProgressBar {
	fh, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(fh.Fd())) {
		return nil
	}
	return progressbar.NewOptions64(size, progressbar.OptionSetWriter(fh), progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
}

// scanJob is one input line on its way through the workers; out carries its
// encoded result back to the writer, which waits for jobs in input order.
type scanJob struct {
	n    int
	line []byte
	out  chan scanResult
}

type scanResult struct {
	b      []byte
	failed bool
}

// scanStream scans every non-blank line of in with workers goroutines and
// writes the results to out in input order. It returns the number of lines
// and of failed lines; err is an I/O error that stopped the run.
func scanStream(e *detect.Engine, in io.Reader, out io.Writer, workers int, bar *progressbar.ProgressBar) (total, failed int, err error) {
	jobs := make(chan *scanJob, workers*16)
	order := make(chan *scanJob, workers*64)
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		r := bufio.NewReaderSize(in, 64<<10)
		for n := 1; ; n++ {
			line, err := r.ReadBytes('\n')
			if bar != nil {
				_ = bar.Add(len(line))
			}
			if len(bytes.TrimSpace(line)) > 0 {
				j := &scanJob{n: n, line: line, out: make(chan scanResult, 1)}
				order <- j
				jobs <- j
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				return
			}
		}
	}()
	for w := 0; w < workers; w++ {
		go func() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for j := range jobs {
				buf.Reset()
				failed := scanLine(e, j.n, j.line, enc)
				j.out <- scanResult{b: bytes.Clone(buf.Bytes()), failed: failed}
			}
		}()
	}
	for j := range order {
		res := <-j.out
		total++
		if res.failed {
			failed++
		}
		if err == nil {
			_, err = out.Write(res.b)
		}
	}
	if err == nil {
		err = readErr
	}
	return total, failed, err
}

// scanInput is the accepted shape of an input line; other fields are
// ignored.
type scanInput struct {
	ID      json.RawMessage `json:"id"`
	Text    *string         `json:"text"`
	Lang    string          `json:"lang"`
	Surface string          `json:"surface"`
}

type scanError struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

// scanLine decodes, scans and encodes one line; it reports whether the line
// failed (an error object was written instead of a verdict).
func scanLine(e *detect.Engine, n int, line []byte, enc *json.Encoder) bool {
	var in scanInput
	fail := func(id, format string, a ...any) bool {
		_ = enc.Encode(scanError{ID: id, Error: fmt.Sprintf("line %d: ", n) + fmt.Sprintf(format, a...)})
		return true
	}
	if err := json.Unmarshal(line, &in); err != nil {
		return fail("", "not a JSON object: %v", err)
	}
	var id string
	if len(in.ID) == 0 || string(in.ID) == "null" {
		return fail("", `missing "id"`)
	}
	if err := json.Unmarshal(in.ID, &id); err != nil {
		return fail(string(in.ID), `"id" must be a string`)
	}
	if id == "" {
		return fail("", `"id" is empty`)
	}
	if in.Text == nil {
		return fail(id, `missing "text"`)
	}
	if err := enc.Encode(e.Scan(detect.Post{ID: id, Text: *in.Text, Lang: in.Lang, Surface: in.Surface})); err != nil {
		return fail(id, "cannot encode verdict: %v", err)
	}
	return false
}
