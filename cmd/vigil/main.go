// Command vigil is the single binary of the Vigil system: the service
// (`vigil serve`) and every operator and analyst tool (scan, eval, train,
// rules, migrate, user, token, demo, audit, verify-package).
//
// This file is the composition root: it is the only place that knows every
// concrete type. Each subcommand lives in its own file and registers itself
// with root through addCommand in an init function.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is overridden at build time with -ldflags "-X main.version=...".
var version = "dev"

var root = &cobra.Command{
	Use:           "vigil",
	Short:         "Vigil: detection, lawful-request handling and evidence preservation for a messaging platform",
	SilenceUsage:  true,
	SilenceErrors: true,
	Version:       version,
	Args:          cobra.NoArgs,
	RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
}

func addCommand(c *cobra.Command) { root.AddCommand(c) }

// exitError lets a command choose its exit code (for example scan: 1 when
// any input line failed) without printing a second error message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, "vigil:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "vigil:", err)
	return 2
}
