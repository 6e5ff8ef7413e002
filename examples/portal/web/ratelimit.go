package web

import (
	"sync"
	"time"
)

// limiter is a token bucket per key (a client address, a session, a
// receipt number): rate tokens per second up to burst. Keys idle for a
// while are forgotten, so memory stays bounded by the active clients.
type limiter struct {
	rate  float64
	burst float64
	now   func() time.Time
	mu    sync.Mutex
	keys  map[string]*bucket
	max   int
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Limit is a rate: Burst requests at once, then PerMinute a minute.
type Limit struct {
	PerMinute float64
	Burst     int
}

func newLimiter(l Limit, now func() time.Time) *limiter {
	return &limiter{rate: l.PerMinute / 60, burst: float64(l.Burst), now: now, keys: map[string]*bucket{}, max: 100_000}
}

// allow takes one token for key and reports whether there was one.
func (l *limiter) allow(key string) bool {
	if l == nil || l.burst <= 0 {
		return true
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.keys[key]
	if b == nil {
		if len(l.keys) >= l.max {
			l.forgetLocked(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.keys[key] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// forgetLocked drops the buckets that have refilled (they hold no
// information); if none has, it drops them all rather than grow.
func (l *limiter) forgetLocked(now time.Time) {
	for k, b := range l.keys {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.keys, k)
		}
	}
	if len(l.keys) >= l.max {
		clear(l.keys)
	}
}

func (l *limiter) prune() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.forgetLocked(l.now())
}
