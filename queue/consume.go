package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Msg is a delivered message; the handler must Ack, Nak or let it time out.
type Msg = jetstream.Msg

// Handler processes a batch of delivered messages. It owns their
// acknowledgement: ack only what is safely done.
type Handler func(ctx context.Context, msgs []Msg) error

// BatchOptions tune Run.
type BatchOptions struct {
	MaxMessages int           // most messages handed to one Handler call
	Linger      time.Duration // how long to wait for more messages once one arrived
	OnError     func(error)   // called with handler errors; Run keeps going
}

// Run delivers messages to handle in batches until ctx is cancelled. Then
// it stops pulling, hands the messages already buffered to handle with a
// context that is not cancelled (graceful drain) and returns nil.
func (k *Consumer) Run(ctx context.Context, opt BatchOptions, handle Handler) error {
	if opt.MaxMessages <= 0 {
		opt.MaxMessages = 64
	}
	if opt.Linger <= 0 {
		opt.Linger = 5 * time.Millisecond
	}
	// Prefetch one batch ahead: enough to keep the handler busy, few enough
	// that buffered messages do not sit out their ack deadline.
	it, err := k.c.Messages(jetstream.PullMaxMessages(opt.MaxMessages))
	if err != nil {
		return fmt.Errorf("queue: start pulling: %w", err)
	}
	defer it.Stop()
	work := context.WithoutCancel(ctx)
	call := func(batch []Msg) {
		if len(batch) == 0 {
			return
		}
		if err := handle(work, batch); err != nil && opt.OnError != nil {
			opt.OnError(err)
		}
	}
	for {
		first, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return fmt.Errorf("queue: message iterator closed: %w", err)
			}
			if opt.OnError != nil {
				opt.OnError(err)
			}
			// A transient error (missed heartbeat, reconnect) may repeat at
			// once: pause instead of spinning.
			select {
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		batch := []Msg{first}
		for len(batch) < opt.MaxMessages {
			m, err := it.Next(jetstream.NextMaxWait(opt.Linger))
			if err != nil {
				break
			}
			batch = append(batch, m)
		}
		call(batch)
	}
	// Drain: stop pulling, then process what the client already buffered so
	// those messages are not left waiting for their ack deadline.
	it.Drain()
	var rest []Msg
	for {
		m, err := it.Next(jetstream.NextMaxWait(time.Second))
		if err != nil {
			break
		}
		rest = append(rest, m)
		if len(rest) == opt.MaxMessages {
			call(rest)
			rest = nil
		}
	}
	call(rest)
	return nil
}
