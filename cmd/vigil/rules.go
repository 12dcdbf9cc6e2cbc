package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"vigil/detect"
	"vigil/detect/rulepack"
	"vigil/detect/rules"
)

func init() { addCommand(newRulesCmd()) }

func newRulesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "Work with rule packs",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "test [DIR]",
		Short: "Validate a rule pack and run every rule's examples",
		Long: `Test loads the rule pack in DIR (default: the embedded pack), reports any
validation error, then runs every rule's match and no_match examples through
the whole pipeline (normalisation, indicators, matching; no model) and prints
each example that misbehaves. The exit code is 1 on any failure.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var p *rulepack.Pack
			var err error
			if len(args) == 1 {
				p, err = rulepack.LoadDir(args[0])
			} else {
				p, err = rulepack.Load(rules.FS)
			}
			if err != nil {
				return &exitError{1, "rules test: invalid rule pack:\n" + err.Error()}
			}
			e := detect.New(p, nil, detect.Options{})
			fails := p.TestExamples(e.FiredRules)
			out := cmd.OutOrStdout()
			examples := 0
			for _, r := range p.Rules {
				examples += len(r.Examples.Match) + len(r.Examples.NoMatch)
			}
			for _, f := range fails {
				fmt.Fprintln(out, "FAIL", f.String())
			}
			fmt.Fprintf(out, "rule pack %s: %d rules, %d suppressors, %d examples, %d failures\n",
				p.Version(), len(p.Rules), len(p.Suppressors), examples, len(fails))
			if len(fails) > 0 {
				return &exitError{1, ""}
			}
			return nil
		},
	})
	return cmd
}
