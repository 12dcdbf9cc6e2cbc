package queue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"vigil/queue"
)

func start(t *testing.T, dir string) (*queue.Embedded, *queue.Conn) {
	t.Helper()
	e, err := queue.StartEmbedded(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Connect()
	if err != nil {
		e.Shutdown()
		t.Fatal(err)
	}
	if err := c.EnsureStream(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	return e, c
}

func msg(i int) queue.Message {
	return queue.Message{Subject: "vigil.content.batch", ID: fmt.Sprintf("m%d", i), Data: []byte(fmt.Sprintf("payload %d", i))}
}

// collect runs the consumer until n messages were handled, acking them only
// when ack is true.
func collect(t *testing.T, k *queue.Consumer, n int, ack bool) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var mu sync.Mutex
	var got []string
	done := make(chan error, 1)
	go func() {
		done <- k.Run(ctx, queue.BatchOptions{MaxMessages: 8}, func(_ context.Context, ms []queue.Msg) error {
			mu.Lock()
			defer mu.Unlock()
			for _, m := range ms {
				got = append(got, string(m.Data()))
				if ack {
					if err := m.DoubleAck(context.Background()); err != nil {
						return err
					}
				}
			}
			if len(got) >= n {
				cancel()
			}
			return nil
		})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) < n {
		t.Fatalf("consumer saw %d messages before the deadline, want %d", len(got), n)
	}
	return got
}

func TestPublishDeduplicatesAndConsumerRoundTrip(t *testing.T) {
	ctx := context.Background()
	e, c := start(t, t.TempDir())
	defer e.Shutdown()
	defer c.Close()

	k, err := c.Consumer(ctx, queue.ConsumerConfig{Name: "store"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Publish(ctx, []queue.Message{msg(1), msg(2), msg(3)})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Duplicate || r.Sequence != uint64(i+1) {
			t.Fatalf("publish %d: %+v, want sequence %d and not duplicate", i, r, i+1)
		}
	}
	// Re-sending the same id is acknowledged but stores nothing new.
	again, err := c.Publish(ctx, []queue.Message{msg(2)})
	if err != nil || !again[0].Duplicate {
		t.Fatalf("re-publish: %+v, %v; want a duplicate", again, err)
	}

	if lag, err := k.Lag(ctx); err != nil || lag != 3 {
		t.Fatalf("lag before consuming = %d, %v; want 3", lag, err)
	}
	got := collect(t, k, 3, true)
	want := []string{"payload 1", "payload 2", "payload 3"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("consumed %q, want %q", got, want)
	}
	// The server confirmed every ack (DoubleAck), but the consumer's
	// pending count and the work-queue stream's removal of acked messages
	// are bookkeeping it may apply a moment later on a busy machine.
	eventually(t, func() string {
		if lag, err := k.Lag(ctx); err != nil || lag != 0 {
			return fmt.Sprintf("lag after acking = %d, %v; want 0", lag, err)
		}
		return ""
	})
	// Acknowledged messages leave the stream: it holds only the backlog.
	eventually(t, func() string {
		if n, err := c.StoredMessages(ctx); err != nil || n != 0 {
			return fmt.Sprintf("stream holds %d messages after every ack, %v", n, err)
		}
		return ""
	})
}

// eventually retries check until it reports no problem, failing with the
// last problem after a few seconds.
func eventually(t *testing.T, check func() string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		problem := check()
		if problem == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(problem)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUnackedMessagesSurviveRestartAndAreRedelivered(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, c := start(t, dir)
	k, err := c.Consumer(ctx, queue.ConsumerConfig{Name: "store", AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(ctx, []queue.Message{msg(1), msg(2)}); err != nil {
		t.Fatal(err)
	}
	collect(t, k, 2, false) // delivered, never acknowledged: a crash before commit
	c.Close()
	e.Shutdown()

	e2, c2 := start(t, dir)
	defer e2.Shutdown()
	defer c2.Close()
	k2, err := c2.Consumer(ctx, queue.ConsumerConfig{Name: "store", AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got := collect(t, k2, 2, true)
	if len(got) != 2 || got[0] != "payload 1" || got[1] != "payload 2" {
		t.Fatalf("redelivered %q", got)
	}
	if lag, err := k2.Lag(ctx); err != nil || lag != 0 {
		t.Fatalf("lag after redelivery and ack = %d, %v", lag, err)
	}
}

func TestEmbeddedOnTCPAndExternalConnect(t *testing.T) {
	e, err := queue.StartEmbeddedOn(t.TempDir(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	url := e.ClientURL()
	if url == "" {
		t.Fatal("no client URL for a TCP listener")
	}
	c, err := queue.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.EnsureStream(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	if c.MaxPayload() < 1<<20 {
		t.Fatalf("max payload %d", c.MaxPayload())
	}
}

func TestConnectFailsClearlyWithoutServer(t *testing.T) {
	if _, err := queue.Connect("nats://127.0.0.1:1"); err == nil {
		t.Fatal("expected an error")
	}
}
