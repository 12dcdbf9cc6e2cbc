package lereq

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"vigil/lawreq"
)

// Notice is one escalation to deliver to one staff member.
type Notice struct {
	RequestID  string             `json:"request_id"`
	Type       lawreq.RequestType `json:"type"`
	CaseNumber string             `json:"case_number"`
	Level      lawreq.Level       `json:"level"`
	Recipient  string             `json:"recipient"` // staff username
	Email      string             `json:"email,omitempty"`
	Roles      []lawreq.Recipient `json:"roles"` // why this person is told: assignee, on_call, supervisor
	Due        time.Time          `json:"due"`
	Left       time.Duration      `json:"left"`
	Subject    string             `json:"subject"`
	Body       string             `json:"body"`
	Link       string             `json:"link,omitempty"`
}

// Notifier delivers notices on one channel (smtp, webhook, in_app).
type Notifier interface {
	Channel() string
	Notify(ctx context.Context, n Notice) error
}

// ErrNoAddress is returned by a notifier that has no address for the
// recipient; the delivery is recorded as skipped, not failed.
var ErrNoAddress = errors.New("no address for this recipient on this channel")

// InApp is the in-app channel: the recorded notification is the inbox
// entry (Service.Inbox reads it), so delivery itself does nothing.
type InApp struct{}

// Channel implements Notifier.
func (InApp) Channel() string { return ChannelInApp }

// Notify implements Notifier.
func (InApp) Notify(context.Context, Notice) error { return nil }

// SMTPNotifier e-mails notices through a Mailer to the recipient's
// address from Config.StaffEmail.
type SMTPNotifier struct{ Mailer Mailer }

// Channel implements Notifier.
func (SMTPNotifier) Channel() string { return ChannelSMTP }

// Notify implements Notifier.
func (m SMTPNotifier) Notify(ctx context.Context, n Notice) error {
	if n.Email == "" {
		return ErrNoAddress
	}
	return m.Mailer.Send(ctx, Mail{To: n.Email, Subject: n.Subject, Body: n.Body})
}

// EscalationReport counts what one RunEscalations did.
type EscalationReport struct {
	Requests   int `json:"requests"`   // open requests examined
	Levels     int `json:"levels"`     // escalation levels reached and claimed
	Sent       int `json:"sent"`       // deliveries that succeeded
	Failed     int `json:"failed"`     // deliveries that failed (retried next run)
	Skipped    int `json:"skipped"`    // deliveries without an address
	Superseded int `json:"superseded"` // levels overtaken by a later one in the same run
}

// RunEscalations sends the escalations due at now for every open request:
// each level of the ladder is claimed once per request in the store (so it
// is never sent twice, even by two processes), then delivered through
// every notifier to each recipient, and every delivery is recorded. Failed
// deliveries of earlier runs are retried first.
func (s *Service) RunEscalations(ctx context.Context, now time.Time) (EscalationReport, error) {
	var rep EscalationReport
	if err := s.retryFailed(ctx, now, &rep); err != nil {
		return rep, err
	}
	recs, err := s.d.Store.ListRequests(ctx, QueueQuery{OpenOnly: true})
	if err != nil {
		return rep, err
	}
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Requests++
		if err := s.escalate(ctx, r, now, &rep); err != nil {
			return rep, fmt.Errorf("escalate request %s: %w", r.Req.ID, err)
		}
	}
	return rep, nil
}

func (s *Service) escalate(ctx context.Context, r RequestRecord, now time.Time, rep *EscalationReport) error {
	rows, err := s.d.Store.Notifications(ctx, r.Req.ID)
	if err != nil {
		return err
	}
	var sent []lawreq.Level
	for _, n := range rows {
		if n.Channel == ChannelLadder {
			sent = append(sent, n.Level)
		}
	}
	due, err := s.cfg.Policy.EscalationsDue(s.sla(r), now, sent)
	if err != nil {
		return err
	}
	for _, e := range due {
		status := StatusClaimed
		if e.Superseded {
			status = StatusSuperseded
		}
		ok, err := s.d.Store.ClaimNotification(ctx, NotificationRecord{RequestID: r.Req.ID, Level: e.Level, Channel: ChannelLadder, Recipient: "*", Status: status, SentAt: now})
		if err != nil {
			return err
		}
		if !ok {
			continue // another runner has it
		}
		rep.Levels++
		if e.Superseded {
			rep.Superseded++
			continue
		}
		people, err := s.recipients(ctx, r, e.Notify, now)
		if err != nil {
			return err
		}
		var names []string
		for _, p := range people {
			names = append(names, p.Recipient)
			for _, nt := range s.d.Notifiers {
				s.deliver(ctx, nt, s.notice(r, e.Level, p, now), 1, now, rep)
			}
		}
		if err := s.audit(ctx, systemActor, "lereq.request.escalate", []string{"request:" + r.Req.ID}, "",
			map[string]string{"level": string(e.Level), "recipients": fmt.Sprint(names)}); err != nil {
			return err
		}
	}
	return nil
}

