// Package ingest is Vigil's intake service. Submit validates a batch of
// records from a platform service, item by item. Accepted content is
// published to JetStream and Submit returns only after JetStream has stored
// it, so a successful answer means durable; Run consumes the stream, writes
// content to the store, acknowledges each message only after the commit,
// and hands the items to the next Stage (scanning).
//
// Accounts, logins and groups are small, update-in-place directory records:
// they go straight to the store in one transaction, and Submit returns after
// the commit, which is just as durable and keeps them immediately readable
// for lawful requests. Every write is idempotent by id, so a redelivered
// message or a re-sent batch stores nothing twice.
package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/audit"
	"vigil/errs"
	"vigil/platform"
	"vigil/queue"
)

// Kind names what a batch holds.
type Kind string

// The record kinds the ingest API accepts.
const (
	KindAccounts Kind = "accounts"
	KindLogins   Kind = "logins"
	KindGroups   Kind = "groups"
	KindContent  Kind = "content"
)

// MaxBatchItems bounds one Submit; larger batches are refused whole.
const MaxBatchItems = 10_000

// Stage is the next step for stored content (the detection engine). It
// receives every item of a consumed message, possibly more than once after
// a crash, so it must be idempotent by id.
type Stage interface {
	Process(ctx context.Context, items []platform.ContentItem) error
}

// NopStage is the default Stage: it does nothing.
type NopStage struct{}

// Process implements Stage.
func (NopStage) Process(context.Context, []platform.ContentItem) error { return nil }

// Auditor appends to the audit log (*audit.Log).
type Auditor interface {
	Append(ctx context.Context, e audit.Event) (uint64, error)
}

// Store is what ingest needs from the directory (*store.Directory).
type Store interface {
	UpsertAccounts(ctx context.Context, as []platform.Account) (int64, error)
	InsertLogins(ctx context.Context, ls []platform.Login) (int64, error)
	UpsertGroups(ctx context.Context, gs []platform.Group) (int64, error)
	InsertContent(ctx context.Context, items []platform.ContentItem) (int64, error)
	ExistingGroups(ctx context.Context, ids []string) (map[string]bool, error)
	ExistingContent(ctx context.Context, ids []string) (map[string]bool, error)
}

// Caller is the authenticated service that submits a batch (for the audit
// log).
type Caller struct {
	ID, Name string
}

