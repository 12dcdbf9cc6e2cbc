package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Stream and subjects of Vigil's content intake.
const (
	ContentStream  = "CONTENT"
	ContentSubject = "vigil.content.>"
	// DuplicateWindow is how long JetStream remembers message ids: a batch
	// re-sent within it is acknowledged as a duplicate and not stored again.
	// Beyond it the store's idempotent inserts still make re-sends no-ops.
	DuplicateWindow = 10 * time.Minute
)

// Conn is a client connection to JetStream (embedded or external).
type Conn struct {
	nc *nats.Conn
	js jetstream.JetStream
}

// Connect opens a connection to an external NATS cluster at url (a
// comma-separated list of nats:// URLs is allowed). It keeps reconnecting
// forever, so a cluster restart does not end the process.
func Connect(url string) (*Conn, error) {
	return connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(500*time.Millisecond))
}

func connect(url string, opts ...nats.Option) (*Conn, error) {
	opts = append(opts, nats.Name("vigil"))
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("queue: connect to NATS (check --nats-url): %w", err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("queue: JetStream client: %w", err)
	}
	return &Conn{nc: nc, js: js}, nil
}

// Close flushes outstanding acknowledgements and closes the connection.
func (c *Conn) Close() {
	_ = c.nc.Flush()
	c.nc.Close()
}

// MaxPayload is the largest message the server accepts, in bytes.
func (c *Conn) MaxPayload() int64 { return c.nc.MaxPayload() }

// Ready reports whether JetStream answers, for readiness probes.
func (c *Conn) Ready(ctx context.Context) error {
	if _, err := c.js.AccountInfo(ctx); err != nil {
		return fmt.Errorf("queue: JetStream not reachable: %w", err)
	}
	return nil
}

// EnsureStream creates the CONTENT stream (file storage, duplicate window)
// or updates it to this configuration; safe to call on every start.
func (c *Conn) EnsureStream(ctx context.Context, replicas int) error {
	if replicas < 1 {
		replicas = 1
	}
	_, err := c.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        ContentStream,
		Description: "Vigil content intake: validated batches waiting to be stored and scanned",
		Subjects:    []string{ContentSubject},
		Storage:     jetstream.FileStorage,
		// Interest retention deletes a message once every consumer has
		// acknowledged it, so the stream holds only the backlog. Create the
		// durable consumer right after the stream: a message published while
		// no consumer exists is not kept.
		Retention:  jetstream.InterestPolicy,
		MaxAge:     7 * 24 * time.Hour, // a week of backlog if every worker is down
		Duplicates: DuplicateWindow,
		Replicas:   replicas,
	})
	if err != nil {
		return fmt.Errorf("queue: ensure stream %s: %w", ContentStream, err)
	}
	return nil
}

// StoredMessages is the number of messages the CONTENT stream holds.
func (c *Conn) StoredMessages(ctx context.Context) (uint64, error) {
	st, err := c.js.Stream(ctx, ContentStream)
	if err != nil {
		return 0, fmt.Errorf("queue: stream %s: %w", ContentStream, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue: stream info: %w", err)
	}
	return info.State.Msgs, nil
}

// Message is one message to publish.
type Message struct {
	Subject string
	ID      string // de-duplication id (Nats-Msg-Id); same id → stored once
	Data    []byte
	Header  nats.Header
}

// Published is JetStream's answer for one Message.
type Published struct {
	Sequence  uint64
	Duplicate bool // the id was seen within DuplicateWindow; nothing new stored
}

// Publish sends msgs asynchronously and waits until JetStream has stored
// (or recognised as duplicate) every one of them, so on success they are
// durable. The result is in the order of msgs. On error some messages may
// have been stored; re-publishing with the same ids is safe.
func (c *Conn) Publish(ctx context.Context, msgs []Message) ([]Published, error) {
	futures := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		nm := &nats.Msg{Subject: m.Subject, Data: m.Data, Header: m.Header}
		var opts []jetstream.PublishOpt
		if m.ID != "" {
			opts = append(opts, jetstream.WithMsgID(m.ID))
		}
		opts = append(opts, jetstream.WithExpectStream(ContentStream))
		f, err := c.js.PublishMsgAsync(nm, opts...)
		if err != nil {
			return nil, fmt.Errorf("queue: publish: %w", err)
		}
		futures[i] = f
	}
	out := make([]Published, len(msgs))
	for i, f := range futures {
		select {
		case ack := <-f.Ok():
			out[i] = Published{Sequence: ack.Sequence, Duplicate: ack.Duplicate}
		case err := <-f.Err():
			return nil, fmt.Errorf("queue: JetStream did not store message %d: %w", i, err)
		case <-ctx.Done():
			return nil, fmt.Errorf("queue: waiting for JetStream acknowledgement: %w", ctx.Err())
		}
	}
	return out, nil
}

// ConsumerConfig tunes a durable pull consumer.
type ConsumerConfig struct {
	Name    string        // durable name; processes sharing it share the work
	AckWait time.Duration // redelivery delay for unacknowledged messages
	// MaxAckPending bounds the messages handed out but not yet acknowledged.
	MaxAckPending int
}

// Consumer is a durable pull consumer with explicit acknowledgements.
type Consumer struct {
	c jetstream.Consumer
}

// Consumer creates or updates the durable consumer cfg.Name on the CONTENT
// stream. Messages must be acknowledged explicitly; unacknowledged ones are
// redelivered after AckWait, including after a crash.
func (c *Conn) Consumer(ctx context.Context, cfg ConsumerConfig) (*Consumer, error) {
	if cfg.Name == "" {
		return nil, errors.New("queue: consumer needs a durable name")
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 10 * time.Second
	}
	if cfg.MaxAckPending <= 0 {
		cfg.MaxAckPending = 1024
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, ContentStream, jetstream.ConsumerConfig{
		Durable:       cfg.Name,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxAckPending: cfg.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		FilterSubject: ContentSubject,
	})
	if err != nil {
		return nil, fmt.Errorf("queue: ensure consumer %s: %w", cfg.Name, err)
	}
	return &Consumer{c: cons}, nil
}

// Lag is the consumer's backlog: messages not yet delivered plus messages
// delivered but not yet acknowledged.
func (k *Consumer) Lag(ctx context.Context) (uint64, error) {
	info, err := k.c.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("queue: consumer info: %w", err)
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}
