package emulator

import (
	"fmt"
	"maps"
	"sync"
	"time"
)

// Rate limits. In realistic mode each CAS action with a documented per-account limit gets a token
// bucket per account (calls per second, one second of burst); a call over the limit is answered
// Throttling.User. A global per-account limit over all CAS actions can be set for benchmarks.
// Buckets use the real clock.

// documentedRateLimits are the per-account limits (calls per second) the service documents.
var documentedRateLimits = map[string]float64{
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

// Limits are the rate-limit settings.
type Limits struct {
	// Realistic enforces PerAction.
	Realistic bool `json:"realistic"`
	// GlobalRPS limits all CAS calls of an account together; 0 means no limit.
	GlobalRPS float64 `json:"global_rps"`
	// PerAction are the per-account limits by action (the documented ones unless changed).
	PerAction map[string]float64 `json:"per_action"`
}

// tokenBucket allows rate calls per second with a burst of burst calls.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func newTokenBucket(rate float64, now time.Time) *tokenBucket {
	burst := max(rate, 1)
	return &tokenBucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// allow takes a token if there is one.
func (b *tokenBucket) allowMethods(now time.Time) bool {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = min(b.burst, b.tokens+elapsed*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// rateLimiter holds the buckets. It has its own lock.
type rateLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	limits  Limits
	buckets map[string]*tokenBucket // account + "/" + action; action "" is the global bucket
}

func newRateLimiter(realistic bool, now func() time.Time) *rateLimiter {
	return &rateLimiter{
		now:     now,
		limits:  Limits{Realistic: realistic, PerAction: maps.Clone(documentedRateLimits)},
		buckets: map[string]*tokenBucket{},
	}
}

// allow reports whether an account may call an action now, taking a token if so.
func (l *rateLimiter) allowMethods(account, action string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if rate, ok := l.limits.PerAction[action]; ok && l.limits.Realistic && rate > 0 {
		if !l.bucket(account+"/"+action, rate, now).allowMethods(now) {
			return false
		}
	}
	if l.limits.GlobalRPS > 0 {
		return l.bucket(account+"/", l.limits.GlobalRPS, now).allowMethods(now)
	}
	return true
}

func (l *rateLimiter) bucket(key string, rate float64, now time.Time) *tokenBucket {
	b := l.buckets[key]
	if b == nil || b.rate != rate {
		b = newTokenBucket(rate, now)
		l.buckets[key] = b
	}
	return b
}

func (l *rateLimiter) get() Limits {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.limits
	out.PerAction = maps.Clone(l.limits.PerAction)
	return out
}

func (l *rateLimiter) set(in Limits) error {
	if in.GlobalRPS < 0 {
		return fmt.Errorf("global_rps must not be negative")
	}
	for action, rate := range in.PerAction {
		if rate < 0 {
			return fmt.Errorf("per_action[%s] must not be negative", action)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if in.PerAction == nil {
		in.PerAction = maps.Clone(documentedRateLimits)
	}
	l.limits = in
	l.buckets = map[string]*tokenBucket{}
	return nil
}

// SetLimits replaces the rate-limit settings. A nil PerAction restores the documented limits.
func (e *Emulator) SetLimits(in Limits) error { return e.limiter.set(in) }

// Limits returns the rate-limit settings.
func (e *Emulator) Limits() Limits { return e.limiter.get() }
