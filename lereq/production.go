package lereq

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"vigil/errs"
	"vigil/lawreq"
	"vigil/platform"
	"vigil/production"
)

// RecordSource reads the platform records a production answers with
// (store.Directory implements it).
type RecordSource interface {
	AccountByID(ctx context.Context, id string) (platform.Account, error)
	LoginsByAccount(ctx context.Context, accountID string, limit int) ([]platform.Login, error)
}

// ProduceOptions are what Produce needs besides the request: where the
// records come from, the signing key and the names the package carries.
type ProduceOptions struct {
	Records   RecordSource
	Key       *production.Key
	Custodian production.Custodian
	Producer  production.Producer
	// LinkTTL is how long the officer may download the package after
	// delivery; default DefaultLinkTTL.
	LinkTTL time.Duration
	// MaxLogins bounds the login records read per account; default 10000.
	MaxLogins int
}

// DefaultLinkTTL is how long a delivered package stays downloadable.
const DefaultLinkTTL = 7 * 24 * time.Hour

// ErrPackageExpired is the cause of the error OpenProduction returns once
// the download link has expired.
var ErrPackageExpired = errors.New("production download link expired")

// Production is a delivered package as recorded for download.
type Production struct {
	RequestID  string            `json:"request_id"`
	SHA256     string            `json:"sha256"`
	Size       int64             `json:"size"`
	Filename   string            `json:"filename"`
	Categories []lawreq.Category `json:"categories"`
	Accounts   []string          `json:"accounts,omitempty"`
	KeyID      string            `json:"key_id"`
	ProducedBy string            `json:"produced_by"`
	ProducedAt time.Time         `json:"produced_at"`
	ExpiresAt  time.Time         `json:"expires_at"`
}

// productionKey is the store setting recording a request's package. The
// settings table keeps this slice free of a schema change.
func productionKey(requestID string) string { return "production:" + requestID }

// producibleCategories are the categories the platform directory holds
// records for; others cannot be produced automatically yet.
var producibleCategories = []lawreq.Category{lawreq.SubscriberBasic, lawreq.LoginMetadata}

// Produce builds the signed package for an approved or partially approved
// request from the directory records of its producible accounts, limited
// to the granted categories and the request's date range, stores it in the
// evidence store, and moves the request through producing to delivered.
// Only the LE response team produces. A failure before the package is
// stored leaves the request where it was (or in producing, to retry).
func (s *Service) Produce(ctx context.Context, a Actor, id string, opt ProduceOptions) (Production, error) {
	if err := requireStaff(a, lawreq.RoleLEResponse); err != nil {
		return Production{}, err
	}
	if opt.Records == nil || opt.Key == nil {
		return Production{}, errs.E(errs.Unavailable, "productions are not configured on this server (no signing key or record source)")
	}
	if opt.LinkTTL <= 0 {
		opt.LinkTTL = DefaultLinkTTL
	}
	if opt.MaxLogins <= 0 {
		opt.MaxLogins = 10000
	}
	r, err := s.load(ctx, a, id)
	if err != nil {
		return Production{}, err
	}
	switch r.State {
	case lawreq.Approved, lawreq.PartiallyApproved, lawreq.Producing:
	default:
		return Production{}, errs.E(errs.Conflict, "the request is %s: only an approved or partially approved request is produced", r.State)
	}
	if r.Req.Type.IsPreservation() {
		return Production{}, errs.E(errs.Conflict, "%s produces nothing: the data is preserved until process to produce it is served", r.Req.Type.Label())
	}
	if err := s.gate(r, lawreq.Producing); err != nil {
		return Production{}, err
	}
	for _, c := range r.Granted {
		if !slices.Contains(producibleCategories, c) {
			return Production{}, errs.E(errs.Conflict, "category %s cannot be produced from the directory yet: produce it by hand or narrow the grant", c)
		}
	}
	in, accounts, err := s.productionInput(ctx, r, opt)
	if err != nil {
		return Production{}, err
	}
	// Build before any state change: a scope refusal leaves the request as it was.
	var buf bytes.Buffer
	m, err := production.Build(&buf, in)
	if err != nil {
		return Production{}, err
	}
	if r.State != lawreq.Producing {
		if _, err := s.Transition(ctx, a, id, lawreq.Producing, "building the production package", nil); err != nil {
			return Production{}, err
		}
	}
	size := int64(buf.Len())
	ref, err := s.d.Blobs.Put(ctx, &buf, size)
	if err != nil {
		return Production{}, err
	}
	now := s.now()
	p := Production{RequestID: id, SHA256: ref.SHA256, Size: ref.Size, Filename: "production-" + id + ".zip",
		Categories: m.Categories, Accounts: accounts, KeyID: m.KeyID, ProducedBy: a.ID, ProducedAt: now, ExpiresAt: now.Add(opt.LinkTTL)}
	b, err := json.Marshal(p)
	if err != nil {
		return Production{}, err
	}
	if err := s.d.Store.SetLESetting(ctx, productionKey(id), string(b)); err != nil {
		return Production{}, err
	}
	recs := []string{"request:" + id, "blob:" + p.SHA256}
	for _, acc := range accounts {
		recs = append(recs, "account:"+acc)
	}
	if len(recs) > 1000 {
		recs = recs[:1000]
	}
	if err := s.audit(ctx, a, "lereq.production.build", recs, "", map[string]string{
		"sha256": p.SHA256, "size": strconv.FormatInt(p.Size, 10), "categories": joinCategories(p.Categories), "key_id": p.KeyID}); err != nil {
		return Production{}, err
	}
	reason := "production package delivered (SHA-256 " + p.SHA256 + ")"
	if _, err := s.Transition(ctx, a, id, lawreq.Delivered, reason, nil); err != nil {
		return Production{}, err
	}
	return p, nil
}

