package hub

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimits bound sign-in attempts: a token bucket per client address and one per account
// (e-mail), so neither one machine trying many accounts nor many machines trying one account
// gets more than Burst quick tries and then one per Every.
type LoginLimits struct {
	PerAddressEvery time.Duration
	PerAddressBurst int
	PerAccountEvery time.Duration
	PerAccountBurst int
}

// DefaultLoginLimits: 20 quick tries per address then one every 3 s; 5 per account then one
// every 20 s (a person who mistypes a few times is never stopped).
var DefaultLoginLimits = LoginLimits{
	PerAddressEvery: 3 * time.Second, PerAddressBurst: 20,
	PerAccountEvery: 20 * time.Second, PerAccountBurst: 5,
}

// maxBuckets bounds the memory a flood of distinct addresses or e-mails can take: past it,
// buckets idle long enough to be full again are dropped (a dropped bucket is a full one).
const maxBuckets = 100_000

type bucketSet struct {
	every time.Duration
	burst int
	items map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

type loginLimiter struct {
	mu        sync.Mutex
	byAddress bucketSet
	byAccount bucketSet
}

func newLoginLimiter(l LoginLimits) *loginLimiter {
	return &loginLimiter{
		byAddress: bucketSet{every: l.PerAddressEvery, burst: l.PerAddressBurst, items: map[string]*bucket{}},
		byAccount: bucketSet{every: l.PerAccountEvery, burst: l.PerAccountBurst, items: map[string]*bucket{}},
	}
}

// allow takes one attempt from the address's and the account's buckets at now. When either is
// empty it takes nothing and returns how long until the next attempt may be made.
func (l *loginLimiter) allow(address, account string, now time.Time) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.byAddress.get(address, now)
	b := l.byAccount.get(account, now)
	ra := a.lim.ReserveN(now, 1)
	rb := b.lim.ReserveN(now, 1)
	wait := max(ra.DelayFrom(now), rb.DelayFrom(now))
	if wait > 0 {
		ra.CancelAt(now)
		rb.CancelAt(now)
		return false, wait
	}
	return true, 0
}

func (s *bucketSet) get(key string, now time.Time) *bucket {
	b := s.items[key]
	if b == nil {
		if len(s.items) >= maxBuckets {
			s.prune(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Every(s.every), s.burst)}
		s.items[key] = b
	}
	b.last = now
	return b
}

// prune drops the buckets that have refilled completely since their last use.
func (s *bucketSet) prune(now time.Time) {
	full := time.Duration(math.Ceil(float64(s.burst))) * s.every
	for k, b := range s.items {
		if now.Sub(b.last) >= full {
			delete(s.items, k)
		}
	}
}

func retrySeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}
