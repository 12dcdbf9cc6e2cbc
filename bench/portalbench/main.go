// Command portalbench is the helper behind bench/portal.sh: it signs in to
// a running `vigil serve` through the real pages (password, then TOTP,
// enrolling on first sign-in), writes the portal's new-request form as a
// request body for wrk, seeds requests through that form, and turns wrk's
// output into the "Law-enforcement portal" section of docs/BENCHMARKS.md.
//
//	portalbench login --url URL --kind staff|officer --user NAME --password PW   (prints cookie= and csrf=)
//	portalbench form  --out DIR --cookie C --csrf T   (DIR/submit.body, DIR/submit.lua for wrk)
//	portalbench seed  --url URL --cookie C --csrf T --n 1000 --body DIR/submit.body
//	portalbench report --env FILE --wrk name=FILE,... --build FILE --doc docs/BENCHMARKS.md
//
// It starts nothing itself: the script starts and stops the server.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "portalbench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: portalbench login|form|seed|report [flags] (see -h of each)")
	}
	switch args[0] {
	case "login":
		return loginCmd(args[1:])
	case "form":
		return formCmd(args[1:])
	case "seed":
		return seedCmd(args[1:])
	case "report":
		return reportCmd(args[1:])
	}
	return fmt.Errorf("unknown command %q: use login, form, seed or report", args[0])
}
