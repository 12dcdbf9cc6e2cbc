package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	tlog "github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
)

// Publish signs and stores a checkpoint of the tree at its current size and
// returns it. When the latest stored checkpoint already covers that size it
// is returned instead: Ed25519 signatures are deterministic, so a new one
// would be byte-identical.
//
// Publishing is not itself appended to the log: the checkpoint is the log's
// own signed statement, and appending would immediately make it stale.
func (l *Log) Publish(ctx context.Context) (Checkpoint, error) {
	l.pubMu.Lock()
	defer l.pubMu.Unlock()
	size, err := l.store.Size(ctx)
	if err != nil {
		return Checkpoint{}, err
	}
	latest, err := l.store.LatestCheckpoint(ctx)
	switch {
	case err == nil && latest.Size == size:
		if _, err := ParseCheckpoint(latest.Note, l.keys.Verifier); err == nil {
			return latest, nil
		}
		// Signed by a previous key: sign again with the current one.
	case err != nil && !errors.Is(err, ErrNotFound):
		return Checkpoint{}, err
	}
	root, err := l.rootAt(ctx, size)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("compute audit tree root at size %d: %w", size, err)
	}
	body := tlog.Checkpoint{Origin: l.keys.Origin(), Size: size, Hash: root}.Marshal()
	signed, err := note.Sign(&note.Note{Text: string(body)}, l.keys.Signer)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("sign audit checkpoint: %w", err)
	}
	cp := Checkpoint{Size: size, Root: root, Note: signed, PublishedAt: l.opt.Clock().UTC().Truncate(timePrecisionN)}
	if err := l.store.SaveCheckpoint(ctx, cp); err != nil {
		return Checkpoint{}, fmt.Errorf("store audit checkpoint: %w", err)
	}
	return cp, nil
}

// LatestCheckpoint returns the most recently published checkpoint, or an
// error wrapping ErrNotFound.
func (l *Log) LatestCheckpoint(ctx context.Context) (Checkpoint, error) {
	return l.store.LatestCheckpoint(ctx)
}

// RunPublisher publishes a checkpoint on every tick until ctx ends. Errors
// are logged, not fatal: the next tick tries again. The service passes a
// time.Ticker's channel; tests pass their own channel and need no sleeps.
func (l *Log) RunPublisher(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if _, err := l.Publish(ctx); err != nil && ctx.Err() == nil {
				l.opt.Logger.Error("audit checkpoint publication failed", "err", err)
			}
		}
	}
}

// PublishEvery runs RunPublisher on a ticker with the given interval until
// ctx ends.
func (l *Log) PublishEvery(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	l.RunPublisher(ctx, t.C)
}

// ParseCheckpoint verifies a signed checkpoint note with v (whose name is the
// log's origin) using transparency-dev/formats, and returns its body. Extra
// body lines are not accepted: Vigil writes none.
func ParseCheckpoint(signed []byte, v note.Verifier) (*tlog.Checkpoint, error) {
	cp, rest, _, err := tlog.ParseCheckpoint(signed, v.Name(), v)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, errors.New("checkpoint has unexpected extension lines")
	}
	return cp, nil
}
