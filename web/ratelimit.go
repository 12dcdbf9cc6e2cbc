package web

import (
	"sync"
	"time"
)

// Limit is a token bucket: Burst attempts at once, then one more every Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// limiter keeps one token bucket per key (an IP or a username) in memory.
// Buckets that have refilled completely are dropped, so the map stays as
// small as the set of currently active keys.
type limiter struct {
	lim     Limit
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds memory under a flood of distinct keys; beyond it new keys
// are refused (fail closed) until buckets refill and are swept.
const maxBuckets = 100_000

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{lim: l, now: now, buckets: map[string]*bucket{}}
}

// Allow takes one token for key and reports whether one was available. It
// also returns how long until the next token, for the error message.
func (l *limiter) Allow(key string) (bool, time.Duration) {
	if l.lim.Burst <= 0 {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		l.sweepLocked(now)
	}
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			return false, l.lim.Every
		}
		b = &bucket{tokens: float64(l.lim.Burst), last: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.lim.Every))
	return false, wait
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if l.lim.Every > 0 && now.After(b.last) {
		b.tokens += float64(now.Sub(b.last)) / float64(l.lim.Every)
		if b.tokens > float64(l.lim.Burst) {
			b.tokens = float64(l.lim.Burst)
		}
	}
	b.last = now
}

func (l *limiter) sweepLocked(now time.Time) {
	l.sweep = now
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= float64(l.lim.Burst) {
			delete(l.buckets, k)
		}
	}
}
