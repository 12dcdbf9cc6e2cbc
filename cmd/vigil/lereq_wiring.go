package main

import (
	"fmt"
	"net/smtp"
	"net/url"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	evfs "vigil/evidence/fs"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/lereq/webhook"
	"vigil/store"
)

// leOptions configure the law-enforcement request service.
type leOptions struct {
	govRegistry string // CSV of the US .gov registry; empty: any .gov domain
	smtpURL     string // smtp://user:pass@host:port?from=addr; empty: mail kept in memory
	portalURL   string

	// The response-time policy (lawreq.DefaultPolicy's values by default).
	dueEmergency, targetEmergency, duePreservation, dueLegalProcess time.Duration
	webhookURL                                                      string            // escalations are also POSTed here
	staffEmail                                                      map[string]string // username → address for e-mailed escalations
}

// addLEFlags registers the request service's flags on fs.
func addLEFlags(fs *pflag.FlagSet, o *leOptions) {
	def := lawreq.DefaultPolicy()
	fs.StringVar(&o.govRegistry, "gov-registry", "", "CSV of the US .gov domain registry (e.g. ../shared/data/dotgov/current-full.csv); empty: any .gov domain may register")
	fs.StringVar(&o.smtpURL, "smtp-url", "", "smtp://[user:password@]host:port?from=address for officer and escalation e-mail; empty: kept in memory")
	fs.StringVar(&o.portalURL, "portal-url", "", "public base URL of this server, for links in e-mails (default: the listening address)")
	fs.DurationVar(&o.dueEmergency, "due-emergency", def.Deadlines[lawreq.EmergencyDisclosure].Due, "time allowed to answer an emergency disclosure request")
	fs.DurationVar(&o.targetEmergency, "target-emergency", def.Deadlines[lawreq.EmergencyDisclosure].Target, "internal target for emergencies (the on-call person is told when it passes)")
	fs.DurationVar(&o.duePreservation, "due-preservation", def.Deadlines[lawreq.Preservation2703f].Due, "time allowed to answer a preservation request or extension")
	fs.DurationVar(&o.dueLegalProcess, "due-legal-process", def.Deadlines[lawreq.Subpoena].Due, "time allowed for subpoenas, 2703(d) orders and warrants (a return date on the process comes first)")
	fs.StringVar(&o.webhookURL, "escalation-webhook", "", "URL that receives every escalation as a JSON POST")
	fs.StringToStringVar(&o.staffEmail, "staff-email", nil, "username=address pairs for e-mailed escalations, e.g. lecontact=lee@example.org")
}

// policy is the response-time policy the flags describe; a zero duration
// (a command without these flags) keeps the default.
func (o leOptions) policy() (lawreq.Policy, error) {
	p := lawreq.DefaultPolicy()
	set := func(t lawreq.RequestType, due, target time.Duration) {
		d := p.Deadlines[t]
		if due != 0 {
			d.Due = due
		}
		if target != 0 {
			d.Target = target
		}
		p.Deadlines[t] = d
	}
	set(lawreq.EmergencyDisclosure, o.dueEmergency, o.targetEmergency)
	set(lawreq.Preservation2703f, o.duePreservation, 0)
	set(lawreq.PreservationExtension, o.duePreservation, 0)
	for _, t := range []lawreq.RequestType{lawreq.Subpoena, lawreq.CourtOrder2703d, lawreq.SearchWarrant} {
		set(t, o.dueLegalProcess, 0)
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("response-time policy (--due-*, --target-emergency): %w", err)
	}
	return p, nil
}

// newLEService builds the request service over the app's store, directory,
// evidence directory and audit log.
func newLEService(a *app, o serveOptions) (*lereq.Service, error) {
	blobs, err := evfs.New(filepath.Join(o.data, "evidence"))
	if err != nil {
		return nil, err
	}
	allow, loaded, err := lereq.LoadAllowList(o.le.govRegistry, nil, nil)
	if err != nil {
		return nil, err
	}
	if o.le.govRegistry != "" && !loaded {
		a.log.Warn("the .gov registry file was not found: any .gov domain may register", "path", o.le.govRegistry)
	}
	policy, err := o.le.policy()
	if err != nil {
		return nil, err
	}
	var mailer lereq.Mailer = &lereq.Outbox{}
	notifiers := []lereq.Notifier{lereq.InApp{}}
	if o.le.smtpURL != "" {
		if mailer, err = smtpMailer(o.le.smtpURL); err != nil {
			return nil, err
		}
		notifiers = append(notifiers, lereq.SMTPNotifier{Mailer: mailer})
	}
	if o.le.webhookURL != "" {
		if u, err := url.Parse(o.le.webhookURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("--escalation-webhook %q: use an http(s):// URL", o.le.webhookURL)
		}
		notifiers = append(notifiers, &webhook.Notifier{URL: o.le.webhookURL})
	}
	return lereq.New(lereq.Config{Allow: allow, Policy: policy, PortalURL: o.le.portalURL, StaffEmail: o.le.staffEmail, TOTPIssuer: "Vigil law-enforcement portal"},
		lereq.Deps{Store: store.NewLEStore(a.db, time.Now), Directory: a.dir, Blobs: blobs, Audit: a.audit, Mailer: mailer, Notifiers: notifiers, Logger: a.log})
}

// smtpMailer reads smtp://[user:pass@]host:port?from=address.
func smtpMailer(raw string) (*lereq.SMTPMailer, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Host == "" || u.Port() == "" {
		return nil, fmt.Errorf("--smtp-url: use smtp://[user:password@]host:port?from=vigil@example.org")
	}
	from := u.Query().Get("from")
	if from == "" {
		return nil, fmt.Errorf("--smtp-url: add ?from=address, the sender of Vigil's e-mails")
	}
	m := &lereq.SMTPMailer{Addr: u.Host, From: from}
	if u.User != nil {
		pw, _ := u.User.Password()
		m.Auth = smtp.PlainAuth("", u.User.Username(), pw, u.Hostname())
	}
	return m, nil
}
