package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"vigil/auth"
	"vigil/demo"
	"vigil/ingest"
	"vigil/lereq"
	"vigil/store"
	"vigil/web"
)

func init() { addCommand(newDemoCmd()) }

func newDemoCmd() *cobra.Command {
	o := serveOptions{role: "all", auditOrigin: "vigil.local/audit"}
	var seed uint64
	c := &cobra.Command{
		Use:   "demo",
		Short: "Load the deterministic synthetic demo platform into a data directory",
		Long: `Generate the synthetic demo platform (accounts, logins, groups, public posts in four
scripts with a few hundred illicit ads, demo staff users) and load it through the real intake
pipeline: JetStream, the store and the detection stage. It refuses a data directory that
already holds accounts. Phone numbers are in the US 555-01xx range reserved for fiction, IP
addresses in the documentation ranges, e-mails on example.com/.net/.org.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfig(cmd); err != nil {
				return err
			}
			logger, err := newLogger(cmd.ErrOrStderr(), "warn")
			if err != nil {
				return err
			}
			a, err := openApp(cmd.Context(), o, logger, true)
			if err != nil {
				return err
			}
			defer a.close()
			logins, err := loadDemo(cmd.Context(), a, demo.Options{Accounts: o.demoAccounts, Seed: seed}, cmd.ErrOrStderr(), true)
			if err != nil {
				return err
			}
			for _, d := range logins {
				fmt.Fprintf(cmd.OutOrStdout(), "demo login: %-12s password %-24s role %s\n", d.username, d.password, d.role)
			}
			return nil
		},
	}
	f := c.Flags()
	f.String("config", "", "YAML configuration file (keys are flag names)")
	f.StringVar(&o.data, "data", "./vigil-data", "data directory")
	f.StringVar(&o.databaseURL, "database-url", "", "postgres://… instead of SQLite in --data")
	f.StringVar(&o.natsURL, "nats-url", "", "nats://… instead of the embedded server")
	f.IntVar(&o.demoAccounts, "accounts", 10000, "number of accounts (about 10 public posts each)")
	f.Uint64Var(&seed, "seed", 1, "generator seed; the same seed gives the same platform")
	return c
}

type demoLogin struct{ username, password, role string }

// demoOfficerPassword is the demo agency officer's password.
const demoOfficerPassword = "demo-officer-passphrase"

// demoStaff are the demo console users, one per role. Their passwords are
// printed by `serve --demo`; they exist only in demo data directories.
var demoStaff = []demoLogin{
	{"admin", "demo-admin-passphrase", web.RoleAdmin},
	{"reviewer", "demo-reviewer-passphrase", web.RoleReviewer},
	{"lecontact", "demo-lecontact-passphrase", web.RoleLEResponse},
	{"counsel", "demo-counsel-passphrase", web.RoleLegal},
	{"auditor", "demo-auditor-passphrase", web.RoleAuditor},
}

// loadDemoIfEmpty loads the demo platform unless the store already holds
// accounts or staff users; it returns the demo logins either way when the
// store holds the demo users, so serve can print them.
func loadDemoIfEmpty(ctx context.Context, a *app, accounts int, progress io.Writer) ([]demoLogin, error) {
	st, err := a.dir.Stats(ctx)
	if err != nil {
		return nil, err
	}
	staff, err := a.db.CountStaffUsers(ctx)
	if err != nil {
		return nil, err
	}
	if st.Accounts > 0 || staff > 0 {
		if _, err := a.db.StaffUserByUsername(ctx, demoStaff[0].username); err == nil {
			return demoStaff, nil
		}
		fmt.Fprintln(progress, "vigil: --demo ignored: the data directory already holds data")
		return nil, nil
	}
	// The consumer runs in serve after this returns, so demo content queued
	// here is stored and scanned then.
	return loadDemo(ctx, a, demo.Options{Accounts: accounts}, progress, false)
}

// loadDemo generates the demo platform and submits it through the intake
// service. With drain it also runs the queue consumer until everything
// submitted is stored and scanned.
func loadDemo(ctx context.Context, a *app, opt demo.Options, progress io.Writer, drain bool) ([]demoLogin, error) {
	if st, err := a.dir.Stats(ctx); err != nil {
		return nil, err
	} else if st.Accounts > 0 {
		return nil, fmt.Errorf("the data directory already holds %d accounts: demo data goes only into an empty one (use a new --data)", st.Accounts)
	}
	started := time.Now()
	p := demo.Generate(opt)
	by := ingest.Caller{ID: "demo", Name: "demo loader"}
	if err := submitAll(ctx, a.ingest, ingest.KindAccounts, p.Accounts, by); err != nil {
		return nil, err
	}
	if err := submitAll(ctx, a.ingest, ingest.KindGroups, p.Groups, by); err != nil {
		return nil, err
	}
	if err := submitAll(ctx, a.ingest, ingest.KindLogins, p.Logins, by); err != nil {
		return nil, err
	}
	items := make([]any, len(p.Posts))
	for i := range p.Posts {
		items[i] = p.Posts[i].ContentItem
	}
	if err := submitAll(ctx, a.ingest, ingest.KindContent, items, by); err != nil {
		return nil, err
	}
	for _, d := range demoStaff {
		hash, err := auth.HashPassword(d.password, auth.DefaultArgon2)
		if err != nil {
			return nil, err
		}
		if _, err := a.db.CreateStaffUser(ctx, store.StaffUser{Username: d.username, DisplayName: "Demo " + d.role, Role: d.role, PasswordHash: hash}); err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", d.username, err)
		}
	}
	// The demo agency, officer and requests name demo accounts, which the
	// intake above stored synchronously.
	seeded, err := a.le.SeedDemo(ctx, lereq.DemoOptions{Password: demoOfficerPassword})
	if err != nil {
		return nil, fmt.Errorf("seed the demo law-enforcement agency: %w", err)
	}
	fmt.Fprintf(progress, "vigil: demo agency %q with officer %s and %d requests in different states\n",
		seeded.Agency.Name, seeded.Officer.Email, len(seeded.Requests))
	if drain {
		if err := drainQueue(ctx, a); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(progress, "vigil: demo platform loaded in %s: %d accounts, %d logins, %d groups, %d posts, %d staff users\n",
		time.Since(started).Round(time.Millisecond), len(p.Accounts), len(p.Logins), len(p.Groups), len(p.Posts), len(demoStaff))
	return demoStaff, nil
}

// submitAll sends items in batches through the intake service and fails on
// the first rejected item: demo data must be entirely valid.
func submitAll[T any](ctx context.Context, svc *ingest.Service, kind ingest.Kind, items []T, by ingest.Caller) error {
	const batch = 5000
	for i := 0; i < len(items); i += batch {
		part := items[i:min(i+batch, len(items))]
		raws := make([]json.RawMessage, len(part))
		for j := range part {
			b, err := json.Marshal(part[j])
			if err != nil {
				return err
			}
			raws[j] = b
		}
		res, err := svc.Submit(ctx, kind, raws, by)
		if err != nil {
			return fmt.Errorf("load demo %s: %w", kind, err)
		}
		if len(res.Errors) > 0 {
			e := res.Errors[0]
			return fmt.Errorf("demo %s item %d (%s) rejected: %s %s", kind, i+e.Index, e.ID, e.Field, e.Message)
		}
	}
	return nil
}

// drainQueue runs the consumer until the content stream has no pending
// messages.
func drainQueue(ctx context.Context, a *app) error {
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.ingest.Run(runCtx) }()
	defer func() { stop(); <-done }()
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		lag, err := a.ingest.Lag(ctx)
		if err != nil {
			return err
		}
		if lag == 0 {
			return nil
		}
		select {
		case err := <-done:
			return fmt.Errorf("queue consumer stopped while draining: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
	fmt.Fprintln(os.Stderr, "vigil: demo content still queued after 10 minutes; it will be stored when the service runs")
	return nil
}