// ItemError is one problem with one item of a batch.
type ItemError struct {
	Index   int    `json:"index"` // position in the batch, from 0
	ID      string `json:"id,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Result says what happened to every item of a batch: each is accepted
// (new or changed), a duplicate (already stored or queued, or repeated in
// the batch), or rejected with at least one entry in Errors.
type Result struct {
	Accepted   int         `json:"accepted"`
	Duplicates int         `json:"duplicates"`
	Rejected   int         `json:"rejected"`
	Errors     []ItemError `json:"errors"`
}

// Config wires a Service.
type Config struct {
	Store Store       // required
	Queue *queue.Conn // required for content
	Stage Stage       // nil: NopStage
	Audit Auditor     // nil: batches are not audited (tests only)
	Clock func() time.Time
	Log   *slog.Logger

	// Consumer is the durable consumer name; processes sharing it share the
	// work. Default "vigil-store".
	Consumer string
	// AckWait is how long a delivered message may stay unacknowledged
	// before JetStream redelivers it, and so how long recovery after a
	// crash waits (default 10 s). Batches that take longer are kept alive
	// with progress signals, so it need not cover the slowest batch.
	AckWait time.Duration
	// ConsumeBatch is the most queue messages written in one transaction
	// (default 32).
	ConsumeBatch int
	// StreamReplicas is the content stream's replication factor on an
	// external NATS cluster (default 1; use 3 on a three-node cluster).
	StreamReplicas int
	// Registerer receives the ingest metrics; nil registers none.
	Registerer prometheus.Registerer
}

// Service validates, queues and stores platform records.
type Service struct {
	cfg     Config
	now     func() time.Time
	log     *slog.Logger
	maxMsg  int
	metrics *metrics

	consMu sync.Mutex
	cons   *queue.Consumer // created on first use

	groupsMu    sync.Mutex
	knownGroups map[string]bool // groups seen in the store; groups are never deleted
}

// New checks cfg and returns the service. Call EnsureQueue once before
// Submit or Run (the composition root does it at start-up).
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("ingest: Config.Store is required")
	}
	if cfg.Stage == nil {
		cfg.Stage = NopStage{}
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Consumer == "" {
		cfg.Consumer = "vigil-store"
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 10 * time.Second
	}
	if cfg.ConsumeBatch <= 0 {
		cfg.ConsumeBatch = 32
	}
	s := &Service{cfg: cfg, now: cfg.Clock, log: cfg.Log, knownGroups: map[string]bool{}}
	s.maxMsg = 1 << 20
	if cfg.Queue != nil {
		// Leave room for headers and the JSON array's brackets.
		s.maxMsg = int(cfg.Queue.MaxPayload()) - 4096
	}
	m, err := newMetrics(cfg.Registerer, s)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	return s, nil
}

// EnsureQueue creates or updates the content stream and its durable
// consumer. The consumer must exist before anything is published: the
// stream keeps messages only while some consumer has yet to acknowledge
// them.
func (s *Service) EnsureQueue(ctx context.Context) error {
	if s.cfg.Queue == nil {
		return errors.New("ingest: no queue configured")
	}
	if err := s.cfg.Queue.EnsureStream(ctx, s.cfg.StreamReplicas); err != nil {
		return err
	}
	_, err := s.consumer(ctx)
	return err
}

// Submit validates every item of a batch of kind and stores or queues the
// accepted ones. On a nil error every accepted item is durable. Items are
// raw JSON objects (one per element of a JSON array or line of NDJSON).
// A returned error means nothing can be promised about the batch (for
// example the queue is down); re-sending it is safe.
func (s *Service) Submit(ctx context.Context, kind Kind, items []json.RawMessage, by Caller) (Result, error) {
	if len(items) > MaxBatchItems {
		return Result{}, errs.E(errs.Invalid, "the batch has %d items; send at most %d per request", len(items), MaxBatchItems)
	}
	var res Result
	var err error
	switch kind {
	case KindAccounts:
		res, err = s.submitAccounts(ctx, items)
	case KindLogins:
		res, err = s.submitLogins(ctx, items)
	case KindGroups:
		res, err = s.submitGroups(ctx, items)
	case KindContent:
		var seqs string
		res, seqs, err = s.submitContent(ctx, items)
		if err == nil && res.Accepted > 0 {
			err = s.audit(ctx, kind, by, res, items, seqs)
		}
	default:
		return Result{}, errs.E(errs.Invalid, "unknown record kind %q: use accounts, logins, groups or content", kind)
	}
	if err != nil {
		s.metrics.failures.WithLabelValues(string(kind)).Inc()
		return Result{}, err
	}
	if kind != KindContent && res.Accepted > 0 {
		if err := s.audit(ctx, kind, by, res, items, ""); err != nil {
			return Result{}, err
		}
	}
	s.metrics.count(kind, res)
	if res.Errors == nil {
		res.Errors = []ItemError{}
	}
	return res, nil
}

// audit appends one event per accepted batch (not per item, which would
// swamp the log); the batch is named by its first and last item ids.
func (s *Service) audit(ctx context.Context, kind Kind, by Caller, res Result, items []json.RawMessage, seqs string) error {
	if s.cfg.Audit == nil {
		return nil
	}
	first, last := itemID(items[0]), itemID(items[len(items)-1])
	detail := map[string]string{
		"kind": string(kind), "received": fmt.Sprint(len(items)), "accepted": fmt.Sprint(res.Accepted),
		"duplicates": fmt.Sprint(res.Duplicates), "rejected": fmt.Sprint(res.Rejected),
		"first_id": first, "last_id": last, "token_id": by.ID,
	}
	if seqs != "" {
		detail["stream_seq"] = seqs
	}
	_, err := s.cfg.Audit.Append(ctx, audit.Event{
		Actor: "service:" + by.Name, Role: "service", Action: "ingest." + string(kind),
		Records: []string{fmt.Sprintf("%s:%s..%s", kind, first, last)},
		Reason:  "platform directory feed", Detail: detail,
	})
	if err != nil {
		return errs.E(errs.Unavailable, "the batch was stored but the audit log could not record it; re-send the batch (it is idempotent)", err)
	}
	return nil
}
