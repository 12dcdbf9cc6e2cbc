// Command ingestbench is the load generator and report writer behind
// bench/ingest.sh: it posts content batches to a running `vigil serve`,
// waits until the server has stored every acknowledged item, checks the
// database, and rewrites the ingest section of docs/BENCHMARKS.md.
//
//	ingestbench run    --url URL --token TOKEN --corpus posts.jsonl --json out.json [--items N --clients C --batch B]
//	ingestbench verify --dsn (DATA_DIR/vigil.db | postgres://…) --json out.json   (after the server stopped)
//	ingestbench scancost --corpus posts.jsonl --json cost.json   (the detection stage's CPU per item)
//	ingestbench report --results a.json,b.json --shell env --doc docs/BENCHMARKS.md [--profile top.txt]
//
// It starts nothing itself: the script starts and stops the server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ingestbench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ingestbench: "+format+"\n", args...)
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: ingestbench run|verify|scancost|report [flags] (see -h of each)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:])
	case "verify":
		return cmdVerify(ctx, args[1:])
	case "report":
		return cmdReport(args[1:])
	case "scancost":
		return cmdScanCost(args[1:])
	}
	return fmt.Errorf("unknown command %q: use run, verify, scancost or report", args[0])
}

func cmdRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var cfg RunConfig
	var out string
	fs.StringVar(&cfg.URL, "url", "", "base URL of the running vigil serve")
	fs.StringVar(&cfg.Token, "token", os.Getenv("VIGIL_BENCH_TOKEN"), "service token with scope ingest (or VIGIL_BENCH_TOKEN)")
	fs.StringVar(&cfg.Corpus, "corpus", "", "JSON Lines of posts with a \"text\" field (scanbench corpus)")
	fs.StringVar(&cfg.Label, "label", "run", "name of this run in the report")
	fs.StringVar(&cfg.Database, "database", "sqlite", "database the server uses (for the report)")
	fs.StringVar(&cfg.RunID, "run-id", "", "id prefix, unique per run (default: ib<unix nanos>)")
	fs.IntVar(&cfg.Items, "items", 300_000, "content items to send")
	fs.IntVar(&cfg.Clients, "clients", 8, "concurrent HTTP clients")
	fs.IntVar(&cfg.Size, "batch", 1000, "items per batch")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed of the item metadata mix")
	fs.DurationVar(&cfg.Timeout, "timeout", 5*time.Minute, "how long to wait for the store after the last answer")
	fs.StringVar(&out, "json", "", "write the result here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case cfg.URL == "" || cfg.Token == "" || cfg.Corpus == "":
		return errors.New("run needs --url, --token and --corpus")
	case cfg.Items < 1 || cfg.Clients < 1 || cfg.Size < 1:
		return errors.New("--items, --clients and --batch must be positive")
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	if cfg.RunID == "" {
		cfg.RunID = fmt.Sprintf("ib%d", time.Now().UnixNano())
	}
	res, err := Run(ctx, cfg, logf)
	if err != nil {
		return err
	}
	logf("%s: acked %d, accepted %.0f/s, stored %.0f/s end to end (steady %.0f/s), drained %.0f/s, p50 %.0f ms, p99 %.0f ms, max %.0f ms, failed batches %d, server CPU %.1fs",
		res.Label, res.Acked, res.AcceptedPerSec(), res.StoredPerSec(), res.SteadyStoredPerSec, res.DrainedPerSec(),
		res.LatP50, res.LatP99, res.LatMax, res.FailedBatches, res.ServerCPUSeconds)
	if res.TimedOut {
		logf("%s: TIMED OUT waiting for the store: %d of %d acked items stored", res.Label, res.StoredMetric, res.Acked)
	}
	if out != "" {
		return writeJSON(out, res)
	}
	return nil
}

func cmdVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	dsn := fs.String("dsn", "", "the server's database: SQLite file path or postgres:// URL")
	path := fs.String("json", "", "result file of a run; its DB counts are filled in")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || *path == "" {
		return errors.New("verify needs --dsn and --json")
	}
	res, err := readResult(*path)
	if err != nil {
		return err
	}
	c, err := CountRun(ctx, *dsn, res.RunID)
	if err != nil {
		return err
	}
	res.DB = &c
	logf("%s: database holds %d rows (%d distinct ids) and %d verdicts for %d acked items: lost %d",
		res.Label, c.Rows, c.Distinct, c.Verdicts, res.Acked, Lost(res.Acked, c.Distinct))
	return writeJSON(*path, res)
}

func cmdScanCost(args []string) error {
	fs := flag.NewFlagSet("scancost", flag.ContinueOnError)
	corpus := fs.String("corpus", "", "JSON Lines of posts with a \"text\" field")
	n := fs.Int("items", 30_000, "items to scan")
	out := fs.String("json", "", "write the result here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *corpus == "" || *n < 1 {
		return errors.New("scancost needs --corpus and a positive --items")
	}
	texts, err := readTextsFile(*corpus)
	if err != nil {
		return err
	}
	sc, err := MeasureScanCost(texts, *n)
	if err != nil {
		return err
	}
	logf("detection stage: %.1f µs CPU per item over %d items", sc.MicrosPerItem, sc.Items)
	if *out != "" {
		return writeJSON(*out, sc)
	}
	return nil
}
