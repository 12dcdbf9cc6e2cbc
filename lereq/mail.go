package lereq

import (
	"context"
	"fmt"
	"net/smtp"
	"strings"
	"sync"
	"time"
)

// Mail is one outgoing e-mail (plain text).
type Mail struct {
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	At      time.Time `json:"at"`
}

// Mailer sends e-mail: SMTPMailer in production, Outbox in tests and the
// demo (where the web page shows what would have been sent).
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// Outbox is an in-memory Mailer that keeps every message.
type Outbox struct {
	mu   sync.Mutex
	msgs []Mail
}

// Send implements Mailer.
func (o *Outbox) Send(_ context.Context, m Mail) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

// Messages returns a copy of every message sent, oldest first.
func (o *Outbox) Messages() []Mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Mail(nil), o.msgs...)
}

// Last returns the newest message to the address to (any case).
func (o *Outbox) Last(to string) (Mail, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.msgs) - 1; i >= 0; i-- {
		if strings.EqualFold(o.msgs[i].To, to) {
			return o.msgs[i], true
		}
	}
	return Mail{}, false
}

// SMTPMailer sends through an SMTP relay with net/smtp (STARTTLS when the
// server offers it). Auth may be nil for an unauthenticated local relay.
type SMTPMailer struct {
	Addr string // host:port
	From string
	Auth smtp.Auth
}

// Send implements Mailer.
func (s *SMTPMailer) Send(_ context.Context, m Mail) error {
	for _, v := range []string{m.To, m.Subject, s.From} {
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("smtp: header value contains a line break")
		}
	}
	msg := "From: " + s.From + "\r\nTo: " + m.To + "\r\nSubject: " + m.Subject +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(m.Body, "\n", "\r\n")
	if err := smtp.SendMail(s.Addr, s.Auth, s.From, []string{m.To}, []byte(msg)); err != nil {
		return fmt.Errorf("smtp: send to %s: %w", m.To, err)
	}
	return nil
}
