package cas

// Client-side rate limiting: an adaptive token bucket per action, plus an optional account-wide
// cap, so that a large configuration paces its calls instead of being answered Throttling.* and
// retrying.
//
// Buckets. Each action with a documented per-account limit (cas-api.md "Protocol";
// documentedActionRates below) has a bucket of its own at that rate. Every other action shares one
// default bucket at defaultActionRate: their limits are undocumented, and one shared bucket keeps
// their sum modest. When Config.RateLimit is above zero, an account bucket at that rate is taken
// from by every call as well, whatever its action. Config.DisableRateLimit turns all of it off.
//
// Pacing. A bucket holds one token (no burst): it is the time at which its next token is due, so
// calls of one action are spaced 1/rate apart, and N calls made back to back take (N-1)/rate. This
// is stricter than the service, which allows about a second of burst, but a client never has to
// bet on what the burst is. A call reserves a token in its action's bucket and in the account
// bucket under one lock (the later of the two due times wins, and both are moved past it), then
// sleeps outside the lock with the client's Clock until its turn; tests pass a fake clock. A call
// whose context ends while it waits returns the context's error and gives its turn back when no
// later call has queued behind it.
//
// Adaptation (AIMD). The documented limits are not guarantees: they disagree between SDK
// versions, and several Terraform runs or other tools can share the account. So the per-action
// rate is adaptive: a Throttling answer halves the action's effective rate (multiplicative
// decrease, never below minAdaptiveRate, or below the configured rate when that is lower), and
// each successful attempt raises it by 1/recoverySteps of the configured rate (additive increase)
// until it is back to the configured rate. A throttled call is still retried by invoke with its
// backoff; the halved rate only spaces the calls that follow. The account cap is the user's own
// setting and does not adapt.
//
// Scope. The limiter belongs to one Client (one provider configuration). Two provider aliases, or
// two Terraform runs, each pace themselves, which is what the adaptive decrease is for.

import (
	"context"
	"sync"
	"time"
)

// documentedActionRates are the per-account limits (calls per second) the service documents.
var documentedActionRates = map[string]float64{
	"ListUserCertificateOrder":           10,
	"GetUserCertificateDetail":           100,
	"UploadUserCertificate":              100,
	"DeleteUserCertificate":              10,
	"CreateCertificateForPackageRequest": 100,
	"CancelCertificateForPackageRequest": 10,
	"CancelOrderRequest":                 10,
	"DeleteCertificateRequest":           10,
	"ListCert":                           100,
	"ListCertWarehouse":                  10,
	"ListCloudAccess":                    10,
	"ListWorkerResource":                 10,
}

const (
	// defaultActionRate is the rate of the bucket the undocumented actions share.
	defaultActionRate = 20
	// minAdaptiveRate is the floor of the multiplicative decrease, in calls per second.
	minAdaptiveRate = 1
	// recoverySteps: each success adds 1/recoverySteps of the configured rate, so a rate halved
	// once is restored after recoverySteps/2 successes.
	recoverySteps = 20
	// maxInterval bounds the spacing of a very small rate (and keeps time.Duration from overflowing).
	maxInterval = time.Hour
)

// bucket is one single-token bucket: next is when its next token is due.
type bucket struct {
	limit float64 // configured calls per second
	rate  float64 // effective calls per second (adaptive for action buckets)
	next  time.Time
}

// reserve takes the token due at `at` (not before next) and moves next past it.
func (b *bucket) reserve(at time.Time) {
	b.next = at.Add(interval(b.rate))
}

// limiter is the client's rate limiter. A nil *limiter allows everything at once.
type limiter struct {
	clock   Clock
	mu      sync.Mutex
	actions map[string]*bucket // by action; "" is the bucket the undocumented actions share
	account *bucket            // nil when there is no account-wide cap
}

// newLimiter returns the limiter the configuration asks for, or nil when it is disabled.
func newLimiter(cfg Config) *limiter {
	if cfg.DisableRateLimit {
		return nil
	}
	l := &limiter{clock: cfg.Clock, actions: map[string]*bucket{}}
	if cfg.RateLimit > 0 {
		l.account = &bucket{limit: cfg.RateLimit, rate: cfg.RateLimit}
	}
	return l
}

// bucketFor returns the action's bucket, creating it at first use. l.mu must be held.
func (l *limiter) bucketFor(action string) *bucket {
	rate, ok := documentedActionRates[action]
	if !ok {
		action, rate = "", defaultActionRate
	}
	b := l.actions[action]
	if b == nil {
		b = &bucket{limit: rate, rate: rate}
		l.actions[action] = b
	}
	return b
}

// wait blocks until the action may make an attempt, or until ctx ends (its error is returned,
// also when it has ended already). A nil limiter returns at once.
func (l *limiter) wait(ctx context.Context, action string) error {
	if l == nil {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.clock.Now()
	b := l.bucketFor(action)
	at := later(now, b.next)
	if l.account != nil {
		at = later(at, l.account.next)
	}
	prevAction := b.next
	b.reserve(at)
	mine := b.next
	var prevAccount, mineAccount time.Time
	if l.account != nil {
		prevAccount = l.account.next
		l.account.reserve(at)
		mineAccount = l.account.next
	}
	l.mu.Unlock()

	d := at.Sub(now)
	if d <= 0 {
		return nil
	}
	err := l.clock.Sleep(ctx, d)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		// Give the turn back unless a later call has already queued behind it.
		l.mu.Lock()
		if b.next.Equal(mine) {
			b.next = prevAction
		}
		if l.account != nil && l.account.next.Equal(mineAccount) {
			l.account.next = prevAccount
		}
		l.mu.Unlock()
	}
	return err
}

// throttled halves the action's effective rate after a Throttling answer.
func (l *limiter) throttled(action string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketFor(action)
	b.rate = max(b.rate/2, min(minAdaptiveRate, b.limit))
}

// succeeded raises the action's effective rate a step back toward its configured rate.
func (l *limiter) succeeded(action string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketFor(action)
	b.rate = min(b.limit, b.rate+b.limit/recoverySteps)
}

// rate is the action's effective rate in calls per second (0 when the limiter is off).
func (l *limiter) rate(action string) float64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketFor(action).rate
}

// interval is the spacing of calls at rate calls per second.
func interval(rate float64) time.Duration {
	s := float64(time.Second) / rate
	if rate <= 0 || s > float64(maxInterval) {
		return maxInterval
	}
	return time.Duration(s)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