// productionInput assembles the package input: one subscriber row per
// producible account and its logins inside the date range, only for the
// granted categories and only with fields in lawreq's schema.
func (s *Service) productionInput(ctx context.Context, r RequestRecord, opt ProduceOptions) (production.Input, []string, error) {
	ag, err := s.d.Store.Agency(ctx, r.Req.AgencyID)
	if err != nil {
		return production.Input{}, nil, err
	}
	ts, err := s.d.Store.Targets(ctx, r.Req.ID)
	if err != nil {
		return production.Input{}, nil, err
	}
	res := make([]lawreq.Resolution, len(ts))
	var accounts []string
	for i, t := range ts {
		res[i] = t.Resolution
		if !t.Outcome.Producible() {
			continue
		}
		for _, acc := range t.AccountIDs {
			if !slices.Contains(accounts, acc) {
				accounts = append(accounts, acc)
			}
		}
	}
	recs := map[lawreq.Category][]production.Row{}
	for _, c := range r.Granted {
		recs[c] = []production.Row{}
	}
	for _, id := range accounts {
		if slices.Contains(r.Granted, lawreq.SubscriberBasic) {
			acc, err := opt.Records.AccountByID(ctx, id)
			if err != nil {
				return production.Input{}, nil, fmt.Errorf("read account %s: %w", id, err)
			}
			recs[lawreq.SubscriberBasic] = append(recs[lawreq.SubscriberBasic], subscriberRow(acc))
		}
		if slices.Contains(r.Granted, lawreq.LoginMetadata) {
			ls, err := opt.Records.LoginsByAccount(ctx, id, opt.MaxLogins)
			if err != nil {
				return production.Input{}, nil, fmt.Errorf("read logins of %s: %w", id, err)
			}
			for _, l := range ls {
				if inRange(r.Req.Range, l.At) {
					recs[lawreq.LoginMetadata] = append(recs[lawreq.LoginMetadata], loginRow(l))
				}
			}
		}
	}
	refused := map[lawreq.Category]string{}
	_, _, why := lawreq.CheckScope(&r.Req, r.Req.Requested)
	for _, c := range r.Req.Requested {
		if slices.Contains(r.Granted, c) {
			continue
		}
		refused[c] = "not granted on legal review"
		if w := why[c]; w != "" {
			refused[c] = w
		}
	}
	contact := production.Contact{Name: "Law-enforcement response team"}
	if r.Assignee != "" {
		contact.Name = r.Assignee
		if _, staff, err := s.team(ctx); err == nil && staff[r.Assignee].DisplayName != "" {
			contact.Name = staff[r.Assignee].DisplayName
		}
	}
	return production.Input{
		Request: r.Req, AgencyName: ag.Name, Granted: slices.Clone(r.Granted), Refused: refused, Records: recs,
		NotProduced: production.NotProducedFrom(res), Custodian: opt.Custodian, Contact: contact, Producer: opt.Producer,
		SnapshotAt: s.now(), Key: opt.Key, Now: s.now,
	}, accounts, nil
}

