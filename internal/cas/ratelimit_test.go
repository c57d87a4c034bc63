package cas

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"
)

var limitEpoch = time.Unix(1_700_000_000, 0)

// frozenClock never moves: it records the sleeps asked of it, so concurrent callers' turns can be
// read off their sleeps.
type frozenClock struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (c *frozenClock) Now() time.Time { return limitEpoch }

func (c *frozenClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.mu.Unlock()
	return ctx.Err()
}

// blockingClock never moves and its Sleep lasts until the context ends.
type blockingClock struct {
	sleeping chan time.Duration
}

func (c *blockingClock) Now() time.Time { return limitEpoch }

func (c *blockingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeping <- d
	<-ctx.Done()
	return ctx.Err()
}

func newFakeLimiter(t *testing.T, accountRate float64) (*limiter, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: limitEpoch}
	return newLimiter(Config{Clock: clock, RateLimit: accountRate}), clock
}

// calls makes n waits, cycling through actions, and returns the fake time they took.
func calls(t *testing.T, l *limiter, clock *fakeClock, n int, actions ...string) time.Duration {
	t.Helper()
	start := clock.Now()
	for i := range n {
		if err := l.wait(context.Background(), actions[i%len(actions)]); err != nil {
			t.Fatal(err)
		}
	}
	return clock.Now().Sub(start)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func TestLimitPerActionRate(t *testing.T) {
	tests := []struct {
		actions []string
		rate    float64
	}{
		{[]string{"ListUserCertificateOrder"}, 10},
		{[]string{"GetUserCertificateDetail"}, 100},
		{[]string{"DeleteUserCertificate"}, 10},
		{[]string{"ListCert"}, 100},
		// Undocumented actions share one bucket at the default rate.
		{[]string{"DescribePackageState"}, defaultActionRate},
		{[]string{"DescribePackageState", "ListContact", "GetTaskAttribute"}, defaultActionRate},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.actions), func(t *testing.T) {
			for _, n := range []int{1, 2, 11, 50} {
				l, clock := newFakeLimiter(t, 0)
				want := seconds(float64(n-1) / tt.rate)
				if got := calls(t, l, clock, n, tt.actions...); got != want {
					t.Errorf("%d calls took %v, want (N-1)/rate = %v", n, got, want)
				}
			}
		})
	}
}

func TestLimitDocumentedActionsHaveTheirOwnBuckets(t *testing.T) {
	l, clock := newFakeLimiter(t, 0)
	// Two 10/s actions side by side: 10 calls each take 0.9 s, not 1.9 s.
	if got := calls(t, l, clock, 20, "ListCertWarehouse", "ListCloudAccess"); got != 900*time.Millisecond {
		t.Fatalf("took %v, want 900ms", got)
	}
	// Documented and undocumented actions do not share either.
	l, clock = newFakeLimiter(t, 0)
	if got := calls(t, l, clock, 20, "ListCertWarehouse", "DescribePackageState"); got != 900*time.Millisecond {
		t.Fatalf("took %v, want 900ms", got)
	}
}

func TestLimitAccountCapAppliesAcrossActions(t *testing.T) {
	l, clock := newFakeLimiter(t, 5)
	if got := calls(t, l, clock, 11, "GetUserCertificateDetail", "ListCert", "DescribePackageState"); got != 2*time.Second {
		t.Fatalf("11 calls under a 5/s cap took %v, want 2s", got)
	}
	// A cap above an action's own rate does not speed the action up.
	l, clock = newFakeLimiter(t, 1000)
	if got := calls(t, l, clock, 11, "ListUserCertificateOrder"); got != time.Second {
		t.Fatalf("11 calls at 10/s under a 1000/s cap took %v, want 1s", got)
	}
	// The slower of the two wins, call by call.
	l, clock = newFakeLimiter(t, 50)
	if got := calls(t, l, clock, 21, "ListCertWarehouse", "ListCert"); got != time.Second {
		// ListCertWarehouse (10/s) is called 11 times: 1 s; the 50/s cap alone would be 0.4 s.
		t.Fatalf("took %v, want 1s", got)
	}
}

func TestLimitThrottlingHalvesTheRateAndSuccessesRestoreIt(t *testing.T) {
	l, clock := newFakeLimiter(t, 0)
	const action = "ListUserCertificateOrder" // 10/s
	for _, want := range []float64{5, 2.5, 1.25, 1, 1} {
		l.throttled(action)
		if got := l.rate(action); got != want {
			t.Fatalf("after a throttling answer the rate is %v, want %v", got, want)
		}
	}
	// The calls that follow are spaced at the lower rate.
	calls(t, l, clock, 1, action)
	if got := calls(t, l, clock, 3, action); got != 3*time.Second {
		t.Fatalf("3 more calls at 1/s took %v, want 3s", got)
	}
	// Each success adds 1/20 of the configured rate: from 1/s, 18 successes restore 10/s.
	for i := 1; i <= 18; i++ {
		l.succeeded(action)
		if got, want := l.rate(action), 1+0.5*float64(i); math.Abs(got-want) > 1e-9 {
			t.Fatalf("after %d successes the rate is %v, want %v", i, got, want)
		}
	}
	l.succeeded(action)
	if got := l.rate(action); got != 10 {
		t.Fatalf("the rate went past its configured 10/s: %v", got)
	}
	// Other actions are not affected.
	l.throttled("GetUserCertificateDetail")
	if got := l.rate(action); got != 10 {
		t.Fatalf("throttling another action changed this one: %v", got)
	}
	if got := l.rate("GetUserCertificateDetail"); got != 50 {
		t.Fatalf("GetUserCertificateDetail rate = %v, want 50", got)
	}
}

