package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/store"
)

// staffLister is the part of the staff-user store the directory reads
// (*store.DB). It is asserted on Config.Users rather than added to Users so
// that other Users implementations keep compiling; without it the page says
// the directory is unavailable.
type staffLister interface {
	ListStaffUsers(ctx context.Context) ([]store.StaffUser, error)
}

// weeksAhead is how many weeks after the current one the page shows.
const weeksAhead = 4

// How rotation times are shown, and entered (an HTML datetime-local value),
// in the rotation's own time zone.
const (
	localShow  = "Mon 2006-01-02 15:04 MST"
	localInput = "2006-01-02T15:04"
)

// staffRow is one line of the staff directory.
type staffRow struct {
	Username, DisplayName, Role string
	TOTPEnrolled, Disabled      bool
	OnCall                      bool
}

// weekRow is one week of the on-call schedule.
type weekRow struct {
	Start     string
	Scheduled string
	Overrides []overrideRow // those overlapping the week
	Current   bool
}

// overrideRow is one dated override as shown.
type overrideRow struct {
	Index            int
	From, To, Member string
	Reason           string
	FromKey          string // RFC 3339, confirms which override a removal means
	Past             bool
}

// rotationForm is a rotation or override form with its token.
type rotationForm struct {
	portalForm
	CSRF string
}

// staffView is the staff directory and on-call page.
type staffView struct {
	Staff     []staffRow
	Team      []staffRow // enabled le_response members: who may be on call
	Rotation  *lawreq.Rotation
	OnCallNow string
	Weeks     []weekRow
	Overrides []overrideRow
	Weekdays  []time.Weekday
	CanEdit   bool
	Form      *rotationForm // schedule
	Override  *rotationForm // new override
}

// staffDirectory lists every staff user.
func (s *Server) staffDirectory(ctx context.Context) ([]store.StaffUser, error) {
	l, ok := s.cfg.Users.(staffLister)
	if !ok {
		return nil, errs.E(errs.Unavailable, "the staff directory is not available with this user store")
	}
	return l.ListStaffUsers(ctx)
}

func (s *Server) adminStaff(w http.ResponseWriter, r *http.Request) {
	v := view{}
	if q := r.URL.Query().Get("saved"); q != "" {
		v.Flash = "On-call rotation saved."
	}
	s.staffPage(w, r, http.StatusOK, v, nil, nil)
}

// staffPage renders the page with the given forms (nil: filled from the
// stored rotation).
func (s *Server) staffPage(w http.ResponseWriter, r *http.Request, status int, v view, form, override *rotationForm) {
	ctx := r.Context()
	users, err := s.staffDirectory(ctx)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	rot, err := s.cfg.LE.Rotation(ctx)
	if err != nil && errs.KindOf(err) != errs.Unavailable && errs.KindOf(err) != errs.Invalid {
		WriteError(w, r, err)
		return
	} else if err != nil {
		v.Error = "The stored on-call rotation cannot be used (" + err.Error() + "): set it again below."
		rot = nil
	}
	now := s.now()
	names := map[string]string{}
	for _, u := range users {
		names[u.Username] = u.DisplayName
	}
	who := func(id string) string {
		if n := names[id]; n != "" && n != id {
			return n + " (" + id + ")"
		}
		return id
	}
	sv := staffView{Rotation: rot, CanEdit: isAdmin(r), Form: form, Override: override}
	for d := time.Sunday; d <= time.Saturday; d++ {
		sv.Weekdays = append(sv.Weekdays, d)
	}
	onCall := ""
	if rot != nil {
		if onCall, err = rot.OnCall(now); err == nil {
			sv.OnCallNow = who(onCall)
		}
		sv.Weeks, sv.Overrides = schedule(rot, now, who)
	}
	for _, u := range users {
		row := staffRow{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, TOTPEnrolled: u.TOTPConfirmed, Disabled: u.Disabled, OnCall: u.Username == onCall}
		sv.Staff = append(sv.Staff, row)
		if u.Role == RoleLEResponse && !u.Disabled {
			sv.Team = append(sv.Team, row)
		}
	}
	csrf := s.csrfToken(r)
	if sv.Form == nil {
		sv.Form = &rotationForm{portalForm: portalForm{Values: rotationValues(rot, now), Errors: map[string]string{}}}
	}
	if sv.Override == nil {
		sv.Override = &rotationForm{portalForm: portalForm{Values: map[string]string{}, Errors: map[string]string{}}}
	}
	sv.Form.CSRF, sv.Override.CSRF = csrf, csrf
	v.Title, v.Data = "Staff and on-call", sv
	s.render(w, r, status, "admin_staff", v)
}

// rotationValues fills the schedule form from rot. Members are listed from
// the person the schedule puts on call now: saving the form anchors the
// rotation at the current week, so saving it unchanged changes nobody.
func rotationValues(rot *lawreq.Rotation, now time.Time) map[string]string {
	if rot == nil {
		return map[string]string{"handover_day": "1", "handover_hour": "9", "zone": "UTC"}
	}
	members := rot.Members
	if cur, err := scheduledAt(rot, now); err == nil {
		i := slices.Index(members, cur)
		members = append(slices.Clone(members[i:]), members[:i]...)
	}
	return map[string]string{"members": strings.Join(members, "\n"), "handover_day": strconv.Itoa(int(rot.HandoverDay)),
		"handover_hour": strconv.Itoa(rot.HandoverHour), "zone": rot.Zone}
}

