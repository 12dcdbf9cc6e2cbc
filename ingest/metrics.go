package ingest

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	items           *prometheus.CounterVec
	failures        *prometheus.CounterVec
	stored          prometheus.Counter
	consumeFailures prometheus.Counter
}

func newMetrics(reg prometheus.Registerer, s *Service) (*metrics, error) {
	m := &metrics{
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigil_ingest_items_total",
			Help: "Items received by the ingest API, by kind and outcome (accepted, duplicate, rejected).",
		}, []string{"kind", "outcome"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigil_ingest_batch_failures_total",
			Help: "Ingest batches that failed as a whole (store or queue unavailable), by kind.",
		}, []string{"kind"}),
		stored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigil_ingest_content_stored_total",
			Help: "Content items newly written to the store by the queue consumer.",
		}),
		consumeFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigil_ingest_consume_failures_total",
			Help: "Queue batches the consumer could not store or hand on; they are redelivered.",
		}),
	}
	if reg == nil {
		return m, nil
	}
	lag := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "vigil_ingest_queue_lag",
		Help: "Content messages queued but not yet stored (pending plus unacknowledged).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n, err := s.Lag(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	for _, c := range []prometheus.Collector{m.items, m.failures, m.stored, m.consumeFailures, lag} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) count(kind Kind, r Result) {
	k := string(kind)
	m.items.WithLabelValues(k, "accepted").Add(float64(r.Accepted))
	m.items.WithLabelValues(k, "duplicate").Add(float64(r.Duplicates))
	m.items.WithLabelValues(k, "rejected").Add(float64(r.Rejected))
}
