package main

import (
	"fmt"
	"net/smtp"
	"net/url"
	"path/filepath"
	"time"

	evfs "vigil/evidence/fs"
	"vigil/lereq"
	"vigil/store"
)

// leOptions configure the law-enforcement request service.
type leOptions struct {
	govRegistry string // CSV of the US .gov registry; empty: any .gov domain
	smtpURL     string // smtp://user:pass@host:port?from=addr; empty: mail kept in memory
	portalURL   string
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
	var mailer lereq.Mailer = &lereq.Outbox{}
	if o.le.smtpURL != "" {
		if mailer, err = smtpMailer(o.le.smtpURL); err != nil {
			return nil, err
		}
	}
	return lereq.New(lereq.Config{Allow: allow, PortalURL: o.le.portalURL, TOTPIssuer: "Vigil law-enforcement portal"},
		lereq.Deps{Store: store.NewLEStore(a.db, time.Now), Directory: a.dir, Blobs: blobs, Audit: a.audit, Mailer: mailer, Logger: a.log})
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