// subscriberRow is an account's basic subscriber information, with only
// fields in lawreq.FieldSchema(SubscriberBasic).
func subscriberRow(a platform.Account) production.Row {
	row := production.Row{"account_id": a.ID, "wechat_id": a.WeChatID, "display_name": a.DisplayName,
		"region": a.Region, "phone": a.Phone, "email": a.Email, "status": a.Status, "app": a.App,
		"registration_ip": a.RegistrationIP}
	if !a.RegisteredAt.IsZero() {
		row["registered_at"] = a.RegisteredAt.UTC().Format(time.RFC3339)
	}
	return row
}

// loginRow is one login, with only fields in lawreq.FieldSchema(LoginMetadata).
func loginRow(l platform.Login) production.Row {
	return production.Row{"account_id": l.AccountID, "login_id": l.ID, "login_at": l.At.UTC().Format(time.RFC3339Nano),
		"ip": l.IP, "device_id": l.DeviceID, "app_version": l.AppVersion}
}

// inRange applies the request's date range as production.Build checks it:
// a "to" at midnight covers that whole day; an open range covers all.
func inRange(r lawreq.DateRange, t time.Time) bool {
	if r.From.IsZero() || r.To.IsZero() {
		return true
	}
	end := r.To.UTC()
	if end.Equal(end.Truncate(24 * time.Hour)) {
		end = end.Add(24*time.Hour - time.Nanosecond)
	}
	return lawreq.DateRange{From: r.From, To: end}.Contains(t)
}

// ProductionOf returns the package recorded for a request, if any, to
// whoever may see the request. It reads no user data and is not audited.
func (s *Service) ProductionOf(ctx context.Context, a Actor, id string) (Production, bool, error) {
	r, err := s.load(ctx, a, id)
	if err != nil {
		return Production{}, false, err
	}
	return s.production(ctx, r.Req.ID)
}

func (s *Service) production(ctx context.Context, id string) (Production, bool, error) {
	v, err := s.d.Store.LESetting(ctx, productionKey(id))
	if err != nil || v == "" {
		return Production{}, false, err
	}
	var p Production
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return Production{}, false, fmt.Errorf("read production record of %s: %w", id, err)
	}
	return p, true, nil
}

// OpenProduction returns the delivered package of a request for download
// by someone who may see the request, while its link is valid (officers:
// until ExpiresAt; staff are not limited, they keep the copy on file).
// Every download, and every refused expired one, is audited. The reader
// verifies the package's hash as it is read.
func (s *Service) OpenProduction(ctx context.Context, a Actor, id string) (io.ReadCloser, Production, error) {
	r, err := s.load(ctx, a, id)
	if err != nil {
		return nil, Production{}, err
	}
	p, ok, err := s.production(ctx, r.Req.ID)
	if err != nil {
		return nil, Production{}, err
	}
	if !ok || (r.State != lawreq.Delivered && r.State != lawreq.Closed) {
		return nil, Production{}, errs.E(errs.NotFound, "request %s has no delivered production package", id)
	}
	recs := []string{"request:" + id, "blob:" + p.SHA256}
	if a.Kind == ActorOfficer && s.now().After(p.ExpiresAt) {
		if err := s.audit(ctx, a, "lereq.production.download_expired", recs, "", map[string]string{"expired_at": p.ExpiresAt.Format(time.RFC3339)}); err != nil {
			return nil, Production{}, err
		}
		return nil, p, &errs.Error{Kind: errs.Conflict, Err: ErrPackageExpired,
			Msg: "the download link expired on " + p.ExpiresAt.UTC().Format("2006-01-02 15:04") + " UTC: write to your contact on this request in the thread below to have it delivered again"}
	}
	rc, err := s.d.Blobs.Open(ctx, p.SHA256)
	if err != nil {
		return nil, Production{}, err
	}
	if err := s.audit(ctx, a, "lereq.production.download", recs, "", map[string]string{"filename": p.Filename, "size": strconv.FormatInt(p.Size, 10)}); err != nil {
		_ = rc.Close()
		return nil, Production{}, err
	}
	return rc, p, nil
}
