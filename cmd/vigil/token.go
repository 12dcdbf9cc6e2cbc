package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"vigil/audit"
	"vigil/store"
)

func init() { addCommand(newTokenCmd()) }

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage service API tokens (create, list, revoke)",
		Long: `Service API tokens let the platform's own services call the ingest API
(scope ingest) and read audit proofs (scope audit). A token is shown once,
when it is created; Vigil stores only its SHA-256. Send it as
"Authorization: Bearer vgl_...".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var cf dbFlags
	var name, scopes string
	create := &cobra.Command{
		Use:   "create --name NAME --scope ingest[,audit] [--data DIR | --database-url URL]",
		Short: "Create a token and print it once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTokens(cmd, cf, func(ctx context.Context, ts *store.Tokens, log *audit.Log) error {
				raw, tok, err := ts.Create(ctx, name, strings.Split(scopes, ","))
				if err != nil {
					return err
				}
				if err := auditToken(ctx, log, "token.create", tok); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), raw)
				fmt.Fprintf(cmd.ErrOrStderr(), "created token %s (%s, scopes %s).\nStore it now: it is shown only once. Revoke with `vigil token revoke %s`.\n",
					tok.ID, tok.Name, strings.Join(tok.Scopes, ","), tok.ID)
				return nil
			})
		},
	}
	cf.register(create)
	create.Flags().StringVar(&name, "name", "", "name of the service that will use the token, e.g. feed-moments")
	create.Flags().StringVar(&scopes, "scope", "", "comma-separated scopes: "+strings.Join(store.TokenScopes, ", "))

	var lf dbFlags
	list := &cobra.Command{
		Use:   "list [--data DIR | --database-url URL]",
		Short: "List tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withTokens(cmd, lf, func(ctx context.Context, ts *store.Tokens, _ *audit.Log) error {
				toks, err := ts.List(ctx)
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tSCOPES\tCREATED\tSTATUS")
				for _, t := range toks {
					status := "active"
					if t.Revoked() {
						status = "revoked " + t.RevokedAt.Format(time.RFC3339)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Scopes, ","), t.CreatedAt.Format(time.RFC3339), status)
				}
				return tw.Flush()
			})
		},
	}
	lf.register(list)

	var rf dbFlags
	revoke := &cobra.Command{
		Use:   "revoke ID [--data DIR | --database-url URL]",
		Short: "Revoke a token; requests with it fail from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withTokens(cmd, rf, func(ctx context.Context, ts *store.Tokens, log *audit.Log) error {
				tok, err := ts.Revoke(ctx, args[0])
				if err != nil {
					return err
				}
				if err := auditToken(ctx, log, "token.revoke", tok); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "revoked %s (%s) at %s\n", tok.ID, tok.Name, tok.RevokedAt.Format(time.RFC3339))
				return nil
			})
		},
	}
	rf.register(revoke)
	for _, c := range []*cobra.Command{create, list, revoke} {
		c.Flags().String("config", "", "YAML configuration file (keys are flag names)")
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// withTokens opens (and migrates) the database and the audit log, since
// creating and revoking tokens are audited state changes.
func withTokens(cmd *cobra.Command, f dbFlags, do func(context.Context, *store.Tokens, *audit.Log) error) error {
	if err := applyConfig(cmd); err != nil {
		return err
	}
	ctx := cmd.Context()
	db, err := f.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	keys, err := audit.LoadOrCreateKey(f.data, "")
	if err != nil {
		return err
	}
	log, err := audit.New(store.NewAuditStore(db), keys, audit.Options{})
	if err != nil {
		return err
	}
	defer log.Close()
	return do(ctx, store.NewTokens(db, time.Now), log)
}

func auditToken(ctx context.Context, log *audit.Log, action string, t store.Token) error {
	_, err := log.Append(ctx, audit.Event{Actor: operator(), Role: "operator", Action: action,
		Records: []string{"api_token:" + t.ID}, Reason: "vigil token command",
		Detail: map[string]string{"name": t.Name, "scopes": strings.Join(t.Scopes, ",")}})
	if err != nil {
		return fmt.Errorf("record %s in the audit log: %w", action, err)
	}
	return nil
}