// recipients resolves the ladder's roles to staff usernames, each once,
// remembering every role that reaches them.
func (s *Service) recipients(ctx context.Context, r RequestRecord, roles []lawreq.Recipient, now time.Time) ([]Notice, error) {
	var out []Notice
	add := func(user string, role lawreq.Recipient) {
		if user == "" {
			return
		}
		for i := range out {
			if out[i].Recipient == user {
				out[i].Roles = append(out[i].Roles, role)
				return
			}
		}
		out = append(out, Notice{Recipient: user, Roles: []lawreq.Recipient{role}})
	}
	for _, role := range roles {
		switch role {
		case lawreq.Assignee:
			add(r.Assignee, role)
		case lawreq.OnCallPerson:
			rot, err := s.Rotation(ctx)
			if err != nil {
				return nil, err
			}
			if rot != nil {
				who, err := rot.OnCall(now)
				if err != nil {
					return nil, err
				}
				add(who, role)
			}
		case lawreq.Supervisor:
			sup := s.cfg.Supervisors
			if len(sup) == 0 {
				staff, err := s.d.Store.LEStaff(ctx)
				if err != nil {
					return nil, err
				}
				for _, m := range staff {
					if m.Role == string(lawreq.RoleLegal) && !m.Disabled {
						sup = append(sup, m.Username)
					}
				}
			}
			for _, u := range sup {
				add(u, role)
			}
		}
	}
	return out, nil
}

func (s *Service) notice(r RequestRecord, level lawreq.Level, p Notice, now time.Time) Notice {
	st, _ := s.cfg.Policy.Status(s.sla(r), now)
	p.RequestID, p.Type, p.CaseNumber, p.Level = r.Req.ID, r.Req.Type, r.Req.CaseNumber, level
	p.Email = s.cfg.StaffEmail[p.Recipient]
	p.Due, p.Left = st.Due, st.Left
	if s.cfg.PortalURL != "" {
		p.Link = s.cfg.PortalURL + "/console/le/requests/" + r.Req.ID
	}
	what := map[lawreq.Level]string{
		lawreq.LevelTarget: "internal target missed", lawreq.Level50: "half the time allowed used",
		lawreq.Level75: "75% of the time allowed used", lawreq.Level90: "90% of the time allowed used",
		lawreq.LevelBreach: "DEADLINE BREACHED",
	}[level]
	if what == "" {
		what = string(level)
	}
	p.Subject = fmt.Sprintf("[%s] %s %s (case %s)", what, r.Req.Type.Label(), r.Req.ID, r.Req.CaseNumber)
	p.Body = fmt.Sprintf("Request %s (%s, case %s) is due %s; time left: %s.\nYou are notified as: %v.\nState: %s. Named contact: %s.\n%s\n",
		r.Req.ID, r.Req.Type.Label(), r.Req.CaseNumber, st.Due.Format(time.RFC3339), st.Left.Round(time.Minute), p.Roles, r.State, r.Assignee, p.Link)
	return p
}

func (s *Service) deliver(ctx context.Context, nt Notifier, n Notice, attempt int, now time.Time, rep *EscalationReport) {
	rec := NotificationRecord{RequestID: n.RequestID, Level: n.Level, Channel: nt.Channel(), Recipient: n.Recipient, Attempts: attempt, SentAt: now, Status: StatusSent}
	switch err := nt.Notify(ctx, n); {
	case err == nil:
		rep.Sent++
	case errors.Is(err, ErrNoAddress):
		rec.Status, rec.Error = StatusSkipped, err.Error()
		rep.Skipped++
	default:
		rec.Status, rec.Error = StatusFailed, err.Error()
		rep.Failed++
		s.d.Logger.Warn("lereq: notification failed", "request", n.RequestID, "level", n.Level, "channel", rec.Channel, "recipient", n.Recipient, "err", err)
	}
	if err := s.d.Store.RecordNotification(ctx, rec); err != nil {
		s.d.Logger.Error("lereq: record notification", "err", err)
	}
}

func (s *Service) retryFailed(ctx context.Context, now time.Time, rep *EscalationReport) error {
	failed, err := s.d.Store.FailedNotifications(ctx, s.cfg.MaxNotifyAttempts)
	if err != nil {
		return err
	}
	for _, f := range failed {
		i := slices.IndexFunc(s.d.Notifiers, func(n Notifier) bool { return n.Channel() == f.Channel })
		if i < 0 {
			continue
		}
		r, err := s.d.Store.Request(ctx, f.RequestID)
		if err != nil {
			return err
		}
		s.deliver(ctx, s.d.Notifiers[i], s.notice(r, f.Level, Notice{Recipient: f.Recipient}, now), f.Attempts+1, now, rep)
	}
	return nil
}

// Run calls RunEscalations every interval until ctx ends, logging errors.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if rep, err := s.RunEscalations(ctx, s.now()); err != nil && ctx.Err() == nil {
			s.d.Logger.Error("lereq: escalations", "err", err)
		} else if rep.Levels > 0 {
			s.d.Logger.Info("lereq: escalations sent", "levels", rep.Levels, "sent", rep.Sent, "failed", rep.Failed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Inbox returns a staff member's in-app notifications, newest first.
func (s *Service) Inbox(ctx context.Context, a Actor, limit int) ([]NotificationRecord, error) {
	if err := requireStaff(a); err != nil {
		return nil, err
	}
	return s.d.Store.NotificationsFor(ctx, ChannelInApp, a.ID, limit)
}

// Notifications returns every notification recorded for a request (staff).
func (s *Service) Notifications(ctx context.Context, a Actor, requestID string) ([]NotificationRecord, error) {
	if err := requireStaff(a); err != nil {
		return nil, err
	}
	return s.d.Store.Notifications(ctx, requestID)
}
