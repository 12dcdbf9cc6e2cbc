package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"vigil/audit"
	"vigil/detect"
	"vigil/ingest"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/production"
	"vigil/queue"
	"vigil/store"
	"vigil/web"
)

type serveOptions struct {
	data, addr, databaseURL, natsURL, role string
	demo                                   bool
	demoAccounts                           int
	checkpointEvery, shutdownGrace         time.Duration
	secureCookies                          bool
	logLevel, auditOrigin                  string
	leContact                              web.LEContact
	custodian                              production.Custodian
	le                                     leOptions
}

func init() { addCommand(newServeCmd()) }

func newServeCmd() *cobra.Command {
	var o serveOptions
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the Vigil service (embedded SQLite + NATS JetStream by default)",
		Long: `Run the Vigil service. With no flags everything runs in one process: SQLite and an
embedded NATS JetStream server under --data, and the HTTP server on --addr.

Every flag can also be set with a VIGIL_* environment variable (--database-url →
VIGIL_DATABASE_URL) or in a YAML file named by --config whose keys are the flag names.
Precedence: flag, environment, file, default.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyConfig(cmd); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			fmt.Fprintln(cmd.ErrOrStderr(), "vigil serve: effective configuration")
			printConfig(cmd.ErrOrStderr(), cmd.Flags())
			return runServe(ctx, o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.String("config", "", "YAML configuration file (keys are flag names)")
	f.StringVar(&o.data, "data", "./vigil-data", "data directory: SQLite database, JetStream files, audit key")
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "HTTP listen address")
	f.StringVar(&o.databaseURL, "database-url", "", "postgres://… to use PostgreSQL instead of SQLite")
	f.StringVar(&o.natsURL, "nats-url", "", "nats://… to use an external NATS cluster instead of the embedded server")
	f.StringVar(&o.role, "role", "all", "api (HTTP only), worker (queue consumers only) or all")
	f.BoolVar(&o.demo, "demo", false, "load the demo platform first if the data directory is empty")
	f.IntVar(&o.demoAccounts, "demo-accounts", 10000, "accounts in the demo platform")
	f.DurationVar(&o.checkpointEvery, "checkpoint-every", time.Minute, "how often a signed audit checkpoint is published")
	f.DurationVar(&o.shutdownGrace, "shutdown-grace", 30*time.Second, "how long shutdown waits for in-flight work")
	f.BoolVar(&o.secureCookies, "secure-cookies", false, "mark session cookies Secure on plain HTTP (behind a TLS proxy)")
	f.StringVar(&o.logLevel, "log-level", "info", "debug, info, warn or error")
	f.StringVar(&o.auditOrigin, "audit-origin", "vigil.local/audit", "origin line of audit checkpoints")
	f.StringVar(&o.leContact.Name, "le-contact-name", "Law Enforcement Response Team", "the law-enforcement contact named on /law-enforcement")
	f.StringVar(&o.leContact.Email, "le-contact-email", "", "published e-mail address for law-enforcement questions")
	f.StringVar(&o.leContact.Phone, "le-contact-phone", "", "the on-call emergency line for law enforcement")
	f.StringVar(&o.leContact.Hours, "le-contact-hours", "", "when the non-emergency contact answers, e.g. \"Mon-Fri 09:00-17:00 PT\"")
	f.StringVar(&o.leContact.Portal, "le-contact-portal", "", "absolute URL of the officer portal if it is not this server")
	addLEFlags(f, &o.le)
	f.StringVar(&o.custodian.Name, "custodian-name", "", "custodian of records who signs production certifications (default: the producing staff member)")
	f.StringVar(&o.custodian.Title, "custodian-title", "Custodian of Records", "the custodian's title on certifications")
	f.StringVar(&o.custodian.Organization, "custodian-organization", "", "the producing company's legal name on certifications")
	return c
}

// app is everything a running Vigil process holds, in the order it is
// closed.
type app struct {
	log      *slog.Logger
	db       *store.DB
	emb      *queue.Embedded
	q        *queue.Conn
	audit    *audit.Log
	dir      *store.Directory
	tokens   *store.Tokens
	ingest   *ingest.Service
	verdicts *store.Verdicts
	reg      *prometheus.Registry

	productionKey *production.Key // signs production packages; public half at /.well-known
	le            *lereq.Service  // law-enforcement requests
	lePolicy      lawreq.Policy   // their response times, published on /law-enforcement
}

// openApp opens the store, the queue and the audit log; shared by serve and
// by the operator commands that need the whole system (demo).
func openApp(ctx context.Context, o serveOptions, logger *slog.Logger, withQueue bool) (*app, error) {
	a := &app{log: logger, reg: prometheus.NewRegistry()}
	a.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	dsn := store.SQLitePath(o.data)
	if o.databaseURL != "" {
		dsn = o.databaseURL
	}
	if err := os.MkdirAll(o.data, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", o.data, err)
	}
	var err error
	if a.db, err = store.Open(ctx, dsn); err != nil {
		return nil, err
	}
	if _, err := a.db.Migrate(ctx); err != nil {
		a.close()
		return nil, err
	}
	keys, err := audit.LoadOrCreateKey(o.data, o.auditOrigin)
	if err != nil {
		a.close()
		return nil, err
	}
	if a.audit, err = audit.New(store.NewAuditStore(a.db), keys, audit.Options{Logger: logger}); err != nil {
		a.close()
		return nil, err
	}
	if a.productionKey, err = production.LoadOrCreateKey(o.data); err != nil {
		a.close()
		return nil, err
	}
	a.dir = store.NewDirectory(a.db, time.Now)
	a.tokens = store.NewTokens(a.db, time.Now)
	a.verdicts = store.NewVerdicts(a.db)
	if o.le.portalURL == "" {
		o.le.portalURL = "http://" + o.addr
	}
	if a.lePolicy, err = o.le.policy(); err != nil {
		a.close()
		return nil, err
	}
	if a.le, err = newLEService(a, o); err != nil {
		a.close()
		return nil, err
	}
	if !withQueue {
		return a, nil
	}
	if o.natsURL == "" {
		if o.role != "all" {
			a.close()
			return nil, errors.New("--role api or worker needs --nats-url: the embedded NATS server serves only its own process")
		}
		if a.emb, err = queue.StartEmbedded(filepath.Join(o.data, "nats")); err != nil {
			a.close()
			return nil, err
		}
		a.q, err = a.emb.Connect()
	} else {
		a.q, err = queue.Connect(o.natsURL)
	}
	if err != nil {
		a.close()
		return nil, err
	}
	eng, err := detect.Default()
	if err != nil {
		a.close()
		return nil, fmt.Errorf("load the detection engine: %w", err)
	}
	a.ingest, err = ingest.New(ingest.Config{
		Store: a.dir, Queue: a.q, Audit: a.audit, Log: logger, Registerer: a.reg,
		Stage: &detectStage{engine: eng, verdicts: a.verdicts, now: time.Now},
	})
	if err != nil {
		a.close()
		return nil, err
	}
	if err := a.ingest.EnsureQueue(ctx); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func (a *app) close() {
	if a.audit != nil {
		a.audit.Close()
	}
	if a.q != nil {
		a.q.Close()
	}
	if a.emb != nil {
		a.emb.Shutdown()
	}
	if a.db != nil {
		a.db.Close()
	}
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func runServe(ctx context.Context, o serveOptions, stdout, stderr io.Writer) error {
	switch o.role {
	case "all", "api", "worker":
	default:
		return fmt.Errorf("--role %q: use api, worker or all", o.role)
	}
	logger, err := newLogger(stderr, o.logLevel)
	if err != nil {
		return err
	}
	slog.SetDefault(logger)
	// Listen first: with --addr 127.0.0.1:0 only the listener knows the port,
	// and links in e-mails (--portal-url's default) must name it.
	var ln net.Listener
	if o.role != "worker" {
		if ln, err = net.Listen("tcp", o.addr); err != nil {
			return fmt.Errorf("listen on %s: %w (is another vigil running? use --addr)", o.addr, err)
		}
		defer ln.Close()
		if o.le.portalURL == "" {
			o.le.portalURL = "http://" + ln.Addr().String()
		}
	}
	a, err := openApp(ctx, o, logger, true)
	if err != nil {
		return err
	}
	defer a.close()

	var demoLogins []demoLogin
	if o.demo {
		if demoLogins, err = loadDemoIfEmpty(ctx, a, o.demoAccounts, stderr); err != nil {
			return err
		}
	}

	// Workers: the queue consumer that stores and scans content. Its context
	// is cancelled only after HTTP has drained, so accepted work is finished.
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	workDone := make(chan error, 1)
	if o.role != "api" {
		go func() { workDone <- a.ingest.Run(workCtx) }()
	} else {
		close(workDone)
	}
	pubCtx, stopPub := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPub()
	go a.audit.PublishEvery(pubCtx, o.checkpointEvery)
	if o.role != "api" {
		// Escalations: each level is claimed once in the database, so
		// several workers may run this loop.
		go a.le.Run(pubCtx, time.Minute)
	}

	var srv *web.Server
	if o.role != "worker" {
		srv, err = web.New(web.Config{
			Users:         a.db,
			Sessions:      store.NewSessionStore(a.db, 5*time.Minute),
			Audit:         a.audit,
			Tokens:        web.ServiceTokens(a.tokens),
			Stats:         &dashboardStats{a: a},
			Registry:      a.reg,
			Logger:        logger,
			SecureCookies: o.secureCookies,
			LE:            a.le,
			LEPolicy:      a.lePolicy,
			Custodian:     o.custodian,
			ProductionKey: a.productionKey,
			Records:       a.dir,
			Ready: []web.ReadyCheck{
				{Name: "store", Check: a.db.PingContext},
				{Name: "queue", Check: a.q.Ready},
			},
			LEContact: o.leContact,
			Routes: slices.Concat(web.AuditRoutes(a.audit), web.IngestRoutes(a.ingest),
				web.ProductionKeyRoutes(a.productionKey.Public())),
		})
		if err != nil {
			return err
		}
		url := "http://" + ln.Addr().String()
		fmt.Fprintf(stdout, "Vigil is running at %s/\n", url)
		for _, d := range demoLogins {
			fmt.Fprintf(stdout, "  demo login: %-12s password %-24s role %s\n", d.username, d.password, d.role)
		}
		if len(demoLogins) > 0 {
			fmt.Fprintf(stdout, "  demo officer (portal %s/portal/login): %s password %s\n", url, lereq.DemoOfficerEmail, demoOfficerPassword)
			fmt.Fprintln(stdout, "  (each demo user enrols an authenticator app (TOTP) at first login)")
		}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("http server stopped", "err", err)
			}
		}()
	}
	logger.Info("vigil started", "role", o.role, "addr", o.addr, "database", a.db.Dialect.String(), "embedded_nats", a.emb != nil)

	select {
	case <-ctx.Done():
	case err := <-workDone:
		if err != nil && o.role != "api" {
			return fmt.Errorf("queue consumer stopped: %w", err)
		}
		<-ctx.Done()
	}
	logger.Info("shutting down: draining in-flight work")
	grace, cancel := context.WithTimeout(context.Background(), o.shutdownGrace)
	defer cancel()
	if srv != nil {
		if err := srv.Shutdown(grace); err != nil {
			logger.Warn("http shutdown", "err", err)
		}
	}
	stopWork()
	if o.role != "api" {
		select {
		case <-workDone:
		case <-grace.Done():
			logger.Warn("queue consumer did not stop in time; unacknowledged messages will be redelivered")
		}
	}
	stopPub()
	if _, err := a.audit.Publish(grace); err != nil {
		logger.Warn("final audit checkpoint", "err", err)
	}
	logger.Info("stopped")
	return nil
}
