package wait

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestWait(t *testing.T) {
	states := []string{"domain_verify", "process", "process", "certificate"}
	var slept []time.Duration
	polls := 0
	s := StateChange[int]{
		What: "order 1", Pending: []string{"domain_verify", "process"}, Target: []string{"certificate"},
		Refresh: func(context.Context) (int, string, error) {
			polls++
			return polls, states[polls-1], nil
		},
		Timeout: time.Minute, MinInterval: time.Second, MaxInterval: 3 * time.Second,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
	}
	got, err := s.Wait(context.Background())
	if err != nil || got != 4 {
		t.Fatalf("Wait = %d, %v", got, err)
	}
	if fmt.Sprint(slept) != "[1s 2s 3s]" {
		t.Errorf("backoff %v, want [1s 2s 3s]", slept)
	}
}

func TestWait_unexpectedStateWithReason(t *testing.T) {
	s := StateChange[string]{
		What: "order 1", Pending: []string{"process"}, Target: []string{"certificate"},
		Refresh: func(context.Context) (string, string, error) { return "the CA refused", "verify_fail", nil },
		Timeout: time.Minute, Failure: func(obj, _ string) string { return obj },
	}
	_, err := s.Wait(context.Background())
	var u *UnexpectedStateError
	if !errors.As(err, &u) || u.State != "verify_fail" || u.Reason != "the CA refused" {
		t.Fatalf("err = %v", err)
	}
}

func TestWait_timeout(t *testing.T) {
	s := StateChange[int]{
		What: "order 1", Pending: []string{"process"}, Target: []string{"certificate"},
		Refresh: func(context.Context) (int, string, error) { return 0, "process", nil },
		Timeout: 20 * time.Millisecond, MinInterval: 5 * time.Millisecond,
	}
	_, err := s.Wait(context.Background())
	var te *TimeoutError
	if !errors.As(err, &te) || te.LastState != "process" {
		t.Fatalf("err = %v", err)
	}
}

// A wait cancelled by its caller (Ctrl-C) says so, not that the timeout passed.
func TestWait_cancelledIsNotATimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := StateChange[int]{
		What: "order 1", Pending: []string{"process"}, Target: []string{"certificate"},
		Refresh: func(context.Context) (int, string, error) { cancel(); return 0, "process", nil },
		Timeout: time.Hour, MinInterval: time.Millisecond,
	}
	_, err := s.Wait(ctx)
	var te *TimeoutError
	if errors.As(err, &te) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}
