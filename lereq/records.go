package lereq

import (
	"context"
	"errors"
	"time"

	"vigil/lawreq"
)

// Agency is a law-enforcement agency on record. Phone is its published
// switchboard in E.164: call-backs must go to it, never to a number from a
// request. Domains are the agency's e-mail domains; they extend the
// government allow-list (the per-agency directory admins edit).
type Agency struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Jurisdiction string    `json:"jurisdiction"`
	ORI          string    `json:"ori,omitempty"` // NCIC Originating Agency Identifier or equivalent
	Phone        string    `json:"phone"`
	Domains      []string  `json:"domains,omitempty"`
	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Officer is a portal user: a person at an agency who submits requests.
// Officers are not staff and live in their own table. The secrets
// (PasswordHash, TOTPSecret, VerifyTokenHash) never leave the service.
type Officer struct {
	ID       string `json:"id"`
	AgencyID string `json:"agency_id"`
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	Email    string `json:"email"` // lower-cased, unique
	Phone    string `json:"phone,omitempty"`

	PasswordHash  string `json:"-"`
	TOTPSecret    string `json:"-"`
	TOTPConfirmed bool   `json:"totp_confirmed"`
	TOTPLastStep  int64  `json:"-"`

	EmailVerifiedAt   time.Time `json:"email_verified_at,omitzero"`
	VerifyTokenHash   string    `json:"-"`
	VerifyTokenExpiry time.Time `json:"-"`

	CallbackVerifiedAt time.Time `json:"callback_verified_at,omitzero"`
	CallbackBy         string    `json:"callback_by,omitempty"`
	CallbackNotes      string    `json:"callback_notes,omitempty"`

	FailedAttempts int       `json:"-"`
	FailureWindow  time.Time `json:"-"`
	LockedUntil    time.Time `json:"-"`
	Disabled       bool      `json:"disabled"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// String names the officer without secrets (safe to log).
func (o Officer) String() string { return "officer " + o.ID + " <" + o.Email + ">" }

// RequestRecord is a stored request: the officer's lawreq.Request plus what
// the service decided about it.
type RequestRecord struct {
	Req         lawreq.Request `json:"request"` // Req.ID is the record id
	State       lawreq.State   `json:"state"`
	OfficerID   string         `json:"officer_id"`
	Assignee    string         `json:"assignee,omitempty"` // staff username of the named contact
	ReceivedAt  time.Time      `json:"received_at"`
	DueAt       time.Time      `json:"due_at"`
	TargetDueAt time.Time      `json:"target_due_at,omitzero"`
	AnsweredAt  time.Time      `json:"answered_at,omitzero"`
	// VerifyByCallback is set while the officer's identity awaits a
	// call-back to the agency's published number.
	VerifyByCallback bool `json:"verify_by_callback"`
	// WeixinGap counts the Weixin accounts the targets named: data the US
	// entity does not hold, counted for the compliance report.
	WeixinGap int `json:"weixin_gap"`
	// Granted are the categories legal approved (all of them for a full
	// approval, a subset for a partial one); empty before a decision.
	Granted   []lawreq.Category `json:"granted,omitempty"`
	ClientKey string            `json:"-"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// ID returns the record's id.
func (r *RequestRecord) ID() string { return r.Req.ID }

// TargetRecord is one target of a request with its resolution.
type TargetRecord struct {
	RequestID string `json:"request_id"`
	Index     int    `json:"index"`
	lawreq.Resolution
}

// Actor kinds for transitions, messages and audit events.
const (
	ActorOfficer = "officer"
	ActorStaff   = "staff"
	ActorSystem  = "system"
)

// TransitionRecord is one recorded change of a request's state.
type TransitionRecord struct {
	ID        int64        `json:"id"`
	RequestID string       `json:"request_id"`
	From      lawreq.State `json:"from"` // empty for the initial submission
	To        lawreq.State `json:"to"`
	ActorKind string       `json:"actor_kind"`
	ActorID   string       `json:"actor_id"`
	ActorRole lawreq.Role  `json:"actor_role"`
	Reason    string       `json:"reason,omitempty"`
	At        time.Time    `json:"at"`
}

// Attachment refers to a file stored in the evidence blob store.
type Attachment struct {
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
}

// Message is one entry of a request's thread between the officer and the
// response team.
type Message struct {
	ID         int64       `json:"id"`
	RequestID  string      `json:"request_id"`
	AuthorKind string      `json:"author_kind"` // officer or staff
	AuthorID   string      `json:"author_id"`
	Body       string      `json:"body"`
	Attachment *Attachment `json:"attachment,omitempty"`
	At         time.Time   `json:"at"`
}

// Document is a legal document uploaded for a request.
type Document struct {
	ID         int64     `json:"id"`
	RequestID  string    `json:"request_id"`
	Attachment           // the stored file
	UploadedBy string    `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// Verification kinds.
const (
	VerifyEmail    = "email"
	VerifyCallback = "callback"
)

// Verification is one recorded identity check of an officer.
type Verification struct {
	ID        int64     `json:"id"`
	OfficerID string    `json:"officer_id"`
	Kind      string    `json:"kind"` // email or callback
	By        string    `json:"by"`   // staff username, or "officer" for e-mail
	Phone     string    `json:"phone,omitempty"`
	Notes     string    `json:"notes,omitempty"`
	At        time.Time `json:"at"`
}

// Notification channels.
const (
	ChannelSMTP    = "smtp"
	ChannelWebhook = "webhook"
	ChannelInApp   = "in_app"
	// ChannelLadder is the claim row that marks an escalation level as
	// handled for a request; it is never delivered.
	ChannelLadder = "ladder"
)

// Notification statuses.
const (
	StatusSent       = "sent"
	StatusFailed     = "failed"
	StatusClaimed    = "claimed"    // the ladder row of a level being sent
	StatusSuperseded = "superseded" // reached together with a later level
	StatusSkipped    = "skipped"    // no address for this channel
)

// NotificationRecord is one escalation notification (or the ladder claim
// of a level).
type NotificationRecord struct {
	ID        int64        `json:"id"`
	RequestID string       `json:"request_id"`
	Level     lawreq.Level `json:"level"`
	Channel   string       `json:"channel"`
	Recipient string       `json:"recipient"`
	Status    string       `json:"status"`
	Error     string       `json:"error,omitempty"`
	Attempts  int          `json:"attempts"`
	SentAt    time.Time    `json:"sent_at"`
}

// StaffMember is a console user as assignment and escalation see them.
type StaffMember struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Disabled    bool   `json:"disabled"`
}

// QueueQuery selects requests for the staff queue. Empty lists match all.
type QueueQuery struct {
	Types    []lawreq.RequestType
	States   []lawreq.State
	Assignee string
	OpenOnly bool // leave out final states
	Limit    int  // default and maximum 1000
}

// NewRequest is what Store.CreateRequest writes in one transaction.
type NewRequest struct {
	Record     RequestRecord
	Targets    []TargetRecord
	Document   Document
	Transition TransitionRecord
}

// StateChange is what Store.ChangeState writes in one transaction: the new
// state (only if the request is still in Transition.From), the decision's
// fields, and the transition.
type StateChange struct {
	Transition TransitionRecord
	Assignee   *string // nil: unchanged
	AnsweredAt time.Time
	Granted    []lawreq.Category // nil: unchanged
	// Body replaces the stored request (e.g. with the emergency approval
	// recorded); nil: unchanged.
	Body *lawreq.Request
}

// Store is the persistence the service needs; package store implements it
// on SQLite and PostgreSQL.
type Store interface {
	CreateAgency(ctx context.Context, a Agency) (Agency, error)
	UpdateAgency(ctx context.Context, a Agency) (Agency, error)
	Agency(ctx context.Context, id string) (Agency, error)
	ListAgencies(ctx context.Context) ([]Agency, error)
	AgencyDomains(ctx context.Context) (map[string]string, error)

	CreateOfficer(ctx context.Context, o Officer) (Officer, error)
	Officer(ctx context.Context, id string) (Officer, error)
	OfficerByEmail(ctx context.Context, email string) (Officer, error)
	ListOfficers(ctx context.Context, agencyID string) ([]Officer, error)
	SetOfficerVerifyToken(ctx context.Context, id, tokenHash string, expiry time.Time) error
	ConsumeOfficerVerifyToken(ctx context.Context, tokenHash string, now time.Time) (Officer, error)
	SetOfficerTOTPSecret(ctx context.Context, id, secret string) error
	UseOfficerTOTPStep(ctx context.Context, id string, step int64) error
	SetOfficerLoginState(ctx context.Context, id string, failures int, windowStart, lockedUntil time.Time) error
	SetOfficerCallback(ctx context.Context, id string, at time.Time, by, notes string) error
	SetOfficerDisabled(ctx context.Context, id string, disabled bool) error
	AddVerification(ctx context.Context, v Verification) (Verification, error)
	Verifications(ctx context.Context, officerID string) ([]Verification, error)

	CreateRequest(ctx context.Context, n NewRequest) (RequestRecord, error)
	Request(ctx context.Context, id string) (RequestRecord, error)
	RequestByClientKey(ctx context.Context, officerID, clientKey string) (RequestRecord, error)
	ListRequests(ctx context.Context, q QueueQuery) ([]RequestRecord, error)
	RequestsByOfficer(ctx context.Context, officerID string) ([]RequestRecord, error)
	ChangeState(ctx context.Context, c StateChange) (RequestRecord, error)
	ClearCallbackFlag(ctx context.Context, officerID string) (int64, error)
	Targets(ctx context.Context, requestID string) ([]TargetRecord, error)
	Transitions(ctx context.Context, requestID string) ([]TransitionRecord, error)
	Documents(ctx context.Context, requestID string) ([]Document, error)
	AddMessage(ctx context.Context, m Message) (Message, error)
	Messages(ctx context.Context, requestID string) ([]Message, error)
	LastRoundRobinAssignee(ctx context.Context) (string, error)

	ClaimNotification(ctx context.Context, n NotificationRecord) (bool, error)
	RecordNotification(ctx context.Context, n NotificationRecord) error
	Notifications(ctx context.Context, requestID string) ([]NotificationRecord, error)
	NotificationsFor(ctx context.Context, channel, recipient string, limit int) ([]NotificationRecord, error)
	FailedNotifications(ctx context.Context, maxAttempts int) ([]NotificationRecord, error)

	LEStaff(ctx context.Context) ([]StaffMember, error)
	LESetting(ctx context.Context, key string) (string, error)
	SetLESetting(ctx context.Context, key, value string) error
}

// ErrDuplicate is the cause of the errs.Conflict that Store.CreateRequest
// returns, together with the existing request, when the officer already
// submitted a request with the same client key.
var ErrDuplicate = errors.New("duplicate submission")
