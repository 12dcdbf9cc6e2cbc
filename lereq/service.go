// Package lereq is the application service of the law-enforcement portal:
// officer onboarding (allow-listed domains, e-mail verification, TOTP,
// call-back verification), request submission (validation, the legal
// document in the evidence store, target resolution, due times,
// assignment), the workflow, the message thread, the staff queue, the
// escalation notifier loop and the demo seed. It builds on package lawreq,
// which decides; this package records, in the Store, and audits every
// state change and every read of user data.
//
// It does no HTTP: package web calls it. Time comes from the injected clock.
package lereq

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"vigil/audit"
	"vigil/auth"
	"vigil/errs"
	"vigil/evidence"
	"vigil/lawreq"
	"vigil/platform"
)

// Directory is the platform directory the service resolves targets in
// (store.Directory implements it).
type Directory interface {
	AccountByID(ctx context.Context, id string) (platform.Account, error)
	AccountsByWeChatID(ctx context.Context, wechatID string) ([]platform.Account, error)
	AccountsByPhone(ctx context.Context, phone, region string) ([]platform.Account, error)
	AccountsByEmail(ctx context.Context, email string) ([]platform.Account, error)
}

// Auditor appends to the audit log (*audit.Log implements it).
type Auditor interface {
	Append(ctx context.Context, e audit.Event) (uint64, error)
}

// Config is the portal's policy. The zero value of every field has a
// sensible default (see New).
type Config struct {
	Policy lawreq.Policy // response times and the escalation ladder; default lawreq.DefaultPolicy
	Allow  *AllowList    // e-mail domains allowed to register; default: no registry, default patterns
	// Lockout applies to officer passwords and TOTP codes; default auth.DefaultLockout.
	Lockout auth.LockoutPolicy
	Argon2  auth.Argon2Params // default auth.DefaultArgon2
	// Rotation is the on-call schedule; nil reads it from the store (setting
	// "oncall_rotation", written by SetRotation).
	Rotation *lawreq.Rotation
	// Supervisors are staff usernames escalations reach at the supervisor
	// rung; default: every enabled staff user with role legal.
	Supervisors []string
	// StaffEmail maps staff usernames to e-mail addresses for SMTP
	// escalations (staff records hold no address).
	StaffEmail map[string]string
	// PortalURL is the portal's public base URL, for links in e-mails.
	PortalURL string
	// MaxDocumentSize bounds legal documents and attachments; default
	// lawreq.MaxDocumentSize.
	MaxDocumentSize int64
	// VerifyTTL is how long an e-mail verification link works; default 24 h.
	VerifyTTL time.Duration
	// TOTPIssuer names the portal in authenticator apps.
	TOTPIssuer string
	// RegistrationsPerHour limits registrations and verification e-mails
	// per e-mail domain; default 20.
	RegistrationsPerHour int
	// MaxNotifyAttempts bounds retries of a failed notification; default 5.
	MaxNotifyAttempts int
}

// Deps are the service's collaborators. Store, Directory, Blobs and Audit
// are required.
type Deps struct {
	Store     Store
	Directory Directory
	Blobs     evidence.Blobs
	Audit     Auditor
	Mailer    Mailer     // default: an Outbox
	Notifiers []Notifier // default: in-app only
	Clock     func() time.Time
	Logger    *slog.Logger
}

// Service is the portal's application service. It is safe for concurrent use.
type Service struct {
	cfg Config
	d   Deps

	mu       sync.Mutex
	regTimes map[string][]time.Time // e-mail domain → recent registrations
}

