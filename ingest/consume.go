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
func (s *Service) Run(ctx context.Context) error {
	cons, err := s.consumer(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped before it started: nothing was in flight
		}
		return err
	}
	s.log.InfoContext(ctx, "ingest consumer started", "consumer", s.cfg.Consumer)
	err = cons.Run(ctx, queue.BatchOptions{
		MaxMessages: s.cfg.ConsumeBatch,
		Linger:      5 * time.Millisecond,
		OnError:     func(err error) { s.log.Error("ingest consumer", "err", err.Error()) },
	}, s.handle)
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

// handle stores one batch of messages. Its ordering is the exactly-once
// argument: commit, then Stage, then ack.
func (s *Service) handle(ctx context.Context, msgs []queue.Msg) error {
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
		return nil
	}
	stop := s.keepAlive(live)
	defer stop()
	nack := func(err error) error {
		for _, m := range live {
			_ = m.NakWithDelay(redeliverDelay)
		}
		s.metrics.consumeFailures.Inc()
		return err
	}
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
		return firstErr
	}
	if err != nil {
		return nack(fmt.Errorf("store %d queued items: %w", len(items), err))
	}
	s.metrics.stored.Add(float64(n))
	if err := s.cfg.Stage.Process(ctx, items); err != nil {
		return nack(fmt.Errorf("next stage: %w", err))
	}
	var ackErr error
	for _, m := range live {
		if err := m.Ack(); err != nil && ackErr == nil {
			ackErr = fmt.Errorf("ack: %w", err) // redelivery will be a no-op
		}
	}
	return ackErr
}
