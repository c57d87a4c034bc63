package cas

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"time"
)

// RetryPolicy is exponential backoff with full jitter: before retry n (0-based) the client sleeps
// a uniformly random time in [0, min(MaxDelay, BaseDelay·2ⁿ)).
type RetryPolicy struct {
	MaxRetries int
	BaseDelay  time.Duration
	MaxDelay   time.Duration
}

// DefaultRetryPolicy suits the service's per-second rate limits.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 5, BaseDelay: 250 * time.Millisecond, MaxDelay: 20 * time.Second}

// Delay is the sleep before retry n given a random number in [0, 1).
func (p RetryPolicy) Delay(n int, random float64) time.Duration {
	ceiling := float64(p.MaxDelay)
	if exp := float64(p.BaseDelay) * math.Pow(2, float64(n)); exp < ceiling {
		ceiling = exp
	}
	return time.Duration(random * ceiling)
}

// Clock is time as the client sees it; tests replace it with a fake that does not wait.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func defaultRandom() float64 { return rand.Float64() }

// decision says what to do after a failed attempt.
type decision int

const (
	giveUp decision = iota
	retry
	outcomeUnknown
)

// decide classifies a failed attempt. Throttling and failures before anything was sent are always
// safe to retry. 5xx answers and failures after the request was sent are retried only for calls
// that are safe to repeat; for the others the outcome is unknown and the call is not resent.
func decide(err error, idempotent bool) decision {
	var (
		throttled *ThrottledError
		service   *ServiceError
		network   *NetworkError
	)
	switch {
	case errors.As(err, &throttled):
		return retry
	case errors.As(err, &network) && !network.Sent:
		return retry
	case errors.As(err, &network), errors.As(err, &service):
		if idempotent {
			return retry
		}
		return outcomeUnknown
	}
	return giveUp
}