// New returns a service with defaults filled in. The policy is validated.
func New(cfg Config, d Deps) (*Service, error) {
	if d.Store == nil || d.Directory == nil || d.Blobs == nil || d.Audit == nil {
		return nil, errors.New("lereq.New: Store, Directory, Blobs and Audit are required")
	}
	if cfg.Policy.Deadlines == nil {
		cfg.Policy = lawreq.DefaultPolicy()
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.Allow == nil {
		cfg.Allow = NewAllowList(nil, nil, nil)
	}
	if cfg.Lockout.MaxFailures == 0 {
		cfg.Lockout = auth.DefaultLockout
	}
	if cfg.Argon2.KeyLen == 0 {
		cfg.Argon2 = auth.DefaultArgon2
	}
	if cfg.Rotation != nil {
		if err := cfg.Rotation.Validate(); err != nil {
			return nil, err
		}
	}
	if cfg.MaxDocumentSize <= 0 {
		cfg.MaxDocumentSize = lawreq.MaxDocumentSize
	}
	if cfg.VerifyTTL <= 0 {
		cfg.VerifyTTL = 24 * time.Hour
	}
	if cfg.TOTPIssuer == "" {
		cfg.TOTPIssuer = "Vigil LE portal"
	}
	if cfg.RegistrationsPerHour <= 0 {
		cfg.RegistrationsPerHour = 20
	}
	if cfg.MaxNotifyAttempts <= 0 {
		cfg.MaxNotifyAttempts = 5
	}
	cfg.PortalURL = strings.TrimSuffix(cfg.PortalURL, "/")
	if d.Mailer == nil {
		d.Mailer = &Outbox{}
	}
	if d.Notifiers == nil {
		d.Notifiers = []Notifier{InApp{}}
	}
	if d.Clock == nil {
		d.Clock = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Service{cfg: cfg, d: d, regTimes: map[string][]time.Time{}}, nil
}

// Policy returns the response-time policy in force.
func (s *Service) Policy() lawreq.Policy { return s.cfg.Policy }

// Allow returns the e-mail domain allow-list in force.
func (s *Service) Allow() *AllowList { return s.cfg.Allow }

func (s *Service) now() time.Time { return s.d.Clock().UTC() }

// Actor is who calls the service: an officer (Kind "officer", ID the
// officer id, Role officer) or a staff member (Kind "staff", ID the
// username, Role the staff role).
type Actor struct {
	Kind string      `json:"kind"`
	ID   string      `json:"id"`
	Role lawreq.Role `json:"role"`
}

// OfficerActor returns the actor for officer id.
func OfficerActor(id string) Actor {
	return Actor{Kind: ActorOfficer, ID: id, Role: lawreq.RoleOfficer}
}

// StaffActor returns the actor for a staff user and role (package auth's role ids).
func StaffActor(username, role string) Actor {
	return Actor{Kind: ActorStaff, ID: username, Role: lawreq.Role(role)}
}

var systemActor = Actor{Kind: ActorSystem, ID: "lereq", Role: "system"}

func (a Actor) auditName() string { return a.Kind + ":" + a.ID }

func (a Actor) isStaff() bool { return a.Kind == ActorStaff && a.ID != "" }

// requireStaff refuses officers and anonymous callers.
func requireStaff(a Actor, roles ...lawreq.Role) error {
	if !a.isStaff() {
		return errs.E(errs.Forbidden, "only the platform's staff may do this")
	}
	if len(roles) == 0 {
		return nil
	}
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return errs.E(errs.Forbidden, "role %q may not do this: only %s may", a.Role, strings.Join(names, " or "))
}

// audit appends one event. A failure is returned: the caller fails closed
// for reads and reports the error for changes.
func (s *Service) audit(ctx context.Context, a Actor, action string, records []string, reason string, detail map[string]string) error {
	_, err := s.d.Audit.Append(ctx, audit.Event{
		Actor: a.auditName(), Role: string(a.Role), Action: action, Records: records,
		Reason: reason, At: s.now(), Detail: detail,
	})
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "the audit log is unavailable; try again shortly")
	}
	return nil
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID returns prefix_ followed by 16 random lower-case base32 characters
// (80 bits): unguessable, so ids in URLs confirm nothing.
func newID(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + "_" + strings.ToLower(idEncoding.EncodeToString(b[:]))
}

// rotationKey is the store setting holding the on-call rotation as JSON.
const rotationKey = "oncall_rotation"

// Rotation returns the on-call rotation in force, or nil when none is
// configured.
func (s *Service) Rotation(ctx context.Context) (*lawreq.Rotation, error) {
	if s.cfg.Rotation != nil {
		return s.cfg.Rotation, nil
	}
	v, err := s.d.Store.LESetting(ctx, rotationKey)
	if err != nil || v == "" {
		return nil, err
	}
	var r lawreq.Rotation
	if err := json.Unmarshal([]byte(v), &r); err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "the stored on-call rotation is unreadable: set it again")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// SetRotation stores the on-call rotation (admins and the LE response
// team). It is refused when the configuration fixes the rotation.
func (s *Service) SetRotation(ctx context.Context, a Actor, r lawreq.Rotation) error {
	if err := requireStaff(a, lawreq.RoleAdmin, lawreq.RoleLEResponse); err != nil {
		return err
	}
	if s.cfg.Rotation != nil {
		return errs.E(errs.Conflict, "the on-call rotation is set in the configuration file; change it there")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if err := s.d.Store.SetLESetting(ctx, rotationKey, string(b)); err != nil {
		return err
	}
	return s.audit(ctx, a, "lereq.rotation.set", []string{"setting:" + rotationKey}, "", map[string]string{"members": strings.Join(r.Members, ",")})
}

// team returns the enabled members of the le_response team, in username order.
func (s *Service) team(ctx context.Context) ([]lawreq.TeamMember, map[string]StaffMember, error) {
	staff, err := s.d.Store.LEStaff(ctx)
	if err != nil {
		return nil, nil, err
	}
	var team []lawreq.TeamMember
	all := map[string]StaffMember{}
	for _, m := range staff {
		all[m.Username] = m
		if m.Role == string(lawreq.RoleLEResponse) && !m.Disabled {
			team = append(team, lawreq.TeamMember{ID: m.Username})
		}
	}
	return team, all, nil
}
