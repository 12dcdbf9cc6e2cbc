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
	"runtime/debug"
	"slices"
	"strings"

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
	fl.StringVar(&f.model, "model", "", "model file written by vigil train (default: the embedded model; \"none\": rules only)")
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
	if os.Getenv("GOGC") == "" {
		// The engine's tables (rule automaton, model, phone metadata) are a
		// large live heap that every collection re-marks, while each post
		// allocates a few hundred bytes of short-lived strings: at the
		// default GOGC=100 collection cost ~8% of the CPU of a scan. 400
		// collects a quarter as often for ~30 MB more peak RSS.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
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

// scanStream scans every non-blank line of in with workers goroutines and
// writes the results to out in input order. It returns the number of lines
// and of failed lines; err is an I/O error that stopped the run.
func scanStream(e *detect.Engine, in io.Reader, out io.Writer, workers int, bar *progressbar.ProgressBar) (total, failed int, err error) {
	if workers == 1 {
		// One worker scans in the reading goroutine: handing every line to
		// another goroutine and back cost more than decoding it.
		ls := newLineScanner(e)
		var buf []byte
		readErr := eachLine(in, bar, func(n int, line string, _ bool) {
			var f bool
			buf, f = ls.scan(n, line, buf[:0])
			total++
			if f {
				failed++
			}
			if err == nil {
				_, err = out.Write(buf)
			}
		})
		if err == nil {
			err = readErr
		}
		return total, failed, err
	}
	return scanParallel(e, in, out, workers, bar)
}

// scanBatch is a run of input lines handed to a worker at once (handing
// lines over one by one cost a goroutine switch per line); out collects
// their results for the writer, which takes batches in input order.
type scanBatch struct {
	nums   []int
	lines  []string // substrings of eachLine's blocks: no copy
	bytes  int
	out    []byte
	failed int
	done   chan struct{}
}

// Batches close at this many lines or bytes, or when the input has
// nothing more buffered (so a slow stream is not held back).
const (
	batchLines = 128
	batchBytes = 64 << 10
)

func scanParallel(e *detect.Engine, in io.Reader, out io.Writer, workers int, bar *progressbar.ProgressBar) (total, failed int, err error) {
	jobs := make(chan *scanBatch, workers*2)
	order := make(chan *scanBatch, workers*4)
	var readErr error
	go func() {
		defer close(order)
		defer close(jobs)
		var b *scanBatch
		send := func() {
			if b != nil {
				order <- b
				jobs <- b
				b = nil
			}
		}
		readErr = eachLine(in, bar, func(n int, line string, more bool) {
			if b == nil {
				b = &scanBatch{done: make(chan struct{})}
			}
			b.nums, b.lines, b.bytes = append(b.nums, n), append(b.lines, line), b.bytes+len(line)
			if len(b.nums) >= batchLines || b.bytes >= batchBytes || !more {
				send()
			}
		})
		send()
	}()
	for w := 0; w < workers; w++ {
		go func() {
			ls := newLineScanner(e)
			for b := range jobs {
				for i, n := range b.nums {
					var f bool
					b.out, f = ls.scan(n, b.lines[i], b.out)
					if f {
						b.failed++
					}
				}
				close(b.done)
			}
		}()
	}
	for b := range order {
		<-b.done
		total += len(b.nums)
		failed += b.failed
		if err == nil {
			_, err = out.Write(b.out)
		}
	}
	if err == nil {
		err = readErr
	}
	return total, failed, err
}

// eachLine calls fn with every non-blank line of in (with its newline) and
// its 1-based line number; more reports whether further input is already
// buffered. It returns the read error that ended the input, nil at EOF.
//
// Input is read in blocks and every block of whole lines becomes one
// string, whose substrings are the lines: the posts' ids and texts then
// need no allocation of their own.
func eachLine(in io.Reader, bar *progressbar.ProgressBar, fn func(n int, line string, more bool)) error {
	buf := make([]byte, 0, readBlock)
	n := 0
	for {
		if len(buf) == cap(buf) {
			// A line longer than the buffer: make room for the rest of it.
			buf = slices.Grow(buf, cap(buf))
		}
		m, err := in.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		// What was left from the last read holds no newline: search only
		// the new bytes (a slow stream must not rescan a long line).
		end := 0
		if i := bytes.LastIndexByte(buf[len(buf)-m:], '\n'); i >= 0 {
			end = len(buf) - m + i + 1
		}
		if err != nil {
			end = len(buf) // the last line may lack its newline
		}
		if end > 0 {
			block := string(buf[:end])
			rest := len(buf) - end
			for len(block) > 0 {
				line := block
				if i := strings.IndexByte(block, '\n'); i >= 0 {
					line = block[:i+1]
				}
				block = block[len(line):]
				n++
				if bar != nil {
					_ = bar.Add(len(line))
				}
				if len(strings.TrimSpace(line)) > 0 {
					fn(n, line, len(block) > 0 || rest > 0)
				}
			}
			buf = buf[:copy(buf, buf[end:])]
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// readBlock is the size of eachLine's reads.
const readBlock = 64 << 10

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

// lineScanner decodes, scans and encodes lines; one per goroutine.
type lineScanner struct {
	e   *detect.Engine
	v   detect.Verdict // reused for every line (Engine.ScanInto)
	buf bytes.Buffer
	enc *json.Encoder
}

func newLineScanner(e *detect.Engine) *lineScanner {
	ls := &lineScanner{e: e}
	ls.enc = json.NewEncoder(&ls.buf)
	ls.enc.SetEscapeHTML(false)
	return ls
}

// scan decodes, scans and encodes line n, appending the output line to dst;
// it reports whether the line failed (an error object was written instead
// of a verdict).
func (ls *lineScanner) scan(n int, line string, dst []byte) ([]byte, bool) {
	fail := func(id, format string, a ...any) ([]byte, bool) {
		ls.buf.Reset()
		_ = ls.enc.Encode(scanError{ID: id, Error: fmt.Sprintf("line %d: ", n) + fmt.Sprintf(format, a...)})
		return append(dst, ls.buf.Bytes()...), true
	}
	var p detect.Post
	if fast, ok := decodeFast(line); ok {
		p = detect.Post{ID: fast.id, Text: fast.text, Lang: fast.lang, Surface: fast.surface}
	} else {
		var in scanInput
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			return fail("", "not a JSON object: %v", err)
		}
		if len(in.ID) == 0 || string(in.ID) == "null" {
			return fail("", `missing "id"`)
		}
		var id string // not &p.ID: that would move p to the heap on every line
		if err := json.Unmarshal(in.ID, &id); err != nil {
			return fail(string(in.ID), `"id" must be a string`)
		}
		p.ID = id
		if p.ID != "" && in.Text == nil {
			return fail(p.ID, `missing "text"`)
		}
		if in.Text != nil {
			p.Text = *in.Text
		}
		p.Lang, p.Surface = in.Lang, in.Surface
	}
	if p.ID == "" {
		return fail("", `"id" is empty`)
	}
	ls.e.ScanInto(p, &ls.v)
	out, err := ls.v.AppendJSON(dst)
	if err != nil {
		return fail(p.ID, "cannot encode verdict: %v", err)
	}
	return append(out, '\n'), false
}
