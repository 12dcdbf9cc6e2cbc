package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/transparency-dev/merkle/compact"
)

// Options tune a Log; the zero value is usable.
type Options struct {
	// Clock stamps events whose At is zero; default time.Now.
	Clock func() time.Time
	// MaxBatch caps how many concurrent appends share one transaction;
	// default 1024.
	MaxBatch int
	// WriteTimeout bounds one append transaction; default 30s.
	WriteTimeout time.Duration
	// Logger receives errors of the periodic publisher; default slog.Default().
	Logger *slog.Logger
}

// Log is the append-only audit log. Append is safe for concurrent use: a
// single writer goroutine gathers the appends waiting at that moment into one
// transaction (group commit), so indexes are dense and ordered and one
// commit's cost is shared by many events.
type Log struct {
	store Store
	keys  *Keys
	opt   Options

	reqs      chan *appendReq // unbuffered: a send succeeds only when the writer takes it
	quit      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	baseCtx   context.Context
	cancel    context.CancelFunc

	mu  sync.Mutex     // guards rng (the pointer; a published range is never mutated)
	rng *compact.Range // running tree state after this process's last commit; nil = unknown

	pubMu sync.Mutex // serialises Publish within the process
}

type appendReq struct {
	ctx context.Context
	ev  Event
	res chan appendRes
}

type appendRes struct {
	index uint64
	err   error
}

// New returns a Log over s that signs checkpoints with keys, and starts its
// writer goroutine; call Close to stop it.
func New(s Store, keys *Keys, opt Options) (*Log, error) {
	if s == nil || keys == nil || keys.Signer == nil || keys.Verifier == nil {
		return nil, errors.New("audit.New: store and keys are required")
	}
	if opt.Clock == nil {
		opt.Clock = time.Now
	}
	if opt.MaxBatch <= 0 {
		opt.MaxBatch = 1024
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = 30 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Log{
		store: s, keys: keys, opt: opt,
		reqs: make(chan *appendReq), quit: make(chan struct{}), done: make(chan struct{}),
		baseCtx: ctx, cancel: cancel,
	}
	go l.writer()
	return l, nil
}

// Keys returns the checkpoint keys (for the public key and origin).
func (l *Log) Keys() *Keys { return l.keys }

// Store returns the log's store (for Verify).
func (l *Log) Store() Store { return l.store }

// Close stops accepting appends, finishes the batch in progress and stops the
// writer. Appends after Close return ErrClosed.
func (l *Log) Close() error {
	l.closeOnce.Do(func() {
		close(l.quit)
		<-l.done
		l.cancel()
	})
	return nil
}

// Append records e and returns its index once the transaction holding it has
// committed. Events with a zero At are stamped with the Log's clock. If ctx
// ends while the event waits to be picked up it is not logged and ctx's error
// is returned; once picked up, Append waits for the commit's outcome so that
// its answer is always the truth.
func (l *Log) Append(ctx context.Context, e Event) (uint64, error) {
	if e.At.IsZero() {
		e.At = l.opt.Clock()
	}
	// Encoding now (with a placeholder index) rejects bad events before they
	// can fail a whole batch; the writer encodes again with the real index.
	if _, err := EncodeLeaf(0, e); err != nil {
		return 0, err
	}
	req := &appendReq{ctx: ctx, ev: e.normalize(), res: make(chan appendRes, 1)}
	select {
	case l.reqs <- req:
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-l.quit:
		return 0, ErrClosed
	}
	r := <-req.res
	return r.index, r.err
}

func (l *Log) writer() {
	defer close(l.done)
	for {
		var first *appendReq
		select {
		case first = <-l.reqs:
		case <-l.quit:
			return
		}
		batch := []*appendReq{first}
	gather:
		for len(batch) < l.opt.MaxBatch {
			select {
			case r := <-l.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		l.write(batch)
	}
}

// write commits one batch and answers every request in it.
func (l *Log) write(batch []*appendReq) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.res <- appendRes{err: err}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(l.baseCtx, l.opt.WriteTimeout)
	defer cancel()
	l.mu.Lock()
	cur := l.rng
	l.mu.Unlock()
	var (
		first uint64
		next  *compact.Range
	)
	err := l.store.AppendBatch(ctx, func(ctx context.Context, hr HashReader, size uint64) (Batch, error) {
		var (
			cr  *compact.Range
			err error
		)
		if cur != nil && cur.End() == size {
			cr, err = cloneRange(cur)
		} else {
			// First append of this process, or another process appended
			// since: rebuild the running state from the stored tree.
			cr, err = rangeAt(ctx, hr, size)
		}
		if err != nil {
			return Batch{}, err
		}
		b := Batch{Entries: make([]Entry, 0, len(live))}
		visit := func(id compact.NodeID, h []byte) {
			if storedLevel(id.Level) {
				b.Nodes = append(b.Nodes, Node{Level: id.Level, Index: id.Index, Hash: h})
			}
		}
		for i, r := range live {
			idx := size + uint64(i)
			leaf, err := EncodeLeaf(idx, r.ev)
			if err != nil {
				return Batch{}, fmt.Errorf("entry %d: %w", idx, err)
			}
			h := HashLeaf(leaf)
			if err := cr.Append(h, visit); err != nil {
				return Batch{}, err
			}
			b.Entries = append(b.Entries, Entry{
				Index: idx, At: r.ev.At, Actor: r.ev.Actor, Role: r.ev.Role,
				Action: r.ev.Action, Leaf: leaf, LeafHash: h,
			})
		}
		first, next = size, cr
		return b, nil
	})
	if err != nil {
		err = fmt.Errorf("append to audit log: %w", err)
	} else {
		l.mu.Lock()
		l.rng = next
		l.mu.Unlock()
	}
	for i, r := range live {
		r.res <- appendRes{index: first + uint64(i), err: err}
	}
}

// Size returns the number of entries (max index + 1).
func (l *Log) Size(ctx context.Context) (uint64, error) { return l.store.Size(ctx) }

// Entries returns up to limit (1..1000) entries starting at index from.
func (l *Log) Entries(ctx context.Context, from uint64, limit int) ([]Entry, error) {
	if limit < 1 || limit > 1000 {
		return nil, fmt.Errorf("%w: limit must be 1..1000, got %d", ErrInvalid, limit)
	}
	return l.store.Entries(ctx, from, limit)
}

// Entry returns the entry at index, or ErrNotFound.
func (l *Log) Entry(ctx context.Context, index uint64) (Entry, error) {
	es, err := l.store.Entries(ctx, index, 1)
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 || es[0].Index != index {
		return Entry{}, fmt.Errorf("%w: audit entry %d", ErrNotFound, index)
	}
	return es[0], nil
}

// rootAt returns the tree root at size, from the running state when it is
// current and from the stored tree otherwise.
func (l *Log) rootAt(ctx context.Context, size uint64) ([]byte, error) {
	l.mu.Lock()
	cr := l.rng
	l.mu.Unlock()
	if cr == nil || cr.End() != size {
		var err error
		if cr, err = rangeAt(ctx, l.store, size); err != nil {
			return nil, err
		}
	}
	return rootOf(cr)
}