func TestLimitWaitHonoursContextCancellation(t *testing.T) {
	clock := &blockingClock{sleeping: make(chan time.Duration, 1)}
	l := newLimiter(Config{Clock: clock, RateLimit: 1000})
	const action = "ListCertWarehouse" // 10/s
	if err := l.wait(context.Background(), action); err != nil {
		t.Fatal(err)
	}
	// The second call must wait 100ms; it gives up when its context is cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.wait(ctx, action) }()
	if d := <-clock.sleeping; d != 100*time.Millisecond {
		t.Fatalf("waits %v, want 100ms", d)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("wait did not return after its context was cancelled")
	}
	// Its turn was given back: the next caller waits 100ms, not 200ms.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	go func() { done <- l.wait(ctx, action) }()
	if d := <-clock.sleeping; d != 100*time.Millisecond {
		t.Fatalf("the cancelled call kept its turn: the next one waits %v, want 100ms", d)
	}
	if err := <-done; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	// A context that has already ended fails at once, even with a token free.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if err := l.wait(ctx, "GetUserCertificateDetail"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// Concurrent callers get distinct turns 1/rate apart (run with -race).
func TestLimitIsSafeForConcurrentUse(t *testing.T) {
	clock := &frozenClock{}
	l := newLimiter(Config{Clock: clock, RateLimit: 40})
	const n = 64
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			action := []string{"ListCert", "GetUserCertificateDetail", "CreateCertificateForPackageRequest", "UploadUserCertificate"}[i%4]
			if err := l.wait(context.Background(), action); err != nil {
				t.Error(err)
			}
			if i%8 == 0 {
				l.throttled("ListUserCertificateOrder")
			}
			l.succeeded("ListUserCertificateOrder")
			_ = l.rate("ListUserCertificateOrder")
		}()
	}
	wg.Wait()
	got := slices.Clone(clock.sleeps)
	slices.Sort(got)
	// The actions allow 100/s each: the first call did not sleep; the others waited 1/40 s, 2/40 s,
	// ... for the account cap.
	if len(got) != n-1 {
		t.Fatalf("%d sleeps, want %d", len(got), n-1)
	}
	for i, d := range got {
		if want := time.Duration(i+1) * 25 * time.Millisecond; d != want {
			t.Fatalf("sleep %d = %v, want %v (all sleeps: %v)", i, d, want, got)
		}
	}
}

// The limiter as the client uses it: before every attempt, retries included.
func TestLimitClientPacesCallsAndAdapts(t *testing.T) {
	srv, requests := scripted(t, ok(`{"RequestId":"R"}`))
	c, clock := testClient(t, srv.URL, 5)
	for range 5 {
		if err := c.common(context.Background(), "ListCertWarehouse", true, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) || requests.Load() != 5 {
		t.Fatalf("sleeps = %v after %d requests; want %v: 5 calls at 10/s", clock.sleeps, requests.Load(), want)
	}

	// A throttling answer halves the rate; the retry's success raises it by a step.
	srv, _ = scripted(t, fail(400, "Throttling.User"), ok(`{"RequestId":"R"}`))
	c, _ = testClient(t, srv.URL, 5)
	if err := c.common(context.Background(), "ListCertWarehouse", true, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := c.limiter.rate("ListCertWarehouse"); got != 5.5 {
		t.Fatalf("rate after throttling then success = %v, want 10/2 + 10/20 = 5.5", got)
	}

	// A cancelled context makes no request.
	srv, requests = scripted(t, ok(`{"RequestId":"R"}`))
	c, _ = testClient(t, srv.URL, 5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.common(ctx, "ListCertWarehouse", true, nil, nil); !errors.Is(err, context.Canceled) || requests.Load() != 0 {
		t.Fatalf("err = %v after %d requests; want context.Canceled and none", err, requests.Load())
	}
}

func TestLimitCanBeDisabled(t *testing.T) {
	srv, _ := scripted(t, ok(`{"RequestId":"R"}`))
	c, clock := testClient(t, srv.URL, 5)
	c.limiter = newLimiter(Config{DisableRateLimit: true, RateLimit: 1, Clock: clock})
	if c.limiter != nil {
		t.Fatal("DisableRateLimit still built a limiter")
	}
	for range 5 {
		if err := c.common(context.Background(), "ListCertWarehouse", true, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(clock.sleeps) != 0 {
		t.Fatalf("sleeps = %v, want none", clock.sleeps)
	}
}

func TestLimitIntervalBounds(t *testing.T) {
	for _, tt := range []struct {
		rate float64
		want time.Duration
	}{{10, 100 * time.Millisecond}, {100, 10 * time.Millisecond}, {0.5, 2 * time.Second}, {1e-12, maxInterval}, {0, maxInterval}} {
		if got := interval(tt.rate); got != tt.want {
			t.Errorf("interval(%v) = %v, want %v", tt.rate, got, tt.want)
		}
	}
}
