package lereq_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"vigil/lawreq"
	"vigil/lereq"
)

func TestEscalationLadderEachLevelOnce(t *testing.T) {
	hook := &recorder{channel: lereq.ChannelWebhook}
	var outbox lereq.Outbox
	h := sqliteHarness(t, func(_ *lereq.Config, d *lereq.Deps) {
		d.Notifiers = []lereq.Notifier{lereq.InApp{}, hook, lereq.SMTPNotifier{Mailer: &outbox}}
	})
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	start := h.clock.Now()
	v, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Preservation2703f, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if err != nil {
		t.Fatal(err)
	}
	run := func(at time.Duration) lereq.EscalationReport {
		t.Helper()
		rep, err := h.svc.RunEscalations(ctx, start.Add(at))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	levels := func() []string {
		ns, _ := h.svc.Notifications(ctx, h.le, v.Req.ID)
		var out []string
		for _, n := range ns {
			if n.Channel == lereq.ChannelLadder {
				out = append(out, string(n.Level))
			}
		}
		return out
	}
	if rep := run(24*time.Hour - time.Second); rep.Levels != 0 {
		t.Fatalf("before 50%%: %+v", rep)
	}
	for _, c := range []struct {
		at     time.Duration
		level  lawreq.Level
		people []string
	}{
		{24 * time.Hour, lawreq.Level50, []string{"lee"}},                                       // assignee
		{36 * time.Hour, lawreq.Level75, []string{"lee"}},                                       // assignee = on call: once
		{time.Duration(0.9 * 48 * float64(time.Hour)), lawreq.Level90, []string{"lee", "cora"}}, // + supervisor (legal)
		{48*time.Hour + time.Second, lawreq.LevelBreach, []string{"lee", "cora"}},
	} {
		before := len(hook.got)
		rep := run(c.at)
		if rep.Levels != 1 {
			t.Fatalf("at %v: %+v, want one level", c.at, rep)
		}
		var people []string
		for _, n := range hook.got[before:] {
			if n.Level != c.level {
				t.Errorf("at %v sent level %s, want %s", c.at, n.Level, c.level)
			}
			people = append(people, n.Recipient)
		}
		if !slices.Equal(people, c.people) {
			t.Errorf("level %s went to %v, want %v", c.level, people, c.people)
		}
		// Running again at the same moment (or two runners) sends nothing.
		if rep := run(c.at); rep.Levels != 0 || rep.Sent != 0 {
			t.Fatalf("repeat run at %v: %+v", c.at, rep)
		}
	}
	if got := levels(); !slices.Equal(got, []string{"50pct", "75pct", "90pct", "breach"}) {
		t.Fatalf("ladder rows %v", got)
	}
	if rep := run(72 * time.Hour); rep.Levels != 0 {
		t.Fatalf("after breach: %+v", rep)
	}
	// Every delivery is recorded: in-app and webhook for everyone, SMTP
	// only where an address is configured (lee), skipped otherwise.
	ns, _ := h.svc.Notifications(ctx, h.le, v.Req.ID)
	count := map[string]int{}
	for _, n := range ns {
		count[n.Channel+"/"+n.Status]++
	}
	if count["in_app/sent"] != 6 || count["webhook/sent"] != 6 || count["smtp/sent"] != 4 || count["smtp/skipped"] != 2 {
		t.Fatalf("delivery records %v", count)
	}
	if m, ok := outbox.Last("lee@platform.test"); !ok || !strings.Contains(m.Subject, "BREACHED") {
		t.Fatalf("last e-mail %+v", m)
	}
	inbox, _ := h.svc.Inbox(ctx, h.legal, 10)
	if len(inbox) != 2 || inbox[0].Level != lawreq.LevelBreach {
		t.Fatalf("counsel's inbox %+v", inbox)
	}
}

func TestEscalationAfterOutageSendsOnlyTheLatestLevel(t *testing.T) {
	hook := &recorder{channel: lereq.ChannelWebhook}
	h := sqliteHarness(t, func(_ *lereq.Config, d *lereq.Deps) { d.Notifiers = []lereq.Notifier{hook} })
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	start := h.clock.Now()
	v, _ := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.EmergencyDisclosure, target(lawreq.TargetWeChatID, "alice_wx1")), doc(), "")
	rep, err := h.svc.RunEscalations(ctx, start.Add(40*time.Hour)) // target (8 h), 50 % and 75 % all passed
	if err != nil {
		t.Fatal(err)
	}
	if rep.Levels != 3 || rep.Superseded != 2 {
		t.Fatalf("after an outage: %+v", rep)
	}
	for _, n := range hook.got {
		if n.Level != lawreq.Level75 {
			t.Fatalf("delivered superseded level %s", n.Level)
		}
	}
	ns, _ := h.svc.Notifications(ctx, h.le, v.Req.ID)
	var states []string
	for _, n := range ns {
		if n.Channel == lereq.ChannelLadder {
			states = append(states, string(n.Level)+":"+n.Status)
		}
	}
	if !slices.Equal(states, []string{"target_missed:superseded", "50pct:superseded", "75pct:claimed"}) {
		t.Fatalf("ladder %v", states)
	}
}

func TestFailedDeliveryIsRetriedNotResent(t *testing.T) {
	hook := &recorder{channel: lereq.ChannelWebhook, fail: true}
	h := sqliteHarness(t, func(_ *lereq.Config, d *lereq.Deps) { d.Notifiers = []lereq.Notifier{hook} })
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	start := h.clock.Now()
	h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Preservation2703f, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	rep, _ := h.svc.RunEscalations(ctx, start.Add(25*time.Hour))
	if rep.Failed != 1 || rep.Sent != 0 {
		t.Fatalf("failing webhook: %+v", rep)
	}
	hook.fail = false
	rep, _ = h.svc.RunEscalations(ctx, start.Add(26*time.Hour))
	if rep.Sent != 1 || rep.Levels != 0 || len(hook.got) != 1 || hook.got[0].Level != lawreq.Level50 {
		t.Fatalf("retry: %+v %v", rep, hook.got)
	}
	rep, _ = h.svc.RunEscalations(ctx, start.Add(27*time.Hour))
	if rep.Sent != 0 {
		t.Fatalf("a delivered notice was sent again: %+v", rep)
	}
}

func TestAnsweredRequestsAreNotEscalated(t *testing.T) {
	hook := &recorder{channel: lereq.ChannelWebhook}
	h := sqliteHarness(t, func(_ *lereq.Config, d *lereq.Deps) { d.Notifiers = []lereq.Notifier{hook} })
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	start := h.clock.Now()
	v, _ := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Preservation2703f, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if _, err := h.svc.Transition(ctx, lereq.OfficerActor(o.ID), v.Req.ID, lawreq.Withdrawn, "no longer needed", nil); err != nil {
		t.Fatal(err)
	}
	if rep, _ := h.svc.RunEscalations(ctx, start.Add(60*time.Hour)); rep.Levels != 0 || len(hook.got) != 0 {
		t.Fatalf("withdrawn request escalated: %+v", rep)
	}
}

func TestRunLoopStopsWithContext(t *testing.T) {
	h := sqliteHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.svc.Run(ctx, time.Hour); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
