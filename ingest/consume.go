package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"vigil/platform"
	"vigil/queue"
)

// redeliverDelay is how long a failed batch waits before JetStream offers it
// again, so a store outage does not become a hot loop.
const redeliverDelay = 2 * time.Second

// Run consumes the content stream until ctx is cancelled: it writes each
// batch of messages to the store in one transaction, hands the items to the
// Stage, and only then acknowledges the messages. After a crash anywhere
// before the acknowledgement JetStream redelivers them; the store ignores
// ids it already has and the Stage is idempotent, so every item is stored
// exactly once. On cancellation Run finishes the batches already delivered
// (graceful drain) and returns nil.
//
// The two steps form a pipeline: while the Stage works on one stored batch
// (scanning is CPU-bound and parallel), the next batch is already being
// written (SQLite's single writer is the other bottleneck). At most one
// stored batch waits for the Stage, so the backlog stays in JetStream.
func (s *Service) Run(ctx context.Context) error {
	cons, err := s.consumer(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started: nothing was in flight
		}
		return err
	}
	s.log.InfoContext(ctx, "ingest consumer started", "consumer", s.cfg.Consumer)
	jobs := make(chan stored, 1)
	staged := make(chan struct{})
	go func() {
		defer close(staged)
		work := context.WithoutCancel(ctx) // drain: finish what was stored
		for j := range jobs {
			if err := s.finish(work, j); err != nil {
				s.log.Error("ingest consumer", "err", err.Error())
			}
		}
	}()
	err = cons.Run(ctx, queue.BatchOptions{
		MaxMessages: s.cfg.ConsumeBatch,
		Linger:      5 * time.Millisecond,
		OnError:     func(err error) { s.log.Error("ingest consumer", "err", err.Error()) },
	}, func(ctx context.Context, msgs []queue.Msg) error {
		j, ok, err := s.store(ctx, msgs)
		if ok {
			jobs <- j
		}
		return err
	})
	close(jobs)
	<-staged
	s.log.Info("ingest consumer stopped", "consumer", s.cfg.Consumer)
	return err
}

func (s *Service) consumer(ctx context.Context) (*queue.Consumer, error) {
	if s.cfg.Queue == nil {
		return nil, errors.New("ingest: no queue configured")
	}
	s.consMu.Lock()
	defer s.consMu.Unlock()
	if s.cons != nil {
		return s.cons, nil
	}
	c, err := s.cfg.Queue.Consumer(ctx, queue.ConsumerConfig{Name: s.cfg.Consumer, AckWait: s.cfg.AckWait, MaxAckPending: 4 * s.cfg.ConsumeBatch})
	if err != nil {
		return nil, err
	}
	s.cons = c
	return c, nil
}

// Lag is the number of queued content messages not yet stored.
func (s *Service) Lag(ctx context.Context) (uint64, error) {
	c, err := s.consumer(ctx)
	if err != nil {
		return 0, err
	}
	return c.Lag(ctx)
}

// keepAlive tells JetStream, every third of AckWait, that msgs are still
// being worked on, so a slow store or stage does not cause a redelivery
// while a crash still does after AckWait. The returned func stops it.
func (s *Service) keepAlive(msgs []queue.Msg) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(s.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				for _, m := range msgs {
					_ = m.InProgress()
				}
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); <-finished }) }
}

// stored is a batch committed to the store whose messages still wait for
// the Stage and their acknowledgement; stop ends their keep-alive.
type stored struct {
	items []platform.ContentItem
	live  []queue.Msg
	stop  func()
}

// handle stores one batch of messages and runs the Stage on it: commit, then
// Stage, then ack. Run does the same as a pipeline; handle is the
// one-batch-at-a-time form used to retry a failed batch message by message.
func (s *Service) handle(ctx context.Context, msgs []queue.Msg) error {
	j, ok, err := s.store(ctx, msgs)
	if !ok {
		return err
	}
	return s.finish(ctx, j)
}

// store decodes, re-validates and commits a batch. ok reports whether a
// committed batch now needs finish; otherwise the messages were already
// nacked, terminated or handled one by one, and err says what failed.
func (s *Service) store(ctx context.Context, msgs []queue.Msg) (stored, bool, error) {
	var items []platform.ContentItem
	var live []queue.Msg
	now := s.now()
	for _, m := range msgs {
		var batch []platform.ContentItem
		if err := json.Unmarshal(m.Data(), &batch); err != nil {
			// Not something Submit wrote: retrying cannot help.
			s.log.Error("ingest: dropping a queue message that is not a content batch", "err", err.Error(), "subject", m.Subject())
			_ = m.Term()
			continue
		}
		// Defence in depth: the queue may be shared, so nothing reaches
		// the store without passing validation here too.
		for i := range batch {
			if err := batch[i].Validate(now.Add(time.Hour)); err != nil {
				s.log.Error("ingest: dropping an invalid queued item", "id", batch[i].ID, "err", err.Error())
				continue
			}
			items = append(items, batch[i])
		}
		live = append(live, m)
	}
	if len(live) == 0 {
		return stored{}, false, nil
	}
	stop := s.keepAlive(live)
	n, err := s.cfg.Store.InsertContent(ctx, items)
	if err != nil && len(live) > 1 {
		// Retry message by message, so that one message the store refuses
		// cannot hold back the others in its batch.
		stop()
		var firstErr error
		for _, m := range live {
			if err := s.handle(ctx, []queue.Msg{m}); err != nil && firstErr == nil {
				firstErr = err
			}
		}
		return stored{}, false, firstErr
	}
	if err != nil {
		stop()
		return stored{}, false, s.nack(live, fmt.Errorf("store %d queued items: %w", len(items), err))
	}
	s.metrics.stored.Add(float64(n))
	return stored{items: items, live: live, stop: stop}, true, nil
}

// finish runs the Stage on a stored batch and acknowledges its messages.
func (s *Service) finish(ctx context.Context, j stored) error {
	defer j.stop()
	if err := s.cfg.Stage.Process(ctx, j.items); err != nil {
		return s.nack(j.live, fmt.Errorf("next stage: %w", err))
	}
	var ackErr error
	for _, m := range j.live {
		if err := m.Ack(); err != nil && ackErr == nil {
			ackErr = fmt.Errorf("ack: %w", err) // redelivery will be a no-op
		}
	}
	return ackErr
}

// nack asks for a delayed redelivery of msgs and counts the failure.
func (s *Service) nack(msgs []queue.Msg, err error) error {
	for _, m := range msgs {
		_ = m.NakWithDelay(redeliverDelay)
	}
	s.metrics.consumeFailures.Inc()
	return err
}