// scheduledAt is who the weekly schedule alone (no overrides) puts on call.
func scheduledAt(rot *lawreq.Rotation, at time.Time) (string, error) {
	base := *rot
	base.Overrides = nil
	if err := base.Validate(); err != nil {
		return "", err
	}
	return base.OnCall(at)
}

// handovers returns the start of the current on-call week and of the n
// weeks after it, in the rotation's zone.
func handovers(rot *lawreq.Rotation, now time.Time, n int) ([]time.Time, error) {
	loc, err := time.LoadLocation(rot.Zone)
	if err != nil {
		return nil, err
	}
	lt := now.In(loc)
	y, m, d := lt.Date()
	d -= (int(lt.Weekday()) - int(rot.HandoverDay) + 7) % 7
	if time.Date(y, m, d, rot.HandoverHour, 0, 0, 0, loc).After(now) {
		d -= 7
	}
	out := make([]time.Time, n+1)
	for i := range out {
		out[i] = time.Date(y, m, d+7*i, rot.HandoverHour, 0, 0, 0, loc)
	}
	return out, nil
}

// schedule lays out the current week and the weeksAhead after it, and
// every override, for the page.
func schedule(rot *lawreq.Rotation, now time.Time, who func(string) string) ([]weekRow, []overrideRow) {
	loc, err := time.LoadLocation(rot.Zone)
	if err != nil {
		return nil, nil
	}
	var ovs []overrideRow
	for i, o := range rot.Overrides {
		ovs = append(ovs, overrideRow{Index: i, From: o.From.In(loc).Format(localShow), To: o.To.In(loc).Format(localShow),
			Member: who(o.Member), Reason: o.Reason, FromKey: o.From.UTC().Format(time.RFC3339), Past: !o.To.After(now)})
	}
	starts, err := handovers(rot, now, weeksAhead+1)
	if err != nil {
		return nil, ovs
	}
	var weeks []weekRow
	for i := 0; i+1 < len(starts); i++ {
		from, to := starts[i], starts[i+1]
		// Two hours in: past a hand-over hour that a DST change moved.
		m, err := scheduledAt(rot, from.Add(2*time.Hour))
		if err != nil {
			continue
		}
		wr := weekRow{Start: from.Format(localShow), Scheduled: who(m), Current: i == 0}
		for j, o := range rot.Overrides {
			if o.From.Before(to) && from.Before(o.To) {
				wr.Overrides = append(wr.Overrides, ovs[j])
			}
		}
		weeks = append(weeks, wr)
	}
	return weeks, ovs
}

// teamCheck reports members that are not enabled le_response staff: the
// rotation decides who receives emergencies, so a typo must not send them
// to nobody.
func (s *Server) teamCheck(ctx context.Context, field func(i int) string, members []string) error {
	users, err := s.staffDirectory(ctx)
	if err != nil {
		return err
	}
	ok := map[string]bool{}
	for _, u := range users {
		ok[u.Username] = u.Role == RoleLEResponse && !u.Disabled
	}
	var p []error
	for i, m := range members {
		if !ok[m] {
			p = append(p, errs.Field(field(i), "%q is not an enabled member of the le_response team: use one of the usernames listed", m))
		}
	}
	return joinProblems(p)
}

var rotationFields = []string{"members", "handover_day", "handover_hour", "zone"}

func (s *Server) adminRotationSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := &rotationForm{portalForm: portalForm{Values: formValues(r, rotationFields...)}}
	fail := func(err error) {
		if k := errs.KindOf(err); k == 0 || k == errs.NotFound {
			WriteError(w, r, err)
			return
		}
		s.staffPage(w, r, StatusOf(errs.KindOf(err)), view{Error: formProblems(&f.portalForm, err)}, f, nil)
	}
	day, derr := strconv.Atoi(f.V("handover_day"))
	hour, herr := strconv.Atoi(f.V("handover_hour"))
	var p []error
	if derr != nil {
		p = append(p, errs.Field("handover_day", "%q is not a weekday: choose one from the list", f.V("handover_day")))
	}
	if herr != nil {
		p = append(p, errs.Field("handover_hour", "%q is not an hour: use 0 to 23, local time", f.V("handover_hour")))
	}
	if err := joinProblems(p); err != nil {
		fail(err)
		return
	}
	cur, err := s.cfg.LE.Rotation(ctx)
	if err != nil && errs.KindOf(err) != errs.Unavailable && errs.KindOf(err) != errs.Invalid {
		WriteError(w, r, err)
		return
	}
	// The first member listed is on call from the current week: anchoring
	// at now makes the form say exactly that.
	rot := lawreq.Rotation{Members: strings.Fields(f.V("members")), HandoverDay: time.Weekday(day), HandoverHour: hour,
		Zone: f.V("zone"), Anchor: s.now().UTC()}
	if cur != nil && err == nil {
		rot.Overrides = slices.Clone(cur.Overrides)
	}
	if err := s.teamCheck(ctx, func(i int) string { return fmt.Sprintf("members[%d]", i) }, rot.Members); err != nil {
		fail(err)
		return
	}
	if err := s.cfg.LE.SetRotation(ctx, staffActor(r), rot); err != nil {
		fail(err)
		return
	}
	http.Redirect(w, r, "/admin/staff?saved=1#rotation", http.StatusSeeOther)
}
