// Package wait is the one helper every resource uses to wait for the service: poll a state with
// backoff until it reaches a target, fails, or the timeout passes.
package wait

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// StateChange describes one wait. Refresh answers the object and its state; a state that is
// neither pending nor target ends the wait with an UnexpectedStateError (Failure, when set,
// explains it).
type StateChange[T any] struct {
	What    string // "certificate order 123", for messages and logs
	Pending []string
	Target  []string
	Refresh func(ctx context.Context) (T, string, error)
	Timeout time.Duration
	// The poll interval starts at MinInterval and doubles up to MaxInterval.
	MinInterval, MaxInterval time.Duration
	// Failure explains an unexpected state, e.g. with the CA's reason.
	Failure func(obj T, state string) string
	// Sleep waits between polls; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// UnexpectedStateError: the object reached a state the wait does not expect.
type UnexpectedStateError struct {
	What, State, Reason string
	Expected            []string
}

func (e *UnexpectedStateError) Error() string {
	msg := fmt.Sprintf("%s is %q, not one of %q", e.What, e.State, e.Expected)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// TimeoutError: the timeout passed while the object was still pending.
type TimeoutError struct {
	What, LastState string
	Timeout         time.Duration
}

func (e *TimeoutError) Error() string {
	if e.LastState == "" {
		return fmt.Sprintf("%s could not be read within %s", e.What, e.Timeout)
	}
	return fmt.Sprintf("%s was still %q after %s", e.What, e.LastState, e.Timeout)
}

// Wait polls until a target state and answers the object in it.
func (s StateChange[T]) Wait(ctx context.Context) (T, error) {
	sleep := s.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	interval := s.MinInterval
	if interval <= 0 {
		interval = time.Second
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	stopped := func(last string) error {
		if err := parent.Err(); err != nil {
			return fmt.Errorf("waiting for %s stopped (%w); its last state was %q", s.What, err, last)
		}
		return &TimeoutError{What: s.What, LastState: last, Timeout: s.Timeout}
	}
	start, polls, last := time.Now(), 0, ""
	for {
		obj, state, err := s.Refresh(ctx)
		polls++
		if err != nil {
			if ctx.Err() != nil {
				return obj, stopped(last)
			}
			return obj, err
		}
		if state != last {
			tflog.Info(ctx, "waiting: state changed", map[string]any{"object": s.What, "state": state, "polls": polls, "elapsed": time.Since(start).String()})
		}
		last = state
		switch {
		case slices.Contains(s.Target, state):
			return obj, nil
		case !slices.Contains(s.Pending, state):
			e := &UnexpectedStateError{What: s.What, State: state, Expected: append(append([]string{}, s.Pending...), s.Target...)}
			if s.Failure != nil {
				e.Reason = s.Failure(obj, state)
			}
			return obj, e
		}
		tflog.Debug(ctx, "waiting", map[string]any{"object": s.What, "state": state, "next_poll": interval.String()})
		if err := sleep(ctx, interval); err != nil {
			return obj, stopped(last)
		}
		if interval *= 2; s.MaxInterval > 0 && interval > s.MaxInterval {
			interval = s.MaxInterval
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
