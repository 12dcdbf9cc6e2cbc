// Command scanbench measures Vigil's detection speed against two baselines
// on one synthetic corpus. bench/scan.sh drives it:
//
//	scanbench corpus   --mb 60 --seed 1 --out corpus.jsonl --text corpus.txt
//	scanbench literals --out literals.txt
//	scanbench run      --corpus corpus.jsonl --json run.json [--cpuprofile cpu.prof]
//	scanbench report   --results run.json --shell shell.env [--profile top.txt --profile-cum cum.txt] --doc docs/BENCHMARKS.md
//
// corpus writes a deterministic mixed-language corpus (JSON Lines for vigil,
// bare texts for grep); literals writes the embedded rule pack's folded
// literals, one per line; run times the engine, the engine with JSON and a
// Go regexp alternation of the same literals; report rewrites the
// "Detection (vigil scan)" section of BENCHMARKS.md from run's results and
// the timings the shell script took (grep, vigil scan, RSS).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"vigil/detect"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "scanbench:", err)
		os.Exit(1)
	}
}

const usage = "usage: scanbench corpus|literals|run|report [flags] (-h for flags)"

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	fs := flag.NewFlagSet("scanbench "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "corpus":
		mb := fs.Float64("mb", 60, "stop once the post texts total this many MB (10^6 bytes)")
		seed := fs.Uint64("seed", 1, "generator seed; the same seed gives the same corpus")
		out := fs.String("out", "", "JSON Lines output file (required)")
		text := fs.String("text", "", "also write the bare texts, one per line, here (grep's input)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" || *mb <= 0 {
			return fmt.Errorf("corpus: --out FILE and --mb > 0 are required")
		}
		return writeCorpusFiles(*seed, int64(*mb*1e6), *out, *text, stderr)
	case "literals":
		out := fs.String("out", "", "output file (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" {
			return fmt.Errorf("literals: --out FILE is required")
		}
		e, err := detect.Default()
		if err != nil {
			return err
		}
		return writeFile(*out, func(w io.Writer) error { return WriteLiterals(w, e.Pack().Literals()) })
	case "run":
		var o runOpts
		fs.StringVar(&o.corpus, "corpus", "", "JSON Lines corpus (required)")
		fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the engine pass here")
		fs.IntVar(&o.regexpEvery, "regexp-every", 1, "run the regexp baseline on every k-th post only (it is slow)")
		js := fs.String("json", "", "write the results as JSON here (default: stdout)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if o.corpus == "" {
			return fmt.Errorf("run: --corpus FILE is required")
		}
		res, err := Run(o, stderr)
		if err != nil {
			return err
		}
		enc := func(w io.Writer) error {
			e := json.NewEncoder(w)
			e.SetIndent("", "  ")
			return e.Encode(res)
		}
		if *js == "" {
			return enc(stdout)
		}
		return writeFile(*js, enc)
	case "report":
		results := fs.String("results", "", "JSON written by `scanbench run` (required)")
		shell := fs.String("shell", "", "key=value timings written by bench/scan.sh")
		doc := fs.String("doc", "docs/BENCHMARKS.md", "document whose detection section is rewritten")
		prof := fs.String("profile", "", "`go tool pprof -top` output of the engine pass, quoted in the section")
		cum := fs.String("profile-cum", "", "the same profile by cumulative time (-top -cum), quoted too")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *results == "" {
			return fmt.Errorf("report: --results FILE is required")
		}
		return rewriteReport(*results, *shell, *prof, *cum, *doc)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}

// writeFile creates path and writes it with f, reporting the first error
// including the one from Close.
func writeFile(path string, f func(io.Writer) error) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f(fh); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func writeCorpusFiles(seed uint64, target int64, out, text string, log io.Writer) error {
	jf, err := os.Create(out)
	if err != nil {
		return err
	}
	defer jf.Close()
	var tw io.Writer
	if text != "" {
		tf, err := os.Create(text)
		if err != nil {
			return err
		}
		defer tf.Close()
		tw = tf
	}
	st, err := WriteCorpus(seed, target, jf, tw)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "corpus: %d posts, %.1f MB text, %d illicit (%d with an evasion), langs %v\n",
		st.Posts, float64(st.TextBytes)/1e6, st.Illicit, st.Evaded, st.Lang)
	if err := jf.Close(); err != nil {
		return err
	}
	if f, ok := tw.(*os.File); ok {
		return f.Close()
	}
	return nil
}
